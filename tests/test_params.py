"""URL parameter parsers: every hostile value falls back to the default, never raises."""

from __future__ import annotations

from datetime import date, time

import pytest

from mapping import params

BBOX = (18.50, 42.25, 18.90, 42.58)  # west, south, east, north (the mini fixture's)
TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    "raw",
    [
        "NaN,NaN",
        "nan,18.7",
        "inf,inf",
        "-inf,18.7",
        "1e308,1e308",
        "91,181",
        "-91,18.7",
        "42.4,181",
        "0,0",
        "42.4",
        "42.4,18.7,3",
        "a,b",
        ",",
        "",
        " , ",
        "42.4;18.7",
        "1" * 1000 + ",18.7",
        "42.4,18.7" + " " * 100,
        "0x1p5,18.7",
        "\x00,\x1b",
    ],
)
def test_coordinate_refuses_what_is_not_a_point_in_the_area(raw):
    parsed = params.coordinate(raw, BBOX)
    assert parsed.value is None
    assert parsed.refused == bool(raw.strip())


def test_coordinate_reads_a_point_inside_the_area():
    assert params.coordinate("42.42467,18.77118", BBOX) == params.Parsed((42.42467, 18.77118))
    assert params.coordinate(" 42.4 , 18.7 ", BBOX).value == (42.4, 18.7)
    assert params.coordinate(["0,0", "42.4,18.7"], BBOX).value == (42.4, 18.7)  # last wins
    assert params.coordinate(None, BBOX) == params.Parsed(None)
    assert params.coordinate([], BBOX) == params.Parsed(None)


@pytest.mark.parametrize("raw", ["nan", "inf", "-inf", "1e308", "11", "-1", "x", "1" * 100])
def test_number_in_range(raw):
    assert params.number(raw, 0, 10, 5) == params.Parsed(5, refused=True)


def test_number_reads_finite_values_and_defaults_when_absent():
    assert params.number("2.5", 0, 10, 5) == params.Parsed(2.5)
    assert params.number(["1", "7"], 0, 10, 5).value == 7
    assert params.number(None, 0, 10, 5) == params.Parsed(5)


def test_date_window_is_two_years_back_five_ahead():
    assert params.date_window(TODAY) == (date(2024, 11, 28), date(2031, 11, 28))
    assert params.date_window(date(2028, 2, 29)) == (date(2026, 2, 28), date(2033, 2, 28))


@pytest.mark.parametrize(
    "raw",
    [
        "2026-13-45",
        "0001-01-01",
        "1677-09-21",
        "2262-04-12",
        "9999-12-31",
        "20261205",
        "2026-W49-1",
        "2026-12-5",
        "yesterday",
        "2026-12-05T10:00",
        "1" * 500,
    ],
)
def test_day_refuses_unreadable_and_far_dates(raw):
    assert params.day(raw, TODAY, TODAY) == params.Parsed(TODAY, refused=True)


def test_day_reads_iso_dates_in_the_window():
    assert params.day("2027-03-01", TODAY, TODAY) == params.Parsed(date(2027, 3, 1))
    assert params.day([], TODAY, TODAY) == params.Parsed(TODAY)


def test_day_range():
    one = date(2026, 12, 5)
    assert params.day_range(["2026-12-05"], TODAY).value == (one, one)
    assert params.day_range(["2026-12-31", "2026-12-05"], TODAY).value == (
        one,
        date(2026, 12, 31),
    )  # swapped
    assert params.day_range([], TODAY) == params.Parsed(None)
    for bad in (["2026-12-05", "0001-01-01"], ["x"], ["2026-12-01"] * 3, ["9999-12-31"]):
        assert params.day_range(bad, TODAY) == params.Parsed(None, refused=True)


@pytest.mark.parametrize("raw", ["25:99", "24:00", "abc", "10", "10:00:00:00", "1" * 100])
def test_clock_time_refuses(raw):
    assert params.clock_time(raw, time(10)) == params.Parsed(time(10), refused=True)


def test_clock_time_reads_hh_mm():
    assert params.clock_time("18:30", time(10)) == params.Parsed(time(18, 30))
    assert params.clock_time(None, time(10)) == params.Parsed(time(10))


def test_choice_takes_a_known_id_else_the_default():
    options = {"gate", "bus"}
    assert params.choice("bus", options, "gate") == params.Parsed("bus")
    assert params.choice(["bus", "nowhere"], options, "gate") == params.Parsed(
        "gate", refused=True
    )  # the last of a repeated parameter
    assert params.choice("<script>", options, "gate").refused
    assert params.choice([], options, "gate") == params.Parsed("gate")


def test_choices_keep_known_ids_once_and_fall_back_when_none_is_known():
    options = {"a", "b", "c"}
    assert params.choices(["b", "a", "b"], options, ["a", "b", "c"]) == params.Parsed(["b", "a"])
    assert params.choices(["b", "zzz"], options, ["a"]) == params.Parsed(["b"], refused=True)
    assert params.choices(["zzz"], options, ["a", "b"]) == params.Parsed(["a", "b"], refused=True)
    assert params.choices([""], options, ["a"]) == params.Parsed(["a"], refused=True)
    assert params.choices([], options, ["a"]) == params.Parsed(["a"])
    many = ["zzz"] * 10_000 + ["a"]
    assert params.choices(many, options, ["c"]).value == ["c"]  # only MAX_REPEATS read


def test_text_is_capped():
    assert params.text("durkovic") == params.Parsed("durkovic")
    long = "x" * (params.MAX_TEXT + 1)
    assert params.text(long) == params.Parsed("x" * params.MAX_TEXT, refused=True)
    assert params.text(None) == params.Parsed("")


def test_params_does_not_import_streamlit():
    import subprocess
    import sys

    code = "import mapping.params, sys; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_params_sits_low_in_the_stack():
    """Pages and the planning modules import params, never the other way round."""
    import subprocess
    import sys

    code = (
        "import mapping.params, sys; "
        "print(sorted(m for m in ('mapping.explore', 'mapping.coverage', 'mapping.render') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_proposals_are_bounded():
    values = [
        "42.4,18.7,museum,10-4",
        "42.4,18.7,nope,1",
        "99,18.7,museum,1",
        "nan,18.7,museum,1",
        "42.4,18.7,museum,13",
        "42.4,18.7,museum,0-4",
        "42.4,18.7,museum,",
        "x" * (params.MAX_PROPOSAL_TEXT + 1),
        "42.4,18.7,gallery,1.2",
    ]
    found = params.proposals(values, ["museum", "gallery"], BBOX)
    assert [(p.category, p.months) for p in found.value] == [
        ("museum", (10, 11, 12, 1, 2, 3, 4)),  # a run across the year end
        ("gallery", (1, 2)),
    ]
    assert found.refused
    good = params.proposals(["42.4,18.7,museum,1"], ["museum"], BBOX)
    assert good == params.Parsed([params.Proposal(42.4, 18.7, "museum", (1,))])


def test_proposals_stop_at_the_limit_and_read_back_their_own_text():
    many = params.proposals(["42.4,18.7,museum,1"] * 30, ["museum"], BBOX)
    assert len(many.value) == params.MAX_PROPOSALS and many.refused
    proposal = params.Proposal(42.423456, 18.7, "gallery", (6, 7, 8))
    back = params.proposals(params.proposal_text(proposal), ["gallery"], BBOX).value
    assert back == [params.Proposal(42.42346, 18.7, "gallery", (6, 7, 8))]
