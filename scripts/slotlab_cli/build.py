"""slotlab build: the optimised build (benchmarks, traces, tests)."""
from slotlab_cli.common import cmake_build, say


def register(sub):
    p = sub.add_parser("build", help="configure and build (release preset, or --preset asan)")
    p.add_argument("--preset", choices=["release", "asan"], default="release")
    p.set_defaults(func=run)


def run(args):
    cmake_build(args.preset)
    say(f"slotlab: {args.preset} build ready under build/{args.preset}")
    return 0
