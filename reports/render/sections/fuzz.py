"""Fuzzing: targets, executions, coverage, corpus, mutants (fuzz/summary.json)."""
from reports.render.runfiles import Malformed, listing, number
from reports.render.sections.base import fmt

ID = "fuzz"
TITLE = "Differential fuzzing"
REL = "fuzz/summary.json"


def build(ctx, sec):
    src = ctx.run.json(REL, "scripts/slotlab fuzz")
    if not src.ok:
        (sec.miss if src.missing else sec.error)(src.problem)
        return
    sec.source(REL)
    doc = src.value
    try:
        targets = []
        for i, t in enumerate(listing(doc, "targets", REL)):
            w = f"targets[{i}]."
            result = str(t.get("result", "n/a"))
            targets.append([
                str(t.get("name", f"target {i}")),
                fmt(number(t, "execs", REL, w)),
                fmt(number(t, "execs_per_sec", REL, w)),
                fmt(number(t, "coverage", REL, w, optional=True)),
                fmt(number(t, "features", REL, w, optional=True)),
                fmt(number(t, "corpus_size", REL, w, optional=True)),
                {"text": result, "cls": "best" if result == "ok" else "bad"},
                str(t.get("reproducer") or ""),
            ])
        mutants = []
        for i, m in enumerate(doc.get("mutants") or []):
            w = f"mutants[{i}]."
            if not isinstance(m, dict) or not isinstance(m.get("caught"), bool):
                raise Malformed(f"{REL}: '{w}caught' should be true or false")
            mutants.append([str(m.get("name", f"mutant {i}")), str(m.get("strategy", "n/a")),
                            {"text": "caught" if m["caught"] else "MISSED",
                             "cls": "best" if m["caught"] else "bad"},
                            fmt(number(m, "seconds_to_catch", REL, w, optional=True))])
    except Malformed as e:
        sec.error(ctx.run.note_malformed(REL, str(e).split(": ", 1)[-1]))
        return
    secs = doc.get("seconds_per_target", "n/a")
    how = (f"{REL}: libFuzzer with ASan+UBSan, every registered strategy against "
           f"std::unordered_map, {secs} s per target in this run.")
    if targets:
        crashed = [t[0] for t in targets if t[6]["text"] != "ok"]
        sec.text(f"{len(targets)} target(s); " + (f"findings in {', '.join(crashed)}."
                                                   if crashed else "no finding in this run."))
        sec.table(["target", "executions", "exec/s", "coverage (edges)", "features", "corpus",
                   "result", "reproducer"], targets, how=how)
    else:
        sec.miss(f"{REL} lists no target")
    if mutants:
        caught = sum(1 for m in mutants if m[2]["text"] == "caught")
        sec.table(["mutant", "strategy", "result", "seconds to catch"], mutants,
                  caption=f"Planted bugs (fuzz/mutants/): {caught} of {len(mutants)} caught.",
                  how="`scripts/slotlab fuzz --mutants`: each patch on a scratch copy, fuzzed "
                      "for at most 120 s.", numeric_from=3)
    else:
        sec.miss(f"no mutant results in {REL}: run `scripts/slotlab fuzz --mutants`")
