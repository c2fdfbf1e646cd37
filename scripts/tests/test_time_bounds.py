"""No check can hang: every tool the CLI waits on has a time bound (common.run_bounded).

A planted never-ending child must fail its command within the bound, with one line
naming the command, the bound and the log, its whole process group stopped, and
what was written before kept. The plants use only what users have too: a fake Go
toolchain through SLOTLAB_GO_CLASSIC and the bound scale SLOTLAB_TIME_SCALE.
"""
import os
import time

import pytest

from conftest import slotlab
from slotlab_cli import common, go_toolchains

# A child that writes a line, starts a grandchild that never ends, and never ends itself.
HANG = """echo "started, pid $$"
sleep 1000 &
echo $! > "{pids}"
wait
"""


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead too: only its parent has not reaped it yet.
    with open(f"/proc/{pid}/stat") as f:
        return f.read().split(")")[-1].split()[0] != "Z"


def test_a_hanging_tool_is_stopped_at_its_bound_with_its_group_and_its_log_kept(tmp_path):
    pids = tmp_path / "grandchild.pid"
    log = tmp_path / "tool.log"
    start = time.monotonic()
    with pytest.raises(common.TimedOut) as e:
        common.run_bounded(["sh", "-c", HANG.format(pids=pids)], 1.5, str(log))
    took = time.monotonic() - start
    assert 1.5 <= took < 1.5 + 5 + 3, took  # the bound, then SIGTERM and at most the grace
    message = str(e.value)
    assert "\n" not in message
    assert "sh -c" in message and "1.5 s" in message and str(log) in message
    assert "started, pid" in log.read_text()  # what the tool wrote is kept
    grandchild = int(pids.read_text())
    deadline = time.monotonic() + 5
    while alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(grandchild), "the tool's grandchild outlived the tool's time bound"


def test_the_bound_scales_with_slotlab_time_scale_and_a_bad_scale_is_a_usage_error(monkeypatch):
    monkeypatch.setenv("SLOTLAB_TIME_SCALE", "0.1")
    start = time.monotonic()
    with pytest.raises(common.TimedOut, match="time bound of 1 s"):
        common.run_bounded(["sleep", "30"], 10)
    assert time.monotonic() - start < 7
    for bad in ("0", "-1", "fast", "nan", "inf"):
        monkeypatch.setenv("SLOTLAB_TIME_SCALE", bad)
        with pytest.raises(common.UsageError, match="SLOTLAB_TIME_SCALE"):
            common.run_bounded(["true"], 10)


def test_a_tool_that_finishes_in_time_returns_its_output_and_leaves_no_log():
    before = set(os.listdir(common.LOGS)) if os.path.isdir(common.LOGS) else set()
    proc = common.run_bounded(["sh", "-c", "echo out; echo err >&2; exit 3"], 10, capture=True)
    assert (proc.returncode, proc.stdout, proc.stderr) == (3, "out\n", "err\n")
    assert set(os.listdir(common.LOGS)) == before


def test_validate_go_fails_within_its_bound_when_a_child_never_ends(tmp_path):
    """A Go toolchain whose `go build` never ends (as a trace tool whose growth loops
    forever would): `validate go` must fail within the build's bound, not hang."""
    fake_go = tmp_path / "go"
    pids = tmp_path / "grandchild.pid"
    fake_go.write_text("#!/bin/sh\n"
                       'if [ "$1" = version ]; then echo "go version go1.19.8 linux/amd64"; exit 0; fi\n'
                       + HANG.format(pids=pids))
    fake_go.chmod(0o755)
    run_dir = tmp_path / "run"
    (run_dir / "validation").mkdir(parents=True)
    earlier = run_dir / "validation" / "earlier.json"
    earlier.write_text('{"written": "before"}\n')
    scale = 0.01
    bound = go_toolchains.BUILD_SECONDS * scale
    env = dict(os.environ, SLOTLAB_GO_CLASSIC=str(fake_go), SLOTLAB_TIME_SCALE=str(scale))
    start = time.monotonic()
    proc = slotlab("validate", "go", "--run-dir", str(run_dir), env=env)
    took = time.monotonic() - start
    assert proc.returncode == 1, proc.stderr
    assert took < bound + 5 + 10, f"validate go took {took:.0f} s with a {bound:g} s bound"
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "did not finish within its time bound of 6 s" in lines[0], lines[0]
    assert "build" in lines[0] and "its log: " in lines[0], lines[0]
    log = lines[0].split("its log: ")[1]
    assert os.path.isfile(log) and "started, pid" in open(log).read()
    os.unlink(log)
    assert earlier.read_text() == '{"written": "before"}\n'
    assert not alive(int(pids.read_text()))


def tools_of_this_tree():
    """pid -> command line of the processes running a tool of this checkout."""
    found = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            continue
        if (cwd == common.ROOT or cwd.startswith(common.ROOT + "/")) and any(
                tool in cmd for tool in ("slotlab_trace", "churnmap", "cmake", "go build", "make")):
            found[pid] = cmd
    return found


def test_a_producer_past_its_limit_is_stopped_with_every_tool_it_started(tmp_path, monkeypatch):
    """`slotlab run` stops a producer at its limit (SIGTERM to its session); the
    producer's own tools run in sessions of their own, and must stop with it. The
    producer's tool never ends (a `go build` that hangs), so the limit is what stops it,
    however fast the machine."""
    from slotlab_cli import run
    fake_go = tmp_path / "go"
    pids = tmp_path / "grandchild.pid"
    fake_go.write_text("#!/bin/sh\n"
                       'if [ "$1" = version ]; then echo "go version go1.19.8 linux/amd64"; exit 0; fi\n'
                       + HANG.format(pids=pids))
    fake_go.chmod(0o755)
    monkeypatch.setenv("SLOTLAB_GO_CLASSIC", str(fake_go))
    before = tools_of_this_tree()
    start = time.monotonic()
    entry = run.run_producer(str(tmp_path), "validate go", ["validate", "go"], 4, 100)
    assert entry["status"] == "failed" and "stopped after its 4 s budget" in entry["reason"], entry
    assert time.monotonic() - start < 4 + 5 + 5 + 60  # the limit, the grace, the help checks
    time.sleep(1)
    leftovers = {pid: cmd for pid, cmd in tools_of_this_tree().items() if pid not in before}
    assert not leftovers, leftovers
    deadline = time.monotonic() + 5
    while pids.exists() and alive(int(pids.read_text())) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert pids.exists() and not alive(int(pids.read_text())), "the hung build's child outlived it"


def test_every_tool_the_cli_waits_on_goes_through_run_bounded():
    """One helper, at every call site: a bare subprocess call has no time bound."""
    import re
    cli = os.path.join(os.path.dirname(common.__file__))
    allowed = {("common.py", "Popen"), ("setup.py", "run")}  # the helper; apt-get (setup.py says why)
    bare = []
    for name in sorted(os.listdir(cli)):
        if name.endswith(".py"):
            with open(os.path.join(cli, name)) as f:
                for lineno, line in enumerate(f, 1):
                    for call in re.findall(r"\bsubprocess\.(run|Popen|call|check_call|check_output)\(", line):
                        if (name, call) not in allowed:
                            bare.append(f"{name}:{lineno}: subprocess.{call}")
    assert not bare, "use common.run_bounded (or BoundedProcess): " + "; ".join(bare)
