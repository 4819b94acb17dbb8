"""What the What's on page shows, from plain values (no Streamlit here).

Decisions:

- **Ranges look ahead**: the presets and the days a range may take are
  :mod:`mapping.whats_on_ranges` (this module offers its names too, for the page).
- **The list** has three parts: events running for more than
  :data:`LONG_RUNNING_DAYS` days (month-long exhibitions, a 22 Dec - 8 Jan programme)
  listed once under "running through these dates" with their full dates; the other
  confirmed events by day; events whose dates are not confirmed by expected month
  ("expected in December 2026 - dates to be confirmed"), never among the days.
- **The month strip** counts events per month for 12 months; clicking a month makes
  the range that whole month (:mod:`mapping.whats_on_strip`).
- **The count says what it counts**: events with confirmed dates on the chosen days,
  then "N more in <month> with dates to be confirmed" (:func:`count_text`). An event whose
  dates are not confirmed is never counted as happening on a day, only in its month.
- An empty category choice means "all categories"; "members only" keeps events held at
  venues of cluster members and prospective members.

Everything the page shows about an event is decided here (or in :mod:`mapping.events`);
the page only lays it out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import geopandas as gpd
import pandas as pd

from mapping import events as ev
from mapping import render
from mapping.calendar import IcsExport, to_ics
from mapping.events.text import Row
from mapping.i18n import localized, localized_column, plural, t, text_language, text_note
from mapping.io import Dataset
from mapping.memo import per_dataset
from mapping.schema import in_cluster, is_web_url
from mapping.whats_on_ranges import (
    CUSTOM,
    DEFAULT_DAYS,
    DEFAULT_PRESET,
    PRESETS,
    STRIP_MONTHS,
    day_choices,
    matching_preset,
    month_range,
    preset_label,
    preset_range,
    presets,
    range_label,
    range_param,
)
from mapping.whats_on_strip import (
    STRIP_COLOURS,
    STRIP_SELECTION,
    month_from_selection,
    month_strip,
    month_strip_spec,
)

__all__ = [  # with the names of whats_on_ranges and whats_on_strip, offered for the page
    "CUSTOM",
    "DEFAULT_DAYS",
    "DEFAULT_PRESET",
    "LIST_PAGE",
    "LONG_RUNNING_DAYS",
    "PRESETS",
    "STRIP_COLOURS",
    "STRIP_MONTHS",
    "STRIP_SELECTION",
    "ListPage",
    "WhatsOn",
    "calendar_file",
    "calendar_of_view",
    "category_labels",
    "count_text",
    "day_choices",
    "event_details",
    "event_link",
    "event_title",
    "event_title_note",
    "list_page",
    "map_payload",
    "matching_preset",
    "month_from_selection",
    "month_range",
    "month_strip",
    "month_strip_spec",
    "page_venues",
    "preset_label",
    "preset_range",
    "presets",
    "range_label",
    "range_param",
    "venue_names",
    "whats_on",
]

LONG_RUNNING_DAYS = 3
"""An event running on more local days than this is listed once, not on each day."""


@dataclass(frozen=True)
class WhatsOn:
    """Occurrences in a range after filters, grouped for the list and the map."""

    occurrences: pd.DataFrame
    ongoing: pd.DataFrame  # confirmed, running more than LONG_RUNNING_DAYS days
    days: list[tuple[date, pd.DataFrame]]
    unconfirmed: list[tuple[tuple[int, int], pd.DataFrame]]
    venues: gpd.GeoDataFrame  # venues hosting at least one listed occurrence
    venue_lines: dict[str, list[str]]  # card lines per venue id
    in_calendar: int  # occurrences the .ics file holds (confirmed dates)
    left_out: int  # occurrences the .ics file leaves out (unconfirmed dates)


LIST_PAGE = 50
"""Event cards per page of the list; "show more" adds a page. A busy month in a big town
holds thousands of occurrences, and a page of thousands of cards takes minutes to draw."""


@dataclass(frozen=True)
class ListPage:
    """The part of a :class:`WhatsOn` list that one page of cards shows, in list order
    (ongoing, then day by day, then to be confirmed), and how many are left out."""

    ongoing: pd.DataFrame
    days: list[tuple[date, pd.DataFrame]]
    unconfirmed: list[tuple[tuple[int, int], pd.DataFrame]]
    shown: int
    total: int


def list_page(view: WhatsOn, limit: int) -> ListPage:
    """The first ``limit`` event cards of ``view`` (ongoing, by day, to be confirmed)."""
    left = max(0, limit)

    def take(frame: pd.DataFrame) -> pd.DataFrame:
        nonlocal left
        part = frame.iloc[:left]
        left -= len(part)
        return part

    ongoing = take(view.ongoing)
    days = [(day, part) for day, group in view.days if len(part := take(group))]
    unconfirmed = [(month, part) for month, group in view.unconfirmed if len(part := take(group))]
    total = (
        len(view.ongoing)
        + sum(len(g) for _, g in view.days)
        + sum(len(g) for _, g in view.unconfirmed)
    )
    return ListPage(ongoing, days, unconfirmed, max(0, limit) - left, total)


def page_venues(page: ListPage) -> tuple[str, ...]:
    """The venues of the cards on screen, each once, in list order: the page counts them
    as shown (:mod:`mapping.usage`), and "show more" only adds venues at the end."""
    frames = [page.ongoing, *(g for _, g in page.days), *(g for _, g in page.unconfirmed)]
    return tuple(dict.fromkeys(str(v) for frame in frames for v in frame["venue_id"]))


@per_dataset
def whats_on(
    data: Dataset,
    first: date,
    last: date,
    *,
    categories: tuple[str, ...] | None,
    members_only: bool,
    text: str,
    lang: str,
) -> WhatsOn:
    """Events running between ``first`` and ``last`` (inclusive local days) that match."""
    tz = data.city.timezone
    occ = ev.occurrences(data.events, first, last, tz)
    venues = data.venues
    venue_ids = set(venues.loc[in_cluster(venues["cluster"]), "id"]) if members_only else None
    occ = ev.filter_occurrences(
        occ,
        categories=list(categories) if categories else None,
        venue_ids=venue_ids,
        text=text,
        lang=lang,
    )
    lines = ev.card_lines(occ, lang, data.city.languages)
    hosts = data.venues[data.venues["id"].isin(list(lines))]
    # The same rule as calendar.to_ics: unconfirmed dates are not in the file.
    confirmed = occ["confirmed"].to_numpy(dtype=bool)
    in_calendar = int(confirmed.sum())
    long_running = confirmed & (ev.days_running(occ, tz) > LONG_RUNNING_DAYS)
    by_day = occ.loc[~long_running].reset_index(drop=True)
    by_day.attrs = dict(occ.attrs)
    return WhatsOn(
        occurrences=occ,
        ongoing=occ.loc[long_running].reset_index(drop=True),
        days=ev.group_by_day(by_day, tz, start=first, end=last),
        unconfirmed=ev.unconfirmed_by_month(occ, start=first, end=last),
        venues=hosts,
        venue_lines=lines,
        in_calendar=in_calendar,
        left_out=len(occ) - in_calendar,
    )


def calendar_file(
    data: Dataset, occ: pd.DataFrame, lang: str, now: datetime | None = None
) -> IcsExport:
    """The ``.ics`` for these occurrences (unconfirmed dates left out, and counted);
    ``now`` is its DTSTAMP (default: the current time)."""
    city = data.city
    return to_ics(
        occ,
        pd.DataFrame(data.venues),
        lang,
        city.languages,
        city.timezone,
        categories=data.event_categories,
        now=now,
    )


@per_dataset
def calendar_of_view(
    data: Dataset,
    first: date,
    last: date,
    *,
    categories: tuple[str, ...] | None,
    members_only: bool,
    text: str,
    lang: str,
    stamp: datetime,
) -> bytes:
    """The ``.ics`` of everything :func:`whats_on` lists for these filters, stamped
    ``stamp`` (the page passes the minute, so reruns within it reuse the file)."""
    view = whats_on(
        data, first, last, categories=categories, members_only=members_only, text=text, lang=lang
    )
    return calendar_file(data, view.occurrences, lang, now=stamp).data


@per_dataset
def venue_names(data: Dataset, lang: str) -> dict[str, str]:
    """Venue id → name in ``lang`` (with fallback)."""
    names: pd.Series = localized_column(data.venues, "name", lang, data.city.languages)
    return dict(zip(data.venues["id"].astype(str), names.astype(str), strict=True))


@per_dataset
def category_labels(data: Dataset, lang: str) -> dict[str, str]:
    """Event category id → its label in ``lang`` (``label_<lang>``, with fallback)."""
    cats = data.event_categories
    labels: pd.Series = localized_column(cats, "label", lang, data.city.languages)
    return dict(zip(cats["id"].astype(str), labels.astype(str), strict=True))


def event_title(row: Row, lang: str, languages: Sequence[str]) -> str:
    """The occurrence's title in ``lang`` (with fallback)."""
    return localized(_record(row), "title", lang, languages)


