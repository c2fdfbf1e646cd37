"""The seed section (sections/seed.py) reads four files of `scripts/slotlab seed`; each
field it draws is checked when read: a bad one is named (file and field) on the page and
among the problems, and the parts drawn from the other three files still show."""

from markupsafe import escape

from reports.render.tests.test_report import corrupt, render, section

FILES = ("validation/seed_claims.json", "validation/seed_go.json", "validation/go_race.json",
         "bench/stale_pointer.json")
GO_FILES = FILES[:3]  # without the stale-pointer figure: the slow part of a render


def named(body, err, rel, why):
    """The one problem line: on stderr's list and, escaped, on the page."""
    line = f"{rel} is unreadable: {why}"
    assert line in err.splitlines(), err
    assert str(escape(line)) in body
    return line


def test_a_share_that_is_not_a_number_is_named_and_the_rest_still_drawn(fixture_file):
    run_dir = fixture_file(*FILES)
    corrupt(run_dir, "bench/stale_pointer.json",
            lambda d: d["maps"]["absl"]["shares"]["poisoned"].__setitem__(3, "most"))
    html, err = render(run_dir)
    body = section(html, "seed")
    named(body, err, "bench/stale_pointer.json",
          "'maps.absl.shares.poisoned[3]' should be a number, found \"most\"")
    assert "could not be drawn" not in body
    assert "The post&#39;s claims, one by one" in body and "The race detector" in body
    assert "what a stale pointer sees" not in body and "<svg" not in body


def test_shares_that_do_not_add_up_to_one_are_refused(fixture_file):
    run_dir = fixture_file(*FILES)
    corrupt(run_dir, "bench/stale_pointer.json",
            lambda d: d["maps"]["robin"]["shares"]["dead_value"].__setitem__(0, 0.9))
    html, err = render(run_dir)
    named(section(html, "seed"), err, "bench/stale_pointer.json",
          "'maps.robin.shares' add up to 1.29, not 1, at checkpoint 0")


def test_more_races_than_runs_is_named_and_the_go_answer_stays(fixture_file):
    run_dir = fixture_file(*GO_FILES)
    corrupt(run_dir, "validation/go_race.json",
            lambda d: d["generations"]["classic"]["cells"]["unsync"]["race"].__setitem__("data race", 25))
    html, err = render(run_dir)
    body = section(html, "seed")
    named(body, err, "validation/go_race.json",
          "'generations.classic.cells.unsync.race.data race' should be a count "
          "(a whole number from 0 up to 20), found 25")
    assert "Can a deleted slot be reused?" in body       # from seed_go.json
    assert "Can the race detector catch" not in body and "The race detector," not in body


def test_a_race_cell_the_answer_quotes_must_be_there(fixture_file):
    run_dir = fixture_file(*GO_FILES)
    corrupt(run_dir, "validation/go_race.json",
            lambda d: d["generations"]["swiss"]["cells"].pop("gosched"))
    html, err = render(run_dir)
    named(section(html, "seed"), err, "validation/go_race.json",
          "no field 'generations.swiss.cells.gosched.race'")


def test_a_chapter1_count_that_is_not_a_count_is_named(fixture_file):
    run_dir = fixture_file(*GO_FILES)
    corrupt(run_dir, "validation/seed_go.json",
            lambda d: d["generations"]["swiss"]["probe"]["chapter1"].__setitem__("same_slot", 2.5))
    html, err = render(run_dir)
    body = section(html, "seed")
    named(body, err, "validation/seed_go.json",
          "'generations.swiss.probe.chapter1.same_slot' should be a count "
          "(a whole number from 0 up to 1,000), found 2.5")
    assert "Can a deleted slot be reused?" not in body
    assert "Can the race detector catch" in body         # from go_race.json


def test_a_not_testable_generation_is_no_error(fixture_file):
    """"not testable here" (no toolchain) is a legitimate shape: no problem, the other
    generation still answers, the race table says why."""
    run_dir = fixture_file(*GO_FILES)
    reason = "no Go toolchain with the classic map (Go 1.19-1.23)"
    corrupt(run_dir, "validation/seed_go.json", lambda d: d["generations"].__setitem__(
        "classic", {"status": "not testable here", "reason": reason, "go_version": None}))
    corrupt(run_dir, "validation/go_race.json", lambda d: d["generations"].__setitem__(
        "classic", {"status": "not testable here", "reason": reason, "go_version": None}))
    html, err = render(run_dir)
    body = section(html, "seed")
    assert "unreadable" not in err and "Unreadable" not in body
    assert "1000/1000 fresh maps on go1.26.8." in body and "go1.19.8: it reported" not in body
    assert f'<td class="na">{escape(reason)}</td>' in body


def test_a_claim_naming_a_file_by_a_number_is_named(fixture_file):
    run_dir = fixture_file(*FILES)
    corrupt(run_dir, "validation/seed_claims.json", lambda d: d[2].__setitem__("files", [7]))
    html, err = render(run_dir)
    body = section(html, "seed")
    named(body, err, "validation/seed_claims.json", "'[2].files[0]' should be a string, found 7")
    assert "The post&#39;s claims, one by one" not in body
    assert "stale pointer sees" in body
