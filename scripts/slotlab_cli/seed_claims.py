"""The blog post's claims and the verdict functions that decide them from a run's files.

Each claim is (id, section of the post, the claim in one English sentence, the run
files it is decided by, verdict function). A verdict function takes the measurement
(plain dicts, as the producers wrote them) and returns (verdict, evidence): verdict
"true" | "false" | "partly" | "not testable here", evidence one sentence with the
figures. Nothing here is a verdict written by hand except the three claims no
experiment on this machine can decide (NOT_TESTABLE, each with its reason).

What Go's source says, for the reader checking a verdict (DESIGN.md "Seed claims"):
classic map (Go 1.19-1.23, runtime/map.go, map_fast64.go): mapdelete_fast64 clears
the key only `if t.key.ptrdata != 0`, the elem always (memclrHasPointers or
memclrNoHeapPointers), sets tophash emptyOne and turns a trailing run into emptyRest;
mapdelete_faststr clears only the string's data pointer (`k.str = nil`); mapassign
takes the first slot with isEmpty(tophash) (emptyOne or emptyRest) of the key's chain.
Swiss map (Go >= 1.24, internal/runtime/maps): Delete clears the key `if
typ.Key.Pointers()` (typedmemclr, the whole key), the elem always; the slot becomes
ctrlEmpty if its group still has an empty slot, else ctrlDeleted (a tombstone), which
an insert reuses on its probe path.
"""
import json
import os

SEED_GO, GO_RACE = "validation/seed_go.json", "validation/go_race.json"
GO_REUSE, GO_JSON = "validation/go_reuse.json", "validation/go.json"


def _load(run_dir, rel):
    try:
        with open(os.path.join(run_dir, rel)) as f:
            return json.load(f)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        return {"_error": f"{rel} is unreadable ({e})"}


def _ok_gens(doc, rel, need="probe"):
    """{gen: entry} for the generations measured, and the reason when none was."""
    if doc is None:
        return {}, f"{rel} is missing (its producer did not run)"
    if "_error" in doc:
        return {}, doc["_error"]
    gens = doc.get("generations", {})
    ok = {g: e for g, e in gens.items() if e.get("status") == "ok" and need in e}
    if not ok:
        reasons = "; ".join(f"{g}: {e.get('reason', 'no data')}" for g, e in gens.items())
        return {}, f"no Go generation could be measured ({reasons or 'no data'})"
    return ok, None


def _versions(entries):
    return [e.get("go_version") for e in entries.values() if e.get("go_version")]


def _name(gen):
    return {"classic": "classic", "swiss": "Swiss"}[gen]


# --- verdict functions: measurement in, (verdict, evidence) out ---------------------------

def reuse_by_later_insert(probes):
    """§1: a deleted slot can be reused by a later insert."""
    parts, reused_everywhere = [], True
    for gen, p in probes.items():
        ch, churn = p["chapter1"], p["insert_slot"]["churn"]
        inserts = sum(churn["state_taken"].values())
        reused = ch["same_slot"] > 0 or churn["state_taken"].get(
            "emptyOne" if gen == "classic" else "deleted", 0) > 0
        reused_everywhere &= reused
        extra = (f", and {churn['first_empty_in_chain']}/{churn['inserts_checked']} churn inserts "
                 "took the first free slot of their own bucket chain") if gen == "classic" else (
            f", and {churn['state_taken'].get('deleted', 0)}/{inserts} churn inserts took a tombstone")
        parts.append(f"{_name(gen)}: key 3 took key 1's freed slot in {ch['same_slot']}/"
                     f"{ch['trials']} maps{extra}")
    return ("true" if reused_everywhere else "false"), "; ".join(parts) + "."


def key_set_to_zero(probes):
    """§1: delete sets the key to its zero value."""
    kept, partial, cleared, parts = [], [], [], []
    for gen, p in probes.items():
        for case, r in sorted(p["slot_bytes"].items()):
            if not case.endswith("n=200"):
                continue
            kind = case.rsplit(" ", 1)[0]
            state = max(r["key"], key=r["key"].get)
            (cleared if state == "cleared" else kept if state == "kept" else partial).append(
                (gen, kind))
            parts.append(f"{_name(gen)} {kind.split('/')[0]} keys {state} "
                         f"({r['key'][state]}/{r['deletes']})")
    verdict = "false" if kept else "partly" if partial else "true"
    return verdict, "After delete: " + "; ".join(parts) + "."


