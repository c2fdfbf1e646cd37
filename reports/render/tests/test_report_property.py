"""The run directory is untrusted input: a property-based test (hypothesis) corrupts
the fixture run (fixture_run.py, every file of reports/RUN_LAYOUT.md) at random and
renders it, a couple of thousand times in about a minute:

- truncate or delete a file, insert bytes that are not UTF-8;
- in a JSON file: replace a value (NaN, +-Infinity, 1e308, -1e308, 10**400, negative
  numbers, zero, a long string, markup, quotes, null, a list, an object, a number as
  a string), drop a field, add one;
- in a CSV file: drop a column, add or remove a cell in a row, add a row too many,
  replace a cell (nan, inf, 1e308, -5, markup);
- add a result file whose name is markup.

Whatever the corruption: rendering never raises; no section falls through to the
generic "could not be drawn" error (every bad value is caught by a reader that names
the file and the field); every problem reported (what `slotlab report` prints on
stderr, one line each) names a file that was corrupted, and is on the page; a file
the renderer reads that no longer parses (truncated JSON, bytes that are not UTF-8,
a CSV without a required column or with a ragged row) is named; no number on the
page reads nan or inf; every string from the data is HTML-escaped; the page's
Content-Security-Policy is the clean page's.

For speed the bulk run draws figures with a recording stand-in for matplotlib's
axes (FakeAxes: it converts every series to floats and refuses non-finite axis
limits, as matplotlib does); one test renders the nastiest numbers with the real
matplotlib, and one goes through the CLI to see stderr.
"""
import json
import math
import os
import re
import shutil

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from markupsafe import escape

from reports.render import figures, page, runfiles
from reports.render.tests import fixture_run
from reports.render.tests.conftest import slotlab

EXAMPLES = int(os.environ.get("SLOTLAB_PROPERTY_EXAMPLES", "2000"))
CSP = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>')
MARKUP = ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>', "</td></tr><b>'quote'",
          "<svg onload=alert(1)>", "`<code>`&amp;"]
HOSTILE_NUMBERS = [math.nan, math.inf, -math.inf, 1e308, -1e308, 10 ** 400, -1, -12345.5, 0]
JSON_VALUES = (HOSTILE_NUMBERS + MARKUP
               + ["x" * 20000, None, True, [], {}, [1, "a"], {"a": 1}, "12", ""])
CSV_CELLS = ["nan", "NaN", "inf", "-inf", "1e308", "-1e308", "-5", "0", MARKUP[0], MARKUP[1], "x" * 5000]


# ---------------------------------------------------------------- figures without drawing

class FakeLine:
    def __init__(self, x, y, label):
        self.x, self.y, self.label = x, y, label

    def get_xdata(self):
        return self.x

    def get_label(self):
        return self.label


