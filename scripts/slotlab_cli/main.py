"""Argument parsing and dispatch. Every error is one line on stderr; usage errors exit 2."""
import argparse
import signal
import sys

from slotlab_cli import (bench, build, fuzz, report, run, seed, setup, test, trace, user_maps,
                         validate, validate_linear)
from slotlab_cli.common import Failure, UsageError

# One module per subcommand; later subcommands join with one entry here.
COMMANDS = [setup, build, test, run, trace, validate, validate_linear, bench, report, fuzz, seed]


class OneLineParser(argparse.ArgumentParser):
    def error(self, message):
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        sys.exit(2)


def make_parser():
    parser = OneLineParser(
        prog="slotlab",
        description="Benchmarks and fuzzes how hash maps reuse slots after deletion.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    sub.required = True
    for module in COMMANDS:
        module.register(sub)
    for name in user_maps.COMMANDS:  # taken out of argv before parsing (main below)
        user_maps.add_option(sub.choices[name])
    return parser


def main(argv):
    # Tools run in sessions of their own (common.run_bounded), out of reach of a
    # signal sent to ours: a SIGTERM (a CI job cancelled, `slotlab run` stopping a
    # producer past its limit) becomes an exception, so they are stopped with us.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    parser = make_parser()
    try:
        if argv and argv[0] in user_maps.COMMANDS:
            argv, headers = user_maps.take_from_argv(argv)
            user_maps.activate(headers)
    except UsageError as e:
        print(f"slotlab: {e}", file=sys.stderr)
        return 2
    if len(argv) >= 1 and argv[0] in ("trace",):
        # The trace tool checks its own options; argparse must not eat them.
        args = argparse.Namespace(func=trace.run, options=argv[1:])
    else:
        args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UsageError as e:
        print(f"slotlab: {e}", file=sys.stderr)
        return 2
    except Failure as e:
        print(f"slotlab: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("slotlab: interrupted", file=sys.stderr)
        return 130