def chapter1_example(probes):
    """§1: in the ch.1 example, key 3 very likely takes key 1's slot."""
    shares = {g: p["chapter1"]["same_slot"] / p["chapter1"]["trials"] for g, p in probes.items()}
    verdict = "true" if all(s >= 0.5 for s in shares.values()) else "false"
    ev = "; ".join(f"{_name(g)}: {p['chapter1']['same_slot']}/{p['chapter1']['trials']} fresh maps"
                   for g, p in probes.items())
    always = all(s == 1 for s in shares.values())
    return verdict, ev + (" -- always, not merely very likely (one bucket / one group)."
                          if always else ".")


def empty_rest_skipped(probes):
    """§1: emptyRest slots are skipped, not reused (classic only: Swiss has no emptyRest)."""
    if "classic" not in probes:
        return "not testable here", "emptyRest exists only in the classic map, which was not measured."
    p = probes["classic"]["insert_slot"]
    chain, taken = p["chain"], p["churn"]["state_taken"]
    verdict = "false" if chain["state_taken_by_e"] == "emptyRest" or taken.get("emptyRest", 0) else "true"
    return verdict, (f"Classic: with slots [{', '.join(chain['states_after_deletes'][:3])}, ...] the "
                     f"next inserts took slot {chain['slot_of_d']} ({chain['state_taken_by_d']}) then "
                     f"slot {chain['slot_of_e']} ({chain['state_taken_by_e']}); in churn "
                     f"{taken.get('emptyRest', 0)} inserts took an emptyRest slot and "
                     f"{taken.get('emptyOne', 0)} an emptyOne slot.")


def tophash_values(probes):
    """§2.1: tophash 0 = empty, 0xff = being migrated, 0x01-0xfe a valid key."""
    if "classic" not in probes:
        return "not testable here", "tophash exists only in the classic map, which was not measured."
    s = probes["classic"]["states"]
    c = s["census"]
    marks = {k: v for k, v in c.items() if k.split(":")[1] not in ("key", "emptyRest")}
    wrong = s["key_slots_with_0xff"] > 0 and s["of_which_live_keys"] > 0 or bool(marks)
    ev = (f"Classic census: {s['of_which_live_keys']}/{s['key_slots_with_0xff']} slots with "
          f"tophash 0xff held live keys; below {s['smallest_key_ctrl']} (the smallest key tophash "
          "seen) the runtime wrote " + ", ".join(f"{k} x{v}" for k, v in sorted(marks.items()))
          + " -- 0 emptyRest, 1 emptyOne, 2/3 evacuatedX/Y, 4 evacuatedEmpty, >= 5 a key.")
    return ("false" if wrong else "true"), ev


def bucket_size_and_load(probes):
    """§2.1: 8 slots per bucket, grow when the average load passes 6.5."""
    if "classic" not in probes:
        return "not testable here", "the classic map was not measured."
    events = probes["classic"]["growth"]["events"]
    first = events[0]
    loads = [e["count_before"] / (1 << e["from"]["B"]) for e in events if e["from"].get("B")]
    ok = first["count_before"] == 8 and loads and all(abs(l - 6.5) < 1e-9 for l in loads)
    ev = (f"Classic: a one-bucket map held {first['count_before']} keys before its first grow, and "
          f"each later doubling came at {min(loads) if loads else '?'}-{max(loads) if loads else '?'}"
          " keys per bucket")
    if "swiss" in probes:
        sw = probes["swiss"]["growth"]["events"]
        single = [e for e in sw if e["from"].get("tables", 0) == 1 and e["to"].get("tables") == 1]
        ratios = sorted({e["count_before"] / e["from"]["slots"] for e in single})
        ev += (f"; Swiss: the small map held {sw[0]['count_before']} keys (one 8-slot group), a "
               f"table grew at {', '.join(f'{r:.3f}' for r in ratios)} of its slots (7/8)")
    return ("true" if ok else "false"), ev + "."


