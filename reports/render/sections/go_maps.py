"""Go's map, both generations side by side: what a delete leaves in the slot, when an
insert takes the slot again, and what churn does to the map over time -- each read
from the real runtime (classic Go 1.19, Swiss-table Go >= 1.24) next to its model.

Reads validation/go_reuse.json (`validate reuse`), validation/go.json (`validate go`),
validation/goswiss.json and validation/goswiss_speed.json (`validate goswiss`)."""
from reports.render import figures
from reports.render.runfiles import Malformed, listing, mapping, number, text
from reports.render.sections.base import fmt
from reports.render.sections.validation import speed_rows

ID = "go-maps"
TITLE = "Go's map, classic and Swiss: deleted slots and their reuse"
REUSE = "validation/go_reuse.json"
CLASSIC = "validation/go.json"
SWISS = "validation/goswiss.json"
SWISS_SPEED = "validation/goswiss_speed.json"
GENERATIONS = {"classic": "classic map (Go 1.19–1.23)", "swiss": "Swiss tables (Go 1.24+)"}
# What each control byte means, for people (runtime/map.go; internal/runtime/maps/group.go).
BYTES = {"emptyOne": "emptyOne (1): freed, a later slot of the chain is in use",
         "emptyRest": "emptyRest (0): free, and so is the rest of the chain",
         "empty": "empty (0x80): free, ends a probe",
         "deleted": "deleted (0xFE): a tombstone, probes continue past it",
         "new overflow bucket": "a new overflow bucket", "new group": "a new group"}


def _optional(obj, key, rel, where=""):
    """An object field that may be absent or null ({} then)."""
    return mapping(obj, key, rel, where) if isinstance(obj, dict) and obj.get(key) is not None else {}


def _tally(obj, key, rel, where):
    """{control byte: inserts or deletes} (delete_to, insert_into), or None when absent."""
    if not isinstance(obj, dict) or obj.get(key) is None:
        return None
    found = mapping(obj, key, rel, where)
    return {k: number(found, k, rel, f"{where}{key}.", lo=0) for k in found}


def _pct(part, whole):
    return "n/a" if not whole else f"{100 * part / whole:.1f}%"


