"""Fuzzing: targets, executions, coverage, corpus, mutants (fuzz/summary.json).

The schema is in reports/RUN_LAYOUT.md; libFuzzer's own names for the same
figures (cov, ft, exec/s, ...) are accepted too, and targets or mutants may be
a list of objects or an object keyed by name."""
import os

from reports.render.runfiles import Malformed, number
from reports.render.sections.base import fmt

ID = "fuzz"
TITLE = "Differential fuzzing"
REL = "fuzz/summary.json"

ALIASES = {
    "execs": ("execs", "executions", "runs", "total_execs"),
    "execs_per_sec": ("execs_per_sec", "exec_per_s", "exec_per_sec", "exec/s", "execs_per_second"),
    "coverage": ("coverage", "cov", "edges"),
    "features": ("features", "ft"),
    "corpus_size": ("corpus_size", "corpus", "corpus_units", "units"),
}


def _pick(obj, key, where, optional=True):
    for alias in ALIASES.get(key, (key,)):
        if isinstance(obj, dict) and obj.get(alias) is not None:
            v = obj[alias]
            if isinstance(v, dict):  # e.g. "coverage": {"edges": 2400, "features": 9100}
                v = next((v[a] for a in ALIASES[key] if isinstance(v.get(a), (int, float))), None)
                if v is None:
                    continue
            return number({alias: v}, alias, REL, where)
    if optional:
        return None
    raise Malformed(f"{REL}: no field '{where}{key}'")


def _named(value, what):
    """[(name, entry)] from a list of objects with "name" or an object keyed by name."""
    if isinstance(value, dict):
        return [(str(k), v) for k, v in sorted(value.items())]
    if isinstance(value, list):
        return [(str(v.get("name", v.get(what, v.get("target", f"{what} {i}")))) if isinstance(v, dict)
                 else f"{what} {i}", v) for i, v in enumerate(value)]
    raise Malformed(f"{REL}: '{what}s' should be a list or an object")


def _caught(m, where):
    """True (caught), False (missed), or the producer's own word when it is neither
    (e.g. "build failed"), which counts as not caught."""
    if isinstance(m.get("caught"), bool):
        return m["caught"]
    result = str(m.get("result", m.get("status", ""))).lower()
    if result in ("caught", "killed", "detected"):
        return True
    if result in ("missed", "survived", "not caught"):
        return False
    if result:
        return result
    raise Malformed(f"{REL}: '{where}caught' should be true or false")


def _beside(ctx, path):
    """A reproducer inside the run directory, as a path relative to the page."""
    if path and os.path.isabs(path):
        rel = os.path.relpath(os.path.realpath(path), os.path.realpath(ctx.run.path))
        if not rel.startswith(".."):
            return rel
    return path


def lanes_fuzzed(ctx, doc):
    """Whose lanes ran: a target's "lanes" (fuzz --maps), else every registered strategy."""
    targets = doc["targets"].values() if isinstance(doc.get("targets"), dict) else doc.get("targets") or []
    chosen = next((t["lanes"] for t in targets if isinstance(t, dict) and isinstance(t.get("lanes"), list)), None)
    if chosen:
        return "the lanes of " + ", ".join(map(str, chosen))
    return "every registered strategy" + (f" ({', '.join(ctx.maps)})" if ctx.maps else "")


def build(ctx, sec):
    doc = sec.load_json(ctx, REL, "scripts/slotlab fuzz")
    if doc is None:
        return
    try:
        if not isinstance(doc, dict) or "targets" not in doc:
            raise Malformed(f"{REL}: no field 'targets'")
        targets, findings, bad = [], [], []
        for i, (name, t) in enumerate(_named(doc["targets"], "target")):
            w = f"targets[{i}]."
            if not isinstance(t, dict):
                raise Malformed(f"{REL}: '{w[:-1]}' should be an object")
            result = str(t.get("result", t.get("status", "n/a")))
            ok = result in ("ok", "pass", "passed")
            targets.append([
                name,
                fmt(number(t, "seconds", REL, w, optional=True)),
                fmt(number(t, "jobs", REL, w, optional=True)),
                fmt(_pick(t, "execs", w, optional=False)),
                fmt(_pick(t, "execs_per_sec", w)),
                fmt(number(t, "exec_per_cpu_s", REL, w, optional=True)),
                fmt(_pick(t, "coverage", w)),
                fmt(_pick(t, "features", w)),
                fmt(_pick(t, "corpus_size", w)),
                {"text": result, "cls": "best" if ok else "bad",
                 "title": str(t.get("message") or "")},
                _beside(ctx, str(t.get("reproducer") or "")),
            ])
            if not ok:
                bad.append(name)
                if t.get("message"):
                    findings.append(f"{name}: {t['message']}")
        mutants = []
        for i, (name, m) in enumerate(_named(doc.get("mutants") or [], "mutant")):
            w = f"mutants[{i}]."
            if not isinstance(m, dict):
                raise Malformed(f"{REL}: '{w[:-1]}' should be an object")
            caught = _caught(m, w)
            word = "caught" if caught is True else ("MISSED" if caught is False else caught)
            mutants.append([name, str(m.get("description", m.get("strategy", ""))),
                            {"text": word, "cls": "best" if caught is True else "bad"},
                            str(m.get("target", "")),
                            fmt(number(m, "seconds_to_catch", REL, w, optional=True)),
                            str(m.get("caught_during", ""))])
    except Malformed as e:
        sec.error(ctx.run.note_malformed(REL, str(e).split(": ", 1)[-1]))
        return
    secs = doc.get("seconds_per_target", doc.get("seconds", "n/a"))
    engine = doc.get("how", doc.get("engine", "libFuzzer with ASan+UBSan"))
    how = (f"{REL}: {engine}; {lanes_fuzzed(ctx, doc)} against std::unordered_map"
           + (f", {secs} s per target." if secs != "n/a" else "."))
    if targets:
        sec.text(f"{len(targets)} target(s); " + (f"findings or failures in {', '.join(bad)}."
                                                   if bad else "no finding in this run."))
        sec.sentences([f"Finding — {f}" for f in findings])
        sec.table(["target", "seconds", "processes", "executions", "exec/s (wall)",
                   "exec per CPU-second", "coverage (edges)", "features", "corpus", "result",
                   "reproducer"], targets, how=how)
    else:
        sec.miss(f"{REL} lists no target")
    if mutants:
        caught = sum(1 for m in mutants if m[2]["text"] == "caught")
        sec.table(["mutant", "the planted bug", "result", "caught by", "seconds to catch",
                   "caught during"], mutants,
                  caption=f"Planted bugs (fuzz/mutants/): {caught} of {len(mutants)} caught.",
                  how="`scripts/slotlab fuzz --mutants`: " + str(doc.get(
                      "mutants_how", "each patch on a scratch copy, fuzzed for at most 120 s")) + ".",
                  numeric_from=4)
    planned = doc.get("mutants_planned")
    if not mutants:
        sec.miss(f"no mutant results in {REL}: the run's `fuzz --mutants` step did not run or "
                 "stopped before the first mutant (run.json says why); `scripts/slotlab fuzz "
                 "--mutants --run-dir RUN_DIR` then `scripts/slotlab report RUN_DIR` adds them")
    elif isinstance(planned, int) and planned > len(mutants):
        sec.miss(f"only {len(mutants)} of {planned} mutants ran: the step stopped early (its time "
                 "limit or the run's budget; run.json says which)")
