"""The members' analysis (the package mapping/members/) against hand-computed answers.

The fixture ``tests/fixtures/members`` puts every point at a known offset in metres (in
the town's metric CRS, EPSG:32634) from the landmark ``gate``; the walk model is the
straight line × 1.3 at 4.5 km/h, i.e. 75 m per minute, so ``minutes = metres × 1.3 / 75``.

=======  =========  ==========  ===========  =======================================
id       category   offset (m)  precision    what it is for
=======  =========  ==========  ===========  =======================================
gate     landmark   (0, 0)      entry point  start of the near list
port     landmark   (1000, 0)   entry point  a second entry point
square   landmark   (0, 1000)   —            not an entry point: never a near list
gal-a    gallery    (100, 0)    exact        complete record (score 100), a member
gal-b    gallery    (300, 0)    approximate  hours unknown, prospective, "limited"
mus-c    museum     (100, 400)  exact        open May–Sep only; checked 365 days ago
org-d    atelier    (-150, 0)   exact        an office (visit = no), a member
atl-e    atelier    (-500,-500) settlement   placed only at its settlement
mus-f    museum     (200, -700) exact        boat only
gal-g    gallery    (700, 0)    approximate  just beyond 10 min of gal-a
=======  =========  ==========  ===========  =======================================

"Today" is Monday 2 March 2026 (off-season), so the sample moments are Wednesday 4 and
Saturday 7 March 2026 and Wednesday 5 and Saturday 1 August 2026.
"""

from __future__ import annotations

import ast
import json
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from mapping import explore, i18n, members
from mapping.io import Dataset, load_dataset
from mapping.query import VenueFilter
from mapping.schema import in_cluster

from .conftest import SECOND_TOWN, TESTS, YEAR, writable_copy

FOLDER = TESTS / "fixtures" / "members"
TODAY = date(2026, 3, 2)
TZ = ZoneInfo("Europe/Podgorica")
M_PER_MIN = 75 / 1.3  # straight-line metres per minute of walking


def minutes(metres: float) -> float:
    return metres / M_PER_MIN


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load_dataset(FOLDER, year=YEAR)


# --------------------------------------------------------------------------- completeness


def test_weights_sum_to_100_and_every_check_is_worded(data):
    assert sum(rule.weight for rule in members.CHECKS) == 100
    assert len(set(members.CHECK_KEYS)) == len(members.CHECKS)
    for lang in i18n.available_languages():
        for key in members.CHECK_KEYS:
            label, why = members.check_texts(key, lang, data.city)
            assert label and why
            assert "{" not in label + why


EXPECTED_FAILED = {
    # id: (score, checks failed) — by hand from the fixture's records and TODAY
    "gal-a": (100, set()),
    "gal-b": (
        5,
        {
            "opening_hours",
            "visitor_description",
            "off_season_hours",
            "contact",
            "exact_location",
            "recently_checked",
            "events",
        },
    ),
    "mus-c": (75, {"off_season_hours", "events"}),  # checked 2025-03-02: exactly 365 days
    # an office (visit = no): hours, off-season hours and wheelchair do not apply, so
    # the score is over 60 points, of which it earns contact 15 + exact location 10
    "org-d": (42, {"visitor_description", "recently_checked", "events"}),
    "atl-e": (50, {"contact", "exact_location", "recently_checked", "events", "wheelchair"}),
    "mus-f": (60, {"visitor_description", "recently_checked", "events", "wheelchair"}),
    "gal-g": (
        35,
        {
            "visitor_description",
            "contact",
            "exact_location",
            "recently_checked",
            "events",
            "wheelchair",
        },
    ),
}


@pytest.mark.parametrize("venue_id", sorted(EXPECTED_FAILED))
def test_completeness_by_hand(data, venue_id):
    score, failed = EXPECTED_FAILED[venue_id]
    found = members.completeness(data, venue_id, TODAY)
    assert found.score == score
    assert {c.key for c in found.missing} == failed
    assert [c.key for c in found.checks] == list(members.CHECK_KEYS)
    weights = [c.weight for c in found.missing]
    assert weights == sorted(weights, reverse=True)


