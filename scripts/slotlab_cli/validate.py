"""slotlab validate go: the C++ model of Go's map (strategy `go`) against the real
Go 1.19 runtime, on the same `churn` workload.

Trajectories (default): n=6000 live keys (B=10) and 96,000 churn ops, a row
every 6,000 ops, for --seeds seeds on each side. The model runs in the trace
tool (`--map go`, strong hash; its overflow_buckets column is the model's
noverflow); the runtime runs in scripts/go/churnmap, a real map[uint64]uint64
whose hmap header (B, noverflow) is read through unsafe. Only checkpoints
before the first same-size grow of any run are compared (after it the
counter restarts at a seed-dependent moment, so means mix two regimes).

Tolerance, per checkpoint c: the runtime's seed-to-seed standard deviation
s_c says how far one run's noverflow strays; if the model were the same
random process, the difference of the two means would have standard deviation
s_c * sqrt(1/S_model + 1/S_runtime). A checkpoint fails when the means differ
by more than 5 of those, with a floor of 1 overflow bucket for a checkpoint
where every runtime seed agrees exactly. Why 5 and not 2 or 3: s_c is itself
estimated from S runs and can come out low, ~14 correlated checkpoints are
tested at once, and the model's S runs are a fixed sample (its seeds are
1..S). Measured: with S = 10 and z = 4, 2 of 30 repeated checks of the
faithful model failed by chance; with S = 30 and z = 5 none did, and the
worst checkpoint used at most ~0.8 of its tolerance. A model that skips
emptyOne slots on insert fails by a factor of ~30; one that forgets to count
evacuation's overflow buckets in noverflow (a shift of a few percent) fails by
~1.2-1.3x -- near the limit of what 30 seeds can resolve.

Speed (--speed): the same churn loop timed in C++ (bench/go_runtime, Google
Benchmark, fixed op count) and in Go (churnmap speed, same op count), at n =
2^10, 2^16, 2^20, --reps repetitions each, interleaved size by size; medians
and the ratio model/runtime of wall time and of CPU time (CPU is the fairer
figure on a shared machine: Go's is the process's getrusage, GC included;
C++'s is Google Benchmark's cpu_time).

--large: the same comparison at n=300,000 (B=16, 3M ops, 10 seeds), where
incrnoverflow samples (each new overflow bucket counts with probability 1/2),
into validation/go_b16.json + go_b16.svg; about 30 s, a step of `slotlab test` (a bug
in the sampled counting above B = 16 passes the B = 10 check).

Writes validation/go.json + go.svg (trajectories) or validation/go_speed.json
(speed) into the run directory (reports/RUN_LAYOUT.md).
"""
import collections
import csv
import io
import json
import math
import os
import statistics
import sys
import time

from slotlab_cli import go_toolchains
from slotlab_cli.common import (BUILD_ROOT, ROOT, TRACE_TOOL, Failure, Progress, UsageError,
                                cmake_build, new_run_dir, run_bounded, say, tool, workload_seconds)

Scenario = collections.namedtuple("Scenario", "name n ops every B seeds stem")
# The check: B = 10 (6000 <= 6.5 * 1024), past the first same-size grow (~85,000
# ops) for most seeds; runs are cheap (~0.1 s model, ~0.02 s runtime each).
STANDARD = Scenario("B=10", 6000, 96000, 6000, 10, 30, "go")
# --large: B = 16, where incrnoverflow counts each new overflow bucket with
# probability 1/2; 3M ops stay below the same-size grow (noverflow 2^15).
LARGE = Scenario("B=16", 300000, 3000000, 300000, 16, 10, "go_b16")
Z = 5.0
TOLERANCE_FLOOR = 1.0
SPEED_SIZES = [(1 << 10, 1 << 21), (1 << 16, 1 << 21), (1 << 20, 1 << 22)]  # (n, timed ops)

GO_SOURCE = os.path.join(ROOT, "scripts", "go", "churnmap")
CHURNMAP = os.path.join(go_toolchains.GO_BUILD, "classic", "churnmap")
SPEED_BENCH = "bench/go_runtime/slotlab_go_churn_bench"


