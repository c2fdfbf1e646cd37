import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SLOTLAB = os.path.join(ROOT, "scripts", "slotlab")
sys.path.insert(0, os.path.join(ROOT, "scripts"))  # tests may import slotlab_cli


def slotlab(*args, env=None):
    return subprocess.run([SLOTLAB, *args], capture_output=True, text=True, cwd=ROOT, env=env)


@pytest.fixture(scope="session")
def built():
    """The release build, made once per session (a no-op when up to date)."""
    proc = slotlab("build")
    assert proc.returncode == 0, proc.stderr