def test_completeness_table_agrees_with_the_scalar_answer(data):
    table = members.completeness_table(data, TODAY)
    applies = [members.applies_column(key) for key in members.CHECK_KEYS]
    assert list(table.columns) == ["id", "score", *members.CHECK_KEYS, *applies]
    assert dict(zip(table["id"], table["score"], strict=True)) == {
        k: v[0] for k, v in EXPECTED_FAILED.items()
    }
    for row in table.itertuples(index=False):
        failed = {
            key
            for key in members.CHECK_KEYS
            if not getattr(row, key) and getattr(row, members.applies_column(key))
        }
        assert failed == EXPECTED_FAILED[row.id][1]
        scalar = members.completeness(data, row.id, TODAY)
        assert {c.key for c in scalar.checks if not c.applies} == {
            key for key in members.CHECK_KEYS if not getattr(row, members.applies_column(key))
        }


def test_checks_about_a_visit_do_not_apply_to_a_place_visitors_cannot_visit(data):
    """Issue 20 item 7: ``visit = no`` neither earns nor loses the hours points."""
    found = members.completeness(data, "org-d", TODAY)
    skipped = {c.key: c.why_not for c in found.checks if not c.applies}
    assert skipped == dict.fromkeys(
        ("opening_hours", "off_season_hours", "wheelchair"), "members.not_applicable.visit_no"
    )
    assert {rule.key for rule in members.CHECKS if rule.visitors_only} == set(skipped)
    assert sum(c.weight for c in found.applicable) == 60
    for lang in i18n.available_languages():
        assert i18n.t(skipped["wheelchair"], lang)
        assert "60" in i18n.plural("members.score_over", lang, 5, points=60)


def test_a_town_without_off_season_does_not_ask_for_off_season_hours(data):
    town = replace(data, city=replace(data.city, off_season_months=()))
    found = members.completeness(town, "mus-c", TODAY)
    [skipped] = [c for c in found.checks if not c.applies]
    assert (skipped.key, skipped.why_not) == (
        "off_season_hours",
        "members.not_applicable.no_off_season",
    )
    assert found.score == 88  # 75 of 85: only "events" (10) missing now
    table = members.completeness_table(town, TODAY).set_index("id")
    assert table.loc["mus-c", "score"] == 88
    assert not table[members.applies_column("off_season_hours")].any()


def test_score_of_rounds_half_up_and_nothing_applicable_is_complete():
    assert list(members.score_of([25, 0, 85, 0], [60, 100, 100, 0])) == [42, 0, 85, 100]
    assert list(members.score_of([1], [8])) == [13]  # 12.5 → 13


EVENT_ROWS = """\
old-show,Stara izložba,,,,exhibition,mus-c,2022-05-01,2022-05-20,true,,,,,,fixture
weekly-talk,Razgovor,,,,exhibition,gal-b,2020-01-06T18:00,2020-01-06T19:00,true,weekly,,,,,fixture
fest-tbc,Festival,,,,exhibition,gal-g,2025-07-01,2025-07-31,false,annual,,,,,fixture
too-far,Daleko,,,,exhibition,mus-f,2027-04-01,2027-04-02,true,,,,,,fixture
in-time,Na vrijeme,,,,exhibition,atl-e,2027-02-28,2027-02-28,true,,,,,,fixture
"""


def test_events_listed_means_an_event_in_the_next_12_months(tmp_path):
    """Issue 20 item 7: the calendar's own expansion decides; a one-off from 2022 or one
    13 months ahead does not count, a weekly series or an annual window does."""
    folder = writable_copy(FOLDER, tmp_path / "town")
    with (folder / "events.csv").open("a", encoding="utf-8") as out:
        out.write(EVENT_ROWS)
    town = load_dataset(folder, year=YEAR)
    assert members.event_venue_ids(town, TODAY) == {"gal-a", "gal-b", "gal-g", "atl-e"}
    table = members.completeness_table(town, TODAY).set_index("id")
    assert set(table.index[table["events"]]) == {"gal-a", "gal-b", "gal-g", "atl-e"}
    assert not members.completeness(town, "mus-c", TODAY).checks[6].passed
    # a year later the spring show of 2026 is past, the series and the window go on
    later = members.event_venue_ids(town, date(2027, 3, 1))
    assert later == {"gal-b", "gal-g", "mus-f"}


