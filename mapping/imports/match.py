"""Names to venue ids: exact after folding, else fuzzy (rapidfuzz), else a manual table.

Used for an event's location (the municipal calendar, an ``.ics`` LOCATION) and, with
a distance, for venues merged by name.

Decisions:

- **Folding**: lower case, diacritics removed, "đ"/"dj" written "d", punctuation and
  quotes („“ « » ") ignored, words in order (:func:`name_key`). "Galerija Đurković",
  "galerija djurkovic" and "GALERIJA „DURKOVIC“" are the same name.
- **Fuzzy**: rapidfuzz ``token_sort_ratio`` (a whole-name comparison that ignores word
  order) against every name of every venue (``name`` and ``name_<lang>``), accepted
  at :data:`FUZZY_THRESHOLD` (85 of 100) or more: a typo or two in a name of 15
  letters. Not a partial ratio: "Galerija" alone must not match "Galerija Đurković".
- **A trailing address** after a comma ("Pomorski muzej, Kotor") is ignored when the
  whole text matches nothing.
- **Never guessed**: below the threshold, or when two *different* venues score within
  :data:`AMBIGUITY_MARGIN` of each other, the name is unmatched and reported with its
  best candidate, so the maintainer adds it to the manual table.
- **Manual table** (``--matches FILE``, default ``location_matches.csv`` in the data
  folder when present): CSV ``location,venue_id``; a listed name (folded) wins over
  everything, and an unknown venue id in it is an error naming the row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process

from mapping.errors import DataError, Problem
from mapping.text import fold

FUZZY_THRESHOLD = 85.0
"""Lowest rapidfuzz ``token_sort_ratio`` (0-100) accepted as the same name."""
AMBIGUITY_MARGIN = 3.0
"""Two venues scoring within this many points of each other: ambiguous, not guessed."""
MATCHES_FILE = "location_matches.csv"
"""The manual table's default name inside the data folder."""

_WORD = re.compile(r"[^\W_]+")


def name_key(text: object) -> str:
    """``text`` folded for comparison (see the module's decisions)."""
    return " ".join(_WORD.findall(fold(text).replace("dj", "d")))


@dataclass(frozen=True)
class Match:
    """The venue a name matched (``None``: unmatched), how, and the best candidate."""

    venue_id: str | None
    how: str  # "manual", "exact", "fuzzy", "ambiguous", "none"
    score: float = 0.0
    candidate: str = ""

    def describe(self) -> str:
        """Report text: how it matched, or why it did not."""
        if self.how == "ambiguous":
            return f"ambiguous: {self.candidate} (score {self.score:.0f})"
        if self.venue_id is None:
            best = (
                f"; best candidate {self.candidate} ({self.score:.0f} < {FUZZY_THRESHOLD:.0f})"
                if self.candidate
                else ""
            )
            return f"no venue matches{best}"
        return self.how if self.how != "fuzzy" else f"fuzzy {self.score:.0f}"


class VenueMatcher:
    """Matches names to the venue ids of a venues table.

    Parameters
    ----------
    names
        ``(venue id, name)`` pairs; a venue may have several names (languages).
    manual
        The manual table: location text → venue id.
    """

    def __init__(
        self, names: Iterable[tuple[str, str]], manual: Mapping[str, str] | None = None
    ) -> None:
        self._ids: list[str] = []
        self._keys: list[str] = []
        self._exact: dict[str, set[str]] = {}
        for venue_id, name in names:
            key = name_key(name)
            if key:
                self._ids.append(venue_id)
                self._keys.append(key)
                self._exact.setdefault(key, set()).add(venue_id)
        self._manual = {name_key(k): v for k, v in (manual or {}).items()}

    @classmethod
    def for_venues(
        cls, venues: pd.DataFrame, manual: Mapping[str, str] | None = None
    ) -> VenueMatcher:
        """A matcher over every ``name``/``name_<lang>`` column of ``venues``."""
        columns = [c for c in venues.columns if c == "name" or c.startswith("name_")]
        pairs = [
            (str(vid), str(n))
            for c in columns
            for vid, n in zip(venues["id"], venues[c], strict=True)
            if isinstance(n, str) and n.strip()
        ]
        return cls(pairs, manual)

    def match(self, name: str) -> Match:
        """The venue ``name`` refers to, or why none is chosen.

        When the whole text matches nothing, the part before its first comma is tried
        ("Pomorski muzej, Kotor": a place name, then its town or address).
        """
        found = self._match(name)
        head = name.split(",", maxsplit=1)[0]
        if found.venue_id is None and found.how != "ambiguous" and head.strip() != name.strip():
            first = self._match(head)
            if first.venue_id is not None or first.how == "ambiguous":
                return first
        return found

    def _match(self, name: str) -> Match:
        key = name_key(name)
        if not key:
            return Match(None, "none")
        if key in self._manual:
            return Match(self._manual[key], "manual", 100.0)
        exact = self._exact.get(key, set())
        if len(exact) == 1:
            return Match(next(iter(exact)), "exact", 100.0)
        if len(exact) > 1:
            return Match(None, "ambiguous", 100.0, " or ".join(sorted(exact)))
        found = process.extract(key, self._keys, scorer=fuzz.token_sort_ratio, limit=10)
        if not found:
            return Match(None, "none")
        best_key, best, index = found[0]
        best_id = self._ids[index]
        rivals = {
            self._ids[i]
            for _, score, i in found
            if self._ids[i] != best_id and score >= best - AMBIGUITY_MARGIN
        }
        if best < FUZZY_THRESHOLD:
            return Match(None, "none", best, f"{best_id} ({best_key!r})")
        if rivals:
            return Match(None, "ambiguous", best, " or ".join(sorted({best_id, *rivals})))
        return Match(best_id, "fuzzy", best, best_id)


def read_manual(path: Path, venue_ids: Iterable[str]) -> dict[str, str]:
    """The manual table ``location,venue_id``; :class:`DataError` naming each bad row."""
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError([Problem(path.name, "-", "-", f"cannot read: {exc}")]) from None
    missing = [c for c in ("location", "venue_id") if c not in table.columns]
    if missing:
        raise DataError(
            [
                Problem(
                    path.name,
                    "header",
                    ",".join(missing),
                    "missing column; expected header location,venue_id",
                )
            ]
        )
    known = set(venue_ids)
    problems = [
        Problem(
            path.name,
            f"row {i + 1}",
            "venue_id",
            f"unknown venue id {vid!r}; expected an id from venues.geojson",
        )
        for i, vid in enumerate(table["venue_id"])
        if vid.strip() not in known
    ]
    if problems:
        raise DataError(problems)
    return {
        loc: vid.strip()
        for loc, vid in zip(table["location"], table["venue_id"], strict=True)
        if loc.strip()
    }
