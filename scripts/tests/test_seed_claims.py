"""slotlab seed: every verdict function flips when its measurement changes, missing files
make claims "not testable here" (never a crash), and bad input is one line, exit 2.

The fixture (fixtures/seed_measurements.json) is a trimmed copy of what `slotlab seed`
measured on Go 1.19.8 and Go 1.26.8; each test changes one figure of it."""
import copy
import json
import os

import pytest

from conftest import ROOT, slotlab
from slotlab_cli import go_toolchains, metadata, seed, seed_claims as sc

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "seed_measurements.json")


@pytest.fixture
def m():
    with open(FIXTURE) as f:
        return json.load(f)


def probes(m):
    return {g: e["probe"] for g, e in m["seed_go"]["generations"].items()}


def reuse_doc(share3):
    reuse = {"inserts": 1000, "reused_inserts": 900, "fresh_inserts": 100,
             "distance": {"min": 1, "p10": 40, "median": 700, "p90": 4000, "max": 9000},
             "share_at_distance": {"1": 0.01, "2": 0.01, "3": share3}}
    return {"generations": {"classic": {"status": "ok", "go_version": "go1.19.8", "runtime": reuse,
                                        "model": reuse, "model_name": "go", "verdict": "pass"}}}


def test_reuse_flips_when_no_freed_slot_is_taken(m):
    p = probes(m)
    assert sc.reuse_by_later_insert(p)[0] == "true"
    for e in p.values():
        e["chapter1"]["same_slot"] = 0
        e["insert_slot"]["churn"]["state_taken"] = {"emptyRest": 10, "empty": 10}
    assert sc.reuse_by_later_insert(p)[0] == "false"


def test_key_zeroed_flips_with_the_key_bytes(m):
    p = probes(m)
    verdict, evidence = sc.key_set_to_zero(p)
    assert verdict == "false" and "uint64 keys kept" in evidence
    for e in p.values():
        for r in e["slot_bytes"].values():
            r["key"] = {"cleared": r["deletes"]}
    assert sc.key_set_to_zero(p)[0] == "true"
    p["classic"]["slot_bytes"]["string/*uint64 n=200"]["key"] = {"partly cleared": 100}
    assert sc.key_set_to_zero(p)[0] == "partly"


def test_chapter1_flips_below_half(m):
    p = probes(m)
    verdict, evidence = sc.chapter1_example(p)
    assert verdict == "true" and "always" in evidence
    p["swiss"]["chapter1"]["same_slot"] = 100
    assert sc.chapter1_example(p)[0] == "false"


def test_empty_rest_flips_when_no_insert_takes_one(m):
    p = probes(m)
    assert sc.empty_rest_skipped(p)[0] == "false"
    p["classic"]["insert_slot"]["chain"]["state_taken_by_e"] = "emptyOne"
    p["classic"]["insert_slot"]["churn"]["state_taken"].pop("emptyRest")
    assert sc.empty_rest_skipped(p)[0] == "true"
    del p["classic"]
    assert sc.empty_rest_skipped(p)[0] == "not testable here"


def test_tophash_flips_when_0xff_means_migration(m):
    p = probes(m)
    assert sc.tophash_values(p)[0] == "false"
    s = p["classic"]["states"]
    s["of_which_live_keys"] = 0
    s["census"] = {k: v for k, v in s["census"].items() if k.endswith(("key", "emptyRest"))}
    assert sc.tophash_values(p)[0] == "true"


def test_bucket_load_flips_with_another_load_factor(m):
    p = probes(m)
    verdict, evidence = sc.bucket_size_and_load(p)
    assert verdict == "true" and "0.875" in evidence
    p["classic"]["growth"]["events"][2]["count_before"] += 3
    assert sc.bucket_size_and_load(p)[0] == "false"


def test_cell_states_flip_when_a_delete_leaves_an_evacuated_mark(m):
    p = probes(m)
    assert sc.delete_state_transition(p)[0] == "false"
    p["classic"]["insert_slot"]["churn"]["state_left_by_delete"]["evacuatedX"] = 1
    assert sc.delete_state_transition(p)[0] == "partly"


