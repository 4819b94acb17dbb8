"""What the What's on page shows, from plain values (no Streamlit here).

Decisions:

- **Ranges look ahead.** The presets are :data:`PRESETS` (this weekend, the next 7 and
  30 days, the rest of this month, next month, the off-season) and every one starts
  today or later; "other dates" is a custom range. The default is the next 30 days in
  the town's time zone. A range in the URL that equals a preset's range for today shows
  that preset as chosen; otherwise "other dates".
- **This weekend** is Saturday and Sunday: the coming ones, or today and tomorrow on a
  Saturday, today on a Sunday. **This month** is today to the month's last day.
  **The off-season** is the town's ``off_season_months`` (Oct-Apr in Kotor): from today
  when it is off-season now, else from the first day of the next off-season, to the
  last day of that run of months.
- **The list** has three parts: events running for more than
  :data:`LONG_RUNNING_DAYS` days (month-long exhibitions, a 22 Dec - 8 Jan programme)
  listed once under "running through these dates" with their full dates; the other
  confirmed events by day; events whose dates are not confirmed by expected month
  ("expected in December 2026 - dates to be confirmed"), never among the days.
- **The month strip** counts events per month for 12 months; clicking a month makes
  the range that whole month. Its tooltip and labels come from the catalogue.
- An empty category choice means "all categories"; "members only" keeps events held at
  venues of cluster members and prospective members.

Everything the page shows about an event is decided here (or in :mod:`mapping.events`);
the page only lays it out.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from mapping import events as ev
from mapping import render
from mapping.calendar import IcsExport, to_ics
from mapping.events.text import Row
from mapping.i18n import localized, localized_column, month_name, plural, t
from mapping.io import Dataset
from mapping.memo import per_dataset
from mapping.months import month_runs, next_month
from mapping.schema import in_cluster, is_web_url

DEFAULT_DAYS = 30
STRIP_MONTHS = 12
LONG_RUNNING_DAYS = 3
"""An event running on more local days than this is listed once, not on each day."""
PRESETS: tuple[str, ...] = ("weekend", "week", "days30", "month", "next_month", "off_season")
"""Range presets, in the order the page offers them (catalogue ``whats_on.preset.<id>``)."""
CUSTOM = "custom"
"""The choice for a range no preset gives ("other dates")."""
DEFAULT_PRESET = "days30"
STRIP_SELECTION = "month_pick"
"""Name of the month strip's point selection (what a click on a month reports)."""
STRIP_COLOURS = ("#0077BB", "#BBBBBB")
"""Confirmed, unconfirmed (Paul Tol's bright blue and grey: colour-blind safe)."""


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


def presets(off_season_months: Sequence[int]) -> tuple[str, ...]:
    """The presets a town offers: the off-season only when it has off-season months."""
    return tuple(p for p in PRESETS if p != "off_season" or off_season_months)


def preset_range(preset: str, today: date, off_season_months: Sequence[int]) -> tuple[date, date]:
    """The ``(first, last)`` local days of a preset, seen from ``today`` (see the module
    docstring for each preset's rule)."""
    if preset == "weekend":
        saturday = today + timedelta(days=(5 - today.weekday()) % 7)
        if today.weekday() == 6:  # Sunday: the weekend is today
            return today, today
        return max(today, saturday), saturday + timedelta(days=1)
    if preset == "week":
        return today, today + timedelta(days=6)
    if preset == "days30":
        return today, today + timedelta(days=DEFAULT_DAYS)
    if preset == "month":
        return today, _month_end(today.year, today.month)
    if preset == "next_month":
        year, month = next_month(today.year, today.month)
        return month_range(year, month)
    if preset == "off_season":
        found = _off_season(today, off_season_months)
        if found is None:
            msg = "off_season_months is empty: the town has no off-season preset"
            raise ValueError(msg)
        return found
    msg = f"preset must be one of {', '.join(PRESETS)}; got {preset!r}"
    raise ValueError(msg)


