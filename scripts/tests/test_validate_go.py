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


def test_classic_side_is_pinned_to_a_classic_go_whatever_leads_path():
    """churnmap reads runtime.hmap: built by Go 1.26 it would read garbage. The classic
    side must find Debian's Go 1.19 even though PATH's go is a Swiss-table Go."""
    from slotlab_cli import go_toolchains
    go_toolchains.toolchain.cache_clear()
    go, version = go_toolchains.toolchain("classic")
    minor = int(version.split(".")[1])
    assert 19 <= minor <= 23, (go, version)
    go, version = go_toolchains.toolchain("swiss")
    assert int(version.split(".")[1]) >= 24, (go, version)


def test_a_wrong_classic_toolchain_is_one_line_naming_what_to_install(tmp_path):
    """SLOTLAB_GO_CLASSIC pointing at a Swiss-table Go is refused, not used."""
    import os
    import shutil
    swiss = shutil.which("go")
    env = dict(os.environ, SLOTLAB_GO_CLASSIC=swiss)
    proc = slotlab("validate", "go", "--seeds", "3", "--run-dir", str(tmp_path), env=env)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "no Go toolchain with the classic map (Go 1.19-1.23)" in lines[0]
    assert "golang-go" in lines[0]
    assert not os.listdir(tmp_path), "nothing written before the toolchain is known"
