"""mapping.clock: the one read of the wall clock, and the fake "now" the suite runs at."""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mapping import clock
from tests.conftest import DEFAULT_NOW, TEST_NOW_ENV

ROOT = Path(__file__).resolve().parents[1]
TOWN = "Europe/Podgorica"
WALL_CLOCK_READS = re.compile(
    r"\b(?:datetime|date|Timestamp)\.(?:now|today|utcnow)\(|\btime\.(?:time|localtime|gmtime)\("
    r"|\bpd\.to_datetime\([\"'](?:now|today)[\"']|\bdatetime64\([\"'](?:now|today)[\"']"
)


def test_naive_moment_is_town_wall_clock_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.NOW_ENV, "2031-03-15T10:00")
    assert clock.now(TOWN) == datetime(2031, 3, 15, 10, 0, tzinfo=ZoneInfo(TOWN))
    assert clock.now("Europe/Belgrade").hour == 10  # wall-clock time in any zone asked
    assert clock.today(TOWN) == date(2031, 3, 15)
    assert clock.utc_now() == datetime(2031, 3, 15, 10, 0, tzinfo=UTC)


def test_moment_with_an_offset_is_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.NOW_ENV, "2027-01-15T23:30+00:00")
    assert clock.now(TOWN).isoformat() == "2027-01-16T00:30:00+01:00"
    assert clock.today(TOWN) == date(2027, 1, 16)  # already the next day in the town
    assert clock.utc_now() == datetime(2027, 1, 15, 23, 30, tzinfo=UTC)


def test_unset_or_empty_is_the_real_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    for value in (None, "", "  "):
        if value is None:
            monkeypatch.delenv(clock.NOW_ENV, raising=False)
        else:
            monkeypatch.setenv(clock.NOW_ENV, value)
        before = datetime.now(UTC)
        read = clock.utc_now()
        assert before <= read <= datetime.now(UTC)
        assert clock.now(TOWN).tzinfo is not None


def test_an_unreadable_moment_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.NOW_ENV, "next tuesday")
    with pytest.raises(ValueError, match=r"CREATIVE_MAP_NOW must be an ISO 8601 moment"):
        clock.now(TOWN)


def test_the_suite_stands_at_the_documented_moment(frozen_now: str) -> None:
    """Unmarked tests see the run's moment: the default, or CREATIVE_MAP_TEST_NOW's."""
    expected = os.environ.get(TEST_NOW_ENV, "").strip() or DEFAULT_NOW
    assert frozen_now == expected
    assert clock.now(TOWN) == clock.local(datetime.fromisoformat(expected), TOWN)


@pytest.mark.now("2029-02-28T23:59")
def test_a_marked_test_stands_at_its_own_moment() -> None:
    assert clock.now(TOWN) == datetime(2029, 2, 28, 23, 59, tzinfo=ZoneInfo(TOWN))
    assert clock.today(TOWN) + timedelta(days=1) == date(2029, 3, 1)


def test_nothing_else_reads_the_wall_clock() -> None:
    """Library, pages and app read "now" only through mapping.clock (one place to fake)."""
    sources = [
        *(ROOT / "mapping").rglob("*.py"),
        *(ROOT / "pages").glob("*.py"),
        ROOT / "app.py",
    ]
    assert len(sources) > 20
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sources
        if path != ROOT / "mapping" / "clock.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if WALL_CLOCK_READS.search(line)
    ]
    assert found == [], "read the clock through mapping.clock:\n" + "\n".join(found)


def test_the_guard_would_see_a_clock_read() -> None:
    for line in (
        "datetime.now(UTC)",
        "x = date.today()",
        "pd.Timestamp.now(tz=tz)",
        "time.time()",
        "pd.to_datetime('now')",
    ):
        assert WALL_CLOCK_READS.search(line), line
    assert not WALL_CLOCK_READS.search("clock.now(city.timezone)")
    assert not WALL_CLOCK_READS.search("datetime.fromtimestamp(a, zone)")