def matching_preset(first: date, last: date, today: date, off_season_months: Sequence[int]) -> str:
    """The first preset whose range today is ``first``..``last``, else :data:`CUSTOM`."""
    for preset in presets(off_season_months):
        if preset_range(preset, today, off_season_months) == (first, last):
            return preset
    return CUSTOM


def preset_label(preset: str, lang: str, off_season_months: Sequence[int]) -> str:
    """A preset's name in ``lang``; the off-season names its months ("Off-season (Oct–Apr)");
    :data:`CUSTOM` is "Other dates"."""
    if preset == "off_season":
        first, last = month_runs(off_season_months)[0]  # read around the year end: (10, 4)
        return t(
            "whats_on.preset.off_season",
            lang,
            first=month_name(first, lang),
            last=month_name(last, lang),
        )
    return t(f"whats_on.preset.{preset}", lang)


def month_range(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    return date(year, month, 1), _month_end(year, month)


def range_param(first: date, last: date) -> list[str]:
    """The URL's ``range`` values for a range (both days, ISO)."""
    return [first.isoformat(), last.isoformat()]


def range_label(first: date, last: date, lang: str) -> str:
    """A range in words: "Sat 5 Dec 2026 – Sun 6 Dec 2026", or one day."""
    if first == last:
        return ev.day_label(first, lang, year=True)
    return t(
        "events.label.span",
        lang,
        first=ev.day_label(first, lang, year=True),
        last=ev.day_label(last, lang, year=True),
    )


def day_choices(today: date, first: date, last: date) -> list[date]:
    """The days a custom range can start or end on: the month strip's 12 months (from
    the 1st of this month), widened to include a range from a link."""
    lo = min(today.replace(day=1), first)
    end_year, end_month = today.year, today.month
    for _ in range(STRIP_MONTHS - 1):
        end_year, end_month = next_month(end_year, end_month)
    hi = max(_month_end(end_year, end_month), last)
    return [lo + timedelta(days=k) for k in range((hi - lo).days + 1)]


def month_from_selection(selection: Mapping[str, Any] | None) -> tuple[int, int] | None:
    """The ``(year, month)`` a click on the month strip picked, from Streamlit's
    selection state (``{"month_pick": [{"month": "2026-12"}]}``), or None."""
    if not selection:
        return None
    picked = selection.get(STRIP_SELECTION)
    values: list[object] = []
    if isinstance(picked, Mapping):
        found = picked.get("month")
        values = list(found) if isinstance(found, list | tuple) else [found]
    elif isinstance(picked, list | tuple):
        values = [p.get("month") for p in picked if isinstance(p, Mapping)]
    for value in values:
        try:
            year, month = (int(part) for part in str(value).split("-"))
        except ValueError:
            continue
        if 1 <= month <= 12:
            return year, month
    return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _off_season(today: date, months: Sequence[int]) -> tuple[date, date] | None:
    """From today (or the next off-season month's 1st) to the end of that run of months."""
    wanted = set(months)
    if not wanted:
        return None
    year, month, start = today.year, today.month, today
    while month not in wanted:
        year, month = next_month(year, month)
        start = date(year, month, 1)
    for _ in range(11):  # a run is at most 12 months (all year: to the same month)
        following = next_month(year, month)
        if following[1] not in wanted:
            break
        year, month = following
    return start, _month_end(year, month)


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


@per_dataset
def month_strip(
    data: Dataset, today: date, lang: str, selected: tuple[date, date] | None = None
) -> pd.DataFrame:
    """Events per month for the next 12 months, for the off-season at a glance.

    Long form for a stacked bar chart, two rows per month (confirmed, then unconfirmed):
    ``month`` ("2026-12", what a click reports), ``label`` (the axis label: "Dec", the
    year added on the first month and on January), ``status`` (in ``lang``), ``order``,
    ``count``, ``tooltip`` ("December 2026: 1 confirmed, 3 to be confirmed", in
    ``lang``) and ``in_range`` (the month overlaps ``selected``, drawn solid).
    """
    counts = ev.events_per_month(
        data.events, today.replace(day=1), STRIP_MONTHS, data.city.timezone
    )
    statuses = (t("whats_on.confirmed", lang), t("whats_on.unconfirmed", lang))
    rows: list[dict[str, object]] = []
    for k, (y, m, done, pending) in enumerate(
        zip(
            counts["year"], counts["month"], counts["confirmed"], counts["unconfirmed"], strict=True
        )
    ):
        year, month = int(y), int(m)
        label = month_name(month, lang)
        if k == 0 or month == 1:
            label = f"{label} {year}"
        tooltip = t(
            "whats_on.chart.tooltip",
            lang,
            month=ev.month_label(year, month, lang),
            confirmed=plural("whats_on.chart.confirmed", lang, int(done)),
            unconfirmed=plural("whats_on.chart.unconfirmed", lang, int(pending)),
        )
        first, last = month_range(year, month)
        in_range = selected is None or (first <= selected[1] and last >= selected[0])
        for order, (status, count) in enumerate(zip(statuses, (done, pending), strict=True)):
            rows.append(
                {
                    "month": f"{year}-{month:02d}",
                    "label": label,
                    "status": status,
                    "order": order,
                    "count": int(count),
                    "tooltip": tooltip,
                    "in_range": bool(in_range),
                }
            )
    frame = pd.DataFrame(rows)
    frame["count"] = frame["count"].astype(np.int64)
    return frame


def month_strip_spec(lang: str) -> dict[str, Any]:
    """The Vega-Lite spec of the month strip: stacked bars, every text from the catalogue.

    Two layers share the month axis: the stacked bars (confirmed, unconfirmed), and on
    top one transparent full-height rectangle per month that takes the click, the
    tooltip and the accessible name. So a month without events can be clicked too, and
    the tooltip is the frame's ready-made sentence ("December 2026: 1 confirmed, 3 to be
    confirmed"), never a field name ("value", "color"). A click is the point selection
    :data:`STRIP_SELECTION` over ``month`` (read back with :func:`month_from_selection`).
    Vega's generated English descriptions of marks, axes and legend are switched off
    (``aria: false``); the month rectangles carry the sentence instead. Months outside
    the chosen range are drawn faint.
    """
    statuses = [t("whats_on.confirmed", lang), t("whats_on.unconfirmed", lang)]
    return {
        "description": t("whats_on.strip", lang),
        "height": 140,
        "config": {"axis": {"aria": False}, "legend": {"aria": False}},
        "encoding": {
            "x": {
                "field": "label",
                "type": "ordinal",
                "sort": None,
                "title": t("whats_on.month", lang),
                "axis": {"labelAngle": 0},
            },
        },
        "layer": [
            {
                "mark": {"type": "bar", "aria": False},
                "encoding": {
                    "y": {
                        "field": "count",
                        "type": "quantitative",
                        "title": t("whats_on.chart.events", lang),
                        "axis": {"format": "d", "tickMinStep": 1},
                    },
                    "color": {
                        "field": "status",
                        "type": "nominal",
                        "scale": {"domain": statuses, "range": list(STRIP_COLOURS)},
                        "legend": {"title": None, "orient": "bottom"},
                    },
                    "order": {"field": "order", "type": "quantitative"},
                    "opacity": {"condition": {"test": "datum.in_range", "value": 1}, "value": 0.35},
                },
            },
            {
                "transform": [{"filter": "datum.order == 0"}],  # one rectangle a month
                "mark": {"type": "rect", "fill": "#000000", "fillOpacity": 0, "cursor": "pointer"},
                "params": [
                    {"name": STRIP_SELECTION, "select": {"type": "point", "fields": ["month"]}}
                ],
                "encoding": {
                    "tooltip": {"field": "tooltip", "type": "nominal"},
                    "description": {"field": "tooltip", "type": "nominal"},
                },
            },
        ],
    }


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