def floats(values):
    """As matplotlib converts a numeric series; strings and objects are refused."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim > 1:
        raise ValueError("a series of series")
    return arr


def finite_limit(value):
    if value is not None and not math.isfinite(float(value)):
        raise ValueError("Axis limits cannot be NaN or Inf")


class Decoration:
    """Stand-in for what only decorates a figure (spines, tick positions, a colour bar,
    a patch): any attribute or call gives another; it holds no data to check."""

    def __getattr__(self, name):
        return Decoration()

    def __call__(self, *a, **k):
        return Decoration()

    def __iter__(self):
        return iter(())


class FakeAxes:
    transAxes = object()
    xaxis = yaxis = Decoration()
    spines = {}

    def __init__(self):
        self.lines = []

    def plot(self, *args, label=None, **kw):
        series = [a for a in args if not isinstance(a, str)]
        ys = floats(series[-1]) if series else floats([])
        xs = floats(series[0]) if len(series) > 1 else np.arange(len(ys), dtype=float)
        if len(xs) != len(ys):
            raise ValueError("x and y must have same first dimension")
        line = FakeLine(xs, ys, None if label is None else str(label))
        self.lines.append(line)
        return [line]

    def fill_between(self, x, y1, y2=0, **kw):
        floats(x), floats(np.broadcast_to(y1, np.shape(x))), floats(np.broadcast_to(y2, np.shape(x)))

    def barh(self, y, width, height=0.8, left=None, **kw):
        floats(np.broadcast_to(width, np.shape(y)))
        if left is not None:
            floats(np.broadcast_to(left, np.shape(y)))
        return []

    def stackplot(self, x, *ys, labels=(), **kw):
        xs = floats(x)
        for y in ys:
            rows = np.asarray(y, dtype=float)
            for row in (rows if rows.ndim == 2 else [rows]):
                if len(row) != len(xs):
                    raise ValueError("stackplot: x and y differ in length")
        return []

    def pcolormesh(self, *args, **kw):  # the matrix heatmap: a masked cell is blank, not an error
        np.ma.asarray(args[-1], dtype=float)
        return FakeLine([], [], None)

    def axvline(self, x=0, **kw):
        float(x)

    def set_ylim(self, bottom=None, top=None, **kw):
        if isinstance(bottom, (tuple, list)):
            bottom, top = bottom
        finite_limit(bottom), finite_limit(top)

    set_xlim = set_ylim

    def set_xticks(self, ticks, labels=None, **kw):
        floats(ticks)

    set_yticks = set_xticks

    def text(self, x, y, s, **kw):
        float(x), float(y), str(s)

    def get_legend_handles_labels(self):
        lines = [l for l in self.lines if l.label and not l.label.startswith("_")]
        return lines, [l.label for l in lines]

    def __getattr__(self, name):  # set_title, set_xlabel, set_yscale, legend, invert_yaxis...
        if name.startswith("set_") or name in ("legend", "invert_yaxis", "grid", "annotate",
                                                 "axhline", "tick_params", "add_patch"):
            return lambda *a, **k: None
        raise AttributeError(name)


class FakeFigure:
    def colorbar(self, mappable, **k):
        return Decoration()

    def legend(self, *a, **k):
        pass

    def tight_layout(self, *a, **k):
        pass


def fake_new(width=6.4, height=3.2, ncols=1, nrows=1, squeeze=True, **kw):
    axes = np.empty((nrows, ncols), dtype=object)
    for i in range(nrows):
        for j in range(ncols):
            axes[i, j] = FakeAxes()
    if squeeze:
        axes = axes.squeeze()
        if axes.ndim == 0:
            axes = axes.item()
    return FakeFigure(), axes


def fake_to_svg(fig, name, title):
    return f'<svg role="img" aria-label="{escape(title)}" class="plot"></svg>'


# ---------------------------------------------------------------- the clean run

@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """The fixture run, what the renderer reads of it, and its clean page."""
    base = fixture_run.make(str(tmp_path_factory.mktemp("clean") / "run"))
    work = str(tmp_path_factory.mktemp("work") / "run")
    shutil.copytree(base, work)
    reads = {"json": set(), "csv": {}}
    real_json, real_csv = runfiles.RunDir.json, runfiles.RunDir.csv

    def spy_json(self, rel, producer):
        reads["json"].add(rel)
        return real_json(self, rel, producer)

    def spy_csv(self, rel, required):
        reads["csv"][rel] = list(required)
        return real_csv(self, rel, required)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(runfiles.RunDir, "json", spy_json)
        mp.setattr(runfiles.RunDir, "csv", spy_csv)
        html, problems = render(work, fake=True)
    assert problems == [], problems
    files = sorted(os.path.relpath(os.path.join(d, f), work)
                   for d, _, fs in os.walk(work) for f in fs if f != "index.html")
    data = {}
    for rel in files:
        with open(os.path.join(work, rel), "rb") as f:
            data[rel] = f.read()
    return Clean(work=work, files=files, data=data, reads=reads, csp=CSP.findall(html))


class Clean(dict):
    """The clean run; short in hypothesis's reports."""

    def __init__(self, **kw):
        super().__init__(**kw)

    def __repr__(self):
        return "<the clean fixture run>"


def render(run_dir, fake=False):
    with pytest.MonkeyPatch.context() as mp:
        if fake:
            mp.setattr(figures, "new", fake_new)
            mp.setattr(figures, "to_svg", fake_to_svg)
        _, _, problems = page.render(run_dir)
    with open(os.path.join(run_dir, "index.html"), encoding="utf-8") as f:
        return f.read(), list(problems)


# ---------------------------------------------------------------- corruptions

def json_paths(value, prefix=()):
    """Every path to a value inside a JSON document."""
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from json_paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from json_paths(v, prefix + (i,))


def set_at(doc, path, value):
    if not path:
        return value
    parent = doc
    for p in path[:-1]:
        parent = parent[p]
    parent[path[-1]] = value
    return doc


class Corruption:
    """One change to one file; `breaks` when the file can no longer be parsed at all."""

    def __init__(self, rel, kind, breaks=False, strings=()):
        self.rel, self.kind, self.breaks, self.strings = rel, kind, breaks, list(strings)

    def __repr__(self):
        return f"{self.kind} {self.rel}"


def dump(doc):
    return json.dumps(doc, allow_nan=True).encode()


