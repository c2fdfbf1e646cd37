#!/usr/bin/python3
"""Summarises libFuzzer's -print_coverage=1 output per function, template
arguments folded away, so "did the fuzzer reach X" has a one-line answer:

  build/fuzz/fuzz/fuzz_differential -runs=0 -print_coverage=1 CORPUS 2>&1 |
      fuzz/coverage_summary.py evacuate shift_back_into rebuild_in_place

prints, per matching function: instantiations covered / seen, edges covered /
total summed over instantiations. No pattern: every function of maps/.
"""
import re
import sys


def strip_templates(name):
    out, depth = [], 0
    for ch in name:
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def main(patterns):
    funcs = {}
    line_re = re.compile(r"^(COVERED_FUNC|UNCOVERED_FUNC): hits: (\d+) edges: (\d+)/(\d+) (.*?) /")
    for line in sys.stdin:
        m = line_re.match(line)
        if not m:
            continue
        kind, _, covered, total, name = m.groups()
        name = re.sub(r"\(.*", "", strip_templates(name)).strip()
        if "slotlab::" not in name:
            continue
        if patterns and not any(p in name for p in patterns):
            continue
        f = funcs.setdefault(name, [0, 0, 0, 0])
        f[0] += kind == "COVERED_FUNC"
        f[1] += 1
        f[2] += int(covered)
        f[3] += int(total)
    for name, (inst_cov, inst, covered, total) in sorted(funcs.items()):
        print(f"{name}: {inst_cov}/{inst} instantiations, {covered}/{total} edges")
    return 0 if funcs else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
