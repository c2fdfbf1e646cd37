"""The trace CSVs of a run: traces/<map>-<workload>[-<hash>][-load<A>].csv."""
import re


COLUMNS = ("ops,size,slots,bytes,peak_bytes,tombstones,overflow_buckets,buckets_log2,"
           "mean_probe,max_probe,insert_probe,miss_probe,reused_slot_inserts,"
           "fresh_slot_inserts,rehashes,ns_per_op").split(",")
# Columns later trace tools add; an older trace without them reads as "not available".
OPTIONAL = ("shifted_slots", "place_probe", "tables", "directory_len")
WORKLOADS = ("churn", "grow-shrink", "same-key")
HASHES = ("strong", "weak", "collide")
NAME = re.compile(r"^(?P<map>[A-Za-z0-9_]+)-(?P<workload>churn|grow-shrink|same-key)"
                  r"(?:-(?P<hash>strong|weak|collide))?(?:-load(?P<load>[0-9.]+))?\.csv$")


class Trace:
    def __init__(self, rel, map_name, workload, hash_name, load, rows, command=None):
        self.rel = rel
        self.map = map_name
        self.workload = workload
        self.hash = hash_name
        self.load = load
        self.rows = rows
        self.command = command

    @property
    def n(self):
        return int(self.rows[0]["size"])

    @property
    def ops(self):
        return int(self.rows[-1]["ops"])

    def column(self, name):
        return [r[name] for r in self.rows]

    def has(self, name):
        return any(r[name] is not None for r in self.rows)

    def turnovers(self):
        """ops in units of the fill size n: how many times the contents were replaced."""
        return [r["ops"] / self.n for r in self.rows]

    def how(self):
        load = f", fixed load {self.load:g}" if self.load is not None else ""
        return (f"{self.workload}, {self.hash} hash, n = {self.n:,}, {self.ops:,} ops"
                f"{load}, a row every {int(self.rows[1]['ops'] - self.rows[0]['ops']):,} ops"
                if len(self.rows) > 1 else f"{self.workload}, {self.hash} hash, n = {self.n:,}")


def load_traces(run):
    """All trace files of the run: (traces, problems, ignored file names)."""
    manifest = run.json("traces/manifest.json", "scripts/slotlab run")
    commands = manifest.value if manifest.ok and isinstance(manifest.value, dict) else {}
    traces, problems, ignored = [], [], []
    for name in run.listdir("traces"):
        if not name.endswith(".csv"):
            continue
        m = NAME.match(name)
        if not m:
            ignored.append(name)
            continue
        rel = f"traces/{name}"
        src = run.csv(rel, COLUMNS)
        if not src.ok:
            problems.append(src.problem)
            continue
        rows = src.value
        for r in rows:
            for c in OPTIONAL:
                r.setdefault(c, None)
        if any(r["ops"] is None or r["size"] is None for r in rows):
            problems.append(run.note_malformed(rel, "empty ops or size cells"))
            continue
        if any(r["ops"] < 0 or r["size"] <= 0 for r in rows):  # per-key figures divide by size
            problems.append(run.note_malformed(rel, "a row with negative ops or no keys (size <= 0)"))
            continue
        load = float(m["load"]) if m["load"] else None
        cmd = commands.get(name, {}).get("command") if isinstance(commands.get(name), dict) else None
        traces.append(Trace(rel, m["map"], m["workload"], m["hash"] or "strong", load, rows,
                            cmd if isinstance(cmd, str) else None))
    return traces, problems, ignored


def select(traces, workload, hash_name="strong", load=None):
    """map -> trace for one workload/hash/load, maps in sorted order. Two files for the
    same map (`absl-churn.csv` and `absl-churn-strong.csv`): the longer trace wins."""
    out = {}
    for t in sorted(traces, key=lambda t: (t.map, t.ops, len(t.rows), t.rel)):
        if t.workload == workload and t.hash == hash_name and t.load == load:
            out[t.map] = t
    return out


