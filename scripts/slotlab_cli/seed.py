"""slotlab seed: the blog post slotlab was born from (../shared/seed/, DESIGN.md "Seed
claims"), claim by claim, against this run's measurements.

Go side: scripts/go/seedclaims, built by both map generations (go_toolchains: classic
= Go 1.19-1.23, swiss = Go >= 1.24), reads the runtime's own memory through unsafe
(`probe`: the chapter-1 slot, slot bytes after delete, which slot an insert takes, the
control bytes the runtime writes, when it grows) and runs the post's race scenario
(`race`) N times per variant, built with -race (the race detector; it needs cgo:
CGO_ENABLED=1) and without (the runtime's own "concurrent map ..." check). Every run
is a subprocess with a time limit; GORACE=halt_on_error=1 ends a run at its first
report, atexit_sleep_ms=0 drops the race runtime's 1 s sleep at exit.
scripts/go/linkname/{call,hook}: the post's chapter-4.4 go:linkname, as a call into
runtime.mapassign_fast64 and as a hook replacing it.

C++ side: bench/stale_pointer (ASan build) for every registered map.

Writes validation/seed_go.json (probe + linkname), validation/go_race.json,
bench/stale_pointer.json and validation/seed_claims.json (the verdicts,
seed_claims.py). A generation without its toolchain is recorded as "not testable
here" with the reason; `seed` itself still succeeds.
"""
import json
import os
import re
import time

from slotlab_cli import go_toolchains, metadata, seed_claims, stale_pointer
from slotlab_cli.common import ROOT, Failure, TimedOut, UsageError, new_run_dir, run_bounded, say

GO_SRC = os.path.join(ROOT, "scripts", "go")
GENERATIONS = ("classic", "swiss")
TRIALS, QUICK_TRIALS = 20, 3
# Rounds per goroutine: enough for the free-running goroutines to overlap on a busy
# 2-core machine (~30 ms under -race); the one-P variants interleave by construction.
RACE_OPS = {"unsync": 100000, "gosched": 5000, "serial": 5000, "serial-history7": 5000,
            "mutex": 5000}
RACE_MODES = {
    "unsync": "two goroutines, delete -> insert -> read, no synchronisation",
    "gosched": "the post's variant: GOMAXPROCS=1 and runtime.Gosched() after every map operation",
    "serial": "GOMAXPROCS=1, no Gosched: one goroutine's rounds run before the other's",
    "serial-history7": "serial again, the race detector keeping 2^7 times its default "
                       "per-goroutine history (GORACE history_size=7)",
    "mutex": "control: each round under one sync.Mutex",
}
# A variant that differs only in the race detector's options runs as its base mode, -race only.
RACE_VARIANT_OF = {"serial-history7": ("serial", " history_size=7")}
RUN_TIMEOUT = 30      # seconds per race trial or linkname program
PROBE_TIMEOUT = 180   # the probe: ~10 s on an idle 2-core machine
RACE_BUDGET = 150     # seconds of race trials per generation (quick: a fifth)
RACE_ENV = {"GORACE": "halt_on_error=1 atexit_sleep_ms=0"}


def register(sub):
    p = sub.add_parser("seed", help="the blog post's claims, each decided by this run's "
                                    "experiments (validation/seed_claims.json)")
    p.add_argument("--run-dir", help="write into this run directory (default: a new one)")
    p.add_argument("--quick", action="store_true",
                   help=f"{QUICK_TRIALS} race trials per variant and a short stale-pointer run "
                        f"(for `slotlab test`); default {TRIALS}")
    p.add_argument("--trials", type=int, help=f"race trials per variant (default {TRIALS})")
    p.set_defaults(func=run)


def run(args):
    if args.run_dir is not None and not os.path.isdir(args.run_dir):
        raise UsageError(f"--run-dir {args.run_dir} is not a directory")
    if args.trials is not None and args.trials < 1:
        raise UsageError(f"--trials must be at least 1, got {args.trials}")
    trials = args.trials or (QUICK_TRIALS if args.quick else TRIALS)
    run_dir = args.run_dir or new_run_dir()
    for sub in ("validation", "bench"):
        os.makedirs(os.path.join(run_dir, sub), exist_ok=True)
    budget = RACE_BUDGET / 5 if args.quick else RACE_BUDGET
    go = {"how": "scripts/go/seedclaims probe, built by each generation's toolchain "
                 "(scripts/slotlab_cli/go_toolchains.py), reading the runtime's map memory "
                 "through unsafe; scripts/go/linkname/{call,hook} built and run",
          "generations": {}}
    race = {"how": "scripts/go/seedclaims race, each trial a fresh process (time limit "
                   f"{RUN_TIMEOUT} s); 'race' = built with -race (CGO_ENABLED=1), "
                   f"GORACE='{RACE_ENV['GORACE']}'; 'plain' = built without -race",
            "trials": trials, "ops_per_goroutine": RACE_OPS, "modes": RACE_MODES,
            "generations": {}}
    for gen in GENERATIONS:
        go["generations"][gen], race["generations"][gen] = measure_generation(gen, trials, budget)
    metadata.write_json(os.path.join(run_dir, "validation", "seed_go.json"), go)
    metadata.write_json(os.path.join(run_dir, "validation", "go_race.json"), race)
    # The verdicts before the C++ side: a step stopped during the ASan build keeps them.
    claims = seed_claims.decide(run_dir)
    metadata.write_json(os.path.join(run_dir, "validation", "seed_claims.json"), claims)
    for c in claims:
        say(f"  {c['section']:<5} {c['verdict']:<18} {c['claim']}")
    try:
        stale_pointer.run_into(run_dir, quick=args.quick)
    except Failure as e:  # the Go claims do not need it; the page says why it is missing
        say(f"slotlab seed: stale pointer: {e}")
    if args.run_dir is None:
        print(run_dir)
    return 0


