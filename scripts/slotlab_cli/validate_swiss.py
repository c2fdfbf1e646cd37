"""slotlab validate goswiss: the C++ model of Go's Swiss-table map (strategy `goswiss`)
against the real Go >= 1.24 runtime (the machine's Go 1.26), on the same `churn` workload.

Three sizes, --seeds seeds on each side (default 10):
  n = 6       a small map: one group, no table (dirLen 0), never a tombstone;
  n = 700     one table of 1024 slots after the fill; churn fills growthLeft with
              tombstones, and the first pruneTombstones frees < 10%, so the table
              splits once (2 tables, directory 2), then prunes keep it there;
  n = 50,000  64 tables after the fill, splitting towards 128 under churn.
The model runs in the trace tool (`--map goswiss`: slots, tombstones, rehashes and the
trailing tables, directory_len columns); the runtime in scripts/go/churnmap built by
the Swiss toolchain (go_toolchains "swiss"), which reads the runtime's Map header and
tables through unsafe (swiss.go, layout checked at start). Compared at every
checkpoint: slots (model) vs the tables' total capacity (runtime), tombstones (model)
vs sum of capacity*7/8 - used - growthLeft, tables, directory length, and rehashes
(model) vs grows + splits after the fill (runtime).

Tolerance: at each checkpoint and metric the means of the two sides may differ by
z pooled seed-to-seed sds (both sides' runs: if the model is the runtime's process,
both estimate one sd) times sqrt(1/S_model + 1/S_runtime), with a floor for a metric
where every seed agrees (FLOOR_SEEDS: the model may differ by one step -- a table's
capacity, a table, a rehash, a tombstone -- in 3 in 10 of its seeds). S_runtime = 10,
S_model = 30 (a model trace costs a tenth of a runtime one). Both sides are random
processes (the runtime's aeshash is seeded per map, the model's victims come from
mt19937_64, churnmap's from splitmix64): the comparison is of distributions.

Why z = 5, pooled, and 30 model seeds: 165 (checkpoint, metric) pairs are tested at
once, split and prune times are discrete and often bimodal at a checkpoint (some
seeds have pruned, some not). The first rule (runtime sd alone, 10 model seeds) failed
the faithful model in 3 of 6 runs on 2026-12-01 (worst 3.2): at n = 700, 42,000 ops,
no runtime seed of that run had pruned yet (sd 25 tombstones, model sd 323); at
n = 50,000, 25,000 ops, mid-split, model seeds 1..10 hold 83.4 tables where 40 model
seeds hold 85.0 and 60 runtime seeds 85.3, and runtime runs with sds of 1.4-1.7
(vs ~2.6 over all seeds) tightened the tolerance below that gap. --self-check (the
runtime against itself, seeds 1..S vs S+1..2S) measures the false-alarm rate. The
present rule: the faithful model passed 8 of 8 runs (worst 0.27-0.63). Planted in a
scratch copy of the model (goswiss_rehash.hpp): pruneTombstones giving up unless 5%
instead of 10% of the capacity is removable fails at n = 700 by 1.14x the tolerance
and at n = 50,000 by 1.4x (2 of 2 runs; the runtime-sd rule gave 2.6x and 3.2x);
attempting a prune from 5% tombstones instead of 10% is not seen (worst 0.31): the
removable check decides. Every delete leaving a tombstone, or inserts that never
reuse one, fail by 17x-60x.
--speed: the churn loop timed in the model (bench/go_runtime, goswiss_model_churn)
and in the runtime (churnmap speed), as `validate go --speed` does: n = 2^10, 2^16,
2^20, medians of wall and CPU time, ratio model/runtime, into validation/goswiss_speed.json.

Writes validation/goswiss.json + goswiss.svg (reports/RUN_LAYOUT.md).
"""
import collections
import os
import statistics
import sys

from slotlab_cli import go_toolchains, validate
from slotlab_cli.common import (TRACE_TOOL, Failure, UsageError, cmake_build, new_run_dir,
                                registered_maps, say, tool, workload_seconds)

