"""slotlab bench: the benchmark matrix, as resumable, shardable cells.

A cell is one unit of work that writes its own result file(s):
  gbench/<family>/<map>/r<rep>   one benchmark family on one map (Google Benchmark
                                 JSON: bench/<family>.<map>.r<rep>.json)
  drift/<map>/<hash>             a churn trace over >= 32 turnovers (traces/)
  latency/<map>, reuse/<map>, cache/<map>
                                 per-map parts under bench/parts/, gathered into
                                 bench/latency.json, reuse.json, cache.json
Each finished cell's files are written atomically (temp file, rename), then one
line is appended to bench/cells.jsonl, the ledger. --resume skips cells that are
in the ledger with their files present; a run killed midway loses at most the
cell that was running. Repetitions of the benchmark cells run in a random
interleaved order (seeded, so every shard and resume agree), so a noisy period
on the machine hits every map alike. Shards take every N-th cell of the one
ordered cell list and may share a run directory, or run anywhere and be joined
with --merge.
"""
import json
import os
import random
import re
import shutil
import tempfile
import time

from slotlab_cli import common, metadata
from slotlab_cli.common import (LATEST, Failure, UsageError, cmake_build, new_run_dir,
                                registered_maps, run_bounded, say, tool, workload_seconds)
from slotlab_cli.trace import trace_to_file

BENCH_TOOL = "bench/families/slotlab_bench"
LATENCY_TOOL = "bench/latency/slotlab_latency"
REUSE_TOOL = "bench/reuse/slotlab_reuse"
CACHE_TOOL = "bench/cache/slotlab_cache"
TARGETS = ["slotlab_bench", "slotlab_latency", "slotlab_reuse", "slotlab_cache", "slotlab_trace"]

# What each profile runs besides the benchmark families (whose sizes and op counts
# live beside the families, in bench/families/family.cpp, under the same name).
PROFILES = {
    # seconds: the runner's own tests
    "smoke": {"repetitions": 2,
              "drift": {"n": 1024, "turnovers": 32, "rows_per_turnover": 1, "hashes": ["strong"]},
              "latency": {"n": 1024, "ops": 8192},
              "reuse": {"n": 1024, "ops": 8192},
              "cache": {"n": 4096, "ops": 1024}},
    # every family on every map in under 5 minutes on 2 cores, for 8 maps
    "quick": {"repetitions": 3,
              "drift": {"n": 65536, "turnovers": 32, "rows_per_turnover": 2, "hashes": ["strong"]},
              "latency": {"n": 65536, "ops": 262144},
              "reuse": {"n": 16384, "ops": 131072},
              "cache": {"n": 262144, "ops": 16384}},
    # the real thing (README: runtime)
    "full": {"repetitions": 3,
             "drift": {"n": 1 << 20, "turnovers": 40, "rows_per_turnover": 2,
                       "hashes": ["strong", "weak"]},
             "latency": {"n": 1 << 20, "ops": 1 << 22},
             "reuse": {"n": 1 << 18, "ops": 1 << 20},
             "cache": {"n": 1 << 20, "ops": 1 << 16}},
}

# The pinned cache geometry of the simulation: a typical x86 core's L1 and a
# mid-sized last level, so figures compare across machines.
CALLGRIND_GEOMETRY = ["--I1=32768,8,64", "--D1=32768,8,64", "--LL=8388608,16,64"]
SIMULATED = "simulated (callgrind --cache-sim=yes, D1 32KiB/8-way/64B, LL 8MiB/16-way/64B)"

# Time bound of one benchmark-family cell (common.run_bounded). A family runs its
# sizes x hashes benchmarks, each capped by the profile's time cap in
# bench/families/family.cpp: quick's whole matrix took 3-4 min, one cell <= ~20 s
# (5 sizes, 1.5 s cap); full's cell up to 13 sizes x 2 hashes x 30 s = 13 min.
GBENCH_SECONDS = {"smoke": 120, "quick": 600, "full": 7200}
# valgrind's cache simulation runs a tool ~50x slower than natively.
CALLGRIND_SLOWDOWN = 50

