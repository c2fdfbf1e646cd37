"""The report reads whatever a run directory holds: every file present fills its
section, every file absent or broken is named with the reason, never a traceback."""
import json
import os
import re

import pytest
from markupsafe import escape

from reports.render import page
from reports.render.tests.conftest import slotlab
from reports.render.tests.fixture_run import HOSTILE

SECTION_IDS = [m.ID for m in page.ORDER]


def render(run_dir):
    """Renders in-process (matplotlib loads once); returns (page, problems)."""
    path, _, problems = page.render(run_dir)
    with open(path, encoding="utf-8") as f:
        return f.read(), "\n".join(problems)


def corrupt(run_dir, rel, change):
    """Applies change(doc) to the run directory's JSON file rel, in place."""
    path = os.path.join(run_dir, rel)
    with open(path) as f:
        doc = json.load(f)
    change(doc)
    with open(path, "w") as f:
        json.dump(doc, f)


def section(html, sid):
    m = re.search(rf'<section id="{sid}">(.*?)</section>', html, re.S)
    assert m, f"no section {sid}"
    return m.group(1)


def test_full_run_fills_every_section(full_run_rendered):
    _, html, err = full_run_rendered
    filled = len(page.ORDER) - 1  # every section but cache, the fixture's one planted gap
    assert f"{filled} section(s) filled, 1 partial" in err and "Traceback" not in err
    for sid in SECTION_IDS:
        body = section(html, sid)
        assert "Unreadable:" not in body, sid
        if sid == "cache":  # the fixture's one planted gap
            assert "Missing:</strong> no cache figures for std in bench/cache.json: callgrind failed" in body
        else:
            assert "Missing:" not in body, sid
    assert html.count("<svg") >= 9
    assert html.count("How obtained:") >= 10


def test_seed_section_comes_first_and_answers_from_the_data(full_run_rendered):
    _, html, _ = full_run_rendered
    assert SECTION_IDS[0] == "seed"
    body = section(html, "seed")
    answer = re.search(r'<ul class="findings">(.*?)</ul>', body, re.S).group(1)
    assert answer.count("<li>") == 3
    assert "1000/1000" in answer and "20/20" in answer   # the fixture run's figures
    # one coloured verdict cell per claim of the fixture
    with open(os.path.join(os.path.dirname(__file__), "seed_fixture.json")) as f:
        verdicts = [c["verdict"] for c in json.load(f)["claims"]]
    untestable = verdicts.count("not testable here")
    assert body.count('class="best"') + body.count('class="bad"') + body.count('class="meh"') \
        == len(verdicts) - untestable
    assert body.count('<td class="na">not testable here') == untestable >= 3
    assert '<a href="validation/go_race.json">' in body
    assert "not testable here" in body and "bpftrace needs root" in body
    assert "absl" in body and "natively" in body        # who poisons, per map


def test_seed_claims_with_a_claim_not_run_say_why(tmp_path):
    from reports.render.tests import fixture_run
    fixture_run.make(str(tmp_path))
    os.remove(tmp_path / "bench" / "stale_pointer.json")
    html, _ = render(str(tmp_path))
    body = section(html, "seed")
    assert "Missing:</strong> no bench/stale_pointer.json in this run" in body
    assert "validation/go_reuse.json is missing" in body


def test_matrix_rows_and_repetitions(full_run_rendered):
    _, html, _ = full_run_rendered
    matrix = section(html, "matrix")
    assert "churn, weak hash, n = 65,536</td>" in matrix  # iterations:N is not part of the label
    assert matrix.count("<tr") == 1 + 4
    assert "repetitions per cell: 3" in matrix
    assert 'title="stopped after 4096 of 100000 ops at 366210 ns/op' in matrix
    # The heatmap first; the table behind it folded away (<details>, no script).
    assert matrix.index('aria-label="Heatmap') < matrix.index("<details>") < matrix.index("<table")
    assert matrix.count('id="matrix-heatmap-cell-') == 4 * (matrix.split("<tr")[1].count("<th>") - 1)
    summary = section(html, "summary")
    assert "boost is fastest in 4" in summary and "(median of 3 repetitions)" in summary
    assert "Stopped before the end (too slow, see the matrix): tombstone." in summary


