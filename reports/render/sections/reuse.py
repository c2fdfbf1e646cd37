"""Slot reuse: how many erased slots get another key, and how soon (bench/reuse.json);
where that is missing, the reuse counters of the churn traces."""
from reports.render import figures
from reports.render.runfiles import Malformed, listing, mapping, number
from reports.render.sections.base import fmt, fmt_n, label, pct

ID = "reuse"
TITLE = "Slot reuse and reuse distance"
REL = "bench/reuse.json"


def from_json(ctx, sec):
    doc = sec.load_json(ctx, REL, "scripts/slotlab bench")
    if doc is None:
        return
    try:
        maps = mapping(doc, "maps", REL)
        data = []
        for m in sorted(maps):
            e = mapping(maps, m, REL, "maps.")
            w = f"maps.{m}."
            dist = mapping(e, "distance", REL, w)
            edges = [float(x) for x in listing(dist, "edges", REL, w + "distance.")]
            counts = [float(x) for x in listing(dist, "counts", REL, w + "distance.")]
            if len(edges) != len(counts) + 1:
                raise Malformed(f"{REL}: {w}distance: 'edges' must have one more entry than 'counts'")
            if any(c < 0 for c in counts):
                raise Malformed(f"{REL}: {w}distance.counts: a count below zero")
            data.append((m, number(e, "reused_fraction", REL, w, optional=True, lo=0, hi=1),
                         edges, counts, e.get("method", "n/a"),
                         number(e, "erased", REL, w, optional=True, lo=0)))
    except (Malformed, TypeError, ValueError) as e:
        sec.error(ctx.run.note_malformed(REL, str(e).split(": ", 1)[-1]))
        return
    if not data:
        sec.miss(f"{REL} lists no map")
        return
    findings = []
    for m, frac, edges, counts, _, _ in data:
        if frac is None:
            continue
        lo_hi = _median_range(edges, counts)
        findings.append(f"{m}: {100 * frac:.0f}% of erased slots held another key by the end"
                        + (f"; the median reuse distance lies between {fmt(lo_hi[0])} and "
                           f"{fmt(lo_hi[1])} inserts." if lo_hi else "."))
    sec.sentences(findings)
    fig, ax = figures.new()
    for m, _, edges, counts, _, _ in data:
        if not counts or not sum(counts):
            continue
        total, run, cum = sum(counts), 0, []
        for c in counts:
            run += c
            cum.append(run / total)
        ax.plot([max(e, 0.5) for e in edges[1:]], cum, color=figures.colour(m), marker=".",
                label=label(m), drawstyle="steps-post")
    ax.set_xscale("log", base=2)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("reuse distance d (inserts between a slot's erase and its next key)")
    ax.set_ylabel("share of reused slots with distance < d")
    ax.set_title("Reuse distance, cumulative")
    figures.legend_outside(ax)
    methods = sorted({str(d[4]) for d in data})
    how = (f"From {REL}: workload {doc.get('workload', 'n/a')}, hash {doc.get('hash', 'n/a')}, "
           f"n = {fmt_n(doc.get('n'))}, ops = {fmt_n(doc.get('ops'))}. Method: {'; '.join(methods)}.")
    sec.figure(figures.to_svg(fig, "reuse", TITLE),
               "Short distances mean a stale pointer to an erased entry soon sees another key's "
               "data; long ones mean the old, valid-looking memory lingers.", how)
    sec.table(["map", "erased slots reused", "erased", "median distance bin"],
              [[m, pct(frac), fmt(erased), _median_bin(edges, counts)]
               for m, frac, edges, counts, method, erased in data],
              caption="Erased slots that held another key by the end, and the median reuse distance.")


def _median_range(edges, counts):
    """The histogram bin [lo, hi) holding the median, or None."""
    total, run = sum(counts), 0
    for i, c in enumerate(counts):
        run += c
        if total and run >= total / 2:
            return edges[i], edges[i + 1]
    return None


def _median_bin(edges, counts):
    lo_hi = _median_range(edges, counts)
    return f"[{fmt(lo_hi[0])}, {fmt(lo_hi[1])})" if lo_hi else "n/a"


def from_traces(ctx, sec):
    rows, silent = [], []
    for m, t in ctx.churn.items():
        last = t.rows[-1]
        r, f = last["reused_slot_inserts"], last["fresh_slot_inserts"]
        if r is not None and f is not None and r + f > 0:
            rows.append([m, pct(r / (r + f)), fmt(r), fmt(f)])
            sec.source(t.rel)
        else:
            silent.append(m)
    if rows:
        t0 = next(iter(ctx.churn.values()))
        sec.table(["map", "inserts into a reused slot", "reused", "fresh"], rows,
                  caption="Where the churn trace's inserts landed (cumulative over the trace)."
                          + (f" {', '.join(silent)} cannot tell (empty trace columns)." if silent else ""),
                  how=f"From traces/<map>-churn.csv ({t0.how()}); counted by the map's own "
                      "instrumentation.")


def build(ctx, sec):
    from_json(ctx, sec)
    if ctx.churn:
        from_traces(ctx, sec)