LEDGER = "bench/cells.jsonl"


def register(sub):
    p = sub.add_parser(
        "bench", help="run the benchmark matrix (resumable, shardable) into a run directory",
        description="Runs every benchmark family on every registered map, plus drift traces, "
                    "tail latency, slot reuse and cache misses, as cells written as they finish.")
    p.add_argument("--profile", default="quick", choices=list(PROFILES),
                   help="quick: < 5 min on 2 cores; full: the real thing; smoke: seconds (tests)")
    p.add_argument("--maps", help="comma-separated maps (default: every registered map)")
    p.add_argument("--shard", metavar="I/N",
                   help="run only shard I of N (1 <= I <= N): every N-th cell of the plan")
    p.add_argument("--resume", action="store_true",
                   help="skip cells already finished in the run directory (default: reports/latest)")
    p.add_argument("--run-dir", metavar="DIR", help="write into DIR (created if missing)")
    p.add_argument("--repetitions", type=int, metavar="R",
                   help="repetitions of each benchmark cell (default: the profile's)")
    p.add_argument("--merge", nargs="+", metavar="SRC",
                   help="copy finished cells from other run directories (shards run elsewhere) "
                        "into --run-dir, then exit")
    p.add_argument("--plan", action="store_true", help="print this invocation's cell ids and exit")
    p.set_defaults(func=run)


# ---------------------------------------------------------------- the plan

class Cell:
    def __init__(self, kind, map_name, family=None, rep=None, hash_name=None):
        self.kind, self.map, self.family, self.rep, self.hash = kind, map_name, family, rep, hash_name
        if kind == "gbench":
            self.id = f"gbench/{family}/{map_name}/r{rep}"
            self.files = [f"bench/{family}.{map_name}.r{rep}.json"]
        elif kind == "drift":
            self.id = f"drift/{map_name}/{hash_name}"
            suffix = "" if hash_name == "strong" else f"-{hash_name}"
            self.files = [f"traces/{map_name}-churn{suffix}.csv"]
        else:
            self.id = f"{kind}/{map_name}"
            self.files = [f"bench/parts/{kind}.{map_name}.json"]


def parse_shard(text):
    if text is None:
        return 1, 1
    m = re.fullmatch(r"(\d+)/(\d+)", text.strip())
    if not m:
        raise UsageError(f"--shard wants I/N with 1 <= I <= N (e.g. 2/4), got '{text}'")
    i, n = int(m.group(1)), int(m.group(2))
    if n < 1 or not 1 <= i <= n:
        raise UsageError(f"--shard wants I/N with 1 <= I <= N (e.g. 2/4), got '{text}'")
    return i, n


def families():
    out = _run_tool([tool("release", BENCH_TOOL), "--list-families"], "listing the families", 60)
    return [line.split("\t")[0] for line in out.splitlines() if line.strip()]


def plan(profile, maps, fams, repetitions, shard):
    """The shard's cells, in run order: the full plan is one fixed list; a shard takes
    every N-th; the order is then shuffled with a fixed seed (random interleaving)."""
    cells = []
    for rep in range(1, repetitions + 1):
        for m in maps:
            cells += [Cell("gbench", m, family=f, rep=rep) for f in fams]
    for m in maps:
        cells += [Cell("drift", m, hash_name=h) for h in PROFILES[profile]["drift"]["hashes"]]
        cells += [Cell(kind, m) for kind in ("latency", "reuse", "cache")]
    i, n = shard
    mine = [c for k, c in enumerate(cells) if k % n == i - 1]
    random.Random(f"slotlab-bench:{profile}").shuffle(mine)
    return mine


# ---------------------------------------------------------------- the ledger

