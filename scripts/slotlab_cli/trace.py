"""slotlab trace: one workload on one map as a CSV time series on stdout.

Options are checked by the C++ tool itself (it owns the registry); this command
only makes sure it is built, with build chatter kept off stdout.
"""
import os
import subprocess

from slotlab_cli.common import TRACE_TOOL, cmake_build, tool


def register(sub):
    p = sub.add_parser(
        "trace", help="print a CSV time series of one workload on one map",
        description="Options: --map NAME --workload churn|grow-shrink|same-key --n N "
                    "--ops M --every K --seed S --hash strong|weak|collide [--load A]")
    p.add_argument("options", nargs="*", help="passed to the trace tool")
    p.set_defaults(func=run, passthrough=True)


def run(args):
    cmake_build("release", ["slotlab_trace"])
    return subprocess.run([tool("release", TRACE_TOOL)] + args.options).returncode


def trace_to_file(options, path, build=True):
    """Writes one trace to path (via a temporary file, so a failure leaves no half CSV).
    build=False skips the up-to-date check, for callers that run many traces."""
    if build:
        cmake_build("release", ["slotlab_trace"])
    tmp = path + ".partial"
    with open(tmp, "w") as out:
        proc = subprocess.run([tool("release", TRACE_TOOL)] + options, stdout=out)
    if proc.returncode != 0:
        os.unlink(tmp)
        return proc.returncode
    os.replace(tmp, path)
    return 0
