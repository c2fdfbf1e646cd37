"""Part of the validation section's graveyard story: Bender-Kuszmaul-Kuszmaul's
claim for every operation, unordered vs ordered linear probing, from
validation/ordered_lp.json (`scripts/slotlab theory`). Which operations get the
paper's O(x) and which stay Theta(x^2) is computed here from the fitted
exponents, with the thresholds the file states."""
from reports.render import figures
from reports.render.runfiles import (Malformed, count, field, listing, mapping, number, numbers,
                                     strings, text)
from reports.render.sections.base import fmt, fmt_n, label

REL = "validation/ordered_lp.json"
OPS = [("insert", "insert (absence check incl.)"), ("hit", "successful lookup"),
       ("miss", "unsuccessful lookup"), ("erase", "erase")]
O_X, THETA_X2 = 1.25, 1.7  # theory_ordered.py's classes; the file's "thresholds" say the same


def twin(name):
    """Ordered strategies are drawn dashed in their unordered twin's colour."""
    return name[len("ordered_"):] if name.startswith("ordered_") else name


def klass(k):
    if k is None:
        return "n/a"
    return "O(x)" if k <= O_X else "Θ(x²)" if k >= THETA_X2 else "neither"


def read_ordered(doc):
    """ordered_lp.json, every field the section draws checked: {maps, series: {map: [point]},
    k and kns: {map: {op: fitted exponent or None}}, checks, how, n, seeds, turnovers}."""
    maps = strings(doc, "maps", REL)
    points, exps = mapping(doc, "points", REL), mapping(doc, "exponents", REL)
    series, k, kns = {}, {}, {}
    for m in maps:
        w = f"points.{m}"
        pts = listing(points, m, REL, "points.")
        if not pts:
            raise Malformed(f"{REL}: '{w}' is empty")
        series[m] = [{"x": number(p, "x", REL, f"{w}[{i}].", lo=1),  # x = 1/(1-a) >= 1
                      **{op: number(p, f"{op}_probe", REL, f"{w}[{i}].", lo=0) for op, _ in OPS},
                      **{op + "_ns": number(p, f"{op}_ns", REL, f"{w}[{i}].", optional=True, lo=0)
                         for op, _ in OPS}}
                     for i, p in enumerate(pts)]
        fits = mapping(exps, m, REL, "exponents.")
        fits = {op: mapping(fits, op, REL, f"exponents.{m}.") for op, _ in OPS}
        # a fit that could not be made (a cost of 0) is null
        k[m] = {op: number(f, "probes", REL, f"exponents.{m}.{op}.", optional=True)
                for op, f in fits.items()}
        kns[m] = {op: number(f, "ns", REL, f"exponents.{m}.{op}.", optional=True)
                  for op, f in fits.items()}
    checks = []
    for i, c in enumerate(listing(doc, "acceptance", REL) if doc.get("acceptance") is not None else []):
        w = f"acceptance[{i}]."
        passed = field(c, "pass", REL, w)
        if not isinstance(passed, bool):
            raise Malformed(f"{REL}: '{w}pass' should be true or false")
        checks.append({"check": text(c, "check", REL, w, "n/a"), "pass": passed,
                       "value": number(c, "value", REL, w, optional=True)})
    return {"maps": maps, "series": series, "k": k, "kns": kns, "checks": checks,
            "how": text(doc, "how", REL, default="n/a"),
            **{f: count(doc, f, REL, optional=True) for f in ("n", "seeds", "turnovers")}}


