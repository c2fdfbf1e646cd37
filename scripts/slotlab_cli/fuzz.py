"""slotlab fuzz: runs the libFuzzer targets (fuzz/) time-bounded and reports.

Each target fuzzes into a working corpus under build/fuzz-corpus/<target>/,
reading the committed fuzz/corpus/<target>/ as a second, read-only directory
(libFuzzer only writes new inputs into the first). Crash reproducers go to the
run directory's fuzz/artifacts/, never into a corpus. A finding exits 1 and
prints the reproducer's path; copying it into fuzz/corpus/<target>/ makes it a
regression input that every fuzz run (`scripts/slotlab test`'s included) replays
under ASan + UBSan before it fuzzes.

--mutants applies each fuzz/mutants/*.patch to a scratch copy of the tree
(build/mutants/src), builds the fuzz targets there and fuzzes until the bug is
caught or the time is up; every mutant must be caught.
"""
import json
import os
import re
import shutil
import subprocess
import time

from slotlab_cli.common import (BUILD_ROOT, ROOT, BoundedProcess, Failure, UsageError, build_dir,
                                cmake_build, new_run_dir, registered_maps, say, stopping)

FUZZ_DIR = os.path.join(ROOT, "fuzz")
# Fuzz target -> the libFuzzer binary (fuzz_<body>) it runs. A target is a
# binary plus its fuzz/<target>.options; differential_deep is the differential
# body with long inputs (tables of ~1000 keys: in-place rebuilds, same-size
# grows, long chains), at a fraction of the exec/s. Both share the committed
# corpus fuzz/corpus/differential/.
TARGET_BODIES = {"differential": "differential", "differential_deep": "differential"}
TARGETS = list(TARGET_BODIES)
TIMEOUT_S = 10          # one input taking longer is a finding (a hang)


def fuzzer_seconds(seconds):
    """Time bound of a fuzzer process told -max_total_time=seconds: libFuzzer stops
    itself then, after replaying the corpus first (a working corpus of thousands of
    inputs: tens of seconds) and a single input can take TIMEOUT_S; twice the time
    plus two minutes is a fuzzer that ignores its own limit."""
    return 2 * seconds + 120
RSS_LIMIT_MB = 2048
MUTANT_SECONDS = 120
SANITIZER_ENV = {
    # No allocation stacks (malloc_context_size=0): recording them cost ~10% of
    # the run time; replay a reproducer without ASAN_OPTIONS to see the full
    # allocation and free stacks of a report. A 64 MiB quarantine still holds
    # far more than one input frees (maps of at most a few thousand keys), so
    # a use after free within an input is still caught, and the allocator
    # reuses warm pages instead of faulting in new ones (page faults were 7%).
    "ASAN_OPTIONS": ("detect_leaks=1:malloc_context_size=0:quarantine_size_mb=64:"
                     "allocator_may_return_null=0:handle_abort=1"),
    "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
}


def register(sub):
    p = sub.add_parser("fuzz", help="run the libFuzzer targets time-bounded (or prove them on mutants)")
    p.add_argument("--seconds", type=float,
                   help=f"fuzzing time per target (default 60), or per mutant (default and at most {MUTANT_SECONDS})")
    p.add_argument("--target", choices=TARGETS, help="one target (default: all)")
    p.add_argument("--max-len", type=int, help="override the target's -max_len (bigger = deeper, slower)")
    p.add_argument("--jobs", type=int,
                   help=f"fuzzing processes per target, sharing one working corpus (default: the cores, {os.cpu_count()})")
    p.add_argument("--maps", help="fuzz only these strategies' lanes (comma-separated registry names; "
                                  "default: every registered strategy)")
    p.add_argument("--run-dir", help="write fuzz/summary.json into this run directory")
    p.add_argument("--mutants", action="store_true",
                   help=f"apply each fuzz/mutants/*.patch and fuzz it (<= {MUTANT_SECONDS} s each)")
    p.add_argument("--mutant", action="append", help="only this mutant (file name without .patch)")
    p.set_defaults(func=run)


