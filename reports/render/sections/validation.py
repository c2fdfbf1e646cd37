"""Validation: the models and the claims, each checked against an outside reference."""
from reports.render import figures
from reports.render.runfiles import Malformed, field, listing, mapping, number
from reports.render.sections.base import fmt, label
from reports.render.sections.ordered_lp import every_operation, rebuild_interval
from reports.render.sections.sweep import knuth_hit, knuth_miss, steady

ID = "validation"
TITLE = "Validation"
GO = "validation/go.json"
GO_SPEED = "validation/go_speed.json"
GO_B16 = "validation/go_b16.json"   # `validate go --large`: drawn only when present
LP = "validation/linear_probing.json"


def _bad(ctx, sec, rel, e):
    sec.malformed(ctx.run, rel, e)


def go_model(ctx, sec):
    sec.heading("Go model vs the real Go runtime", "validation-go")
    go_check(ctx, sec, GO, "validation-go")
    if ctx.run.exists(GO_B16):
        go_check(ctx, sec, GO_B16, "validation-go-b16")
    go_speed(ctx, sec)


def go_check(ctx, sec, rel, slug):
    doc = sec.load_json(ctx, rel, "scripts/slotlab validate go")
    if doc is not None:
        try:
            rows = []
            for i, c in enumerate(listing(doc, "checkpoints", rel)):
                w = f"checkpoints[{i}]."
                rows.append({k: number(c, k, rel, w) for k in
                             ("ops", "model_mean", "model_sd", "runtime_mean", "runtime_sd",
                              "difference", "tolerance")})
                rows[-1]["compared"] = bool(c.get("compared"))
                rows[-1]["ok"] = c.get("ok")
                if rows[-1]["ok"] is not None and not isinstance(rows[-1]["ok"], bool):
                    raise Malformed(f"{rel}: '{w}ok' should be true, false or null")
            if not rows:
                raise Malformed(f"{rel}: 'checkpoints' is empty")
            verdict = str(field(doc, "verdict", rel))
        except Malformed as e:
            _bad(ctx, sec, rel, e)
        else:
            go_trajectories(ctx, sec, doc, rows, verdict, rel, slug)


def speed_rows(speed, rel):
    """Table rows of a `validate go|goswiss --speed` file (one schema): n, model and
    runtime ns/op, the wall and CPU ratios, a ratio <= 1 marked best. Raises Malformed."""
    rows = []
    for i, s in enumerate(listing(speed, "sizes", rel)):
        w = f"sizes[{i}]."
        wall = number(s, "ratio_wall", rel, w)
        cpu = number(s, "ratio_cpu", rel, w, optional=True)
        rows.append([fmt(number(s, "n", rel, w)),
                     fmt(number(s, "median_model_wall", rel, w)),
                     fmt(number(s, "median_runtime_wall", rel, w)),
                     {"text": f"{wall:.2f}", "cls": "best" if wall <= 1 else "meh"},
                     {"text": "n/a" if cpu is None else f"{cpu:.2f}",
                      "cls": "" if cpu is None else ("best" if cpu <= 1 else "meh")}])
    return rows


def go_speed(ctx, sec):
    speed = sec.load_json(ctx, GO_SPEED, "scripts/slotlab validate go --speed")
    if speed is not None:
        try:
            table = speed_rows(speed, GO_SPEED)
        except Malformed as e:
            _bad(ctx, sec, GO_SPEED, e)
        else:
            sec.table(["n", "C++ model ns/op", "Go runtime ns/op", "model / runtime (wall)",
                       "model / runtime (CPU)"], table,
                      caption="Churn speed of the C++ model against the real Go map, medians; "
                              "below 1 the model is faster (target: at most 1 at every size).",
                      how=f"{GO_SPEED}: model {speed.get('model', 'n/a')}; runtime "
                          f"{speed.get('runtime', 'n/a')}.", numeric_from=0)