def event_title_note(row: Row, lang: str, languages: Sequence[str]) -> str:
    """ "Text in English" when the title shown on a ``lang`` page is another language's
    (:func:`mapping.i18n.text_note`), else ""."""
    return text_note(text_language(_record(row), "title", lang, languages)[1], lang)


def count_text(view: WhatsOn, first: date, last: date, lang: str) -> str:
    """What the list holds, said as what it is: "2 events on these days; 5 more in
    December 2026 with dates to be confirmed". The first part counts occurrences with
    confirmed dates (what the day list and the running-through list show); the second
    the to-be-confirmed entries (once per event and expected month), which no day counts."""
    dated = plural(
        "whats_on.count_day" if first == last else "whats_on.count", lang, view.in_calendar
    )
    undated = sum(len(group) for _, group in view.unconfirmed)
    if not undated:
        return dated
    months = ", ".join(ev.month_label(year, month, lang) for (year, month), _ in view.unconfirmed)
    tbc = plural("whats_on.count_tbc", lang, undated, months=months)
    return t("whats_on.count_both", lang, dated=dated, undated=tbc)


def event_details(row: Row, lang: str, languages: Sequence[str]) -> list[str]:
    """Plain-text detail lines for one occurrence: description (with "Text in English"
    when it is another language's), price or free, organiser."""
    record = _record(row)
    organiser = str(record.get("organiser", "") or "").strip()
    description, source = text_language(record, "description", lang, languages)
    note = text_note(source, lang)
    details = [
        f"{description} ({note})" if description and note else description,
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


@per_dataset
def map_payload(
    data: Dataset,
    first: date,
    last: date,
    *,
    categories: tuple[str, ...] | None,
    members_only: bool,
    text: str,
    lang: str,
    now: datetime,
) -> render.MapPayload:
    """The map of the venues hosting what :func:`whats_on` lists, each card with its
    events; ``now`` to the minute (the card's open/closed state), so it is remembered
    for the minute."""
    view = whats_on(
        data, first, last, categories=categories, members_only=members_only, text=text, lang=lang
    )
    options = render.MapOptions(
        now=now,
        extra_lines=view.venue_lines,
        extra_title=t("whats_on.map_events", lang),
        landmarks=render.landmark_points(data.places, lang, data.city.languages),
    )
    return render.build_payload(view.venues, data.categories, data.city, lang, options)
