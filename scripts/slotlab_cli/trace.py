"""slotlab trace: one workload on one map as a CSV time series on stdout.

Options are checked by the C++ tool itself (it owns the registry); this command
only makes sure it is built, with build chatter kept off stdout.
"""
import os
import sys

from slotlab_cli.common import TRACE_TOOL, cmake_build, run_bounded, tool, workload_seconds

# The trace tool's defaults (bench/trace/trace_main.cpp), for the time bound.
DEFAULTS = {"--n": 100000, "--ops": 1000000, "--every": 100000}


def bound(options):
    """The time bound of one trace (common.workload_seconds) from its own options;
    a malformed number is the tool's to reject, with the default bound."""
    given = dict(DEFAULTS)
    for flag, value in zip(options, options[1:]):
        if flag in given:
            try:
                given[flag] = max(1, int(value))
            except ValueError:
                pass
    return workload_seconds(given["--n"], given["--ops"], given["--ops"] // given["--every"] + 1)


def register(sub):
    p = sub.add_parser(
        "trace", help="print a CSV time series of one workload on one map",
        description="Options: --map NAME --workload churn|grow-shrink|same-key --n N "
                    "--ops M --every K --seed S --hash strong|weak|collide [--load A]")
    p.add_argument("options", nargs="*", help="passed to the trace tool")
    p.set_defaults(func=run, passthrough=True)


def run(args):
    cmake_build("release", ["slotlab_trace"])
    sys.stdout.flush()
    proc = run_bounded([tool("release", TRACE_TOOL)] + args.options, bound(args.options),
                       stdout=sys.stdout)
    sys.stderr.write(proc.stderr)  # the tool's own usage errors
    return proc.returncode


def trace_to_file(options, path, build=True):
    """Writes one trace to path (via a temporary file, so a failure leaves no half CSV).
    build=False skips the up-to-date check, for callers that run many traces."""
    if build:
        cmake_build("release", ["slotlab_trace"])
    tmp = path + ".partial"
    try:
        with open(tmp, "w") as out:
            proc = run_bounded([tool("release", TRACE_TOOL)] + options, bound(options), stdout=out)
    except BaseException:  # overran its bound, or interrupted: no half CSV either
        os.unlink(tmp)
        raise
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        os.unlink(tmp)
        return proc.returncode
    os.replace(tmp, path)
    return 0
