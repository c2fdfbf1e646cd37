"""bench/stale_pointer.json: what a pointer kept past erase() sees, in every registered map
(bench/stale_pointer/stale_pointer_main.cpp, AddressSanitizer build). Run by
`scripts/slotlab seed`, whose claims it answers for C++: the tool iterates the
registry itself, so a map that joins the registry joins this file.

The checkpoints j (inserts since the erase) double up to 16 n: bench/reuse sees
backward-shift maps hand a freed slot over within a few inserts and tombstone maps
within a few turnovers of the table.
"""
import json
import os

from slotlab_cli import metadata
from slotlab_cli.common import Failure, cmake_build, run_bounded, say, tool

TOOL = "bench/stale_pointer/slotlab_stale_pointer"
FULL = {"n": 1024, "trials": 500}
QUICK = {"n": 256, "trials": 30}
TIMEOUT = 300

# Read in the sources (DESIGN.md "Sources to read"): who marks a freed slot for ASan.
SLOTLAB_POISONS = "slotlab: maps/core/asan.hpp (poison_slot on erase, unpoison before reuse)"
POISONED_BY = {
    "absl": "natively: raw_hash_set poisons erased and empty slots (SanitizerPoisonMemoryRegion)",
    "std": "ASan's allocator: the erased node is freed, and freed memory is poisoned (quarantine)",
    "robin": "nobody: tsl/robin_hash.h has no sanitizer annotations",
    "boost": "nobody: boost/unordered/detail/foa.hpp (1.81) has no sanitizer annotations",
    "dense": "nobody: sparsehash has no sanitizer annotations",
    # in-house: go_map.hpp, goswiss_map.hpp and linear_probing/table.hpp call asan.hpp
    **{name: SLOTLAB_POISONS for name in ("go", "goswiss", "backshift", "tombstone", "graveyard")},
}


def poisoned_by(name, poisoned_at_erase):
    """Who marks a freed slot: as read in the map's source, or -- for a map that joined the
    registry after this list -- what the measurement shows right after the erase."""
    if name in POISONED_BY:
        return POISONED_BY[name]
    return ("not read in its source; measured: " + (
        f"{100 * poisoned_at_erase:.0f}% of the pointers poisoned right after erase"
        if poisoned_at_erase else "no pointer poisoned right after erase"))


def run_into(run_dir, quick=False):
    """Builds the tool (asan preset), runs it over every map, writes bench/stale_pointer.json."""
    cmake_build("asan", ["slotlab_stale_pointer"])
    size = QUICK if quick else FULL
    cmd = [tool("asan", TOOL), "--n", str(size["n"]), "--trials", str(size["trials"])]
    say(f"slotlab seed: stale pointers, every map ({' '.join(cmd[1:])}, ASan build)")
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
    proc = run_bounded(cmd, TIMEOUT, capture=True, env=env)  # TimedOut: one line, its log
    if proc.returncode != 0:
        raise Failure(f"{TOOL} failed (exit {proc.returncode}): "
                      f"{(proc.stderr.strip().splitlines() or [''])[-1]}")
    data = json.loads(proc.stdout)
    for name, entry in data["maps"].items():
        runs = data["trials"]
        # every tracked pointer is classified once per checkpoint, as exactly one kind
        totals = {sum(col) for col in zip(*entry["counts"].values())}
        if totals != {runs}:
            raise Failure(f"{TOOL}: {name}'s kinds add up to {sorted(totals)} per checkpoint, "
                          f"not the {runs} tracked erases")
        entry["shares"] = {k: [c / runs for c in v] for k, v in entry["counts"].items()}
        entry["poisoned_by"] = poisoned_by(name, entry["shares"]["poisoned"][0])
    data["how"] = ("bench/stale_pointer (AddressSanitizer build), churn at size n after one "
                   "turnover, strong hash; `trials` tracked erases, each pointer classified "
                   "after j = checkpoints inserts; ASan is asked (__asan_region_is_poisoned) "
                   "before any read")
    data["kinds"] = {"poisoned": "ASan would report a read", "another_key":
                     "holds another live key's value: a silent wrong answer",
                     "dead_value": "still the erased key's value", "other":
                     "neither (cleared, or reused for something else)"}
    metadata.write_json(os.path.join(run_dir, "bench", "stale_pointer.json"), data)
    return data
