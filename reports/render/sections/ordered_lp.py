"""Part of the validation section's graveyard story: Bender-Kuszmaul-Kuszmaul's
claim for every operation, unordered vs ordered linear probing, from
validation/ordered_lp.json (`scripts/slotlab theory`). Which operations get the
paper's O(x) and which stay Theta(x^2) is computed here from the fitted
exponents, with the thresholds the file states."""
from reports.render import figures
from reports.render.runfiles import Malformed, listing, mapping, number
from reports.render.sections.base import fmt, label

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


def every_operation(ctx, sec):
    sec.heading("Graveyard hashing on every operation: ordered vs unordered linear probing",
                "validation-ordered")
    doc = sec.load_json(ctx, REL, "scripts/slotlab theory")
    if doc is None:
        return
    try:
        maps = listing(doc, "maps", REL)
        points = mapping(doc, "points", REL)
        exps = mapping(doc, "exponents", REL)
        series = {}
        for m in maps:
            pts = listing(points, m, REL, "points.")
            series[m] = [{"x": number(p, "x", REL, f"points.{m}[{i}]."),
                          **{op: number(p, f"{op}_probe", REL, f"points.{m}[{i}].") for op, _ in OPS},
                          **{op + "_ns": number(p, f"{op}_ns", REL, f"points.{m}[{i}].", optional=True)
                             for op, _ in OPS}}
                         for i, p in enumerate(pts)]
        k = {m: {op: number(mapping(mapping(exps, m, REL, "exponents."), op, REL, f"exponents.{m}."),
                            "probes", REL, f"exponents.{m}.{op}.", optional=True) for op, _ in OPS}
             for m in maps}
        kns = {m: {op: number(mapping(mapping(exps, m, REL, "exponents."), op, REL, f"exponents.{m}."),
                              "ns", REL, f"exponents.{m}.{op}.", optional=True) for op, _ in OPS}
               for m in maps}
    except Malformed as e:
        sec.error(ctx.run.note_malformed(REL, str(e).split(": ", 1)[-1]))
        return
    xs = sorted({p["x"] for m in maps for p in series[m]})
    said = []
    for m in maps:
        fast = [name for op, name in OPS if klass(k[m][op]) == "O(x)"]
        slow = [name for op, name in OPS if klass(k[m][op]) == "Θ(x²)"]
        said.append(f"{m}: O(x) for {', '.join(fast) or 'no operation'}"
                    + (f"; Θ(x²) for {', '.join(slow)}" if slow else "")
                    + " (exponents " + ", ".join(f"{op} {fmt(k[m][op])}" for op, _ in OPS) + ").")
    anti = doc.get("anti_clustering") if isinstance(doc.get("anti_clustering"), dict) else {}
    if "ordered_tombstone" in k:
        ki = k["ordered_tombstone"]["insert"]
        said.append("Anti-clustering without planting (ordered tombstones only, the paper's "
                    "Õ(x) amortized): ordered_tombstone's insert grows as x^" + fmt(ki)
                    + (" — the claim holds here." if klass(ki) == "O(x)" else
                       " — not O(x) by this run's threshold (k ≤ 1.25)."))
    sec.sentences(said)
    checks = doc.get("acceptance") if isinstance(doc.get("acceptance"), list) else []
    if checks:
        sec.sentences([f"{'✓' if c.get('pass') else '✗'} {c.get('check')}: {fmt(c.get('value'))}"
                       for c in checks if isinstance(c, dict)])

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
               f"{REL}: {doc.get('how', 'n/a')}; n = {doc.get('n')}, {doc.get('seeds')} seed(s), "
               f"{doc.get('turnovers')} turnovers per point (the first a warm-up).")
    rows = []
    for m in maps:
        rows.append([m] + [{"text": fmt(k[m][op]), "sub": klass(k[m][op])} for op, _ in OPS]
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


def rebuild_interval(ctx, sec):
    """Issue 14, item 4: graveyard's rebuild interval c·n/x at ordinary loads."""
    sec.heading("Graveyard at ordinary loads: how often to rebuild", "validation-graveyard-interval")
    if not ctx.run.exists(INTERVAL):
        sec.miss(f"no {INTERVAL} in this run: it is written by `scripts/slotlab theory "
                 "--interval-sweep` (several minutes, so not part of `scripts/slotlab run`)")
        return
    doc = sec.load_json(ctx, INTERVAL, "scripts/slotlab theory --interval-sweep")
    if doc is None:
        return
    try:
        loads = [float(a) for a in listing(doc, "loads", INTERVAL)]
        sweep = mapping(doc, "sweep", INTERVAL)
        ref = mapping(doc, "reference", INTERVAL)
        curves = {m: {a: [(number(p, "c", INTERVAL, f"sweep.{m}."), number(p, "pair_ns", INTERVAL, f"sweep.{m}."),
                           number(p, "insert_probe", INTERVAL, f"sweep.{m}."))
                          for p in listing(mapping(sweep, m, INTERVAL, "sweep."), str(a), INTERVAL, f"sweep.{m}.")]
                      for a in loads} for m in sweep}
        refs = {m: {a: number(mapping(mapping(ref, m, INTERVAL, "reference."), str(a), INTERVAL,
                                      f"reference.{m}."), "pair_ns", INTERVAL, f"reference.{m}.{a}.")
                    for a in loads} for m in ref}
    except Malformed as e:
        sec.error(ctx.run.note_malformed(INTERVAL, str(e).split(": ", 1)[-1]))
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
                        + (f", {paper[1] / ns:.1f}× faster than the paper's c = 1/4" if paper else "")
                        + (f"; {'ordered_' if m.startswith('ordered_') else ''}tombstone {fmt(tomb)}" if tomb else "")
                        + ").")
    sec.sentences(best)
    sec.figure(figures.to_svg(fig, "validation-graveyard-interval", "graveyard rebuild interval sweep"),
               "Rebuilding less often than the paper's c = 1/4 trades rebuild time for longer "
               "probes; line style = load.",
               f"{INTERVAL}: {doc.get('how', 'n/a')}.")