def test_delete_clears_flips_with_key_and_value_bytes(m):
    p = probes(m)
    assert sc.delete_clears_key_then_value(p)[0] == "partly"
    for e in p.values():
        e["slot_bytes"]["uint64/uint64 n=200"]["key"] = {"cleared": 100}
    assert sc.delete_clears_key_then_value(p)[0] == "true"
    for e in p.values():
        e["slot_bytes"]["uint64/uint64 n=200"]["key"] = {"kept": 100}
        e["slot_bytes"]["uint64/uint64 n=200"]["elem"] = {"kept": 100}
    assert sc.delete_clears_key_then_value(p)[0] == "false"


def test_free_list_flips_when_reuse_lands_on_the_third_insert():
    assert sc.free_list_third_insert(reuse_doc(0.001))[0] == "false"
    assert sc.free_list_third_insert(reuse_doc(0.95))[0] == "true"
    doc = reuse_doc(0.95)
    doc["generations"]["classic"] = {"status": "not testable here", "reason": "no Go 1.19"}
    assert sc.free_list_third_insert(doc)[0] == "not testable here"


def test_overflow_rebuild_flips_when_quiet_use_rebuilds_the_chain(m):
    direct = probes(m)["classic"]["overflow"]
    verdict, evidence = sc.overflow_chain_rebuild(direct, None)
    assert verdict == "false" and "same-size grow" in evidence
    direct["after_quiet"]["chain_buckets"] -= 3
    assert sc.overflow_chain_rebuild(direct, None)[0] == "true"


def test_overflow_rebuild_from_validate_go_alone():
    go = {"verdict": "pass", "workload": {"n": 6000, "seeds": 30}, "compared_checkpoints": 14,
          "max_abs_difference_over_tolerance": 0.4}
    assert sc.overflow_chain_rebuild(None, go)[0] == "false"
    go["verdict"] = "fail"
    assert sc.overflow_chain_rebuild(None, go)[0] == "not testable here"
    swiss_only = {"applicable": False, "why": "Swiss tables have no overflow buckets"}
    assert sc.overflow_chain_rebuild(swiss_only, None)[0] == "not testable here"


def cells(m, gen):
    return m["go_race"]["generations"][gen]["cells"]


def test_race_detector_verdict_flips_with_its_detection_rate(m):
    race = m["go_race"]
    assert sc.race_detector_blind(race)[0] == "false"
    for g in ("classic", "swiss"):
        for mode in ("unsync", "gosched", "serial"):
            c = cells(m, g)[mode]["race"]
            c["clean"] += c["data race"]
            c["data race"], c["share_data_race"] = 0, 0.0
    assert sc.race_detector_blind(race)[0] == "true"
    cells(m, "swiss")["gosched"]["race"].update({"data race": 20, "share_data_race": 1.0})
    assert sc.race_detector_blind(race)[0] == "partly"


def test_silent_without_race_flips_with_the_throw_rate(m):
    race = m["go_race"]
    assert sc.nothing_notices_without_race(race)[0] == "partly"
    for g in ("classic", "swiss"):
        cells(m, g)["unsync"]["plain"].update(throw=0, share_throw=0.0, messages={})
    assert sc.nothing_notices_without_race(race)[0] == "true"


def test_gosched_verdict_flips_when_the_detector_misses(m):
    race = m["go_race"]
    assert sc.gosched_hides_race(race)[0] == "false"
    for g in ("classic", "swiss"):
        cells(m, g)["gosched"]["race"].update({"data race": 0, "share_data_race": 0.0})
    assert sc.gosched_hides_race(race)[0] == "true"


def test_linkname_flips_with_what_builds(m):
    entries = copy.deepcopy(m["seed_go"]["generations"])
    verdict, evidence = sc.linkname_hook(entries)
    assert verdict == "partly" and "duplicated definition" in evidence
    for e in entries.values():
        e["linkname"]["call"]["runs"] = False
    assert sc.linkname_hook(entries)[0] == "false"
    for e in entries.values():
        e["linkname"]["hook"].update(builds=True, runs=True)
    assert sc.linkname_hook(entries)[0] == "true"