def go_trajectories(ctx, sec, doc, rows, verdict, rel, slug):
    ops = [r["ops"] for r in rows]
    fig, ax = figures.new(width=6.8, height=3.4)
    for side, c, name in (("runtime", "#222222", "Go runtime"), ("model", figures.colour("go"), "C++ model")):
        mean = [r[f"{side}_mean"] for r in rows]
        sd = [r[f"{side}_sd"] for r in rows]
        ax.fill_between(ops, [m - d for m, d in zip(mean, sd)], [m + d for m, d in zip(mean, sd)],
                        color=c, alpha=0.18)
        ax.plot(ops, mean, color=c, marker=".", label=f"{name} (mean ± 1 sd over seeds)")
    compared = [r["ops"] for r in rows if r["compared"]]
    if compared and compared[-1] != ops[-1]:
        ax.axvline(compared[-1], color="grey", linestyle=":", label="last compared checkpoint")
    ax.set_xlabel("churn ops (erase+insert pairs)")
    ax.set_ylabel("noverflow")
    ax.set_title("Overflow buckets under churn: C++ model vs Go runtime")
    figures.legend_outside(ax)
    wl = doc.get("workload") if isinstance(doc.get("workload"), dict) else {}
    rt = doc.get("runtime") if isinstance(doc.get("runtime"), dict) else {}
    model = doc.get("model") if isinstance(doc.get("model"), dict) else {}
    tol = doc.get("tolerance") if isinstance(doc.get("tolerance"), dict) else {}
    failed = [r for r in rows if r["ok"] is False]
    worst = doc.get("max_abs_difference_over_tolerance")
    caption = (f"Verdict: {verdict}. {len(compared)} checkpoints compared (before the first "
               f"same-size grow of any run)"
               + (f"; the worst |difference| is {worst:.2f} of its tolerance" if isinstance(worst, (int, float)) else "")
               + (f"; failing at ops {', '.join(fmt(r['ops']) for r in failed)}" if failed else "") + ".")
    how = (f"`scripts/slotlab validate go{' --large' if rel == GO_B16 else ''}` ({rel}): churn, "
           f"n = {wl.get('n', 'n/a')}, {wl.get('seeds', 'n/a')} "
           f"seeds per side. Model: {model.get('what', 'n/a')}, counter {model.get('counter', 'n/a')}. "
           f"Runtime: {rt.get('what', 'n/a')} ({rt.get('go_version', 'n/a')}), {rt.get('counter', 'n/a')}. "
           f"Tolerance: {tol.get('rule', 'n/a')} (z = {tol.get('z', 'n/a')}). "
           f"The producer's own plot: {rel[:-5]}.svg.")
    sec.figure(figures.to_svg(fig, slug, "Go model vs runtime"), caption, how)
    sec.table(["ops", "model noverflow", "runtime noverflow", "difference", "tolerance", "result"],
              [[fmt(r["ops"]), f"{fmt(r['model_mean'])} ± {fmt(r['model_sd'])}",
                f"{fmt(r['runtime_mean'])} ± {fmt(r['runtime_sd'])}", f"{r['difference']:+.1f}",
                fmt(r["tolerance"]),
                {"text": {True: "ok", False: "FAIL", None: "not compared"}.get(r["ok"], str(r["ok"])),
                 "cls": {True: "best", False: "bad"}.get(r["ok"], "na")}] for r in rows],
              caption="Every checkpoint (mean ± sd over seeds).", numeric_from=0, collapsed=True)


