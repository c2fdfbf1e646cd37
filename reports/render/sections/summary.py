"""Summary: for each workload, who wins and by how much, in sentences from the data."""
import statistics

from reports.render.sections.base import fmt

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
        out.append(s)
    return out, wins


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


def build(ctx, sec):
    rows = ctx.rows
    if rows:
        sentences, wins = bench_sentences(rows)
        tally = sorted(wins.items(), key=lambda kv: (-kv[1], kv[0]))
        sec.text(f"From the benchmark matrix ({len(rows)} workload cells): "
                 + ", ".join(f"{m} is fastest in {k}" for m, k in tally) + ".")
        sec.sentences(sentences)
    else:
        sec.miss(ctx.bench_missing)
    churn = ctx.churn
    if churn:
        sec.sentences(trace_sentences(churn))
    else:
        sec.miss("no churn traces (traces/<map>-churn.csv) in this run: run `scripts/slotlab run`")
