"""What's on's count says what it counts (issue 21 item 6), checked against the events
file itself: "N events on these days" counts confirmed dates only, and the events whose
dates are not confirmed are "M more in <month> with dates to be confirmed", never
counted on a day. The expected numbers are worked out here from ``data/events.csv`` as
stored (annual events moved to the range's years), not through ``mapping.events``.
"""

from __future__ import annotations

import csv
from datetime import date

import pytest

from mapping import whats_on
from mapping.i18n import month_year
from tests.conftest import REPO_DATA
from tests.test_page_whats_on import open_page

NOW = "2026-12-07T10:00"  # a Monday: this weekend is 12-13 December
TODAY = date(2026, 12, 7)
OFF_SEASON = (10, 11, 12, 1, 2, 3, 4)  # data/city.toml


def _events() -> list[dict[str, str]]:
    with (REPO_DATA / "events.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _spans(event: dict[str, str], first: date, last: date) -> list[tuple[date, date]]:
    """The event's (start, end) days: as written, or for an annual one in each year
    around the range."""
    start, end = (date.fromisoformat(event[k][:10]) for k in ("start", "end"))
    if event["recurrence"] != "annual":
        return [(start, end)]
    spans = []
    for year in range(first.year - 1, last.year + 1):
        shift = year - start.year
        spans.append((start.replace(year=start.year + shift), end.replace(year=end.year + shift)))
    return spans


def _months(first: date, last: date) -> list[tuple[int, int]]:
    months, (y, m) = [], (first.year, first.month)
    while (y, m) <= (last.year, last.month):
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def _month_of(y: int, m: int) -> tuple[date, date]:
    following = date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
    return date(y, m, 1), date.fromordinal(following.toordinal() - 1)


def expected_counts(first: date, last: date) -> tuple[int, list[tuple[int, int]], int]:
    """(confirmed occurrences on the days, months with unconfirmed events, unconfirmed
    entries: once per event and month)."""
    dated, pending = 0, set()
    for event in _events():
        confirmed = event["dates_confirmed"] == "true"
        for start, end in _spans(event, first, last):
            if confirmed and start <= last and end >= first:
                dated += 1
            if not confirmed:
                for y, m in _months(first, last):
                    month_first, month_last = _month_of(y, m)
                    if start <= month_last and end >= month_first:
                        pending.add((event["id"], (y, m)))
    months = sorted({month for _, month in pending})
    return dated, months, len(pending)


def expected_text(first: date, last: date) -> str:
    dated, months, undated = expected_counts(first, last)
    days = "this day" if first == last else "these days"
    text = f"{dated} event{'' if dated == 1 else 's'} on {days}"
    if undated:
        names = ", ".join(month_year(y, m, "en") for y, m in months)
        text += f"; {undated} more in {names} with dates to be confirmed"
    return text


def count_line(at) -> str:
    found = [
        m.value.strip("*").replace("\\", "")
        for m in at.markdown
        if m.value.startswith("**") and (" on these days" in m.value or " on this day" in m.value)
    ]
    assert len(found) == 1, [m.value for m in at.markdown]
    return found[0]


@pytest.mark.now(NOW)
@pytest.mark.parametrize("preset", ["weekend", "off_season"])
def test_preset_counts_match_the_events_file(monkeypatch, preset):
    at = open_page(monkeypatch, folder=REPO_DATA)
    at.radio(key="period").set_value(preset).run()
    assert not at.exception, at.exception
    first, last = whats_on.preset_range(preset, TODAY, OFF_SEASON)
    assert count_line(at) == expected_text(first, last)


@pytest.mark.now(NOW)
def test_this_weekend_in_december_counts_no_undated_festival_as_happening():
    """The issue's case: December's festivals have unconfirmed dates, so the weekend holds
    none of them on its days; they are the "more … to be confirmed"."""
    first, last = whats_on.preset_range("weekend", TODAY, OFF_SEASON)
    dated, months, undated = expected_counts(first, last)
    assert (first, last) == (date(2026, 12, 12), date(2026, 12, 13))
    assert dated == 0 and undated >= 5 and months == [(2026, 12)]


@pytest.mark.now(NOW)
@pytest.mark.parametrize("day", ["2026-12-27", "2026-12-24", "2026-12-15"])
def test_a_single_day_counts_only_what_is_dated_on_it(monkeypatch, day):
    at = open_page(monkeypatch, folder=REPO_DATA, range=[day, day])
    one = date.fromisoformat(day)
    dated, _, undated = expected_counts(one, one)
    assert undated > 0  # December's month-long items exist, and are not on the day
    assert count_line(at) == expected_text(one, one)
    assert count_line(at).startswith(f"{dated} event")


@pytest.mark.now(NOW)
@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("de", "0 Veranstaltungen an diesen Tagen; 6 weitere im Dezember 2026 mit noch"),
        ("me", "0 događaja u izabranim danima; još 6 (decembar 2026.) s datumima"),
    ],
)
def test_the_count_reads_in_every_language(monkeypatch, lang, expected):
    at = open_page(monkeypatch, folder=REPO_DATA, lang=lang, range=["2026-12-12", "2026-12-13"])
    texts = [m.value.replace("\\", "") for m in at.markdown]
    assert any(t.startswith(f"**{expected}") for t in texts), texts
    assert expected_counts(date(2026, 12, 12), date(2026, 12, 13))[::2] == (0, 6)


def test_the_month_strip_leaves_its_bars_room():
    """Streamlit fits the whole chart (bars, both axes, legend) into the spec's height:
    at 140 px the bars had 13 px. Seen at 1366 and 390 px wide, 260 px leave them ~110."""
    spec = whats_on.month_strip_spec("en")
    assert spec["height"] >= 240
    assert spec["encoding"]["x"]["axis"]["labelAngle"] == 0  # month names stay level
