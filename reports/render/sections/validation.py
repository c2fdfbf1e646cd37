"""Validation: the models and the claims, each checked against an outside reference."""
from reports.render import figures
from reports.render.runfiles import Malformed, listing, mapping, number
from reports.render.sections.base import fmt, label
from reports.render.sections.sweep import knuth_hit, knuth_miss, steady

ID = "validation"
TITLE = "Validation"
GO = "validation/go.json"
GO_SPEED = "validation/go_speed.json"
LP = "validation/linear_probing.json"


def _load(ctx, sec, rel, producer):
    src = ctx.run.json(rel, producer)
    if not src.ok:
        (sec.miss if src.missing else sec.error)(src.problem)
        return None
    sec.source(rel)
    return src.value


def _bad(ctx, sec, rel, e):
    sec.error(ctx.run.note_malformed(rel, str(e).split(": ", 1)[-1]))


def go_model(ctx, sec):
    sec.heading("Go model vs the real Go runtime", "validation-go")
    doc = _load(ctx, sec, GO, "scripts/slotlab validate go")
    if doc is not None:
        try:
            checkpoints = [float(x) for x in listing(doc, "checkpoints", GO)]
            series = {}
            for side in ("model", "runtime"):
                s = mapping(doc, side, GO)
                series[side] = {k: [float(x) for x in listing(s, k, GO, f"{side}.")]
                                for k in ("mean", "min", "max")}
                if any(len(v) != len(checkpoints) for v in series[side].values()):
                    raise Malformed(f"{GO}: {side}: mean/min/max must have one entry per checkpoint")
            verdict = str(doc.get("verdict", "n/a"))
            tol, diff = number(doc, "tolerance", GO, optional=True), number(doc, "max_abs_diff", GO, optional=True)
        except (Malformed, TypeError, ValueError) as e:
            _bad(ctx, sec, GO, e)
        else:
            fig, ax = figures.new()
            for side, c in (("runtime", "#222222"), ("model", figures.colour("go"))):
                s = series[side]
                ax.fill_between(checkpoints, s["min"], s["max"], color=c, alpha=0.15)
                ax.plot(checkpoints, s["mean"], color=c, marker=".",
                        label=f"{side} (mean, band = min–max over seeds)")
            limit = doc.get("compared_until_ops")
            if isinstance(limit, (int, float)):
                ax.axvline(limit, color="grey", linestyle=":", label="compared up to here")
            ax.set_xlabel("churn ops (erase+insert pairs)")
            ax.set_ylabel("overflow buckets (noverflow)")
            ax.set_title("Overflow buckets under churn: C++ model vs Go runtime")
            ax.legend(fontsize=8)
            how = (f"`scripts/slotlab validate go`: {doc.get('seeds', 'n/a')} seeds each, n = "
                   f"{doc.get('n', 'n/a')}, Go {doc.get('go_version', 'n/a')}; the runtime's B "
                   "and noverflow read from the map header. Raw: validation/go.json, validation/go.svg.")
            sec.figure(figures.to_svg(fig, "validation-go", "Go model vs runtime"),
                       f"Verdict: {verdict} (largest difference of the means {fmt(diff)}, "
                       f"tolerance {fmt(tol)}).", how)
    speed = _load(ctx, sec, GO_SPEED, "scripts/slotlab validate go")
    if speed is not None:
        try:
            rows = []
            for i, s in enumerate(listing(speed, "sizes", GO_SPEED)):
                w = f"sizes[{i}]."
                model, rt = number(s, "model_ns", GO_SPEED, w), number(s, "runtime_ns", GO_SPEED, w)
                rows.append([fmt(number(s, "n", GO_SPEED, w)), fmt(model), fmt(rt),
                             {"text": f"{model / rt:.2f}", "cls": "best" if model <= rt else "meh"}])
        except Malformed as e:
            _bad(ctx, sec, GO_SPEED, e)
        else:
            sec.table(["n", "C++ model ns/op", "Go runtime ns/op", "model / runtime"], rows,
                      caption="Churn speed of the C++ model against the real Go map "
                              "(below 1: the model is faster).",
                      how=f"{GO_SPEED}: Google Benchmark (C++) and testing.B (Go), same machine, one run.",
                      numeric_from=0)


