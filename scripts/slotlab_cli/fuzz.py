"""slotlab fuzz: runs the libFuzzer targets (fuzz/) time-bounded and reports.

Each target fuzzes into a working corpus under build/fuzz-corpus/<target>/,
reading the committed fuzz/corpus/<target>/ as a second, read-only directory
(libFuzzer only writes new inputs into the first). Crash reproducers go to the
run directory's fuzz/artifacts/, never into a corpus. A finding exits 1 and
prints the reproducer's path; copying it into fuzz/corpus/<target>/ makes it a
regression input that ctest replays in every preset.

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

from slotlab_cli.common import (BUILD_ROOT, ROOT, Failure, UsageError, cmake_build,
                                new_run_dir, run_logged, say)

FUZZ_DIR = os.path.join(ROOT, "fuzz")
# Fuzz target -> the libFuzzer binary (fuzz_<body>) it runs. A target is a
# binary plus its fuzz/<target>.options; differential_deep is the differential
# body with long inputs (tables of ~1000 keys: in-place rebuilds, same-size
# grows, long chains), at a fraction of the exec/s. Both share the committed
# corpus fuzz/corpus/differential/.
TARGET_BODIES = {"differential": "differential", "differential_deep": "differential"}
TARGETS = list(TARGET_BODIES)
TIMEOUT_S = 10          # one input taking longer is a finding (a hang)
RSS_LIMIT_MB = 2048
MUTANT_SECONDS = 120
SANITIZER_ENV = {
    # Short allocation stacks: recording them was ~20% of the run time; rerun a
    # reproducer without this to see the full allocation stack of a report.
    "ASAN_OPTIONS": "detect_leaks=1:malloc_context_size=4:allocator_may_return_null=0:handle_abort=1",
    "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
}


def register(sub):
    p = sub.add_parser("fuzz", help="run the libFuzzer targets time-bounded (or prove them on mutants)")
    p.add_argument("--seconds", type=float,
                   help=f"fuzzing time per target (default 60), or per mutant (default and at most {MUTANT_SECONDS})")
    p.add_argument("--target", choices=TARGETS, help="one target (default: all)")
    p.add_argument("--max-len", type=int, help="override the target's -max_len (bigger = deeper, slower)")
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


def fuzz_target(build, target, seconds, work_root, artifacts, max_len=None, log_path=None):
    """Fuzzes one target for `seconds`; returns the result record (result: ok | finding)."""
    work = os.path.join(work_root, target)
    os.makedirs(work, exist_ok=True)
    os.makedirs(artifacts, exist_ok=True)
    committed = committed_corpus(target)
    options = target_options(target)
    if max_len:
        options = [o for o in options if not o.startswith("-max_len=")] + [f"-max_len={max_len}"]
    cmd = [binary(build, target), f"-max_total_time={max(1, int(round(seconds)))}",
           f"-timeout={TIMEOUT_S}", f"-rss_limit_mb={RSS_LIMIT_MB}",
           f"-artifact_prefix={artifacts.rstrip('/')}/", "-print_final_stats=1"] + options
    cmd += [work, committed]
    start = time.monotonic()
    cpu_before = cpu_seconds_of_children()
    proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace",
                          env=dict(os.environ, **SANITIZER_ENV))
    elapsed = time.monotonic() - start
    cpu = cpu_seconds_of_children() - cpu_before
    if log_path:
        os.makedirs(os.path.dirname(log_path), exist_ok=True)
        with open(log_path, "w") as f:
            f.write(proc.stderr)
    stats = parse_output(proc.stderr)
    record = {
        "target": target,
        "seconds": round(elapsed, 1),
        "execs": stats.get("execs"),
        "exec_per_s": round(stats["execs"] / elapsed) if stats.get("execs") and elapsed > 0 else None,
        # On a shared machine wall-clock exec/s understates the target: this is
        # per second of the fuzzer's own CPU time (user + system).
        "exec_per_cpu_s": round(stats["execs"] / cpu) if stats.get("execs") and cpu > 0 else None,
        "cpu_seconds": round(cpu, 1),
        "cov": stats.get("cov"),
        "ft": stats.get("ft"),
        "corpus_size": stats.get("corpus"),
        "peak_rss_mb": stats.get("stat_peak_rss_mb"),
        "options": cmd[1:-2],
        "result": "ok" if proc.returncode == 0 else "finding",
    }
    if proc.returncode != 0:
        record["reproducer"] = stats.get("reproducer")
        record["message"] = stats.get("finding") or stats.get("sanitizer") or f"exit {proc.returncode}"
        record["exit_code"] = proc.returncode
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


def print_target(r):
    rate = f"{r['exec_per_s']:,}" if r["exec_per_s"] is not None else "-"
    per_cpu = f"{r['exec_per_cpu_s']:,}" if r["exec_per_cpu_s"] is not None else "-"
    say(f"slotlab fuzz: {r['target']}: {r['result']}, {r['execs'] or 0:,} execs in {r['seconds']} s "
        f"({rate} exec/s wall, {per_cpu} per CPU-second), cov {r['cov']}, ft {r['ft']}, "
        f"corpus {r['corpus_size']}")
    if r["result"] != "ok":
        say(f"slotlab fuzz: {r['target']}: {r['message']}")
        body = TARGET_BODIES[r["target"]]
        say(f"slotlab fuzz: reproducer: {r.get('reproducer')} (replay: build/fuzz/fuzz/fuzz_{body} "
            f"FILE; keep it as a regression: cp FILE fuzz/corpus/{body}/)")


def run_targets(seconds, targets, run_dir, max_len=None, work_root=None):
    """Builds and fuzzes `targets`; writes run_dir/fuzz/summary.json; returns the records."""
    cmake_build("fuzz", build_targets(targets))
    work_root = work_root or os.path.join(BUILD_ROOT, "fuzz-corpus")
    records = []
    for target in targets:
        say(f"slotlab fuzz: {target} for {seconds:g} s (working corpus: "
            f"{os.path.relpath(os.path.join(work_root, target), ROOT)})")
        r = fuzz_target(os.path.join(BUILD_ROOT, "fuzz"), target, seconds, work_root,
                        os.path.join(run_dir, "fuzz", "artifacts", target), max_len,
                        os.path.join(run_dir, "fuzz", f"{target}.log"))
        print_target(r)
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


def run(args):
    check_args(args)
    run_dir = os.path.abspath(args.run_dir) if args.run_dir else None
    if args.mutants:
        from slotlab_cli import fuzz_mutants
        mutants = fuzz_mutants.select(args.mutant)  # UsageError before any run dir exists
        run_dir = run_dir or new_run_dir()
        results = fuzz_mutants.run_all(mutants, min(args.seconds or MUTANT_SECONDS, MUTANT_SECONDS), run_dir)
        summary = load_summary(run_dir)
        summary["mutants"] = results
        write_json_atomically(os.path.join(run_dir, "fuzz", "summary.json"), summary)
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
    run_dir = run_dir or new_run_dir()
    records = run_targets(args.seconds or 60, targets, run_dir, args.max_len)
    summary = load_summary(run_dir)
    summary["targets"] = {r["target"]: r for r in records}
    summary["how"] = ("libFuzzer (clang-14, -fsanitize=fuzzer,address,undefined), "
                      f"{os.cpu_count()} cores, one process per target, wall-clock exec/s")
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
    """`scripts/slotlab test`: a short fuzz run of every target (the corpus replay is in ctest)."""
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
