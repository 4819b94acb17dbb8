"""What the What's on page shows, from plain values (no Streamlit here).

Decisions: the default range is today to 30 days ahead in the town's time zone; an
empty category choice means "all categories" (the page's default is all selected);
"members only" keeps events held at venues of cluster members.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import geopandas as gpd
import pandas as pd

from mapping import events as ev
from mapping.calendar import IcsExport, to_ics
from mapping.i18n import localized_column, month_name, t
from mapping.io import Dataset

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


def default_range(now: datetime) -> tuple[date, date]:
    """Today to 30 days ahead."""
    return now.date(), now.date() + timedelta(days=DEFAULT_DAYS)


def whats_on(
    data: Dataset, first: date, last: date, *, categories: tuple[str, ...] | None,
    members_only: bool, text: str, lang: str,
) -> WhatsOn:
    """Events running between ``first`` and ``last`` (inclusive local days) that match."""
    tz = data.city.timezone
    occ = ev.occurrences(data.events, first, last, tz)
    venue_ids = set(data.venues.loc[data.venues["member"], "id"]) if members_only else None
    occ = ev.filter_occurrences(occ, categories=list(categories) if categories else None,
                                venue_ids=venue_ids, text=text, lang=lang)
    lines = ev.card_lines(occ, lang, data.city.languages)
    hosts = data.venues[data.venues["id"].isin(lines)]
    return WhatsOn(
        occurrences=occ,
        days=ev.group_by_day(occ, tz, start=first, end=last),
        unconfirmed=ev.unconfirmed_by_month(occ, start=first, end=last),
        venues=hosts,
        venue_lines=lines,
    )


def month_strip(data: Dataset, today: date, lang: str) -> pd.DataFrame:
    """Events per month for the next 12 months, for the off-season at a glance.

    Index: month labels ("Dec 2026"); columns: confirmed and unconfirmed counts, labelled
    in ``lang``.
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
    names = localized_column(data.venues, "name", lang, data.city.languages)
    return dict(zip(data.venues["id"], names, strict=True))


def event_details(row: pd.Series, lang: str, languages: tuple[str, ...]) -> list[str]:
    """Plain-text detail lines for one occurrence: price/free, organiser."""
    details = []
    if row.get("free") is True:
        details.append(t("events.free", lang))
    elif str(row.get("price", "")).strip():
        details.append(t("events.price", lang, price=row["price"]))
    if str(row.get("organiser", "")).strip():
        details.append(t("events.organiser", lang, name=row["organiser"]))
    description = ev.localized(row, "description", lang, languages)
    if description:
        details.insert(0, description)
    return details
