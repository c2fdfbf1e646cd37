"""The matrix: workloads x maps, each row normalised to its fastest map."""
import re

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


def build(ctx, sec):
    rows, maps = ctx.rows, ctx.bench_maps
    for p in ctx.bench_problems:
        sec.error(p)
    if not rows:
        sec.miss(ctx.bench_missing)
        return
    table = []
    for row in rows:
        ranked = row.ranked()
        best = ranked[0][1] if ranked else None
        first = not table or table[-1]["family"] != row.family
        line = [{"text": row.label, "cls": "label"}]
        for m in maps:
            cell = row.cells.get(m)
            med = cell.median() if cell else None
            if med is None and cell is not None and cell.errors:
                reached = re.search(r"at ([0-9]+) ns/op", cell.errors[0])
                line.append({"text": "stopped", "cls": "bad", "title": cell.errors[0],
                             "sub": [f"≥ {fmt(float(reached.group(1)))} ns" if reached else "error",
                                     "over the time cap" if "cap" in cell.errors[0] else ""]})
                continue
            if med is None:
                line.append({"text": "not measured", "cls": "na"})
                continue
            ratio = med / best
            spread = cell.spread()
            lf = cell.counter("load_factor")
            detail = [f"{fmt(med)} ns"]
            if spread:
                detail.append(f"{fmt(spread[0])}–{fmt(spread[1])}")
            if lf is not None:
                detail.append(f"load {lf:.2f}")
            cls = "best" if ratio == 1.0 else ("bad" if ratio >= 2 else ("meh" if ratio >= 1.25 else ""))
            line.append({"text": f"{ratio:.2f}×", "sub": detail, "cls": cls,
                         "title": f"{m}: median {fmt(med)} ns/op over {len(cell.ns) or 1} "
                                  f"repetition(s)"})
        table.append({"family": row.family, "cells": line, "cls": "group" if first else ""})
    reps = sorted({len(c.ns) for r in rows for c in r.cells.values() if c.ns})
    sec.table(["workload"] + maps, [{"cells": r["cells"], "cls": r["cls"]} for r in table],
              caption="Each cell: median time per op divided by the row's fastest median "
                      "(1.00× = fastest, bold); below it the median in ns, then the range "
                      "min–max over repetitions and the actual load factor "
                      "(live keys / slots) at the end of the measurement.",
              how=f"Google Benchmark; time per op = {timing(rows)}; repetitions per cell: "
                  f"{', '.join(map(str, reps)) or 'n/a'}; from {len(ctx.bench_files)} file(s) "
                  f"under bench/ (each linked under Environment and raw data). Hash and n as in the row label.")