def target_options(target):
    """libFuzzer flags from fuzz/<target>.options, the file OSS-Fuzz reads too.

    -max_len bounds the ops an input can ask for (fuzz/targets/differential.cpp).
    -entropic=0: the entropic schedule scans its rare-feature list for every
    feature of every run, and these targets have ~50,000 features (templates
    instantiated per key type, hasher and strategy); it cost 4x in exec/s.
    """
    import configparser
    path = os.path.join(FUZZ_DIR, f"{target}.options")
    if not os.path.exists(path):
        return []
    parser = configparser.ConfigParser()
    parser.read(path)
    return [f"-{key}={os.path.join(FUZZ_DIR, value) if key == 'dict' else value}"
            for key, value in parser.items("libfuzzer")] if parser.has_section("libfuzzer") else []


def binary(build, target):
    return os.path.join(build, "fuzz", f"fuzz_{TARGET_BODIES[target]}")


def build_targets(targets):
    return sorted({f"fuzz_{TARGET_BODIES[t]}" for t in targets})


def committed_corpus(target):
    return os.path.join(FUZZ_DIR, "corpus", TARGET_BODIES[target])


def parse_output(text):
    """Coverage, corpus size and exec/s from libFuzzer's status lines and final stats."""
    out = {}
    for line in text.splitlines():
        m = re.match(r"#(\d+)\s+(INITED|NEW|REDUCE|pulse|DONE|RELOAD)\s+cov: (\d+) ft: (\d+) corp: (\d+)/", line)
        if m:
            out.update(execs=int(m.group(1)), cov=int(m.group(3)), ft=int(m.group(4)),
                       corpus=int(m.group(5)))
        m = re.match(r"stat::(\w+):\s+(\d+)", line)
        if m:
            out["stat_" + m.group(1)] = int(m.group(2))
        m = re.search(r"Test unit written to (\S+)", line)
        if m:
            out["reproducer"] = m.group(1)
        m = re.search(r"slotlab fuzz finding: (.*)", line)
        if m:
            out.setdefault("finding", m.group(1))
        m = re.search(r"ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer): ?(.*)", line)
        if m:
            out.setdefault("sanitizer", f"{m.group(1)}: {m.group(2)}".strip())
        m = re.search(r"runtime error: (.*)", line)
        if m:
            out.setdefault("sanitizer", "UndefinedBehaviorSanitizer: " + m.group(1))
    if "stat_number_of_executed_units" in out:
        out["execs"] = out["stat_number_of_executed_units"]
    return out


def fuzz_target(build, target, seconds, work_root, artifacts, max_len=None, log_path=None, jobs=1):
    """Fuzzes one target for `seconds` with `jobs` processes; returns the result record.

    The processes are independent libFuzzer instances (seeds 1..jobs) on one
    working corpus: each writes its new inputs there and reloads the others'
    every second (libFuzzer's -reload), as `-jobs` would, but here each one's
    statistics and exit status are read separately and summed. The first
    finding stops the others. result: ok | finding.
    """
    work = os.path.join(work_root, target)
    os.makedirs(work, exist_ok=True)
    os.makedirs(artifacts, exist_ok=True)
    committed = committed_corpus(target)
    options = target_options(target)
    if max_len:
        options = [o for o in options if not o.startswith("-max_len=")] + [f"-max_len={max_len}"]
    base = [binary(build, target), f"-max_total_time={max(1, int(round(seconds)))}",
            f"-timeout={TIMEOUT_S}", f"-rss_limit_mb={RSS_LIMIT_MB}",
            f"-artifact_prefix={artifacts.rstrip('/')}/", "-print_final_stats=1"] + options
    env = dict(os.environ, **SANITIZER_ENV)
    log_path = log_path or os.path.join(work_root, f"{target}.log")
    logs = [log_path if jobs == 1 else f"{log_path[:-len('.log')]}.{k + 1}.log" for k in range(jobs)]
    for path in logs:
        os.makedirs(os.path.dirname(path), exist_ok=True)
    start = time.monotonic()
    cpu_before = cpu_seconds_of_children()
    procs = []
    failed = None
    with stopping(procs):
        for k, path in enumerate(logs):
            procs.append(BoundedProcess(base + [f"-seed={k + 1}", work, committed],
                                        fuzzer_seconds(seconds), path,
                                        stdout=subprocess.DEVNULL, env=env))
        while any(p.poll() is None for p in procs):
            failed = failed or next((p for p in procs if p.poll() not in (None, 0)), None)
            if failed:
                for p in procs:
                    if p.poll() is None:
                        p.terminate()
            time.sleep(0.1)
    failed = failed or next((p for p in procs if p.returncode != 0), None)
    elapsed = time.monotonic() - start
    cpu = cpu_seconds_of_children() - cpu_before
    per_job = []
    for path in logs:
        with open(path, errors="replace") as f:
            per_job.append(parse_output(f.read()))
    execs = sum(j.get("execs") or 0 for j in per_job) or None

    def best(key):
        return max((j[key] for j in per_job if j.get(key) is not None), default=None)

    record = {
        "target": target,
        "jobs": jobs,
        "seconds": round(elapsed, 1),
        "execs": execs,
        "exec_per_s": round(execs / elapsed) if execs and elapsed > 0 else None,
        # On a shared machine wall-clock exec/s understates the target: this is
        # per second of the fuzzers' own CPU time (user + system).
        "exec_per_cpu_s": round(execs / cpu) if execs and cpu > 0 else None,
        "cpu_seconds": round(cpu, 1),
        # Coverage and corpus: the best single process (they share the corpus).
        "cov": best("cov"),
        "ft": best("ft"),
        "corpus_size": best("corpus"),
        "peak_rss_mb": best("stat_peak_rss_mb"),
        "options": base[1:] + [f"-seed=1..{jobs}"],
        "result": "ok" if failed is None else "finding",
    }
    if failed is not None:
        stats = per_job[procs.index(failed)]
        record["reproducer"] = stats.get("reproducer")
        record["message"] = stats.get("finding") or stats.get("sanitizer") or f"exit {failed.returncode}"
        record["exit_code"] = failed.returncode
        record["log"] = logs[procs.index(failed)]
    return record