def test_a_check_a_day_too_old_fails(data):
    day_later = members.completeness(data, "mus-c", date(2026, 3, 3))
    assert not next(c for c in day_later.checks if c.key == "recently_checked").passed


def test_unknown_venue_is_named(data):
    with pytest.raises(members.UnknownVenueError, match="no venue with id 'nope'"):
        members.completeness(data, "nope", TODAY)


def without_english(source: Path, target: Path) -> Path:
    """A copy of ``source`` whose second language is German instead of English: every
    ``*_en`` column is renamed ``*_de`` (the texts stay as they are: only which column
    is asked for matters here)."""
    folder = writable_copy(source, target)
    toml = folder / "city.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('"en"]', '"de"]'), encoding="utf-8")
    for table in folder.glob("*.csv"):
        header, _, rows = table.read_text(encoding="utf-8").partition("\n")
        table.write_text(header.replace("_en", "_de") + "\n" + rows, encoding="utf-8")
    for layer in folder.glob("*.geojson"):
        doc = json.loads(layer.read_text(encoding="utf-8"))
        for feature in doc["features"]:
            feature["properties"] = {
                key.removesuffix("_en") + "_de" if key.endswith("_en") else key: value
                for key, value in feature["properties"].items()
            }
        layer.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return folder


def test_the_visitors_language_is_the_first_after_the_towns_own(kotor, data):
    assert kotor.city.languages == ("me", "en", "de")
    assert members.visitor_language(kotor.city) == "en"
    one_language = replace(data.city, languages=("me",), default_language="me")
    assert members.visitor_language(one_language) == "me"


def test_a_town_without_english_scores_its_visitors_language(tmp_path):
    """Novo Izmišljeno with German instead of English: the description check asks for
    German, so a venue described in it scores those points, and the texts say "DE"."""
    town = load_dataset(without_english(SECOND_TOWN, tmp_path / "town"), year=YEAR)
    assert "en" not in town.city.languages
    assert members.visitor_language(town.city) == "de"
    table = members.completeness_table(town, TODAY).set_index("id")
    has_text = (members.text_column(town.venues, "description_de") != "").to_numpy()
    described = set(town.venues["id"][has_text])
    assert described == {"galerija-zora"}
    assert set(table.index[table["visitor_description"]]) == described
    as_shipped = members.completeness_table(load_dataset(SECOND_TOWN, year=YEAR), TODAY)
    assert list(table["score"]) == list(as_shipped["score"])  # same records, other language
    label, why = members.check_texts("visitor_description", "en", town.city)
    assert "(DE)" in label and "DE" in why


# --------------------------------------------------------------------------- who can find me


def test_sample_moments_are_the_next_typical_days(data):
    moments = members.sample_moments(data.city, TODAY)
    assert [(m.season, m.day, m.moment) for m in moments] == [
        ("off_season", "weekday", datetime(2026, 3, 4, 11, 0, tzinfo=TZ)),
        ("off_season", "saturday", datetime(2026, 3, 7, 18, 0, tzinfo=TZ)),
        ("peak", "weekday", datetime(2026, 8, 5, 11, 0, tzinfo=TZ)),
        ("peak", "saturday", datetime(2026, 8, 1, 18, 0, tzinfo=TZ)),
    ]


def test_sample_moments_skip_public_holidays(data):
    # Montenegro's Statehood Day is 13-14 July; Wednesday 15 July is an ordinary day.
    moments = members.sample_moments(data.city, date(2026, 7, 13))
    assert moments[2].moment.date() == date(2026, 8, 5)
    assert members.is_holiday(date(2026, 7, 13), data.city)
    assert not members.is_holiday(date(2026, 7, 15), data.city)


def _next_day_by_walking(start: date, weekday: int, months: tuple[int, ...], city) -> date:
    """The rule of :func:`members.sample_moments` the slow obvious way: day by day."""
    day = start
    while not (
        day.weekday() == weekday and day.month in months and not members.is_holiday(day, city)
    ):
        day += timedelta(days=1)
    return day


