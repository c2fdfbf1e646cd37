"""slotlab validate reuse: the seed's question slot by slot, on both real Go maps, next to
their models -- when a key is deleted, does a later insert take its slot, and how soon?

Workload (both sides): churn at n = 6000 live keys; fill, one turnover (6000 ops)
not measured, then 30,000 ops measured; --seeds seeds (default 10). n = 6000 keeps
the classic map at B = 10 and below its first same-size grow (~85,000 ops), and
gives the Swiss map ~8 tables of 1024 slots.

Runtime: scripts/go/churnmap `reuse`, built once per generation (classic: Go 1.19,
classic.go; Swiss: Go >= 1.24, swiss.go). It diffs every bucket's / group's control
bytes around each write (probe.go): a delete frees the slot whose byte leaves
"full", an insert takes the slot whose byte becomes full, and that byte's old value
says what it took.
Model: `go` (classic) and `goswiss` (Swiss), same seeds: slotlab_trace's
reused_slot_inserts / fresh_slot_inserts over the same 30,000 ops (the rows at ops
6000 and 36000), and slotlab_reuse (slot addresses: find(key) before the erase,
find(new key) after the insert; --check 50) for the reuse distances.

Two counts, kept apart because they differ:
  reused_inserts  the insert filled a slot whose byte says "freed": classic emptyOne
                  (tophash 1), Swiss ctrlDeleted (a tombstone) -- the models' counters;
  freed_slot_inserts  the insert filled a slot that a delete of this run had freed,
                  whatever its byte says by then: a classic emptyOne that mapdelete
                  turned back into emptyRest (a chain's trailing run) or a Swiss slot
                  delete emptied (its group still had an empty slot) count here and
                  in the reuse distances, not in reused_inserts.
Reuse distance: inserts between the delete that freed a slot and the insert that
filled it (1 = the very next insert). Slots moved by a rebuild (a classic grow, a
Swiss grow or split) are forgotten (invalidated); those never refilled are censored.

Compared per seed, then as means over seeds (S runtime seeds, 3S model seeds: a model
seed costs a tenth of a runtime one) within z = 5 standard errors of the difference,
on the pooled sd of both sides (validate.tolerance, validate.pooled_sd): the fraction
of inserts that reused (counter), the fraction that filled a freed slot (address),
the distance's p10, median and p90, and the shares of reuses at distance 1, 2, 3. Both sides are random (aeshash seeded per
map vs the harness's strong hash; victims drawn by splitmix64 vs mt19937_64), so the
comparison is of distributions. Measured (10 seeds a side): the runtime's sds are
0.003 (classic) and 0.004-0.02 (Swiss) for the fractions, 1-9 % of the distance
quantiles. On the runtime's sd alone, with model seeds 1..10, a `scripts/slotlab run`
failed the classic model: share_1 0.000643 against 0.000892 +- 0.000096 (five more
runtime samples: 0.00063-0.00075, sds 0.00008-0.00023) -- a low sd drawn with a high
mean. With 30 model seeds (share_1 0.000667) and the pooled sd, five runs: worst
|difference| / tolerance 0.24-0.53 (classic) and 0.33-0.43 (Swiss), both pass. A
model with a free list (reuse at distance ~1-3) would move every distance figure by
hundreds of sds; the fixture test in scripts/tests/test_validate_swiss.py shows a
9 % shift of the median alone flipping the verdict.

A generation whose toolchain or model is missing is "not testable here" with the
reason, the side that could run still recorded. Writes validation/go_reuse.json
(schema: reports/RUN_LAYOUT.md).
"""
import collections
import json
import os
import statistics
import sys

from slotlab_cli import go_toolchains, validate
from slotlab_cli.common import (TRACE_TOOL, Failure, UsageError, cmake_build, new_run_dir,
                                registered_maps, run_bounded, say, tool, workload_seconds)

