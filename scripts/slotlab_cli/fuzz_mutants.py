"""`slotlab fuzz --mutants`: proof that the fuzz targets catch real bugs.

Each fuzz/mutants/<name>.patch is a realistic bug (its first line says which;
a `# lanes:` line names the strategies whose code it changes). The tree is
copied once into build/mutants/src (the working tree's files, so uncommitted
changes count); then for each mutant: apply the patch, rebuild the fuzz targets
there, fuzz from the committed corpus until a finding or the time limit, revert
the patch. Caught = the fuzzer reported a finding; time-to-catch is wall-clock
from the fuzzer's start, and "caught while" tells whether the committed corpus
already caught it (a regression input) or fuzzing did.

Mutant builds are lean, so that all of them fit in `scripts/slotlab run`: -O0
(a third of -O1's compile time; the checks are the same code) and only the
lanes of the strategies the patch names (SLOTLAB_FUZZ_LANES) -- a bug in one
strategy is caught by its own lane against its oracle, the other lanes would
add build and run time but no check. A mutant build takes ~10 s instead of
~90 s; time-to-catch is therefore that of the mutated lanes alone.
"""
import glob
import os
import shutil

from slotlab_cli.common import (BUILD_ROOT, ROOT, Failure, Progress, UsageError, build_dir,
                                cmake_build, run_bounded, run_logged, say)

# Time bounds: git and patch answer in well under a second on this tree; the
# baseline replays the committed corpus (tens of inputs, < 1 s) once per target.
QUICK_TOOL_SECONDS = 60
BASELINE_SECONDS = 300

MUTANTS_DIR = os.path.join(ROOT, "fuzz", "mutants")
SCRATCH = os.path.join(BUILD_ROOT, "mutants")


def available():
    return sorted(os.path.splitext(os.path.basename(p))[0]
                  for p in glob.glob(os.path.join(MUTANTS_DIR, "*.patch")))


def select(names):
    known = available()
    if not known:
        raise UsageError("no mutants in fuzz/mutants/")
    for n in names or []:
        if n not in known:
            raise UsageError(f"unknown mutant '{n}'; valid mutants: {', '.join(known)}")
    return names or known


def description(name):
    with open(os.path.join(MUTANTS_DIR, name + ".patch")) as f:
        return f.readline().strip().lstrip("# ").strip()


def copy_tree(dest):
    """Syncs the working tree's files (tracked and new, not ignored) into dest.

    Files whose content is unchanged are left alone, so the scratch build stays
    incremental from one --mutants run to the next; files gone from the tree go.
    """
    import filecmp
    proc = run_bounded(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                       QUICK_TOOL_SECONDS, capture=True)
    if proc.returncode != 0:
        raise Failure(f"git ls-files failed (exit {proc.returncode}): {proc.stderr.strip()}")
    files = proc.stdout.split("\0")
    wanted = set()
    for rel in files:
        src = os.path.join(ROOT, rel)
        if not rel or not os.path.isfile(src):
            continue
        wanted.add(rel)
        target = os.path.join(dest, rel)
        if os.path.isfile(target) and filecmp.cmp(src, target, shallow=False):
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(src, target)
    for dirpath, dirnames, filenames in os.walk(dest):
        if os.path.relpath(dirpath, dest).split(os.sep)[0] == "build":
            dirnames[:] = []
            continue
        for name in filenames:
            rel = os.path.relpath(os.path.join(dirpath, name), dest)
            if rel not in wanted:
                os.unlink(os.path.join(dirpath, name))


def lanes(name):
    """The strategies a mutant's `# lanes:` header line names ([] = every lane)."""
    names = []
    with open(os.path.join(MUTANTS_DIR, name + ".patch")) as f:
        for line in f:
            if line.startswith("---"):
                break
            if line.startswith("# lanes:"):
                names += line[len("# lanes:"):].split()
    return names


def patched_files(name):
    with open(os.path.join(MUTANTS_DIR, name + ".patch")) as f:
        return [line[len("+++ b/"):].split("\t")[0].strip() for line in f if line.startswith("+++ b/")]


def patch(src, name, reverse=False):
    cmd = ["patch", "-p1", "--batch", "--forward", "--quiet", "-d", src,
           "-i", os.path.join(MUTANTS_DIR, name + ".patch")]
    if reverse:
        cmd.insert(1, "-R")
    proc = run_bounded(cmd, QUICK_TOOL_SECONDS, capture=True)
    return proc.returncode == 0, (proc.stdout + proc.stderr).strip()


# -O0 and no debug info: mutant builds compile in a third of the time (see above).
MUTANT_CXX_FLAGS = "-O0 -DNDEBUG"


def build(src, logs, lane_names=()):
    from slotlab_cli import fuzz
    run_logged(["cmake", "--preset", "fuzz", f"-DCMAKE_CXX_FLAGS_RELEASE={MUTANT_CXX_FLAGS}",
                f"-DSLOTLAB_FUZZ_LANES={','.join(lane_names)}"],
               os.path.join(logs, "configure.log"), cwd=src)
    run_logged(["cmake", "--build", "--preset", "fuzz"] +
               sum((["--target", t] for t in fuzz.build_targets(fuzz.TARGETS)), []),
               os.path.join(logs, "build.log"), cwd=src)