def delete_state_transition(probes):
    """§2.2: delete moves a cell occupied -> evacuated -> empty with CAS and RCU."""
    parts, evacuated_by_delete = [], 0
    for gen, p in probes.items():
        left = dict(p["insert_slot"]["churn"]["state_left_by_delete"])
        for r in p["slot_bytes"].values():
            for k, v in r["ctrl_after"].items():
                left[k] = left.get(k, 0) + v
        evacuated_by_delete += sum(v for k, v in left.items() if k.startswith("evacuated"))
        old = {k: v for k, v in p["states"]["census"].items() if "evacuated" in k}
        parts.append(f"{_name(gen)}: read right after each delete, " + ", ".join(f"{k} x{v}" for k, v in sorted(left.items()))
                     + (f"; evacuated marks seen only in the old bucket array during growth "
                        f"({sum(old.values())} slots)" if old else ""))
    verdict = "false" if evacuated_by_delete == 0 else "partly"
    return verdict, ("The slot's control byte was already a final empty state -- " + "; ".join(parts)
                     + (" -- with no state in between." if verdict == "false" else "."))


def free_list_third_insert(reuse):
    """§2.3: freed slots go to a free list and are reused on the third insert."""
    gens = {g: e for g, e in reuse.get("generations", {}).items() if e.get("status") == "ok"}
    if not gens:
        reasons = "; ".join(f"{g}: {e.get('reason', '')}" for g, e in reuse.get("generations", {}).items())
        return "not testable here", f"{GO_REUSE} measured no generation ({reasons})."
    parts, third = [], []
    for g, e in gens.items():
        r = e["runtime"]
        s3 = r.get("share_at_distance", {}).get("3")
        d = r.get("distance", {})
        third.append(s3 if s3 is not None else 0.0)
        parts.append(f"{_name(g)}: {r['reused_inserts']}/{r['inserts']} inserts reused a freed slot, "
                     f"reuse distance median {d.get('median')} (p10 {d.get('p10')}, p90 {d.get('p90')}), "
                     f"{(s3 or 0) * 100:.1f}% at exactly 3")
    verdict = "true" if all(t >= 0.9 for t in third) else "partly" if any(t >= 0.5 for t in third) else "false"
    return verdict, "; ".join(parts) + "."


def overflow_chain_rebuild(direct, go):
    """§2.4: chains of >= 8 overflow buckets with >= 3 consecutive tombstones are rebuilt.
    direct: the classic probe's `overflow` experiment (or None); go: validation/go.json
    (or None). False when such a chain survives quiet use untouched and the only rebuild
    seen is the same-size grow at noverflow >= 2^min(B,15); true if quiet use rebuilt it."""
    parts, verdict = [], None
    if direct and direct.get("applicable"):
        b, q, g = direct["before"], direct["after_quiet"], direct["grow"]
        kept = (q["chain_buckets"] == b["chain_buckets"] and q["tombstones"] == b["tombstones"]
                and not q["grew"])
        long_chain = b["chain_buckets"] - 1 >= 8 and b["longest_tombstone_run"] >= 3
        only_grow = (g.get("started") and g.get("same_size") and g["noverflow_before"] >= g["threshold"])
        verdict = "true" if not kept else "false" if long_chain and only_grow else "partly"
        parts.append(
            f"Classic runtime: a chain of {b['chain_buckets'] - 1} overflow buckets with a run of "
            f"{b['longest_tombstone_run']} tombstones was {'left as it was' if kept else 'rebuilt'} by "
            f"{q['reads']} reads and {q['overwrites']} overwrites"
            + (f"; it was rebuilt only by a {'same-size' if g.get('same_size') else 'doubling'} grow "
               f"that began at noverflow {g['noverflow_before']} (2^min(B,15) = {g['threshold']}), "
               f"leaving {g['chain_buckets_after'] - 1} overflow buckets and "
               f"{g['tombstones_after']} tombstones" if g.get("started") else "; no grow began"))
    if go and go.get("verdict") == "pass":
        w = go["workload"]
        parts.append(f"and a model with no other rebuild matched the runtime's overflow count at "
                     f"{go['compared_checkpoints']} churn checkpoints (n={w['n']}, {w['seeds']} seeds)")
        verdict = verdict or "false"
    if verdict is None:
        why = ("the classic map was not measured" if not direct else direct.get("why", ""))
        if go is not None:
            why += f"; {GO_JSON}'s model check did not pass (verdict {go.get('verdict')})"
        return "not testable here", why[0].upper() + why[1:] + "."
    return verdict, "; ".join(parts) + "."


