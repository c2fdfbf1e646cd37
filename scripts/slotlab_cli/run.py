"""slotlab run: the main job. Setup, build, then every producer into one new run
directory (reports/RUN_LAYOUT.md): meta.json, traces, the quick benchmark profile,
validations, a short fuzz run, the fuzz mutants; then the report. Prints the report's path.

Each producer is one entry in PRODUCERS. A producer whose command does not exist
in this checkout is skipped, a failing or overrunning one is recorded; both show
up in the report (run.json) instead of stopping the run.
"""
import json
import os
import sys
import time

from slotlab_cli import metadata, setup
from slotlab_cli.common import (ROOT, Failure, Progress, TimedOut, UsageError, cmake_build,
                                map_summaries, new_run_dir, registered_maps, run_bounded, say)
from slotlab_cli.trace import trace_to_file

SLOTLAB = os.path.join(ROOT, "scripts", "slotlab")

# Drift traces: 16 turnovers of a 2^16-key map, a row per turnover, for every map.
CHURN_TRACE = ["--workload", "churn", "--n", "65536", "--ops", "1048576", "--every", "65536",
               "--hash", "strong", "--seed", "1"]
# Anti-drift: 40 grow-shrink rounds (erase 65536 -> 6553, refill: 117966 ops), a row
# at the end of each refill so every row sees the map at size n.
GROW_SHRINK_TRACE = ["--workload", "grow-shrink", "--n", "65536", "--ops", str(40 * 117966),
                     "--every", "117966", "--hash", "strong", "--seed", "1"]
GROW_SHRINK_MAPS = ("absl", "boost", "go", "goswiss", "tombstone", "graveyard", "backshift", "robin",
                    "dense")
# Load sweep of the linear-probing family (fixed capacity), 8 turnovers each.
LOAD_FAMILY = ("backshift", "tombstone", "graveyard")
LOADS = ("0.5", "0.7", "0.8", "0.9", "0.95")
LOAD_TRACE = ["--workload", "churn", "--n", "65536", "--ops", "524288", "--every", "65536",
              "--hash", "strong", "--seed", "1"]

# (step name, slotlab argv (the run dir is appended as --run-dir), time limit in seconds),
# most important first: each also stops at the run's overall budget (BUDGET).
PRODUCERS = [
    ("bench", ["bench", "--profile", "quick"], 360),
    ("validate go", ["validate", "go"], 60),
    ("validate goswiss", ["validate", "goswiss"], 90),
    ("validate reuse", ["validate", "reuse"], 60),
    # +30 s: the per-operation sweep (theory_ordered.py, quick); +40 s: the rebuild-interval
    # sweep (~30 s at n = 2^16 here), so the report's graveyard section has its trade-off.
    ("theory", ["theory", "--interval-sweep"], 170),
    ("fuzz", ["fuzz", "--seconds", "10"], 150),
    ("validate go speed", ["validate", "go", "--speed", "--reps", "3"], 60),
    ("validate goswiss speed", ["validate", "goswiss", "--speed", "--reps", "3"], 60),
    # After every validate producer: its claims read validation/go.json and go_reuse.json.
    # ~40 s once the Go and ASan builds exist; a fresh clone builds 4 Go binaries (two
    # with the race runtime) and the ASan stale-pointer tool first (~3-4 min).
    ("seed", ["seed"], 240),
    # Last, as the longest: lean mutant builds (~10 s each, fuzz_mutants.py) and at
    # most 30 s of fuzzing per mutant (each was caught within seconds); results are
    # written after every mutant, so a step cut short by the budget keeps them.
    ("fuzz mutants", ["fuzz", "--mutants", "--seconds", "30"], 300),
]

# The whole run, setup excluded, stays within 10 minutes on 2 cores: a producer gets
# at most what is left of BUDGET (minus REPORT_RESERVE for the page), and is skipped
# when less than MIN_STEP seconds are left.
BUDGET = 585
REPORT_RESERVE = 20
MIN_STEP = 20


