"""The question slotlab was born from: the blog post's claims (../shared/seed/), each with
the verdict `scripts/slotlab seed` computed from this run (validation/seed_claims.json),
the race-detector trials (validation/go_race.json) and what a stale pointer sees in
every C++ map (bench/stale_pointer.json). The three opening sentences are built from
those files, never written by hand. Each file is checked field by field when read (the
run directory is untrusted input): a bad field is named, and what the other files hold
is still drawn."""
from reports.render import figures
from reports.render.runfiles import Malformed, count, mapping, numbers, strings, text
from reports.render.sections.base import fmt, fmt_n, label, pct

ID = "seed"
TITLE = "The question slotlab was born from"
CLAIMS, RACE, STALE, SEED_GO = ("validation/seed_claims.json", "validation/go_race.json",
                                "bench/stale_pointer.json", "validation/seed_go.json")
PRODUCER = "scripts/slotlab seed"
VERDICT_CLS = {"true": "best", "partly": "meh", "false": "bad", "not testable here": "na"}
MODE_ORDER = ("unsync", "gosched", "serial", "serial-history7", "mutex")  # racy first, control last
# The race cells the opening answer quotes; seed.py writes them for every measured generation.
ANSWER_CELLS = (("gosched", "race"), ("unsync", "race"), ("serial", "race"), ("unsync", "plain"))
STRING_WORDS = {"word0": "the data pointer", "word1": "the length"}  # a string header's words
KIND_COLOURS = {"poisoned": "#2ca02c", "another_key": "#d62728", "dead_value": "#ff7f0e",
                "other": "#98a2b3"}
KIND_LABELS = {"poisoned": "poisoned (ASan reports the read)",
               "another_key": "another live key's value (silent)",
               "dead_value": "the dead value lingers", "other": "other bytes"}


# ---------------------------------------------------------------- the four files, checked
# Each reader returns what the section draws, every field checked for type and range
# (runfiles' accessors), or raises Malformed naming the file and the field.

def _counts(obj, key, rel, where):
    """{name: count} of an object of counts (states seen, words kept or cleared)."""
    found = mapping(obj, key, rel, where)
    return {k: count(found, k, rel, f"{where}{key}.") for k in found}


def read_claims(doc):
    """[{id, section, claim, verdict, evidence, files, go_versions}]."""
    if not isinstance(doc, list):
        raise Malformed(f"{CLAIMS}: the file should hold a list of claims")
    out = []
    for i, c in enumerate(doc):
        w = f"[{i}]."
        if not isinstance(c, dict):
            raise Malformed(f"{CLAIMS}: '[{i}]' should be an object")
        out.append({"id": text(c, "id", CLAIMS, w), "section": text(c, "section", CLAIMS, w, "?"),
                    "claim": text(c, "claim", CLAIMS, w, ""),
                    "verdict": text(c, "verdict", CLAIMS, w, "n/a"),
                    "evidence": text(c, "evidence", CLAIMS, w, ""),
                    "files": strings(c, "files", CLAIMS, w, optional=True),
                    "go_versions": strings(c, "go_versions", CLAIMS, w, optional=True)})
    return out


def read_go(doc):
    """{generation: {go_version, same_slot, trials, slot_bytes: {case: {key, key_words,
    elem}}}} of the generations the probe measured (status "ok")."""
    gens, out = mapping(doc, "generations", SEED_GO), {}
    for g in gens:
        w = f"generations.{g}."
        e = mapping(gens, g, SEED_GO, "generations.")
        if text(e, "status", SEED_GO, w, required=True) != "ok":
            continue  # "not testable here": the claims table says why
        probe = mapping(e, "probe", SEED_GO, w)
        ch = mapping(probe, "chapter1", SEED_GO, w + "probe.")
        trials = count(ch, "trials", SEED_GO, w + "probe.chapter1.")
        slot_bytes = mapping(probe, "slot_bytes", SEED_GO, w + "probe.")
        out[g] = {"go_version": text(e, "go_version", SEED_GO, w, g), "trials": trials,
                  "same_slot": count(ch, "same_slot", SEED_GO, w + "probe.chapter1.", hi=trials),
                  "slot_bytes": {case: {k: _counts(mapping(slot_bytes, case, SEED_GO,
                                                           w + "probe.slot_bytes."),
                                                   k, SEED_GO, f"{w}probe.slot_bytes.{case}.")
                                        for k in ("key", "key_words", "elem")}
                                 for case in slot_bytes}}
    return out


def _trials(cell, build, rel, where):
    t = mapping(cell, build, rel, where)
    runs = count(t, "runs", rel, where + build + ".")
    return {"runs": runs, **{k: count(t, k, rel, where + build + ".", hi=runs)
                             for k in ("data race", "throw", "clean")}}