@st.composite
def corruption(draw, clean):
    work, files = clean["work"], clean["files"]
    rel = draw(st.sampled_from(files))
    data = clean["data"][rel]
    kinds = ["truncate", "delete", "not-utf8", "add-markup-file"]
    if rel.endswith(".json"):
        kinds += ["json-value"] * 6 + ["json-drop"] * 2 + ["json-add"]
    if rel.endswith(".csv"):
        kinds += ["csv-drop-column", "csv-ragged-row", "csv-extra-row", "csv-cell"] * 2
    kind = draw(st.sampled_from(kinds))
    if kind == "truncate":
        cut = draw(st.integers(0, max(0, len(data) - 1)))
        new = data[:cut]
        breaks = rel.endswith(".json") and not parses(new)
        return Corruption(rel, kind, breaks), {rel: new}
    if kind == "delete":
        return Corruption(rel, kind), {rel: None}
    if kind == "not-utf8":
        at = draw(st.integers(0, len(data)))
        return Corruption(rel, kind, breaks=True), {rel: data[:at] + b"\xff\xfe\xc3(" + data[at:]}
    if kind == "add-markup-file":
        name = draw(st.sampled_from(MARKUP)).replace("/", "|")
        folder = os.path.dirname(rel)
        suffix = "-churn.csv" if folder == "traces" else (".json" if folder else ".json")
        new_rel = os.path.join(folder, name + suffix)
        return Corruption(new_rel, kind, strings=[name]), {new_rel: data}
    if kind.startswith("json"):
        doc = json.loads(data)
        paths = list(json_paths(doc))
        where = draw(st.sampled_from(paths))
        if kind == "json-value":
            value = draw(st.sampled_from(JSON_VALUES))
            doc = set_at(doc, where, value)
            strings = [value] if isinstance(value, str) else []
        elif kind == "json-drop":
            parent = where[:-1] if where else ()
            container = doc
            for p in parent:
                container = container[p]
            if not where or not isinstance(container, (dict, list)):
                return Corruption(rel, "json-value"), {rel: dump(set_at(doc, where, None))}
            del container[where[-1]]
            strings = []
        else:
            key = draw(st.sampled_from(MARKUP + ["extra", "ns_per_op", "maps"]))
            value = draw(st.sampled_from(JSON_VALUES))
            container = doc
            for p in where:
                container = container[p]
            if isinstance(container, dict):
                container[key] = value
            elif isinstance(container, list):
                container.append(value)
            strings = [s for s in (key, value) if isinstance(s, str)]
        return Corruption(rel, kind, strings=strings), {rel: dump(doc)}
    text = data.decode()
    lines = text.splitlines()
    header = lines[0].split(",")
    row = draw(st.integers(1, max(1, len(lines) - 1)))
    if kind == "csv-drop-column":
        col = draw(st.integers(0, len(header) - 1))
        required = header[col] in clean["reads"]["csv"].get(rel, [])
        new = [",".join(c for i, c in enumerate(line.split(",")) if i != col) for line in lines]
        return Corruption(rel, kind, breaks=required), {rel: ("\n".join(new) + "\n").encode()}
    if kind == "csv-ragged-row" and len(lines) > 1:
        cells = lines[row].split(",")
        cells = cells[:-1] if draw(st.booleans()) else cells + ["7"]
        lines[row] = ",".join(cells)
        return Corruption(rel, kind, breaks=True), {rel: ("\n".join(lines) + "\n").encode()}
    if kind == "csv-extra-row":
        lines.append(",".join(["1"] * (len(header) + 1)))
        return Corruption(rel, kind, breaks=True), {rel: ("\n".join(lines) + "\n").encode()}
    if len(lines) > 1:
        cells = lines[row].split(",")
        col = draw(st.integers(0, len(cells) - 1))
        cells[col] = draw(st.sampled_from(CSV_CELLS))
        lines[row] = ",".join(cells)
        strings = [cells[col]] if not re.fullmatch(r"[-+0-9.eEinfaINFA]*", cells[col]) else []
        return Corruption(rel, kind, strings=strings), {rel: ("\n".join(lines) + "\n").encode()}
    return Corruption(rel, "delete"), {rel: None}


def parses(data):
    try:
        json.loads(data.decode("utf-8"))
        return True
    except (ValueError, UnicodeDecodeError):
        return False


def apply(work, changes):
    """Writes the changes; returns what undoes them (None: the file did not exist)."""
    undo = {}
    for rel, data in changes.items():
        path = os.path.join(work, rel)
        undo[rel] = None
        if os.path.exists(path):
            with open(path, "rb") as f:
                undo[rel] = f.read()
        if data is None:
            if os.path.exists(path):
                os.unlink(path)
        else:
            with open(path, "wb") as f:
                f.write(data)
    return undo


def restore(work, undo):
    for rel, data in undo.items():
        path = os.path.join(work, rel)
        if data is None:
            if os.path.exists(path):
                os.unlink(path)
        else:
            with open(path, "wb") as f:
                f.write(data)


# ---------------------------------------------------------------- the properties

