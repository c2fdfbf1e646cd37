"""The two Go toolchains slotlab measures, each pinned to the map generation it reads.

Go's map changed under the same syntax: Go 1.19-1.23 ship the classic bucketed map
(runtime/map.go: hmap, bmap, tophash), every Go since 1.24 ships Swiss tables
(internal/runtime/maps). A program that reads the runtime's memory through unsafe
is written for one layout; reading Go 1.26's map header as a Go 1.19 hmap gives
garbage, not an error. So each side names the generation it needs and gets a
toolchain whose `go version` falls in it -- never whatever `go` leads PATH:

  classic: SLOTLAB_GO_CLASSIC, else Debian's golang-go (/usr/lib/go-1.19/bin/go, or
           another /usr/lib/go-1.2[0-3]), else `go` on PATH if it is 1.19-1.23;
  swiss:   SLOTLAB_GO_SWISS, else `go` on PATH, else /usr/local/go/bin/go, if >= 1.24.

A candidate that exists but reports the wrong version is skipped; when none fits,
one line names the generation, what was found, and how to get the right one.
GOTOOLCHAIN=local and GOPROXY=off are set for every Go command: nothing downloads.
"""
import functools
import glob
import os
import re
import shutil

from slotlab_cli.common import BUILD_ROOT, Failure, TimedOut, run_bounded

GO_BUILD = os.path.join(BUILD_ROOT, "go")
# `go version` answers in milliseconds; a cold `go build` of a standard-library
# program compiles the packages it imports into the empty cache: ~1 min on 2 busy
# cores, so 10 minutes is a hang.
VERSION_SECONDS = 30
BUILD_SECONDS = 600

# (name, lowest minor, highest minor or None, how to get one)
GENERATIONS = {
    "classic": ("the classic map (Go 1.19-1.23)", 19, 23,
                "`scripts/slotlab setup` installs Debian's golang-go (/usr/lib/go-1.19/bin/go), "
                "or set SLOTLAB_GO_CLASSIC to a Go 1.19-1.23 binary"),
    "swiss": ("the Swiss-table map (Go >= 1.24)", 24, None,
              "install Go >= 1.24 from go.dev first on PATH, or set SLOTLAB_GO_SWISS to its "
              "go binary"),
}


def go_env(generation):
    """Each generation keeps its own cache: a 1.19 build cache is no use to 1.26."""
    root = os.path.join(GO_BUILD, generation)
    env = dict(os.environ)
    env.update(GOCACHE=os.path.join(root, "cache"), GOPATH=os.path.join(root, "path"),
               GOPROXY="off", GOFLAGS="", GO111MODULE="on", CGO_ENABLED="0", GOENV="off",
               GOTOOLCHAIN="local")
    env.pop("GOROOT", None)  # a GOROOT left in the environment would point one go at another's tree
    return env


def version_of(go):
    """('go1.19.8', 1, 19) for a go binary, or None if it does not run."""
    try:
        proc = run_bounded([go, "version"], VERSION_SECONDS, capture=True, env=go_env("probe"))
    except (OSError, TimedOut):
        return None
    m = re.search(r"\bgo(\d+)\.(\d+)(\S*)", proc.stdout)
    if proc.returncode != 0 or not m:
        return None
    return f"go{m.group(1)}.{m.group(2)}{m.group(3)}", int(m.group(1)), int(m.group(2))


def _candidates(generation):
    env_var = "SLOTLAB_GO_CLASSIC" if generation == "classic" else "SLOTLAB_GO_SWISS"
    if os.environ.get(env_var):
        return [os.environ[env_var]], env_var
    if generation == "classic":
        found = sorted(glob.glob("/usr/lib/go-1.2[0-3]/bin/go")) + ["/usr/lib/go-1.19/bin/go"]
        found.append(shutil.which("go") or "")
    else:
        found = [shutil.which("go") or "", "/usr/local/go/bin/go"]
    return [c for c in found if c and os.path.exists(c)], None


@functools.lru_cache(maxsize=None)
def toolchain(generation):
    """(path to go, version string) for `classic` or `swiss`; Failure with one line if none."""
    what, lo, hi, how = GENERATIONS[generation]
    candidates, env_var = _candidates(generation)
    seen = []
    for go in candidates:
        v = version_of(go)
        if v is None:
            seen.append(f"{go} (does not run)")
            continue
        text, major, minor = v
        if major == 1 and minor >= lo and (hi is None or minor <= hi):
            return os.path.realpath(go), text
        seen.append(f"{go} is {text}")
    found = "; ".join(seen) if seen else "no go binary found"
    if env_var:
        found = f"{env_var}={os.environ[env_var]}: {found}"
    raise Failure(f"no Go toolchain with {what} ({found}); {how}")


def go_build(generation, source_dir, output, flags=(), env=None):
    """`go build [flags] -o output` of a standard-library program with the generation's
    toolchain; env: variables to override (e.g. CGO_ENABLED=1, which -race needs)."""
    go, version = toolchain(generation)
    os.makedirs(os.path.dirname(output), exist_ok=True)
    proc = run_bounded([go, "build", *flags, "-o", output, "."], BUILD_SECONDS, cwd=source_dir,
                       env={**go_env(generation), **(env or {})}, capture=True)
    if proc.returncode != 0:
        rel = os.path.relpath(source_dir, os.path.dirname(BUILD_ROOT))
        raise Failure(f"go build of {rel} with {version} ({go}) failed: {proc.stderr.strip()}")
    return version