def knuth(ctx, sec):
    sec.heading("Linear probing vs Knuth's formulas", "validation-knuth")
    doc = ctx.run.json(LP, "scripts/slotlab validate linear-probing")
    if doc.ok:
        sec.source(LP)
        try:
            rows = []
            for i, k in enumerate(listing(doc.value, "knuth", LP)):
                w = f"knuth[{i}]."
                row = [fmt(number(k, "load", LP, w)), fmt(number(k, "n", LP, w, optional=True))]
                for kind in ("successful", "unsuccessful"):
                    e = mapping(k, kind, LP, w)
                    meas, pred = number(e, "measured", LP, w + kind + "."), number(e, "predicted", LP, w + kind + ".")
                    ok = e.get("ok")
                    row += [fmt(meas), fmt(pred), {"text": f"{100 * (meas / pred - 1):+.1f}%",
                                                   "cls": "best" if ok is True else ("bad" if ok is False else "")}]
                rows.append(row)
        except (Malformed, ZeroDivisionError) as e:
            _bad(ctx, sec, LP, e)
        else:
            sec.table(["load", "n", "hit measured", "hit Knuth", "diff", "miss measured",
                       "miss Knuth", "diff"], rows,
                      caption="Fill to load a without deletions; mean probes (1 = found at home). "
                              "Green: within the test's tolerance (5% hits, 10% misses).",
                      how=f"{LP}; Knuth, TAOCP vol. 3, 6.4.", numeric_from=0)
            return
    else:
        (sec.miss if doc.missing else sec.error)(doc.problem)
    # Without the theory file, the fixed-load traces still give a comparison (with churn).
    pts = [(t.map, t.load, t) for t in ctx.traces if t.load is not None and t.workload == "churn"]
    if pts:
        sec.table(["map", "load", "hit probe (end)", "Knuth hit", "miss probe", "Knuth miss"],
                  [[m, f"{a:g}", fmt(t.rows[-1]["mean_probe"]), fmt(knuth_hit(a)),
                    fmt(steady(t, "miss_probe")), fmt(knuth_miss(a))]
                   for m, a, t in sorted(pts, key=lambda p: (p[0], p[1]))],
                  caption="From the fixed-load churn traces instead (with deletions, so only "
                          "backshift should match Knuth's deletion-free figures closely).",
                  how="traces/<map>-churn-load<A>.csv")


def graveyard(ctx, sec):
    sec.heading("Graveyard hashing vs backward shift at high load", "validation-graveyard")
    doc = ctx.run.json(LP, "scripts/slotlab validate linear-probing")
    if doc.ok and isinstance(doc.value, dict) and "high_load" in doc.value:
        try:
            hl = mapping(doc.value, "high_load", LP)
            maps = mapping(hl, "maps", LP, "high_load.")
            rows = [[m, fmt(number(maps[m], "insert_probe", LP, f"high_load.maps.{m}.")),
                     fmt(number(maps[m], "miss_probe", LP, f"high_load.maps.{m}."))]
                    for m in sorted(maps)]
        except Malformed as e:
            _bad(ctx, sec, LP, e)
        else:
            sec.table(["map", "insert probe", "miss probe"], rows,
                      caption=f"Steady churn at load {hl.get('load', 'n/a')}. "
                              f"{hl.get('verdict', '')}".strip(),
                      how=f"{LP}: n = {hl.get('n', 'n/a')}, {hl.get('turnovers', 'n/a')} turnovers.")
    high = {t.map: t for t in ctx.traces
            if t.workload == "churn" and t.load is not None and t.load >= 0.9}
    if not high:
        if not doc.ok:
            sec.miss("no high-load churn traces of backshift / tombstone / graveyard in this run "
                     "(the linear-probing family is not registered in this build, or "
                     "`scripts/slotlab run` did not trace it)")
        return
    top = max(t.load for t in high.values())
    high = {m: t for m, t in sorted(high.items()) if t.load == top}
    fig, ax = figures.new()
    for m, t in high.items():
        ax.plot(t.turnovers(), [r["insert_probe"] if r["insert_probe"] is not None else float("nan")
                                for r in t.rows], color=figures.colour(m), marker=".",
                label=label(m) + " insert")
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
    ins = {m: steady(t, "insert_probe") for m, t in high.items()}
    ratio = ""
    if ins.get("graveyard") and ins.get("tombstone"):
        ratio = (f" Mean insert probe: graveyard {fmt(ins['graveyard'])}, tombstone "
                 f"{fmt(ins['tombstone'])} (ratio {ins['tombstone'] / ins['graveyard']:.2f}); "
                 f"at x = 1/(1−a) = {1 / (1 - top):.0f} the paper predicts O(x) for graveyard "
                 f"against Θ(x²) for classic tombstones.")
    sec.figure(figures.to_svg(fig, "validation-graveyard", "graveyard vs backshift"),
               "Insert (solid) and unsuccessful-lookup (dashed) probe lengths." + ratio,
               f"From fixed-load churn traces: {t0.how()}.")


def anti_drift(ctx, sec):
    sec.heading("Boost's anti-drift vs Abseil's tombstones after many erase rounds",
                "validation-antidrift")
    gs = {m: t for m, t in ctx.traces_for("grow-shrink").items() if m in ("absl", "boost")}
    if len(gs) < 2:
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
            sentences.append(
                f"absl: tombstones peaked at {fmt(max(tomb))} ({100 * max(tomb) / a.rows[peak]['slots']:.0f}% "
                f"of {fmt(a.rows[peak]['slots'])} slots), unsuccessful lookups at {fmt(max(miss))} probes "
                f"(from {fmt(miss[0])} after the fill); {fmt(a.rows[-1]['rehashes'])} rehash(es) "
                "(in place, drop_deletes_without_resize) cleared them.")
    if b is not None:
        sentences.append(
            f"boost: no tombstones by design; {fmt(b.rows[-1]['rehashes'])} anti-drift rebuild(s) "
            "(max_load lowered on erase of a possibly-overflowing element, then a rehash).")
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
               "tombstones or probe lengths; its rehash count is the rise of max_load().")


def build(ctx, sec):
    for part in (go_model, knuth, graveyard, anti_drift):
        part(ctx, sec)
