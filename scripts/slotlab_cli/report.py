"""slotlab report [RUN_DIR]: renders RUN_DIR/index.html (default: reports/latest),
one self-contained page, from whatever the run directory holds.

Exit 0 when every input file read cleanly; 1, after the page is written, when
any was malformed (each named on stderr), so scripts and CI notice; 2 for bad
usage."""
import os
import sys

from slotlab_cli.common import LATEST, ROOT, Failure, UsageError, say


def register(sub):
    p = sub.add_parser("report", help="render a run directory's index.html (default: the latest run)")
    p.add_argument("run_dir", nargs="?", default=None,
                   help="a run directory (reports/runs/<stamp>); default reports/latest")
    p.set_defaults(func=run)


def render(run_dir):
    """Renders run_dir; returns the page's path. Malformed files are named on stderr."""
    return render_page(run_dir)[0]


def render_page(run_dir):
    """Renders run_dir; returns (the page's path, the problems named on stderr)."""
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    from reports.render import page
    try:
        path, sections, problems = page.render(run_dir)
    except OSError as e:
        raise Failure(f"cannot write {os.path.join(run_dir, 'index.html')}: {e.strerror or e}")
    for p in problems:
        say(f"slotlab report: {p}")
    filled = [s.title.split(":")[0] for s in sections if s.status == "filled"]
    partial = [s.title.split(":")[0] for s in sections if s.status == "partial"]
    missing = [s.title.split(":")[0] for s in sections if s.status == "missing"]
    say(f"slotlab report: {len(filled)} section(s) filled, {len(partial)} partial, "
        f"{len(missing)} without data" + (f" ({', '.join(missing)})" if missing else ""))
    return path, problems


def run(args):
    run_dir = args.run_dir or LATEST
    if not os.path.isdir(run_dir):
        if args.run_dir is None:
            raise UsageError(f"no run yet ({LATEST} does not exist): run `scripts/slotlab run` first")
        if os.path.exists(run_dir):
            raise UsageError(f"'{run_dir}' is not a directory")
        raise UsageError(f"run directory '{run_dir}' does not exist")
    path, problems = render_page(run_dir)
    print(path)
    if problems:
        say(f"slotlab report: the page is written, but {len(problems)} input problem(s) were found "
            f"(named above): exit 1")
        return 1
    return 0
