"""--with-map: a header of your own joins the registry in a build of its own; a
broken one is its compiler's first error plus one line naming it (exit 2); a bug
planted in the example map is caught by its fuzz lane; fuzz --maps checks names.

The builds are keyed by header path, so the headers written here keep fixed
paths under build/user-maps-test/ and are rewritten only when their text
changes: a second run rebuilds nothing. Cold, the planted-bug fuzz build is the
long part (one ASan lane, ~1-2 min on 2 cores); warm, this file takes ~15 s."""
import os

import pytest

from conftest import ROOT, slotlab

from slotlab_cli import user_maps  # noqa: E402

SCRATCH = os.path.join(ROOT, "build", "user-maps-test")
EXAMPLE = os.path.join(ROOT, user_maps.EXAMPLE)
# The example with quadratic probing's classic bug: erase marks the slot empty
# instead of a tombstone, which cuts the probe sequences passing through it.
PLANTED = ("    state_[i] = kTombstone;\n", "    state_[i] = kEmpty;\n")


def write_if_changed(name, text):
    os.makedirs(SCRATCH, exist_ok=True)
    path = os.path.join(SCRATCH, name)
    if not os.path.exists(path) or open(path).read() != text:
        with open(path, "w") as f:
            f.write(text)
    return path


def only_example():
    return dict(os.environ, **{user_maps.ONLY_MAPS_ENV: user_maps.EXAMPLE_MAP})


def test_with_map_missing_file_is_one_line_exit_2():
    proc = slotlab("trace", "--with-map", "examples/nope.hpp", "--map", "x")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "slotlab: --with-map examples/nope.hpp: no such file"


def test_broken_header_shows_the_first_error_and_names_the_file():
    text = open(EXAMPLE).read().replace("using map = QuadraticMap<K, V, Hash, Eq>;",
                                        "using map = QuadraticMap<K, V, Hash, Eq>  // missing ;")
    path = write_if_changed("quadratic_broken.hpp", text)
    proc = slotlab("trace", "--with-map", path, "--map", "quadratic", env=only_example())
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert any("error:" in line and "quadratic_broken.hpp" in line for line in lines), proc.stderr
    assert lines[-1].startswith("slotlab: --with-map build/user-maps-test/quadratic_broken.hpp: does not "
                                "compile as a strategy header"), lines[-1]
    assert len(lines) <= 25 and "Traceback" not in proc.stderr


def test_first_error_keeps_the_include_chain_and_stops_at_the_next_error():
    log = ("[ 50%] Building CXX object maps/CMakeFiles/x.dir/extra_check.cpp.o\n"
           "In file included from /r/maps/registry.hpp:35,\n"
           "                 from /r/maps/extra_check.cpp:10:\n"
           "/u/my.hpp:3:1: error: expected ';' before '}' token\n"
           "    3 | }\n"
           "/u/my.hpp:9:1: error: something else\n")
    block = user_maps.first_error(log)
    assert block[0].startswith("In file included from") and block[2].startswith("/u/my.hpp:3:1: error")
    assert block[-1] == "    3 | }"
    assert user_maps.header_at_fault(block, ["/other.hpp", "/u/my.hpp"]) == "/u/my.hpp"


def test_fuzz_maps_unknown_name_is_exit_2():
    proc = slotlab("fuzz", "--with-map", user_maps.EXAMPLE, "--maps", "quadratic,nope", "--seconds", "1",
                   env=only_example())
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1] == \
        "slotlab: --maps: unknown map 'nope'; valid maps: quadratic"


def test_planted_bug_in_the_example_is_caught_by_its_fuzz_lane(tmp_path):
    text = open(EXAMPLE).read()
    assert text.count(PLANTED[0]) == 1, "the example's erase changed: update PLANTED"
    path = write_if_changed("quadratic_planted.hpp", text.replace(*PLANTED))
    proc = slotlab("fuzz", "--with-map", path, "--maps", "quadratic", "--target", "differential",
                   "--seconds", "60", "--jobs", "1", "--run-dir", str(tmp_path), env=only_example())
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "slotlab fuzz: differential: finding" in proc.stderr
    assert "quadratic, op" in proc.stderr, "the finding names the example's lane"
