"""Builds every section from a run directory and writes RUN_DIR/index.html."""
import functools
import os
import re
import traceback

import jinja2
from markupsafe import Markup, escape

from reports.render import bench, traces
from reports.render.runfiles import RunDir
from reports.render.sections import (cache, drift, environment, fuzz, go_maps, latency, matrix,
                                     reuse, seed, summary, sweep, validation)
from reports.render.sections.base import Section

ORDER = [seed, summary, matrix, drift, sweep, latency, cache, reuse, validation, go_maps, fuzz,
         environment]
TEMPLATES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "templates")


class Context:
    """Everything sections share, read once."""

    def __init__(self, run):
        self.run = run
        self.meta = run.json("meta.json", "scripts/slotlab run")
        self.traces, self.trace_problems, self.ignored_traces = traces.load_traces(run)
        try:
            (self.rows, self.bench_maps, self.bench_files, self.bench_problems,
             self.bench_context) = bench.load_matrix(run)
        except Exception as e:  # an unforeseen shape: the matrix says so, the page renders
            self.rows, self.bench_maps, self.bench_files, self.bench_context = [], [], [], None
            self.bench_problems = [f"bench/*.json could not be read: {type(e).__name__}: {e}"]
            run.problems.extend(self.bench_problems)
        self.churn = traces.select(self.traces, "churn")
        if self.bench_files:
            self.bench_missing = None
        elif self.bench_problems:
            self.bench_missing = "no readable benchmark results under bench/ (see the errors above)"
        else:
            self.bench_missing = run.why_missing("benchmark results (bench/*.json)",
                                                 "scripts/slotlab bench")
        meta_maps = self.meta.value.get("maps") if self.meta.ok and isinstance(self.meta.value, dict) else None
        if meta_maps is not None and not (isinstance(meta_maps, list)
                                          and all(isinstance(m, str) for m in meta_maps)):
            run.note_malformed("meta.json", "'maps' should be a list of map names")
            meta_maps = None
        self.maps = sorted(set(meta_maps or [])
                           | {t.map for t in self.traces} | set(self.bench_maps))

    def traces_for(self, workload, hash_name="strong"):
        return traces.select(self.traces, workload, hash_name)


def build_sections(ctx):
    out = []
    for module in ORDER:
        sec = Section(module.ID, module.TITLE)
        try:
            module.build(ctx, sec)
        except Exception as e:  # a bug or an unforeseen shape: the page still renders
            where = traceback.extract_tb(e.__traceback__)[-1]
            files = ", ".join(sec.sources) or "its files"
            sec.error(f"this section could not be drawn from {files}: {type(e).__name__}: {e} "
                      f"({os.path.basename(where.filename)}:{where.lineno})")
            ctx.run.problems.append(f"section '{module.TITLE}': {type(e).__name__}: {e}")
        out.append(sec)
    return out


_CODE = re.compile(r"`([^`]+)`")


def prose(text):
    """Escapes text from data, then turns `x` into <code>x</code>."""
    return Markup(_CODE.sub(r"<code>\1</code>", str(escape(text))))


@functools.lru_cache(maxsize=None)
def environment():
    """Compiled once per process: compiling the templates was half of a render."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                             autoescape=True,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["prose"] = prose
    env.filters["svg"] = lambda s: Markup(s)   # our own matplotlib output, ids prefixed
    return env


def render(run_dir):
    """Writes run_dir/index.html; returns (path, sections, problems)."""
    run = RunDir(run_dir)
    ctx = Context(run)
    sections = build_sections(ctx)
    meta = ctx.meta.value if ctx.meta.ok and isinstance(ctx.meta.value, dict) else {}
    html = environment().get_template("page.html.j2").render(
        sections=sections, meta=meta, run_name=os.path.basename(os.path.realpath(run.path)),
        problems=run.problems, ignored=ctx.ignored_traces)
    path = run.abspath("index.html")
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(html)
    os.replace(tmp, path)
    return path, sections, run.problems
