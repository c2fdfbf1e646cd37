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


def fill_vs_knuth(points):
    """One sentence from the data: how far each map's fill strays from Knuth."""
    close, far = [], []
    for m, lts in points.items():
        worst = 0.0
        for a, t in lts:
            for col, formula in (("mean_probe", knuth_hit), ("miss_probe", knuth_miss)):
                v = t.rows[0][col]
                if v is not None:
                    worst = max(worst, abs(v / formula(a) - 1))
        (close if worst <= 0.10 else far).append((m, worst))
    parts = []
    if close:
        parts.append("After the fill, " + ", ".join(m for m, _ in close)
                     + " stay within 10% of Knuth's formulas at every load")
    if far:
        parts.append(("; " if parts else "After the fill, ") + ", ".join(
            f"{m} strays up to {100 * w:.0f}%" for m, w in far))
    return "".join(parts) + "." if parts else ""


def build(ctx, sec):
    points = sweep_points(ctx.traces)
    if not points:
        registered = [m for m in FAMILY if m in ctx.maps]
        if registered:
            sec.miss(f"no churn traces with a fixed load (traces/<map>-churn-load<A>.csv) in this "
                     f"run, though {', '.join(registered)} are registered: run `scripts/slotlab theory`")
        else:
            sec.miss("the linear-probing family (backshift, tombstone, graveyard) is not registered "
                     "in this build, so there is nothing to sweep (maps in this run: "
                     f"{', '.join(ctx.maps) or 'none'})")
        return
    sec.text("The three linear-probing strategies share one table and differ only in what erase "
             "does. Each trace fixes the capacity so the live load stays at a: first the fill "
             "(no deletion yet, where Knuth's formulas hold), then steady churn, where the "
             "deletion policy shows.")
    fig, (ax1, ax2) = figures.new(width=7.8, height=4.4, ncols=2, sharey=True)
    loads = sorted({a for v in points.values() for a, _ in v})
    grid = [loads[0] + (loads[-1] - loads[0]) * i / 100 for i in range(101)]
    for ax in (ax1, ax2):
        ax.plot(grid, [knuth_miss(a) for a in grid], color="black", linewidth=1, linestyle=":",
                label="Knuth, miss/insert: ½(1+1/(1−a)²)")
        ax.plot(grid, [knuth_hit(a) for a in grid], color="grey", linewidth=1, linestyle="-.",
                label="Knuth, hit: ½(1+1/(1−a))")
    table = []
    hows = set()
    # Insert cost: the walk to the landing slot (place_probe) where the table reports it;
    # insert_probe adds the absence check.
    place = ("place_probe" if any(t.has("place_probe") for v in points.values() for _, t in v)
             else "insert_probe")
    for m, lts in points.items():
        c = figures.colour(m)
        xs = [a for a, _ in lts]
        ax1.plot(xs, [t.rows[0]["miss_probe"] for _, t in lts], color=c, marker="x",
                 linestyle="--", label=label(m) + ": miss")
        ax1.plot(xs, [t.rows[0]["mean_probe"] for _, t in lts], color=c, marker="o",
                 label=label(m) + ": hit")
        ax2.plot(xs, [steady(t, place) for _, t in lts], color=c, marker="s",
                 label=label(m) + ": insert")
        ax2.plot(xs, [steady(t, "miss_probe") for _, t in lts], color=c, marker="x",
                 linestyle="--", label=label(m) + ": miss")
        for a, t in lts:
            sec.source(t.rel)
            hows.add(f"n = {t.n:,}, {t.ops // t.n} turnovers")
            table.append([m, f"{a:g}", fmt(t.rows[0]["mean_probe"]), fmt(knuth_hit(a)),
                          fmt(t.rows[0]["miss_probe"]), fmt(knuth_miss(a)),
                          fmt(steady(t, place)), fmt(steady(t, "miss_probe")),
                          fmt(t.rows[-1]["tombstones"] / t.rows[-1]["slots"]
                              if t.rows[-1]["tombstones"] is not None and t.rows[-1]["slots"] else None),
                          fmt(t.rows[-1]["rehashes"])])
    ax1.set_yscale("log")
    ax1.set_title("After the fill (no deletions)")
    ax2.set_title("Steady churn (mean over windows)")
    for ax in (ax1, ax2):
        ax.set_xlabel("load factor a (live keys / slots)")
    ax1.set_ylabel("slots inspected")
    handles, labels = ax1.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    handles += [h for h, lab in zip(h2, l2) if lab.endswith("insert")]
    labels += [lab for lab in l2 if lab.endswith("insert")]
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=7, bbox_to_anchor=(0.5, 0.0))
    fig.tight_layout(rect=(0, 0.06 + 0.03 * ((len(labels) + 2) // 3), 1, 1))
    how = ("`scripts/slotlab trace --workload churn --load A` (fixed capacity), strong hash, "
           + "; ".join(sorted(hows)) + ". After the fill: the ops=0 row (mean_probe over all "
           "live keys, miss_probe over 1024 absent keys); churn: mean over the windows, insert = "
           f"{place}. Knuth, "
           "TAOCP vol. 3, 6.4, for a table without deletions.")
    sec.figure(figures.to_svg(fig, "sweep", TITLE),
               "Probe lengths against load factor. " + fill_vs_knuth(points), how)
    sec.table(["map", "load", "hit (fill)", "Knuth hit", "miss (fill)", "Knuth miss",
               "insert (churn)", "miss (churn)", "tombstones / slots (end)", "rebuilds"], table,
              caption="The figures behind the plot.", collapsed=True)
    missing = [m for m in FAMILY if m in ctx.maps and m not in points]
    if missing:
        sec.miss(f"no fixed-load traces for {', '.join(missing)} in this run")