def knuth(ctx, sec):
    sec.heading("Linear probing vs Knuth's formulas", "validation-knuth")
    doc = ctx.run.json(LP, "scripts/slotlab theory")
    if doc.ok:
        sec.source(LP)
        try:
            kn = mapping(doc.value, "knuth", LP)
            tol = kn.get("tolerance") if isinstance(kn.get("tolerance"), dict) else {}
            rows = []
            for i, c in enumerate(listing(kn, "checks", LP, "knuth.")):
                w = f"knuth.checks[{i}]."
                row = [str(field(c, "map", LP, w)), fmt(number(c, "load", LP, w)),
                       fmt(number(c, "tables", LP, w, optional=True))]
                for kind, limit in (("hit", tol.get("hit")), ("miss", tol.get("miss"))):
                    meas, pred = number(c, kind, LP, w), number(c, f"{kind}_expected", LP, w)
                    rel = meas / pred - 1
                    ok = abs(rel) <= limit if isinstance(limit, (int, float)) else None
                    row += [fmt(meas), fmt(pred), {"text": f"{100 * rel:+.1f}%",
                                                   "cls": {True: "best", False: "bad"}.get(ok, "")}]
                rows.append(row)
        except (Malformed, ZeroDivisionError) as e:
            _bad(ctx, sec, LP, e)
        else:
            verdict = ("every check within tolerance" if kn.get("all_within_tolerance") is True
                       else "NOT every check within tolerance" if kn.get("all_within_tolerance") is False
                       else "")
            sec.table(["map", "load", "tables", "hit measured", "Knuth hit", "diff",
                       "miss measured", "Knuth miss", "diff"], rows,
                      caption=f"Fill to load a, no deletions; mean probes (1 = found at home), "
                              f"averaged over the tables. Green: within the tolerance "
                              f"({fmt(100 * tol['hit']) if isinstance(tol.get('hit'), (int, float)) else '?'}% "
                              f"hits, {fmt(100 * tol['miss']) if isinstance(tol.get('miss'), (int, float)) else '?'}% "
                              f"misses){': ' + verdict if verdict else ''}.",
                      how=f"{LP} (`scripts/slotlab theory`): {doc.value.get('method', 'n/a')}; "
                          "Knuth, TAOCP vol. 3, 6.4.", numeric_from=1)
            return
    else:
        (sec.miss if doc.missing else sec.error)(doc.problem)
    # Without the theory file, the fill rows of the fixed-load traces are the same experiment.
    pts = [(t.map, t.load, t) for t in ctx.traces if t.load is not None and t.workload == "churn"
           and t.rows[0]["mean_probe"] is not None and t.rows[0]["miss_probe"] is not None]
    if pts:
        def diff(measured, predicted, tolerance):
            rel = measured / predicted - 1
            return {"text": f"{100 * rel:+.1f}%", "cls": "best" if abs(rel) <= tolerance else "bad"}
        rows = [[m, f"{a:g}", fmt(t.n), fmt(t.rows[0]["mean_probe"]), fmt(knuth_hit(a)),
                 diff(t.rows[0]["mean_probe"], knuth_hit(a), 0.05),
                 fmt(t.rows[0]["miss_probe"]), fmt(knuth_miss(a)),
                 diff(t.rows[0]["miss_probe"], knuth_miss(a), 0.10)]
                for m, a, t in sorted(pts, key=lambda p: (p[0], p[1]))]
        for _, _, t in pts:
            sec.source(t.rel)
        sec.table(["map", "load", "n", "hit measured", "Knuth hit", "diff", "miss measured",
                   "Knuth miss", "diff"], rows,
                  caption="From the fill (ops=0) rows of the fixed-load traces: mean probes "
                          "after inserting n keys at load a, no deletion yet. Green: within "
                          "5% (hits) or 10% (misses); misses are sampled over 1024 absent keys.",
                  how="traces/<map>-churn-load<A>.csv, strong hash.", numeric_from=1)