N, WARMUP, OPS, SEEDS = 6000, 6000, 30000, 10
REUSE_TOOL = "bench/reuse/slotlab_reuse"
CHECK = 50  # slotlab_reuse --check: stats() every 50 ops to notice rebuilds
GENERATIONS = {  # generation -> (model, what a reused insert filled)
    "classic": ("go", "an emptyOne slot (tophash 1)"),
    "swiss": ("goswiss", "a tombstone (ctrlDeleted 0xFE)"),
}
# figure -> floor of its tolerance (when every runtime seed agrees)
FIGURES = {"reused_fraction": 0.001, "freed_fraction": 0.001, "p10": 1.0, "median": 1.0,
           "p90": 1.0, "share_1": 1e-4, "share_2": 1e-4, "share_3": 1e-4}
Z = 5.0


def run(args):
    if args.large or args.speed or args.self_check:
        raise UsageError("validate reuse takes --seeds and --run-dir only")
    seeds = args.seeds or SEEDS
    run_dir = args.run_dir or new_run_dir()
    out = os.path.join(run_dir, "validation")
    os.makedirs(out, exist_ok=True)
    result = probe(seeds, out)
    if args.run_dir is None:
        print(run_dir)
    failed = [g for g, r in result["generations"].items() if r["verdict"] == "fail"]
    if failed:
        raise Failure(f"reuse: the {' and '.join(failed)} model is outside the runtime's "
                      f"tolerance (see {os.path.join(out, 'go_reuse.json')})")
    return 0


# --- the two sides, one seed each ----------------------------------------------------------

def churnmap_path(generation):
    return os.path.join(go_toolchains.GO_BUILD, generation, "churnmap")


def runtime_seed(generation, seed):
    cmd = [churnmap_path(generation), "reuse", "--n", str(N), "--ops", str(OPS), "--seed", str(seed)]
    r = run_json(cmd, workload_seconds(N, OPS, OPS))  # the probe diffs control bytes per write
    return {"inserts": r["inserts"], "reused": r["reused_inserts"], "fresh": r["fresh_inserts"],
            "freed": r["freed_slot_inserts"], "ops": r["ops"], "distance": r["distance"],
            "at": r["at_distance"], "go_version": r["go_version"],
            "extra": {k: r[k] for k in ("insert_into", "delete_to", "freed_slot_inserts_by_byte",
                                        "unclassified_inserts", "invalidated_by_rebuild",
                                        "censored")}}


