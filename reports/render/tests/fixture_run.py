"""A synthetic run directory with every file of reports/RUN_LAYOUT.md, for the
report's tests. The figures are made up (smooth curves plus seeded noise) and
labelled so in meta.json; they only exercise the page, they prove nothing."""
import json
import math
import os
import random

MAPS = ["absl", "backshift", "boost", "go", "graveyard", "robin", "std", "tombstone"]
HOSTILE = '<script>alert("x")</script> & "quotes"'
COLUMNS = ("ops,size,slots,bytes,peak_bytes,tombstones,overflow_buckets,buckets_log2,"
           "mean_probe,max_probe,insert_probe,miss_probe,reused_slot_inserts,"
           "fresh_slot_inserts,rehashes,ns_per_op").split(",")
BASE_NS = {"absl": 40, "backshift": 45, "boost": 35, "go": 60, "graveyard": 50, "robin": 55,
           "std": 140, "tombstone": 48}


def _write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def _json(path, value):
    _write(path, json.dumps(value, indent=1, sort_keys=True))


def _trace(path, rng, name, n=4096, rows=9, load=None, workload="churn"):
    slots = int(n / load) if load else n * 2
    lines = [",".join(COLUMNS)]
    for i in range(rows):
        ops = i * n
        drift = i / rows
        size = n if workload == "churn" else (n if i % 2 == 0 else n // 10)
        row = {
            "ops": ops, "size": size, "slots": slots, "bytes": slots * 16,
            "peak_bytes": slots * 24,
            "tombstones": int(slots * 0.3 * drift) if name in ("absl", "tombstone", "graveyard") else (0 if name in ("boost", "robin", "backshift") else ""),
            "overflow_buckets": int(n / 40 * (1 + 5 * drift)) if name == "go" else "",
            "buckets_log2": int(math.log2(n / 6.5)) + 1 if name == "go" else "",
            "mean_probe": f"{1.2 + 0.1 * drift:.4f}" if name != "boost" else "",
            "max_probe": 6 if name != "boost" else "",
            "insert_probe": f"{0.5 * (1 + 1 / (1 - load) ** 2) * (1.3 if name == 'tombstone' else 1):.4f}" if load else "",
            "miss_probe": f"{(0.5 * (1 + 1 / (1 - load) ** 2) if load else 1.5 + drift):.4f}" if name != "boost" else "",
            "reused_slot_inserts": ops // 2 if name == "absl" else "",
            "fresh_slot_inserts": ops - ops // 2 if name == "absl" else "",
            "rehashes": i // 4,
            "ns_per_op": "" if i == 0 else f"{BASE_NS.get(name, 50) * (1 + 0.2 * drift) + rng.random():.3f}",
        }
        lines.append(",".join(str(row[c]) for c in COLUMNS))
    _write(path, "\n".join(lines) + "\n")


def _bench(path, rng):
    """As `scripts/slotlab bench` writes them: bench/<family>.<map>.r<rep>.json, one Google
    Benchmark run per file, the harness's ns_per_op counter beside real_time."""
    cells = {"churn": [("strong", 1024), ("strong", 65536), ("weak", 65536)],
             "lookup_miss_after_churn": [("strong", 65536)]}
    for family, rows in cells.items():
        for m in MAPS:
            for rep in (1, 2, 3):
                benchmarks = []
                for hash_name, size in rows:
                    ns = BASE_NS[m] * (1 + 0.1 * math.log2(size / 1024)) * (1 + 0.05 * rng.random())
                    if (m, hash_name) == ("tombstone", "weak"):  # as bench's time cap reports it
                        benchmarks.append({
                            "name": f"{family}/{m}/{hash_name}/{size}/iterations:100000",
                            "run_name": f"{family}/{m}/{hash_name}/{size}/iterations:100000",
                            "run_type": "iteration", "error_occurred": True,
                            "error_message": "stopped after 4096 of 100000 ops at 366210 ns/op: "
                                             "over the profile's cap of 1.50 s per benchmark"})
                        continue
                    benchmarks.append({
                        "name": f"{family}/{m}/{hash_name}/{size}/iterations:100000",
                        "run_name": f"{family}/{m}/{hash_name}/{size}/iterations:100000",
                        "run_type": "iteration", "repetitions": 1, "repetition_index": 0,
                        "threads": 1, "iterations": 100000, "real_time": ns * 1.01,
                        "cpu_time": ns, "time_unit": "ns", "ns_per_op": ns,
                        "load_factor": 0.4 + 0.05 * len(m) % 0.5, "bytes_per_key": 16 + len(m),
                        "label": f"hash={hash_name}"})
                _json(os.path.join(path, "bench", f"{family}.{m}.r{rep}.json"), {
                    "context": {"date": "fixture", "num_cpus": 2, "library_build_type": "release"},
                    "benchmarks": benchmarks})


def make(path, seed=1):
    rng = random.Random(seed)
    _json(os.path.join(path, "meta.json"), {
        "date": "2026-01-01T00:00:00Z", "commit": "0123456789abcdef (fixture)",
        "cpu": "fixture: synthetic data for the report's tests " + HOSTILE, "cores": 2,
        "compiler": "g++ (Debian 12.2.0-14) 12.2.0", "flags": "-O2 -DNDEBUG -g",
        "libraries": {"libabsl-dev": "20220623.1-1", "libboost1.81-dev": "1.81.0-5"},
        "counters": "simulated (valgrind callgrind --cache-sim=yes)", "maps": MAPS})
    for m in MAPS:
        _trace(os.path.join(path, "traces", f"{m}-churn.csv"), rng, m)
    for m in ("absl", "boost", "dense"):
        _trace(os.path.join(path, "traces", f"{m}-grow-shrink.csv"), rng, m, workload="grow-shrink")
    for m in ("backshift", "tombstone", "graveyard"):
        for load in (0.5, 0.8, 0.95):
            _trace(os.path.join(path, "traces", f"{m}-churn-load{load}.csv"), rng, m, load=load)
    _bench(path, rng)
    q = ["p50", "p99", "p99.9", "p99.99", "max"]
    _json(os.path.join(path, "bench", "latency.json"), {
        "unit": "ns", "workload": "churn", "hash": "strong", "n": 65536, "clock": "steady_clock",
        "maps": {m: {ph: {k: BASE_NS[m] * 3 ** i * (20 if ph == "growth" and i == 4 else 1)
                          for i, k in enumerate(q)} for ph in ("churn", "growth")} for m in MAPS}})
    _json(os.path.join(path, "bench", "reuse.json"), {
        "workload": "churn", "hash": "strong", "n": 65536, "ops": 1048576,
        "maps": {m: {"reused_fraction": 0.5 + 0.05 * i if m != "std" else None, "erased": 1048576,
                     "method": "slot address",
                     "distance": {"edges": [0, 1, 2, 4, 8, 16, 32, 64],
                                  "counts": [10 * (i + 1), 20, 40, 80, 40, 20, 5]}}
                 for i, m in enumerate(MAPS)}})
    _json(os.path.join(path, "bench", "cache.json"), {
        "source": "simulated", "tool": "callgrind --cache-sim=yes --D1=32768,8,64 --LL=1048576,16,64",
        "workload": "churn", "hash": "strong", "n": 65536,
        "maps": {m: {"d1_misses_per_op": 1 + i * 0.3, "ll_misses_per_op": 0.2 + 0.1 * i}
                 for i, m in enumerate(MAPS) if m != "std"},
        "unavailable": {"std": "callgrind failed (fixture)"}})
    checkpoints = []
    for i in range(9):
        ops = i * 12000
        m, r = 140 + 0.012 * ops, 141 + 0.0119 * ops
        checkpoints.append({"ops": ops, "compared": i < 8, "B_is_10": True,
                            "model_mean": m, "model_sd": 9.0, "runtime_mean": r, "runtime_sd": 10.0,
                            "difference": m - r, "tolerance": 17.9, "ok": True if i < 8 else None,
                            "model_runs": [m] * 3, "runtime_runs": [r] * 3})
    _json(os.path.join(path, "validation", "go.json"), {
        "workload": {"name": "churn", "n": 6000, "ops": 96000, "every": 12000, "seeds": 10},
        "model": {"what": "slotlab strategy go (C++)", "counter": "noverflow"},
        "runtime": {"what": "real Go map[uint64]uint64", "go_version": "go version go1.19.8",
                    "counter": "hmap.noverflow read through unsafe"},
        "tolerance": {"rule": "|mean difference| <= z * sd * sqrt(2/S)", "z": 4.0, "floor": 1.0},
        "checkpoints": checkpoints, "compared_checkpoints": 8,
        "max_abs_difference_over_tolerance": 0.4, "verdict": "pass"})
    with open(os.path.join(path, "validation", "go.json")) as f:  # as `validate go --large`
        _write(os.path.join(path, "validation", "go_b16.json"), f.read())
    _json(os.path.join(path, "validation", "go_speed.json"), {
        "workload": "churn", "model": "slotlab strategy go, Google Benchmark",
        "runtime": "Go map[uint64]uint64 (go1.19.8)",
        "sizes": [{"n": n, "median_model_wall": 30 + i * 10, "median_runtime_wall": 35 + i * 9,
                   "ratio_wall": (30 + i * 10) / (35 + i * 9), "ratio_cpu": 0.9 + 0.1 * i}
                  for i, n in enumerate((1024, 65536, 1048576))]})
    _go_maps(path)
    # As `scripts/slotlab theory` writes it.
    def point(m, a):
        x = 1 / (1 - a)
        place = {"backshift": 0.5 * x * x, "tombstone": 0.2 * x * x, "graveyard": x}[m]
        return {"load": a, "x": x, "slots": 68986,
                "fresh": {"mean_probe": 0.5 * (1 + x), "miss_probe": 0.5 * (1 + x * x)},
                "churn": {"mean_probe": 0.5 * (1 + x), "insert_probe": place + 0.5 * x * x,
                          "place_probe": place, "miss_probe": 0.5 * (1 + x * x),
                          "tombstones": 100.0, "ns_per_op": 900.0, "rebuilds_per_turnover": 2.0}}
    _json(os.path.join(path, "validation", "linear_probing.json"), {
        "producer": "scripts/slotlab theory", "method": "trace tool, churn, --load A, strong hash",
        "n": 65536, "turnovers": 8, "hash": "strong",
        "knuth": {"tolerance": {"hit": 0.05, "miss": 0.10}, "all_within_tolerance": True,
                  "checks": [{"map": m, "load": a, "tables": 8,
                              "hit": 0.5 * (1 + 1 / (1 - a)) * 1.01, "hit_expected": 0.5 * (1 + 1 / (1 - a)),
                              "miss": 0.5 * (1 + 1 / (1 - a) ** 2) * 0.97,
                              "miss_expected": 0.5 * (1 + 1 / (1 - a) ** 2), "within_tolerance": True}
                             for m in ("backshift", "tombstone") for a in (0.5, 0.7, 0.8, 0.9)]},
        "churn": {str(a): {m: point(m, a) for m in ("backshift", "tombstone", "graveyard")}
                  for a in (0.9, 0.95)},
        "ratios_at_load": {"load": 0.95, "place_probe": {"graveyard/backshift": 0.1}},
        "verdict": {"agrees": True, "summary": "graveyard grows as x^1.0, backshift as x^2.0 (fixture)"},
        "sweep": {}})
    _ordered_lp(path)
    # As `scripts/slotlab fuzz` writes it: targets keyed by name, libFuzzer's own terms.
    _json(os.path.join(path, "fuzz", "summary.json"), {
        "how": "libFuzzer (clang-14, -fsanitize=fuzzer,address,undefined), 2 cores",
        "targets": {
            "differential " + HOSTILE: {"target": "differential " + HOSTILE, "seconds": 10.1,
                                        "execs": 150000, "exec_per_s": 15000, "cov": 2400, "ft": 9100,
                                        "corpus_size": 310, "result": "ok"},
            "go_evacuation": {"target": "go_evacuation", "seconds": 10.0, "execs": 90000,
                              "exec_per_s": 9000, "cov": 800, "ft": 2000, "corpus_size": 120,
                              "result": "ok"}},
        "mutants": [{"mutant": "backshift-no-wrap", "description": "backward shift ignores wrap-around",
                     "result": "caught", "target": "differential", "seconds_to_catch": 3.5,
                     "caught_during": "fuzzing"},
                    {"mutant": "go-emptyrest-overdone", "description": "erase marks too much emptyRest",
                     "result": "caught", "target": "differential", "seconds_to_catch": 0.4,
                     "caught_during": "corpus replay"}]})
    # The seed section's four files: a trimmed copy of one `scripts/slotlab seed` run
    # (seed_fixture.json), one claim's evidence made hostile.
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "seed_fixture.json")) as f:
        seed = json.load(f)
    seed["claims"][0]["evidence"] += " " + HOSTILE
    _json(os.path.join(path, "validation", "seed_claims.json"), seed["claims"])
    for entry in seed["stale"]["maps"].values():  # stale_pointer.py keeps the tool's counts
        entry["counts"] = {k: [round(v * seed["stale"]["trials"]) for v in shares]
                           for k, shares in entry["shares"].items()}
    _json(os.path.join(path, "validation", "go_race.json"), seed["race"])
    _json(os.path.join(path, "validation", "seed_go.json"), seed["go"])
    _json(os.path.join(path, "bench", "stale_pointer.json"), seed["stale"])
    _json(os.path.join(path, "run.json"), {"steps": [
        {"step": "traces", "command": "scripts/slotlab trace", "status": "ok"}]})
    return path


