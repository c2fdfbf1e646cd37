"""--with-map PATH: strategies of your own, without editing slotlab.

PATH is a header defining strategies in the registry's form and naming them with
SLOTLAB_REGISTER_STRATEGIES (maps/register_strategies.hpp; examples/ has one).
`run`, `test`, `trace`, `bench` and `fuzz` accept it (repeatable). The headers
reach CMake as SLOTLAB_EXTRA_STRATEGIES, in a build directory of their own
(build/<preset>-custom-<key>, keyed by the headers' paths), so the default
build is untouched; every tool iterates the registry, so every trace, benchmark
family, fuzz lane, reuse/cache/latency cell and report section then includes
them. The paths travel to the slotlab processes a command starts (run's
producers, test's steps) in the environment variable SLOTLAB_WITH_MAPS.

A header that does not compile is caught before any long build: the build
compiles maps/extra_check.cpp first (the registry with the headers, every map a
SlotMap), and its first error is shown with one line naming the header; exit 2.

SLOTLAB_ONLY_MAPS (comma-separated names, environment) restricts a build to those
strategies (CMake's SLOTLAB_ONLY_STRATEGIES): `slotlab test` uses it to run the
example through the tools without compiling every other map again.
"""
import os
import re
import sys

WITH_MAPS_ENV = "SLOTLAB_WITH_MAPS"
ONLY_MAPS_ENV = "SLOTLAB_ONLY_MAPS"
COMMANDS = ("run", "test", "trace", "bench", "fuzz")
CHECK_TARGET = "slotlab_extra_check"


def add_option(parser):
    parser.add_argument("--with-map", action="append", metavar="PATH",
                        help="a header defining strategies of your own "
                             "(SLOTLAB_REGISTER_STRATEGIES; repeatable): they join the registry "
                             "for this command, built in a build directory of their own")


def take_from_argv(argv):
    """Removes every --with-map PATH / --with-map=PATH from argv (trace passes its
    options through untouched, so they are taken out before any parsing);
    returns (argv without them, the paths)."""
    rest, paths = [], []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--with-map":
            if i + 1 >= len(argv):
                from slotlab_cli.common import UsageError
                raise UsageError("--with-map needs a header path")
            paths.append(argv[i + 1])
            i += 2
            continue
        if arg.startswith("--with-map="):
            paths.append(arg.split("=", 1)[1])
        else:
            rest.append(arg)
        i += 1
    return rest, paths


def activate(paths):
    """Adds the headers to this process's builds and to the processes it starts."""
    from slotlab_cli.common import UsageError
    headers = headers_in_use()
    for p in paths:
        full = os.path.abspath(p)
        if not os.path.isfile(full):
            raise UsageError(f"--with-map {p}: no such file")
        if not full.endswith((".h", ".hh", ".hpp", ".hxx")):
            raise UsageError(f"--with-map {p}: expected a C++ header (.hpp, .h)")
        if full not in headers:
            headers.append(full)
    if headers:
        os.environ[WITH_MAPS_ENV] = os.pathsep.join(headers)


def headers_in_use():
    value = os.environ.get(WITH_MAPS_ENV, "")
    return [h for h in value.split(os.pathsep) if h]


def cache_settings():
    """The CMake cache variables this process's builds add to a preset."""
    settings = {}
    if headers_in_use():
        settings["SLOTLAB_EXTRA_STRATEGIES"] = ";".join(headers_in_use())
    only = os.environ.get(ONLY_MAPS_ENV, "")
    if only:
        settings["SLOTLAB_ONLY_STRATEGIES"] = only
    return settings


_DIAGNOSTIC = re.compile(r"^(\S[^:]*):(\d+)(?::\d+)?: (fatal error|error|warning|note):")
_INCLUDED = re.compile(r"^(In file included from|\s+from) (\S+?):\d+")


def first_error(log_text):
    """The compiler's first error as it printed it: the include chain leading to it,
    the error line and its notes, up to the next error (at most 20 lines)."""
    lines = log_text.splitlines()
    start = next((i for i, line in enumerate(lines) if re.search(r"\b(fatal error|error):", line)), None)
    if start is None:
        return []
    head = start
    while head > 0 and _INCLUDED.match(lines[head - 1]):
        head -= 1
    block = lines[head:start + 1]
    for line in lines[start + 1:]:
        m = _DIAGNOSTIC.match(line)
        if (m and m.group(3) in ("error", "fatal error")) or _INCLUDED.match(line) or line.startswith(("make", "gmake", "[")):
            break
        block.append(line)
    return block[:20]


