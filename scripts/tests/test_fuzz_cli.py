"""slotlab fuzz: bad input is one line and exit 2 before anything is built; the
libFuzzer output parser reads what the summary and the exit code rest on."""
import os
import sys

import pytest

from conftest import ROOT, slotlab

sys.path.insert(0, os.path.join(ROOT, "scripts"))
from slotlab_cli import fuzz, fuzz_mutants  # noqa: E402

BAD_FUZZ_INPUT = [
    (["--seconds", "0"], "--seconds must be positive"),
    (["--seconds", "ten"], "invalid float value"),
    (["--target", "nope"], "invalid choice: 'nope'"),
    (["--max-len", "1"], "--max-len must be at least 2"),
    (["--run-dir", "/nonexistent/run"], "--run-dir /nonexistent/run: no such directory"),
    (["--mutant", "adapter-insert-overwrites"], "--mutant needs --mutants"),
    (["--mutants", "--mutant", "nope"], "unknown mutant 'nope'"),
]


@pytest.mark.parametrize("args,message", BAD_FUZZ_INPUT)
def test_fuzz_bad_input_is_one_line_and_exit_2(args, message):
    proc = slotlab("fuzz", *args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert message in lines[0]


FINDING_LOG = """\
INFO: Seed: 1
#2\tINITED cov: 5244 ft: 7367 corp: 9/1080b exec/s: 0 rss: 38Mb
#1024\tpulse  cov: 8660 ft: 36603 corp: 587/56Kb lim: 246 exec/s: 256 rss: 154Mb
slotlab fuzz finding: robin, op 12 (erase_if): erase_if erased 3, the oracle 4
==1== ERROR: libFuzzer: deadly signal
artifact_prefix='/tmp/a/'; Test unit written to /tmp/a/crash-0123abcd
stat::number_of_executed_units: 1500
stat::peak_rss_mb: 154
"""


def test_parse_output_of_a_finding():
    out = fuzz.parse_output(FINDING_LOG)
    assert out["execs"] == 1500  # the final stats win over the last status line
    assert (out["cov"], out["ft"], out["corpus"]) == (8660, 36603, 587)
    assert out["reproducer"] == "/tmp/a/crash-0123abcd"
    assert out["finding"] == "robin, op 12 (erase_if): erase_if erased 3, the oracle 4"
    assert out["sanitizer"] == "libFuzzer: deadly signal"


def test_parse_output_of_a_sanitizer_report():
    out = fuzz.parse_output("==7==ERROR: AddressSanitizer: heap-use-after-free on address 0x1\n")
    assert out["sanitizer"].startswith("AddressSanitizer: heap-use-after-free")
    assert "finding" not in out and "reproducer" not in out


def test_target_options_come_from_the_options_file():
    options = fuzz.target_options("differential")
    assert any(o.startswith("-max_len=") for o in options)
    dict_flag = next(o for o in options if o.startswith("-dict="))
    assert os.path.isfile(dict_flag[len("-dict="):])


def test_every_target_has_a_committed_corpus_and_dictionary():
    for target in fuzz.TARGETS:
        assert os.listdir(fuzz.committed_corpus(target)), f"{target}: empty committed corpus"
        assert any(o.startswith("-dict=") for o in fuzz.target_options(target)), target


def test_every_mutant_says_what_bug_it_plants():
    names = fuzz_mutants.available()
    assert len(names) >= 8
    for name in names:
        assert len(fuzz_mutants.description(name)) > 20, name


def test_every_mutant_applies_to_the_tree_and_names_its_lanes():
    """A refactor of a mutated file must carry the patch along: a stale patch fails
    `fuzz --mutants` (and `slotlab run`'s mutants step) as "patch failed"."""
    import subprocess
    for name in fuzz_mutants.available():
        proc = subprocess.run(["patch", "-p1", "--dry-run", "--batch", "--forward", "--quiet", "-d", ROOT,
                               "-i", os.path.join(fuzz_mutants.MUTANTS_DIR, name + ".patch")],
                              capture_output=True, text=True)
        assert proc.returncode == 0, f"{name}: {proc.stdout}{proc.stderr}"
        assert fuzz_mutants.lanes(name), f"{name}: no '# lanes:' line"