def graveyard(ctx, sec):
    sec.heading("Graveyard hashing vs backward shift at high load", "validation-graveyard")
    doc = ctx.run.json(LP, "scripts/slotlab theory")
    if doc.ok and isinstance(doc.value, dict) and "churn" in doc.value:
        try:
            churn = mapping(doc.value, "churn", LP)
            rows = []
            for load in sorted(churn, key=lambda k: float(k) if k.replace(".", "", 1).isdigit() else 0):
                points = mapping(churn, load, LP, "churn.")
                for m in sorted(points):
                    w = f"churn.{load}.{m}."
                    c = mapping(points[m], "churn", LP, w)
                    rows.append([m, load, fmt(number(points[m], "x", LP, w, optional=True)),
                                 fmt(number(c, "place_probe", LP, w + "churn.", optional=True)),
                                 fmt(number(c, "insert_probe", LP, w + "churn.", optional=True)),
                                 fmt(number(c, "miss_probe", LP, w + "churn.", optional=True)),
                                 fmt(number(c, "rebuilds_per_turnover", LP, w + "churn.", optional=True))])
        except Malformed as e:
            _bad(ctx, sec, LP, e)
        else:
            verdict = doc.value.get("verdict") if isinstance(doc.value.get("verdict"), dict) else {}
            if verdict.get("summary"):
                agrees = verdict.get("agrees")
                sec.sentences([("The data agree with the paper. " if agrees is True else
                                "The data do not agree with the paper. " if agrees is False else "")
                               + str(verdict["summary"])])
            sec.table(["map", "load", "x = 1/(1−a)", "insert: walk to landing slot",
                       "insert incl. absence check", "unsuccessful lookup", "rebuilds / turnover"],
                      rows, caption="Steady churn at high load (means over the turnovers after "
                                    "the first); slots inspected.",
                      how=f"{LP} (`scripts/slotlab theory`): {doc.value.get('method', 'n/a')}.",
                      numeric_from=1)
    elif not doc.ok and not doc.missing:
        sec.error(doc.problem)
    high = {t.map: t for t in ctx.traces
            if t.workload == "churn" and t.load is not None and t.load >= 0.9}
    if not high:
        if not (doc.ok and isinstance(doc.value, dict) and "churn" in doc.value):
            sec.miss("no high-load churn traces of backshift / tombstone / graveyard in this run "
                     "(the linear-probing family is not registered in this build, or "
                     "`scripts/slotlab run` did not trace it)")
        return
    top = max(t.load for t in high.values())
    high = {m: t for m, t in sorted(high.items()) if t.load == top}
    # The paper's insertion cost is the walk to the slot the key lands in (place_probe);
    # insert_probe adds the absence check, which costs what a miss costs.
    place = "place_probe" if any(t.has("place_probe") for t in high.values()) else "insert_probe"
    fig, ax = figures.new()
    for m, t in high.items():
        ax.plot(t.turnovers(), [r[place] if r[place] is not None else float("nan") for r in t.rows],
                color=figures.colour(m), marker=".", label=label(m) + " insert")
        ax.plot(t.turnovers(), [r["miss_probe"] if r["miss_probe"] is not None else float("nan")
                                for r in t.rows], color=figures.colour(m), linestyle="--",
                label=label(m) + " miss")
        sec.source(t.rel)
    ax.set_yscale("log")
    ax.set_xlabel("turnovers")
    ax.set_ylabel("slots inspected")
    ax.set_title(f"Churn at load {top:g}")
    figures.legend_outside(ax)
    t0 = next(iter(high.values()))
    x = 1 / (1 - top)
    cost = {m: steady(t, place) for m, t in high.items()}
    miss = {m: steady(t, "miss_probe") for m, t in high.items()}
    parts = [f"{m} {fmt(v)}" for m, v in cost.items() if v is not None]
    text = (f" Mean insert cost ({'walk to the landing slot, place_probe' if place == 'place_probe' else 'insert_probe'})"
            f" over the churn: {', '.join(parts)}; unsuccessful lookups: "
            + ", ".join(f"{m} {fmt(v)}" for m, v in miss.items() if v is not None) + ".")
    g, b = cost.get("graveyard"), cost.get("backshift") or cost.get("tombstone")
    if g and b:
        ref = "backshift" if cost.get("backshift") else "tombstone"
        text += (f" At x = 1/(1−a) = {x:.0f} the paper predicts O(x) for graveyard against Θ(x²) = "
                 f"{x * x:.0f}-ish for classic linear probing: graveyard's insert cost is "
                 f"{fmt(g)} ({g / x:.1f}·x), {ref}'s {fmt(b)} ({b / (x * x):.2f}·x²), a ratio of "
                 f"{b / g:.1f}; " + ("the data agree." if b / g >= 2 else "the data do not show the predicted gap."))
    sec.figure(figures.to_svg(fig, "validation-graveyard", "graveyard vs backshift"),
               "Insert (solid) and unsuccessful-lookup (dashed) probe lengths." + text,
               f"From fixed-load churn traces: {t0.how()}. Probes in slots, counted by the table.")


