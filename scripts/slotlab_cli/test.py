"""slotlab test: every test. Builds what it needs; stays within 15 minutes on 2 cores.

Steps run in order and all run even when one fails, so one report shows every
failure. Long fuzzing and full benchmark profiles have their own commands.
"""
import os
import sys
import time

from slotlab_cli import fuzz, user_maps
from slotlab_cli.common import (ROOT, BoundedProcess, Failure, TimedOut, build_dir, cmake_build,
                                run_bounded, run_logged, say, stopping, BUILD_ROOT)

# Time bounds of the steps' tools (common.run_bounded): the whole of `slotlab test`
# must stay within 15 min on 2 cores, so no single step may take 20 min; validate go
# takes ~20 s (--large ~30 s), the smoke bench about a minute.
CTEST_SECONDS = 1200
PYTEST_SECONDS = 1200
VALIDATE_SECONDS = 300
BENCH_SMOKE_SECONDS = 600


def ctest(preset):
    cmake_build(preset)
    directory = build_dir(preset)
    run_logged(["ctest", "--test-dir", directory, "--output-on-failure", "-j", "2"],
               os.path.join(BUILD_ROOT, f"{os.path.basename(directory)}-ctest.log"),
               seconds=CTEST_SECONDS)


def pytest_command(path):
    return ["/usr/bin/python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", path]


def pytest_side_by_side(paths):
    """pytest on each folder at once, each with its output in build/pytest-<folder>.log
    (tail shown on failure). Side by side because neither fills the two cores:
    scripts/tests mostly waits on the CLI's children (57 s wall, 33 s CPU), the
    report's property test renders on one core (111 s wall, 105 s CPU); one after
    the other they took 168 s of the 15 minutes."""
    failed, procs = [], []
    with stopping(procs):  # Ctrl-C leaves neither running
        for path in paths:
            procs.append(BoundedProcess(pytest_command(path), PYTEST_SECONDS,
                                        os.path.join(BUILD_ROOT, f"pytest-{path.replace('/', '-')}.log")))
        for path, proc in zip(paths, procs):
            try:
                code = proc.wait()
            except TimedOut as e:
                failed.append(str(e))
                continue
            if code != 0:
                with open(proc.log) as log:
                    sys.stderr.write(f"--- pytest {path} (exit {code}), the end of {proc.log}:\n"
                                     + "".join(log.readlines()[-40:]))
                failed.append(f"pytest {path} failed (exit {code}); full log: {proc.log}")
    if failed:
        raise Failure("; ".join(failed))


def pytest_scripts_and_report():
    """The CLI's and scripts' tests (they need the release build's tools) beside the
    HTML report's: bad input, escaping, the property test, the page in headless
    Chromium."""
    from slotlab_cli import setup
    cmake_build("release")
    setup.ensure_packages()
    pytest_side_by_side(["scripts/tests", "reports/render/tests"])


def validate(target, *options):
    """`validate go|goswiss|reuse`: a model against the real runtime, into a scratch run
    directory under build/."""
    run_dir = os.path.join(BUILD_ROOT, "test-run")
    os.makedirs(run_dir, exist_ok=True)
    run_logged([os.path.join(ROOT, "scripts", "slotlab"), "validate", target, *options,
                "--run-dir", run_dir],
               os.path.join(BUILD_ROOT, f"validate-{target}{''.join(options)}.log"),
               seconds=VALIDATE_SECONDS)


def validate_go():
    validate("go")


def validate_go_large():
    validate("go", "--large")


def validate_goswiss():
    validate("goswiss")


def validate_reuse():
    validate("reuse")


