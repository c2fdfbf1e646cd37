"""slotlab run: the main job. Builds, then writes a churn trace of every
registered map into a new run directory (reports/latest points at it) and prints
that directory's path; also checks the Go model against the real Go runtime
(validation/go.json, go.svg)."""
import os

from slotlab_cli import validate
from slotlab_cli.common import Failure, new_run_dir, registered_maps, say
from slotlab_cli.trace import trace_to_file

# The churn trace every run records: 16 turnovers of a 2^16-key map, a row per turnover.
CHURN_TRACE = ["--workload", "churn", "--n", "65536", "--ops", "1048576", "--every", "65536",
               "--hash", "strong", "--seed", "1"]


def register(sub):
    p = sub.add_parser("run", help="the main job: build, measure, write a run under reports/")
    p.set_defaults(func=run)


def run(args):
    maps = registered_maps()
    run_dir = new_run_dir()
    traces = os.path.join(run_dir, "traces")
    os.makedirs(traces)
    for name in maps:
        say(f"slotlab run: churn trace of {name}")
        if trace_to_file(["--map", name] + CHURN_TRACE, os.path.join(traces, f"{name}-churn.csv")):
            raise Failure(f"the churn trace of {name} failed")
    say("slotlab run: the Go model against the real Go runtime (validate go)")
    go_model_ok = validate.go_trajectories_into(run_dir)
    print(run_dir)
    if not go_model_ok:
        raise Failure("the Go model's overflow trajectory left the runtime's tolerance "
                      "(validation/go.json)")
    return 0
