"""The CI files in .github/workflows/ cannot run here; this checks what can be
checked without GitHub: the YAML parses into jobs with steps; every slotlab
command they run exists with those flags (parsed by the CLI's own argparse, for
every value of the job's matrix); ClusterFuzzLite's official actions get only
inputs they declare, in the four modes; and the benchmark shards cover
`bench --plan` exactly once."""
import collections
import glob
import os
import re
import shlex

import pytest
import yaml

from conftest import ROOT
from slotlab_cli import bench, main, user_maps

WORKFLOWS = sorted(glob.glob(os.path.join(ROOT, ".github", "workflows", "*.yml")))

# The inputs of google/clusterfuzzlite's actions, from their action.yml
# (actions/build_fuzzers at d57cec8a, actions/run_fuzzers at 16d91778, the v1 line).
CFLITE_INPUTS = {
    "build_fuzzers": {"language", "dry-run", "allowed-broken-targets-percentage", "sanitizer",
                      "project-src-path", "bad-build-check", "storage-repo", "storage-repo-branch",
                      "storage-repo-branch-coverage", "upload-build", "github-token"},
    "run_fuzzers": {"language", "fuzz-seconds", "dry-run", "sanitizer", "mode", "github-token",
                    "storage-repo", "storage-repo-branch", "storage-repo-branch-coverage",
                    "report-unreproducible-crashes"},
}
CFLITE_REQUIRED = {"build_fuzzers": set(), "run_fuzzers": {"fuzz-seconds", "github-token"}}
CFLITE_MODES = {"code-change", "batch", "coverage", "prune"}


def load(path):
    with open(path) as f:
        return yaml.safe_load(f)


def triggers(doc):
    # YAML 1.1 reads the key `on` as True.
    on = doc.get("on", doc.get(True))
    return set(on) if isinstance(on, (dict, list)) else {on}


def jobs():
    for path in WORKFLOWS:
        for name, job in load(path)["jobs"].items():
            yield os.path.basename(path), name, job


def matrix_values(job):
    """Every combination of the job's matrix, as {name: value} (one empty dict if none)."""
    matrix = (job.get("strategy") or {}).get("matrix") or {}
    combos = [{}]
    for key, values in matrix.items():
        combos = [dict(c, **{key: v}) for c in combos for v in values]
    return combos


def expand(text, values):
    def one(m):
        expr = m.group(1).strip()
        if expr.startswith("matrix."):
            return str(values[expr[len("matrix."):]])
        return "EXPR"
    return re.sub(r"\$\{\{(.*?)\}\}", one, text)


def slotlab_commands():
    """(workflow, job, argv after `scripts/slotlab`) for every command, per matrix value."""
    for wf, name, job in jobs():
        for values in matrix_values(job):
            for step in job["steps"]:
                for line in (step.get("run") or "").splitlines():
                    words = shlex.split(expand(line, values))
                    if words and words[0] == "scripts/slotlab":
                        yield wf, name, words[1:], values


def test_there_are_workflows_and_they_parse():
    names = {os.path.basename(p) for p in WORKFLOWS}
    assert {"test.yml", "cflite_pr.yml", "cflite_batch.yml", "cflite_cron.yml", "bench.yml"} <= names
    for path in WORKFLOWS:
        doc = load(path)
        assert doc.get("name") and triggers(doc), path
        for name, job in doc["jobs"].items():
            assert job.get("runs-on") and job.get("steps"), (path, name)
            for step in job["steps"]:
                assert ("uses" in step) != ("run" in step), (path, name, step)


def test_the_test_command_runs_on_push_and_pull_request():
    doc = load(os.path.join(ROOT, ".github", "workflows", "test.yml"))
    assert {"push", "pull_request"} <= triggers(doc)
    assert [argv for wf, _, argv, _ in slotlab_commands() if wf == "test.yml"] == [["test"]]


def test_every_slotlab_command_exists_with_those_flags():
    parser = main.make_parser()
    seen = 0
    for wf, job, argv, values in slotlab_commands():
        argv, _ = user_maps.take_from_argv(argv)
        try:
            parser.parse_args(argv)
        except SystemExit:
            pytest.fail(f"{wf} job {job} {values}: `scripts/slotlab {' '.join(argv)}` is not a valid command")
        seen += 1
    assert seen >= 1 + 8 + 2


def test_clusterfuzzlite_actions_get_only_their_inputs_in_all_four_modes():
    modes = collections.defaultdict(set)
    for wf, name, job in jobs():
        for step in job["steps"]:
            m = re.fullmatch(r"google/clusterfuzzlite/actions/(\w+)@v1", step.get("uses", ""))
            if not m:
                continue
            action, inputs = m.group(1), set(step.get("with") or {})
            assert action in CFLITE_INPUTS, (wf, step)
            assert inputs <= CFLITE_INPUTS[action], (wf, name, inputs - CFLITE_INPUTS[action])
            assert CFLITE_REQUIRED[action] <= inputs, (wf, name, CFLITE_REQUIRED[action] - inputs)
            if action == "run_fuzzers":
                modes[step["with"].get("mode", "code-change")].add(wf)
    assert set(modes) == CFLITE_MODES
    assert "pull_request" in triggers(load(os.path.join(ROOT, ".github", "workflows", *modes["code-change"])))
    for mode in ("batch", "prune", "coverage"):
        for wf in modes[mode]:
            assert "schedule" in triggers(load(os.path.join(ROOT, ".github", "workflows", wf))), (mode, wf)
    with open(os.path.join(ROOT, ".clusterfuzzlite", "project.yaml")) as f:
        assert yaml.safe_load(f)["language"] == "c++"


def test_benchmark_shards_cover_the_plan_exactly_once(built):
    shard_runs = [(argv, values) for wf, job, argv, values in slotlab_commands()
                  if wf == "bench.yml" and argv[0] == "bench" and "--shard" in argv]
    assert shard_runs, "bench.yml runs no `bench --shard`"
    parser = main.make_parser()
    parsed = [parser.parse_args(argv) for argv, _ in shard_runs]
    profiles = {a.profile for a in parsed}
    assert profiles == {"full"}
    maps, fams = bench.registered_maps(), bench.families()
    reps = bench.PROFILES["full"]["repetitions"]
    full = [c.id for c in bench.plan("full", maps, fams, reps, (1, 1))]
    covered = collections.Counter(c.id for a in parsed
                                  for c in bench.plan("full", maps, fams, reps, bench.parse_shard(a.shard)))
    assert set(covered) == set(full) and len(full) == len(set(full))
    assert all(n == 1 for n in covered.values()), [c for c, n in covered.items() if n > 1][:5]
    # The merge job joins exactly the shards' run directories.
    merge = next(parser.parse_args(argv) for wf, job, argv, _ in slotlab_commands()
                 if wf == "bench.yml" and "--merge" in argv)
    assert sorted(merge.merge) == sorted(f"shards/bench-shard-{v['shard']}" for _, v in shard_runs)
