"""Summary: for each workload, who wins and by how much, in sentences from the data."""
import statistics

from reports.render.sections.base import fmt, pct

ID = "summary"
TITLE = "Summary: which map, for which workload"


def _close(row, winner, runner_up):
    a, b = row.cells[winner].spread(), row.cells[runner_up].spread()
    return a is not None and b is not None and a[1] >= b[0]


def bench_sentences(rows):
    out, wins = [], {}
    for row in rows:
        ranked = row.ranked()
        if not ranked:
            continue
        best, best_ns = ranked[0]
        wins[best] = wins.get(best, 0) + 1
        reps = len(row.cells[best].ns)
        basis = f"median of {reps} repetitions" if reps > 1 else "one measurement"
        if len(ranked) == 1:
            out.append(f"{row.label}: only {best} was measured ({fmt(best_ns)} ns/op, {basis}).")
            continue
        second, second_ns = ranked[1]
        worst, worst_ns = ranked[-1]
        s = (f"{row.label}: {best} is fastest at {fmt(best_ns)} ns/op ({basis}); "
             f"{second} is {second_ns / best_ns:.2f}× slower")
        if worst != second:
            s += f", and the slowest, {worst}, {worst_ns / best_ns:.2f}×"
        s += "."
        if _close(row, best, second):
            s += f" {best} and {second} are too close to call: their ranges over repetitions overlap."
        stopped = sorted(m for m, c in row.cells.items() if c.errors and c.median() is None)
        if stopped:
            s += f" Stopped before the end (too slow, see the matrix): {', '.join(stopped)}."
        out.append(s)
    return out, wins


def family_sentences(rows):
    """One sentence per benchmark family: who wins how many of its cells, and the
    standings at its largest size (strong hash first)."""
    by_family = {}
    for row in rows:
        if row.ranked():
            by_family.setdefault(row.family, []).append(row)
    out = []
    for family, frows in sorted(by_family.items()):
        wins, close = {}, 0
        for row in frows:
            ranked = row.ranked()
            wins[ranked[0][0]] = wins.get(ranked[0][0], 0) + 1
            if len(ranked) > 1 and _close(row, ranked[0][0], ranked[1][0]):
                close += 1
        tally = ", ".join(f"{m} {k}" for m, k in sorted(wins.items(), key=lambda kv: (-kv[1], kv[0])))
        key = max(frows, key=lambda r: (r.hash == "strong", r.size if isinstance(r.size, int) else 0,
                                        r.rest == (), r.rest))
        ranked = key.ranked()
        best, best_ns = ranked[0]
        standings = ", ".join(f"{m} {ns / best_ns:.2f}×" for m, ns in ranked[1:])
        s = (f"`{family}`: fastest in {len(frows)} cell{'s' if len(frows) > 1 else ''}: {tally}. "
             f"At {key.label.split(', ', 1)[1]}: {best} {fmt(best_ns)} ns/op"
             + (f", then {standings}" if standings else "") + ".")
        if close:
            s += f" In {close} of the {len(frows)} cells the two fastest overlap over repetitions."
        stopped = sorted({m for r in frows for m, c in r.cells.items() if c.errors and c.median() is None})
        if stopped:
            s += f" Stopped before the end in some cells (too slow): {', '.join(stopped)}."
        out.append(s)
    return out


def trace_sentences(churn):
    """From the churn traces: one run, wall time per window (not a benchmark)."""
    medians = {}
    for m, t in churn.items():
        ns = [x for x in t.column("ns_per_op")[1:] if x is not None]
        if ns:
            medians[m] = statistics.median(ns)
    if not medians:
        return []
    ranked = sorted(medians.items(), key=lambda kv: (kv[1], kv[0]))
    t0 = churn[ranked[0][0]]
    best, best_ns = ranked[0]
    s = (f"Churn trace ({t0.how()}): {best} has the lowest median time per erase+insert pair, "
         f"{fmt(best_ns)} ns")
    others = [f"{m} {ns / best_ns:.2f}×" for m, ns in ranked[1:]]
    if others:
        s += "; relative to it: " + ", ".join(others)
    s += ". One run, medians over the trace's windows; the benchmark matrix, with repetitions, is the reference."
    out = [s]
    per_key = {m: t.rows[-1]["bytes"] / t.rows[-1]["size"] for m, t in churn.items()
               if t.rows[-1]["bytes"] is not None and t.rows[-1]["size"]}
    if per_key:
        lean = sorted(per_key.items(), key=lambda kv: (kv[1], kv[0]))
        out.append("Memory after the churn: " + ", ".join(f"{m} {fmt(b)} bytes per live key"
                                                          for m, b in lean) + ".")
    drifted = []
    for m, t in churn.items():
        first, last = t.rows[0]["miss_probe"], t.rows[-1]["miss_probe"]
        if first and last is not None and last / first > 1.1:
            drifted.append(f"{m}'s unsuccessful lookups went from {fmt(first)} to {fmt(last)} probes")
    steady = [m for m, t in churn.items() if t.has("miss_probe") and m not in
              {d.split("'")[0] for d in drifted}]
    if drifted:
        out.append("Drift: " + "; ".join(drifted) + ".")
    if steady:
        out.append(f"No drift in unsuccessful-lookup probe length (under 10% over the trace): "
                   f"{', '.join(steady)}.")
    return out


