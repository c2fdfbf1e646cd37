"""The linear-probing family through the CLI: --load fixes the capacity and fills
the probe columns; `slotlab theory` writes its JSON and SVG into a run directory."""
import csv
import io
import json
import math
import os

import pytest

from conftest import slotlab


@pytest.mark.parametrize("name", ["backshift", "tombstone", "graveyard", "ordered_backshift",
                                  "ordered_tombstone", "ordered_graveyard"])
def test_fixed_load_trace_fills_the_probe_columns(built, name):
    n, load = 4000, 0.95
    proc = slotlab("trace", "--map", name, "--load", str(load), "--n", str(n),
                   "--ops", "16000", "--every", "4000")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert {int(r["slots"]) for r in rows} == {math.ceil(n / load)}, "capacity stays fixed"
    for r in rows[1:]:
        for column in ("tombstones", "mean_probe", "max_probe", "insert_probe", "miss_probe",
                       "place_probe", "shifted_slots", "reused_slot_inserts", "rehashes"):
            assert r[column] != "", f"{column} empty for {name}"
        assert float(r["insert_probe"]) >= float(r["place_probe"]) >= 1
    last = rows[-1]
    assert int(last["reused_slot_inserts"]) + int(last["fresh_slot_inserts"]) == 16000
    if name.endswith("backshift"):
        assert int(last["tombstones"]) == 0 and int(last["shifted_slots"]) > 0
        assert int(last["rehashes"]) == 0
    else:  # an ordered insert shifts keys forward to its place; unordered ones never move keys
        assert (int(last["shifted_slots"]) > 0) == name.startswith("ordered_")
        assert int(last["rehashes"]) > 0


def test_theory_writes_json_svg_and_traces(built, tmp_path):
    proc = slotlab("theory", "--n", "1024", "--turnovers", "2", "--seeds", "1",
                   "--run-dir", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == str(tmp_path)
    result = json.loads((tmp_path / "validation" / "linear_probing.json").read_text())
    assert len(result["knuth"]["checks"]) == 8
    assert set(result["churn"]) == {"0.9", "0.95"}
    assert set(result["ratios_at_load"]["place_probe"]) == {"graveyard/backshift",
                                                            "graveyard/tombstone"}
    assert isinstance(result["verdict"]["agrees"], bool) and result["verdict"]["summary"]
    for name in ("backshift", "tombstone", "graveyard"):
        assert len(result["sweep"][name]) == 7
        assert os.path.exists(tmp_path / "traces" / f"{name}-churn-load0.95.csv")
    assert "<svg" in (tmp_path / "validation" / "linear_probing.svg").read_text()[:2000]
    ordered = json.loads((tmp_path / "validation" / "ordered_lp.json").read_text())
    assert ordered["n"] == 1024 and ordered["xs"] == [2, 4, 8, 16, 32, 64]  # quick: max(1024, n/4)
    assert len(ordered["maps"]) == 6
    for name in ordered["maps"]:
        assert [p["x_nominal"] for p in ordered["points"][name]] == ordered["xs"]
        for p in ordered["points"][name]:
            assert p["hit_probe"] >= 1 and p["miss_probe"] >= 1 and p["erase_probe"] >= 1
            assert p["insert_probe"] >= p["place_probe"] >= 1 and p["insert_ns"] > 0
        for op in ("insert", "place", "hit", "miss", "erase"):
            assert isinstance(ordered["exponents"][name][op]["probes"], float)
    # Knuth's hit does not depend on the order; an ordered miss stops early.
    hi = lambda name, key: ordered["points"][name][-1][key]
    assert hi("ordered_backshift", "miss_probe") < hi("backshift", "miss_probe") / 4
    assert {c["check"] for c in ordered["acceptance"]} >= {
        "ordered_graveyard's insert exponent <= 1.25", "backshift's insert exponent >= 1.7"}
    assert not list(tmp_path.glob("**/*.partial"))


@pytest.mark.parametrize("args,message", [
    (["--n", "10"], "--n must be at least 1024"),
    (["--turnovers", "1"], "--turnovers must be at least 2"),
    (["--run-dir", "/nonexistent/run"], "is not a directory"),
])
def test_theory_bad_input_is_one_line_and_exit_2(built, args, message):
    proc = slotlab("theory", *args)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], proc.stderr
    assert proc.stdout == ""
