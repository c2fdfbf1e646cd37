"""Environment: where and how the run was made, and the raw files beside the page."""
import json
import os

from reports.render.sections.base import fmt

ID = "environment"
TITLE = "Environment and raw data"
REL = "meta.json"


def show(value):
    if value in (None, "", [], {}):
        return {"text": "not recorded", "cls": "na"}
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return ", ".join(map(str, value))
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)[:600]
    return str(value)


def build(ctx, sec):
    src = ctx.meta
    if src.ok and isinstance(src.value, dict):
        sec.source(REL)
        m = src.value
        libs = m.get("libraries") if isinstance(m.get("libraries"), dict) else {}
        known = ("date", "commit", "cpu", "cores", "os", "compiler", "flags", "build_type",
                 "counters", "maps", "with_map")
        rows = [[k, show(m.get(k))] for k in known if k in m or k not in ("os", "build_type", "maps", "with_map")]
        rows += [[f"library: {name}", str(libs[name])] for name in sorted(libs)]
        # Whatever else producers recorded (e.g. bench's profile and invocations).
        rows += [[k, show(m[k])] for k in sorted(m) if k not in known and k != "libraries"]
        sec.table(["", "value"], rows, how=f"{REL}, written when the run was made.", numeric_from=9)
    elif src.ok:
        sec.error(ctx.run.note_malformed(REL, "should be a JSON object"))
    else:
        (sec.miss if src.missing else sec.error)(src.problem)
    steps = ctx.run.steps()
    if steps:
        sec.source("run.json")
        rows = []
        for st in steps:
            status = str(st.get("status", "n/a"))
            secs = st.get("seconds")
            rows.append([str(st.get("step", "?")), str(st.get("command", "")),
                         {"text": status, "cls": {"ok": "best", "failed": "bad"}.get(status, "na")},
                         str(st.get("reason", "")).replace("`", ""),
                         fmt(secs) if isinstance(secs, (int, float)) else "n/a"])
        sec.table(["step", "command", "status", "note", "seconds"], rows,
                  caption="What `scripts/slotlab run` did to make this run.",
                  how="run.json; each producer's output is in logs/.", numeric_from=4)
    files = []
    for dirpath, dirnames, filenames in os.walk(ctx.run.path):
        dirnames.sort()
        for f in sorted(filenames):
            rel = os.path.relpath(os.path.join(dirpath, f), ctx.run.path)
            if rel != "index.html" and not rel.endswith((".partial", ".tmp")):
                files.append(rel.replace(os.sep, "/"))
    if files:
        groups = {}
        for rel in sorted(files):
            top = rel.split("/", 1)[0] + "/" if "/" in rel else ""
            groups.setdefault(top, []).append((rel, os.path.getsize(ctx.run.abspath(rel))))
        sec.blocks.append({"kind": "files", "groups": [
            {"dir": d, "files": [(rel, fmt(size)) for rel, size in entries],
             "total": fmt(sum(size for _, size in entries))}
            for d, entries in sorted(groups.items())]})
        sec.filled += 1
    else:
        sec.miss("the run directory holds no data file")
