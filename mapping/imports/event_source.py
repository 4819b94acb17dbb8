"""What every event source reader gets and gives: the folder's :class:`Context` in, one
:class:`EventGroup` per source event out, and the ids of the rows it makes.

The readers (:mod:`mapping.imports.ics`, :mod:`mapping.imports.calendar_csv`) and the
merge into ``events.csv`` (:mod:`mapping.imports.events`) all import this module, and
it imports none of them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from mapping.errors import DataError, Problem
from mapping.geodata import read_geodata
from mapping.imports.match import MATCHES_FILE, VenueMatcher, read_manual
from mapping.io import read_table
from mapping.settings import CityProfile, load_city
from mapping.text import fold, slug

UID = "uid"
"""The ``events.csv`` column holding the source's event identity."""
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