def delete_clears_key_then_value(probes):
    """§2.5: mapdelete_fast64 clears the key, then memclrNoHeapPointers the value."""
    parts, key_cleared, elem_cleared = [], [], []
    for gen, p in probes.items():
        r = p["slot_bytes"]["uint64/uint64 n=200"]
        k, e = max(r["key"], key=r["key"].get), max(r["elem"], key=r["elem"].get)
        key_cleared.append(k == "cleared")
        elem_cleared.append(e == "cleared")
        parts.append(f"{_name(gen)}: key {k} in {r['key'][k]}/{r['deletes']}, value {e} in "
                     f"{r['elem'][e]}/{r['deletes']}")
    verdict = ("true" if all(key_cleared) and all(elem_cleared) else
               "partly" if all(elem_cleared) or any(key_cleared) else "false")
    return verdict, "map[uint64]uint64 after delete -- " + "; ".join(parts) + "."


def _cell(race, gen, mode, build):
    return race["generations"][gen]["cells"][mode][build]


def _share(cell, what):
    return f"{cell[what]}/{cell['runs']}"


def race_detector_blind(race):
    """§3.1: the race detector cannot catch the slot-reuse race. False when it reports the
    post's own variant (GOMAXPROCS=1 + Gosched) in >= 95% of runs and the free-running
    one in >= 50% of the runs the runtime's throw did not end first; true when it never
    reports; partly in between."""
    gens = [g for g, e in race.get("generations", {}).items() if e.get("status") == "ok"]
    if not gens:
        return "not testable here", "no Go generation ran the race trials."
    reliable, any_report, parts = [], [], []
    for g in gens:
        racy = {m: _cell(race, g, m, "race") for m in ("unsync", "gosched", "serial")}
        ctrl = _cell(race, g, "mutex", "race")
        # a free-running run the runtime's own throw ended first is no miss of the detector
        free = racy["unsync"]
        judged = free["runs"] - free["throw"]
        reliable.append((racy["gosched"]["share_data_race"] or 0) >= 0.95
                        and judged > 0 and free["data race"] / judged >= 0.5)
        any_report.append(any(c["data race"] for c in racy.values()))
        hist = race["generations"][g]["cells"].get("serial-history7", {}).get("race")
        parts.append(f"{_name(g)}: DATA RACE in {_share(racy['gosched'], 'data race')} runs of the "
                     f"GOMAXPROCS=1+Gosched variant, {_share(racy['unsync'], 'data race')} free-running "
                     f"(the runtime's own throw ended {_share(racy['unsync'], 'throw')} first), "
                     f"{_share(racy['serial'], 'data race')} whose goroutines did not interleave "
                     f"(GOMAXPROCS=1, no Gosched)"
                     + (f" but {_share(hist, 'data race')} of those with a 128x longer race "
                        "history (GORACE=history_size=7)" if hist else "")
                     + f", {_share(ctrl, 'data race')} with the mutex")
    verdict = "false" if all(reliable) else "partly" if any(any_report) else "true"
    return verdict, "-race reported " + "; ".join(parts) + "."


def nothing_notices_without_race(race):
    """§3.1: without -race nothing notices."""
    gens = [g for g, e in race.get("generations", {}).items() if e.get("status") == "ok"]
    if not gens:
        return "not testable here", "no Go generation ran the race trials."
    shares, parts = [], []
    for g in gens:
        c = _cell(race, g, "unsync", "plain")
        shares.append(c["share_throw"] or 0)
        msgs = ", ".join(f'"{m}" x{n}' for m, n in sorted(c["messages"].items()))
        parts.append(f"{_name(g)}: the runtime threw in {_share(c, 'throw')} free-running runs"
                     + (f" ({msgs})" if msgs else ""))
    verdict = "true" if not any(shares) else "false" if all(s == 1 for s in shares) else "partly"
    return verdict, "; ".join(parts) + "."


