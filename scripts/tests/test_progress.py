"""A run a person can watch: on a terminal one live progress line, redrawn in place;
in a pipe or a log, a plain line at every tenth of the work (common.Progress)."""
import os
import re
import subprocess
import sys

from conftest import ROOT, SLOTLAB

SCRIPTS = os.path.join(ROOT, "scripts")
DEMO = f"""
import sys, time
sys.path.insert(0, {SCRIPTS!r})
from slotlab_cli.common import Progress, say
p = Progress("slotlab demo", 20, "items")
for i in p.each(range(20), lambda i: f"item {{i}}"):
    if i == 10:
        say("a message in the middle")
p.close()
"""
CLEAR = "\r\x1b[K"


def run_on_a_terminal(cmd, env=None):
    """cmd with its stderr (and stdout) on a pseudo-terminal; returns what it wrote."""
    master, slave = os.openpty()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, cwd=ROOT,
                            env=env)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: every writer of the terminal has exited
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    proc.wait()
    return proc.returncode, out.decode(errors="replace").replace("\r\n", "\n")


def test_on_a_terminal_the_line_is_redrawn_in_place():
    code, out = run_on_a_terminal([sys.executable, "-c", DEMO])
    assert code == 0, out
    assert out.count(CLEAR) >= 20, out  # one redraw per update at least
    assert "\n" in out and out.count("\n") == 2, repr(out)  # the message, and the final line
    before, message, after = out.partition("a message in the middle\n")
    assert message and before.endswith(CLEAR), "the live line is cleared before a message"
    assert after.startswith(CLEAR + "slotlab demo ["), "and redrawn below it"
    final = out.rstrip("\n").split(CLEAR)[-1]
    assert re.fullmatch(r"slotlab demo \[#{20}\] 20/20 items, \d+s elapsed, ETA 0s  item 19", final), final
    assert re.search(r"\] 1/20 items, \d+s elapsed, ETA \d+s  item 1\b", out), "done/total and an ETA"


def test_without_a_terminal_a_line_every_tenth_of_the_work():
    proc = subprocess.run([sys.executable, "-c", DEMO], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "\r" not in proc.stderr and "\x1b" not in proc.stderr
    lines = proc.stderr.splitlines()
    progress = [line for line in lines if line.startswith("slotlab demo [")]
    done = [int(re.search(r"\] (\d+)/20", line).group(1)) for line in progress]
    assert done == [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20], lines
    assert "a message in the middle" in lines


def test_validate_go_shows_its_live_line_on_a_terminal(tmp_path):
    code, out = run_on_a_terminal([SLOTLAB, "validate", "go", "--seeds", "3", "--run-dir", str(tmp_path)])
    assert code in (0, 1), out  # 3 seeds may not resolve the tolerance; the line is what counts
    assert CLEAR + "slotlab validate go [" in out, out
    assert re.search(r"6/6 runs, \d+s elapsed, ETA 0s", out), out
    assert "runtime seed 3" in out
