"""What the What's on page shows, from plain values (no Streamlit here).

Decisions: the default range is today to 30 days ahead in the town's time zone; an
empty category choice means "all categories" (the page's default is all selected);
"members only" keeps events held at venues of cluster members and prospective
members. Everything the page shows about an event is decided here (or in
:mod:`mapping.events`); the page only lays it out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import geopandas as gpd
import pandas as pd

from mapping import events as ev
from mapping.calendar import IcsExport, to_ics
from mapping.events.text import Row
from mapping.i18n import localized, localized_column, month_name, t
from mapping.io import Dataset
from mapping.schema import in_cluster, is_web_url

DEFAULT_DAYS = 30
STRIP_MONTHS = 12


@dataclass(frozen=True)
class WhatsOn:
    """Occurrences in a range after filters, grouped for the list and the map."""

    occurrences: pd.DataFrame
    days: list[tuple[date, pd.DataFrame]]
    unconfirmed: list[tuple[tuple[int, int], pd.DataFrame]]
    venues: gpd.GeoDataFrame  # venues hosting at least one listed occurrence
    venue_lines: dict[str, list[str]]  # card lines per venue id
    in_calendar: int  # occurrences the .ics file holds (confirmed dates)
    left_out: int  # occurrences the .ics file leaves out (unconfirmed dates)


def default_range(now: datetime) -> tuple[date, date]:
    """Today to 30 days ahead."""
    return now.date(), now.date() + timedelta(days=DEFAULT_DAYS)


def picked_range(picked: date | Sequence[date] | None) -> tuple[date, date] | None:
    """The date widget's value as ``(first, last)``, or None when no date is picked.

    One date (mid-selection, or a one-day link: the URL keeps a repeated date once) is a
    one-day range.
    """
    if picked is None:
        return None
    days = [picked] if isinstance(picked, date) else [d for d in picked if d is not None]
    return (days[0], days[-1]) if days else None


def whats_on(
    data: Dataset, first: date, last: date, *, categories: tuple[str, ...] | None,
    members_only: bool, text: str, lang: str,
) -> WhatsOn:
    """Events running between ``first`` and ``last`` (inclusive local days) that match."""
    tz = data.city.timezone
    occ = ev.occurrences(data.events, first, last, tz)
    venues = data.venues
    venue_ids = set(venues.loc[in_cluster(venues["cluster"]), "id"]) if members_only else None
    occ = ev.filter_occurrences(occ, categories=list(categories) if categories else None,
                                venue_ids=venue_ids, text=text, lang=lang)
    lines = ev.card_lines(occ, lang, data.city.languages)
    hosts = data.venues[data.venues["id"].isin(list(lines))]
    # The same rule as calendar.to_ics: unconfirmed dates are not in the file.
    in_calendar = int(occ["confirmed"].sum())
    return WhatsOn(
        occurrences=occ,
        days=ev.group_by_day(occ, tz, start=first, end=last),
        unconfirmed=ev.unconfirmed_by_month(occ, start=first, end=last),
        venues=hosts,
        venue_lines=lines,
        in_calendar=in_calendar,
        left_out=len(occ) - in_calendar,
    )


def month_strip(data: Dataset, today: date, lang: str) -> pd.DataFrame:
    """Events per month for the next 12 months, for the off-season at a glance.

    Index: month labels ("2026-12 Dec", sortable); columns: confirmed and unconfirmed
    counts, labelled in ``lang``.
    """
    counts = ev.events_per_month(data.events, today.replace(day=1), STRIP_MONTHS,
                                 data.city.timezone)
    labels = [
        f"{int(y)}-{int(m):02d} {month_name(int(m), lang)}"
        for y, m in zip(counts["year"], counts["month"], strict=True)
    ]
    return pd.DataFrame({
        t("whats_on.confirmed", lang): counts["confirmed"].to_numpy(),
        t("whats_on.unconfirmed", lang): counts["unconfirmed"].to_numpy(),
    }, index=pd.Index(labels, name=t("whats_on.month", lang)))


def calendar_file(data: Dataset, occ: pd.DataFrame, lang: str) -> IcsExport:
    """The ``.ics`` for these occurrences (unconfirmed dates left out, and counted)."""
    city = data.city
    return to_ics(occ, pd.DataFrame(data.venues), lang, city.languages, city.timezone)


def venue_names(data: Dataset, lang: str) -> dict[str, str]:
    """Venue id → name in ``lang`` (with fallback)."""
    names: pd.Series = localized_column(data.venues, "name", lang, data.city.languages)
    return dict(zip(data.venues["id"].astype(str), names.astype(str), strict=True))


def category_labels(data: Dataset, lang: str) -> dict[str, str]:
    """Event category id → its label in ``lang`` (``label_<lang>``, with fallback)."""
    cats = data.event_categories
    labels: pd.Series = localized_column(cats, "label", lang, data.city.languages)
    return dict(zip(cats["id"].astype(str), labels.astype(str), strict=True))


def event_title(row: Row, lang: str, languages: Sequence[str]) -> str:
    """The occurrence's title in ``lang`` (with fallback)."""
    return localized(_record(row), "title", lang, languages)


def event_details(row: Row, lang: str, languages: Sequence[str]) -> list[str]:
    """Plain-text detail lines for one occurrence: description, price or free, organiser."""
    record = _record(row)
    organiser = str(record.get("organiser", "") or "").strip()
    details = [
        localized(record, "description", lang, languages),
        ev.price_text(record, lang),
        t("events.organiser", lang, name=organiser) if organiser else "",
    ]
    return [d for d in details if d]


def event_link(row: Row) -> str | None:
    """The event's web address ready for a markdown link target, or None.

    Only an address :func:`mapping.schema.is_web_url` accepts becomes a link (never a
    ``javascript:`` one); parentheses are percent-encoded so ``)`` cannot end the
    markdown link early.
    """
    url = row.get("url", "")
    if not is_web_url(url):
        return None
    return str(url).strip().replace("(", "%28").replace(")", "%29")


def _record(row: Row) -> dict[str, object]:
    """A row of the occurrences frame as a plain mapping (what i18n reads)."""
    return {str(k): v for k, v in row.items()}