def gosched_hides_race(race):
    """§4.2: GOMAXPROCS=1 + Gosched reproduces the race and the race detector cannot catch it."""
    gens = [g for g, e in race.get("generations", {}).items() if e.get("status") == "ok"]
    if not gens:
        return "not testable here", "no Go generation ran the race trials."
    hidden, parts = [], []
    for g in gens:
        r, p = _cell(race, g, "gosched", "race"), _cell(race, g, "gosched", "plain")
        hidden.append(1 - (r["share_data_race"] or 0))
        parts.append(f"{_name(g)}: -race reported it in {_share(r, 'data race')} runs, the runtime's "
                     f"own check threw in {_share(p, 'throw')}")
    verdict = "false" if all(h <= 0.05 for h in hidden) else "true" if all(h == 1 for h in hidden) else "partly"
    return verdict, "; ".join(parts) + "."


def linkname_hook(entries):
    """§4.4: a go:linkname hook on runtime.mapassign_fast64 can log slot states."""
    parts, call_ok, hook_ok = [], [], []
    for gen, e in entries.items():
        ln = e["linkname"]
        call_ok.append(ln["call"]["runs"])
        hook_ok.append(ln["hook"]["runs"])
        parts.append(f"{e.get('go_version') or _name(gen)}: calling it "
                     + ("builds and runs" if ln["call"]["runs"] else f"fails ({ln['call']['message']})")
                     + ", a hook replacing it "
                     + ("builds" if ln["hook"]["builds"] else f"fails to link (\"{ln['hook']['message']}\")"))
    verdict = ("true" if all(hook_ok) else "partly" if all(call_ok) else "false")
    return verdict, "; ".join(parts) + "."


NOT_TESTABLE = [
    ("3.2", "Padding map cells to 64 bytes removes the race detector's \"false positive\" reads.",
     "Go's map lays out its own buckets and groups (no user padding reaches them), and false "
     "sharing changes speed, never what the race detector reports, so there is nothing to run."),
    ("3.3", "The GC can miss marks on slots while a map grows.",
     "that would be a runtime bug; showing one takes GODEBUG=gccheckmark runs far longer than a "
     "slotlab run, and the post gives no reproducer."),
    ("4.3", "bpftrace uprobes on runtime.mapassign can watch slot addresses being reused.",
     "bpftrace needs root and kernel uprobes, which this machine's sandbox does not give."),
]


def _probe_claim(fn):
    def decide(docs):
        entries, why = _ok_gens(docs[SEED_GO], SEED_GO)
        if why:
            return "not testable here", why + ".", []
        verdict, ev = fn({g: e["probe"] for g, e in entries.items()})
        return verdict, ev, _versions(entries)
    return decide


def _race_claim(fn):
    def decide(docs):
        entries, why = _ok_gens(docs[GO_RACE], GO_RACE, need="cells")
        if why:
            return "not testable here", why + ".", []
        verdict, ev = fn(docs[GO_RACE])
        return verdict, ev, _versions(entries)
    return decide


def _reuse_claim(docs):
    doc = docs[GO_REUSE]
    if doc is None or "_error" in (doc or {}):
        return ("not testable here", (doc or {}).get("_error", f"{GO_REUSE} is missing "
                "(`scripts/slotlab validate reuse` did not run)") + ".", [])
    verdict, ev = free_list_third_insert(doc)
    return verdict, ev, [e.get("go_version") for e in doc.get("generations", {}).values()
                         if e.get("status") == "ok" and e.get("go_version")]


def _overflow_claim(docs):
    entries, _ = _ok_gens(docs[SEED_GO], SEED_GO)
    direct = entries.get("classic", {}).get("probe", {}).get("overflow")
    go = docs[GO_JSON] if isinstance(docs[GO_JSON], dict) and "_error" not in docs[GO_JSON] else None
    if direct is None and go is None:
        return ("not testable here", f"neither the classic runtime ({SEED_GO}) nor {GO_JSON} "
                "was measured in this run.", [])
    verdict, ev = overflow_chain_rebuild(direct, go)
    versions = [entries["classic"]["go_version"]] if direct else []
    if go and go.get("runtime", {}).get("go_version") and not versions:
        versions = [go["runtime"]["go_version"]]
    return verdict, ev, versions


