"""scripts/slotlab bench: bad input is one line and exit 2; a killed run resumed with
--resume ends with exactly the planned cells; shards merge into one run; every
benchmark reports its counters or says which it cannot."""
import json
import os
import signal
import subprocess
import time

import pytest

from conftest import ROOT, SLOTLAB, slotlab

SMOKE_MAPS = "absl,std"


def one_line_exit_2(proc, message):
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert message in lines[0], lines[0]


@pytest.mark.parametrize("args,message", [
    (["--maps", "absl,nope"], "unknown map 'nope'; valid maps: absl"),
    (["--maps", ","], "--maps names no map"),
    (["--shard", "0/2"], "--shard wants I/N with 1 <= I <= N"),
    (["--shard", "3/2"], "--shard wants I/N with 1 <= I <= N"),
    (["--shard", "1/0"], "--shard wants I/N with 1 <= I <= N"),
    (["--shard", "two"], "--shard wants I/N with 1 <= I <= N"),
    (["--repetitions", "0"], "--repetitions must be at least 1"),
    (["--profile", "huge"], "invalid choice: 'huge'"),
    (["--merge", "/nonexistent-run"], "holds no bench/cells.jsonl"),
])
def test_bad_input_is_one_line_and_exit_2(built, tmp_path, args, message):
    proc = slotlab("bench", "--profile", "smoke", "--run-dir", str(tmp_path / "run"), *args)
    one_line_exit_2(proc, message)


def test_unwritable_run_dir_is_one_line_and_exit_2(built, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    proc = slotlab("bench", "--profile", "smoke", "--maps", "std",
                   "--run-dir", str(blocker / "run"))
    one_line_exit_2(proc, "cannot write the run directory")


def ledger(run_dir):
    with open(os.path.join(run_dir, "bench", "cells.jsonl")) as f:
        return [json.loads(line) for line in f if line.strip()]


def plan(*args):
    proc = slotlab("bench", "--profile", "smoke", "--maps", SMOKE_MAPS, "--plan", *args)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


def test_killed_run_resumes_to_exactly_the_planned_cells(built, tmp_path):
    run_dir = str(tmp_path / "run")
    planned = plan("--run-dir", run_dir)
    assert len(planned) == len(set(planned)) > 20
    proc = subprocess.Popen([SLOTLAB, "bench", "--profile", "smoke", "--maps", SMOKE_MAPS,
                             "--run-dir", run_dir], cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    path = os.path.join(run_dir, "bench", "cells.jsonl")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if os.path.exists(path) and len(open(path).read().splitlines()) >= 8:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the run finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    before = ledger(run_dir)
    assert 0 < len(before) < len(planned)

    again = slotlab("bench", "--profile", "smoke", "--maps", SMOKE_MAPS, "--run-dir", run_dir)
    one_line_exit_2(again, "pass --resume to skip them")

    resumed = slotlab("bench", "--profile", "smoke", "--maps", SMOKE_MAPS, "--run-dir", run_dir,
                      "--resume")
    assert resumed.returncode == 0, resumed.stderr
    after = ledger(run_dir)
    ids = [e["cell"] for e in after]
    assert len(ids) == len(set(ids)), "a cell was recorded twice"
    assert sorted(ids) == sorted(planned)
    assert after[:len(before)] == before, "finished cells were rerun or rewritten"
    for e in after:
        for rel in e["files"]:
            assert os.path.getsize(os.path.join(run_dir, rel)) > 0
    leftovers = [n for n in os.listdir(os.path.join(run_dir, "bench")) if ".partial" in n]
    assert leftovers == []
    for name in ("latency.json", "reuse.json", "cache.json"):
        with open(os.path.join(run_dir, "bench", name)) as f:
            assert set(json.load(f)["maps"]) == {"absl", "std"}
    with open(os.path.join(run_dir, "meta.json")) as f:
        meta = json.load(f)
    assert meta["bench"]["profile"] == "smoke" and meta["commit"] and meta["libraries"]


def test_shards_merge_into_the_planned_run(built, tmp_path):
    planned = plan()
    runs = []
    for i in (1, 2):
        run_dir = str(tmp_path / f"shard{i}")
        proc = slotlab("bench", "--profile", "smoke", "--maps", SMOKE_MAPS, "--shard", f"{i}/2",
                       "--repetitions", "2", "--run-dir", run_dir)
        assert proc.returncode == 0, proc.stderr
        runs.append(run_dir)
    shard_ids = [{e["cell"] for e in ledger(r)} for r in runs]
    assert not shard_ids[0] & shard_ids[1]
    merged = str(tmp_path / "merged")
    proc = slotlab("bench", "--run-dir", merged, "--merge", *runs)
    assert proc.returncode == 0, proc.stderr
    ids = [e["cell"] for e in ledger(merged)]
    assert sorted(ids) == sorted(planned)
    with open(os.path.join(merged, "meta.json")) as f:
        meta = json.load(f)
    assert sorted(i["shard"] for i in meta["bench"]["invocations"]) == ["1/2", "2/2"]
    assert meta["bench"]["profile"] == "smoke" and meta["cpu"]
    with open(os.path.join(merged, "bench", "latency.json")) as f:
        assert set(json.load(f)["maps"]) == {"absl", "std"}


def test_counters_present_or_named_unavailable(built, tmp_path):
    run_dir = str(tmp_path / "run")
    proc = slotlab("bench", "--profile", "smoke", "--maps", SMOKE_MAPS, "--repetitions", "1",
                   "--run-dir", run_dir)
    assert proc.returncode == 0, proc.stderr
    with open(os.path.join(run_dir, "bench", "churn.std.r1.json")) as f:
        std = json.load(f)["benchmarks"][0]
    with open(os.path.join(run_dir, "bench", "churn.absl.r1.json")) as f:
        absl = json.load(f)["benchmarks"][0]
    assert std["name"].startswith("churn/std/strong/1024")
    for b in (std, absl):
        assert b["ns_per_op"] > 0 and b["bytes_per_key"] > 8 and 0 < b["load_factor"] <= 1.0
        assert "overflow_buckets" not in b and "overflow_buckets" in b["label"]
    # std::unordered_map has no tombstones and cannot tell where an insert landed:
    # left out and named, never a zero.
    assert "tombstone_fraction" not in std and "reused_slot_fraction" not in std
    assert "n/a: " in std["label"] and "tombstone_fraction" in std["label"]
    assert 0 <= absl["tombstone_fraction"] < 1 and 0 <= absl["reused_slot_fraction"] <= 1
