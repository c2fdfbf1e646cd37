"""The question slotlab was born from: the blog post's claims (../shared/seed/), each with
the verdict `scripts/slotlab seed` computed from this run (validation/seed_claims.json),
the race-detector trials (validation/go_race.json) and what a stale pointer sees in
every C++ map (bench/stale_pointer.json). The three opening sentences are built from
those files, never written by hand."""
from reports.render import figures
from reports.render.sections.base import fmt_n, label, pct

ID = "seed"
TITLE = "The question slotlab was born from"
CLAIMS, RACE, STALE, SEED_GO = ("validation/seed_claims.json", "validation/go_race.json",
                                "bench/stale_pointer.json", "validation/seed_go.json")
PRODUCER = "scripts/slotlab seed"
VERDICT_CLS = {"true": "best", "partly": "meh", "false": "bad", "not testable here": "na"}
MODE_ORDER = ("unsync", "gosched", "serial", "serial-history7", "mutex")  # racy first, control last
STRING_WORDS = {"word0": "the data pointer", "word1": "the length"}  # a string header's words
KIND_COLOURS = {"poisoned": "#2ca02c", "another_key": "#d62728", "dead_value": "#ff7f0e",
                "other": "#98a2b3"}
KIND_LABELS = {"poisoned": "poisoned (ASan reports the read)",
               "another_key": "another live key's value (silent)",
               "dead_value": "the dead value lingers", "other": "other bytes"}


def _by_id(claims):
    return {c.get("id"): c for c in claims if isinstance(c, dict)}


def _gens(doc):
    """{gen: entry} of the generations a seed file measured."""
    gens = doc.get("generations", {}) if isinstance(doc, dict) else {}
    return {g: e for g, e in gens.items() if isinstance(e, dict) and e.get("status") == "ok"}


def answer(claims, go, race):
    """The post's question in three sentences, from the data; a sentence whose data is
    missing is left out (the claims table says why)."""
    c = _by_id(claims or [])
    probes = {g: e["probe"] for g, e in _gens(go).items() if "probe" in e}
    out = []
    if probes:
        ch = "; ".join(f"{e['chapter1']['same_slot']}/{e['chapter1']['trials']} fresh maps on "
                       f"{go['generations'][g]['go_version']}" for g, e in probes.items())
        s = (f"Can a deleted slot be reused? Yes, by the next key that hashes to the same bucket "
             f"chain (classic) or probe path (Swiss): in the post's own example key 3 took key 1's "
             f"slot in {ch}")
        free = c.get("free-list")
        if free and free.get("verdict") != "not testable here":
            s += f"; and no free list hands slots out in order ({free['evidence'].rstrip('.')})"
        out.append(s + ".")
        kinds, values = {}, set()
        for g, e in probes.items():
            for case, r in e["slot_bytes"].items():
                if not case.endswith("n=200"):
                    continue
                state = max(r["key"], key=r["key"].get)
                if state == "partly cleared":  # say which 8-byte words
                    names = STRING_WORDS if case.startswith("string/") else {}
                    state += " (" + ", ".join(
                        " ".join([names.get(w.split()[0], w.split()[0])] + w.split()[1:])
                        for w in sorted(r["key_words"])) + ")"
                kinds.setdefault(case.split("/")[0], []).append(
                    f"{state} on {go['generations'][g]['go_version']}")
                values.update(r["elem"])
        s = ("What does delete leave in the slot? The value is "
             + ("cleared" if values == {"cleared"} else "left as " + "/".join(sorted(values)))
             + "; the key depends on its type: "
             + "; ".join(f"{k} keys {', '.join(v)}" for k, v in sorted(kinds.items())))
        if any(v.startswith("kept") for v in kinds.get("uint64", [])):
            s += (" -- a key without pointers keeps its bytes, so the post's \"set to its zero "
                  "value\" holds only for keys with pointers")
        out.append(s + ".")
    parts = []
    for g, e in _gens(race).items():
        cells = e["cells"]
        gs, fr, se = (cells[m]["race"] for m in ("gosched", "unsync", "serial"))
        th = cells["unsync"]["plain"]
        hist = cells.get("serial-history7", {}).get("race")
        parts.append(f"{e.get('go_version')}: it reported {gs['data race']}/{gs['runs']} runs of the "
                     f"post's GOMAXPROCS=1+Gosched variant, {fr['data race']}/{fr['runs']} free-running "
                     f"and {se['data race']}/{se['runs']} runs whose goroutines did not interleave"
                     + (f" ({hist['data race']}/{hist['runs']} with a longer race history)" if hist else "")
                     + f"; without -race the runtime threw in {th['throw']}/{th['runs']} free-running runs")
    if parts:
        out.append("Can the race detector catch the bugs slot reuse causes? " + "; ".join(parts) + ".")
    return out


def claims_table(ctx, sec, claims):
    rows = []
    for c in claims:
        v = c.get("verdict", "n/a")
        files = c.get("files") or []
        rows.append([{"text": "§" + str(c.get("section", "?"))}, {"text": c.get("claim", "")},
                     {"text": v, "cls": VERDICT_CLS.get(v, "")},
                     {"text": c.get("evidence", ""), "sub": [", ".join(c.get("go_versions") or [])]},
                     {"text": ", ".join(files) or "--",
                      "links": [{"text": f, "href": f if ctx.run.exists(f) else None} for f in files]}])
        for f in files:
            if ctx.run.exists(f):
                sec.source(f)
    sec.table(["§", "the post claims", "verdict", "evidence (this run)", "files"], rows,
              caption="Each verdict is computed from this run's measurement "
                      "(scripts/slotlab_cli/seed_claims.py); \"not testable here\" says why.",
              numeric_from=99)


