"""The Go model on the command line: its churn trace behaves as Go's map does,
and `validate go` rejects bad input with one line and exit 2."""
import csv
import io

import pytest

from conftest import slotlab


def test_go_churn_trace_keeps_b_10_and_piles_up_overflow_buckets(built):
    proc = slotlab("trace", "--map", "go", "--n", "6000", "--ops", "60000", "--every", "12000")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert [int(r["ops"]) for r in rows] == [0, 12000, 24000, 36000, 48000, 60000]
    assert {r["buckets_log2"] for r in rows} == {"10"}
    overflow = [int(r["overflow_buckets"]) for r in rows]
    assert overflow == sorted(overflow) and overflow[-1] > 2 * overflow[0], overflow
    assert all(int(r["tombstones"]) > 0 for r in rows[1:])
    assert int(rows[-1]["reused_slot_inserts"]) > 0
    assert int(rows[-1]["rehashes"]) == 0, "no same-size grow before ~80,000 ops"


@pytest.mark.parametrize("args,message", [
    (["validate"], "target"),
    (["validate", "python"], "invalid choice"),
    (["validate", "go", "--seeds", "2"], "--seeds must be at least 3"),
    (["validate", "go", "--reps", "0"], "--reps must be at least 1"),
    (["validate", "go", "--run-dir", "/nonexistent/run"], "is not a directory"),
    (["validate", "go", "--seeds", "ten"], "invalid int value"),
])
def test_validate_bad_input_is_one_line_and_exit_2(args, message):
    proc = slotlab(*args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert message in lines[0]
