"""slotlab theory, part 2: Bender-Kuszmaul-Kuszmaul's claim for every operation.

Steady churn at load 1 - 1/x, x = 2, 4, ..., 64, n = 2^16 and 5 seeds with --full (the quick default:
n/4 = 2^14, 1 seed, 2 turnovers, for `scripts/slotlab run`), for
the six linear-probing strategies (unordered backshift / tombstone / graveyard
and their ordered twins): insert (absence check included), the paper's
insertion cost (place: slots from home to the free slot the insert used up),
successful lookup, unsuccessful lookup and erase, each in slots inspected and
ns/op, measured by bench/op_costs (slotlab_op_costs: its header says how each
figure is obtained). Per strategy and operation, the exponent k of cost ~ x^k
is the least-squares slope of log(mean cost) on log(x) over all six x.

Classes, fixed before looking at the data: k <= 1.25 is the paper's O(x)
(with room for its lower-order terms), k >= 1.7 is Theta(x^2) (Knuth's
insert is 1/2(1 + x^2): its slope over 2..64 is 1.94), in between is neither.
Writes validation/ordered_lp.json (schema in reports/RUN_LAYOUT.md).
"""
import json
import math
import os

from slotlab_cli.common import Failure, run_bounded, say, tool

OP_COSTS_TOOL = "bench/op_costs/slotlab_op_costs"
MAPS = ["backshift", "tombstone", "graveyard",
        "ordered_backshift", "ordered_tombstone", "ordered_graveyard"]
XS = [2, 4, 8, 16, 32, 64]
OPS = ["insert", "place", "hit", "miss", "erase"]
OP_WHAT = {
    "insert": "insert of a new key, its absence check included (slots scanned, plus keys an ordered insert shifts)",
    "place": "the paper's insertion cost: slots from home to the free slot the insert used up, + 1",
    "hit": "successful lookup (mean over every live key)",
    "miss": "unsuccessful lookup (1024 absent keys per turnover)",
    "erase": "erase: its lookup plus a backward shift's walk (1024 live keys per turnover, dry run)",
}
O_X, THETA_X2 = 1.25, 1.7
# (turnovers, seeds): the quick sweep fits `scripts/slotlab run`'s budget (and runs at
# n/4 keys); --full is the record, at n.
QUICK, FULL = (2, 1), (6, 5)


def op_costs_at_load(name, load, n, turnovers, seed, c=None):
    """One slotlab_op_costs run. Its bound: graveyard's rebuilds at x = 64 cost up to
    ~50 us per churn op here (the slowest measured), so 200 us per op + 60 s start-up."""
    cmd = [tool("release", OP_COSTS_TOOL), "--map", name, "--load", repr(load), "--n", str(n),
           "--turnovers", str(turnovers), "--seed", str(seed)]
    if c is not None:
        cmd += ["--rebuild-c", repr(c)]
    proc = run_bounded(cmd, 60 + 200e-6 * turnovers * n, capture=True)
    if proc.returncode != 0:
        err = (proc.stderr or "").strip()
        raise Failure(f"slotlab_op_costs failed ({' '.join(cmd[1:])}): "
                      f"{err.splitlines()[-1] if err else proc.returncode}")
    return json.loads(proc.stdout)


def op_costs(name, x, n, turnovers, seed):
    return op_costs_at_load(name, 1 - 1 / x, n, turnovers, seed)


def mean(values):
    return sum(values) / len(values)


def median(values):
    v = sorted(values)
    return v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2


