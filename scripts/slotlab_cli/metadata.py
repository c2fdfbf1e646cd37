"""Run metadata (meta.json, reports/RUN_LAYOUT.md): machine, compiler and flags,
library versions from dpkg, git commit, date. Producers merge their part into
one meta.json, written atomically."""
import json
import os
import platform
import time

from slotlab_cli.common import ROOT, TimedOut, build_dir, run_bounded

LIBRARIES = ["libabsl-dev", "robin-map-dev", "libboost1.81-dev", "libsparsehash-dev", "libbenchmark-dev",
             "libgtest-dev", "golang-go", "valgrind", "g++", "clang-14"]


def _out(cmd):
    """A version or a commit: milliseconds; unknown ("") after 20 s."""
    try:
        return run_bounded(cmd, 20, capture=True).stdout.strip()
    except (OSError, TimedOut):
        return ""


def _cmake_cache(preset="release"):
    cache = {}
    try:
        with open(os.path.join(build_dir(preset), "CMakeCache.txt")) as f:
            for line in f:
                if "=" in line and ":" in line.split("=", 1)[0]:
                    key, value = line.rstrip("\n").split("=", 1)
                    cache[key.split(":")[0]] = value
    except OSError:
        pass
    return cache


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f
                        if line.startswith("model name")), "")
    except OSError:
        pass
    cache = _cmake_cache()
    compiler = cache.get("CMAKE_CXX_COMPILER", "c++")
    versions = {}
    for pkg in LIBRARIES:
        v = _out(["dpkg-query", "-W", "-f=${Version}", pkg])
        if v:
            versions[pkg] = v
    commit = _out(["git", "rev-parse", "HEAD"])
    if commit and _out(["git", "status", "--porcelain", "--untracked-files=no"]):
        commit += " (with uncommitted changes)"
    return {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "commit": commit,
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "os": f"{platform.system()} {platform.release()}",
        "compiler": (_out([compiler, "--version"]).splitlines() or [compiler])[0],
        "flags": " ".join(x for x in (cache.get("CMAKE_CXX_FLAGS", ""),
                                      cache.get("CMAKE_CXX_FLAGS_RELEASE", "")) if x),
        "build_type": cache.get("CMAKE_BUILD_TYPE", ""),
        "libraries": versions,
        "go_toolchains": go_toolchains(),
        **strategies_of_your_own(),
    }


def strategies_of_your_own():
    """--with-map headers this run's builds included (slotlab_cli/user_maps.py)."""
    from slotlab_cli import user_maps
    headers = [os.path.relpath(h, ROOT) if h.startswith(ROOT) else h for h in user_maps.headers_in_use()]
    return {"with_map": headers} if headers else {}


def go_toolchains():
    """Which go binary each map generation is measured with; a missing one says why."""
    from slotlab_cli import go_toolchains as toolchains
    found = {}
    for generation in toolchains.GENERATIONS:
        try:
            go, version = toolchains.toolchain(generation)
            found[generation] = f"{version} ({go})"
        except Exception as e:  # Failure: recorded, not fatal -- meta.json describes, never gates
            found[generation] = f"missing: {e}"
    return found


def write_json(path, value):
    """Atomic: a temporary file, then a rename; a crash leaves the old file or the new."""
    tmp = f"{path}.partial.{os.getpid()}"
    with open(tmp, "w") as f:
        json.dump(value, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(tmp, path)


def merge_into(run_dir, part):
    """Adds `part` to run_dir/meta.json: machine facts only where missing, `part`'s keys
    always (a producer owns its own keys)."""
    path = os.path.join(run_dir, "meta.json")
    try:
        with open(path) as f:
            meta = json.load(f)
    except (OSError, ValueError):
        meta = {}
    for key, value in machine().items():
        meta.setdefault(key, value)
    meta.update(part)
    write_json(path, meta)
