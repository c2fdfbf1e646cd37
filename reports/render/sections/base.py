"""A section is a list of blocks the template renders generically: paragraphs,
sentence lists, figures (with how they were obtained), tables, and notes saying
what is missing and why. Text is escaped by the template; `backticks` become code."""
import math


class Section:
    def __init__(self, sid, title):
        self.id = sid
        self.title = title
        self.blocks = []
        self.sources = []        # files this section read (links in the page)
        self.filled = 0          # blocks drawn from data
        self.missing = []        # reasons, also listed in the overview

    def text(self, text):
        self.blocks.append({"kind": "p", "text": text})

    def sentences(self, items):
        if items:
            self.blocks.append({"kind": "list", "items": list(items)})
            self.filled += 1

    def heading(self, text, anchor=None):
        self.blocks.append({"kind": "h3", "text": text, "anchor": anchor})

    def figure(self, svg, caption, how):
        """how: which data, hash, load, n; hardware counter or simulation."""
        self.blocks.append({"kind": "figure", "svg": svg, "caption": caption, "how": how})
        self.filled += 1

    def table(self, headers, rows, caption=None, how=None, numeric_from=1, collapsed=False):
        """rows: lists of cells; a cell is a string or {"text", "cls", "title", "sub",
        "links": [{"text", "href" (None: shown as absent)}]}.
        collapsed: inside <details> (opens without JavaScript), for long reference tables."""
        def norm(row):  # a row: a list of cells, or {"cells": [...], "cls": row class}
            cells = row["cells"] if isinstance(row, dict) else row
            return {"cls": row.get("cls", "") if isinstance(row, dict) else "",
                    "cells": [c if isinstance(c, dict) else {"text": c} for c in cells]}
        cells = [norm(row) for row in rows]
        self.blocks.append({"kind": "table", "headers": headers, "rows": cells,
                            "caption": caption, "how": how, "numeric_from": numeric_from,
                            "collapsed": collapsed})
        self.filled += 1

    def miss(self, reason):
        self.blocks.append({"kind": "missing", "text": reason})
        self.missing.append(reason)

    def error(self, reason):
        self.blocks.append({"kind": "error", "text": reason})
        self.missing.append(reason)

    def malformed(self, run, rel, e):
        """A Malformed raised by a runfiles accessor: one problem line naming rel and the
        field, on the page (here) and on stderr (run.problems)."""
        self.error(run.note_malformed(rel, str(e).split(": ", 1)[-1]))

    def source(self, rel):
        if rel not in self.sources:
            self.sources.append(rel)

    def load_json(self, ctx, rel, producer):
        """The parsed file, noted as this section's source; None (with the reason shown
        in the section) when it is missing or broken."""
        src = ctx.run.json(rel, producer)
        if not src.ok:
            (self.miss if src.missing else self.error)(src.problem)
            return None
        self.source(rel)
        return src.value

    @property
    def status(self):
        if self.filled and not self.missing:
            return "filled"
        if self.filled:
            return "partial"
        return "missing"


def fmt(x, digits=3):
    """A number for people: 3 significant digits, thousands separators; None -> n/a."""
    if x is None or not math.isfinite(x):  # a ratio of extreme values can overflow
        return "n/a"
    if x == 0:
        return "0"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.{digits}g}"


def pct(x):
    return "n/a" if x is None or not math.isfinite(100 * x) else f"{100 * x:.1f}%"


def label(text):
    """A string from data, safe for matplotlib (no mathtext)."""
    return str(text).replace("$", r"\$")


def fmt_n(x):
    """A count from JSON that may be absent or not a number."""
    return f"{x:,}" if isinstance(x, int) and not isinstance(x, bool) else ("n/a" if x is None else str(x))


def duration_ns(ns):
    """ns as people read it: ns, µs or ms."""
    if ns is None:
        return "n/a"
    if ns >= 1e6:
        return f"{fmt(ns / 1e6)} ms"
    if ns >= 1e3:
        return f"{fmt(ns / 1e3)} µs"
    return f"{fmt(ns)} ns"
