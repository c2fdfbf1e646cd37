"""Drift: what long churn does to each map, from the churn traces."""
from reports.render import figures
from reports.render.sections.base import fmt, label, pct

ID = "drift"
TITLE = "Drift over turnovers (churn traces)"

# (title, y label, value of a row or None, what an empty column means)
PANELS = [
    ("Time per erase+insert pair", "ns per op (window)", lambda r: r["ns_per_op"], "no timing"),
    ("Unsuccessful lookups", "probes per miss", lambda r: r["miss_probe"],
     "probe lengths not exposed"),
    ("Successful lookups", "probes per hit", lambda r: r["mean_probe"],
     "probe lengths not exposed"),
    ("Tombstones", "tombstones / slots",
     lambda r: r["tombstones"] / r["slots"] if r["tombstones"] is not None and r["slots"] else None,
     "no tombstones, or not exposed"),
    ("Overflow buckets (Go's noverflow)", "overflow buckets", lambda r: r["overflow_buckets"],
     "no overflow buckets (Go only)"),
    ("Memory (counting allocator)", "bytes per live key",
     lambda r: r["bytes"] / r["size"] if r["bytes"] is not None and r["size"] else None,
     "no byte count"),
]


def plot(churn):
    fig, axes = figures.new(width=7.8, height=8.2, ncols=2, nrows=3, sharex=True)
    notes = []
    for ax, (title, ylabel, value, empty_means) in zip([a for row in axes for a in row], PANELS):
        empty = []
        for m, t in churn.items():
            ys = [value(r) for r in t.rows]
            if all(v is None for v in ys):
                empty.append(m)
                continue
            ax.plot(t.turnovers(), [v if v is not None else float("nan") for v in ys],
                    color=figures.colour(m), label=label(m), marker=".", markersize=4)
        ax.set_title(title, fontsize=9)
        ax.set_ylabel(ylabel)
        if len(empty) == len(churn):
            ax.text(0.5, 0.5, "no map in this run\nreports this", transform=ax.transAxes,
                    ha="center", va="center", color="grey")
            ax.set_yticks([])
        elif title.startswith(("Time", "Memory")):
            ax.set_ylim(bottom=0)
        if empty:
            notes.append(f"{title}: {', '.join(empty)} — {empty_means}")
    for ax in axes[-1]:
        ax.set_xlabel("turnovers (ops / n)")
    handles = [figures.plt.Line2D([], [], color=figures.colour(m), marker=".", label=label(m))
               for m in churn]
    fig.legend(handles=handles, loc="upper center", ncol=min(len(handles), 8), fontsize=8,
               bbox_to_anchor=(0.5, 1.0))
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    return fig, notes


def build(ctx, sec):
    churn = ctx.churn
    for p in ctx.trace_problems:
        sec.error(p)
    if not churn:
        sec.miss(ctx.run.why_missing("churn trace (traces/<map>-churn.csv)", "scripts/slotlab run"))
        return
    for t in churn.values():
        sec.source(t.rel)
    hows = sorted({t.how() for t in churn.values()})
    sec.text("Each map runs the churn workload (fill n random keys, then erase a random live "
             "key and insert a fresh one, over and over) and reports its own state every window. "
             "A map that drifts gets slower, probes longer or grows as the turnovers pile up.")
    fig, notes = plot(churn)
    sec.figure(figures.to_svg(fig, "drift", TITLE),
               "Six views of the same churn traces. Not shown, because the map cannot report "
               "it (an empty trace column, never a zero): " + ("; ".join(notes) if notes else "none") + ".",
               "From traces/<map>-churn.csv (`scripts/slotlab trace`): " + "; ".join(hows)
               + ". Time: wall clock (steady_clock) per window, one run, checkpoint work "
               "excluded. Probes: each map's own instrumentation (slots, or groups for SIMD "
               "maps; see the README's trace columns). Bytes: the counting allocator.")
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
