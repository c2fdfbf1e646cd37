"""The Go story (sections/go_maps.py): both generations side by side, each part saying
what is missing when its file is absent, broken or not testable on this machine."""

from markupsafe import escape

from reports.render.tests.test_report import corrupt, render, section

FILES = ("validation/go_reuse.json", "validation/go.json", "validation/goswiss.json",
         "validation/goswiss_speed.json")


def test_both_generations_side_by_side(full_run_rendered):
    _, html, _ = full_run_rendered
    body = section(html, "go-maps")
    assert "Missing:" not in body and "Unreadable:" not in body
    assert "emptyOne (1)" in body and "deleted (0xFE)" in body  # what a delete leaves, both
    assert "83.0%" in body  # classic deletes leaving emptyOne: 249000 of 300000
    assert body.count("<svg") == 3  # reuse distance; churn over time; memory and probes
    assert "model `goswiss`" in body and "model `go`" in body
    assert "goswiss model ns/op" in body


def test_every_file_missing_is_named_with_its_producer(tmp_path):
    (tmp_path / "run").mkdir()
    html, _ = render(str(tmp_path / "run"))
    body = section(html, "go-maps")
    for rel, producer in zip(FILES, ("validate reuse", "validate go", "validate goswiss",
                                     "validate goswiss --speed")):
        assert (f"no {rel} in this run: run <code>scripts/slotlab {producer}</code>"
                in body), rel
    assert "no traces/go-churn.csv or traces/goswiss-churn.csv in this run" in body
    assert "<svg" not in body


def test_a_generation_not_testable_here_says_why(fixture_file):
    run_dir = fixture_file(*FILES)
    corrupt(run_dir, "validation/go_reuse.json", lambda doc: doc["generations"].__setitem__(
        "classic", {"go_version": None, "status": "not testable here", "model_name": "go",
                    "verdict": None,
                    "reason": "runtime: no Go toolchain with the classic map (Go 1.19-1.23)",
                    "runtime": None, "model": doc["generations"]["classic"]["model"]}))
    html, _ = render(run_dir)
    body = section(html, "go-maps")
    assert escape("classic map (Go 1.19–1.23): not testable here: runtime: no Go toolchain") in body
    assert "deleted (0xFE)" in body  # the Swiss side still drawn


def test_a_broken_reuse_file_names_the_field(fixture_file):
    run_dir = fixture_file(*FILES)
    corrupt(run_dir, "validation/go_reuse.json",
            lambda doc: doc["generations"]["swiss"]["runtime"].pop("distance"))
    html, err = render(run_dir)
    body = section(html, "go-maps")
    assert "no field &#39;generations.swiss.runtime.distance&#39;" in body
    assert "validation/go_reuse.json is unreadable" in err
    assert body.count("<svg") == 1  # the churn figure still drawn


def test_a_control_byte_count_that_is_not_a_number_is_named(fixture_file):
    """Fields read past the checked ones until now (delete_to's counts, workload.n, a
    scenario's runtime_only) are named too, instead of the generic "could not be drawn"."""
    run_dir = fixture_file(*FILES)
    corrupt(run_dir, "validation/go_reuse.json", lambda doc: doc["generations"]["classic"]
            ["runtime"]["delete_to"].__setitem__("emptyOne", "many"))
    corrupt(run_dir, "validation/goswiss.json", lambda doc: doc["scenarios"][1]["checkpoints"][4]
            .__setitem__("runtime_only", ["prunes", 1]))
    html, err = render(run_dir)
    body = section(html, "go-maps")
    assert "could not be drawn" not in body
    for line in ("validation/go_reuse.json is unreadable: "
                 "'generations.classic.runtime.delete_to.emptyOne' should be a number, found \"many\"",
                 "validation/goswiss.json is unreadable: "
                 "'scenarios[1].checkpoints[4].runtime_only' should be an object"):
        assert line in err.splitlines(), err
        assert str(escape(line)) in body
    assert body.count("<svg") == 1  # the classic churn panel still drawn
