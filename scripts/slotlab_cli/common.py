"""What every subcommand shares: paths, errors, running tools, building."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD_ROOT = os.path.join(ROOT, "build")
REPORTS = os.path.join(ROOT, "reports")


class UsageError(Exception):
    """Bad input from the user: one line on stderr, exit 2."""


class Failure(Exception):
    """Something ran and failed: one line on stderr, exit 1."""


def say(message):
    """Progress goes to stderr, so stdout stays clean for data (CSV, paths)."""
    print(message, file=sys.stderr, flush=True)


def build_settings(cache=None):
    """CMake cache variables added to a preset: the caller's (e.g. fuzz --maps' lanes)
    and those of --with-map (slotlab_cli/user_maps.py)."""
    from slotlab_cli import user_maps
    return {**user_maps.cache_settings(), **(cache or {})}


def build_dir(preset, cache=None):
    """build/<preset>, or build/<preset>-custom-<key> when cache variables are added:
    each such configuration builds in a directory of its own, keyed by its settings."""
    settings = build_settings(cache)
    if not settings:
        return os.path.join(BUILD_ROOT, preset)
    import hashlib
    import json
    key = hashlib.sha1(json.dumps(sorted(settings.items())).encode()).hexdigest()[:10]
    return os.path.join(BUILD_ROOT, f"{preset}-custom-{key}")


def run_logged(cmd, log_path, cwd=ROOT, env=None):
    """Runs cmd with its output in log_path; on failure, shows the log's tail."""
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    with open(log_path, "w") as log:
        proc = subprocess.run(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, env=env)
    if proc.returncode != 0:
        with open(log_path) as log:
            tail = log.readlines()[-40:]
        sys.stderr.write("".join(tail))
        raise Failure(f"'{' '.join(cmd)}' failed (exit {proc.returncode}); full log: {log_path}")


def cmake_build(preset, targets=None, cache=None):
    """Configures (once) and builds one CMake preset, in build_dir(preset, cache);
    build output goes to a log."""
    from slotlab_cli import setup, user_maps
    setup.ensure_packages()
    settings = build_settings(cache)
    directory = build_dir(preset, cache)
    name = os.path.basename(directory)
    if not os.path.exists(os.path.join(directory, "CMakeCache.txt")):
        say(f"slotlab: configuring the {name} build (log: build/{name}-configure.log)")
        run_logged(["cmake", "--preset", preset, "-B", directory] +
                   [f"-D{k}={v}" for k, v in sorted(settings.items())],
                   os.path.join(BUILD_ROOT, f"{name}-configure.log"))
    build = ["cmake", "--build", "--preset", preset] if not settings else \
        ["cmake", "--build", directory, "--parallel", "2"]
    if "SLOTLAB_EXTRA_STRATEGIES" in settings:
        # The user's headers first, alone: a broken one fails here in seconds.
        log = os.path.join(BUILD_ROOT, f"{name}-check.log")
        with open(log, "w") as f:
            proc = subprocess.run(build + ["--target", user_maps.CHECK_TARGET], cwd=ROOT,
                                  stdout=f, stderr=subprocess.STDOUT)
        if proc.returncode != 0:
            user_maps.explain_check_failure(log)
    cmd = list(build)
    for t in targets or []:
        cmd += ["--target", t]
    log = os.path.join(BUILD_ROOT, f"{name}-build.log")
    run_logged(cmd, log)
    # Quiet when nothing was rebuilt, so an up-to-date tool's stderr is only its own.
    with open(log) as f:
        if "Building CXX object" in f.read():
            say(f"slotlab: built {name}" + (f" ({', '.join(targets)})" if targets else "")
                + f" (log: build/{name}-build.log)")


def tool(preset, relative):
    return os.path.join(build_dir(preset), relative)


TRACE_TOOL = "bench/trace/slotlab_trace"


def registered_maps():
    """The registry's names, asked of the built trace tool (one list, in C++)."""
    cmake_build("release", ["slotlab_trace"])
    out = subprocess.run([tool("release", TRACE_TOOL), "--list-maps"], check=True,
                         capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line]


def map_summaries():
    """{name: the registry's one-line summary}, for the report's maps of your own."""
    cmake_build("release", ["slotlab_trace"])
    out = subprocess.run([tool("release", TRACE_TOOL), "--describe-maps"], check=True,
                         capture_output=True, text=True).stdout
    return dict(line.split("\t", 1) for line in out.splitlines() if "\t" in line)


# Run directories: reports/runs/<UTC stamp>/ holds one run's data (traces/, bench/,
# validation/, fuzz/, meta.json) and its index.html; reports/latest points at the
# newest. Generated, never committed.
RUNS = os.path.join(REPORTS, "runs")
LATEST = os.path.join(REPORTS, "latest")


def new_run_dir():
    import time
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    path = os.path.join(RUNS, stamp)
    n = 1
    while os.path.exists(path):
        n += 1
        path = os.path.join(RUNS, f"{stamp}-{n}")
    os.makedirs(path)
    tmp_link = LATEST + ".new"
    if os.path.lexists(tmp_link):
        os.unlink(tmp_link)
    os.symlink(os.path.relpath(path, REPORTS), tmp_link)
    os.replace(tmp_link, LATEST)
    return path