@pytest.mark.parametrize(
    "today",
    [date(2026, 12, 1), date(2026, 12, 28), date(2026, 12, 31), date(2027, 1, 1), date(2027, 4, 29)]
    + [date(2026, 1, 1) + timedelta(days=d) for d in range(0, 365, 23)],
)
def test_sample_moments_run_across_the_year_end(data, today):
    """Kotor's off-season runs October–April: the next sample days are found across the
    year end, and agree with a day-by-day search."""
    moments = members.sample_moments(data.city, today)
    seasons = {"off_season": data.city.off_season_months, "peak": (8,)}
    for sample in moments:
        weekday = sample.moment.weekday()
        months = tuple(seasons[sample.season])
        day = _next_day_by_walking(today, weekday, months, data.city)
        assert sample.moment.date() == day
        assert sample.moment.tzinfo == TZ


def test_sample_moments_in_december_reach_into_january(data):
    moments = members.sample_moments(data.city, date(2026, 12, 31))  # a Thursday
    # 1-2 January are public holidays in Montenegro: Saturday the 2nd is skipped.
    assert [m.moment.date() for m in moments[:2]] == [date(2027, 1, 6), date(2027, 1, 9)]


def _by_view(findings: tuple[members.Finding, ...], view: str) -> list[members.Finding]:
    return [f for f in findings if f.view == view]


OPEN_STATES = {
    # id: states at (off-season Wed 11:00, off-season Sat 18:00, Aug Wed 11:00, Aug Sat 18:00)
    "gal-a": ("yes", "yes", "yes", "yes"),  # Mo-Sa 10-19
    "gal-b": ("unknown",) * 4,  # no hours: never "no"
    "mus-c": ("no", "no", "yes", "yes"),  # May-Sep Tu-Su 09-20
    "org-d": ("no",) * 4,  # an office (visit = no), though Mo-Fr 09-17
    "atl-e": ("yes", "no", "yes", "no"),  # Mo-Fr 10-14
    "mus-f": ("no", "no", "yes", "no"),  # Apr-Oct 09-17
}


@pytest.mark.parametrize("venue_id", sorted(OPEN_STATES))
def test_open_now_at_the_sample_moments(data, venue_id):
    found = _by_view(members.findability(data, venue_id, TODAY, "en"), members.VIEW_OPEN)
    assert tuple(f.state for f in found) == OPEN_STATES[venue_id]
    assert [f.params["moment"] for f in found] == [
        m.moment for m in members.sample_moments(data.city, TODAY)
    ]


def test_unknown_hours_are_never_no(data):
    found = _by_view(members.findability(data, "gal-b", TODAY, "en"), members.VIEW_OPEN)
    assert len(found) == len(members.sample_moments(data.city, TODAY)) == 4
    for f in found:
        assert f.state == "unknown"
        assert f.reason_key == "members.reason.hours_unknown_then"


def test_an_office_is_left_out_of_open_results_with_its_reason(data):
    found = _by_view(members.findability(data, "org-d", TODAY, "en"), members.VIEW_OPEN)
    assert {f.reason_key for f in found} == {"members.reason.not_visitable_open"}
    closed = _by_view(members.findability(data, "mus-c", TODAY, "en"), members.VIEW_OPEN)[0]
    assert closed.reason_key == "members.reason.closed_then"


def test_open_answers_match_explore_with_a_time_filter(data):
    """What the page promises is what Explore lists ("open now", organisations hidden)."""
    for sample in members.sample_moments(data.city, TODAY):
        shown = explore.filtered(data, explore.sidebar_filter(data, open_at=sample.moment), "en")
        said = {
            v
            for v in data.venues["id"]
            if any(
                f.state == "yes" and f.params["moment"] == sample.moment
                for f in _by_view(members.findability(data, v, TODAY, "en"), members.VIEW_OPEN)
            )
        }
        assert said == set(shown["id"])