LP6 = ["backshift", "tombstone", "graveyard", "ordered_backshift", "ordered_tombstone",
       "ordered_graveyard"]
LP_OPS = ["insert", "place", "hit", "miss", "erase"]


def _lp_cost(m, op, x):
    """ordered_graveyard O(x) everywhere; the rest x^2 for insert, place and miss (ordered
    twins: O(x) misses)."""
    linear = (m == "ordered_graveyard" or op in ("hit", "erase")
              or (m.startswith("ordered_") and op == "miss"))
    return x if linear else 0.5 * x * x


def _ordered_lp(path):
    """validation/ordered_lp.json and graveyard_interval.json with every field
    scripts/slotlab_cli/theory_ordered.py writes (ordered_into, interval_into)."""
    xs = [2, 4, 8, 16, 32, 64]
    points = {}
    for m in LP6:
        points[m] = []
        for x in xs:
            p = {"x": float(x), "x_nominal": x, "load": 1 - 1 / x, "slots": int(16384 * x / (x - 1)) + 1,
                 "seeds": 1}
            for op in LP_OPS:
                c = _lp_cost(m, op, x)
                p[f"{op}_probe"], p[f"{op}_probe_spread"] = c, [c, c]
                if op != "place":
                    p[f"{op}_ns"], p[f"{op}_ns_spread"] = 10 * c, [9 * c, 11 * c]
            p.update(place_ns=None, tombstones=0.0 if "backshift" in m else 100.0,
                     rebuilds_per_turnover=2.0 if "graveyard" in m else 0.0)
            points[m].append(p)
    exponents = {m: {op: {"probes": 1.0 if _lp_cost(m, op, 4) == 4 else 2.0,
                          "ns": None if op == "place" else (1.0 if _lp_cost(m, op, 4) == 4 else 2.0)}
                     for op in LP_OPS} for m in LP6}
    classes = {m: {op: "O(x)" if e["probes"] <= 1.25 else "Theta(x^2)" for op, e in ops.items()}
               for m, ops in exponents.items()}
    k = lambda m, op: exponents[m][op]["probes"]
    checks = [{"check": f"ordered_graveyard's {op} exponent <= 1.25", "value": k("ordered_graveyard", op),
               "pass": k("ordered_graveyard", op) <= 1.25} for op in ("insert", "miss", "hit")]
    checks.append({"check": "backshift's insert exponent >= 1.7", "value": k("backshift", "insert"),
                   "pass": k("backshift", "insert") >= 1.7})
    _json(os.path.join(path, "validation", "ordered_lp.json"), {
        "producer": "scripts/slotlab theory", "how": "bench/op_costs, churn at load 1-1/x (fixture)",
        "n": 16384, "turnovers": 2, "seeds": 1, "xs": xs, "maps": LP6, "hash": "strong",
        "ops": {op: f"{op} (fixture)" for op in LP_OPS},
        "thresholds": {"O(x)": "k <= 1.25", "Theta(x^2)": "k >= 1.7"},
        "points": points, "exponents": exponents, "classes": classes, "acceptance": checks,
        "anti_clustering": {"claim": "ordered tombstones avoid primary clustering (fixture)",
                            "exponents": {op: k("ordered_tombstone", op) for op in LP_OPS},
                            "classes": classes["ordered_tombstone"],
                            "insert_ratio_to_backshift_at_x64": 1.0,
                            "holds": classes["ordered_tombstone"]["insert"] == "O(x)"},
        "verdict": {"all_checks_pass": all(c["pass"] for c in checks), "summary": "fixture"}})
    cs, loads = [0.25, 1, 4], [0.5, 0.95]

    def interval_point(m, load, c):
        pair = 100 / c + 10 * c if c else 50.0
        return {"c": c, "load": load, "seeds": 1, "pair_ns": pair, "pair_ns_spread": [pair, pair],
                **{f"{op}_probe": 5 * (c or 1) for op in LP_OPS},
                **{f"{op}_ns": pair / 2 for op in LP_OPS if op != "place"},
                "rebuilds_per_turnover": 1.0 / c if c else 0.0, "tombstones": 10.0}
    _json(os.path.join(path, "validation", "graveyard_interval.json"), {
        "producer": "scripts/slotlab theory --interval-sweep",
        "how": "bench/op_costs --rebuild-c C (fixture)", "n": 65536, "turnovers": 4, "seeds": 1,
        "loads": loads, "cs": cs, "paper_c": 0.25,
        "sweep": {m: {str(a): [interval_point(m, a, c) for c in cs] for a in loads}
                  for m in ("graveyard", "ordered_graveyard")},
        "reference": {m: {str(a): interval_point(m, a, None) for a in loads}
                      for m in ("tombstone", "ordered_tombstone", "backshift")}})