def race_table(sec, race):
    rows = []
    for g, e in race.get("generations", {}).items():
        if e.get("status") != "ok":
            rows.append([g, {"text": e.get("reason", "not measured"), "cls": "na"}, "", "", "", ""])
            continue
        order = list(MODE_ORDER) + sorted(m for m in e["cells"] if m not in MODE_ORDER)
        for mode in (m for m in order if m in e["cells"]):
            cell = e["cells"][mode]
            r, p = cell["race"], cell.get("plain")
            rows.append([f"{e.get('go_version')} ({g})", mode,
                         f"{r['data race']}/{r['runs']}", f"{r['throw']}/{r['runs']}",
                         f"{p['throw']}/{p['runs']}" if p else "--",
                         f"{p['clean']}/{p['runs']}" if p else "--"])
    modes = race.get("modes", {})
    sec.table(["Go", "variant", "-race: DATA RACE", "-race: runtime threw first",
               "no -race: runtime threw", "no -race: nothing noticed"], rows,
              caption="The post's race (goroutines doing delete -> insert -> read on one map), "
                      "each trial a fresh process. Variants: "
                      + "; ".join(f"{m}: {d}" for m, d in modes.items()) + ".",
              how=race.get("how"), numeric_from=2)


def stale_plot(sec, stale):
    maps = stale.get("maps", {})
    names = sorted(maps)
    if not names:
        sec.miss(f"{STALE} lists no map")
        return
    cps = [max(j, 0.5) for j in stale["checkpoints"]]
    ncols = 4
    nrows = (len(names) + ncols - 1) // ncols
    fig, axes = figures.new(width=9.6, height=1.9 * nrows + 0.6, ncols=ncols, nrows=nrows,
                            sharex=True, sharey=True, squeeze=False)
    for i, ax in enumerate(axes.flat):
        if i >= len(names):
            ax.set_visible(False)
            continue
        m = names[i]
        shares = maps[m]["shares"]
        kinds = [k for k in KIND_COLOURS if k in shares]
        ax.stackplot(cps, [shares[k] for k in kinds], colors=[KIND_COLOURS[k] for k in kinds],
                     labels=[KIND_LABELS[k] for k in kinds], step="post")
        ax.set_xscale("log", base=2)
        ax.set_ylim(0, 1)
        ax.set_title(label(m), fontsize=9)
        ax.grid(False)
    for ax in axes[-1]:
        ax.set_xlabel("inserts since the erase (j; 0 at left)")
    for row in axes:
        row[0].set_ylabel("share of pointers")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=4, fontsize=8, bbox_to_anchor=(0.5, 1.02))
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    how = (f"From {STALE}: {stale.get('how', '')}; n = {fmt_n(stale.get('n'))}, "
           f"{fmt_n(stale.get('trials'))} tracked erases per map, j up to {fmt_n(stale.get('max_j'))}.")
    sec.figure(figures.to_svg(fig, "stale", "What a stale pointer sees"),
               "After `erase(k)`, the pointer `find(k)` returned: green, ASan would report a read "
               "through it; red, it now reads another live key's value (a silent wrong answer, "
               "the C++ twin of the post's hidden bug); orange, the dead value still sits there.",
               how)
    last = len(stale["checkpoints"]) - 1
    rows = []
    for m in names:
        s = maps[m]["shares"]
        rows.append([m, maps[m].get("poisoned_by", "n/a"), pct(s["poisoned"][0]), pct(s["another_key"][1] if last else None),
                     pct(s["another_key"][last]), pct(s["dead_value"][last])])
    j1 = stale["checkpoints"][1] if last else "n/a"
    sec.table(["map", "who poisons a freed slot", "poisoned at j=0", f"another key at j={j1}",
               f"another key at j={stale['checkpoints'][last]}",
               f"dead value at j={stale['checkpoints'][last]}"], rows, numeric_from=2,
              caption="Stale pointers per map: who marks freed slots for ASan (read in the "
                      "headers), and the shares at the first and last checkpoints.")


def build(ctx, sec):
    sec.text("slotlab began with a blog post (in Chinese) asking: when Go's map deletes a key, "
             "can its slot be reused -- and can the race detector catch the bugs that reuse "
             "causes? Below, each of the post's claims, tested on the real Go runtimes of this "
             "machine (the classic map of Go 1.19 and the Swiss table of Go >= 1.24), with the "
             "verdict this run's measurement gives.")
    claims = sec.load_json(ctx, CLAIMS, PRODUCER)
    go = sec.load_json(ctx, SEED_GO, PRODUCER)
    race = sec.load_json(ctx, RACE, PRODUCER)
    stale = sec.load_json(ctx, STALE, PRODUCER)
    sec.sentences(answer(claims if isinstance(claims, list) else None, go, race))
    if isinstance(claims, list):
        sec.heading("The post's claims, one by one")
        claims_table(ctx, sec, claims)
    if isinstance(race, dict):
        sec.heading(f"The race detector, {fmt_n(race.get('trials'))} trials per variant")
        race_table(sec, race)
    if isinstance(stale, dict):
        sec.heading("C++: what a stale pointer sees after erase")
        stale_plot(sec, stale)