def test_category_members_and_wheelchair_views(data):
    def states(venue_id: str) -> dict[str, tuple[str, str]]:
        return {
            f.view: (f.state, f.reason_key)
            for f in members.findability(data, venue_id, TODAY, "en")
            if f.view in (members.VIEW_CATEGORY, members.VIEW_MEMBERS, members.VIEW_WHEELCHAIR)
        }

    assert states("gal-a") == {
        "category_layer": ("yes", "members.reason.category_layer"),
        "members_only": ("yes", "members.reason.member"),
        "wheelchair": ("yes", "members.reason.wheelchair_yes"),
    }
    assert states("gal-b")["members_only"] == ("yes", "members.reason.prospective")
    assert states("gal-b")["wheelchair"] == ("yes", "members.reason.wheelchair_limited")
    assert states("mus-c")["members_only"] == ("no", "members.reason.not_in_cluster")
    assert states("mus-c")["wheelchair"] == ("no", "members.reason.wheelchair_no")
    assert states("org-d")["wheelchair"] == ("no", "members.reason.wheelchair_unknown")


NEAR = {
    # id: ((state, rank, reason) from gate, the same from port)
    # gate: gal-a 100 m, gal-b 300 m, mus-c 412 m, gal-g 700 m; then boat, then settlement
    # port: gal-g 300 m, gal-b 700 m, gal-a 900 m, mus-c 985 m
    "gal-a": (("yes", 1, "members.reason.near_rank"), ("yes", 3, "members.reason.near_rank")),
    "gal-b": (("yes", 2, "members.reason.near_rank"), ("yes", 2, "members.reason.near_rank")),
    "mus-c": (("yes", 3, "members.reason.near_rank"), ("yes", 4, "members.reason.near_rank")),
    "gal-g": (("yes", 4, "members.reason.near_rank"), ("yes", 1, "members.reason.near_rank")),
    "mus-f": (("yes", None, "members.reason.near_boat"),) * 2,
    "atl-e": (("yes", None, "members.reason.near_unplaced"),) * 2,
    "org-d": (("no", None, "members.reason.near_not_visitable"),) * 2,
}


@pytest.mark.parametrize("venue_id", sorted(NEAR))
def test_near_list_from_each_entry_point(data, venue_id):
    found = _by_view(members.findability(data, venue_id, TODAY, "en"), members.VIEW_NEAR)
    assert [f.params["start"] for f in found] == ["gate", "port"]  # square is no entry point
    assert tuple((f.state, f.rank, f.reason_key) for f in found) == NEAR[venue_id]


def test_near_reasons_carry_their_numbers(data):
    gal_a = _by_view(members.findability(data, "gal-a", TODAY, "en"), members.VIEW_NEAR)[0]
    assert gal_a.reason_params == {"rank": 1, "count": 4, "minutes": round(minutes(100))}
    boat = _by_view(members.findability(data, "mus-f", TODAY, "en"), members.VIEW_NEAR)[0]
    assert boat.reason_params == {"count": 4, "position": 5}
    unplaced = _by_view(members.findability(data, "atl-e", TODAY, "en"), members.VIEW_NEAR)[0]
    assert unplaced.reason_params == {"count": 5, "position": 6}


def test_ranks_are_explores_own_list(data):
    listed, left_out = explore.nearest_first(
        data,
        explore.sidebar_filter(data),
        "en",
        (float(data.places.geometry.y.iloc[0]), float(data.places.geometry.x.iloc[0]), "Vrata"),
        True,
    )
    assert list(listed["id"]) == ["gal-a", "gal-b", "mus-c", "gal-g", "mus-f", "atl-e"]
    assert left_out == 1


def test_explores_filter_policy_has_one_home(data):
    """What Explore opens with, and what a time does: the members' answers use this."""
    every = tuple(data.categories["id"])
    assert explore.sidebar_filter(data) == VenueFilter(categories=every, text="")
    moment = datetime(2026, 3, 4, 11, 0, tzinfo=TZ)
    timed = explore.sidebar_filter(data, open_at=moment)
    assert timed == VenueFilter(categories=every, open_at=moment, visitable_only=True)
    # a search hit always shows, and so does an organisation the visitor asked for
    assert not explore.sidebar_filter(data, open_at=moment, text="galerija").visitable_only
    assert not explore.sidebar_filter(data, open_at=moment, include_orgs=True).visitable_only
    assert explore.sidebar_filter(data, ["gallery"]).categories == ("gallery",)


