#!/usr/bin/python3
"""churn_ratios: one map's steady-churn speed against others, measured side by side.

  scripts/churn_ratios.py [--base ordered_backshift] [--maps robin,absl,boost,backshift]
                          [--sizes 16,20] [--rounds 7] [--hash strong] [--tool PATH]

Runs slotlab_bench's churn family (the full profile's op counts: 2^20 timed ops
at n <= 2^20, after a fill and one untimed turnover) once per map, size and
round. Within a round the maps run back to back in a shuffled order (seeded by
the round), all on the round's keys (--seed = round), so a noisy period on the
machine hits every map of that round alike. Prints per size the median CPU
ns/op of each map (the benchmark's ns_per_op: thread CPU time of the op loop)
and, per other map, the median over rounds of base/other measured in the same
round. Build first: cmake --build build/release --target slotlab_bench (the
default --tool is build/release/bench/families/slotlab_bench).
Issue 14 (deliverable 5) asks ordered_backshift/robin <= 1.0 at 2^16 and 2^20.
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# One benchmark: a fill of <= 2^22 keys, a turnover and 2^20..2^22 timed ops, ~1 s at
# 2^20 here; 10 minutes is a hang, not a slow map.
BENCH_SECONDS = 600


def run_one(tool, m, hash_name, lg, seed):
    name = f"churn/{m}/{hash_name}/{1 << lg}/"
    out = subprocess.run(
        [tool, "--family", "churn", "--map", m, "--profile", "full", "--seed", str(seed),
         f"--benchmark_filter=^{name}", "--benchmark_format=json"],
        check=True, capture_output=True, text=True, timeout=BENCH_SECONDS).stdout
    runs = [b for b in json.loads(out)["benchmarks"] if b["name"].startswith(name)]
    if len(runs) != 1 or "ns_per_op" not in runs[0]:
        raise RuntimeError(f"{name}: expected one benchmark with ns_per_op, got {len(runs)}")
    return runs[0]["ns_per_op"]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--base", default="ordered_backshift")
    p.add_argument("--maps", default="robin,absl,boost,backshift")
    p.add_argument("--sizes", default="16,20", help="log2 of n, comma-separated")
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--hash", default="strong", choices=["strong", "weak"])
    p.add_argument("--tool", default=os.path.join(ROOT, "build", "release", "bench", "families",
                                                  "slotlab_bench"))
    a = p.parse_args()
    tool = a.tool
    try:
        sizes = [int(s) for s in a.sizes.split(",")]
    except ValueError:
        p.error(f"--sizes wants comma-separated whole numbers, got '{a.sizes}'")
    if a.rounds < 1 or any(not 10 <= s <= 22 for s in sizes):
        p.error("--rounds must be >= 1 and --sizes within the full profile's 10..22")
    if not os.access(tool, os.X_OK):
        print(f"churn_ratios: no {tool}; build the slotlab_bench target first", file=sys.stderr)
        sys.exit(2)
    others = [m for m in a.maps.split(",") if m and m != a.base]
    maps = [a.base] + others
    ns = {(m, lg): [] for m in maps for lg in sizes}
    for r in range(1, a.rounds + 1):
        order = [(m, lg) for lg in sizes for m in maps]
        random.Random(r).shuffle(order)
        for m, lg in order:
            try:
                ns[(m, lg)].append(run_one(tool, m, a.hash, lg, r))
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired, RuntimeError,
                    ValueError, KeyError) as e:
                detail = e.stderr.strip().splitlines()[-1:] if isinstance(
                    e, subprocess.CalledProcessError) and e.stderr else [str(e)]
                print(f"churn_ratios: {m} at 2^{lg}, round {r}: {' '.join(detail)}", file=sys.stderr)
                sys.exit(1)
        print(f"round {r}/{a.rounds} done", file=sys.stderr)
    print(f"steady churn, {a.hash} hash, CPU ns/op: medians of {a.rounds} interleaved rounds; "
          f"{a.base}/X = median of the per-round ratios")
    print("n      " + "".join(f"{m:>19}" for m in maps) + "".join(f"{'/' + m:>12}" for m in others))
    for lg in sizes:
        med = [statistics.median(ns[(m, lg)]) for m in maps]
        ratios = [statistics.median(b / o for b, o in zip(ns[(a.base, lg)], ns[(m, lg)]))
                  for m in others]
        print(f"2^{lg:<5}" + "".join(f"{v:>19.1f}" for v in med) +
              "".join(f"{q:>12.3f}" for q in ratios))


if __name__ == "__main__":
    main()