Scenario = collections.namedtuple("Scenario", "name n ops every")
SCENARIOS = [
    Scenario("small map", 6, 600, 60),
    Scenario("one table, split by churn", 700, 70000, 7000),
    Scenario("many tables", 50000, 250000, 25000),
]
SEEDS = 10
# validate.MODEL_SEEDS_PER_RUNTIME model seeds per runtime seed: model seeds 1..10 sit
# 1.6 tables below the model's 40-seed mean at n = 50,000 mid-split.
Z = 5.0
# metric -> (model trace column, runtime trace column(s) summed, step, what it counts);
# step(runtime row means): the smallest change the metric makes, for the tolerance floor.
METRICS = {
    "slots": ("slots", ("capacity",), lambda r: r["slots"] / r["tables"] if r["tables"] else 8,
              "slots in all tables (8 for a small map)"),
    "tombstones": ("tombstones", ("tombstones",), lambda r: 1, "tombstones (ctrlDeleted slots)"),
    "tables": ("tables", ("tables",), lambda r: 1, "distinct tables (0 for a small map)"),
    "directory_len": ("directory_len", ("directory_len",),
                      lambda r: max(1, r["directory_len"] / 2), "directory entries"),
    "rehashes": ("rehashes", ("grows", "splits"), lambda r: 1, "grows + splits since the fill"),
}
# Where every runtime seed agrees (sd 0), the model may still differ by one step in
# FLOOR_SEEDS of its S seeds: the floor is FLOOR_SEEDS * step / S. With 3, a faithful
# model whose event (a split, say) happens by a checkpoint with probability p is
# failed there with probability (1-p)^S * P(>= 4 of S) <= ~1.3 % at S = 10.
FLOOR_SEEDS = 3
CHURNMAP = os.path.join(go_toolchains.GO_BUILD, "swiss", "churnmap")
# One model trace takes < 2 s of CPU; a model whose probes stop ending (a planted
# "every delete leaves a tombstone" does that after ~7000 ops at n = 700) must fail,
# not hang the test run.
MODEL_TIMEOUT = 120
MODEL = "goswiss"
GOSWISS_SPEED = validate.SpeedSide(
    "goswiss", "goswiss_model_churn", CHURNMAP, "swiss", "goswiss_speed",
    "slotlab strategy goswiss, uint64 -> uint64, strong hash (fmix64), Google Benchmark "
    "(bench/go_runtime), -O2")


def add_arguments(p):
    p.add_argument("--self-check", action="store_true",
                   help="goswiss: compare the runtime with itself (seeds 1..S vs S+1..2S) to "
                        "measure the tolerance's false-alarm rate; no model needed")


def run(args):
    if args.large:
        raise UsageError("--large applies to `validate go` only")
    if args.self_check and args.speed:
        raise UsageError("--self-check compares trajectories; it does not go with --speed")
    build_churnmap()
    if not args.self_check:
        require_model()
    run_dir = args.run_dir or new_run_dir()
    out = os.path.join(run_dir, "validation")
    os.makedirs(out, exist_ok=True)
    if args.speed:
        validate.speed(args.reps, out, GOSWISS_SPEED)
        ok = True
    else:
        ok = trajectories(args.seeds or SEEDS, out, self_check=args.self_check)
    if args.run_dir is None:
        print(run_dir)
    if not ok:
        raise Failure("the goswiss model is outside the runtime's tolerance "
                      f"(see {os.path.join(out, 'goswiss.json')})")
    return 0


def build_churnmap():
    """Built by a Go >= 1.24: swiss.go's build tag selects the Swiss layout."""
    go_toolchains.go_build("swiss", validate.GO_SOURCE, CHURNMAP)


def require_model():
    if MODEL not in registered_maps():
        raise Failure(f"the trace tool has no map '{MODEL}': the Swiss-table model has not "
                      "landed in this checkout")


# --- both sides --------------------------------------------------------------------------

def number(cell, what):
    if cell in ("", None):
        raise Failure(f"the {what} trace has an empty or missing cell where a count belongs")
    return int(cell)


def model_run(sc, seed):
    rows = validate.read_csv([tool("release", TRACE_TOOL), "--map", MODEL, "--workload", "churn",
                              "--hash", "strong", "--n", str(sc.n), "--ops", str(sc.ops),
                              "--every", str(sc.every), "--seed", str(seed)],
                             MODEL_TIMEOUT)
    return [dict({"ops": int(r["ops"]), "size": number(r.get("size"), "model")},
                 **{m: number(r.get(col), f"model's {col}")
                    for m, (col, _, _, _) in METRICS.items()}) for r in rows]