def test_no_second_copy_of_explores_filter_policy():
    """Explore's page and the members' analysis build their filters with
    explore.sidebar_filter; neither writes a VenueFilter of its own."""
    root = Path(explore.__file__ or "").parents[1]
    sources = [root / "pages" / "explore_page.py", *(root / "mapping" / "members").glob("*.py")]
    for source in sources:
        calls = [
            node
            for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
            if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("VenueFilter")
        ]
        assert calls == [], source


def test_a_category_the_map_does_not_know_is_said_so(data):
    venues = data.venues.copy()
    venues.loc[venues["id"] == "gal-g", "category"] = "no-such-category"
    other = replace(data, venues=venues)
    found = members.findability(other, "gal-g", TODAY, "en")
    assert {
        (f.view, f.state) for f in found if f.reason_key == "members.reason.unknown_category"
    } == {
        ("open_at", "no"),
        ("category_layer", "no"),
        ("members_only", "no"),
        ("wheelchair", "no"),
        ("near", "no"),
    }
    rows = members.proximity(other, "gal-g", "en").entry_points
    assert set(rows["reason_key"]) == {"members.reason.unknown_category"}


def test_every_reason_the_package_names_is_in_the_catalogues():
    package = Path(members.__file__ or "").parent
    named = {
        node.value
        for module in package.glob("*.py")
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.startswith("members.reason.")
    }
    assert named
    for lang in i18n.available_languages():
        assert sorted(named - set(i18n.catalogue(lang))) == []


@pytest.mark.parametrize("lang", i18n.available_languages())
def test_every_finding_has_words(data, lang):
    for venue_id in data.venues["id"]:
        for finding in members.findability(data, venue_id, TODAY, lang):
            view, state, reason = members.finding_text(data, finding, lang)
            assert view and state and reason
            assert "{" not in view + reason


def test_finding_text_in_english(data):
    found = members.findability(data, "gal-a", TODAY, "en")
    assert members.finding_text(data, found[0], "en") == (
        "“Open now” on Wed 4 Mar 2026, 11:00",
        "yes",
        "Your hours say you are open then.",
    )
    near = _by_view(found, members.VIEW_NEAR)[0]
    assert members.finding_text(data, near, "en")[2] == (
        "No. 1; 4 places are ranked by walking time (≈ 2 min walk)."
    )


# --------------------------------------------------------------------------- reach


def test_monthly_reach_against_the_category_median(data):
    reach = members.monthly_reach(data, "mus-c").set_index("month")
    assert list(reach.columns) == ["state", "hours", "category_median", "category_known"]
    assert reach.loc[1, "state"] is False and reach.loc[6, "state"] is True
    # June 2026: Tu-Su 09-20 on 25 of 30 days = 275 h / 30 × 7; mus-f Apr-Oct daily 8 h = 56
    assert reach.loc[6, "hours"] == pytest.approx(275 / 30 * 7)
    assert reach.loc[6, "category_median"] == pytest.approx((275 / 30 * 7 + 56) / 2)
    assert reach.loc[4, "category_median"] == pytest.approx(28.0)  # 0 and 56
    assert set(reach["category_known"]) == {2}


def test_unknown_hours_in_reach_are_none_and_nan(data):
    reach = members.monthly_reach(data, "gal-b").set_index("month")
    assert list(reach["state"]) == [None] * 12
    assert reach["hours"].isna().all()
    # gal-a Mo-Sa 10-19: 27 open days × 9 h in January's 31; gal-g daily 8 h = 56
    assert reach.loc[1, "category_median"] == pytest.approx((27 * 9 / 31 * 7 + 56) / 2)
    assert set(reach["category_known"]) == {2}  # gal-b itself is not known


# --------------------------------------------------------------------------- proximity


def test_entry_point_minutes_and_ranks(data):
    rows = members.proximity(data, "gal-a", "en").entry_points.set_index("start")
    assert list(rows.index) == ["gate", "port"]
    assert rows.loc["gate", "minutes"] == pytest.approx(minutes(100), abs=1e-6)
    assert rows.loc["port", "minutes"] == pytest.approx(minutes(900), abs=1e-6)
    assert (rows.loc["gate", "rank"], rows.loc["gate", "ranked"]) == (1, 4)
    assert (rows.loc["gate", "category_rank"], rows.loc["gate", "category_ranked"]) == (1, 3)
    assert (rows.loc["port", "rank"], rows.loc["port", "category_rank"]) == (3, 3)
    assert set(rows["reason_key"]) == {""}