def every_operation(ctx, sec):
    sec.heading("Graveyard hashing on every operation: ordered vs unordered linear probing",
                "validation-ordered")
    doc = sec.load_json(ctx, REL, "scripts/slotlab theory")
    if doc is None:
        return
    try:
        d = read_ordered(doc)
    except Malformed as e:
        sec.malformed(ctx.run, REL, e)
        return
    maps, series, k, kns = d["maps"], d["series"], d["k"], d["kns"]
    if not maps:
        sec.miss(f"{REL} lists no map")
        return
    xs = sorted({p["x"] for m in maps for p in series[m]})
    said = []
    for m in maps:
        fast = [name for op, name in OPS if klass(k[m][op]) == "O(x)"]
        slow = [name for op, name in OPS if klass(k[m][op]) == "Θ(x²)"]
        said.append(f"{m}: O(x) for {', '.join(fast) or 'no operation'}"
                    + (f"; Θ(x²) for {', '.join(slow)}" if slow else "")
                    + " (exponents " + ", ".join(f"{op} {fmt(k[m][op])}" for op, _ in OPS) + ").")
    if "ordered_tombstone" in k:
        ki = k["ordered_tombstone"]["insert"]
        said.append("Anti-clustering without planting (ordered tombstones only, the paper's "
                    "Õ(x) amortized): ordered_tombstone's insert grows as x^" + fmt(ki)
                    + (" — the claim holds here." if klass(ki) == "O(x)" else
                       " — not O(x) by this run's threshold (k ≤ 1.25)."))
    sec.sentences(said)
    sec.sentences([f"{'✓' if c['pass'] else '✗'} {c['check']}: {fmt(c['value'])}" for c in d["checks"]])

    fig, axes = figures.new(width=9.6, height=6.4, ncols=2, nrows=2, squeeze=False)
    for ax, (op, name) in zip([a for row in axes for a in row], OPS):
        for m in maps:
            ax.plot([p["x"] for p in series[m]], [p[op] for p in series[m]], marker=".",
                    color=figures.colour(twin(m)), linestyle="--" if m.startswith("ordered_") else "-",
                    label=label(m))
        ax.plot(xs, xs, ":", color="grey", label="x")
        ax.plot(xs, [x * x / 2 for x in xs], "-.", color="grey", label="x²/2")
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_title(name, fontsize=9)
        ax.set_xlabel("x = 1/(1−a)")
        ax.set_ylabel("slots inspected")
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=4, fontsize=8)
    fig.tight_layout(rect=(0, 0, 1, 0.9))
    sec.figure(figures.to_svg(fig, "validation-ordered", "probes per operation vs x"),
               "Slots inspected per operation under steady churn at load 1 − 1/x; solid: "
               "unordered, dashed: the ordered twin. A slope of 1 on these axes is the "
               "paper's O(x), a slope of 2 primary clustering's Θ(x²).",
               f"{REL}: {d['how']}; n = {fmt_n(d['n'])}, {fmt_n(d['seeds'])} seed(s), "
               f"{fmt_n(d['turnovers'])} turnovers per point (the first a warm-up).")
    rows = []
    for m in maps:
        rows.append([m] + [{"text": fmt(k[m][op]), "sub": [klass(k[m][op])]} for op, _ in OPS]
                    + [fmt(kns[m][op]) for op, _ in OPS])
    sec.table(["map"] + [f"k {name}" for _, name in OPS] + [f"k ns {op}" for op, _ in OPS], rows,
              caption="Fitted exponent k of cost ~ x^k (least squares on log-log over every x), "
                      "in slots inspected and in ns/op. O(x): k ≤ 1.25, Θ(x²): k ≥ 1.7.",
              how=f"{REL} (`scripts/slotlab theory`; the record sweep is `--full`).")
    hi = max(xs)
    top = []
    for m in maps:
        p = next(p for p in series[m] if p["x"] == max(q["x"] for q in series[m]))
        top.append([m] + [fmt(p[op]) for op, _ in OPS] + [fmt(p[op + "_ns"]) for op, _ in OPS])
    sec.table(["map"] + [name for _, name in OPS] + [f"ns {op}" for op, _ in OPS], top,
              caption=f"At the highest load (x ≈ {hi:.0f}): slots inspected and ns/op per operation. "
                      "ns are medians over seeds on the run's machine; a graveyard's rebuilds are "
                      "charged to the inserts that triggered them.",
              how=f"{REL}.", collapsed=True)


INTERVAL = "validation/graveyard_interval.json"