def seed_quick():
    """The blog post's claims, short form (~30 s once the Go and ASan builds exist): every
    claim gets a verdict, every registered map a stale-pointer row."""
    import json
    import tempfile
    from slotlab_cli import seed_claims
    from slotlab_cli.common import registered_maps
    with tempfile.TemporaryDirectory(prefix="slotlab-seed-") as run_dir:
        run_logged([os.path.join(ROOT, "scripts", "slotlab"), "seed", "--quick", "--run-dir",
                    run_dir], os.path.join(BUILD_ROOT, "seed-quick.log"))
        with open(os.path.join(run_dir, "validation", "seed_claims.json")) as f:
            claims = json.load(f)
        if len(claims) != len(seed_claims.CLAIMS) + len(seed_claims.NOT_TESTABLE):
            raise Failure(f"seed --quick: {len(claims)} claims in validation/seed_claims.json")
        try:
            with open(os.path.join(run_dir, "bench", "stale_pointer.json")) as f:
                stale = set(json.load(f)["maps"])
        except OSError:
            raise Failure("seed --quick wrote no bench/stale_pointer.json (see build/seed-quick.log)")
        if stale != set(registered_maps()):
            raise Failure(f"bench/stale_pointer.json has {sorted(stale)}, the registry "
                          f"{sorted(registered_maps())}")


def bench_smoke():
    """Every family, drift, latency, reuse and cache cell on every registered map, at
    toy sizes: a strategy that cannot run the matrix fails here, not in a long run."""
    import tempfile
    with tempfile.TemporaryDirectory(prefix="slotlab-bench-smoke-") as run_dir:
        proc = run_bounded([os.path.join(ROOT, "scripts", "slotlab"), "bench", "--profile",
                            "smoke", "--run-dir", run_dir], BENCH_SMOKE_SECONDS, capture=True)
    if proc.returncode != 0:
        sys.stderr.write("".join(proc.stderr.splitlines(True)[-20:]))
        raise Failure(f"scripts/slotlab bench --profile smoke failed (exit {proc.returncode})")


# (name, function): one line per step; later issues add theirs.
STEPS = [
    ("the optimised build and its statistical tests (ctest --preset release)",
     lambda: ctest("release")),
    ("C++ unit tests under AddressSanitizer + UBSan (ctest --preset asan)", lambda: ctest("asan")),
    ("CLI and script tests beside the HTML report's, the page in headless Chromium "
     "(pytest scripts/tests and reports/render/tests, side by side)", pytest_scripts_and_report),
    ("Go model vs the Go runtime: overflow trajectories (validate go)", validate_go),
    ("Go model vs the Go runtime at B = 16, sampled noverflow (validate go --large, ~30 s)",
     validate_go_large),
    ("Swiss model vs the Go >= 1.24 runtime, n = 6, 700, 50,000 "
     "(validate goswiss, 11 s at load 10)",
     validate_goswiss),
    ("Slot-by-slot reuse on both Go runtimes vs go, goswiss (validate reuse, 24 s at load 10)",
     validate_reuse),
    ("the blog post's claims on both Go runtimes + stale pointers (seed --quick)", seed_quick),
    ("Benchmark matrix, smoke profile (scripts/slotlab bench --profile smoke)", bench_smoke),
    (f"short fuzz run of every target, after replaying the committed corpus "
     f"({fuzz.TEST_SECONDS:g} s each)",
     fuzz.test_step),
    ("Your own map: examples/ through trace, smoke bench, fuzz lane and report (--with-map)",
     user_maps.example_test_step),
]
# With --with-map, the steps that test the user's maps (C++ tests over the registry,
# the smoke bench, the fuzzers); slotlab's own tests are the project's business.
SLOTLAB_ONLY = {pytest_scripts_and_report, validate_go, validate_go_large, validate_goswiss,
                validate_reuse, seed_quick, user_maps.example_test_step}


def register(sub):
    p = sub.add_parser("test", help="run every test")
    p.set_defaults(func=run)


def run(args):
    failed = []
    steps = STEPS if not user_maps.headers_in_use() else [s for s in STEPS if s[1] not in SLOTLAB_ONLY]
    for name, step in steps:
        start = time.monotonic()
        say(f"slotlab test: {name}")
        try:
            step()
            say(f"slotlab test: ok ({time.monotonic() - start:.0f}s)")
        except Failure as e:
            say(f"slotlab test: FAILED: {e}")
            failed.append(name)
    if failed:
        raise Failure(f"{len(failed)} of {len(steps)} test steps failed: {'; '.join(failed)}")
    say(f"slotlab test: all {len(steps)} steps passed")
    return 0