def not_testable(reason):
    return {"status": "not testable here", "reason": reason, "go_version": None}


def measure_generation(gen, trials, budget):
    """(seed_go.json entry, go_race.json entry) for one generation."""
    try:
        version = go_toolchains.toolchain(gen)[1]
        base = os.path.join(go_toolchains.GO_BUILD, gen)
        src = os.path.join(GO_SRC, "seedclaims")
        plain, raced = os.path.join(base, "seedclaims"), os.path.join(base, "seedclaims-race")
        say(f"slotlab seed: building seedclaims with {version} (plain and -race)")
        go_toolchains.go_build(gen, src, plain)
        go_toolchains.go_build(gen, src, raced, flags=["-race"], env={"CGO_ENABLED": "1"})
    except Failure as e:
        return not_testable(str(e)), not_testable(str(e))
    probe = run_go([plain, "probe"], timeout=PROBE_TIMEOUT)
    if probe["outcome"] != "clean":
        entry = not_testable(f"seedclaims probe failed ({probe['outcome']}): {probe['message']}")
    else:
        entry = {"status": "ok", "go_version": version, "probe": json.loads(probe["stdout"])}
    entry["linkname"] = linkname(gen)
    entry.setdefault("go_version", version)
    say(f"slotlab seed: {gen}: race trials ({trials} per variant, at most {budget:.0f} s)")
    cells = race_trials(plain, raced, trials, budget)
    return entry, {"status": "ok", "go_version": version, "cells": cells,
                   "race_build": "go build -race with CGO_ENABLED=1 (the race runtime needs cgo "
                                 "on both toolchains here)"}


def run_go(cmd, env=None, timeout=RUN_TIMEOUT):
    """Runs one Go process; outcome: clean | data race | throw | timeout | other. Memory is
    bounded by the programs themselves (at most 20,000 keys per map, two goroutines)."""
    try:
        proc = run_bounded(cmd, timeout, capture=True, env={**os.environ, **(env or {})})
    except TimedOut:  # a hung trial is an outcome of its own, recorded, not a failure
        return {"outcome": "timeout", "message": f"no exit within {timeout} s", "stdout": ""}
    outcome, message = classify(proc.returncode, proc.stdout, proc.stderr)
    return {"outcome": outcome, "message": message, "stdout": proc.stdout}


def classify(code, stdout, stderr):
    """What ended a run: the race detector's report, the runtime's own throw, a clean
    exit, or something else (its first stderr line)."""
    if "WARNING: DATA RACE" in stderr:
        return "data race", "WARNING: DATA RACE"
    for line in stderr.splitlines():
        if line.startswith("fatal error: concurrent map"):
            return "throw", line[len("fatal error: "):]
    if code == 0:
        return "clean", ""
    first = next((l for l in stderr.splitlines() if l.strip()), f"exit {code}")
    return "other", first[:200]


def race_trials(plain, raced, trials, budget):
    """Trials round-robin over the cells, so a budget cut short leaves them balanced."""
    def builds(variant):
        return ("race",) if variant in RACE_VARIANT_OF else ("race", "plain")
    cells = {v: {b: {"runs": 0, "data race": 0, "throw": 0, "clean": 0, "timeout": 0,
                     "other": 0, "messages": {}} for b in builds(v)} for v in RACE_MODES}
    deadline = time.monotonic() + budget
    for _ in range(trials):
        for variant in RACE_MODES:
            mode, gorace = RACE_VARIANT_OF.get(variant, (variant, ""))
            for build in builds(variant):
                if time.monotonic() > deadline:
                    break
                env = {"GORACE": RACE_ENV["GORACE"] + gorace} if build == "race" else None
                r = run_go([raced if build == "race" else plain, "race", "--mode", mode,
                            "--ops", str(RACE_OPS[variant])], env=env)
                cell = cells[variant][build]
                cell["runs"] += 1
                cell[r["outcome"]] += 1
                if r["message"]:
                    cell["messages"][r["message"]] = cell["messages"].get(r["message"], 0) + 1
    for variant in cells.values():
        for cell in variant.values():
            n = cell["runs"]
            cell["share_data_race"] = cell["data race"] / n if n else None
            cell["share_throw"] = cell["throw"] / n if n else None
    return cells


def toolchain_words(failure):
    """The compiler's or linker's own line from a go_build Failure: without go_build's
    prefix, the "# package" header, or the date Go 1.19's linker puts in front."""
    lines = [l for l in failure.split(" failed: ", 1)[-1].splitlines()
             if l.strip() and not l.startswith("# ")]
    return re.sub(r"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d ", "", lines[-1] if lines else "")[:300]


def linkname(gen):
    """The post's ch. 4.4: does a go:linkname call into runtime.mapassign_fast64 build and
    run, and does a hook (a body under that name) build?"""
    out = {}
    for what in ("call", "hook"):
        binary = os.path.join(go_toolchains.GO_BUILD, gen, f"linkname-{what}")
        try:
            go_toolchains.go_build(gen, os.path.join(GO_SRC, "linkname", what), binary)
        except Failure as e:
            # the toolchain's own words, minus go_build's "go build of ... failed: " prefix
            out[what] = {"builds": False, "runs": False, "message": toolchain_words(str(e))}
            continue
        r = run_go([binary])
        out[what] = {"builds": True, "runs": r["outcome"] == "clean",
                     "output": r["stdout"].strip()[:200], "message": r["message"]}
    return out