def register(sub):
    p = sub.add_parser(
        "validate", help="check a model against the real thing (go: the Go runtime's map)",
        description="Compares the C++ models of Go's maps with the real runtimes: go (classic, "
                    "Go 1.19), goswiss (Swiss tables, Go >= 1.24), reuse (slot by slot, both).")
    p.add_argument("target", choices=["go"] + list(OTHER_TARGETS),
                   help="what to validate (go: the classic map, Go 1.19; goswiss: the Swiss-table "
                        "map, Go >= 1.24; reuse: slot-by-slot reuse on both runtimes)")
    p.add_argument("--run-dir", help="write into this run directory (default: a new one)")
    p.add_argument("--seeds", type=int,
                   help=f"seeds per side (go: default {STANDARD.seeds}, {LARGE.seeds} with --large; "
                        "goswiss, reuse: 10; at least 3)")
    p.add_argument("--large", action="store_true",
                   help=f"compare at n={LARGE.n} (B=16, sampled noverflow) instead (about 30 s; "
                        "also a step of `slotlab test`)")
    p.add_argument("--speed", action="store_true",
                   help="time the churn loop in the model and in the runtime instead")
    p.add_argument("--reps", type=int, default=5, help="--speed: repetitions per size (default 5)")
    for module in other_modules():  # options only one target takes
        if hasattr(module, "add_arguments"):
            module.add_arguments(p)
    p.set_defaults(func=run)


# validate targets with modules of their own: target -> module under slotlab_cli
OTHER_TARGETS = {"goswiss": "validate_swiss", "reuse": "validate_reuse"}


def other_modules():
    import importlib
    return [importlib.import_module(f"slotlab_cli.{m}") for m in OTHER_TARGETS.values()]


def run(args):
    if args.seeds is not None and args.seeds < 3:
        raise UsageError(f"--seeds must be at least 3 (a spread needs several runs), got {args.seeds}")
    if args.reps < 1:
        raise UsageError(f"--reps must be at least 1, got {args.reps}")
    if args.run_dir is not None and not os.path.isdir(args.run_dir):
        raise UsageError(f"--run-dir {args.run_dir} is not a directory")
    if args.target in OTHER_TARGETS:
        import importlib
        return importlib.import_module(f"slotlab_cli.{OTHER_TARGETS[args.target]}").run(args)
    if args.self_check:
        raise UsageError("--self-check applies to `validate goswiss` only")
    build_churnmap()
    run_dir = args.run_dir or new_run_dir()
    out = os.path.join(run_dir, "validation")
    os.makedirs(out, exist_ok=True)
    scenario = LARGE if args.large else STANDARD
    if args.seeds is not None:
        scenario = scenario._replace(seeds=args.seeds)
    if args.speed:
        ok = speed(args.reps, out)
    else:
        ok = trajectories(scenario, out)
    if args.run_dir is None:
        print(run_dir)
    if not ok:
        raise Failure("the model's overflow trajectory is outside the runtime's tolerance "
                      f"(see {os.path.join(out, scenario.stem + '.json')})")
    return 0


def go_trajectories_into(run_dir):
    """For `slotlab run`: writes validation/go.json + go.svg into run_dir; True on pass."""
    build_churnmap()
    out = os.path.join(run_dir, "validation")
    os.makedirs(out, exist_ok=True)
    return trajectories(STANDARD, out, table=sys.stderr)  # run's stdout is its run directory


# --- building and running both sides ----------------------------------------------------

def build_churnmap():
    """churnmap reads runtime.hmap: it is built only by a Go whose map is the classic one."""
    go_toolchains.go_build("classic", GO_SOURCE, CHURNMAP)


def read_csv(cmd, seconds):
    """The CSV a tool prints; Failure naming the command if it fails or outlasts its bound."""
    proc = run_bounded(cmd, seconds, capture=True)
    if proc.returncode != 0:
        raise Failure(f"'{' '.join(cmd)}' failed (exit {proc.returncode}): {proc.stderr.strip()}")
    return list(csv.DictReader(io.StringIO(proc.stdout)))