def anti_drift(ctx, sec):
    sec.heading("Boost's anti-drift vs Abseil's tombstones after many erase rounds",
                "validation-antidrift")
    # dense (google::dense_hash_map) beside them: the classic deleted-key map, whose
    # deleted slots come back only when a resize rebuilds the table.
    gs = {m: t for m, t in ctx.traces_for("grow-shrink").items() if m in ("absl", "boost", "dense")}
    if not {"absl", "boost"} <= set(gs):
        sec.miss("needs traces/absl-grow-shrink.csv and traces/boost-grow-shrink.csv "
                 f"(found: {', '.join(sorted(gs)) or 'neither'}): run `scripts/slotlab run`")
        if not gs:
            return
    fig, axes = figures.new(width=7.6, height=5.2, ncols=2, nrows=2, squeeze=False)
    panels = [("tombstones", "tombstones (kDeleted)"), ("miss_probe", "unsuccessful-lookup probes"),
              ("rehashes", "rehashes (cumulative)"), ("ns_per_op", "ns per op (window)")]
    def rounds(t):  # one round: erase from n down to n/10, then refill to n
        return [r["ops"] / (2 * (t.n - t.n // 10)) for r in t.rows]

    for ax, (col, title) in zip([a for r in axes for a in r], panels):
        for m, t in gs.items():
            ys = t.column(col)
            if all(v is None for v in ys):
                continue
            ax.plot(rounds(t), [v if v is not None else float("nan") for v in ys],
                    color=figures.colour(m), label=label(m), drawstyle="steps-post"
                    if col == "rehashes" else "default")
            sec.source(t.rel)
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("grow-shrink rounds")
        if not ax.lines or all(len(l.get_xdata()) == 0 for l in ax.lines):
            ax.text(0.5, 0.5, "not exposed", transform=ax.transAxes, ha="center", color="grey")
    handles = [figures.plt.Line2D([], [], color=figures.colour(m), label=label(m)) for m in gs]
    fig.legend(handles=handles, loc="upper center", ncol=len(handles), fontsize=8)
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    sentences = []
    a, b = gs.get("absl"), gs.get("boost")
    if a is not None:
        tomb = [r["tombstones"] for r in a.rows if r["tombstones"] is not None]
        miss = [r["miss_probe"] for r in a.rows if r["miss_probe"] is not None]
        if tomb and miss:
            peak = max(range(len(a.rows)), key=lambda i: a.rows[i]["tombstones"] or 0)
            same_capacity = len({r["slots"] for r in a.rows}) == 1
            sentences.append(
                f"absl: tombstones peaked at {fmt(max(tomb))} ({100 * max(tomb) / a.rows[peak]['slots']:.0f}% "
                f"of {fmt(a.rows[peak]['slots'])} slots), unsuccessful lookups at {fmt(max(miss))} probes "
                f"(from {fmt(miss[0])} after the fill); {fmt(a.rows[-1]['rehashes'])} rehash(es) "
                + ("at the same capacity (in place) cleared them." if same_capacity
                   else "cleared them, the capacity changing along the way."))
    if b is not None:
        sentences.append(
            f"boost: no tombstones by design; {fmt(b.rows[-1]['rehashes'])} anti-drift rebuild(s) "
            "(max_load lowered on erase of a possibly-overflowing element, then a rehash).")
    d = gs.get("dense")
    if d is not None and d.rows:
        rounds_done = rounds(d)[-1]
        slots = sorted({r["slots"] for r in d.rows if r["slots"] is not None})
        sentences.append(
            f"dense: {fmt(d.rows[-1]['rehashes'])} resize(s) in {rounds_done:.0f} rounds"
            + (f" ({d.rows[-1]['rehashes'] / rounds_done:.1f} a round)" if rounds_done else "")
            + ": once erases take it below its minimum load the next insert shrinks the "
              "table, the refill grows it back, and only these rebuilds reclaim its deleted slots"
            + (f"; {fmt(slots[0])} slots at every round's end." if len(slots) == 1 else "."))
    if a is not None and b is not None:
        na = [x for x in a.column("ns_per_op") if x is not None]
        nb = [x for x in b.column("ns_per_op") if x is not None]
        if na and nb:
            sentences.append(f"Worst window: absl {fmt(max(na))} ns/op, boost {fmt(max(nb))} ns/op.")
    t0 = next(iter(gs.values()))
    sec.figure(figures.to_svg(fig, "validation-antidrift", "anti-drift vs tombstones"),
               "Grow-shrink: erase random keys down to n/10, refill with fresh keys to n, "
               "repeat; one point per round, at size n. " + " ".join(sentences),
               f"From traces/<map>-grow-shrink.csv: {t0.how()}. boost does not expose "
               "tombstones or probe lengths; its rehash count is the rise of max_load(). "
               "dense's rehashes are counted by its adapter (each resize moves its bucket array).")


def build(ctx, sec):
    for part in (go_model, knuth, graveyard, every_operation, rebuild_interval, anti_drift):
        part(ctx, sec)