NUMBER_NAN = re.compile(r">\s*[-+]?(nan|inf|infinity)\s*(%|ns|µs|ms|x|×)?\s*<", re.I)


def check_page(html, problems, corruptions, clean):
    corrupted = {c.rel for c in corruptions}
    assert CSP.findall(html) == clean["csp"], "the page's Content-Security-Policy changed"
    for sid, body in re.findall(r'<section id="([^"]+)">(.*?)</section>', html, re.S):
        assert "could not be drawn" not in body, (
            f"section {sid} fell through to the generic error: "
            + re.search(r"could not be drawn[^<]*", body).group(0))
    for c in corruptions:
        for s in c.strings:
            if re.search(r"[<>\"&']", s):
                assert s not in html, f"{c}: a string from the data reached the page unescaped"
    assert "<script" not in html.lower()
    for p in problems:
        assert "\n" not in p, p
        assert any(rel in p for rel in corrupted), f"a problem blames no corrupted file: {p}"
        assert str(escape(p)).split("`")[0] in html, f"a problem is not on the page: {p}"
    reads = clean["reads"]
    for c in corruptions:
        read = c.rel in reads["json"] or c.rel in reads["csv"]
        if c.breaks and read and not os.path.basename(c.rel).startswith("manifest"):
            assert any(c.rel in p for p in problems), f"{c}: not named among {problems}"
    m = NUMBER_NAN.search(html)
    assert not m, f"a number on the page reads {m.group(0)!r}"


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_any_corruption_renders_a_page_that_names_it(clean, data):
    n = data.draw(st.integers(1, 3), label="corruptions")
    corruptions, undo = [], {}
    try:
        for _ in range(n):
            c, changes = data.draw(corruption(clean))
            if any(rel in undo for rel in changes):
                continue  # one change per file per example: its expectation stays exact
            corruptions.append(c)
            undo.update(apply(clean["work"], changes))
        html, problems = render(clean["work"], fake=True)
        check_page(html, problems, corruptions, clean)
    finally:
        restore(clean["work"], undo)


# ---------------------------------------------------------------- real figures, real CLI

def poison_numbers(value, numbers):
    """Every number of a JSON document replaced, in turn, by one of `numbers`."""
    if isinstance(value, dict):
        return {k: poison_numbers(v, numbers) for k, v in value.items()}
    if isinstance(value, list):
        return [poison_numbers(v, numbers) for v in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        numbers.append(numbers.pop(0))
        return numbers[-1]
    return value


def test_the_nastiest_numbers_with_real_figures(tmp_path):
    """Zero, negatives, 1e29 (the largest a reader accepts is 1e30) and 1e-300 in every
    number of every file, drawn by the real matplotlib (the bulk run's stand-in does
    not draw): no section crashes, no nan or inf reaches the page."""
    run_dir = fixture_run.make(str(tmp_path / "run"))
    numbers = [0, -1, 1e29, -1e29, 1e-300, 7, -12345.5]
    for d, _, fs in os.walk(run_dir):
        for f in fs:
            path = os.path.join(d, f)
            if f.endswith(".json"):
                with open(path) as fh:
                    doc = json.load(fh)
                with open(path, "w") as fh:
                    json.dump(poison_numbers(doc, numbers), fh)
            elif f.endswith(".csv"):
                with open(path) as fh:
                    lines = fh.read().splitlines()
                rows = [lines[0]] + [",".join(("1e29", "-3", "0", c)[k % 4] if k % 3 == 0 else c
                                              for k, c in enumerate(line.split(",")))
                                     for line in lines[1:]]
                with open(path, "w") as fh:
                    fh.write("\n".join(rows) + "\n")
    html, problems = render(run_dir)
    assert "could not be drawn" not in html
    assert not NUMBER_NAN.search(html), NUMBER_NAN.search(html).group(0)
    assert html.count("<svg") >= 3, "the figures were drawn"
    assert CSP.findall(html) == [CSP.search(html).group(0)]


def test_the_cli_names_every_unreadable_file_on_stderr(tmp_path):
    run_dir = fixture_run.make(str(tmp_path / "run"))
    with open(os.path.join(run_dir, "bench", "latency.json"), "ab") as f:
        f.write(b"\xff\xfe")
    with open(os.path.join(run_dir, "traces", "go-churn.csv"), "a") as f:
        f.write("1,2,3\n")
    proc = slotlab("report", run_dir)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert any("bench/latency.json" in line for line in lines), proc.stderr
    assert any("traces/go-churn.csv" in line for line in lines), proc.stderr
    with open(os.path.join(run_dir, "index.html"), encoding="utf-8") as f:
        html = f.read()
    assert "bench/latency.json is unreadable" in html and "traces/go-churn.csv is unreadable" in html