def test_no_invented_minutes(data):
    for venue_id, reason in (
        ("atl-e", "members.reason.no_minutes_unplaced"),
        ("mus-f", "members.reason.no_minutes_boat"),
    ):
        found = members.proximity(data, venue_id, "en")
        assert found.entry_points["minutes"].isna().all()
        assert found.entry_points["rank"].isna().all()
        assert set(found.entry_points["reason_key"]) == {reason}
        assert found.neighbours.empty and found.neighbours_reason_key == reason


def test_an_office_has_minutes_but_no_rank(data):
    rows = members.proximity(data, "org-d", "en").entry_points.set_index("start")
    assert rows.loc["gate", "minutes"] == pytest.approx(minutes(150), abs=1e-6)
    assert pd.isna(rows.loc["gate", "rank"])
    assert rows.loc["gate", "reason_key"] == "members.reason.near_not_visitable"


def test_neighbours_within_5_and_10_minutes(data):
    found = members.proximity(data, "gal-a", "en")
    got = found.neighbours
    assert list(got.columns) == list(members.NEIGHBOUR_COLUMNS)
    # gal-b 200 m (3.5 min), mus-c 400 m (6.9 min); gal-g 600 m (10.4 min) is too far;
    # org-d (an office), mus-f (boat) and atl-e (settlement) are no walking neighbours
    assert list(got["id"]) == ["gal-b", "mus-c"]
    assert got["minutes"].to_numpy() == pytest.approx([minutes(200), minutes(400)], abs=1e-6)
    assert list(got["band"]) == [5, 10]
    assert list(got["same_category"]) == [True, False]
    assert list(got["name"]) == ["Galerija B", "Muzej C"]
    assert found.neighbours_reason_key == ""


def test_an_office_sees_its_visitable_neighbours(data):
    got = members.proximity(data, "org-d", "en").neighbours
    # gal-a 250 m (4.3), gal-b 450 m (7.8), mus-c √(250²+400²) = 471.7 m (8.2)
    assert list(got["id"]) == ["gal-a", "gal-b", "mus-c"]
    assert list(got["band"]) == [5, 10, 10]
    assert not got["same_category"].any()


# --------------------------------------------------------------------------- overview


def test_overview_members_with_usage(data):
    usage = pd.DataFrame(
        {"impressions": [10, 3], "opens": [2, 0]},
        index=pd.Index(["gal-a", "org-d"], name="venue_id"),
    )
    table = members.overview(data, usage, TODAY, "en")
    assert list(table.columns) == list(members.OVERVIEW_COLUMNS)
    assert list(table["id"]) == ["gal-b", "gal-g", "org-d", "gal-a"]  # weakest first
    assert list(table["score"]) == [5, 35, 42, 100]
    assert list(table["status"]) == ["prospective", "prospective", "member", "member"]
    assert list(table["impressions"]) == [0, 0, 3, 10]
    assert list(table["opens"]) == [0, 0, 0, 2]
    assert table.loc[3, "missing"] == ""
    assert table.loc[2, "missing"] == (
        "Description in the visitors' language (EN); Checked in the last year; "
        "Events in the next 12 months"
    )  # an office: wheelchair access does not apply
    assert list(table["category"]) == ["Galleries", "Galleries", "Ateliers and crafts", "Galleries"]


def test_overview_without_usage_is_not_zero(data):
    table = members.overview(data, None, TODAY, "me")
    assert table["impressions"].isna().all() and table["opens"].isna().all()


def test_overview_at_the_repo_data_has_one_row_per_listed_venue(kotor):
    table = members.overview(kotor, None, TODAY, "me")
    listed = kotor.venues[in_cluster(kotor.venues["cluster"])]
    assert sorted(table["id"]) == sorted(listed["id"])
    assert table["id"].is_unique
    assert table["score"].between(0, 100).all()