# What erase does, per strategy (reports/../DESIGN notes; the strategy files say the same).
POLICIES = {
    "go": "Go's classic map: slot marked emptyOne/emptyRest; reused only by a key of the same bucket chain; overflow buckets until a same-size grow",
    "goswiss": "Go 1.24+ Swiss map: slot emptied if its 8-slot group has room, else a tombstone; the first tombstone on an insert's probe is reused; tombstones pruned or dropped by a grow/split at 7/8",
    "backshift": "linear probing, Knuth's Algorithm R: later keys shift back, no tombstones",
    "tombstone": "linear probing with tombstones, reused by the next insert passing by; rebuild at max load",
    "graveyard": "linear probing with tombstones plus periodic rebuilds planting evenly spaced tombstones (Bender et al. 2021)",
    "absl": "absl::flat_hash_map: kEmpty if the 16-slot group never filled, else kDeleted (a tombstone); in-place rehash clears them",
    "robin": "tsl::robin_map: backward shift, no tombstones",
    "boost": "boost::unordered_flat_map: slot freed at once, overflow bits stay; anti-drift lowers max load, forcing rebuilds",
    "std": "std::unordered_map: the node is freed; the allocator decides reuse",
    "dense": "google::dense_hash_map: the bucket gets the deleted key (a tombstone); reused by an insert passing by, purged only by a resize",
}


def registry_summary(ctx, name):
    """The registry's own line for a map this page has no sentence for (a map of your
    own, --with-map): meta.json's map_summaries, written by `scripts/slotlab run`."""
    summaries = ctx.meta.value.get("map_summaries") if ctx.meta.ok and isinstance(ctx.meta.value, dict) else None
    return str(summaries.get(name, "")) if isinstance(summaries, dict) else ""


def glance(ctx):
    """One row per map: the figures a reader compares first, from whatever is present."""
    maps = sorted(set(ctx.churn) | set(ctx.bench_maps))
    churn_rows = [r for r in ctx.rows if r.family == "churn" and r.hash == "strong"]
    big = max(churn_rows, key=lambda r: (r.size if isinstance(r.size, int) else 0), default=None)
    lat = ctx.run.json("bench/latency.json", "scripts/slotlab bench")
    lat_maps = lat.value.get("maps") if lat.ok and isinstance(lat.value, dict) else None
    headers = ["map", "what erase does"]
    if big is not None:
        headers.append(f"churn ns/op, n = {big.size:,} (× fastest)")
    elif ctx.churn:
        headers.append("churn ns/op, trace median")
    headers += ["bytes / key", "miss probe drift", "tombstones at end"]
    if isinstance(lat_maps, dict):
        headers.append("p99.9 / max ns (churn)")
    rows = []
    fastest = big.ranked()[0][1] if big is not None and big.ranked() else None
    for m in maps:
        t = ctx.churn.get(m)
        row = [m, POLICIES.get(m) or registry_summary(ctx, m)]
        if big is not None:
            cell = big.cells.get(m)
            med = cell.median() if cell else None
            row.append(f"{fmt(med)} ({med / fastest:.2f}×)" if med is not None else "n/a")
        elif ctx.churn:
            ns = [x for x in t.column("ns_per_op")[1:] if x is not None] if t else []
            row.append(fmt(statistics.median(ns)) if ns else "n/a")
        if t is not None:
            last, first = t.rows[-1], t.rows[0]
            row.append(fmt(last["bytes"] / last["size"]) if last["bytes"] is not None else "n/a")
            row.append(f"{fmt(first['miss_probe'])} → {fmt(last['miss_probe'])}"
                       if first["miss_probe"] is not None and last["miss_probe"] is not None else "n/a")
            row.append(pct(last["tombstones"] / last["slots"])
                       if last["tombstones"] is not None and last["slots"] else "n/a")
        else:
            row += ["n/a", "n/a", "n/a"]
        if isinstance(lat_maps, dict):
            q = lat_maps.get(m, {}).get("churn") if isinstance(lat_maps.get(m), dict) else None
            row.append(f"{fmt(q.get('p99.9'))} / {fmt(q.get('max'))}"
                       if isinstance(q, dict) and isinstance(q.get("p99.9"), (int, float))
                       and isinstance(q.get("max"), (int, float)) else "n/a")
        rows.append(row)
    return headers, rows


def build(ctx, sec):
    rows, churn = ctx.rows, ctx.churn
    if churn or rows:
        headers, table = glance(ctx)
        sec.table(headers, table, caption="At a glance: each map's deletion policy and its "
                  "figures from this run (n/a: not measured, or the map cannot report it).",
                  how="Time: the benchmark matrix when present (median), else the churn "
                      "traces; memory, drift and tombstones: the churn traces "
                      "(start → end); tail latency: bench/latency.json.", numeric_from=2)
    if rows:
        sentences, wins = bench_sentences(rows)
        tally = sorted(wins.items(), key=lambda kv: (-kv[1], kv[0]))
        sec.text(f"From the benchmark matrix ({len(rows)} workload cells, medians over "
                 "repetitions): " + ", ".join(f"{m} is fastest in {k}" for m, k in tally)
                 + ". Per family of workloads:")
        sec.sentences(family_sentences(rows))
        sec.blocks.append({"kind": "details", "summary": f"Every workload cell in words ({len(sentences)})",
                           "items": sentences})
    else:
        sec.miss(ctx.bench_missing)
    if churn:
        sec.sentences(trace_sentences(churn))
    else:
        sec.miss(ctx.run.why_missing("churn trace (traces/<map>-churn.csv)", "scripts/slotlab run"))