def fit_exponent(xs, ys):
    """Least-squares slope of log y on log x; None if a value is missing or <= 0."""
    if len(xs) < 2 or any(y is None or y <= 0 for y in ys):
        return None
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = mean(lx), mean(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / sum((a - mx) ** 2 for a in lx)


def classify(k):
    if k is None:
        return None
    return "O(x)" if k <= O_X else "Theta(x^2)" if k >= THETA_X2 else "neither"


def sweep(n, turnovers, seeds):
    points = {name: [] for name in MAPS}
    for x in XS:
        for name in MAPS:
            runs = [op_costs(name, x, n, turnovers, seed) for seed in range(1, seeds + 1)]
            point = {"x": runs[0]["x"], "x_nominal": x, "load": runs[0]["load"],
                     "slots": runs[0]["slots"], "seeds": seeds}
            for op in OPS:
                vals = [r[f"{op}_probe"] for r in runs]
                point[f"{op}_probe"] = mean(vals)
                point[f"{op}_probe_spread"] = [min(vals), max(vals)]
                if op != "place":  # ns: the median over seeds (a shared machine's noise is one-sided)
                    ns = sorted(r[f"{op}_ns"] for r in runs)
                    point[f"{op}_ns"] = median(ns)
                    point[f"{op}_ns_spread"] = [ns[0], ns[-1]]
            point["place_ns"] = None  # timed only as part of the insert
            point["tombstones"] = mean([r["tombstones"] for r in runs])
            point["rebuilds_per_turnover"] = mean([r["rebuilds_per_turnover"] for r in runs])
            points[name].append(point)
            say(f"slotlab theory: x={x} {name}: insert {point['insert_probe']:.1f} "
                f"miss {point['miss_probe']:.1f} hit {point['hit_probe']:.1f} "
                f"erase {point['erase_probe']:.1f} slots; insert {point['insert_ns']:.0f} ns")
    return points


def point_at(points, name, x):
    return next(p for p in points[name] if p["x_nominal"] == x)


def ordered_into(validation_dir, n=65536, full=False):
    """Writes validation/ordered_lp.json; returns True when every acceptance check holds.
    Needs slotlab_op_costs built (release)."""
    turnovers, seeds = FULL if full else QUICK
    if not full:
        n = max(1024, n // 4)
    points = sweep(n, turnovers, seeds)
    exponents, classes = {}, {}
    for name in MAPS:
        xs = [p["x"] for p in points[name]]
        exponents[name] = {op: {"probes": fit_exponent(xs, [p[f"{op}_probe"] for p in points[name]]),
                                "ns": fit_exponent(xs, [p.get(f"{op}_ns") for p in points[name]])}
                           for op in OPS}
        classes[name] = {op: classify(exponents[name][op]["probes"]) for op in OPS}
    hi = XS[-1]
    k = lambda name, op: exponents[name][op]["probes"]
    checks = [
        {"check": f"ordered_graveyard's {op} exponent <= {O_X}", "value": k("ordered_graveyard", op),
         "pass": k("ordered_graveyard", op) is not None and k("ordered_graveyard", op) <= O_X}
        for op in ("insert", "miss", "hit")]
    checks.append({"check": f"backshift's insert exponent >= {THETA_X2}", "value": k("backshift", "insert"),
                   "pass": k("backshift", "insert") is not None and k("backshift", "insert") >= THETA_X2})
    ot = point_at(points, "ordered_tombstone", hi)
    bs = point_at(points, "backshift", hi)
    anti = {
        "claim": ("ordered linear probing with tombstones and no planting already avoids primary "
                  "clustering: O~(x) amortized insertion (Bender-Kuszmaul-Kuszmaul, section 3)"),
        "exponents": {op: k("ordered_tombstone", op) for op in OPS},
        "classes": classes["ordered_tombstone"],
        f"insert_ratio_to_backshift_at_x{hi}": ot["insert_probe"] / bs["insert_probe"],
        "holds": classes["ordered_tombstone"]["insert"] == "O(x)",
    }
    lines = []
    for name in ("ordered_graveyard", "ordered_tombstone", "graveyard", "backshift"):
        got = [op for op in OPS if classes[name][op] == "O(x)"]
        quad = [op for op in OPS if classes[name][op] == "Theta(x^2)"]
        lines.append(f"{name}: O(x) for {', '.join(got) or 'nothing'}"
                     + (f"; Theta(x^2) for {', '.join(quad)}" if quad else "")
                     + " (k: " + ", ".join(f"{op} {k(name, op):.2f}" for op in OPS) + ")")
    summary = "; ".join(lines) + "."
    result = {
        "producer": "scripts/slotlab theory" + (" --full" if full else ""),
        "how": ("bench/op_costs (slotlab_op_costs): churn at fixed load 1-1/x (with_live_load, "
                "capacity ceil(n/a)), strong hash, uint64 keys, turnover 1 discarded; probes are "
                "the tables' own exact counts in slots; ns/op by steady_clock (insert/erase in "
                "blocks of 8, clock cost subtracted; hit/miss 4096 finds per turnover); probes: means over "
                "seeds, ns/op: medians over seeds"),
        "n": n, "turnovers": turnovers, "seeds": seeds, "xs": XS, "maps": MAPS, "hash": "strong",
        "ops": OP_WHAT,
        "thresholds": {"O(x)": f"k <= {O_X}", "Theta(x^2)": f"k >= {THETA_X2}"},
        "points": points,
        "exponents": exponents,
        "classes": classes,
        "acceptance": checks,
        "anti_clustering": anti,
        "verdict": {"all_checks_pass": all(c["pass"] for c in checks), "summary": summary},
    }
    out = os.path.join(validation_dir, "ordered_lp.json")
    with open(out + ".partial", "w") as f:
        json.dump(result, f, indent=2)
    os.replace(out + ".partial", out)
    say(f"slotlab theory: {summary}")
    return result["verdict"]["all_checks_pass"]


# Item 4 of issue 14: graveyard at ordinary loads. The paper's rebuild interval
# n/(4x) is c = 1/4 in c * n/x; a practical table would rather rebuild less often.
INTERVAL_LOADS = [0.5, 0.75, 0.9, 0.95]
INTERVAL_CS = [0.25, 0.5, 1, 2, 4, 8]
INTERVAL_MAPS = ["graveyard", "ordered_graveyard"]
INTERVAL_REFERENCE = ["tombstone", "ordered_tombstone", "backshift"]  # no planting: c does not apply


def interval_point(name, load, n, turnovers, seeds, c=None):
    runs = []
    for seed in range(1, seeds + 1):
        runs.append(op_costs_at_load(name, load, n, turnovers, seed, c))
    pair = sorted(r["insert_ns"] + r["erase_ns"] for r in runs)
    return {"c": c, "load": load, "seeds": seeds,
            "pair_ns": median(pair), "pair_ns_spread": [pair[0], pair[-1]],
            **{f"{op}_probe": mean([r[f"{op}_probe"] for r in runs]) for op in OPS},
            **{f"{op}_ns": median([r[f"{op}_ns"] for r in runs]) for op in OPS if op != "place"},
            "rebuilds_per_turnover": mean([r["rebuilds_per_turnover"] for r in runs]),
            "tombstones": mean([r["tombstones"] for r in runs])}


def interval_into(validation_dir, n=65536, turnovers=4, seeds=3):
    """Writes validation/graveyard_interval.json: ns/op and probes against c."""
    sweep = {"graveyard": {}, "ordered_graveyard": {}}
    reference = {name: {} for name in INTERVAL_REFERENCE}
    for load in INTERVAL_LOADS:
        for name in INTERVAL_MAPS:
            sweep[name][str(load)] = [interval_point(name, load, n, turnovers, seeds, c)
                                      for c in INTERVAL_CS]
            say(f"slotlab theory: interval sweep {name} load {load}: pair ns "
                + ", ".join(f"c={p['c']}: {p['pair_ns']:.0f}" for p in sweep[name][str(load)]))
        for name in INTERVAL_REFERENCE:
            reference[name][str(load)] = interval_point(name, load, n, turnovers, seeds)
    result = {
        "producer": "scripts/slotlab theory --interval-sweep",
        "how": ("bench/op_costs --rebuild-c C: churn at fixed load (with_live_load), strong hash, "
                "n = %d, %d turnovers (the first a warm-up), %d seeds; rebuild every C * (capacity - "
                "live) updates, planting (capacity - live)/2 tombstones; pair_ns = insert_ns + "
                "erase_ns (medians over seeds), probes means over seeds" % (n, turnovers, seeds)),
        "n": n, "turnovers": turnovers, "seeds": seeds, "loads": INTERVAL_LOADS, "cs": INTERVAL_CS,
        "paper_c": 0.25, "sweep": sweep, "reference": reference,
    }
    out = os.path.join(validation_dir, "graveyard_interval.json")
    with open(out + ".partial", "w") as f:
        json.dump(result, f, indent=2)
    os.replace(out + ".partial", out)
    return result