def read_interval(doc):
    """graveyard_interval.json, checked: (loads, {map: {load: [(c, pair_ns, insert_probe)]}},
    {reference map: {load: pair_ns}}, how); sweep and reference are keyed by the loads as
    written."""
    loads = numbers(doc, "loads", INTERVAL, lo=0, hi=1)
    keys = [str(a) for a in doc["loads"]]
    sweep, ref = mapping(doc, "sweep", INTERVAL), mapping(doc, "reference", INTERVAL)
    curves, refs = {}, {}
    for m in sweep:
        by_load = mapping(sweep, m, INTERVAL, "sweep.")
        curves[m] = {}
        for a, key in zip(loads, keys):
            w = f"sweep.{m}.{key}"
            pts = listing(by_load, key, INTERVAL, f"sweep.{m}.")
            if not pts:
                raise Malformed(f"{INTERVAL}: '{w}' is empty")
            curves[m][a] = [(number(p, "c", INTERVAL, f"{w}[{i}].", lo=0),
                             number(p, "pair_ns", INTERVAL, f"{w}[{i}].", lo=0),
                             number(p, "insert_probe", INTERVAL, f"{w}[{i}].", lo=0))
                            for i, p in enumerate(pts)]
    for m in ref:
        by_load = mapping(ref, m, INTERVAL, "reference.")
        refs[m] = {a: number(mapping(by_load, key, INTERVAL, f"reference.{m}."), "pair_ns",
                             INTERVAL, f"reference.{m}.{key}.", lo=0)
                   for a, key in zip(loads, keys)}
    return loads, curves, refs, text(doc, "how", INTERVAL, default="n/a")


def rebuild_interval(ctx, sec):
    """Issue 14, item 4: graveyard's rebuild interval c·n/x at ordinary loads."""
    sec.heading("Graveyard at ordinary loads: how often to rebuild", "validation-graveyard-interval")
    if not ctx.run.exists(INTERVAL):
        sec.miss(f"no {INTERVAL} in this run: `scripts/slotlab run` writes it in its theory "
                 "step, `scripts/slotlab theory --interval-sweep` on its own")
        return
    doc = sec.load_json(ctx, INTERVAL, "scripts/slotlab theory --interval-sweep")
    if doc is None:
        return
    try:
        loads, curves, refs, how = read_interval(doc)
    except Malformed as e:
        sec.malformed(ctx.run, INTERVAL, e)
        return
    fig, axes = figures.new(width=9.6, height=3.4, ncols=2, squeeze=False)
    left, right = axes[0]
    styles = ["-", "--", "-.", ":"]
    for m in curves:
        for a, style in zip(loads, styles):
            pts = curves[m][a]
            left.plot([c for c, _, _ in pts], [ns for _, ns, _ in pts], style, marker=".",
                      color=figures.colour(twin(m)), label=f"{label(m)} a={a:g}")
            right.plot([c for c, _, _ in pts], [pr for _, _, pr in pts], style, marker=".",
                       color=figures.colour(twin(m)))
    for ax, what in ((left, "ns per erase+insert pair"), (right, "insert: slots inspected")):
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("c (rebuild every c·n/x updates; the paper: 1/4)")
        ax.set_ylabel(what)
    figures.legend_outside(right, handles=left.get_legend_handles_labels()[0],
                           labels=left.get_legend_handles_labels()[1])
    fig.tight_layout()
    best = []
    for m in curves:
        for a in loads:
            c, ns, _ = min(curves[m][a], key=lambda t: t[1])
            paper = next((t for t in curves[m][a] if t[0] == 0.25), None)
            tomb = refs.get("ordered_tombstone" if m.startswith("ordered_") else "tombstone", {}).get(a)
            best.append(f"{m} at load {a:g}: fastest at c = {c:g} ({fmt(ns)} ns/pair"
                        + (f", {paper[1] / ns:.1f}× faster than the paper's c = 1/4" if paper and ns > 0 else "")
                        + (f"; {'ordered_' if m.startswith('ordered_') else ''}tombstone {fmt(tomb)}" if tomb else "")
                        + ").")
    sec.sentences(best)
    sec.figure(figures.to_svg(fig, "validation-graveyard-interval", "graveyard rebuild interval sweep"),
               "Rebuilding less often than the paper's c = 1/4 trades rebuild time for longer "
               "probes; line style = load.",
               f"{INTERVAL}: {how}.")
