"""Opening hours evaluated: OpenStreetMap ``opening_hours`` in the town's timezone.

The module every page, chart and query asks about hours; its engine
(:mod:`mapping._hours_engine`) runs the maintained ``opening_hours`` library once per
(string, year, timezone) and never reads the syntax itself. Here those answers become
the app's terms: state codes (:data:`STATE_OPEN`…), month states, derived columns.

An empty string means *unknown*, never *closed*; so does a string that does not parse
(validation reports it, the map must not pretend the venue is shut). Month states are
the strings ``"open"``, ``"closed"``, ``"unknown"``; one day's hours are a
:class:`DayHours`. Putting any of this into words is :mod:`mapping.seasons`' job.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import pandas as pd

from mapping import _hours_engine as engine
from mapping._hours_engine import CLOSED_DAY, DAY_MINUTES, UNKNOWN_DAY, DayHours, Span

__all__ = [  # the day's vocabulary is defined by the engine and used from here
    "CLOSED",
    "CLOSED_DAY",
    "DAY_MINUTES",
    "DERIVED_COLUMNS",
    "EXAMPLE",
    "MONTH_STATE_COLUMNS",
    "OPEN",
    "STATE_CLOSED",
    "STATE_NAMES",
    "STATE_OPEN",
    "STATE_UNKNOWN",
    "UNKNOWN",
    "UNKNOWN_DAY",
    "WEEKLY_HOURS_COLUMNS",
    "DayHours",
    "Span",
    "check",
    "clean",
    "day_hours",
    "enrich_hours",
    "is_open_at",
    "is_open_on",
    "month_state_codes",
    "open_at",
    "open_in_month",
    "open_on",
    "per_distinct",
    "state_codes",
]

OPEN, CLOSED, UNKNOWN = "open", "closed", "unknown"
MONTH_STATE_COLUMNS: tuple[str, ...] = tuple(f"m{m:02d}" for m in range(1, 13))
"""Derived columns ``m01``..``m12``: each month's state (open / closed / unknown)."""
WEEKLY_HOURS_COLUMNS: tuple[str, ...] = tuple(f"h{m:02d}" for m in range(1, 13))
"""Derived columns ``h01``..``h12``: each month's average open hours per week."""
DERIVED_COLUMNS: tuple[str, ...] = MONTH_STATE_COLUMNS + WEEKLY_HOURS_COLUMNS
"""Every column :func:`enrich_hours` adds: computed, so never exported as data."""

EXAMPLE = "Mo-Fr 09:00-17:00; Sa 10:00-14:00"

STATE_CLOSED, STATE_OPEN, STATE_UNKNOWN = 0, 1, 2
"""The one coding of an opening state as a small integer (arrays, the map's payload)."""
STATE_NAMES: dict[int, str] = {STATE_OPEN: OPEN, STATE_CLOSED: CLOSED, STATE_UNKNOWN: UNKNOWN}

_MONTH_STATE: dict[bool | None, str] = {True: OPEN, False: CLOSED, None: UNKNOWN}
"""The engine's answer (open, closed, unknown) as a month state."""


def state_codes(values: pd.Series) -> npt.NDArray[np.int64]:
    """Open/closed answers with NA for unknown (``True``/``False``/``None``) as state codes."""
    known = values.notna().to_numpy()
    is_open = values.fillna(False).astype(bool).to_numpy()
    return np.where(known, np.where(is_open, STATE_OPEN, STATE_CLOSED), STATE_UNKNOWN).astype(
        np.int64
    )


def month_state_codes(states: pd.DataFrame | npt.NDArray[np.object_]) -> npt.NDArray[np.int8]:
    """Month-state words (:data:`OPEN`/:data:`CLOSED`/:data:`UNKNOWN`) as state codes."""
    words = states.to_numpy(dtype=object) if isinstance(states, pd.DataFrame) else states
    return np.where(
        words == OPEN, STATE_OPEN, np.where(words == UNKNOWN, STATE_UNKNOWN, STATE_CLOSED)
    ).astype(np.int8)


# --------------------------------------------------------------------------- checking


def check(value: str) -> str | None:
    """``None`` when ``value`` is empty (unknown) or valid; otherwise what was expected.

    The message is one line, so the CLI can print it as ``file:record:field: message``.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    range_problem = engine.time_range_problem(value)
    if range_problem:
        return range_problem
    report = engine.parser_error(value.strip())
    if report is None:
        return None
    return (
        f"not valid OpenStreetMap opening_hours syntax (e.g. {EXAMPLE!r}): "
        f"{_short_parser_message(value.strip(), report)}"
    )


def _short_parser_message(value: str, message: str) -> str:
    """Boil the parser's multi-line report down to where it stopped and what it wanted."""
    position = re.search(r"-->\s*\d+:(\d+)", message)
    expected = re.search(r"=\s*(.+)", message)
    parts = []
    if position:
        column = int(position.group(1))
        parts.append(f"at character {column} ({value[column - 1 : column + 14]!r})")
    parts.append(expected.group(1).strip() if expected else message.strip().splitlines()[0])
    return " ".join(parts)


