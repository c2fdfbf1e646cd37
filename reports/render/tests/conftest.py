import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SLOTLAB = os.path.join(ROOT, "scripts", "slotlab")
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)


def slotlab(*args):
    return subprocess.run([SLOTLAB, *args], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="session")
def full_run_rendered(tmp_path_factory):
    """A synthetic run directory holding every file of reports/RUN_LAYOUT.md, rendered
    once through the CLI: (run dir, page text, the CLI's stderr)."""
    from reports.render.tests import fixture_run
    run_dir = fixture_run.make(str(tmp_path_factory.mktemp("full") / "run"))
    proc = slotlab("report", run_dir)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == os.path.join(run_dir, "index.html")
    with open(os.path.join(run_dir, "index.html"), encoding="utf-8") as f:
        return run_dir, f.read(), proc.stderr


@pytest.fixture
def fixture_file(tmp_path, full_run_rendered):
    """A run directory holding only the named fixture files (renders fast)."""
    def copy(*rels):
        for rel in rels:
            dest = tmp_path / "run" / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(os.path.join(full_run_rendered[0], rel), dest)
        return str(tmp_path / "run")
    return copy
