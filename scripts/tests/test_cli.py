"""The CLI's contract: bad input gets one line on stderr and exit 2, with nothing on
stdout; good input gets the documented CSV."""
import csv
import io
import os
import shutil

import pytest

from conftest import SLOTLAB, slotlab

BAD_TRACE_INPUT = [
    (["--map", "nope"], "valid maps: absl"),
    (["--map", "absl", "--workload", "zigzag"], "valid workloads: churn, grow-shrink, same-key"),
    (["--map", "absl", "--hash", "md5"], "valid hashes: strong, weak, collide"),
    (["--map", "absl", "--n", "0"], "--n must be at least 1"),
    (["--map", "absl", "--n", "ten"], "--n wants a whole number"),
    (["--map", "absl", "--ops", "-5"], "--ops wants a whole number"),
    (["--map", "absl", "--ops", "10", "--every", "20"], "--every (20) must not exceed --ops (10)"),
    (["--map", "absl", "--bogus", "1"], "unknown option '--bogus'"),
    (["--map", "absl", "--n"], "--n needs a value"),
    (["--map", "absl", "--load", "0.5"], "--load applies to strategies with a fixed capacity"),
    (["--map", "absl", "--load", "1.5"], "--load wants a number in (0, 0.97]"),
    (["--map", "backshift", "--n", "1000000000", "--load", "0.01"], "GiB of memory"),
    ([], "--map is required"),
]