# --------------------------------------------------------------------------- scalar API


def clean(value: object) -> str:
    """An ``opening_hours`` cell as text: stripped; missing (None, NaN, NA) or non-text is "".

    "" means unknown, never closed: every function here reads a cell through this.
    """
    if isinstance(value, str):
        return value.strip()
    return ""


def is_open_at(value: str, when: datetime, tz: str, *, country: str | None = None) -> bool | None:
    """Open at ``when`` (naive = town time)? ``None`` when unknown."""
    return engine.answer_at(clean(value), when, tz, country)


def is_open_on(value: str, day: date, tz: str, *, country: str | None = None) -> bool | None:
    """Open at any time on ``day``? ``None`` when nothing open and some time unknown."""
    return engine.answer_on(clean(value), day, tz, country)


def day_hours(value: str, day: date, tz: str, *, country: str | None = None) -> DayHours:
    """``day``'s hours as a visitor reads them; :data:`UNKNOWN_DAY` when the value says nothing.

    An evening span running past midnight belongs to the day it starts (see
    :class:`DayHours`), so the next morning does not show a stray "00:00-02:00".
    """
    return engine.day_hours(clean(value), day, tz, country)


@lru_cache(maxsize=8192)
def _months(
    value: str, year: int, tz: str, country: str | None
) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Month states (:data:`OPEN`/:data:`CLOSED`/:data:`UNKNOWN`) and weekly open hours."""
    answers, weekly = engine.month_answers(value, year, tz, country)
    return tuple(_MONTH_STATE[answer] for answer in answers), weekly


# --------------------------------------------------------------------------- vectorised


def per_distinct(
    values: pd.Series, compute: Callable[[str], object], missing: object
) -> npt.NDArray[np.object_]:
    """``compute`` once per distinct string of ``values``, spread back to every row.

    Venues share a few hundred distinct ``opening_hours`` strings, so this is what makes
    50,000 venues cheap. Missing rows (None, NaN, NA) get ``missing``; other values are
    cleaned (stripped, non-text as "") before ``compute`` sees them.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    results = [compute(clean(u)) for u in uniques]
    table = np.empty(len(results) + 1, dtype=object)
    table[:-1] = results
    table[-1] = missing
    return table[codes]  # code -1 (NA) picks the last slot


def open_at(values: pd.Series, when: datetime, tz: str, *, country: str | None = None) -> pd.Series:
    """``is_open_at`` over a Series: "boolean" dtype, NA = unknown."""
    cells = per_distinct(values, lambda v: is_open_at(v, when, tz, country=country), None)
    return pd.Series(cells, index=values.index, dtype="boolean")


def open_on(values: pd.Series, day: date, tz: str, *, country: str | None = None) -> pd.Series:
    """``is_open_on`` over a Series: "boolean" dtype, NA = unknown."""
    cells = per_distinct(values, lambda v: is_open_on(v, day, tz, country=country), None)
    return pd.Series(cells, index=values.index, dtype="boolean")


def enrich_hours(
    frame: pd.DataFrame,
    year: int,
    tz: str,
    column: str = "opening_hours",
    *,
    country: str | None = None,
) -> pd.DataFrame:
    """A copy of ``frame`` plus ``m01``..``m12`` (month states), ``h01``..``h12`` (hours/week).

    The added names are :data:`DERIVED_COLUMNS`; exports leave them out, they are
    recomputed on every load.
    """
    if column not in frame.columns:
        msg = f"frame has no column {column!r}: expected the venues' opening_hours strings"
        raise KeyError(msg)
    codes, uniques = pd.factorize(frame[column], use_na_sentinel=True)
    unknown = _months("", year, tz, country)
    rows = [_months(clean(u), year, tz, country) for u in uniques] + [unknown]
    states = np.array([r[0] for r in rows], dtype=object)[codes]
    hours = np.array([r[1] for r in rows], dtype=float)[codes]
    added: dict[str, pd.Series] = {}
    for m in range(12):
        added[MONTH_STATE_COLUMNS[m]] = pd.Series(states[:, m], index=frame.index, dtype=object)
    for m in range(12):
        added[WEEKLY_HOURS_COLUMNS[m]] = pd.Series(hours[:, m], index=frame.index)
    return frame.assign(**added)


def open_in_month(frame: pd.DataFrame, month: int) -> pd.Series:
    """From an enriched frame: True open / False closed / NA unknown in ``month`` (1-12)."""
    if not 1 <= month <= 12:
        msg = f"month must be 1-12, got {month!r}"
        raise ValueError(msg)
    column = MONTH_STATE_COLUMNS[month - 1]
    if column not in frame.columns:
        msg = f"frame has no column {column!r}: run enrich_hours first"
        raise KeyError(msg)
    mapped = frame[column].map({word: answer for answer, word in _MONTH_STATE.items()}.get)
    return pd.Series(pd.array(mapped.to_numpy(dtype=object), dtype="boolean"), index=frame.index)