def read_race(doc):
    """{how, trials, modes: {mode: sentence}, generations: {generation: {status, reason,
    go_version, cells: {mode: {"race": outcomes, "plain": outcomes (absent for a variant
    that differs only in the race detector's options)}}}}}."""
    gens, out = mapping(doc, "generations", RACE), {}
    for g in gens:
        w = f"generations.{g}."
        e = mapping(gens, g, RACE, "generations.")
        entry = {"status": text(e, "status", RACE, w, required=True), "reason": text(e, "reason", RACE, w),
                 "go_version": text(e, "go_version", RACE, w), "cells": {}}
        if entry["status"] == "ok":
            cells = mapping(e, "cells", RACE, w)
            for mode in cells:
                cell = mapping(cells, mode, RACE, w + "cells.")
                entry["cells"][mode] = {b: _trials(cell, b, RACE, f"{w}cells.{mode}.")
                                        for b in ("race", "plain")
                                        if b == "race" or cell.get(b) is not None}
            for mode, build in ANSWER_CELLS:
                if build not in entry["cells"].get(mode, {}):
                    raise Malformed(f"{RACE}: no field '{w}cells.{mode}.{build}'")
        out[g] = entry
    modes = mapping(doc, "modes", RACE) if doc.get("modes") is not None else {}
    return {"generations": out, "trials": count(doc, "trials", RACE, optional=True),
            "modes": {m: text(modes, m, RACE, "modes.", "") for m in modes},
            "how": text(doc, "how", RACE)}


def read_stale(doc):
    """{checkpoints, maps: {map: {shares: {kind: [share per checkpoint]}, poisoned_by}},
    how, n, trials, max_j}."""
    cps = numbers(doc, "checkpoints", STALE, lo=0)
    if not cps:
        raise Malformed(f"{STALE}: 'checkpoints' is empty")
    found, maps = mapping(doc, "maps", STALE), {}
    for m in found:
        w = f"maps.{m}."
        e = mapping(found, m, STALE, "maps.")
        shares = mapping(e, "shares", STALE, w)
        s = {k: numbers(shares, k, STALE, w + "shares.", lo=0, hi=1) for k in KIND_COLOURS}
        for k, v in s.items():
            if len(v) != len(cps):
                raise Malformed(f"{STALE}: '{w}shares.{k}' should hold one share per checkpoint "
                                f"({len(cps)}), found {len(v)}")
        for i in range(len(cps)):  # every pointer is of exactly one kind
            total = sum(v[i] for v in s.values())
            if abs(total - 1) > 1e-6:
                raise Malformed(f"{STALE}: '{w}shares' add up to {total:.4g}, not 1, at "
                                f"checkpoint {i}")
        maps[m] = {"shares": s, "poisoned_by": text(e, "poisoned_by", STALE, w, "n/a")}
    return {"checkpoints": cps, "maps": maps, "how": text(doc, "how", STALE, default="n/a"),
            **{k: count(doc, k, STALE, optional=True) for k in ("n", "trials", "max_j")}}


# ---------------------------------------------------------------- what the section says

def _word(w, names):
    """'word0 cleared' -> 'the data pointer cleared' (a string header's words named)."""
    parts = w.split() or [w]
    return " ".join([names.get(parts[0], parts[0])] + parts[1:])