def model_run(sc, seed):
    rows = read_csv([tool("release", TRACE_TOOL), "--map", "go", "--workload", "churn",
                     "--hash", "strong", "--n", str(sc.n), "--ops", str(sc.ops),
                     "--every", str(sc.every), "--seed", str(seed)],
                    workload_seconds(sc.n, sc.ops, sc.ops // sc.every + 1))
    return [{"ops": int(r["ops"]), "B": int(r["buckets_log2"]),
             "noverflow": int(r["overflow_buckets"]),
             # the fill's doublings happen before ops=0; any grow after it is same-size at n=6000
             "grown": int(r["rehashes"]) > 0} for r in rows]


def runtime_run(sc, seed):
    rows = read_csv([CHURNMAP, "trace", "--n", str(sc.n), "--ops", str(sc.ops),
                     "--every", str(sc.every), "--seed", str(seed)],
                    workload_seconds(sc.n, sc.ops, sc.ops // sc.every + 1))
    return [{"ops": int(r["ops"]), "B": int(r["B"]), "noverflow": int(r["noverflow"]),
             "grown": int(r["same_size_grows"]) > 0 or int(r["growing"]) > 0} for r in rows]


# --- trajectories ------------------------------------------------------------------------

def trajectories(sc, out, table=None):
    cmake_build("release", ["slotlab_trace"])
    seeds = sc.seeds
    say(f"slotlab validate go: churn n={sc.n} ({sc.name}), {sc.ops} ops, {seeds} seeds each side")
    progress = Progress("slotlab validate go", 2 * seeds, "runs")
    model = [model_run(sc, s) for s in progress.each(range(1, seeds + 1), lambda s: f"model seed {s}")]
    runtime = [runtime_run(sc, s)
               for s in progress.each(range(1, seeds + 1), lambda s: f"runtime seed {s}")]
    progress.close()
    checkpoints = [r["ops"] for r in runtime[0]]
    for runs, side in ((model, "model"), (runtime, "runtime")):
        for run_rows in runs:
            if [r["ops"] for r in run_rows] != checkpoints:
                raise Failure(f"the {side} trace has different checkpoints")
            if run_rows[0]["B"] != sc.B:
                raise Failure(f"the {side} holds {sc.n} keys in B={run_rows[0]['B']}, "
                              f"expected {sc.B}")

    rows, verdict = [], True
    for c, ops in enumerate(checkpoints):
        m = [run_rows[c]["noverflow"] for run_rows in model]
        r = [run_rows[c]["noverflow"] for run_rows in runtime]
        before_grow = not any(run_rows[c]["grown"] for run_rows in model + runtime)
        b_constant = all(run_rows[c]["B"] == sc.B for run_rows in model + runtime)
        sd_r = statistics.stdev(r)
        tol = tolerance(sd_r, len(m), len(r))
        diff = statistics.mean(m) - statistics.mean(r)
        ok = abs(diff) <= tol if before_grow else None
        if ok is False or not b_constant:
            verdict = False
        rows.append({"ops": ops, "compared": before_grow, "B_constant": b_constant,
                     "model_mean": statistics.mean(m), "model_sd": statistics.stdev(m),
                     "runtime_mean": statistics.mean(r), "runtime_sd": sd_r,
                     "difference": diff, "tolerance": tol, "ok": ok,
                     "model_runs": m, "runtime_runs": r})
    compared = [row for row in rows if row["compared"]]
    if len(compared) < 3:
        verdict = False
        say("slotlab validate go: fewer than 3 checkpoints before the first same-size grow")

    print_table(rows, sc, table or sys.stdout)
    result = {
        "workload": {"name": "churn", "n": sc.n, "B": sc.B, "ops": sc.ops, "every": sc.every,
                     "seeds": seeds, "key_stream": "KeyStream(seed), seeds 1..S"},
        "model": {"what": "slotlab strategy go (C++), trace tool --map go --hash strong",
                  "hash": "harness strong hash (fmix64) xor a per-map seed",
                  "counter": "noverflow (MapStats.overflow_buckets)"},
        "runtime": {"what": "real Go map[uint64]uint64, scripts/go/churnmap",
                    "go_version": go_version(), "hash": "runtime aeshash, per-map seed",
                    "counter": "hmap.noverflow read through unsafe"},
        "tolerance": {"rule": "|mean_model - mean_runtime| <= max(z * sd_runtime * "
                              "sqrt(1/S_model + 1/S_runtime), floor) at every checkpoint "
                              "before the first same-size grow of any run",
                      "z": Z, "floor": TOLERANCE_FLOOR},
        "checkpoints": rows,
        "compared_checkpoints": len(compared),
        "max_abs_difference_over_tolerance": max(
            (abs(row["difference"]) / row["tolerance"] for row in compared), default=None),
        "verdict": "pass" if verdict else "fail",
    }
    write_json(os.path.join(out, sc.stem + ".json"), result)
    plot(rows, sc, os.path.join(out, sc.stem + ".svg"))
    say(f"slotlab validate go: {result['verdict']} ({len(compared)} checkpoints compared, "
        f"worst |difference|/tolerance = {result['max_abs_difference_over_tolerance']:.2f})"
        if compared else f"slotlab validate go: {result['verdict']}")
    return verdict


def tolerance(sd, n_model, n_runtime, z=Z, floor=TOLERANCE_FLOOR):
    """How far two means of S_model and S_runtime seeds may differ if the model is the
    runtime's random process: z standard errors of the difference, `sd` standing for
    both sides' seed-to-seed sd, never below floor (when every seed agrees exactly).
    validate go passes the runtime's sd (a model's own spread does not widen its
    tolerance); validate goswiss and reuse the pooled sd of both sides (pooled_sd)."""
    return max(z * sd * math.sqrt(1 / n_model + 1 / n_runtime), floor)


# Model seeds per runtime seed, for the comparisons that pool both sides' sds: a model
# trace costs a tenth of a runtime one, and 3x the seeds make the model's mean a sample
# of its own process rather than of 10 fixed seeds (validate_swiss.py and
# validate_reuse.py say what 10 fixed seeds did).
MODEL_SEEDS_PER_RUNTIME = 3


def pooled_sd(a, b):
    """The seed-to-seed sd of both sides pooled: if the model is the runtime's process
    (what is tested), both samples estimate one sd, and 10 runtime seeds alone misjudge
    it by 2x often enough to fail a faithful model."""
    var_a, var_b = statistics.variance(a), statistics.variance(b)
    return (((len(a) - 1) * var_a + (len(b) - 1) * var_b) / (len(a) + len(b) - 2)) ** 0.5


def print_table(rows, sc, stream):
    print(f"{'ops':>7}  {'model noverflow':>17}  {'runtime noverflow':>17}  "
          f"{'diff':>7}  {'tol':>6}  verdict", file=stream)
    for row in rows:
        state = {True: "ok", False: "FAIL", None: "(after a same-size grow: not compared)"}
        print(f"{row['ops']:>7}  {row['model_mean']:>8.1f} ± {row['model_sd']:>6.1f}  "
              f"{row['runtime_mean']:>8.1f} ± {row['runtime_sd']:>6.1f}  "
              f"{row['difference']:>+7.1f}  {row['tolerance']:>6.1f}  {state[row['ok']]}"
              + ("" if row["B_constant"] else f"  B != {sc.B}!"), file=stream)


def go_version(generation="classic"):
    go, version = go_toolchains.toolchain(generation)
    return f"{version} ({go})"


def write_json(path, data):
    tmp = path + ".partial"
    with open(tmp, "w") as f:
        json.dump(data, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


def pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


# The validation plots' look: model blue, runtime orange, mean line with a ±1 sd band.
MODEL_COLOR, RUNTIME_COLOR = "tab:blue", "tab:orange"


def band(ax, ops, mean, sd, label, color):
    ax.plot(ops, mean, marker="o", markersize=3, color=color, label=label)
    ax.fill_between(ops, [a - b for a, b in zip(mean, sd)], [a + b for a, b in zip(mean, sd)],
                    color=color, alpha=0.2)


def save_svg(fig, path):
    plt = pyplot()
    fig.tight_layout()
    tmp = path + ".partial.svg"
    fig.savefig(tmp, format="svg")
    plt.close(fig)
    os.replace(tmp, path)


def plot(rows, sc, path):
    plt = pyplot()
    ops = [row["ops"] for row in rows]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for key, label, color in (("model", "C++ model (strategy go)", MODEL_COLOR),
                              ("runtime", "Go 1.19 runtime", RUNTIME_COLOR)):
        band(ax, ops, [row[f"{key}_mean"] for row in rows], [row[f"{key}_sd"] for row in rows],
             f"{label}, mean of {sc.seeds} seeds", color)
    compared = [row["ops"] for row in rows if row["compared"]]
    if compared and compared[-1] != ops[-1]:
        ax.axvline(compared[-1], color="grey", linestyle="--",
                   label="last checkpoint before the first same-size grow")
    threshold = 1 << min(sc.B, 15)
    if max(row["runtime_mean"] for row in rows) > threshold / 2:
        ax.axhline(threshold, color="black", linewidth=0.8, linestyle=":",
                   label=f"same-size grow threshold 2^min(B,15) = {threshold}")
    ax.set_xlabel(f"churn ops (erase + insert pairs), n = {sc.n} live keys, B = {sc.B}")
    ax.set_ylabel("noverflow (hmap counter)")
    ax.set_title("Overflow buckets under churn: model vs real Go map (band: ±1 sd across seeds)")
    ax.legend(fontsize=8, loc="lower right")
    save_svg(fig, path)


# --- speed ---------------------------------------------------------------------------------

# One side-by-side timing: the model's Google Benchmark (bench/go_runtime) and churnmap speed
# built for the generation the model models.
SpeedSide = collections.namedtuple("SpeedSide", "name benchmark churnmap generation stem model")
GO_SPEED = SpeedSide("go", "go_model_churn", CHURNMAP, "classic", "go_speed",
                     "slotlab strategy go, uint64 -> uint64, strong hash (fmix64), Google Benchmark "
                     "(bench/go_runtime), -O2")


def speed(reps, out, side=GO_SPEED):
    cmake_build("release", ["slotlab_go_churn_bench"])
    results = []
    progress = Progress(f"slotlab validate {side.name} --speed", len(SPEED_SIZES), "sizes")
    for n, ops in progress.each(SPEED_SIZES, lambda size: f"n={size[0]}"):
        say(f"slotlab validate {side.name} --speed: n={n}, {ops} churn ops, {reps} repetitions "
            "each side")
        bench_json = os.path.join(out, f".{side.name}_model_{n}.json")
        proc = run_bounded(
            [tool("release", SPEED_BENCH), f"--benchmark_filter={side.benchmark}/{n}/",
             f"--benchmark_repetitions={reps}", "--benchmark_format=json",
             f"--benchmark_out={bench_json}", "--benchmark_out_format=json"],
            workload_seconds(n, reps * ops, reps), capture=True)
        if proc.returncode != 0:
            raise Failure(f"the model benchmark failed: {proc.stderr.strip()}")
        with open(bench_json) as f:
            runs = [b for b in json.load(f)["benchmarks"] if b.get("run_type") == "iteration"]
        os.unlink(bench_json)
        if not runs:
            raise Failure(f"the model benchmark has no {side.benchmark}/{n} in {SPEED_BENCH}")
        if any(b["iterations"] != ops for b in runs):
            raise Failure("the model benchmark ran a different op count than the Go side")
        model_wall = [b["real_time"] for b in runs]
        model_cpu = [b["cpu_time"] for b in runs]
        go_rows = read_csv([side.churnmap, "speed", "--n", str(n), "--ops", str(ops),
                            "--reps", str(reps)], workload_seconds(n, reps * ops, reps))
        go_wall = [float(r["ns_per_op"]) for r in go_rows]
        go_cpu = [float(r["cpu_ns_per_op"]) for r in go_rows]
        row = {"n": n, "ops": ops, "repetitions": reps,
               "model_wall_ns_per_op": model_wall, "model_cpu_ns_per_op": model_cpu,
               "runtime_wall_ns_per_op": go_wall, "runtime_cpu_ns_per_op": go_cpu,
               "median_model_wall": statistics.median(model_wall),
               "median_runtime_wall": statistics.median(go_wall),
               "median_model_cpu": statistics.median(model_cpu),
               "median_runtime_cpu": statistics.median(go_cpu)}
        row["ratio_wall"] = row["median_model_wall"] / row["median_runtime_wall"]
        row["ratio_cpu"] = row["median_model_cpu"] / row["median_runtime_cpu"]
        results.append(row)
    progress.close()
    print(f"{'n':>8}  {'model ns/op':>12}  {'runtime ns/op':>13}  {'ratio':>6}  "
          f"{'model cpu':>10}  {'runtime cpu':>11}  {'ratio':>6}   (medians; ratio = model/runtime)")
    for r in results:
        print(f"{r['n']:>8}  {r['median_model_wall']:>12.1f}  {r['median_runtime_wall']:>13.1f}  "
              f"{r['ratio_wall']:>6.2f}  {r['median_model_cpu']:>10.1f}  "
              f"{r['median_runtime_cpu']:>11.1f}  {r['ratio_cpu']:>6.2f}")
    write_json(os.path.join(out, side.stem + ".json"), {
        "workload": "churn: fill n keys untimed, then `ops` erase+insert pairs timed; "
                    "KeyStream keys, splitmix64 picks; same loop on both sides",
        "model": side.model,
        "runtime": f"Go map[uint64]uint64, scripts/go/churnmap speed ({go_version(side.generation)}), "
                   "wall: time.Now, cpu: getrusage of the process",
        "target": "ratio <= 1.0 at every size",
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "sizes": results,
    })
    return True