def entry(name, **fields):
    """One mutant's record in fuzz/summary.json (reports/RUN_LAYOUT.md)."""
    return {"mutant": name, "description": description(name), "lanes": lanes(name) or "all", **fields}


def check_lanes(names):
    """Every `# lanes:` name must be a registered strategy, or its build would fuzz nothing."""
    from slotlab_cli.common import registered_maps
    known = set(registered_maps())
    for name in names:
        unknown = [lane for lane in lanes(name) if lane not in known]
        if unknown:
            raise Failure(f"fuzz/mutants/{name}.patch: '# lanes:' names {', '.join(unknown)}, "
                          f"not a registered strategy ({', '.join(sorted(known))})")


def run_all(names, seconds, run_dir, on_result=lambda results: None):
    """Runs the mutants in order; on_result(results so far) after each one, so a
    run stopped halfway keeps what it measured."""
    from slotlab_cli import fuzz
    check_lanes(names)
    src = os.path.join(SCRATCH, "src")
    logs = os.path.join(run_dir, "fuzz", "mutants")
    say(f"slotlab fuzz: copying the tree to {os.path.relpath(src, ROOT)}")
    copy_tree(src)
    # The unmutated targets must pass the committed corpus, or a "catch" would mean
    # nothing. The scratch copy is the working tree's files, so the working tree's
    # own fuzz build answers that (`scripts/slotlab run` has just built it).
    say("slotlab fuzz: the unmutated targets must pass the committed corpus (baseline)")
    cmake_build("fuzz", fuzz.build_targets(fuzz.TARGETS))
    for target in fuzz.TARGETS:
        proc = run_bounded([fuzz.binary(build_dir("fuzz"), target), "-runs=0",
                            fuzz.committed_corpus(target)], BASELINE_SECONDS, capture=True,
                           env=dict(os.environ, **fuzz.SANITIZER_ENV))
        if proc.returncode != 0:
            raise Failure(f"the unmutated {target} target fails its committed corpus; fix that first")
    results = []
    progress = Progress("slotlab fuzz --mutants", len(names), "mutants")
    for name in progress.each(names):
        on_result(results)
        say(f"slotlab fuzz: mutant {name}: {description(name)} (lanes: {' '.join(lanes(name)) or 'all'})")
        missing = [p for p in patched_files(name) if not os.path.exists(os.path.join(src, p))]
        if missing:
            # A strategy not merged into this tree yet: say so, neither caught nor missed.
            results.append(entry(name, result="skipped", detail=f"not in this tree: {', '.join(missing)}"))
            say(f"slotlab fuzz: mutant {name}: skipped, not in this tree: {', '.join(missing)}")
            continue
        ok, output = patch(src, name)
        if not ok:
            results.append(entry(name, result="patch failed", detail=output))
            say(f"slotlab fuzz: mutant {name}: the patch does not apply: {output.splitlines()[:1]}")
            continue
        try:
            build(src, os.path.join(logs, name), lanes(name))
            per_target = []
            for target in fuzz.TARGETS:
                work = os.path.join(SCRATCH, "corpus", name)
                shutil.rmtree(work, ignore_errors=True)
                # The mutant's time is shared: fast target first, then the deep one.
                r = fuzz.fuzz_target(os.path.join(src, "build", "fuzz"), target,
                                     seconds / len(fuzz.TARGETS), work,
                                     os.path.join(logs, name, "artifacts"),
                                     log_path=os.path.join(logs, name, f"{target}.log"))
                per_target.append(r)
                if r["result"] != "ok":
                    break
        except Failure as e:
            results.append(entry(name, result="build failed", detail=str(e)))
            say(f"slotlab fuzz: mutant {name}: build failed: {e}")
            continue
        finally:
            patch(src, name, reverse=True)
        caught = next((r for r in per_target if r["result"] != "ok"), None)
        if caught:
            with open(caught["log"], errors="replace") as f:
                log = f.read()
            during = "fuzzing" if "INITED" in log else "corpus replay"
            results.append(entry(name, result="caught", target=caught["target"],
                                 seconds_to_catch=caught["seconds"], caught_during=during,
                                 message=caught.get("message"), reproducer=caught.get("reproducer")))
            say(f"slotlab fuzz: mutant {name}: CAUGHT by {caught['target']} in {caught['seconds']} s "
                f"(during {during}): {caught.get('message')}")
        else:
            results.append(entry(name, result="missed", seconds=sum(r["seconds"] for r in per_target)))
            say(f"slotlab fuzz: mutant {name}: MISSED after {seconds:g} s")
    progress.close()
    on_result(results)
    say("slotlab fuzz: mutant          result   time-to-catch")
    for r in results:
        t = f"{r['seconds_to_catch']} s ({r['caught_during']})" if r["result"] == "caught" else "-"
        say(f"slotlab fuzz:   {r['mutant']:<40} {r['result']:<8} {t}")
    return results