@pytest.mark.parametrize("args,message", BAD_TRACE_INPUT)
def test_trace_bad_input_is_one_line_and_exit_2(built, args, message):
    proc = slotlab("trace", *args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert message in lines[0]


def test_unknown_subcommand_is_one_line_and_exit_2():
    proc = slotlab("frobnicate")
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "frobnicate" in proc.stderr and "trace" in proc.stderr


COLUMNS = ("ops,size,slots,bytes,peak_bytes,tombstones,overflow_buckets,buckets_log2,"
           "mean_probe,max_probe,insert_probe,miss_probe,reused_slot_inserts,"
           "fresh_slot_inserts,rehashes,ns_per_op,shifted_slots,place_probe,tables,directory_len").split(",")


def read_trace(*args):
    proc = slotlab("trace", *args)
    assert proc.returncode == 0, proc.stderr
    return list(csv.DictReader(io.StringIO(proc.stdout))), proc.stdout


@pytest.mark.parametrize("name", ["absl", "robin", "boost", "std", "backshift", "tombstone",
                                  "graveyard", "goswiss"])
def test_churn_trace_rows_and_columns(built, name):
    rows, text = read_trace("--map", name, "--n", "5000", "--ops", "20000", "--every", "5000")
    assert text.splitlines()[0].split(",") == COLUMNS
    assert [int(r["ops"]) for r in rows] == [0, 5000, 10000, 15000, 20000]
    assert all(int(r["size"]) == 5000 for r in rows)
    assert rows[0]["ns_per_op"] == "" and all(float(r["ns_per_op"]) > 0 for r in rows[1:])
    assert all(int(r["bytes"]) > 0 and int(r["peak_bytes"]) >= int(r["bytes"]) for r in rows)
    assert rows[0]["rehashes"] == "0", "counters are cumulative since ops=0"
    # Go-only columns stay empty for the third-party maps: unknown is not zero.
    assert all(r["overflow_buckets"] == "" and r["buckets_log2"] == "" for r in rows)
    # The directory columns are goswiss's alone.
    assert all((r["tables"] != "" and r["directory_len"] != "") == (name == "goswiss") for r in rows)


def test_goswiss_trace_small_map_tables_and_prunes(built):
    """goswiss: <= 8 keys stay one group (slots 8, no table, no tombstone); 700 keys under
    churn keep their size while tombstones rise and fall (pruneTombstones, rehash); 50,000
    keys live in many tables behind a directory."""
    small, _ = read_trace("--map", "goswiss", "--n", "6", "--ops", "600", "--every", "200")
    assert all(r["slots"] == "8" and r["tombstones"] == "0" and r["tables"] == "0"
               and r["directory_len"] == "0" for r in small)
    rows, _ = read_trace("--map", "goswiss", "--n", "700", "--ops", "70000", "--every", "3500")
    tomb = [int(r["tombstones"]) for r in rows]
    assert all(int(r["size"]) == 700 for r in rows)
    assert any(b < a for a, b in zip(tomb, tomb[1:])), tomb
    assert max(tomb) > 0 and int(rows[-1]["reused_slot_inserts"]) > 0
    big, _ = read_trace("--map", "goswiss", "--n", "50000", "--ops", "1000", "--every", "1000")
    assert int(big[0]["tables"]) >= 32 and int(big[0]["directory_len"]) >= int(big[0]["tables"])


def test_absl_trace_sees_tombstones_and_reuse(built):
    rows, _ = read_trace("--map", "absl", "--n", "20000", "--ops", "40000", "--every", "10000")
    assert any(int(r["tombstones"]) > 0 for r in rows[1:])
    last = rows[-1]
    assert int(last["reused_slot_inserts"]) + int(last["fresh_slot_inserts"]) == 40000


@pytest.mark.parametrize("workload", ["grow-shrink", "same-key"])
def test_other_workloads(built, workload):
    rows, _ = read_trace("--map", "robin", "--workload", workload, "--n", "1000",
                         "--ops", "4000", "--every", "900")
    assert [int(r["ops"]) for r in rows] == [0, 900, 1800, 2700, 3600, 4000]
    sizes = [int(r["size"]) for r in rows]
    if workload == "same-key":
        assert sizes == [1000] * 6
    else:
        assert min(sizes) < 1000 and all(100 <= s <= 1000 for s in sizes)


def test_same_seed_same_trace_apart_from_time(built):
    # Not absl: its per-table salt (PerTableSalt, from the slot array's address)
    # moves keys between runs by design.
    a, _ = read_trace("--map", "robin", "--n", "3000", "--ops", "6000", "--every", "3000", "--seed", "7")
    b, _ = read_trace("--map", "robin", "--n", "3000", "--ops", "6000", "--every", "3000", "--seed", "7")
    strip = lambda rows: [{k: v for k, v in r.items() if k != "ns_per_op"} for r in rows]
    assert strip(a) == strip(b)


def test_cli_runs_under_an_interpreter_without_debian_modules(tmp_path, built):
    """The first python3 on PATH may lack matplotlib/jinja2/pytest: the CLI re-runs
    itself under /usr/bin/python3 instead of failing with ImportError."""
    fake = tmp_path / "python3"
    fake.write_text("#!/bin/sh\nexec /usr/bin/python3 -I -S \"$@\"\n")
    fake.chmod(0o755)
    env = dict(os.environ, PATH=f"{tmp_path}:{os.environ['PATH']}")
    proc = slotlab("trace", "--map", "std", "--n", "10", "--ops", "10", "--every", "10", env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ops,size")


def test_setup_without_root_or_sudo_prints_the_apt_line():
    """Without root or sudo, setup names the exact apt-get line and exits 2. Simulated by
    a dpkg-query that reports nothing installed and an unprivileged user."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root to drop privileges with setpriv")
    import subprocess
    import tempfile
    fake_dir = tempfile.mkdtemp(prefix="slotlab-fake-dpkg-")  # world-readable, unlike tmp_path
    os.chmod(fake_dir, 0o755)
    fake = os.path.join(fake_dir, "dpkg-query")
    with open(fake, "w") as f:
        f.write("#!/bin/sh\nexit 0\n")
    os.chmod(fake, 0o755)
    # The unprivileged user may not be able to read the checkout (a clone under a 0700
    # temp dir): give it its own copy of the CLI.
    cli = os.path.join(fake_dir, "scripts")
    shutil.copytree(os.path.dirname(SLOTLAB), cli,
                    ignore=shutil.ignore_patterns("__pycache__", "tests"))
    env = dict(os.environ, PATH=f"{fake_dir}:/usr/bin:/bin", HOME=fake_dir)
    proc = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                           "/usr/bin/python3", os.path.join(cli, "slotlab"), "setup"],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "apt-get update && apt-get install -y --no-install-recommends" in lines[0]
    assert "libabsl-dev" in lines[0]
    shutil.rmtree(fake_dir)
