"""slotlab setup: installs the Debian packages the project needs, and only those missing."""
import os
import shutil
import subprocess

from slotlab_cli.common import UsageError, run_bounded, say

# Everything slotlab needs from Debian bookworm. Build tools first, then the maps
# under test, then what the benchmarks, validation, report and its browser test use.
PACKAGES = [
    "g++", "cmake", "make", "clang-14", "libclang-rt-14-dev", "valgrind",
    "libgtest-dev", "libbenchmark-dev",
    "libabsl-dev", "robin-map-dev", "libboost1.81-dev", "libsparsehash-dev",
    "golang-go",
    "python3", "python3-pytest", "python3-matplotlib", "python3-jinja2", "python3-hypothesis",
    "python3-yaml",  # the workflow files' test (scripts/tests/test_workflows.py)
    "chromium",
]

_checked = False


def missing_packages(packages=PACKAGES):
    cmd = ["dpkg-query", "-W", "-f=${Package} ${db:Status-Status}\n"] + packages
    out = run_bounded(cmd, 60, capture=True).stdout  # dpkg's database: well under a second
    installed = {line.split()[0] for line in out.splitlines() if line.endswith(" installed")}
    return [p for p in packages if p not in installed]


def apt_line(packages):
    return "apt-get update && apt-get install -y --no-install-recommends " + " ".join(packages)


def ensure_packages():
    """Installs what is missing (as root, or through sudo); exit 2 if neither is possible."""
    global _checked
    if _checked:
        return
    missing = missing_packages()
    if missing:
        if os.geteuid() == 0:
            prefix = []
        elif shutil.which("sudo") and run_bounded(["sudo", "-n", "true"], 30,
                                                  capture=True).returncode == 0:
            prefix = ["sudo", "-n"]
        else:
            raise UsageError(f"missing Debian packages; as root, run: {apt_line(missing)}")
        say(f"slotlab: installing {' '.join(missing)}")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        # No time bound on apt-get, alone of every tool: it waits on the network and
        # on dpkg's lock, and killing dpkg mid-install can leave packages half
        # configured (a worse state than waiting); it runs as root, out of our reach.
        subprocess.run(prefix + ["apt-get", "update", "-q"], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        subprocess.run(prefix + ["apt-get", "install", "-y", "-q", "--no-install-recommends"]
                       + missing, check=True, env=env, stdout=subprocess.DEVNULL)
        still = missing_packages()
        if still:
            raise UsageError(f"apt-get did not install {' '.join(still)}; run: {apt_line(still)}")
    _checked = True


def register(sub):
    p = sub.add_parser("setup", help="install the Debian packages slotlab needs")
    p.set_defaults(func=run)


def run(args):
    ensure_packages()
    say("slotlab: all packages present")
    return 0