def register(sub):
    p = sub.add_parser("run", help="the main job: build, measure, validate, fuzz, report")
    p.add_argument("--budget", type=int, default=BUDGET, metavar="SECONDS",
                   help=f"time for the whole run, setup and the build excluded (default "
                        f"{BUDGET}: 10 minutes on 2 cores; each step's limit grows in proportion)")
    p.add_argument("--skip", action="append", default=[], metavar="STEP",
                   help="leave a producer out (" + ", ".join(n for n, _, _ in PRODUCERS) + ")")
    p.set_defaults(func=run)


def trace_jobs(maps, load_sweep=True):
    """(map, options, file name) of every trace the run records itself. load_sweep:
    False when `slotlab theory` is there to write the same fixed-load traces."""
    jobs = [(m, CHURN_TRACE, f"{m}-churn.csv") for m in maps]
    jobs += [(m, GROW_SHRINK_TRACE, f"{m}-grow-shrink.csv") for m in maps if m in GROW_SHRINK_MAPS]
    if load_sweep:
        jobs += [(m, LOAD_TRACE + ["--load", a], f"{m}-churn-load{a}.csv")
                 for m in maps if m in LOAD_FAMILY for a in LOADS]
    return jobs


def record_traces(run_dir, maps):
    traces = os.path.join(run_dir, "traces")
    os.makedirs(traces, exist_ok=True)
    manifest = {}
    for name, options, filename in trace_jobs(maps, load_sweep=not command_exists(["theory"])):
        say(f"slotlab run: trace {filename}")
        start = time.monotonic()
        if trace_to_file(["--map", name] + options, os.path.join(traces, filename)):
            raise Failure(f"the trace {filename} failed")
        manifest[filename] = {"command": " ".join(["scripts/slotlab", "trace", "--map", name] + options),
                              "seconds": round(time.monotonic() - start, 2),
                              "mtime_ns": os.stat(os.path.join(traces, filename)).st_mtime_ns}
    metadata.write_json(os.path.join(traces, "manifest.json"), manifest)


def note_replaced_traces(run_dir):
    """bench's drift cells write traces/<map>-churn.csv too (longer): the manifest must
    not claim the run's own command for a file a producer replaced."""
    path = os.path.join(run_dir, "traces", "manifest.json")
    with open(path) as f:
        manifest = json.load(f)
    for filename, entry in manifest.items():
        csv_path = os.path.join(run_dir, "traces", filename)
        if os.path.exists(csv_path) and os.stat(csv_path).st_mtime_ns != entry.get("mtime_ns"):
            entry["command"] = "replaced by a producer (bench's drift cell or theory's sweep)"
            entry.pop("seconds", None)
        entry.pop("mtime_ns", None)
    metadata.write_json(path, manifest)


def command_exists(argv):
    """True when `slotlab <argv...> --help` works: the producer has landed."""
    words = [a for a in argv if not a.startswith("-")][:2]
    proc = run_bounded([SLOTLAB, *words[:1], "--help"], 60, capture=True)  # argparse: < 1 s
    if proc.returncode != 0:
        return False
    if len(words) > 1:  # a sub-subcommand, e.g. `validate go`
        return run_bounded([SLOTLAB, *words, "--help"], 60, capture=True).returncode == 0
    return True


def run_producer(run_dir, name, argv, limit, left, budget=BUDGET):
    """Runs one producer with its output in logs/; returns its run.json entry.
    left: seconds of the run's budget still available."""
    cmd_text = "scripts/slotlab " + " ".join(argv)
    entry = {"step": name, "command": cmd_text}
    if not command_exists(argv):
        entry.update(status="skipped", reason=f"`{cmd_text}` does not exist in this checkout yet")
        say(f"slotlab run: skipped {name}: not in this checkout")
        return entry
    if left < MIN_STEP:
        entry.update(status="skipped", reason=f"the run's {budget} s budget was spent before this "
                                              "step (`scripts/slotlab run --budget S` gives more)")
        say(f"slotlab run: skipped {name}: no time left in the run's budget")
        return entry
    limit = int(min(limit, left))
    log_rel = f"logs/{name.replace(' ', '-')}.log"
    os.makedirs(os.path.join(run_dir, "logs"), exist_ok=True)
    say(f"slotlab run: {cmd_text} (at most {limit} s; log: {log_rel})")
    start = time.monotonic()
    try:  # the limit is the run's budget, already in seconds of this machine: not scaled
        code = run_bounded([SLOTLAB, *argv, "--run-dir", run_dir], limit,
                           os.path.join(run_dir, log_rel), scaled=False).returncode
    except TimedOut:
        code = None
    entry.update(seconds=round(time.monotonic() - start, 1), log=log_rel)
    if code == 0:
        entry["status"] = "ok"
    elif code is None:
        entry.update(status="failed", reason=f"stopped after its {limit} s budget (see {log_rel})")
    else:
        entry.update(status="failed", reason=f"exit {code} (see {log_rel})")
    if entry["status"] != "ok":
        say(f"slotlab run: {name} {entry['reason']}")
    return entry


