"""Seasonality for planners: what is open, for how many hours, and what is unknown, per month.

Over the enriched month columns (:data:`mapping.hours.MONTH_STATE_COLUMNS` and the weekly
hours beside them) of the venues a visitor can go to (:func:`mapping.query.visitable`),
and over the events of a year. Unknown hours are their own series, never counted as open
nor as closed. (:mod:`mapping.seasons` is something else: opening hours in words.)

The charts of these figures live here too, in the reader's language: every label from
the catalogue, group names instead of group ids, numbers through
:func:`mapping.i18n.number`, every month drawn (zero bars included) and the value axis
running :data:`HEADROOM` above the tallest bar so that its label is never cut off.
:func:`hours_chart` and :func:`events_chart` are complete Vega-Lite specifications
(data inline) for ``st.vega_lite_chart``; :func:`hours_chart_svg` is the printed
report's inline SVG.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

import pandas as pd

from mapping import events as ev
from mapping.coverage import MONTHS, category_groups
from mapping.hours import MONTH_STATE_COLUMNS, OPEN, UNKNOWN, WEEKLY_HOURS_COLUMNS
from mapping.i18n import locale, month_name, month_year, number, t
from mapping.query import visitable
from mapping.schema import yes_flags
from mapping.text import escape

if TYPE_CHECKING:
    from mapping.io import Dataset


def seasonality(dataset: Dataset) -> pd.DataFrame:
    """Per month and category: venues open, open venue-hours per week, hours unknown.

    Columns ``month``, ``category``, ``group``, ``open`` (open on at least one day),
    ``hours`` (open venue-hours per week), ``unknown`` (venues whose hours are unknown
    that month: their own series, never open nor closed). Only venues a visitor can go
    to (``visit`` is not ``no``).
    """
    venues = dataset.venues[visitable(dataset.venues)]
    groups = category_groups(dataset.categories)
    rows = []
    for month, state_col, hours_col in zip(
        MONTHS, MONTH_STATE_COLUMNS, WEEKLY_HOURS_COLUMNS, strict=True
    ):
        for category, part in venues.groupby("category", sort=True):
            states = part[state_col]
            rows.append(
                (
                    month,
                    str(category),
                    groups.get(str(category), str(category)),
                    int((states == OPEN).sum()),
                    float(part.loc[states == OPEN, hours_col].sum()),
                    int((states == UNKNOWN).sum()),
                )
            )
    return pd.DataFrame(rows, columns=["month", "category", "group", "open", "hours", "unknown"])


def by_group(season: pd.DataFrame) -> pd.DataFrame:
    """:func:`seasonality` summed per month and category group; every month at 0 (group
    ``""``) when there is nothing to sum (a town without venues yet), so charts draw."""
    found = season.groupby(["month", "group"], as_index=False)[["open", "hours", "unknown"]].sum()
    if found.empty:
        months = list(range(1, 13))
        return pd.DataFrame(
            {"month": months, "group": "", "open": 0, "hours": 0.0, "unknown": 0}, index=months
        ).reset_index(drop=True)
    return found


def per_month(season: pd.DataFrame) -> pd.DataFrame:
    """:func:`seasonality` summed per month (one row each month)."""
    return season.groupby("month", as_index=False)[["open", "hours", "unknown"]].sum()


def off_peak_ratio(
    season: pd.DataFrame, off_season: Sequence[int], peak: Sequence[int]
) -> float | None:
    """Mean open venue-hours per week in the off-season ÷ the same in the peak months.

    None when nothing is known open in the peak (the ratio would be meaningless).
    """
    # every month, 0 where nothing is known (a town without venues yet has no rows)
    months = per_month(season).set_index("month")["hours"].reindex(range(1, 13), fill_value=0)
    peak_hours = float(months.loc[list(peak)].mean())
    if not peak_hours:
        return None
    return float(months.loc[list(off_season)].mean()) / peak_hours


class RatioBasis(NamedTuple):
    """What :func:`off_peak_ratio` rests on: the venues it can see, of those it counts."""

    with_hours: int  # venues with known hours in at least one off-season or peak month
    venues: int  # venues a visitor can go to (the ratio's whole basis)


def ratio_basis(dataset: Dataset, off_season: Sequence[int], peak: Sequence[int]) -> RatioBasis:
    """How many venues the off-season ÷ peak ratio rests on: those whose hours are known
    (open or closed, not unknown) in some month it compares, of the venues a visitor can
    go to. Venues with unknown hours add nothing to either side of the ratio, so a ratio
    of a handful of venues must say so (issue 22, item 4)."""
    venues = dataset.venues[visitable(dataset.venues)]
    columns = [MONTH_STATE_COLUMNS[m - 1] for m in sorted({*off_season, *peak})]
    if venues.empty or not columns:
        return RatioBasis(0, len(venues))
    known = (venues[columns] != UNKNOWN).any(axis=1)
    return RatioBasis(int(known.sum()), len(venues))


def events_per_month(dataset: Dataset, year: int) -> pd.DataFrame:
    """Event occurrences starting in each month of ``year`` by category, confirmed apart.

    Columns ``month``, ``category``, ``confirmed`` (bool), ``events``.
    """
    occ = ev.occurrences(
        dataset.events, date(year, 1, 1), date(year, 12, 31), dataset.city.timezone
    )
    if occ.empty:
        return pd.DataFrame(columns=["month", "category", "confirmed", "events"])
    starts = pd.to_datetime(occ["start"])
    frame = pd.DataFrame(
        {
            "month": starts.dt.month.to_numpy(),
            "category": occ["category"].fillna("").astype(str).to_numpy(),
            "confirmed": yes_flags(occ["dates_confirmed"], occ.index),
        }
    )
    return frame.groupby(["month", "category", "confirmed"]).size().rename("events").reset_index()


# --------------------------------------------------------------------------- charts

GROUP_COLOURS = ("#0077BB", "#33BBEE", "#009988", "#EE7733", "#CC3311", "#EE3377", "#BBBBBB")
"""Category group colours (Paul Tol's colour-blind safe "vibrant" scheme), in order."""
EVENT_COLOURS = ("#0077BB", "#BBBBBB")
"""Confirmed and to-be-confirmed event dates."""
HEADROOM = 1.2
"""The value axis runs this far above the tallest bar, so its label is never cut off."""
CHART_HEIGHT = 240
LEGEND_COLUMNS = 3
"""Legend entries per row: on one row, the seven category groups ran past the chart's
right edge."""


def vega_number_locale(lang: str) -> dict[str, object]:
    """Vega's number locale for ``lang`` (axis ticks "2.000" in ``de``), from Babel."""
    symbols = locale(lang).number_symbols["latn"]
    return {
        "decimal": symbols["decimal"],
        "thousands": symbols["group"],
        "grouping": [3],
        "currency": ["", ""],
    }


def _stacked_chart(
    lang: str,
    description: str,
    bars: list[dict[str, object]],
    series: tuple[str, list[str], Sequence[str]],
    value_title: str,
) -> dict[str, Any]:
    """Bars per month (field ``label``) stacked by ``series`` (its legend title, names in
    order, colours), a total printed above each month, the axis with headroom."""
    legend, names, colours = series
    labels = list(dict.fromkeys(str(b["label"]) for b in bars))
    totals: dict[str, float] = dict.fromkeys(labels, 0.0)
    for bar in bars:
        totals[str(bar["label"])] += float(str(bar["value"]))
    top = max([*totals.values(), 1.0]) * HEADROOM
    x = {
        "field": "label",
        "type": "ordinal",
        "sort": labels,
        "title": None,
        "axis": {"labelAngle": 0},
    }
    y = {"type": "quantitative", "scale": {"domain": [0, top], "nice": False}}
    scale: dict[str, object] = {"domain": names}
    if len(names) <= len(colours):
        scale["range"] = list(colours[: len(names)])
    return {
        "description": description,
        "height": CHART_HEIGHT,
        "config": {
            "locale": {"number": vega_number_locale(lang)},
            "axis": {"aria": False},
            "legend": {
                "aria": False,
                "orient": "bottom",
                "labelLimit": 400,
                "columns": LEGEND_COLUMNS,
            },
        },
        "datasets": {
            "bars": bars,
            "totals": [
                {"label": k, "total": v, "text": number(v, lang)} for k, v in totals.items()
            ],
        },
        "layer": [
            {
                "data": {"name": "bars"},
                "mark": {"type": "bar", "aria": False},
                "encoding": {
                    "x": x,
                    "y": {**y, "field": "value", "stack": "zero", "title": value_title},
                    "color": {
                        "field": "series",
                        "type": "nominal",
                        "sort": names,
                        "scale": scale,
                        "legend": {"title": legend},
                    },
                    "order": {"field": "order", "type": "quantitative"},
                    "tooltip": {"field": "tooltip", "type": "nominal"},
                },
            },
            {
                "data": {"name": "totals"},
                "mark": {"type": "text", "baseline": "bottom", "dy": -3, "aria": False},
                "encoding": {"x": x, "y": {**y, "field": "total"}, "text": {"field": "text"}},
            },
        ],
    }


def hours_chart(season: pd.DataFrame, groups: Mapping[str, str], lang: str) -> dict[str, Any]:
    """Open venue-hours per week in each month, stacked by category group.

    ``season`` is :func:`seasonality`'s frame, ``groups`` names each category group
    (:func:`mapping.planning_columns.group_names`). Every month is drawn, each with its
    total above it; the legend's title and entries are in ``lang``.
    """
    monthly = by_group(season)
    found = set(monthly["group"].astype(str))
    order = [g for g in groups if g in found] + sorted(found - set(groups))
    names = [groups.get(g, g) for g in order]
    bars: list[dict[str, object]] = []
    for month in MONTHS:
        rows = monthly[monthly["month"] == month].set_index("group")["hours"]
        for index, group in enumerate(order):
            hours = float(rows.get(group, 0.0))
            bars.append(
                {
                    "label": month_name(month, lang),
                    "series": names[index],
                    "order": index,
                    "value": hours,
                    "tooltip": t(
                        "planning.chart.hours_tooltip",
                        lang,
                        month=month_name(month, lang, long=True),
                        group=names[index],
                        hours=number(hours, lang),
                    ),
                }
            )
    return _stacked_chart(
        lang,
        t("planning.chart_hours", lang),
        bars,
        (t("planning.chart.group", lang), names, GROUP_COLOURS),
        t("planning.chart_hours", lang),
    )


def events_chart(events: pd.DataFrame, year: int, lang: str) -> dict[str, Any]:
    """Events starting in each month of ``year``, confirmed and to be confirmed stacked.

    ``events`` is :func:`events_per_month`'s frame. A month without events is drawn with
    its total "0"; January is labelled with the year ("Jan 2027"), the other months by
    name, so the axis says which year it shows.
    """
    statuses = [t("planning.confirmed", lang), t("planning.unconfirmed", lang)]
    counts = (
        events.groupby(["month", "confirmed"])["events"].sum()
        if not events.empty
        else pd.Series(dtype=float)
    )
    bars: list[dict[str, object]] = []
    for month in MONTHS:
        label = month_year(year, month, lang, long=False) if month == 1 else month_name(month, lang)
        for index, confirmed in enumerate((True, False)):
            found = int(counts.get((month, confirmed), 0))
            bars.append(
                {
                    "label": label,
                    "series": statuses[index],
                    "order": index,
                    "value": found,
                    "tooltip": t(
                        "planning.chart.events_tooltip",
                        lang,
                        month=month_year(year, month, lang),
                        status=statuses[index],
                        events=number(found, lang),
                    ),
                }
            )
    return _stacked_chart(
        lang,
        t("planning.events", lang),
        bars,
        (t("planning.chart.status", lang), statuses, EVENT_COLOURS),
        t("planning.chart.events_axis", lang),
    )


def hours_chart_svg(months: pd.DataFrame, lang: str) -> str:
    """Open venue-hours per week (bars, each with its value above) and the venues whose
    hours are unknown (``?n`` below), for every month, as inline SVG for the report.

    ``months`` is :func:`per_month`'s frame. The tallest bar stops :data:`HEADROOM`
    below the top, so its label is inside the picture; numbers are ``lang``'s.
    """
    width, height, bar, top_margin = 720, 220, 50, 18
    rows = months.set_index("month").reindex(MONTHS, fill_value=0)
    all_hours = rows["hours"].to_numpy(dtype=float)
    all_unknown = rows["unknown"].to_numpy(dtype=int)
    top = float(all_hours.max() or 1.0) * HEADROOM
    title = escape(t("planning.chart_hours", lang))
    parts = [
        f'<svg class=chart viewBox="0 0 {width} {top_margin + height + 60}" role="img" '
        f'aria-label="{title}">'
    ]
    base = top_margin + height
    for i, month in enumerate(MONTHS):
        hours, unknown = float(all_hours[i]), int(all_unknown[i])
        h = hours / top * height
        x = 20 + i * (bar + 8)
        shown = escape(number(hours, lang))
        parts.append(
            f'<rect x="{x}" y="{base - h:.1f}" width="{bar}" height="{h:.1f}" '
            f'fill="#0077BB"><title>{shown}</title></rect>'
            f'<text x="{x + bar / 2}" y="{base - h - 4:.1f}" text-anchor="middle">{shown}</text>'
            f'<text x="{x + bar / 2}" y="{base + 16}" text-anchor="middle">'
            f"{escape(month_name(month, lang))}</text>"
            f'<text x="{x + bar / 2}" y="{base + 34}" text-anchor="middle" '
            f"class=unknown>?{escape(number(unknown, lang))}</text>"
        )
    parts.append(
        f'<text x="20" y="{base + 54}">{title}; '
        f"?: {escape(t('planning.chart_unknown', lang))}</text></svg>"
    )
    return "".join(parts)