def test_page_is_self_contained(full_run_rendered):
    _, html, _ = full_run_rendered
    assert "<script" not in html.lower()
    assert "<link" not in html.lower()
    assert not re.search(r'\bsrc\s*=', html)
    assert not re.search(r'(href|src)\s*=\s*"(https?:)?//', html)
    assert "default-src 'none'" in html


def test_same_data_same_page(full_run_rendered):
    run_dir, first, _ = full_run_rendered
    second, _ = render(run_dir)
    assert first == second


def test_strings_from_data_are_escaped(full_run_rendered):
    _, html, _ = full_run_rendered
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(" in html


def test_svg_ids_unique_on_the_page(full_run_rendered):
    _, html, _ = full_run_rendered
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_empty_run_says_what_is_missing_and_why(tmp_path):
    proc = slotlab("report", str(tmp_path))
    assert proc.returncode == 0 and "0 section(s) filled" in proc.stderr, proc.stderr
    html = (tmp_path / "index.html").read_text()
    assert "no bench/latency.json in this run: run <code>scripts/slotlab bench</code>" in html
    assert "no fuzz/summary.json in this run: run <code>scripts/slotlab fuzz</code>" in html
    assert "no validation/go.json in this run" in html
    assert "no meta.json in this run" in html
    for sid in SECTION_IDS:
        assert "Missing:" in section(html, sid), sid


def test_skipped_producers_are_explained(tmp_path):
    (tmp_path / "run.json").write_text(json.dumps({"steps": [
        {"step": "bench", "command": "scripts/slotlab bench --profile quick", "status": "skipped",
         "reason": "`scripts/slotlab bench --profile quick` does not exist in this checkout yet"},
        {"step": "fuzz", "command": "scripts/slotlab fuzz --seconds 10", "status": "failed",
         "reason": "exit 1 (see logs/fuzz.log)"}]}))
    html, _ = render(str(tmp_path))
    assert "no bench/cache.json in this run: <code>scripts/slotlab bench --profile quick</code> does not exist" in html
    assert "<code>scripts/slotlab fuzz</code> failed, exit 1 (see logs/fuzz.log)" in html


def test_missing_run_dir_is_one_line_exit_2(tmp_path):
    proc = slotlab("report", str(tmp_path / "nope"))
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [f"slotlab: run directory '{tmp_path / 'nope'}' does not exist"]


def test_run_dir_that_is_a_file_is_one_line_exit_2(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    proc = slotlab("report", str(f))
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr.strip().splitlines() == [f"slotlab: '{f}' is not a directory"]


def test_unwritable_page_is_one_line_exit_1(fixture_file):
    run_dir = fixture_file("meta.json")
    os.makedirs(os.path.join(run_dir, "index.html.tmp"))  # the temp file cannot be created
    proc = slotlab("report", run_dir)
    assert (proc.returncode, proc.stdout) == (1, "")
    lines = proc.stderr.strip().splitlines()
    assert lines[-1].startswith(f"slotlab: cannot write {run_dir}/index.html: ")
    assert "Traceback" not in proc.stderr


def _truncate(path):
    with open(path) as f:
        text = f.read()
    with open(path, "w") as f:
        f.write(text[: len(text) // 2])


BROKEN = [
    # (file, how to break it, section id, words the page and stderr must show)
    ("bench/latency.json", _truncate, "latency", "bench/latency.json is unreadable: not valid JSON"),
    ("bench/cache.json", lambda p: open(p, "w").close(), "cache",
     "bench/cache.json is unreadable: the file is empty"),
    ("bench/reuse.json", lambda p: open(p, "w").write('{"maps": {"absl": {"reused_fraction": "most"}}}'),
     "reuse", "bench/reuse.json is unreadable: no field 'maps.absl.distance'"),
    ("bench/churn.absl.r1.json", lambda p: open(p, "w").write('{"benchmarks": {}}'), "matrix",
     "bench/churn.absl.r1.json is unreadable: 'benchmarks' should be a list"),
    ("bench/churn.absl.r1.json",
     lambda p: open(p, "w").write('{"benchmarks": [{"name": "churn/absl", "real_time": 1}]}'),
     "matrix", "benchmark name 'churn/absl' is not family/map/hash/size"),
    ("bench/churn.absl.r1.json", lambda p: open(p, "w").write('{"benchmarks": [3]}'), "matrix",
     "bench/churn.absl.r1.json is unreadable: 'benchmarks[0]' should be an object"),
    ("bench/latency.json", lambda p: open(p, "w").write('[1, 2]'), "latency",
     "bench/latency.json is unreadable: no field 'maps'"),
    ("bench/latency.json", lambda p: open(p, "wb").write(b'\xff\xfe{'), "latency",
     "bench/latency.json is unreadable"),
    ("fuzz/summary.json", lambda p: open(p, "w").write('{"targets": [{"name": "d", "execs": "many"}]}'),
     "fuzz", "'targets[0].execs' should be a number"),
    ("validation/go.json", lambda p: open(p, "w").write('{"checkpoints": [1, 2], "model": {"mean": [1], '
                                                        '"min": [1], "max": [1]}, "runtime": {}}'),
     "validation", "validation/go.json is unreadable"),
    ("traces/absl-churn.csv", _truncate, "drift", "traces/absl-churn.csv is unreadable: line"),
    ("traces/go-churn.csv", lambda p: open(p, "w").write("ops,size\n0,5\n"), "drift",
     "traces/go-churn.csv is unreadable: no column slots"),
    ("meta.json", lambda p: open(p, "w").write("[1, 2]"), "environment",
     "meta.json is unreadable: should be a JSON object"),
]


@pytest.mark.parametrize("rel,breaker,sid,words", BROKEN, ids=[f"{b[0]}-{i}" for i, b in enumerate(BROKEN)])
def test_broken_file_is_named_not_a_traceback(fixture_file, rel, breaker, sid, words):
    run_dir = fixture_file(rel)
    breaker(os.path.join(run_dir, rel))
    html, err = render(run_dir)
    assert escape(words) in section(html, sid)
    assert words in err


def test_broken_file_leaves_the_rest_drawn(fixture_file):
    run_dir = fixture_file("traces/absl-churn.csv", "traces/boost-churn.csv", "bench/latency.json",
                           "bench/cache.json")
    _truncate(os.path.join(run_dir, "traces", "absl-churn.csv"))
    _truncate(os.path.join(run_dir, "bench", "latency.json"))
    html, _ = render(run_dir)
    drift = section(html, "drift")
    assert "<svg" in drift and "traces/boost-churn.csv" in drift
    assert 'href="traces/absl-churn.csv"' not in drift
    assert "<svg" in section(html, "cache")
    assert "Unreadable:" in section(html, "latency")


def test_cli_names_broken_files_on_stderr(fixture_file):
    run_dir = fixture_file("bench/latency.json")
    _truncate(os.path.join(run_dir, "bench", "latency.json"))
    proc = slotlab("report", run_dir)
    assert proc.returncode == 1, "a malformed input must fail the command, after the page"
    assert proc.stdout.strip() == os.path.join(run_dir, "index.html")
    assert os.path.getsize(os.path.join(run_dir, "index.html")) > 0
    assert "slotlab report: bench/latency.json is unreadable: not valid JSON" in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].endswith("exit 1")
    assert "Traceback" not in proc.stderr


def test_cli_exits_0_when_every_file_reads_cleanly(fixture_file):
    proc = slotlab("report", fixture_file("bench/latency.json", "traces/absl-churn.csv"))
    assert proc.returncode == 0, proc.stderr


def test_no_page_is_half_written(fixture_file, monkeypatch):
    """A render that fails midway leaves the previous index.html untouched."""
    run_dir = fixture_file("meta.json")
    render(run_dir)
    before = open(os.path.join(run_dir, "index.html")).read()

    def boom(*a, **k):
        raise RuntimeError("disk full")
    monkeypatch.setattr(page.jinja2.Template, "render", boom)
    with pytest.raises(RuntimeError):
        page.render(run_dir)
    assert open(os.path.join(run_dir, "index.html")).read() == before


def test_fuzz_summary_in_libfuzzer_terms(tmp_path):
    """Targets keyed by name, libFuzzer's own field names: the same table."""
    (tmp_path / "fuzz").mkdir()
    (tmp_path / "fuzz" / "summary.json").write_text(json.dumps({
        "targets": {"differential": {"runs": 120000, "exec/s": 12000, "cov": 2300, "ft": 8000,
                                     "corpus": 250, "status": "ok"}},
        "mutants": {"go-no-emptyrest": {"strategy": "go", "result": "missed"}}}))
    html, _ = render(str(tmp_path))
    fuzz = section(html, "fuzz")
    for cell in ("120,000", "12,000", "2,300", "8,000", "250", "MISSED", "go-no-emptyrest"):
        assert f">{cell}<" in fuzz, cell


def test_mutants_cut_short_leave_the_section_partial(tmp_path):
    """A mutants step stopped by the run's budget keeps its results and says the rest did not run."""
    (tmp_path / "fuzz").mkdir()
    (tmp_path / "fuzz" / "summary.json").write_text(json.dumps({
        "targets": {"differential": {"jobs": 2, "execs": 40000, "exec_per_s": 4000,
                                     "exec_per_cpu_s": 2100, "cov": 19000, "result": "ok"}},
        "mutants": [{"mutant": "go-evacuate-skips-overflow", "result": "caught",
                     "target": "differential", "seconds_to_catch": 0.4}],
        "mutants_planned": 16,
        "mutants_how": "built at -O0 with the lanes it names"}))
    html, _ = render(str(tmp_path))
    fuzz = section(html, "fuzz")
    for cell in ("2", "40,000", "4,000", "2,100", "caught", "go-evacuate-skips-overflow"):
        assert f">{cell}<" in fuzz, cell
    assert "only 1 of 16 mutants ran" in fuzz
    assert "built at -O0 with the lanes it names" in fuzz


def test_seed_answer_follows_the_data():
    """The three opening sentences are computed: change a measurement, the sentence changes."""
    from reports.render.sections import seed
    with open(os.path.join(os.path.dirname(__file__), "seed_fixture.json")) as f:
        fx = json.load(f)

    def answer():  # as the section reads the files: each through its checked reader
        return seed.answer(seed.read_claims(fx["claims"]), seed.read_go(fx["go"]),
                           seed.read_race(fx["race"]))
    before = answer()
    assert len(before) == 3 and "keeps its bytes" in before[1]
    for e in fx["go"]["generations"].values():
        e["probe"]["slot_bytes"]["uint64/uint64 n=200"]["key"] = {"cleared": 100}
        e["probe"]["chapter1"]["same_slot"] = 7
        e["probe"]["slot_bytes"]["uint64/uint64 n=200"]["elem"] = {"kept": 100}
    after = answer()
    assert "keeps its bytes" not in after[1] and "uint64 keys cleared" in after[1]
    assert "left as " in after[1] and "7/1000" in after[0]
    fx["race"]["generations"]["swiss"] = {"status": "not testable here", "reason": "no Go"}
    assert "go1.26" not in answer()[2]


def test_the_anti_drift_figure_puts_dense_beside_absl_and_boost(full_run_rendered):
    """dense_hash_map reclaims deleted slots only by a resize: the grow-shrink figure
    counts its resizes per round, from its trace's rehashes column."""
    run_dir, html, _ = full_run_rendered
    with open(os.path.join(run_dir, "traces", "dense-grow-shrink.csv")) as f:
        last = f.read().strip().splitlines()[-1].split(",")
    body = section(html, "validation")
    part = body[body.index('id="validation-antidrift"'):]
    assert f"dense: {int(last[14]):,} resize(s) in " in part and "traces/dense-grow-shrink.csv" in part
