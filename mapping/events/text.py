"""Occurrences in words: labels, venue-card lines, price wording, the CLI table and CSV.

Decisions:

- **Unconfirmed dates** are shown as their month(s) only ("July 2026 · dates to be
  confirmed"), in labels and as ``YYYY-MM`` in exports: the days are not known, and a
  day we printed would be believed.
- **Price wording** lives in :func:`price_text` alone: "Free entry" when ``free`` is
  true (whatever ``price`` says), else the price, else nothing. Prose (the event's
  details, the calendar description) says "Price: €5"; a cell under a "Price" column
  header (the CLI table and the CSV ``price`` column) says just "€5" or "Free entry",
  so the header is not repeated in every row.
- **Per-language text** (title, description) is read with
  :func:`mapping.i18n.localized`, the one fallback order; callers pass the town's
  ``languages``, nothing here guesses them from column names.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, TypeAlias

import pandas as pd

from mapping.files import csv_rows_bytes
from mapping.i18n import localized, month_name, month_year, t, weekday_name
from mapping.schema import is_yes

Row: TypeAlias = "Mapping[Any, Any] | pd.Series[Any]"
"""One occurrence: a record dict, or a row of the occurrences frame."""

CSV_COLUMNS: tuple[str, ...] = (
    "event_id",
    "start",
    "end",
    "all_day",
    "confirmed",
    "when",
    "title",
    "category",
    "venue_id",
    "price",
    "free",
    "organiser",
    "url",
    "description",
)
"""Columns of :func:`to_csv_bytes`. ``start``/``end`` are ISO local times (``YYYY-MM``
when unconfirmed), ``when``, ``title``, ``price`` and ``description`` are in the chosen
language, ``free`` is ``true``/``false``/empty (unknown)."""


def day_label(day: date, lang: str, *, year: bool = True) -> str:
    """A local date in words: "Sat 5 Dec 2026" (or "Sat 5 Dec" without ``year``).

    The day headings of the What's on list and the day part of every occurrence label.
    """
    key = "events.label.day_year" if year else "events.label.day"
    return t(
        key,
        lang,
        weekday=weekday_name(day.weekday(), lang),
        day=day.day,
        month=month_name(day.month, lang),
        year=day.year,
    )


def moment_label(moment: date, lang: str, *, year: bool = True) -> str:
    """A date, or a date and time, in words: "Wed 16 Dec 2026", "Wed 16 Dec 2026, 19:30".

    The one wording of a single moment: an occurrence with no end, a sample moment of
    the For members page, an event's start or end quoted in a refusal.
    """
    if not isinstance(moment, datetime):
        return day_label(moment, lang, year=year)
    day = day_label(moment.date(), lang, year=year)
    return t("events.label.timed_open", lang, date=day, start=f"{moment:%H:%M}")


def occurrence_label(row: Row, lang: str, *, year: bool = False) -> str:
    """When an occurrence happens, in words: "Sat 4 Jul, 20:00–22:00", "Sat 4 Jul".

    Unconfirmed dates give only the month(s): "July 2026 · dates to be confirmed".
    """
    start = pd.Timestamp(row["occurrence_start"])
    end = pd.Timestamp(row["occurrence_end"])
    last = end - pd.Timedelta(1, "ns") if end > start else start
    if not is_yes(row.get("confirmed", True)):
        period = _month_text(start, lang)
        if (last.year, last.month) != (start.year, start.month):
            period = t("events.label.span", lang, first=period, last=_month_text(last, lang))
        return t("events.label.tbc", lang, period=period)
    first_day = day_label(start, lang, year=year)
    if is_yes(row.get("all_day", False)):
        if last.date() == start.date():
            return first_day
        return t("events.label.span", lang, first=first_day, last=day_label(last, lang, year=year))
    if end <= start:
        return moment_label(start, lang, year=year)
    if end - start < pd.Timedelta(days=1):
        return t(
            "events.label.timed", lang, date=first_day, start=f"{start:%H:%M}", end=f"{end:%H:%M}"
        )
    return t(
        "events.label.span_timed",
        lang,
        date=first_day,
        start=f"{start:%H:%M}",
        date_end=day_label(end, lang, year=year),
        end=f"{end:%H:%M}",
    )


def month_label(year: int, month: int, lang: str) -> str:
    """A month in words: "July 2026" (the heading of unconfirmed events in that month)."""
    return month_year(year, month, lang)


def _month_text(moment: pd.Timestamp, lang: str) -> str:
    return month_label(moment.year, moment.month, lang)


def price_text(row: Row, lang: str, *, labelled: bool = True) -> str:
    """What entry costs, in ``lang``: "Free entry", "Price: €5" (or "€5"), or "".

    ``free`` true wins over any ``price``; an unknown ``free`` with no price says
    nothing. ``labelled=False`` drops the "Price:" for a cell under a "Price" header.
    """
    if is_yes(row.get("free")):
        return t("events.free", lang)
    price = _text(row.get("price"))
    if price and labelled:
        return t("events.price", lang, price=price)
    return price


def card_lines(occ: pd.DataFrame, lang: str, languages: Sequence[str]) -> dict[str, list[str]]:
    """One plain-text line per occurrence ("Sat 4 Jul, 20:00–22:00 — Title"), per venue id.

    In ``occ``'s order: the event list of a venue card on any map.
    """
    lines: dict[str, list[str]] = {}
    for row in occ.to_dict("records"):
        title = localized(row, "title", lang, languages)
        lines.setdefault(str(row["venue_id"]), []).append(
            f"{occurrence_label(row, lang)} — {title}"
        )
    return lines


def events_table(occ: pd.DataFrame, lang: str, languages: Sequence[str]) -> str:
    """A plain-text table for the command line, one line per occurrence."""
    if not len(occ):
        return t("events.none", lang) + "\n"
    header = [
        t(f"events.column.{c}", lang)
        for c in ("date", "when", "title", "venue", "category", "price")
    ]
    lines = [header]
    for row in occ.to_dict("records"):
        lines.append(
            [
                _date_columns(row)[0][:10],
                occurrence_label(row, lang),
                localized(row, "title", lang, languages),
                _text(row.get("venue_id")),
                _text(row.get("category")),
                price_text(row, lang, labelled=False),
            ]
        )
    widths = [max(len(line[k]) for line in lines) for k in range(len(header))]
    rendered = [
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
        for line in lines
    ]
    rendered.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(rendered) + "\n"


def to_csv_bytes(
    occ: pd.DataFrame, lang: str, languages: Sequence[str], *, raw: bool = False
) -> bytes:
    """Occurrences as CSV with :data:`CSV_COLUMNS`, written by
    :func:`mapping.files.csv_rows_bytes` (RFC 4180: CRLF, quoted as needed, UTF-8,
    spreadsheet-safe unless ``raw``)."""
    rows = []
    for row in occ.to_dict("records"):
        start, end = _date_columns(row)
        free = row.get("free")
        rows.append(
            [
                row["event_id"],
                start,
                end,
                _bool_text(row.get("all_day", False)),
                _bool_text(row.get("confirmed", True)),
                occurrence_label(row, lang),
                localized(row, "title", lang, languages),
                _text(row.get("category")),
                _text(row.get("venue_id")),
                price_text(row, lang, labelled=False),
                "" if _missing(free) else _bool_text(free),
                _text(row.get("organiser")),
                _text(row.get("url")),
                localized(row, "description", lang, languages),
            ]
        )
    return csv_rows_bytes(CSV_COLUMNS, rows, raw=raw)


def _date_columns(row: Row) -> tuple[str, str]:
    """ISO start/end for exports; only ``YYYY-MM`` when the dates are not confirmed."""
    start = pd.Timestamp(row["occurrence_start"])
    end = pd.Timestamp(row["occurrence_end"])
    if not is_yes(row.get("confirmed", True)):
        last = end - pd.Timedelta(1, "ns") if end > start else start
        return f"{start:%Y-%m}", "" if last.month == start.month else f"{last:%Y-%m}"
    if is_yes(row.get("all_day", False)):
        last = end - pd.Timedelta(days=1) if end > start else start
        return f"{start:%Y-%m-%d}", f"{last:%Y-%m-%d}"
    return f"{start:%Y-%m-%dT%H:%M}", f"{end:%Y-%m-%dT%H:%M}"


def _missing(value: object) -> bool:
    """None, ``pd.NA``, ``NaT`` or NaN: a cell with nothing in it."""
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and math.isnan(value))
    )


def _text(value: object) -> str:
    return "" if _missing(value) else str(value).strip()


def _bool_text(value: object) -> str:
    return "true" if is_yes(value) else "false"
