"""The matrix: workloads x maps, each row normalised to its fastest map -- first as
one heatmap (the whole matrix at a glance), then as the table it is drawn from,
folded away (<details>, no JavaScript)."""
import math
import re

from matplotlib.colors import LogNorm

from reports.render import figures
from reports.render.sections.base import fmt

ID = "matrix"
TITLE = "The matrix: time per op, relative to the fastest map in each row"


def timing(rows):
    """What the times are, from the counters present."""
    counters = {k for r in rows for c in r.cells.values() for k in c.counters}
    if "wall_ns_per_op" in counters:
        return ("the harness's ns_per_op counter, the benchmark thread's CPU time per op "
                "(wall time per op is in the raw files as wall_ns_per_op)")
    if "ns_per_op" in counters:
        return "the harness's ns_per_op counter"
    return "Google Benchmark's real time per iteration (one iteration = one op)"


def ratio_text(ratio):
    """A ratio as both the heatmap and the table print it (the table adds ×)."""
    return f"{ratio:.2f}"


def heatmap(labels, maps, grid):
    """grid[i][j]: the ratio of row i, map j, or "stopped" / None. Colour on a log
    scale from 1 (the row's fastest) to the largest ratio; the number in each cell.
    Each annotation's gid (cell-i-j) lets the browser test match it to the table."""
    ratios = [v for row in grid for v in row if isinstance(v, float)]
    top = max(ratios + [2.0])
    norm = LogNorm(vmin=1.0, vmax=top)
    cmap = figures.plt.get_cmap("YlOrRd")
    fig, ax = figures.new(width=1.6 + 0.62 * len(maps), height=0.9 + 0.19 * len(labels))
    ax.grid(False)
    data = [[v if isinstance(v, float) else math.nan for v in row] for row in grid]
    # pcolormesh, not imshow: vector cells, where imshow would embed a PNG.
    image = ax.pcolormesh([j - 0.5 for j in range(len(maps) + 1)],
                          [i - 0.5 for i in range(len(labels) + 1)], data, cmap=cmap, norm=norm)
    ax.set_xlim(-0.5, len(maps) - 0.5)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            if isinstance(v, float):
                dark = norm(v) > 0.6
                ax.text(j, i, ratio_text(v), ha="center", va="center", fontsize=6.5,
                        color="white" if dark else "black", gid=f"cell-{i}-{j}")
            else:
                ax.add_patch(figures.plt.Rectangle((j - 0.5, i - 0.5), 1, 1, color="#e8e8e8"))
                ax.text(j, i, "stop" if v == "stopped" else "–", ha="center", va="center",
                        fontsize=6.5, color="#555", gid=f"cell-{i}-{j}")
    ax.set_xticks(range(len(maps)), maps, fontsize=7.5)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(labels)), labels, fontsize=6.5)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02, shrink=min(1.0, 12 / max(len(labels), 1)))
    bar.solids.set_rasterized(False)  # matplotlib rasterises long colour bars into a PNG
    ticks = []
    for t in (1, 1.25, 1.5, 2, 3, 5, 10, 20, 50, 100, 1000, 10000):  # at least 1/12 of the bar apart
        if t <= top and (not ticks or math.log(t / ticks[-1]) >= math.log(top) / 12):
            ticks.append(t)
    bar.set_ticks(ticks, labels=[f"{t:g}×" for t in ticks])
    bar.ax.minorticks_off()
    bar.set_label("× row's fastest (log)", fontsize=7)
    bar.ax.tick_params(labelsize=6.5)
    return fig


def build(ctx, sec):
    rows, maps = ctx.rows, ctx.bench_maps
    for p in ctx.bench_problems:
        sec.error(p)
    if not rows:
        sec.miss(ctx.bench_missing)
        return
    table, grid = [], []
    for row in rows:
        ranked = row.ranked()
        best = ranked[0][1] if ranked else None
        first = not table or table[-1]["family"] != row.family
        line = [{"text": row.label, "cls": "label"}]
        grid.append([])
        for m in maps:
            cell = row.cells.get(m)
            med = cell.median() if cell else None
            if med is None and cell is not None and cell.errors:
                reached = re.search(r"at ([0-9]+) ns/op", cell.errors[0])
                grid[-1].append("stopped")
                line.append({"text": "stopped", "cls": "bad", "title": cell.errors[0],
                             "sub": [f"≥ {fmt(float(reached.group(1)))} ns" if reached else "error",
                                     "over the time cap" if "cap" in cell.errors[0] else ""]})
                continue
            if med is None:
                grid[-1].append(None)
                line.append({"text": "not measured", "cls": "na"})
                continue
            ratio = med / best
            grid[-1].append(ratio)
            spread = cell.spread()
            lf = cell.counter("load_factor")
            detail = [f"{fmt(med)} ns"]
            if spread:
                detail.append(f"{fmt(spread[0])}–{fmt(spread[1])}")
            if lf is not None:
                detail.append(f"load {lf:.2f}")
            cls = "best" if ratio == 1.0 else ("bad" if ratio >= 2 else ("meh" if ratio >= 1.25 else ""))
            line.append({"text": f"{ratio_text(ratio)}×", "sub": detail, "cls": cls,
                         "title": f"{m}: median {fmt(med)} ns/op over {len(cell.ns) or 1} "
                                  f"repetition(s)"})
        table.append({"family": row.family, "cells": line, "cls": "group" if first else ""})
    reps = sorted({len(c.ns) for r in rows for c in r.cells.values() if c.ns})
    how = (f"Google Benchmark; time per op = {timing(rows)}; repetitions per cell: "
           f"{', '.join(map(str, reps)) or 'n/a'}; from {len(ctx.bench_files)} file(s) "
           f"under bench/ (each linked under Environment and raw data). Hash and n as in the row label.")
    sec.figure(figures.to_svg(heatmap([r.label for r in rows], maps, grid), "matrix-heatmap",
                              "Heatmap: time per op relative to the fastest map of each workload"),
               caption="Every workload (row) on every map (column): median time per op divided by "
                       "the row's fastest median, the number in each cell; 1.00 = fastest, the "
                       "colour darkens on a log scale. Grey: stopped over the profile's time cap "
                       "(stop) or not measured (–).",
               how=how)
    sec.table(["workload"] + maps, [{"cells": r["cells"], "cls": r["cls"]} for r in table],
              caption="The table behind the heatmap. Each cell: median time per op divided by the "
                      "row's fastest median (1.00× = fastest, bold); below it the median in ns, then "
                      "the range min–max over repetitions and the actual load factor "
                      "(live keys / slots) at the end of the measurement.",
              how=how, collapsed=True)
