"""Reading a run directory's files. Every reader returns a Source: the parsed
value, or the reason it is absent (missing / malformed), always naming the file
relative to the run directory, so a section can say plainly what is missing."""
import csv
import json
import math
import os


class Malformed(Exception):
    """A result file exists but does not say what the layout contract promises."""


def _refuse_constant(name):
    raise ValueError(f"{name} is not a JSON number")


# No figure slotlab measures comes near this (bytes, ops, ns and 64-bit seeds all stay
# below 2e19); a number beyond it is corruption, and would overflow the page's
# arithmetic (ratios, percentages) into inf.
LARGEST = 1e30


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value) or abs(value) > LARGEST:
        raise ValueError(f"{text[:40]} is not a measurement (NaN, infinite or beyond 1e30)")
    return value


def _bounded_int(text):
    value = int(text)
    if abs(value) > LARGEST:
        raise ValueError(f"{text[:40]} is not a measurement (beyond 1e30)")
    return value


def parse_json(text):
    """Strict JSON: Python's parser accepts NaN and Infinity and reads 1e400 as
    infinity, none of which is JSON nor a figure; a file holding one is malformed."""
    return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float,
                      parse_int=_bounded_int)


class Source:
    def __init__(self, rel, value=None, problem=None, missing=False):
        self.rel = rel
        self.value = value
        self.problem = problem      # one sentence, names the file
        self.missing = missing      # absent (as opposed to present but unreadable)

    @property
    def ok(self):
        return self.problem is None