def header_at_fault(block, headers):
    """Which of the headers the error is in (or reached through); None if unclear."""
    for line in block:
        for h in headers:
            if h in line:
                return h
    return headers[0] if len(headers) == 1 else None


def explain_check_failure(log_path):
    """The check build failed: shows the first error; raises the one-line UsageError."""
    from slotlab_cli.common import ROOT, UsageError
    with open(log_path, errors="replace") as f:
        text = f.read()
    block = first_error(text)
    headers = headers_in_use()
    if block:
        sys.stderr.write("\n".join(block) + "\n")
    culprit = header_at_fault(block, headers)
    named = (os.path.relpath(culprit, ROOT) if culprit and culprit.startswith(ROOT) else culprit) \
        or ", ".join(headers)
    raise UsageError(f"--with-map {named}: does not compile as a strategy header (the compiler's first "
                     f"error is above; full log: {os.path.relpath(log_path, ROOT)})")


EXAMPLE = os.path.join("examples", "quadratic_probing.hpp")
EXAMPLE_MAP = "quadratic"


def example_test_step():
    """`slotlab test`: the example header through trace, a smoke bench, a short fuzz of
    its lane and the report -- the path a map author takes. Built with only its
    strategy (SLOTLAB_ONLY_MAPS), so the step compiles one map, not every map again."""
    import json
    import tempfile
    from slotlab_cli.common import BUILD_SECONDS, ROOT, Failure, run_bounded
    slotlab = os.path.join(ROOT, "scripts", "slotlab")
    env = dict(os.environ, **{ONLY_MAPS_ENV: EXAMPLE_MAP})
    env.pop(WITH_MAPS_ENV, None)

    def cli(*args):
        # each command builds its tools first (the example's own build directory)
        proc = run_bounded([slotlab, args[0], "--with-map", EXAMPLE, *args[1:]], BUILD_SECONDS,
                           capture=True, env=env)
        if proc.returncode != 0:
            sys.stderr.write("".join(proc.stderr.splitlines(True)[-20:]))
            raise Failure(f"scripts/slotlab {' '.join(args)} --with-map {EXAMPLE} failed (exit {proc.returncode})")
        return proc.stdout

    out = cli("trace", "--map", EXAMPLE_MAP, "--n", "10000", "--ops", "100000", "--every", "10000")
    rows = out.splitlines()
    header = rows[0].split(",")
    if len(rows) != 12 or header[:6] != ["ops", "size", "slots", "bytes", "peak_bytes", "tombstones"]:
        raise Failure(f"trace of {EXAMPLE_MAP}: expected the trace columns and 11 rows, got {rows[:2]}")
    last = dict(zip(header, rows[-1].split(",")))
    if last["size"] != "10000" or not last["tombstones"] or not last["reused_slot_inserts"]:
        raise Failure(f"trace of {EXAMPLE_MAP}: the last row lacks size, tombstones or reuse: {last}")
    with tempfile.TemporaryDirectory(prefix="slotlab-user-map-") as run_dir:
        cli("bench", "--maps", EXAMPLE_MAP, "--profile", "smoke", "--run-dir", run_dir)
        with open(os.path.join(run_dir, "bench", "cells.jsonl")) as f:
            cells = [json.loads(line) for line in f if line.strip()]
        kinds = {c["kind"] for c in cells if c.get("map") == EXAMPLE_MAP}
        if not {"gbench", "drift", "latency", "reuse", "cache"} <= kinds:
            raise Failure(f"bench smoke of {EXAMPLE_MAP}: cells of kinds {sorted(kinds)} only")
        cli("fuzz", "--maps", EXAMPLE_MAP, "--target", "differential", "--seconds", "5", "--jobs", "1",
            "--run-dir", run_dir)
        with open(os.path.join(run_dir, "fuzz", "summary.json")) as f:
            record = json.load(f)["targets"]["differential"]
        if record["lanes"] != [EXAMPLE_MAP] or record["result"] != "ok" or not record["execs"]:
            raise Failure(f"fuzz of {EXAMPLE_MAP}: {record}")
        page = run_bounded([slotlab, "report", run_dir], 300, capture=True)
        with open(os.path.join(run_dir, "index.html"), encoding="utf-8") as f:
            html = f.read()
        matrix = html[html.index('<section id="matrix">'):]
        if page.returncode != 0 or f"<th>{EXAMPLE_MAP}</th>" not in matrix[:matrix.index("</section>")]:
            raise Failure(f"report of the example's run: exit {page.returncode}, "
                          f"{EXAMPLE_MAP} in the matrix: {EXAMPLE_MAP in matrix}")
