"""Load-factor sweep of the linear-probing family, against Knuth's formulas."""
import statistics

from reports.render import figures
from reports.render.sections.base import fmt, label

ID = "sweep"
TITLE = "Load-factor sweep: the linear-probing family"
FAMILY = ("backshift", "tombstone", "graveyard")


def knuth_hit(a):
    return 0.5 * (1 + 1 / (1 - a))


def knuth_miss(a):
    return 0.5 * (1 + 1 / (1 - a) ** 2)


def steady(t, column):
    """Mean of a column over the churn windows (the fill row left out)."""
    vals = [r[column] for r in t.rows[1:] if r[column] is not None]
    return statistics.mean(vals) if vals else None


def sweep_points(traces):
    """map -> sorted [(load, trace)] for churn traces with --load."""
    out = {}
    for t in traces:
        if t.load is not None and t.workload == "churn" and t.hash == "strong":
            out.setdefault(t.map, []).append((t.load, t))
    return {m: sorted(v, key=lambda lt: lt[0]) for m, v in sorted(out.items())}


def build(ctx, sec):
    points = sweep_points(ctx.traces)
    if not points:
        registered = [m for m in FAMILY if m in ctx.maps]
        if registered:
            sec.miss(f"no churn traces with a fixed load (traces/<map>-churn-load<A>.csv) in this "
                     f"run, though {', '.join(registered)} are registered: run `scripts/slotlab run`")
        else:
            sec.miss("the linear-probing family (backshift, tombstone, graveyard) is not registered "
                     "in this build, so there is nothing to sweep (maps in this run: "
                     f"{', '.join(ctx.maps) or 'none'})")
        return
    fig, (ax1, ax2) = figures.new(width=7.6, height=4.4, ncols=2)
    loads = sorted({a for v in points.values() for a, _ in v})
    grid = [loads[0] + (loads[-1] - loads[0]) * i / 100 for i in range(101)]
    ax1.plot(grid, [knuth_miss(a) for a in grid], color="black", linewidth=1, linestyle=":",
             label="Knuth: ½(1+1/(1−a)²)")
    ax2.plot(grid, [knuth_hit(a) for a in grid], color="black", linewidth=1, linestyle=":",
             label="Knuth: ½(1+1/(1−a))")
    table = []
    hows = set()
    for m, lts in points.items():
        c = figures.colour(m)
        xs = [a for a, _ in lts]
        ax1.plot(xs, [steady(t, "insert_probe") for _, t in lts], color=c, marker="o",
                 label=label(m) + " insert")
        ax1.plot(xs, [steady(t, "miss_probe") for _, t in lts], color=c, marker="x",
                 linestyle="--", label=label(m) + " miss")
        ax2.plot(xs, [t.rows[-1]["mean_probe"] for _, t in lts], color=c, marker="o", label=label(m))
        for a, t in lts:
            sec.source(t.rel)
            hows.add(f"n = {t.n:,}, {t.ops // t.n} turnovers")
            table.append([m, f"{a:g}", fmt(steady(t, "insert_probe")), fmt(steady(t, "miss_probe")),
                          fmt(knuth_miss(a)), fmt(t.rows[-1]["mean_probe"]), fmt(knuth_hit(a)),
                          fmt(t.rows[-1]["rehashes"])])
    ax1.set_yscale("log")
    ax1.set_title("Inserts and unsuccessful lookups")
    ax2.set_title("Successful lookups")
    for ax in (ax1, ax2):
        ax.set_xlabel("load factor a (live keys / slots)")
        ax.set_ylabel("slots inspected")
    handles, labels = ax1.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    fig.legend(handles + h2[:1], labels + l2[:1], loc="lower center", ncol=4, fontsize=7,
               bbox_to_anchor=(0.5, 0.0))
    fig.tight_layout(rect=(0, 0.08 + 0.035 * ((len(labels) + 1) // 4), 1, 1))
    how = ("Churn at a fixed capacity (`scripts/slotlab trace --load A`), strong hash, "
           + "; ".join(sorted(hows)) + ". Measured: mean over the churn windows; "
           "Knuth's formulas are for a table without deletions (TAOCP vol. 3, 6.4).")
    sec.figure(figures.to_svg(fig, "sweep", TITLE), "Probe lengths against load factor.", how)
    sec.table(["map", "load", "insert probe", "miss probe", "Knuth miss", "hit probe (end)",
               "Knuth hit", "rebuilds"], table, how=how)
    missing = [m for m in FAMILY if m in ctx.maps and m not in points]
    if missing:
        sec.miss(f"no fixed-load traces for {', '.join(missing)} in this run")