def cpu_seconds_of_children():
    import resource
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def write_json_atomically(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".partial"
    with open(tmp, "w") as f:
        json.dump(data, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


def print_target(r, build=None):
    rate = f"{r['exec_per_s']:,}" if r["exec_per_s"] is not None else "-"
    per_cpu = f"{r['exec_per_cpu_s']:,}" if r["exec_per_cpu_s"] is not None else "-"
    say(f"slotlab fuzz: {r['target']}: {r['result']}, {r['execs'] or 0:,} execs in {r['seconds']} s "
        f"by {r['jobs']} process(es) ({rate} exec/s wall, {per_cpu} per CPU-second), cov {r['cov']}, "
        f"ft {r['ft']}, corpus {r['corpus_size']}")
    if r["result"] != "ok":
        say(f"slotlab fuzz: {r['target']}: {r['message']}")
        body = TARGET_BODIES[r["target"]]
        replay = os.path.relpath(os.path.join(build or build_dir("fuzz"), "fuzz", f"fuzz_{body}"), ROOT)
        say(f"slotlab fuzz: reproducer: {r.get('reproducer')} (replay: {replay} "
            f"FILE; keep it as a regression: cp FILE fuzz/corpus/{body}/)")


def lanes_cache(lanes):
    """The fuzz build's cache for a lane selection (fuzz/CMakeLists.txt, SLOTLAB_FUZZ_LANES)."""
    return {"SLOTLAB_FUZZ_LANES": ",".join(lanes)} if lanes else None


def run_targets(seconds, targets, run_dir, max_len=None, work_root=None, jobs=None, lanes=None):
    """Builds and fuzzes `targets` (with only the lanes of `lanes`, if given); returns the records."""
    jobs = jobs or os.cpu_count() or 1
    cmake_build("fuzz", build_targets(targets), lanes_cache(lanes))
    build = build_dir("fuzz", lanes_cache(lanes))
    work_root = work_root or os.path.join(BUILD_ROOT, "fuzz-corpus")
    records = []
    for target in targets:
        say(f"slotlab fuzz: {target} for {seconds:g} s (working corpus: "
            f"{os.path.relpath(os.path.join(work_root, target), ROOT)})")
        r = fuzz_target(build, target, seconds, work_root,
                        os.path.join(run_dir, "fuzz", "artifacts", target), max_len,
                        os.path.join(run_dir, "fuzz", f"{target}.log"), jobs)
        r["lanes"] = list(lanes) if lanes else "every registered strategy"
        print_target(r, build)
        records.append(r)
    return records


def check_args(args):
    if args.seconds is not None and args.seconds <= 0:
        raise UsageError("--seconds must be positive")
    if args.max_len is not None and args.max_len < 2:
        raise UsageError("--max-len must be at least 2 (version and configuration bytes)")
    if args.run_dir is not None and not os.path.isdir(args.run_dir):
        raise UsageError(f"--run-dir {args.run_dir}: no such directory")
    if args.mutant and not args.mutants:
        raise UsageError("--mutant needs --mutants")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.maps is not None and args.mutants:
        raise UsageError("--maps does not apply to --mutants (each mutant builds the lanes it patches)")


def selected_lanes(maps):
    """--maps a,b checked against the registry (the user's --with-map strategies included)."""
    if maps is None:
        return None
    lanes = list(dict.fromkeys(m.strip() for m in maps.split(",") if m.strip()))
    if not lanes:
        raise UsageError("--maps names no map")
    known = registered_maps()
    for m in lanes:
        if m not in known:
            raise UsageError(f"--maps: unknown map '{m}'; valid maps: {', '.join(known)}")
    return lanes


def run(args):
    check_args(args)
    run_dir = os.path.abspath(args.run_dir) if args.run_dir else None
    if args.mutants:
        from slotlab_cli import fuzz_mutants
        mutants = fuzz_mutants.select(args.mutant)  # UsageError before any run dir exists
        run_dir = run_dir or new_run_dir()

        def record(results):  # after every mutant: a run stopped halfway keeps what it measured
            summary = load_summary(run_dir)
            summary["mutants"] = results
            summary["mutants_planned"] = len(mutants)
            summary["mutants_how"] = (f"each patch applied to a copy of the tree, built at "
                                      f"{fuzz_mutants.MUTANT_CXX_FLAGS} with the lanes it names, "
                                      f"fuzzed from the committed corpus for at most {seconds:g} s")
            write_json_atomically(os.path.join(run_dir, "fuzz", "summary.json"), summary)

        seconds = min(args.seconds or MUTANT_SECONDS, MUTANT_SECONDS)
        results = fuzz_mutants.run_all(mutants, seconds, run_dir, record)
        missed = [m["mutant"] for m in results if m["result"] not in ("caught", "skipped")]
        skipped = [m["mutant"] for m in results if m["result"] == "skipped"]
        if not args.run_dir:
            print(run_dir)
        if missed:
            raise Failure(f"{len(missed)} of {len(results)} mutants missed: {', '.join(missed)}")
        if skipped:
            say(f"slotlab fuzz: {len(skipped)} mutants skipped (their strategy is not in this tree): "
                f"{', '.join(skipped)}")
        say(f"slotlab fuzz: all {len(results) - len(skipped)} applicable mutants caught")
        return 0
    targets = [args.target] if args.target else TARGETS
    lanes = selected_lanes(args.maps)
    run_dir = run_dir or new_run_dir()
    records = run_targets(args.seconds or 60, targets, run_dir, args.max_len, jobs=args.jobs,
                          lanes=lanes)
    summary = load_summary(run_dir)
    summary["targets"] = {r["target"]: r for r in records}
    summary["how"] = ("libFuzzer (clang-14, -fsanitize=fuzzer,address,undefined, no trace-cmp), "
                      f"{os.cpu_count()} cores, {records[0]['jobs']} process(es) per target sharing one "
                      "working corpus; exec/s = executions of all processes / wall-clock seconds")
    write_json_atomically(os.path.join(run_dir, "fuzz", "summary.json"), summary)
    if not args.run_dir:
        print(run_dir)
    found = [r for r in records if r["result"] != "ok"]
    if found:
        raise Failure("finding in " + ", ".join(f"{r['target']} (reproducer: {r.get('reproducer')})"
                                                 for r in found))
    return 0


def load_summary(run_dir):
    path = os.path.join(run_dir, "fuzz", "summary.json")
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    return {}


def test_step():
    """`scripts/slotlab test`: a short fuzz run of every target, each replaying the committed
    corpus first (the project's only corpus regression check: see fuzz/CMakeLists.txt)."""
    run_dir = os.path.join(BUILD_ROOT, "fuzz-test-run")
    work_root = os.path.join(BUILD_ROOT, "fuzz-test-corpus")
    for path in (run_dir, work_root):  # every test run starts from the committed corpus
        shutil.rmtree(path, ignore_errors=True)
    records = run_targets(TEST_SECONDS, TARGETS, run_dir, work_root=work_root)
    found = [r for r in records if r["result"] != "ok"]
    if found:
        raise Failure("finding in " + ", ".join(f"{r['target']} (reproducer: {r.get('reproducer')})"
                                                 for r in found))


TEST_SECONDS = 10