def runtime_run(sc, seed):
    rows = validate.read_csv([CHURNMAP, "trace", "--n", str(sc.n), "--ops", str(sc.ops),
                              "--every", str(sc.every), "--seed", str(seed)],
                             workload_seconds(sc.n, sc.ops, sc.ops // sc.every + 1))
    out = []
    for r in rows:
        row = {"ops": int(r["ops"]), "size": int(r["used"]),
               "prunes": int(r["prunes"]), "max_table_tombstones": int(r["max_table_tombstones"])}
        for m, (_, cols, _, _) in METRICS.items():
            row[m] = sum(int(r[c]) for c in cols)
        out.append(row)
    return out


# --- the comparison (pure: tests feed it fixture runs) ----------------------------------------

def compare(model_runs, runtime_runs, n, z=Z):
    """Checkpoint rows and the verdict for one scenario. *_runs: per seed, the rows
    of model_run / runtime_run. Failure if the runs do not line up."""
    checkpoints = [r["ops"] for r in runtime_runs[0]]
    for runs, side in ((model_runs, "model"), (runtime_runs, "runtime")):
        for rows in runs:
            if [r["ops"] for r in rows] != checkpoints:
                raise Failure(f"the {side} trace has different checkpoints")
            if any(r["size"] != n for r in rows):
                raise Failure(f"the {side} trace does not hold {n} keys at every checkpoint")
    out, verdict = [], True
    for c, ops in enumerate(checkpoints):
        row = {"ops": ops, "metrics": {}}
        runtime_means = {metric: statistics.mean(rows[c][metric] for rows in runtime_runs)
                         for metric in METRICS}
        for metric, (_, _, step, _) in METRICS.items():
            m = [rows[c][metric] for rows in model_runs]
            r = [rows[c][metric] for rows in runtime_runs]
            sd_r = statistics.stdev(r)
            floor = FLOOR_SEEDS * step(runtime_means) / len(r)
            tol = validate.tolerance(validate.pooled_sd(m, r), len(m), len(r), z=z, floor=floor)
            diff = statistics.mean(m) - statistics.mean(r)
            ok = abs(diff) <= tol * (1 + 1e-12)  # a floor of exactly k steps / S is met by k seeds
            verdict = verdict and ok
            row["metrics"][metric] = {
                "model_mean": statistics.mean(m), "model_sd": statistics.stdev(m),
                "runtime_mean": statistics.mean(r), "runtime_sd": sd_r,
                "difference": diff, "tolerance": tol, "floor": floor, "ok": ok,
                "model_runs": m, "runtime_runs": r}
        for extra in ("prunes", "max_table_tombstones"):
            values = [rows[c][extra] for rows in runtime_runs if extra in rows[c]]
            if values:
                row.setdefault("runtime_only", {})[extra] = statistics.mean(values)
        out.append(row)
    return out, verdict


def worst_ratio(checkpoints):
    return max((abs(v["difference"]) / v["tolerance"] for row in checkpoints
                for v in row["metrics"].values()), default=None)


def trajectories(seeds, out, self_check=False, table=None):
    stream = table or sys.stdout
    if not self_check:
        cmake_build("release", ["slotlab_trace"])
    model_side = "runtime (seeds S+1..2S)" if self_check else "C++ model (strategy goswiss)"
    model_seeds = seeds if self_check else validate.MODEL_SEEDS_PER_RUNTIME * seeds
    scenarios, verdict = [], True
    for sc in SCENARIOS:
        say(f"slotlab validate goswiss: {sc.name}, churn n={sc.n}, {sc.ops} ops, every "
            f"{sc.every}, {seeds} runtime seeds, "
            f"{model_seeds} model seeds")
        runtime = [runtime_run(sc, s) for s in range(1, seeds + 1)]
        if self_check:
            model = [runtime_run(sc, s) for s in range(seeds + 1, 2 * seeds + 1)]
        else:
            model = [model_run(sc, s) for s in range(1, model_seeds + 1)]
        rows, ok = compare(model, runtime, sc.n)
        verdict = verdict and ok
        print_table(sc, rows, model_side, stream)
        scenarios.append({"name": sc.name, "n": sc.n, "ops": sc.ops, "every": sc.every,
                          "checkpoints": rows, "verdict": "pass" if ok else "fail",
                          "max_abs_difference_over_tolerance": worst_ratio(rows)})
    worst = max(s["max_abs_difference_over_tolerance"] for s in scenarios)
    result = {
        "how": "churn (KeyStream keys, a uniformly random live key erased + a fresh key "
               "inserted per op) on both sides; model: trace tool, strong hash; runtime: a real "
               "map[uint64]uint64 read through unsafe; means over seeds compared per checkpoint",
        "workload": {"name": "churn", "seeds": seeds,
                     "model_seeds": model_seeds,
                     "key_stream": "KeyStream(seed), seeds 1..S (model: 1..3S)",
                     "scenarios": [dict(s._asdict()) for s in SCENARIOS]},
        "model": {"what": ("the runtime itself, seeds S+1..2S (--self-check)" if self_check else
                           "slotlab strategy goswiss (C++), trace tool --map goswiss --hash strong"),
                  "self_check": self_check},
        "runtime": {"what": "real Go map[uint64]uint64, scripts/go/churnmap (swiss.go)",
                    "go_version": validate.go_version("swiss"), "hash": "runtime aeshash, per-map seed",
                    "counters": "Map.dirLen, tables' capacity/used/growthLeft read through unsafe; "
                                "tombstones = capacity*7/8 - used - growthLeft per table"},
        "metrics": {m: what for m, (_, _, _, what) in METRICS.items()},
        "tolerance": {"rule": "|mean_model - mean_runtime| <= max(z * sd_pooled * "
                              "sqrt(1/S_model + 1/S_runtime), floor) at every checkpoint and metric; "
                              "sd_pooled: both sides' seed-to-seed sd pooled",
                      "z": Z, "floor": f"{FLOOR_SEEDS} * step / S_runtime, step: a table's "
                                       "capacity for slots (8 for a small map), half the "
                                       "directory for directory_len, 1 otherwise"},
        "scenarios": scenarios,
        "compared": sum(len(s["checkpoints"]) * len(METRICS) for s in scenarios),
        "max_abs_difference_over_tolerance": worst,
        "verdict": "pass" if verdict else "fail",
    }
    validate.write_json(os.path.join(out, "goswiss.json"), result)
    plot(scenarios, seeds, model_side, os.path.join(out, "goswiss.svg"))
    say(f"slotlab validate goswiss: {result['verdict']} ({result['compared']} comparisons, worst "
        f"|difference|/tolerance = {worst:.2f})")
    return verdict


def print_table(sc, rows, model_side, stream):
    print(f"{sc.name}: n={sc.n}; model = {model_side}, runtime = Go; mean ± sd over seeds; "
          "ok = within tolerance", file=stream)
    head = "".join(f"  {m + ' model':>19} {m + ' runtime':>19} {'':>4}" for m in METRICS)
    print(f"{'ops':>7}{head}", file=stream)
    for row in rows:
        cells = "".join(
            f"  {v['model_mean']:>10.1f} ± {v['model_sd']:>6.1f} {v['runtime_mean']:>10.1f} ± "
            f"{v['runtime_sd']:>6.1f} {'ok' if v['ok'] else 'FAIL':>4}"
            for v in row["metrics"].values())
        print(f"{row['ops']:>7}{cells}", file=stream)


def plot(scenarios, seeds, model_side, path):
    plt = validate.pyplot()
    panels = ("tombstones", "slots")
    fig, axes = plt.subplots(len(panels), len(scenarios), figsize=(12, 6.5), squeeze=False)
    for col, sc in enumerate(scenarios):
        ops = [row["ops"] for row in sc["checkpoints"]]
        for r, metric in enumerate(panels):
            ax = axes[r][col]
            for side, label, color in (("model", model_side, validate.MODEL_COLOR),
                                       ("runtime", "Go runtime", validate.RUNTIME_COLOR)):
                values = [row["metrics"][metric] for row in sc["checkpoints"]]
                validate.band(ax, ops, [v[f"{side}_mean"] for v in values],
                              [v[f"{side}_sd"] for v in values], label, color)
            ax.set_title(f"{sc['name']} (n = {sc['n']:,}): {metric}", fontsize=9)
            ax.set_xlabel("churn ops (erase + insert pairs)", fontsize=8)
            ax.tick_params(labelsize=7)
    axes[0][0].legend(fontsize=7, loc="upper left")
    fig.suptitle(f"Go Swiss-table map under churn: model vs runtime, mean of {seeds} seeds "
                 "(band: ±1 sd)", fontsize=10)
    validate.save_svg(fig, path)
