"""Google Benchmark JSON (bench/*.json, one file per cell) as a matrix:
rows are workload cells (family/hash/size/...), columns are maps.

Benchmark names follow `family/map/hash/size[/more]` (reports/RUN_LAYOUT.md);
one iteration is one op, so real_time is ns/op. Repetitions come as
run_type "iteration" entries sharing a run_name; their spread is computed here.
"""
import statistics

from reports.render.runfiles import Malformed, field, listing, number, text

NOT_CELLS = {"latency.json", "reuse.json", "cache.json", "stale_pointer.json"}
TO_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


class Cell:
    """One map in one workload row: repetitions of ns/op and their counters."""

    def __init__(self):
        self.ns = []
        self.counters = {}
        self.aggregate_median = None
        self.errors = []   # the benchmark stopped with an error (e.g. over the time cap)

    def median(self):
        if self.ns:
            return statistics.median(self.ns)
        return self.aggregate_median

    def spread(self):
        return (min(self.ns), max(self.ns)) if len(self.ns) > 1 else None

    def counter(self, name):
        values = self.counters.get(name)
        return statistics.median(values) if values else None


class Row:
    def __init__(self, family, hash_name, size, rest):
        self.family, self.hash, self.size, self.rest = family, hash_name, size, rest
        self.cells = {}

    @property
    def label(self):
        size = f"n = {self.size:,}" if isinstance(self.size, int) else str(self.size)
        extra = f" ({'/'.join(self.rest)})" if self.rest else ""
        return f"{self.family}, {self.hash} hash, {size}{extra}"

    def sort_key(self):
        return (self.family, self.hash, self.size if isinstance(self.size, int) else 1 << 62,
                str(self.size), self.rest)

    def ranked(self):
        """(map, median ns/op) fastest first; maps without a time left out."""
        timed = [(m, c.median()) for m, c in self.cells.items() if c.median() is not None]
        return sorted(timed, key=lambda mc: (mc[1], mc[0]))


def parse_name(name, rel):
    parts = name.split("/")
    if len(parts) < 4:
        raise Malformed(f"{rel}: benchmark name '{name}' is not family/map/hash/size")
    family, map_name, hash_name, size = parts[:4]
    rest = tuple(p for p in parts[4:] if not p.startswith(("repeats:", "min_time:", "iterations:",
                                                                "real_time", "process_time")))
    try:
        size = int(size)
    except ValueError:
        pass
    return family, map_name, hash_name, size, rest


def load_matrix(run):
    """(rows sorted, maps sorted, files read, problems, context of the first file)."""
    rows, maps, files, problems, context = {}, set(), [], [], None
    for name in run.listdir("bench"):
        if not name.endswith(".json") or name in NOT_CELLS:
            continue
        rel = f"bench/{name}"
        src = run.json(rel, "scripts/slotlab bench")
        if not src.ok:
            problems.append(src.problem)
            continue
        try:
            entries = listing(src.value, "benchmarks", rel)
            parsed = []
            for i, b in enumerate(entries):
                where = f"benchmarks[{i}]."
                if not isinstance(b, dict):
                    raise Malformed(f"{rel}: '{where[:-1]}' should be an object")
                if b.get("error_occurred"):
                    # A benchmark that stopped (e.g. over the profile's time cap) is a
                    # finding about that map, shown in its cell, not a broken file.
                    base = text(b, "run_name", rel, where) or text(b, "name", rel, where)
                    if base is None:
                        field(b, "name", rel, where)
                    family, map_name, hash_name, size, rest = parse_name(base, rel)
                    parsed.append((family, map_name, hash_name, size, rest, "error",
                                   str(b.get("error_message", "error"))[:300], {}))
                    continue
                run_type = text(b, "run_type", rel, where, "iteration")
                if run_type == "aggregate" and b.get("aggregate_name") != "median":
                    continue
                base = text(b, "run_name", rel, where) or text(b, "name", rel, where)
                if base is None:
                    field(b, "name", rel, where)
                family, map_name, hash_name, size, rest = parse_name(base, rel)
                unit = text(b, "time_unit", rel, where, "ns")
                if unit not in TO_NS:
                    raise Malformed(f"{rel}: '{where}time_unit' is {unit!r}")
                # The harness's own time per op when it reports one (bench: the thread's
                # CPU time, robust on a shared machine), else Google Benchmark's real time.
                ns = (number(b, "ns_per_op", rel, where) if "ns_per_op" in b
                      else number(b, "real_time", rel, where) * TO_NS[unit])
                counters = {k: float(v) for k, v in b.items()
                            if isinstance(v, (int, float)) and not isinstance(v, bool)
                            and k not in ("real_time", "cpu_time", "iterations", "repetitions",
                                          "repetition_index", "threads", "family_index",
                                          "per_family_instance_index")}
                parsed.append((family, map_name, hash_name, size, rest, run_type, ns, counters))
        except Malformed as e:
            problems.append(run.note_malformed(rel, str(e).split(": ", 1)[-1]))
            continue
        except (TypeError, ValueError, AttributeError, KeyError, IndexError) as e:
            # A shape no check above foresaw: still this file's fault, named as such.
            problems.append(run.note_malformed(rel, f"unexpected content ({type(e).__name__}: {e})"))
            continue
        files.append(rel)
        if context is None and isinstance(src.value.get("context"), dict):
            context = src.value["context"]
        for family, map_name, hash_name, size, rest, run_type, ns, counters in parsed:
            key = (family, hash_name, size, rest)
            row = rows.setdefault(key, Row(family, hash_name, size, rest))
            cell = row.cells.setdefault(map_name, Cell())
            maps.add(map_name)
            if run_type == "error":
                cell.errors.append(ns)
            elif run_type == "aggregate":
                cell.aggregate_median = ns
            else:
                cell.ns.append(ns)
                for k, v in counters.items():
                    cell.counters.setdefault(k, []).append(v)
    ordered = sorted(rows.values(), key=Row.sort_key)
    return ordered, sorted(maps), files, problems, context