def reuse_part(ctx, sec):
    sec.heading("What a delete leaves, and when an insert takes the slot again", "go-maps-reuse")
    doc = sec.load_json(ctx, REUSE, "scripts/slotlab validate reuse")
    if doc is None:
        return
    try:
        gens = mapping(doc, "generations", REUSE)
        wl = {k: number(mapping(doc, "workload", REUSE), k, REUSE, "workload.", optional=True, lo=0)
              for k in ("n", "ops", "seeds", "model_seeds")}
        tol = _optional(doc, "tolerance", REUSE)
        rule, z = (text(tol, "rule", REUSE, "tolerance.", "n/a"),
                   number(tol, "z", REUSE, "tolerance.", optional=True))
        how = text(doc, "how", REUSE, default="n/a")
        seen = {}
        for g in gens:
            w = f"generations.{g}."
            entry = mapping(gens, g, REUSE, "generations.")
            status = text(entry, "status", REUSE, w, required=True)
            sides = {}
            for side in ("runtime", "model"):
                if entry.get(side) is None:
                    continue
                ws = w + side + "."
                r = mapping(entry, side, REUSE, w)
                d = mapping(r, "distance", REUSE, ws)
                sh = mapping(r, "share_at_distance", REUSE, ws)
                sides[side] = {
                    "inserts": number(r, "inserts", REUSE, ws, lo=0),
                    "reused": number(r, "reused_inserts", REUSE, ws, lo=0),
                    "freed": number(r, "freed_slot_inserts", REUSE, ws, optional=True, lo=0),
                    "ops": number(r, "ops", REUSE, ws, optional=True, lo=0),
                    "d": {k: number(d, k, REUSE, ws + "distance.", optional=True, lo=0)
                          for k in ("min", "p10", "median", "p90", "max")},
                    "share": {k: number(sh, k, REUSE, ws + "share_at_distance.", optional=True,
                                        lo=0, hi=1) for k in ("1", "2", "3")},
                    "delete_to": _tally(r, "delete_to", REUSE, ws),
                    "insert_into": _tally(r, "insert_into", REUSE, ws),
                }
            seen[g] = {"status": status, "reason": text(entry, "reason", REUSE, w), "sides": sides,
                       "verdict": text(entry, "verdict", REUSE, w),
                       "model": text(entry, "model_name", REUSE, w, "?"),
                       "go": text(entry, "go_version", REUSE, w)}
    except Malformed as e:
        sec.malformed(ctx.run, REUSE, e)
        return
    for g, e in seen.items():
        if e["status"] != "ok":
            sec.miss(f"{GENERATIONS.get(g, g)}: not testable here: {e['reason'] or 'no reason given'}")

    # 1. What a delete leaves: the control byte after each delete, and the byte each insert found.
    rows = []
    for g, e in seen.items():
        rt = e["sides"].get("runtime")
        if not rt or not rt["delete_to"]:
            continue
        deletes = sum(rt["delete_to"].values())
        inserts = sum((rt["insert_into"] or {}).values())
        rows.append([GENERATIONS.get(g, g),
                     "; ".join(f"{BYTES.get(k, k)}: {_pct(v, deletes)}"
                               for k, v in sorted(rt["delete_to"].items(), key=lambda kv: -kv[1])),
                     "; ".join(f"{BYTES.get(k, k)}: {_pct(v, inserts)}"
                               for k, v in sorted((rt["insert_into"] or {}).items(),
                                                  key=lambda kv: -kv[1]))])
    if rows:
        sec.table(["generation", "a delete leaves the slot", "an insert fills"], rows,
                  caption="The real runtimes, read byte by byte: a classic delete writes emptyOne "
                          "(or emptyRest at a chain's free tail); a Swiss delete writes empty when "
                          "the slot's group still has an empty slot, else a tombstone.",
                  how=f"{REUSE}: {how} n = {fmt(wl['n'])}, "
                      f"{fmt(wl['ops'])} ops, {fmt(wl['seeds'])} seeds.", numeric_from=9)

    # 2. When: share of inserts into a freed slot, reuse distance, model next to runtime.
    table, bars = [], []
    for g, e in seen.items():
        for side in ("runtime", "model"):
            s = e["sides"].get(side)
            if not s:
                continue
            who = (f"Go runtime ({(e['go'] or '?').split(' (')[0]})" if side == "runtime"
                   else f"model `{e['model']}`")
            verdict = e["verdict"] if side == "model" else None
            table.append([GENERATIONS.get(g, g), who, _pct(s["reused"], s["inserts"]),
                          _pct(s["freed"], s["ops"]) if s["freed"] is not None else "n/a",
                          " / ".join(fmt(s["d"][k]) for k in ("p10", "median", "p90")),
                          " / ".join("n/a" if s["share"][k] is None else f"{100 * s['share'][k]:.2f}%"
                                     for k in ("1", "2", "3")),
                          {"text": verdict or "", "cls": {"pass": "best", "fail": "bad"}.get(verdict, "")}])
            if s["d"]["median"] is not None:
                bars.append((f"{g} {side}", s["d"], side, g))
    if table:
        sec.table(["generation", "measured on", "inserts into a slot whose byte says freed",
                   "inserts into a slot a delete freed", "reuse distance p10 / median / p90",
                   "reused at distance 1 / 2 / 3", "model vs runtime"], table,
                  caption="'Whose byte says freed': classic emptyOne, Swiss tombstone (the models' "
                          "reused counter). 'A delete freed': the slot's address, whatever its byte "
                          "became. Distance: inserts from the delete to the insert that refilled "
                          "the slot (1 = the very next insert). There is no free list: in a map "
                          "of thousands of keys a freed slot waits hundreds to thousands of inserts "
                          "for a key whose probe path (Swiss) or bucket chain (classic) passes it.",
                  how=f"{REUSE} (method as above). Tolerance: {rule}, z = {fmt(z)}.", numeric_from=2)
    if bars:
        fig, ax = figures.new(width=6.8, height=0.45 * len(bars) + 1.2)
        for y, (name, d, side, g) in enumerate(bars):
            c = "#222222" if side == "runtime" else figures.colour("go" if g == "classic" else "goswiss")
            ax.plot([d["p10"], d["p90"]], [y, y], color=c, linewidth=6, alpha=0.45,
                    solid_capstyle="butt")
            ax.plot([d["median"]], [y], marker="|", markersize=14, color=c)
            if d["min"] is not None and d["max"] is not None:
                ax.plot([d["min"], d["max"]], [y, y], color=c, linewidth=0.8)
        ax.set_yticks(range(len(bars)))
        ax.set_yticklabels([b[0] for b in bars], fontsize=8)
        ax.set_xscale("log")
        ax.axvline(3, color="grey", linestyle=":", linewidth=1)
        ax.set_xlabel("reuse distance (inserts; log scale); dotted: 3, the post's claim")
        ax.set_title("When a freed slot is taken again: min–max (line), p10–p90 (bar), median (tick)")
        sec.figure(figures.to_svg(fig, "go-maps-distance", "reuse distance, both Go maps"),
                   "Reuse distance on both runtimes and their models, churn at n = "
                   f"{fmt(wl['n'])}.", f"{REUSE}; quantiles per seed, averaged over "
                   f"{fmt(wl['seeds'])} seeds"
                   + (f" (the models: {fmt(wl['model_seeds'])})" if wl["model_seeds"] is not None else "")
                   + "; min and max over all seeds.")


