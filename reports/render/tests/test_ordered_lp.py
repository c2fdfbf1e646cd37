"""The validation section's graveyard parts (sections/ordered_lp.py): each field of
validation/ordered_lp.json and graveyard_interval.json is checked when read; a bad one is
named (file and field), the other file's part still drawn."""

from markupsafe import escape

from reports.render.tests.test_report import corrupt, render, section

FILES = ("validation/ordered_lp.json", "validation/graveyard_interval.json")


def test_a_point_below_x_1_is_named_and_the_interval_sweep_still_drawn(fixture_file):
    run_dir = fixture_file(*FILES)
    corrupt(run_dir, FILES[0], lambda d: d["points"]["ordered_tombstone"][2].__setitem__("x", 0.5))
    html, err = render(run_dir)
    body = section(html, "validation")
    line = ("validation/ordered_lp.json is unreadable: 'points.ordered_tombstone[2].x' should be "
            "at least 1, found 0.5")
    assert line in err.splitlines() and str(escape(line)) in body
    assert "could not be drawn" not in body
    assert 'aria-label="probes per operation vs x"' not in body
    assert 'aria-label="graveyard rebuild interval sweep"' in body


def test_a_map_name_that_is_not_a_string_and_an_acceptance_value_that_is_not_a_number(fixture_file):
    run_dir = fixture_file(*FILES)
    corrupt(run_dir, FILES[0], lambda d: d["maps"].__setitem__(0, {"name": "backshift"}))
    corrupt(run_dir, FILES[1], lambda d: d["sweep"]["graveyard"]["0.95"].clear())
    _, err = render(run_dir)
    assert ("validation/ordered_lp.json is unreadable: 'maps[0]' should be a string, "
            'found {"name": "backshift"}') in err.splitlines()
    assert ("validation/graveyard_interval.json is unreadable: 'sweep.graveyard.0.95' is empty"
            in err.splitlines())
    run_dir = fixture_file(*FILES)
    corrupt(run_dir, FILES[0], lambda d: d["acceptance"][1].__setitem__("value", "1.0"))
    _, err = render(run_dir)
    assert ("validation/ordered_lp.json is unreadable: 'acceptance[1].value' should be a number, "
            'found "1.0"') in err.splitlines()


def test_a_zero_pair_time_is_no_division_by_zero(fixture_file):
    """The fastest c at 0 ns (a clock that did not tick) is shown, not divided by; both
    parts are drawn."""
    run_dir = fixture_file(*FILES)
    corrupt(run_dir, FILES[1], lambda d: d["sweep"]["graveyard"]["0.5"][1].__setitem__("pair_ns", 0))
    html, err = render(run_dir)
    body = section(html, "validation")
    assert "unreadable" not in err and "could not be drawn" not in body
    assert "graveyard at load 0.5: fastest at c = 1 (0 ns/pair" in body
    assert 'aria-label="probes per operation vs x"' in body
    assert 'aria-label="graveyard rebuild interval sweep"' in body
    assert "<span class=\"sub\">Θ(x²)</span>" in body  # a class is one line under its exponent