def read_ledger(run_dir):
    """id -> entry for cells whose files all exist. Rewrites the ledger (atomically)
    when it holds a torn last line, a duplicate, or a cell whose files are gone."""
    path = os.path.join(run_dir, LEDGER)
    if not os.path.exists(path):
        return {}
    entries, dirty = {}, False
    with open(path) as f:
        lines = f.read().split("\n")
    for line in lines:
        if not line.strip():
            continue
        try:
            e = json.loads(line)
            cid = e["cell"]
        except (ValueError, KeyError, TypeError):
            dirty = True
            continue
        if cid in entries or not all(os.path.exists(os.path.join(run_dir, p))
                                     for p in e.get("files", [])):
            dirty = True
            continue
        entries[cid] = e
    if dirty:
        tmp = f"{path}.partial.{os.getpid()}"
        with open(tmp, "w") as f:
            for e in entries.values():
                f.write(json.dumps(e, sort_keys=True) + "\n")
        os.replace(tmp, path)
    return entries


def append_ledger(run_dir, entry):
    """One write on an O_APPEND descriptor: concurrent shards never interleave lines."""
    line = (json.dumps(entry, sort_keys=True) + "\n").encode()
    fd = os.open(os.path.join(run_dir, LEDGER), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def write_atomic(path, text):
    tmp = f"{path}.partial.{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def remove_stale_partials(run_dir):
    """Temp files of killed runs (their pid is gone); live shards' temp files stay."""
    for sub in ("bench", "bench/parts", "traces"):
        d = os.path.join(run_dir, sub)
        if not os.path.isdir(d):
            continue
        for name in os.listdir(d):
            m = re.search(r"\.partial\.(\d+)$", name)
            if m and not os.path.exists(f"/proc/{m.group(1)}"):
                try:
                    os.unlink(os.path.join(d, name))
                except OSError:
                    pass


# ---------------------------------------------------------------- running cells

def _run_tool(cmd, what, seconds):
    proc = run_bounded(cmd, seconds, capture=True)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise Failure(f"{what} failed (exit {proc.returncode}): {last}")
    return proc.stdout


def run_gbench(cell, profile, run_dir):
    final = os.path.join(run_dir, cell.files[0])
    tmp = f"{final}.partial.{os.getpid()}"
    _run_tool([tool("release", BENCH_TOOL), "--family", cell.family, "--map", cell.map,
               "--profile", profile, "--seed", str(cell.rep),
               f"--benchmark_out={tmp}", "--benchmark_out_format=json"],
              f"benchmark cell {cell.id}", GBENCH_SECONDS[profile])
    with open(tmp) as f:
        json.load(f)  # a cell that wrote no valid JSON is not finished
    os.replace(tmp, final)


def run_drift(cell, profile, run_dir):
    d = PROFILES[profile]["drift"]
    n = d["n"]
    options = ["--map", cell.map, "--workload", "churn", "--n", str(n),
               "--ops", str(d["turnovers"] * n), "--every", str(n // d["rows_per_turnover"]),
               "--hash", cell.hash, "--seed", "1"]
    os.makedirs(os.path.join(run_dir, "traces"), exist_ok=True)
    if trace_to_file(options, os.path.join(run_dir, cell.files[0])):
        raise Failure(f"drift trace {cell.id} failed")


def run_latency(cell, profile, run_dir):
    p = PROFILES[profile]["latency"]
    out = _run_tool([tool("release", LATENCY_TOOL), "--map", cell.map, "--n", str(p["n"]),
                     "--ops", str(p["ops"])], f"latency cell {cell.id}",
                    workload_seconds(p["n"], p["ops"]))
    json.loads(out)
    write_atomic(os.path.join(run_dir, cell.files[0]), out)


def run_reuse(cell, profile, run_dir):
    p = PROFILES[profile]["reuse"]
    out = _run_tool([tool("release", REUSE_TOOL), "--map", cell.map, "--n", str(p["n"]),
                     "--ops", str(p["ops"])], f"reuse cell {cell.id}",
                    workload_seconds(p["n"], p["ops"]))
    json.loads(out)
    write_atomic(os.path.join(run_dir, cell.files[0]), out)


def callgrind_phases(prefix):
    """Phase -> {"Ir", "D1", "LL"} totals from the per-phase callgrind dumps."""
    phases = {}
    directory, base = os.path.split(prefix)
    for name in sorted(os.listdir(directory)):
        if not re.fullmatch(re.escape(base) + r"\.\d+", name):
            continue
        phase, events, totals = None, None, None
        with open(os.path.join(directory, name)) as f:
            for line in f:
                if line.startswith("desc: Trigger: Client Request: phase:"):
                    phase = line.split("phase:", 1)[1].strip()
                elif line.startswith("events:"):
                    events = line.split()[1:]
                elif line.startswith("totals:"):
                    totals = [int(x) for x in line.split()[1:]]
        if phase and events and totals:
            t = dict(zip(events, totals + [0] * (len(events) - len(totals))))
            phases[phase] = {"Ir": t.get("Ir", 0), "D1": t.get("D1mr", 0) + t.get("D1mw", 0),
                             "LL": t.get("DLmr", 0) + t.get("DLmw", 0)}
    return phases


def run_cache(cell, profile, run_dir):
    p = PROFILES[profile]["cache"]
    cmd = [tool("release", CACHE_TOOL), "--map", cell.map, "--n", str(p["n"]), "--ops", str(p["ops"])]
    hw = run_bounded(cmd + ["--source", "hardware"], workload_seconds(p["n"], p["ops"], 3),
                     capture=True)
    part = {"map": cell.map, "hash": "strong", "n": p["n"], "ops": p["ops"]}
    if hw.returncode == 0:
        doc = json.loads(hw.stdout)
        part.update(source="hardware", source_detail="hardware (perf_event_open, user space)",
                    phases={ph: dict(v, source="hardware") for ph, v in doc["phases"].items()})
    elif hw.returncode == 3 and shutil.which("valgrind"):
        reason = json.loads(hw.stdout).get("reason", "not supported")
        with tempfile.TemporaryDirectory(prefix="slotlab-callgrind-") as tmp:
            prefix = os.path.join(tmp, "callgrind.out")
            _run_tool(["valgrind", "--tool=callgrind", "--cache-sim=yes", "--instr-atstart=no",
                       *CALLGRIND_GEOMETRY, f"--callgrind-out-file={prefix}", *cmd,
                       "--source", "simulated"], f"cache cell {cell.id} (callgrind)",
                      CALLGRIND_SLOWDOWN * workload_seconds(p["n"], p["ops"], 3))
            totals = callgrind_phases(prefix)
        if not totals:
            raise Failure(f"cache cell {cell.id}: callgrind wrote no per-phase dump")
        ops = p["ops"]
        part.update(source="simulated", source_detail=SIMULATED,
                    hardware_unavailable=reason,
                    phases={ph: {"d1_misses_per_op": t["D1"] / ops, "ll_misses_per_op": t["LL"] / ops,
                                 "instructions_per_op": t["Ir"] / ops, "source": SIMULATED}
                            for ph, t in totals.items()})
    else:
        part.update(source=None, unavailable=(hw.stdout.strip() or hw.stderr.strip()
                                              or "no hardware counters and no valgrind"))
    write_atomic(os.path.join(run_dir, cell.files[0]), json.dumps(part, indent=1, sort_keys=True) + "\n")


RUNNERS = {"gbench": run_gbench, "drift": run_drift, "latency": run_latency,
           "reuse": run_reuse, "cache": run_cache}


# ---------------------------------------------------------------- gathering parts

def _parts(run_dir, kind):
    d = os.path.join(run_dir, "bench", "parts")
    out = {}
    if os.path.isdir(d):
        for name in sorted(os.listdir(d)):
            m = re.fullmatch(re.escape(kind) + r"\.(.+)\.json", name)
            if m:
                try:
                    with open(os.path.join(d, name)) as f:
                        out[m.group(1)] = json.load(f)
                except (OSError, ValueError):
                    pass
    return out


def _edges_counts(histogram):
    """[[lo, hi, count], ...] (power-of-two bins, gaps omitted) -> contiguous edges, counts."""
    if not histogram:
        return [1, 2], [0]
    top = max(hi for _, hi, _ in histogram)
    edges = [1]
    while edges[-1] < top:
        edges.append(edges[-1] * 2)
    counts = [0] * (len(edges) - 1)
    for lo, _, c in histogram:
        counts[max(0, lo.bit_length() - 1)] += c
    return edges, counts


def gather(run_dir, profile):
    """bench/latency.json, reuse.json, cache.json from the parts present (any shard's)."""
    bench = os.path.join(run_dir, "bench")
    lat = _parts(run_dir, "latency")
    if lat:
        any_doc = next(iter(lat.values()))
        maps = {}
        for m, doc in lat.items():
            maps[m] = {ph: dict({k: v for k, v in v["distribution"].items()}, what=v["what"])
                       for ph, v in doc["phases"].items()}
        metadata.write_json(os.path.join(bench, "latency.json"), {
            "workload": "churn: erase+insert pairs at size n after one turnover; growth: inserts "
                        "filling an empty map to n (no reserve)",
            "hash": any_doc["hash"], "n": any_doc["n"], "unit": "ns",
            "clock": "steady_clock per op (" + any_doc["timer"] + ")",
            "timer_overhead_ns": {m: d["timer_overhead_ns"] for m, d in lat.items()},
            "maps": maps})
    reuse = _parts(run_dir, "reuse")
    if reuse:
        any_doc = next(iter(reuse.values()))
        maps = {}
        for m, d in reuse.items():
            dist = d["reuse_distance"]
            edges, counts = _edges_counts(dist.get("histogram", []))
            maps[m] = {"reused_fraction": d["fraction_reused"], "erased": d["erased"],
                       "reused": d["reused"], "censored": d["censored"],
                       "invalidated_by_rebuild": d["invalidated_by_rebuild"],
                       "rebuilds": d["rebuilds"], "method": d["method"],
                       "distance": dict({k: v for k, v in dist.items() if k != "histogram"},
                                        edges=edges, counts=counts,
                                        unit=d["reuse_distance_unit"])}
        metadata.write_json(os.path.join(bench, "reuse.json"), {
            "workload": "churn at size n after one turnover", "hash": any_doc["hash"],
            "n": any_doc["n"], "ops": any_doc["ops"], "maps": maps})
    cache = _parts(run_dir, "cache")
    if cache:
        any_doc = next(iter(cache.values()))
        maps, unavailable = {}, {}
        for m, d in cache.items():
            if not d.get("source"):
                unavailable[m] = d.get("unavailable", "n/a")
                continue
            churn = d["phases"].get("churn", {})
            maps[m] = {"source": d["source"], "source_detail": d["source_detail"],
                       "d1_misses_per_op": churn.get("d1_misses_per_op"),
                       "ll_misses_per_op": churn.get("ll_misses_per_op"),
                       "phases": d["phases"]}
        sources = sorted({v["source_detail"] for v in maps.values()})
        metadata.write_json(os.path.join(bench, "cache.json"), {
            "tool": "; ".join(sources) or "n/a",
            "workload": "churn (erase+insert pair) after fill + one turnover; phases also "
                        "lookup_hit and lookup_miss; only the op loops counted",
            "hash": any_doc["hash"], "n": any_doc["n"], "ops": any_doc["ops"],
            "source": next(iter(maps.values()))["source"] if maps else None,
            "maps": maps, "unavailable": unavailable})
        if maps:
            return "; ".join(sources)
    return None


# ---------------------------------------------------------------- progress

_fmt_seconds = common.format_seconds


class Progress(common.Progress):
    """The live line (common.Progress), with an ETA from the mean time of each cell
    kind seen so far (a cache cell under callgrind costs many benchmark cells)."""

    def __init__(self, total):
        super().__init__("slotlab bench", total, "cells")
        self.seconds_by_kind = {}

    def eta(self, remaining):
        all_times = [t for ts in self.seconds_by_kind.values() for t in ts]
        if not all_times:
            return None
        mean = sum(all_times) / len(all_times)
        est = 0.0
        for c in remaining:
            ts = self.seconds_by_kind.get(c.kind)
            est += sum(ts) / len(ts) if ts else mean
        return est

    def show(self, remaining, label):
        self.update(label=label, eta=self.eta(remaining))

    def finish_cell(self, cell, seconds):
        self.done += 1
        self.seconds_by_kind.setdefault(cell.kind, []).append(seconds)


# ---------------------------------------------------------------- the command

def resolve_run_dir(args):
    """(path, created_here). Unwritable or unusable: UsageError."""
    if args.run_dir:
        path = os.path.abspath(args.run_dir)
    elif args.resume or args.merge:
        if not os.path.exists(LATEST):
            raise UsageError("--resume without --run-dir resumes reports/latest, which does not exist")
        path = os.path.realpath(LATEST)
    else:
        path = None
    try:
        if path is None:
            path = new_run_dir()
        for sub in ("bench", "bench/parts", "traces"):
            os.makedirs(os.path.join(path, sub), exist_ok=True)
        probe = os.path.join(path, "bench", f".write-test.{os.getpid()}")
        with open(probe, "w") as f:
            f.write("ok")
        os.unlink(probe)
    except OSError as e:
        raise UsageError(f"cannot write the run directory {path}: {e.strerror or e}")
    return path


def merge(sources, run_dir):
    """Copies finished cells (ledger entries with their files) from other run dirs."""
    mine = read_ledger(run_dir)
    theirs = []
    for src in sources:
        if not os.path.isfile(os.path.join(src, LEDGER)):
            raise UsageError(f"--merge: {src} holds no {LEDGER}")
        theirs.append((src, read_ledger(src)))
    profiles = {e.get("profile") for e in mine.values()}
    profiles |= {e.get("profile") for _, entries in theirs for e in entries.values()}
    if len(profiles) > 1:
        raise UsageError(f"--merge: the runs mix profiles ({', '.join(sorted(map(str, profiles)))}); "
                         "merge only shards of one profile")
    copied = 0
    for src, entries in theirs:
        for cid, entry in entries.items():
            if cid in mine:
                continue
            for rel in entry.get("files", []):
                dst = os.path.join(run_dir, rel)
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                tmp = f"{dst}.partial.{os.getpid()}"
                shutil.copyfile(os.path.join(src, rel), tmp)
                os.replace(tmp, dst)
            append_ledger(run_dir, entry)
            mine[cid] = entry
            copied += 1
    _merge_meta(run_dir, [src for src, _ in theirs])
    say(f"slotlab bench: merged {copied} cells into {run_dir}")
    if profiles:
        gather(run_dir, profiles.pop())
    return copied


def _merge_meta(run_dir, sources):
    """meta.json of the merged run: the first source's machine facts where the run has
    none, and every source's bench invocations (each shard's machine stays on record)."""
    def load(d):
        try:
            with open(os.path.join(d, "meta.json")) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}
    meta = load(run_dir)
    bench = meta.setdefault("bench", {})
    invocations = bench.setdefault("invocations", [])
    for src in sources:
        theirs = load(src)
        for key, value in theirs.items():
            if key != "bench":
                meta.setdefault(key, value)
        for inv in theirs.get("bench", {}).get("invocations", []):
            invocations.append(dict(inv, merged_from=src, cpu=theirs.get("cpu"),
                                    commit=theirs.get("commit")))
        for key in ("profile", "repetitions", "order", "ops"):
            if key in theirs.get("bench", {}):
                bench.setdefault(key, theirs["bench"][key])
    metadata.write_json(os.path.join(run_dir, "meta.json"), meta)


def run(args):
    shard = parse_shard(args.shard)
    if args.repetitions is not None and args.repetitions < 1:
        raise UsageError(f"--repetitions must be at least 1, got {args.repetitions}")
    if args.merge and not args.run_dir:
        raise UsageError("--merge needs --run-dir DIR, the run to merge into")
    known = registered_maps()
    if args.maps:
        maps = list(dict.fromkeys(m.strip() for m in args.maps.split(",") if m.strip()))
        for m in maps:
            if m not in known:
                raise UsageError(f"unknown map '{m}'; valid maps: {', '.join(known)}")
        if not maps:
            raise UsageError("--maps names no map")
    else:
        maps = known
    if args.merge:
        run_dir = resolve_run_dir(args)
        merge([os.path.abspath(s) for s in args.merge], run_dir)
        print(run_dir)
        return 0

    cmake_build("release", TARGETS)
    repetitions = args.repetitions or PROFILES[args.profile]["repetitions"]
    cells = plan(args.profile, maps, families(), repetitions, shard)
    if args.plan:
        for c in cells:
            print(c.id)
        return 0
    run_dir = resolve_run_dir(args)

    remove_stale_partials(run_dir)
    finished = read_ledger(run_dir)
    other = {e.get("profile") for e in finished.values()} - {args.profile}
    if other:
        raise UsageError(f"{run_dir} holds cells of profile '{other.pop()}'; "
                         f"use another --run-dir for profile '{args.profile}'")
    done_here = [c for c in cells if c.id in finished]
    if done_here and not args.resume:
        raise UsageError(f"{len(done_here)} of these {len(cells)} cells are already finished in "
                         f"{run_dir}; pass --resume to skip them")
    todo = [c for c in cells if c.id not in finished]
    say(f"slotlab bench: profile {args.profile}, shard {shard[0]}/{shard[1]}, {len(maps)} maps, "
        f"{len(cells)} cells ({len(cells) - len(todo)} already finished), run dir {run_dir}")

    started = time.time()
    progress = Progress(len(todo))
    failed = []
    counters = None
    for k, cell in enumerate(todo):
        progress.show(todo[k:], cell.id)
        t0 = time.monotonic()
        try:
            RUNNERS[cell.kind](cell, args.profile, run_dir)
        except Failure as e:
            say(f"slotlab bench: {e}")
            failed.append(cell.id)
            progress.finish_cell(cell, time.monotonic() - t0)
            continue
        seconds = time.monotonic() - t0
        append_ledger(run_dir, {"cell": cell.id, "kind": cell.kind, "map": cell.map,
                                "family": cell.family, "rep": cell.rep, "hash": cell.hash,
                                "profile": args.profile, "files": cell.files,
                                "seconds": round(seconds, 3), "shard": f"{shard[0]}/{shard[1]}",
                                "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
        progress.finish_cell(cell, seconds)
        if cell.kind in ("latency", "reuse", "cache"):
            counters = gather(run_dir, args.profile) or counters
    progress.show([], "done")
    progress.close()
    counters = gather(run_dir, args.profile) or counters

    wall = time.time() - started
    part = {"bench": _bench_meta(run_dir, args.profile, repetitions, shard, started, wall, len(cells))}
    if counters:
        part["counters"] = counters
    metadata.merge_into(run_dir, part)
    say(f"slotlab bench: {len(todo) - len(failed)} cells in {_fmt_seconds(wall)}"
        + (f"; {len(failed)} failed: {', '.join(failed)}" if failed else ""))
    print(run_dir)
    if failed:
        raise Failure(f"{len(failed)} cells failed; rerun with --resume --run-dir {run_dir} to retry them")
    return 0


def _bench_meta(run_dir, profile, repetitions, shard, started, wall, cells):
    path = os.path.join(run_dir, "meta.json")
    try:
        with open(path) as f:
            previous = json.load(f).get("bench", {})
    except (OSError, ValueError):
        previous = {}
    invocations = previous.get("invocations", [])
    invocations.append({"shard": f"{shard[0]}/{shard[1]}", "cells": cells,
                        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
                        "wall_seconds": round(wall, 1)})
    return {"profile": profile, "repetitions": repetitions,
            "order": "cells shuffled with a fixed seed (random interleaving of maps, families "
                     "and repetitions)",
            "ops": "fixed op count per benchmark (Iterations), the same for every map",
            "invocations": invocations}