def build_tools(skip):
    """Builds every C++ tool the producers run before the budget starts, so that a
    fresh clone's first run measures as much as a later one: compiling the three
    presets' tools takes ~10-15 min on 2 idle cores (13 maps in every binary), more
    than the whole budget. Returns the seconds it took (run.json's `build` step).
    The lean builds of `fuzz --mutants` stay in that producer (one per mutant)."""
    from slotlab_cli import bench, fuzz
    t = time.monotonic()
    cmake_build("release", sorted(set(bench.TARGETS) | {"slotlab_op_costs",
                                                         "slotlab_go_churn_bench"}))
    if "fuzz" not in skip or "fuzz mutants" not in skip:
        cmake_build("fuzz", fuzz.build_targets(fuzz.TARGETS))
    if "seed" not in skip:
        cmake_build("asan", ["slotlab_stale_pointer"])
    return round(time.monotonic() - t, 1)


def run(args):
    unknown = [s for s in args.skip if s not in {n for n, _, _ in PRODUCERS}]
    if unknown:
        raise UsageError(f"--skip {unknown[0]}: valid steps: {', '.join(n for n, _, _ in PRODUCERS)}")
    if args.budget < 60:
        raise UsageError(f"--budget {args.budget}: at least 60 seconds")
    setup.ensure_packages()
    build_seconds = build_tools(args.skip)
    start = time.monotonic()  # the 10-minute budget counts from here, packages installed, tools built
    maps = registered_maps()
    run_dir = new_run_dir()
    say(f"slotlab run: writing {os.path.relpath(run_dir, ROOT)}")
    metadata.merge_into(run_dir, {"maps": maps, "map_summaries": map_summaries()})  # + machine, build, ...
    steps = [{"step": "build", "command": "cmake --build (release, fuzz, asan tools)",
              "status": "ok", "seconds": build_seconds}]
    t = time.monotonic()
    # ETA: an upper bound, what is left of the budget (each step stops at its share).
    progress = Progress("slotlab run", 1 + len(PRODUCERS), "steps")
    progress.update(label="traces", eta=args.budget, bound=True)
    record_traces(run_dir, maps)
    steps.append({"step": "traces", "command": "scripts/slotlab trace (traces/manifest.json)",
                  "status": "ok", "seconds": round(time.monotonic() - t, 1)})
    for name, argv, limit in PRODUCERS:
        progress.update(done=progress.done + 1, label=name, bound=True,
                        eta=max(0, args.budget - (time.monotonic() - start)))
        if name in args.skip:
            steps.append({"step": name, "command": "scripts/slotlab " + " ".join(argv),
                          "status": "skipped", "reason": "left out with --skip"})
            continue
        left = args.budget - REPORT_RESERVE - (time.monotonic() - start)
        scaled = limit * max(1.0, args.budget / BUDGET)  # a bigger budget is for every step
        steps.append(run_producer(run_dir, name, argv, scaled, left, args.budget))
        metadata.write_json(os.path.join(run_dir, "run.json"), {"steps": steps})
    progress.update(done=progress.total, label="report")
    progress.close()
    note_replaced_traces(run_dir)
    metadata.write_json(os.path.join(run_dir, "run.json"),
               {"steps": steps, "seconds": round(time.monotonic() - start, 1)})
    from slotlab_cli import report
    path = report.render(run_dir)
    say(f"slotlab run: done in {time.monotonic() - start:.0f} s")
    print(path)
    sys.stdout.flush()
    return 0