def answer(claims, go, race):
    """The post's question in three sentences, from the data; a sentence whose data is
    missing is left out (the claims table says why). Arguments: the readers' results,
    or None."""
    c = {x["id"]: x for x in claims or []}
    out = []
    if go:
        ch = "; ".join(f"{e['same_slot']}/{e['trials']} fresh maps on {e['go_version']}"
                       for e in go.values())
        s = (f"Can a deleted slot be reused? Yes, by the next key that hashes to the same bucket "
             f"chain (classic) or probe path (Swiss): in the post's own example key 3 took key 1's "
             f"slot in {ch}")
        free = c.get("free-list")
        if free and free["verdict"] != "not testable here":
            s += f"; and no free list hands slots out in order ({free['evidence'].rstrip('.')})"
        out.append(s + ".")
        kinds, values = {}, set()
        for e in go.values():
            for case, r in e["slot_bytes"].items():
                if not case.endswith("n=200") or not r["key"]:
                    continue
                state = max(r["key"], key=r["key"].get)
                if state == "partly cleared":  # say which 8-byte words
                    names = STRING_WORDS if case.startswith("string/") else {}
                    state += " (" + ", ".join(_word(w, names) for w in sorted(r["key_words"])) + ")"
                kinds.setdefault(case.split("/")[0], []).append(f"{state} on {e['go_version']}")
                values.update(r["elem"])
        if kinds:
            s = ("What does delete leave in the slot? The value is "
                 + ("cleared" if values == {"cleared"} else "left as " + "/".join(sorted(values)))
                 + "; the key depends on its type: "
                 + "; ".join(f"{k} keys {', '.join(v)}" for k, v in sorted(kinds.items())))
            if any(v.startswith("kept") for v in kinds.get("uint64", [])):
                s += (" -- a key without pointers keeps its bytes, so the post's \"set to its zero "
                      "value\" holds only for keys with pointers")
            out.append(s + ".")
    parts = []
    for e in (race or {}).get("generations", {}).values():
        if e["status"] != "ok":
            continue
        cells = e["cells"]
        gs, fr, se = (cells[m]["race"] for m in ("gosched", "unsync", "serial"))
        th = cells["unsync"]["plain"]
        hist = cells.get("serial-history7", {}).get("race")
        parts.append(f"{e['go_version']}: it reported {gs['data race']}/{gs['runs']} runs of the "
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
        files = c["files"]
        rows.append([{"text": "§" + c["section"]}, {"text": c["claim"]},
                     {"text": c["verdict"], "cls": VERDICT_CLS.get(c["verdict"], "")},
                     {"text": c["evidence"], "sub": [", ".join(c["go_versions"])]},
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
    for g, e in race["generations"].items():
        if e["status"] != "ok":
            rows.append([g, {"text": e["reason"] or "not measured", "cls": "na"}, "", "", "", ""])
            continue
        order = list(MODE_ORDER) + sorted(m for m in e["cells"] if m not in MODE_ORDER)
        for mode in (m for m in order if m in e["cells"]):
            r, p = e["cells"][mode]["race"], e["cells"][mode].get("plain")
            rows.append([f"{e['go_version'] or 'Go'} ({g})", mode,
                         f"{r['data race']}/{r['runs']}", f"{r['throw']}/{r['runs']}",
                         f"{p['throw']}/{p['runs']}" if p else "--",
                         f"{p['clean']}/{p['runs']}" if p else "--"])
    sec.table(["Go", "variant", "-race: DATA RACE", "-race: runtime threw first",
               "no -race: runtime threw", "no -race: nothing noticed"], rows,
              caption="The post's race (goroutines doing delete -> insert -> read on one map), "
                      "each trial a fresh process. Variants: "
                      + "; ".join(f"{m}: {d}" for m, d in race["modes"].items()) + ".",
              how=race["how"], numeric_from=2)


def stale_plot(sec, stale):
    maps = stale["maps"]
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
        ax.stackplot(cps, [shares[k] for k in KIND_COLOURS], colors=list(KIND_COLOURS.values()),
                     labels=[KIND_LABELS[k] for k in KIND_COLOURS], step="post")
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
    how = (f"From {STALE}: {stale['how']}; n = {fmt_n(stale['n'])}, "
           f"{fmt_n(stale['trials'])} tracked erases per map, j up to {fmt_n(stale['max_j'])}.")
    sec.figure(figures.to_svg(fig, "stale", "What a stale pointer sees"),
               "After `erase(k)`, the pointer `find(k)` returned: green, ASan would report a read "
               "through it; red, it now reads another live key's value (a silent wrong answer, "
               "the C++ twin of the post's hidden bug); orange, the dead value still sits there.",
               how)
    last = len(stale["checkpoints"]) - 1
    rows = []
    for m in names:
        s = maps[m]["shares"]
        rows.append([m, maps[m]["poisoned_by"], pct(s["poisoned"][0]),
                     pct(s["another_key"][1] if last else None),
                     pct(s["another_key"][last]), pct(s["dead_value"][last])])
    j1 = fmt(stale["checkpoints"][1]) if last else "n/a"
    j_last = fmt(stale["checkpoints"][last])
    sec.table(["map", "who poisons a freed slot", "poisoned at j=0", f"another key at j={j1}",
               f"another key at j={j_last}", f"dead value at j={j_last}"], rows, numeric_from=2,
              caption="Stale pointers per map: who marks freed slots for ASan (read in the "
                      "headers), and the shares at the first and last checkpoints.")


def checked(ctx, sec, rel, reader):
    """rel read by reader; None (the file named, with the field at fault) when it is
    missing or malformed: the parts drawn from the other files still show."""
    doc = sec.load_json(ctx, rel, PRODUCER)
    if doc is None:
        return None
    try:
        return reader(doc)
    except Malformed as e:
        sec.malformed(ctx.run, rel, e)
        return None


def build(ctx, sec):
    sec.text("slotlab began with a blog post (in Chinese) asking: when Go's map deletes a key, "
             "can its slot be reused -- and can the race detector catch the bugs that reuse "
             "causes? Below, each of the post's claims, tested on the real Go runtimes of this "
             "machine (the classic map of Go 1.19 and the Swiss table of Go >= 1.24), with the "
             "verdict this run's measurement gives.")
    claims = checked(ctx, sec, CLAIMS, read_claims)
    go = checked(ctx, sec, SEED_GO, read_go)
    race = checked(ctx, sec, RACE, read_race)
    stale = checked(ctx, sec, STALE, read_stale)
    sec.sentences(answer(claims, go, race))
    if claims is not None:
        sec.heading("The post's claims, one by one")
        claims_table(ctx, sec, claims)
    if race is not None:
        sec.heading(f"The race detector, {fmt_n(race['trials'])} trials per variant")
        race_table(sec, race)
    if stale is not None:
        sec.heading("C++: what a stale pointer sees after erase")
        stale_plot(sec, stale)
