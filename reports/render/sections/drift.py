"""Drift: what long churn does to each map, from the churn traces."""
from reports.render import figures
from reports.render.sections.base import fmt, label, pct

ID = "drift"
TITLE = "Drift over turnovers (churn traces)"

# (slug, title, y label, value of a row or None, what an empty column means)
METRICS = [
    ("throughput", "Time per erase+insert pair", "ns per op (window)",
     lambda r: r["ns_per_op"], "no timing"),
    ("probes", "Probe length: successful (solid) and unsuccessful (dashed) lookups",
     "probes per lookup", None, "probe lengths not exposed"),
    ("tombstones", "Tombstones as a fraction of slots", "tombstones / slots",
     lambda r: r["tombstones"] / r["slots"] if r["tombstones"] is not None and r["slots"] else None,
     "no tombstone notion or not exposed"),
    ("overflow", "Overflow buckets (Go's noverflow)", "overflow buckets",
     lambda r: r["overflow_buckets"], "no overflow buckets (Go only)"),
    ("bytes", "Memory per live key (counting allocator)", "bytes per live key",
     lambda r: r["bytes"] / r["size"] if r["bytes"] is not None and r["size"] else None,
     "no byte count"),
]


def plot_metric(churn, slug, title, ylabel, value):
    fig, ax = figures.new()
    drawn, empty = [], []
    for m, t in churn.items():
        x = t.turnovers()
        if slug == "probes":
            hit = [r["mean_probe"] for r in t.rows]
            miss = [r["miss_probe"] for r in t.rows]
            if all(v is None for v in hit + miss):
                empty.append(m)
                continue
            c = figures.colour(m)
            ax.plot(x, [v if v is not None else float("nan") for v in hit], color=c,
                    label=label(m), marker=".")
            ax.plot(x, [v if v is not None else float("nan") for v in miss], color=c,
                    linestyle="--", marker=".")
            drawn.append(m)
            continue
        ys = [value(r) for r in t.rows]
        if all(v is None for v in ys):
            empty.append(m)
            continue
        ax.plot(x, [v if v is not None else float("nan") for v in ys], color=figures.colour(m),
                label=label(m), marker=".")
        drawn.append(m)
    ax.set_xlabel("turnovers (ops / n)")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if slug in ("throughput", "bytes", "probes"):
        ax.set_ylim(bottom=0)
    if drawn:
        ax.legend(loc="best", fontsize=8, ncol=2)
    return fig, drawn, empty


def build(ctx, sec):
    churn = ctx.churn
    for p in ctx.trace_problems:
        sec.error(p)
    if not churn:
        sec.miss("no churn traces (traces/<map>-churn.csv) in this run: run `scripts/slotlab run`")
        return
    for t in churn.values():
        sec.source(t.rel)
    hows = sorted({t.how() for t in churn.values()})
    sec.text("Each map runs the churn workload (fill n random keys, then erase a random live "
             "key and insert a fresh one, over and over) and reports its own state every window. "
             "A map that drifts gets slower, probes longer or grows as the turnovers pile up.")
    for slug, title, ylabel, value, empty_means in METRICS:
        fig, drawn, empty = plot_metric(churn, slug, title, ylabel, value)
        if not drawn:
            figures.plt.close(fig)
            sec.miss(f"{title}: no map in this run reports it ({', '.join(empty)}: {empty_means}).")
            continue
        note = f" Not shown: {', '.join(empty)} ({empty_means})." if empty else ""
        how = ("From traces/<map>-churn.csv: " + "; ".join(hows) + ". "
               + ("Wall time (steady_clock) per window, one run, checkpoint work excluded."
                  if slug == "throughput" else
                  "Probes counted by each map's own instrumentation (README: trace columns)."
                  if slug == "probes" else "Counted by the map at each checkpoint."))
        sec.figure(figures.to_svg(fig, f"drift-{slug}", title), title + "." + note, how)
    table = []
    for m, t in churn.items():
        first, last = t.rows[0], t.rows[-1]
        win = [x for x in t.column("ns_per_op")[1:] if x is not None]
        table.append([
            m,
            f"{fmt(win[0])} → {fmt(win[-1])}" if win else "n/a",
            (f"{fmt(first['miss_probe'])} → {fmt(last['miss_probe'])}"
             if first["miss_probe"] is not None and last["miss_probe"] is not None else "n/a"),
            pct(last["tombstones"] / last["slots"]) if last["tombstones"] is not None and last["slots"] else "n/a",
            fmt(last["overflow_buckets"]),
            fmt(last["rehashes"]),
            fmt(last["bytes"] / last["size"]) if last["bytes"] is not None else "n/a",
            fmt(last["peak_bytes"] / last["size"]) if last["peak_bytes"] is not None else "n/a",
        ])
    sec.table(["map", "ns/op first → last window", "miss probe start → end", "tombstones at end",
               "overflow buckets at end", "rehashes", "bytes / key", "peak bytes / key"], table,
              caption="Start and end of each churn trace. n/a: the map cannot report the figure.",
              how="; ".join(hows))