def test_every_claim_of_an_empty_run_is_not_testable_and_names_its_file(tmp_path):
    claims = sc.decide(str(tmp_path))
    assert {c["verdict"] for c in claims} == {"not testable here"}
    for c in claims:
        for f in c["files"]:
            assert f in c["evidence"], c
    assert {c["section"] for c in claims} >= {"1", "2.1", "2.2", "2.3", "2.4", "2.5", "3.1",
                                              "3.2", "3.3", "4.2", "4.3", "4.4"}


def test_decide_reads_the_files_and_a_missing_toolchain_is_not_testable(m, tmp_path):
    val = tmp_path / "validation"
    val.mkdir()
    m["seed_go"]["generations"]["classic"] = seed.not_testable("no Go toolchain with the classic map")
    m["go_race"]["generations"]["classic"] = seed.not_testable("no Go toolchain with the classic map")
    metadata.write_json(str(val / "seed_go.json"), m["seed_go"])
    metadata.write_json(str(val / "go_race.json"), m["go_race"])
    metadata.write_json(str(val / "go_reuse.json"), reuse_doc(0.01))
    claims = {c["id"]: c for c in sc.decide(str(tmp_path))}
    assert claims["emptyrest"]["verdict"] == "not testable here"   # classic-only
    assert claims["chapter1"]["verdict"] == "true"                  # Swiss alone decides
    assert claims["chapter1"]["go_versions"] == ["go1.26.8"]
    assert claims["free-list"]["verdict"] == "false"
    assert claims["overflow-rebuild"]["verdict"] == "not testable here"   # classic-only
    assert "neither the classic runtime" in claims["overflow-rebuild"]["evidence"]


def test_a_missing_toolchain_makes_a_generation_not_testable(monkeypatch):
    monkeypatch.setenv("SLOTLAB_GO_CLASSIC", "/nonexistent/go")
    go_toolchains.toolchain.cache_clear()
    try:
        entry, race = seed.measure_generation("classic", 1, 1)
    finally:
        go_toolchains.toolchain.cache_clear()
    assert entry["status"] == race["status"] == "not testable here"
    assert "SLOTLAB_GO_CLASSIC" in entry["reason"]


@pytest.mark.parametrize("stderr,code,outcome", [
    ("==================\nWARNING: DATA RACE\nWrite at ...", 66, "data race"),
    ("fatal error: concurrent map writes\n\ngoroutine 7", 2, "throw"),
    ("fatal error: concurrent map read and map write\n", 2, "throw"),
    ("", 0, "clean"),
    ("unexpected fault address 0x0\nfatal error: fault", 2, "other"),
])
def test_classify_tells_the_detector_from_the_runtime(stderr, code, outcome):
    assert seed.classify(code, "", stderr)[0] == outcome


@pytest.mark.parametrize("args,message", [
    (["seed", "--trials", "0"], "--trials must be at least 1"),
    (["seed", "--run-dir", "/nonexistent/run"], "is not a directory"),
    (["seed", "--trials", "x"], "invalid int value"),
])
def test_seed_bad_input_is_one_line_and_exit_2(args, message):
    proc = slotlab(*args)
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], proc.stderr


@pytest.mark.parametrize("generation", ["classic", "swiss"])
@pytest.mark.parametrize("args", [["probe", "--trials", "0"], ["race", "--mode", "fast"],
                                  ["race", "--ops", "ten"], ["probe", "extra"], ["nosuch"], []])
def test_seedclaims_bad_input_is_one_line_and_exit_2(generation, args):
    import subprocess
    binary = os.path.join(go_toolchains.GO_BUILD, generation, "seedclaims")
    go_toolchains.go_build(generation, os.path.join(ROOT, "scripts", "go", "seedclaims"), binary)
    proc = subprocess.run([binary, *args], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_a_map_not_read_yet_is_described_by_its_measurement():
    from slotlab_cli import stale_pointer
    assert stale_pointer.poisoned_by("absl", 1.0).startswith("natively")
    assert "100% of the pointers poisoned" in stale_pointer.poisoned_by("newmap", 1.0)
    assert "no pointer poisoned" in stale_pointer.poisoned_by("newmap", 0.0)