def model_seed(model, seed):
    rows = validate.read_csv([tool("release", TRACE_TOOL), "--map", model, "--workload", "churn",
                              "--hash", "strong", "--n", str(N), "--ops", str(WARMUP + OPS),
                              "--every", str(WARMUP), "--seed", str(seed)],
                             workload_seconds(N, WARMUP + OPS, (WARMUP + OPS) // WARMUP + 1))
    start = next(r for r in rows if int(r["ops"]) == WARMUP)
    end = rows[-1]
    reused = int(end["reused_slot_inserts"]) - int(start["reused_slot_inserts"])
    fresh = int(end["fresh_slot_inserts"]) - int(start["fresh_slot_inserts"])
    r = run_json([tool("release", REUSE_TOOL), "--map", model, "--hash", "strong", "--n", str(N),
                  "--ops", str(OPS), "--seed", str(seed), "--check", str(CHECK)],
                 workload_seconds(N, OPS, OPS // CHECK + 1))
    d = r["reuse_distance"]
    distance = {"count": d["count"]}
    if d["count"]:
        distance.update(min=r["reuse_distance_min"], p10=r["reuse_distance_p10"], median=d["p50"],
                        p90=d["p90"], max=d["max"], mean=d["mean"])
    return {"inserts": reused + fresh, "reused": reused, "fresh": fresh, "freed": r["reused"],
            "ops": OPS, "distance": distance, "at": r["reuse_at_distance"],
            "extra": {"invalidated_by_rebuild": r["invalidated_by_rebuild"],
                      "censored": r["censored"]}}


def run_json(cmd, seconds):
    proc = run_bounded(cmd, seconds, capture=True)
    if proc.returncode != 0:
        raise Failure(f"'{' '.join(cmd)}' failed (exit {proc.returncode}): {proc.stderr.strip()}")
    try:
        return json.loads(proc.stdout)
    except ValueError as e:
        raise Failure(f"'{' '.join(cmd)}' printed no JSON object ({e})")


# --- per-seed figures, the contract's Reuse object, the comparison (pure) ------------------------

def figures(s):
    """The compared figures of one seed's run (None where nothing was reused)."""
    freed = s["freed"]
    d = s["distance"]
    return {"reused_fraction": s["reused"] / s["inserts"] if s["inserts"] else None,
            "freed_fraction": freed / s["ops"] if s["ops"] else None,
            "p10": d.get("p10"), "median": d.get("median"), "p90": d.get("p90"),
            "share_1": s["at"]["1"] / freed if freed else None,
            "share_2": s["at"]["2"] / freed if freed else None,
            "share_3": s["at"]["3"] / freed if freed else None}


def reuse_summary(seeds):
    """The contract's Reuse object over all seeds: counts summed; distance quantiles
    per seed (nearest rank), averaged; min and max over all seeds; shares pooled."""
    with_d = [s for s in seeds if s["distance"]["count"]]
    freed = sum(s["freed"] for s in seeds)

    def mean_of(key):
        return statistics.mean(s["distance"][key] for s in with_d) if with_d else None
    return {
        "inserts": sum(s["inserts"] for s in seeds),
        "reused_inserts": sum(s["reused"] for s in seeds),
        "fresh_inserts": sum(s["fresh"] for s in seeds),
        "freed_slot_inserts": freed,
        "ops": sum(s["ops"] for s in seeds),
        "distance": {"min": min((s["distance"]["min"] for s in with_d), default=None),
                     "p10": mean_of("p10"), "median": mean_of("median"), "p90": mean_of("p90"),
                     "max": max((s["distance"]["max"] for s in with_d), default=None)},
        "share_at_distance": {k: (sum(s["at"][k] for s in seeds) / freed if freed else None)
                              for k in ("1", "2", "3")},
        "seeds": len(seeds),
        # by control byte, summed over seeds (runtime only: the byte before an insert and
        # after a delete; the models' counters give reused/fresh alone)
        **{key: summed(s["extra"].get(key) for s in seeds)
           for key in ("insert_into", "delete_to", "freed_slot_inserts_by_byte")
           if all(key in s.get("extra", {}) for s in seeds)},
    }


def summed(counts):
    total = collections.Counter()
    for c in counts:
        total.update(c)
    return dict(total)


def compare(model_seeds, runtime_seeds, z=Z):
    """(rows, verdict) of the per-seed figures: mean model vs mean runtime within
    validate.tolerance of both sides' pooled spread."""
    rows, ok = {}, True
    for name, floor in FIGURES.items():
        m = [f for f in (figures(s)[name] for s in model_seeds) if f is not None]
        r = [f for f in (figures(s)[name] for s in runtime_seeds) if f is not None]
        if len(m) < 2 or len(r) < 2:
            rows[name] = {"ok": None, "why": "fewer than 2 seeds with reuses on a side"}
            continue
        tol = validate.tolerance(validate.pooled_sd(m, r), len(m), len(r), z=z, floor=floor)
        diff = statistics.mean(m) - statistics.mean(r)
        rows[name] = {"model_mean": statistics.mean(m), "runtime_mean": statistics.mean(r),
                      "model_sd": statistics.stdev(m), "runtime_sd": statistics.stdev(r),
                      "difference": diff, "tolerance": tol, "ok": abs(diff) <= tol}
        ok = ok and rows[name]["ok"]
    return rows, ok


# --- one generation, then both ----------------------------------------------------------------

def generation_result(generation, seeds, model_seeds, model_names):
    model, reused_means = GENERATIONS[generation]
    entry = {"go_version": None, "model_name": model, "reused_means": reused_means,
             "runtime": None, "model": None, "status": "ok", "verdict": "fail"}
    reasons = []
    try:
        go, version = go_toolchains.toolchain(generation)
        go_toolchains.go_build(generation, validate.GO_SOURCE, churnmap_path(generation))
        entry["go_version"] = f"{version} ({go})"
        say(f"slotlab validate reuse: {generation} runtime ({version}), {seeds} seeds")
        runtime = [runtime_seed(generation, s) for s in range(1, seeds + 1)]
        entry["runtime"] = reuse_summary(runtime)
        entry["runtime_seeds"] = runtime
    except Failure as e:
        runtime = None
        reasons.append(f"runtime: {e}")
    if model in model_names:
        say(f"slotlab validate reuse: model {model}, {model_seeds} seeds")
        modelled = [model_seed(model, s) for s in range(1, model_seeds + 1)]
        entry["model"] = reuse_summary(modelled)
        entry["model_seeds"] = modelled
    else:
        modelled = None
        reasons.append(f"model: the trace tool has no map '{model}' in this checkout")
    if runtime is None or modelled is None:
        # nothing compared: no verdict (null), which is not a failure of the command either
        entry.update(status="not testable here", reason="; ".join(reasons), verdict=None)
        return entry
    entry["comparison"], ok = compare(modelled, runtime)
    entry["verdict"] = "pass" if ok else "fail"
    return entry


def probe(seeds, out, stream=None):
    cmake_build("release", ["slotlab_trace", "slotlab_reuse"])
    model_names = registered_maps()
    model_seeds = validate.MODEL_SEEDS_PER_RUNTIME * seeds
    result = {
        "how": "churn at n live keys (KeyStream keys; a uniformly random live key erased, a fresh "
               "key inserted per op), one turnover unmeasured, then `ops` ops. Runtime: churnmap "
               "reuse diffs every bucket's/group's control bytes around each write (unsafe); "
               "model: slotlab_trace's reused/fresh counters over the same ops and slotlab_reuse's "
               "slot addresses. Distance = inserts from the freeing delete to the refilling insert "
               "(1 = the next insert); quantiles per seed (nearest rank), averaged over seeds; "
               "shares pooled. reused_inserts: the slot's byte said freed (classic emptyOne, Swiss "
               "tombstone); freed_slot_inserts: a slot a delete had freed, whatever its byte.",
        "workload": {"n": N, "warmup_ops": WARMUP, "ops": OPS, "seeds": seeds,
                     "model_seeds": model_seeds},
        "tolerance": {"rule": "per seed figures; |mean_model - mean_runtime| <= max(z * "
                              "sd_pooled * sqrt(1/S_model + 1/S_runtime), floor), sd_pooled "
                              "the seed-to-seed sd of both sides pooled",
                      "z": Z, "floors": FIGURES},
        "generations": {g: generation_result(g, seeds, model_seeds, model_names)
                        for g in GENERATIONS},
    }
    validate.write_json(os.path.join(out, "go_reuse.json"), result)
    print_table(result, stream or sys.stdout)
    return result


def print_table(result, stream):
    for g, r in result["generations"].items():
        print(f"{g} (runtime {r['go_version'] or 'missing'}, model {r['model_name']}): "
              f"{r['status']}" + (f" -- {r['reason']}" if r.get("reason") else "")
              + f"; verdict {r['verdict'] or '(none: nothing compared)'}", file=stream)
        if "comparison" not in r:
            continue
        print(f"  {'figure':<16} {'model':>10} {'runtime':>10} {'± sd':>8} {'tol':>8}  ok",
              file=stream)
        for name, c in r["comparison"].items():
            if c["ok"] is None:
                print(f"  {name:<16} {c['why']}", file=stream)
                continue
            print(f"  {name:<16} {c['model_mean']:>10.4g} {c['runtime_mean']:>10.4g} "
                  f"{c['runtime_sd']:>8.3g} {c['tolerance']:>8.3g}  "
                  f"{'ok' if c['ok'] else 'FAIL'}", file=stream)
