"""`slotlab run`'s bookkeeping: a producer missing from the checkout, failing, or out
of budget is recorded (run.json), never fatal; a trace a producer replaced is not
credited to the run's own command."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from slotlab_cli import run  # noqa: E402


def test_missing_producer_is_skipped_with_the_reason(tmp_path):
    entry = run.run_producer(str(tmp_path), "nope", ["no-such-command", "--x"], 10, 100)
    assert entry["status"] == "skipped"
    assert entry["reason"] == "`scripts/slotlab no-such-command --x` does not exist in this checkout yet"


def test_producer_out_of_budget_is_skipped(tmp_path):
    entry = run.run_producer(str(tmp_path), "report", ["report"], 10, run.MIN_STEP - 1)
    assert entry["status"] == "skipped"
    assert "budget was spent" in entry["reason"]


def test_failing_producer_is_recorded_with_its_log(tmp_path):
    # `report` takes no --run-dir: argparse refuses, exit 2.
    entry = run.run_producer(str(tmp_path), "report", ["report"], 30, 100)
    assert entry["status"] == "failed" and entry["reason"].startswith("exit 2")
    with open(tmp_path / entry["log"]) as f:
        assert "unrecognized arguments: --run-dir" in f.read()


def test_replaced_trace_is_not_credited_to_the_run(tmp_path):
    traces = tmp_path / "traces"
    traces.mkdir()
    for name in ("absl-churn.csv", "robin-churn.csv"):
        (traces / name).write_text("ops\n0\n")
    manifest = {name: {"command": "scripts/slotlab trace --map x", "seconds": 1.0,
                       "mtime_ns": os.stat(traces / name).st_mtime_ns}
                for name in ("absl-churn.csv", "robin-churn.csv")}
    (traces / "manifest.json").write_text(json.dumps(manifest))
    os.utime(traces / "absl-churn.csv", ns=(1, 1))  # as if bench rewrote it
    run.note_replaced_traces(str(tmp_path))
    after = json.loads((traces / "manifest.json").read_text())
    assert after["absl-churn.csv"]["command"].startswith("replaced by a producer")
    assert after["robin-churn.csv"] == {"command": "scripts/slotlab trace --map x", "seconds": 1.0}


def test_every_map_gets_a_churn_trace_and_the_family_a_load_sweep():
    jobs = run.trace_jobs(["absl", "boost", "backshift"])
    names = [name for _, _, name in jobs]
    assert {"absl-churn.csv", "boost-churn.csv", "backshift-churn.csv"} <= set(names)
    assert {"absl-grow-shrink.csv", "boost-grow-shrink.csv"} <= set(names)
    assert [n for n in names if "-load" in n] == [f"backshift-churn-load{a}.csv" for a in run.LOADS]
