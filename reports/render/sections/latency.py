"""Tail latency per map and phase, from bench/latency.json."""
from reports.render import figures
from reports.render.runfiles import Malformed, mapping, number
from reports.render.sections.base import duration_ns, fmt, fmt_n, label

ID = "latency"
TITLE = "Tail latency"
REL = "bench/latency.json"
QUANTILES = ["p50", "p99", "p99.9", "p99.99", "max"]


def build(ctx, sec):
    doc = sec.load_json(ctx, REL, "scripts/slotlab bench")
    if doc is None:
        return
    try:
        maps = mapping(doc, "maps", REL)
        data = {}
        for m in sorted(maps):
            phases = mapping(maps, m, REL, "maps.")
            for ph in sorted(phases):
                q = mapping(phases, ph, REL, f"maps.{m}.")
                data[(m, ph)] = [number(q, k, REL, f"maps.{m}.{ph}.", lo=0) for k in QUANTILES]
    except Malformed as e:
        sec.error(ctx.run.note_malformed(REL, str(e).split(": ", 1)[-1]))
        return
    if not data:
        sec.miss(f"{REL} lists no map")
        return
    phases = sorted({ph for _, ph in data})
    fig, axes = figures.new(width=3.6 * len(phases) + 0.8, height=3.2, ncols=len(phases),
                            squeeze=False, sharey=True)
    for ax, ph in zip(axes[0], phases):
        for m in sorted({m for m, p in data if p == ph}):
            ax.plot(range(len(QUANTILES)), data[(m, ph)], marker="o", color=figures.colour(m),
                    label=label(m))
        ax.set_xticks(range(len(QUANTILES)), QUANTILES)
        ax.set_yscale("log")
        ax.set_title(f"during {label(ph)}")
        ax.set_xlabel("quantile")
    axes[0][0].set_ylabel("ns per op")
    figures.legend_outside(axes[0][-1])
    how = (f"Per-op latency from {REL}: {doc.get('workload', 'n/a')}; hash "
           f"{doc.get('hash', 'n/a')}, n = {fmt_n(doc.get('n'))}; clock: {doc.get('clock', 'n/a')}.")
    findings = []
    for ph in phases:
        rows = sorted((vals, m) for (m, p), vals in data.items() if p == ph)
        by_tail = sorted(rows, key=lambda vm: (vm[0][2], vm[1]))
        by_max = sorted(rows, key=lambda vm: (vm[0][4], vm[1]))
        findings.append(
            f"During {ph}: the lowest p99.9 is {by_tail[0][1]}'s ({duration_ns(by_tail[0][0][2])}), "
            f"the highest {by_tail[-1][1]}'s ({duration_ns(by_tail[-1][0][2])}); the longest single "
            f"op took {duration_ns(by_max[-1][0][4])} ({by_max[-1][1]}), the smallest worst case "
            f"is {by_max[0][1]}'s ({duration_ns(by_max[0][0][4])}).")
    sec.sentences(findings)
    sec.figure(figures.to_svg(fig, "latency", TITLE),
               "Latency quantiles per op, log scale: the right end shows rehash and "
               "evacuation spikes.", how)
    sec.table(["map", "phase"] + QUANTILES + ["max / p50"],
              [[m, ph] + [fmt(v) for v in vals] + [fmt(vals[-1] / vals[0]) if vals[0] else "n/a"]
               for (m, ph), vals in sorted(data.items())], caption="The quantiles behind the plot, in ns.",
              numeric_from=2)
