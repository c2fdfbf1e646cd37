"""Cache misses per op, labelled hardware or simulated, from bench/cache.json."""
from reports.render import figures
from reports.render.runfiles import Malformed, mapping, number
from reports.render.sections.base import fmt, fmt_n, label

ID = "cache"
TITLE = "Cache misses per op"
REL = "bench/cache.json"


def build(ctx, sec):
    doc = sec.load_json(ctx, REL, "scripts/slotlab bench")
    if doc is None:
        return
    try:
        maps = mapping(doc, "maps", REL)
        rows, unmeasured = [], {}
        for m in sorted(maps):
            e = mapping(maps, m, REL, "maps.")
            source = e.get("source", doc.get("source"))
            if source not in ("hardware", "simulated"):
                raise Malformed(f"{REL}: maps.{m}: 'source' must be \"hardware\" or \"simulated\"")
            d1 = number(e, "d1_misses_per_op", REL, f"maps.{m}.", optional=True)
            ll = number(e, "ll_misses_per_op", REL, f"maps.{m}.", optional=True)
            if d1 is None and ll is None:
                unmeasured[m] = "no figure"
                continue
            rows.append((m, d1, ll, source))
        if isinstance(doc.get("unavailable"), dict):
            unmeasured.update({str(k): str(v) for k, v in doc["unavailable"].items()})
    except Malformed as e:
        sec.error(ctx.run.note_malformed(REL, str(e).split(": ", 1)[-1]))
        return
    for m in sorted(unmeasured):
        sec.miss(f"no cache figures for {m} in {REL}: {unmeasured[m]}")
    if not rows:
        if not unmeasured:
            sec.miss(f"{REL} lists no map")
        return
    sources = sorted({r[3] for r in rows})
    fig, ax = figures.new(width=6.4, height=0.45 * len(rows) + 1.2)
    ys = range(len(rows))
    ax.barh([y - 0.2 for y in ys], [r[1] or 0 for r in rows], height=0.4,
            label="D1 (L1 data) misses", color="#4c72b0")
    ax.barh([y + 0.2 for y in ys], [r[2] or 0 for r in rows], height=0.4,
            label="LL (last level) misses", color="#dd8452")
    ax.set_yticks(list(ys), [label(f"{r[0]} ({r[3]})") for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel("misses per op")
    ax.set_title(f"Cache misses per op ({' and '.join(sources)})")
    figures.legend_outside(ax)
    tool = doc.get("tool", "n/a")
    detail = doc.get("workload", "n/a")
    how = (f"{' and '.join(sources).capitalize()} counts ({tool}); workload: {detail}; "
           f"hash {doc.get('hash', 'n/a')}, n = {fmt_n(doc.get('n'))}, ops = {fmt_n(doc.get('ops'))}. "
           "Bars at 0 with no table figure: not measured.")
    d1 = sorted((r[1], r[0]) for r in rows if r[1] is not None)
    ll = sorted((r[2], r[0]) for r in rows if r[2] is not None)
    findings = []
    if len(d1) > 1:
        findings.append(f"Fewest L1 data misses per op: {d1[0][1]} ({fmt(d1[0][0])}); most: "
                        f"{d1[-1][1]} ({fmt(d1[-1][0])}).")
    if len(ll) > 1:
        findings.append(f"Fewest last-level misses per op (the ones that go to memory): {ll[0][1]} "
                        f"({fmt(ll[0][0])}); most: {ll[-1][1]} ({fmt(ll[-1][0])}).")
    sec.sentences(findings)
    sec.figure(figures.to_svg(fig, "cache", TITLE), "Cache misses per op.", how)
    sec.table(["map", "D1 misses / op", "LL misses / op", "source"],
              [[m, fmt(d), fmt(ll), s] for m, d, ll, s in rows])