class RunDir:
    """One run directory; every path is relative to it."""

    def __init__(self, path):
        self.path = os.path.abspath(path)
        self.problems = []          # malformed files, reported on stderr as well

    def abspath(self, rel):
        return os.path.join(self.path, rel)

    def exists(self, rel):
        return os.path.isfile(self.abspath(rel))

    def listdir(self, rel):
        full = self.abspath(rel)
        return sorted(os.listdir(full)) if os.path.isdir(full) else []

    def _bad(self, rel, why):
        src = Source(rel, problem=f"{rel} is unreadable: {why}")
        self.problems.append(src.problem)
        return src

    def steps(self):
        """run.json's producer steps (written by `scripts/slotlab run`), or []."""
        if not hasattr(self, "_steps"):
            self._steps = []
            src = self.json("run.json", "scripts/slotlab run")
            if src.ok:
                steps = src.value.get("steps") if isinstance(src.value, dict) else None
                if not isinstance(steps, list) or not all(isinstance(s, dict) for s in steps):
                    self.note_malformed("run.json", "'steps' should be a list of objects")
                else:
                    self._steps = steps
        return self._steps

    def why_missing(self, rel, producer):
        """Why rel is absent: what run.json says about its producer, else how to make it."""
        for step in self.steps():
            if str(step.get("command", "")).startswith(producer):
                if step.get("status") == "skipped":
                    return f"no {rel} in this run: {step.get('reason', 'its producer was skipped')}"
                if step.get("status") == "failed":
                    return f"no {rel} in this run: `{producer}` failed, {step.get('reason', '')}"
                return f"no {rel} in this run, although `{producer}` ran and succeeded"
        return f"no {rel} in this run: run `{producer}`"

    def json(self, rel, producer):
        """producer: the command that writes rel, named in the 'missing' sentence."""
        if not self.exists(rel):
            return Source(rel, missing=True, problem=self.why_missing(rel, producer))
        try:
            with open(self.abspath(rel), encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as e:
            return self._bad(rel, str(e))
        if not text.strip():
            return self._bad(rel, "the file is empty (truncated?)")
        try:
            value = parse_json(text)
        except ValueError as e:
            return self._bad(rel, f"not valid JSON ({e})")
        return Source(rel, value=value)

    def csv(self, rel, required):
        """A CSV as a list of dicts, cells converted to float (empty cell -> None)."""
        try:
            with open(self.abspath(rel), encoding="utf-8", newline="") as f:
                reader = csv.DictReader(f)
                header = reader.fieldnames or []
                lacking = [c for c in required if c not in header]
                if lacking:
                    return self._bad(rel, f"no column {', '.join(lacking)} in the header")
                rows = []
                for lineno, raw in enumerate(reader, start=2):
                    if None in raw or any(v is None for v in raw.values()):
                        return self._bad(rel, f"line {lineno} has the wrong number of cells (truncated?)")
                    row = {}
                    for k, v in raw.items():
                        v = v.strip()
                        try:
                            row[k] = _finite_float(v) if v != "" else None
                        except ValueError:
                            return self._bad(rel, f"line {lineno}, column {k}: {v[:40]!r} is not a "
                                                  "measurement (a finite number within 1e30)")
                    rows.append(row)
        except (OSError, UnicodeDecodeError, csv.Error) as e:
            return self._bad(rel, str(e))
        if not rows:
            return self._bad(rel, "no data rows (truncated?)")
        return Source(rel, value=rows)

    def note_malformed(self, rel, why):
        problem = f"{rel} is unreadable: {why}"
        if problem not in self.problems:
            self.problems.append(problem)
        return problem


# Accessors for JSON values: a wrong shape raises Malformed naming the field.

def field(obj, key, rel, where=""):
    if not isinstance(obj, dict) or key not in obj:
        raise Malformed(f"{rel}: no field '{where + key}'")
    return obj[key]


def number(obj, key, rel, where="", optional=False, lo=None, hi=None):
    """A number field; lo/hi: the range a meaningful value lies in (a duration is not
    negative, a fraction not above 1)."""
    if optional and (not isinstance(obj, dict) or obj.get(key) is None):
        return None
    return _in_range(field(obj, key, rel, where), where + key, rel, lo, hi)


def _in_range(v, name, rel, lo, hi):
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise Malformed(f"{rel}: '{name}' should be a number, found {json.dumps(v)[:40]}")
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        bounds = f"at least {lo:g}" if hi is None else (f"at most {hi:g}" if lo is None
                                                         else f"between {lo:g} and {hi:g}")
        raise Malformed(f"{rel}: '{name}' should be {bounds}, found {json.dumps(v)[:40]}")
    return float(v)


def numbers(obj, key, rel, where="", lo=None, hi=None):
    """A list of numbers (a series, a list of checkpoints), each within lo/hi."""
    return [_in_range(v, f"{where}{key}[{i}]", rel, lo, hi)
            for i, v in enumerate(listing(obj, key, rel, where))]


def count(obj, key, rel, where="", optional=False, hi=None):
    """A count: a whole number, not negative; hi: at most this (a part of a total)."""
    if optional and (not isinstance(obj, dict) or obj.get(key) is None):
        return None
    v = field(obj, key, rel, where)
    if isinstance(v, bool) or not isinstance(v, int) or v < 0 or (hi is not None and v > hi):
        limit = "" if hi is None else f" up to {hi:,}"
        raise Malformed(f"{rel}: '{where + key}' should be a count (a whole number from 0{limit}), "
                        f"found {json.dumps(v)[:40]}")
    return v


def text(obj, key, rel, where="", default=None, required=False):
    """A string field; default when absent (or null), unless required."""
    v = obj.get(key) if isinstance(obj, dict) else None
    if v is None:
        if required:
            raise Malformed(f"{rel}: no field '{where + key}'")
        return default
    if not isinstance(v, str):
        raise Malformed(f"{rel}: '{where + key}' should be a string, found {json.dumps(v)[:40]}")
    return v


def mapping(obj, key, rel, where=""):
    v = field(obj, key, rel, where)
    if not isinstance(v, dict):
        raise Malformed(f"{rel}: '{where + key}' should be an object")
    return v


def listing(obj, key, rel, where=""):
    v = field(obj, key, rel, where)
    if not isinstance(v, list):
        raise Malformed(f"{rel}: '{where + key}' should be a list")
    return v


def strings(obj, key, rel, where="", optional=False):
    """A list of strings (names, paths); [] when optional and absent (or null)."""
    if optional and (not isinstance(obj, dict) or obj.get(key) is None):
        return []
    values = listing(obj, key, rel, where)
    for i, v in enumerate(values):
        if not isinstance(v, str):
            raise Malformed(f"{rel}: '{where}{key}[{i}]' should be a string, found {json.dumps(v)[:40]}")
    return values