def churn_part(ctx, sec):
    sec.heading("What churn does over time: overflow buckets vs tombstones", "go-maps-churn")
    classic = sec.load_json(ctx, CLASSIC, "scripts/slotlab validate go")
    swiss = sec.load_json(ctx, SWISS, "scripts/slotlab validate goswiss")
    panels, sentences = [], []
    if classic is not None:
        try:
            rows = [{k: number(c, k, CLASSIC, f"checkpoints[{i}].") for k in
                     ("ops", "model_mean", "runtime_mean", "model_sd", "runtime_sd")}
                    for i, c in enumerate(listing(classic, "checkpoints", CLASSIC))]
            if not rows:
                raise Malformed(f"{CLASSIC}: 'checkpoints' is empty")
            n = number(_optional(classic, "workload", CLASSIC), "n", CLASSIC, "workload.",
                       optional=True)
            verdict = text(classic, "verdict", CLASSIC, default="n/a")
            panels.append(("classic: overflow buckets\n(hmap.noverflow)", rows, "go", f"n = {fmt(n)}"))
            sentences.append(f"Classic ({CLASSIC}, verdict {verdict}): a "
                             "freed slot stays in its bucket chain; chains grow overflow buckets "
                             "that only a same-size grow (at noverflow >= 2^min(B,15)) removes.")
        except Malformed as e:
            sec.malformed(ctx.run, CLASSIC, e)
    if swiss is not None:
        try:
            scenarios = listing(swiss, "scenarios", SWISS)
            verdict = text(swiss, "verdict", SWISS, required=True)
            if _optional(swiss, "model", SWISS).get("self_check") is True:
                sec.miss(f"{SWISS} holds `validate goswiss --self-check` (the runtime against "
                         "itself), not the model: run `scripts/slotlab validate goswiss`")
                scenarios = []
            drawn, said = [], []  # kept only if the whole file reads
            for i, sc in enumerate(scenarios):
                w = f"scenarios[{i}]."
                cps = listing(sc, "checkpoints", SWISS, w)
                n = number(sc, "n", SWISS, w, lo=0)
                name = text(sc, "name", SWISS, w, "")
                if not cps or n <= 8:
                    continue  # the small map has no tombstones to draw
                rows = []
                for j, c in enumerate(cps):
                    t = mapping(mapping(c, "metrics", SWISS, f"{w}checkpoints[{j}]."), "tombstones",
                                SWISS, f"{w}checkpoints[{j}].metrics.")
                    rows.append({"ops": number(c, "ops", SWISS, f"{w}checkpoints[{j}]."),
                                 **{k: number(t, k, SWISS, f"{w}checkpoints[{j}].metrics.tombstones.")
                                    for k in ("model_mean", "runtime_mean", "model_sd", "runtime_sd")},
                                 "prunes": number(_optional(c, "runtime_only", SWISS, f"{w}checkpoints[{j}]."),
                                                  "prunes", SWISS, f"{w}checkpoints[{j}].runtime_only.",
                                                  optional=True, lo=0)})
                drawn.append((f"Swiss: tombstones\n{name}", rows, "goswiss", f"n = {fmt(n)}"))
                last = rows[-1]
                if last["prunes"] is not None:
                    said.append(f"Swiss, n = {fmt(n)}: {fmt(last['runtime_mean'])} "
                                     f"tombstones after {fmt(last['ops'])} ops, "
                                     f"{fmt(last['prunes'])} prunes per run on average (runtime).")
            panels += drawn
            sentences += said
            if scenarios:
                sentences.append(f"Swiss ({SWISS}, verdict {verdict}): a tombstone stays until an "
                                 "insert on its probe path reuses it, or until growthLeft reaches 0 and "
                                 "pruneTombstones clears those no probe needs (if >= 10% of the table), "
                                 "else the table grows or splits.")
        except Malformed as e:
            sec.malformed(ctx.run, SWISS, e)
    if not panels:
        return
    fig, axes = figures.new(width=3.3 * len(panels), height=3.0, ncols=len(panels), squeeze=False)
    for ax, (title, rows, model, where) in zip(axes[0], panels):
        ops = [r["ops"] for r in rows]
        for side, c, name in (("runtime", "#222222", "Go runtime"),
                              ("model", figures.colour(model), f"model {model}")):
            mean = [r[f"{side}_mean"] for r in rows]
            sd = [r[f"{side}_sd"] for r in rows]
            ax.fill_between(ops, [m - d for m, d in zip(mean, sd)],
                            [m + d for m, d in zip(mean, sd)], color=c, alpha=0.18)
            ax.plot(ops, mean, color=c, marker=".", label=name)
        ax.set_title(f"{title}, {where}", fontsize=8)
        ax.set_xlabel("churn ops", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.legend(fontsize=7)
    sec.figure(figures.to_svg(fig, "go-maps-churn", "churn over time, both Go maps"),
               " ".join(sentences), "Means ± 1 sd over seeds; classic from validation/go.json "
               "(hmap.noverflow), Swiss from validation/goswiss.json (sum over tables of "
               "capacity*7/8 - used - growthLeft); both runtimes read through unsafe by "
               "scripts/go/churnmap.")


def memory_part(ctx, sec):
    """Bytes per key and unsuccessful-lookup probes of the two models over the run's long
    churn traces: what the validated dynamics cost (the runtimes expose neither)."""
    churn = {m: t for m, t in ctx.traces_for("churn").items() if m in ("go", "goswiss")}
    if not churn:
        sec.miss("no traces/go-churn.csv or traces/goswiss-churn.csv in this run: run "
                 "`scripts/slotlab run` (it traces every registered map)")
        return
    fig, axes = figures.new(width=6.8, height=2.8, ncols=2, squeeze=False)
    for m, t in sorted(churn.items()):
        sec.source(t.rel)
        per_key = [b / z if b is not None and z else float("nan")
                   for b, z in zip(t.column("bytes"), t.column("size"))]
        miss = [v if v is not None else float("nan") for v in t.column("miss_probe")]
        name = "classic model go (probe: slots)" if m == "go" else "Swiss model goswiss (probe: groups)"
        axes[0][0].plot(t.turnovers(), per_key, color=figures.colour(m), marker=".", label=name)
        axes[0][1].plot(t.turnovers(), miss, color=figures.colour(m), marker=".", label=name)
    axes[0][0].set_title("bytes per live key", fontsize=9)
    axes[0][1].set_title("unsuccessful lookup: probes", fontsize=9)
    for ax in axes[0]:
        ax.set_xlabel("turnovers (ops / n)", fontsize=8)
        ax.tick_params(labelsize=7)
    axes[0][1].legend(fontsize=7)
    t0 = next(iter(churn.values()))
    sec.figure(figures.to_svg(fig, "go-maps-memory", "memory and probes under churn, Go models"),
               "Memory and lookup cost of the two validated models over a long churn: classic "
               "chains lengthen until a same-size grow; Swiss tables hold their capacity while "
               "tombstones lengthen probes until a prune or a grow. Probe units differ (slots "
               "scanned vs groups visited).",
               f"Model traces ({', '.join(sorted(t.rel for t in churn.values()))}): {t0.how()}; "
               "bytes from the counting allocator.")


def speed_part(ctx, sec):
    speed = sec.load_json(ctx, SWISS_SPEED, "scripts/slotlab validate goswiss --speed")
    if speed is None:
        return
    try:
        rows = speed_rows(speed, SWISS_SPEED)
        model, runtime = (text(speed, k, SWISS_SPEED, default="n/a") for k in ("model", "runtime"))
    except Malformed as e:
        sec.malformed(ctx.run, SWISS_SPEED, e)
        return
    sec.table(["n", "goswiss model ns/op", "Go 1.26 runtime ns/op", "model / runtime (wall)",
               "model / runtime (CPU)"], rows,
              caption="Churn speed of the Swiss-table model against the real Go map, medians "
                      "(target: at most 1).",
              how=f"{SWISS_SPEED}: model {model}; runtime {runtime}.", numeric_from=0)


def build(ctx, sec):
    sec.text("Go changed its map in Go 1.24 under the same syntax: the classic map (buckets of 8 "
             "with overflow chains) became Swiss tables (groups of 8 control bytes, tombstones, "
             "tables split by extendible hashing). Both are measured here on the real runtime, "
             "byte by byte, next to slotlab's models `go` and `goswiss`.")
    for part in (reuse_part, churn_part, memory_part, speed_part):
        part(ctx, sec)