def _reuse(inserts, reused, freed, median, delete_to=None, insert_into=None):
    out = {"inserts": inserts, "reused_inserts": reused, "fresh_inserts": inserts - reused,
           "freed_slot_inserts": freed, "ops": inserts,
           "distance": {"min": 1, "p10": median / 8, "median": median, "p90": median * 5,
                        "max": median * 25},
           "share_at_distance": {"1": 0.0008, "2": 0.0007, "3": 0.0007}, "seeds": 10}
    if delete_to:  # the runtime side only (validate_reuse.reuse_summary)
        out.update(delete_to=delete_to, insert_into=insert_into,
                   freed_slot_inserts_by_byte={k: freed * v // inserts for k, v in insert_into.items()})
    return out


def _comparison(model, runtime):
    """validate_reuse.compare's rows (per-seed figures, fixture spreads)."""
    return {"reused_fraction": {"model_mean": model["reused_inserts"] / model["inserts"],
                                "runtime_mean": runtime["reused_inserts"] / runtime["inserts"],
                                "model_sd": 0.002, "runtime_sd": 0.002, "difference": -0.001,
                                "tolerance": 0.0045, "ok": True},
            "median": {"model_mean": model["distance"]["median"],
                       "runtime_mean": runtime["distance"]["median"], "model_sd": 40.0,
                       "runtime_sd": 40.0, "difference": 2.0, "tolerance": 89.4, "ok": True}}


def _generation(version, model_name, runtime, model):
    return {"go_version": version, "status": "ok", "model_name": model_name, "verdict": "pass",
            "reused_means": f"the model's reused counter vs the runtime's (fixture, {model_name})",
            "runtime": runtime, "model": model, "comparison": _comparison(model, runtime)}


def _go_maps(path):
    """validation/go_reuse.json, goswiss.json, goswiss_speed.json as `validate reuse` and
    `validate goswiss [--speed]` write them."""
    _json(os.path.join(path, "validation", "go_reuse.json"), {
        "how": "churn; control bytes diffed around each write (fixture)",
        "workload": {"n": 6000, "warmup_ops": 6000, "ops": 30000, "seeds": 10, "model_seeds": 30},
        "tolerance": {"rule": "|mean difference| <= z * sd * sqrt(2/S)", "z": 5.0,
                      "floors": {"reused_fraction": 0.001, "median": 1.0}},
        "generations": {
            "classic": _generation("go1.19.8 (/usr/lib/go-1.19/bin/go)", "go",
                                   _reuse(300000, 208000, 253000, 1160,
                                          {"emptyOne": 249000, "emptyRest": 51000},
                                          {"emptyOne": 208000, "emptyRest": 87000,
                                           "new overflow bucket": 5000}),
                                   _reuse(300000, 207600, 253400, 1162)),
            "swiss": _generation("go1.26.8 (/usr/local/go/bin/go)", "goswiss",
                                 _reuse(299970, 32800, 215000, 1650,
                                        {"empty": 251700, "deleted": 48300},
                                        {"empty": 267170, "deleted": 32800}),
                                 _reuse(300000, 32500, 214000, 1640))}})
    scenarios = []
    for name, n, ops, tomb in (("small map", 6, 600, 0.0), ("one table, split by churn", 700,
                                                             70000, 700.0)):
        cps = []
        for i in range(11):
            t = tomb * i / 10
            metrics = {m: {"model_mean": v, "model_sd": sd, "runtime_mean": v + 1, "runtime_sd": sd,
                           "difference": -1.0, "tolerance": 10.0, "floor": 0.3, "ok": True}
                       for m, v, sd in (("slots", 8.0 if n == 6 else 2048.0, 0.0),
                                        ("tombstones", t, 40.0 if t else 0.0),
                                        ("tables", 0.0 if n == 6 else 2.0, 0.0),
                                        ("directory_len", 0.0 if n == 6 else 2.0, 0.0),
                                        ("rehashes", 0.0 if n == 6 else 1.0, 0.0))}
            cps.append({"ops": i * ops // 10, "metrics": metrics,
                        "runtime_only": {"prunes": i / 4, "max_table_tombstones": t / 2}})
        scenarios.append({"name": name, "n": n, "ops": ops, "every": ops // 10,
                          "checkpoints": cps, "verdict": "pass",
                          "max_abs_difference_over_tolerance": 0.1})
    _json(os.path.join(path, "validation", "goswiss.json"), {
        "how": "churn (fixture)",
        "workload": {"name": "churn", "seeds": 10, "key_stream": "KeyStream(seed), seeds 1..S",
                     "scenarios": [{"name": sc["name"], "n": sc["n"], "ops": sc["ops"],
                                    "every": sc["every"]} for sc in scenarios]},
        "model": {"what": "slotlab strategy goswiss (C++)", "self_check": False},
        "runtime": {"what": "real Go map[uint64]uint64", "go_version": "go1.26.8",
                    "hash": "runtime aeshash, per-map seed", "counters": "Map.dirLen (fixture)"},
        "metrics": {m: f"{m} (fixture)" for m in ("slots", "tombstones", "tables", "directory_len",
                                                  "rehashes")},
        "tolerance": {"rule": "z * sd * sqrt(2/S)", "z": 5.0, "floor": "3 * step / S_model"},
        "scenarios": scenarios, "compared": 110, "max_abs_difference_over_tolerance": 0.1,
        "verdict": "pass"})
    _json(os.path.join(path, "validation", "goswiss_speed.json"), {
        "workload": "churn", "model": "slotlab strategy goswiss, Google Benchmark",
        "runtime": "Go map[uint64]uint64 (go1.26.8)",
        "sizes": [{"n": n, "median_model_wall": 25 + i * 10, "median_runtime_wall": 30 + i * 9,
                   "ratio_wall": (25 + i * 10) / (30 + i * 9), "ratio_cpu": 0.85 + 0.1 * i}
                  for i, n in enumerate((1024, 65536, 1048576))]})
