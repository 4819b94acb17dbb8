"""What every event source reader gets and gives: the folder's :class:`Context` in, one
:class:`EventGroup` per source event out, and the ids of the rows it makes.

The readers (:mod:`mapping.imports.ics`, :mod:`mapping.imports.calendar_csv`) and the
merge into ``events.csv`` (:mod:`mapping.imports.events`) all import this module, and
it imports none of them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from mapping import clock
from mapping.errors import DataError, Problem
from mapping.geodata import read_geodata
from mapping.imports.match import MATCHES_FILE, VenueMatcher, read_manual
from mapping.io import read_table
from mapping.settings import CityProfile, load_city
from mapping.text import fold, slug

UID = "uid"
"""The ``events.csv`` column holding the source's event identity."""
DIGEST = "import_digest"
"""The ``events.csv`` column holding :func:`row_digest` of a row as imported: a row whose
digest no longer matches was edited by hand, and no import touches it again."""
DAYS_BACK = 30
"""Default ``--days-back``: an import starts this many days before today."""
HORIZON_DAYS = 730
"""Default ``--horizon-days``: an import ends this many days after today (two years)."""
MAX_OCCURRENCES = 500
"""Default ``--max-occurrences``: at most this many rows for one recurring event."""
TITLE_SLUG_CHARS = 40
"""An imported event id starts with at most this many characters of its title's slug."""


@dataclass
class EventGroup:
    """The rows one source event becomes (``rows`` empty when skipped, with ``skip``)."""

    uid: str
    ref: str
    title: str
    rows: list[dict[str, str]] = field(default_factory=list)
    skip: str = ""
    detail: str = ""
    cancelled: bool = False
    """``STATUS:CANCELLED`` on the event: its rows are removed."""
    before: int | None = 0
    """Occurrences before the window (``None``: some, not counted)."""
    after: int = 0
    """Occurrences after the horizon (or the cap) counted, up to a limit."""
    more_after: bool = False
    """The rule goes on past what was counted (no end, or counting stopped)."""
    capped: bool = False
    """Expansion stopped at the window's cap."""


@dataclass(frozen=True)
class Window:
    """The days an import takes: ``first`` to ``last`` (both included), at most ``cap``
    rows per recurring event. Rows of ``events.csv`` before ``first`` are history: an
    import never changes or removes them."""

    first: date
    last: date
    cap: int = MAX_OCCURRENCES

    @classmethod
    def around_today(
        cls,
        tz: str,
        days_back: int = DAYS_BACK,
        horizon_days: int = HORIZON_DAYS,
        cap: int = MAX_OCCURRENCES,
    ) -> Window:
        """From ``days_back`` days before the town's today to ``horizon_days`` after."""
        today = clock.today(tz)
        return cls(today - timedelta(days=days_back), today + timedelta(days=horizon_days), cap)

    def holds(self, start: str, end: str) -> str:
        """``""`` when an event from ``start`` to ``end`` (``events.csv`` text) is in
        the window, else ``"before"`` or ``"after"``."""
        if date.fromisoformat((end or start)[:10]) < self.first:
            return "before"
        return "after" if date.fromisoformat(start[:10]) > self.last else ""


@dataclass
class Context:
    """What a reader needs from the data folder."""

    city: CityProfile
    matcher: VenueMatcher
    venue_ids: set[str]
    event_categories: dict[str, str]  # folded id or label (any language) → id


def context(into: Path, matches: Path | None) -> Context:
    """The town, its venues' names and its event categories, read from ``into``."""
    city = load_city(into / "city.toml")
    venues = read_geodata(into / "venues.geojson")
    ids = {str(v) for v in venues["id"]}
    manual_path = matches or (into / MATCHES_FILE)
    manual = read_manual(manual_path, ids) if manual_path.exists() else {}
    if matches is not None and not matches.exists():
        raise DataError([Problem(matches.name, "-", "-", "file not found (--matches)")])
    table = read_table(into / "event_categories.csv")
    cats: dict[str, str] = {}
    for column in table.columns:
        if column == "id" or column.startswith("label_"):
            for cid, label in zip(table["id"], table[column], strict=True):
                cats.setdefault(fold(label).strip(), str(cid))
    return Context(city, VenueMatcher.for_venues(venues, manual), ids, cats)


def event_id(title: str, uid: str, day: date | None = None) -> str:
    """An imported row's id: its title's slug, the day (an occurrence of an expanded
    rule, a calendar row), and 6 hex digits of its UID's BLAKE2b.

    Readable in a URL, and the same on every import of the same event, so a re-import
    changes nothing: ``jazz-night-20260715-a1b2c3``, ``museum-night-4d5e6f``.
    """
    digest = hashlib.blake2b(uid.encode("utf-8"), digest_size=3).hexdigest()
    parts = [slug(title, "event", ascii_only=True, max_chars=TITLE_SLUG_CHARS)]
    if day is not None:
        parts.append(f"{day:%Y%m%d}")
    return "-".join([*parts, digest])


def row_digest(row: dict[str, str]) -> str:
    """What an import wrote in a row: 16 hex digits of BLAKE2b over its non-empty fields
    but ``id`` and :data:`DIGEST` (so a new empty column changes nothing)."""
    text = "\x1f".join(f"{k}={v}" for k, v in sorted(row.items()) if v and k not in ("id", DIGEST))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()