def _linkname_claim(docs):
    doc = docs[SEED_GO]
    entries, why = _ok_gens(doc, SEED_GO, need="linkname")
    if why:
        return "not testable here", why + ".", []
    verdict, ev = linkname_hook(entries)
    return verdict, ev, _versions(entries)


CLAIMS = [
    ("reuse", "1", "A slot freed by delete can be reused by a later insert (one that hashes to the "
     "same bucket).", [SEED_GO], _probe_claim(reuse_by_later_insert)),
    ("key-zeroed", "1", "delete sets the deleted key to its zero value (\"\" or nil) instead of "
     "clearing the slot.", [SEED_GO], _probe_claim(key_set_to_zero)),
    ("chapter1", "1", "In the example (make(map[int]int, 1); m[1], m[2]; delete 1; m[3]) key 3 very "
     "likely lands in key 1's old slot.", [SEED_GO], _probe_claim(chapter1_example)),
    ("emptyrest", "1", "An insert skips emptyRest slots: only emptyOne (deleted) slots are reused.",
     [SEED_GO], _probe_claim(empty_rest_skipped)),
    ("tophash", "2.1", "tophash 0 means an empty slot, 0xff a slot being migrated, 0x01-0xfe a valid "
     "key.", [SEED_GO], _probe_claim(tophash_values)),
    ("bucket-load", "2.1", "Each bucket holds 8 slots and the map grows once the load passes 6.5 "
     "keys per bucket.", [SEED_GO], _probe_claim(bucket_size_and_load)),
    ("cell-states", "2.2", "delete moves a cell occupied -> evacuated -> empty through atomic CAS "
     "transitions and RCU grace periods.", [SEED_GO], _probe_claim(delete_state_transition)),
    ("free-list", "2.3", "A deleted slot goes onto a free list and is reused on the third insert.",
     [GO_REUSE], _reuse_claim),
    ("overflow-rebuild", "2.4", "An overflow chain of >= 8 buckets with >= 3 consecutive "
     "tombstones is rebuilt, reusing their slots.", [SEED_GO, GO_JSON], _overflow_claim),
    ("delete-clears", "2.5", "mapdelete_fast64 clears the key, then clears the value with "
     "memclrNoHeapPointers.", [SEED_GO], _probe_claim(delete_clears_key_then_value)),
    ("race-detector", "3.1", "The race detector cannot catch the slot-reuse race (missing memory "
     "barriers hide it).", [GO_RACE], _race_claim(race_detector_blind)),
    ("silent", "3.1", "Without -race, nothing notices goroutines racing on one map.", [GO_RACE],
     _race_claim(nothing_notices_without_race)),
    ("gosched", "4.2", "GOMAXPROCS=1 plus runtime.Gosched() reproduces the slot-reuse race "
     "deterministically while the race detector stays blind to it.", [GO_RACE],
     _race_claim(gosched_hides_race)),
    ("linkname", "4.4", "A go:linkname hook on runtime.mapassign_fast64 can intercept map "
     "assignments and log slot states.", [SEED_GO], _linkname_claim),
]


def decide(run_dir):
    """validation/seed_claims.json's list, from the files in run_dir."""
    docs = {rel: _load(run_dir, rel) for rel in (SEED_GO, GO_RACE, GO_REUSE, GO_JSON)}
    out = []
    for cid, section, claim, files, fn in CLAIMS:
        try:
            verdict, evidence, versions = fn(docs)
        except (KeyError, TypeError, ValueError, IndexError, ZeroDivisionError) as e:
            verdict, versions = "not testable here", []
            evidence = (f"{', '.join(files)} lacks what this claim needs ({type(e).__name__}: {e}); "
                        "its producer wrote another shape.")
        out.append({"id": cid, "section": section, "claim": claim, "verdict": verdict,
                    "evidence": evidence, "files": files, "go_versions": versions})
    for section, claim, why in NOT_TESTABLE:
        out.append({"id": "untestable-" + section, "section": section, "claim": claim,
                    "verdict": "not testable here", "evidence": f"Not run: {why}", "files": [],
                    "go_versions": []})
    return out
