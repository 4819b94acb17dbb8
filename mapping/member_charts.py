"""The members' page charts as Vega-Lite: reach by month and usage by month.

Like What's on's month strip (:func:`mapping.whats_on.month_strip_spec`), every text on
a chart comes from the catalogue and every tooltip is a ready-made sentence in the
page's language ("March: open 35 h a week; category median 20 h (12 of 15 venues
known)"), never a field name. Vega's generated English descriptions are switched off.

Unknown stays unknown: a month whose hours are not known is drawn as a grey band the
height of the chart, labelled "unknown", never as a zero bar (zero would say "closed").
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd

from mapping.i18n import month_name, month_year, plural, t
from mapping.months import next_month

VENUE_COLOUR = "#1f6f8b"
MEDIAN_COLOUR = "#333333"
UNKNOWN_COLOUR = "#d9d9d9"
USAGE_COLOURS = ("#1f6f8b", "#e07b39")
USAGE_MONTHS = 12


def _hours_text(hours: float, lang: str) -> str:
    return t("mchart.hours", lang, hours=f"{hours:.0f}")


def reach_frame(reach: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per month for :func:`reach_spec`.

    ``reach`` is :func:`mapping.members.monthly_reach`'s frame: ``month`` (1–12),
    ``state`` (True open, False closed, None unknown), ``hours`` (a week, NaN when
    unknown), ``category_median`` (NaN when no venue of the category has known hours
    that month) and ``category_known`` (how many venues the median is over).
    """
    rows = []
    for month, state, hours, median, known in zip(
        reach["month"].to_numpy(dtype=int),
        reach["state"].tolist(),
        reach["hours"].to_numpy(dtype=float),
        reach["category_median"].to_numpy(dtype=float),
        reach["category_known"].to_numpy(dtype=int),
        strict=True,
    ):
        unknown = state is None
        median_known = not math.isnan(median)
        venue = (
            t("mchart.unknown", lang)
            if unknown
            else _hours_text(float(hours), lang)
            if state
            else t("mchart.closed", lang)
        )
        category = (
            t(
                "mchart.median",
                lang,
                hours=_hours_text(float(median), lang),
                known=plural("mchart.known", lang, int(known)),
            )
            if median_known
            else t("mchart.median_unknown", lang)
        )
        rows.append(
            {
                "label": month_name(int(month), lang),
                "hours": None if unknown else float(hours),
                "median": float(median) if median_known else None,
                "unknown": bool(unknown),
                "tooltip": t(
                    "mchart.reach_tooltip",
                    lang,
                    month=month_name(int(month), lang, long=True),
                    venue=venue,
                    category=category,
                ),
            }
        )
    return pd.DataFrame(rows)


def reach_spec(lang: str) -> dict[str, Any]:
    """Bars of the venue's weekly open hours per month, a tick for its category's
    median, a full-height grey band for each month whose hours are unknown."""
    x = {
        "field": "label",
        "type": "ordinal",
        "sort": None,
        "title": None,
        "axis": {"labelAngle": 0},
    }
    y_title = t("mchart.hours_axis", lang)
    tip = {
        "tooltip": {"field": "tooltip", "type": "nominal"},
        "description": {"field": "tooltip", "type": "nominal"},
    }
    return {
        "description": t("mchart.reach", lang),
        "height": 220,
        "config": {"axis": {"aria": False}, "legend": {"aria": False}},
        "encoding": {"x": x},
        "layer": [
            {
                "transform": [{"filter": "datum.unknown"}],
                "mark": {"type": "rect", "color": UNKNOWN_COLOUR, "aria": False},
                "encoding": {"y": {"value": 0}, "y2": {"value": 220}},
            },
            {
                "transform": [{"filter": "datum.unknown"}],
                "mark": {"type": "text", "angle": 270, "color": "#555555", "aria": False},
                "encoding": {
                    "y": {"value": 110},
                    "text": {"value": t("mchart.unknown_short", lang)},
                },
            },
            {
                "transform": [{"filter": "!datum.unknown"}],
                "mark": {"type": "bar", "color": VENUE_COLOUR, "aria": False},
                "encoding": {"y": {"field": "hours", "type": "quantitative", "title": y_title}},
            },
            {
                "transform": [{"filter": "datum.median != null"}],
                "mark": {"type": "tick", "color": MEDIAN_COLOUR, "thickness": 3, "aria": False},
                "encoding": {"y": {"field": "median", "type": "quantitative", "title": y_title}},
            },
            {
                "mark": {"type": "rect", "fill": "#000000", "fillOpacity": 0},
                "encoding": {"y": {"value": 0}, "y2": {"value": 220}, **tip},
            },
        ],
    }


def usage_frame(monthly: pd.DataFrame, today: date, lang: str) -> pd.DataFrame:
    """The last :data:`USAGE_MONTHS` months up to ``today``, long form for
    :func:`usage_spec`: months without records count zero (nothing was recorded, which
    the store cannot tell from "not shown": both are zero views).

    ``monthly`` is :func:`mapping.usage.monthly`'s frame: ``month`` ("YYYY-MM"),
    ``impressions``, ``opens``.
    """
    by_month = (
        monthly.set_index("month")
        if not monthly.empty
        else pd.DataFrame(columns=["impressions", "opens"])
    )
    rows = []
    # The first month shown, counted in months since year 0, then forward to today's.
    first_year, first_month = divmod(today.year * 12 + today.month - USAGE_MONTHS, 12)
    months = [(first_year, first_month + 1)]
    while len(months) < USAGE_MONTHS:
        months.append(next_month(*months[-1]))
    series = (("impressions", t("mchart.impressions", lang)), ("opens", t("mchart.opens", lang)))
    for year, month in months:
        key = f"{year}-{month:02d}"
        shown = int(by_month["impressions"].get(key, 0))
        opened = int(by_month["opens"].get(key, 0))
        # The year is named where it starts, and on the first month shown.
        named = month == 1 or (year, month) == months[0]
        label = month_year(year, month, lang, long=False) if named else month_name(month, lang)
        tooltip = t(
            "mchart.usage_tooltip",
            lang,
            month=month_year(year, month, lang),
            shown=plural("mchart.shown", lang, shown),
            opened=plural("mchart.opened", lang, opened),
        )
        for order, (column, name) in enumerate(series):
            rows.append(
                {
                    "label": label,
                    "series": name,
                    "order": order,
                    "count": shown if column == "impressions" else opened,
                    "tooltip": tooltip,
                }
            )
    return pd.DataFrame(rows)


def usage_spec(lang: str) -> dict[str, Any]:
    """Side-by-side bars per month: times shown in a list, cards opened."""
    names = [t("mchart.impressions", lang), t("mchart.opens", lang)]
    return {
        "description": t("mchart.usage", lang),
        "height": 200,
        "config": {"axis": {"aria": False}, "legend": {"aria": False}},
        "mark": {"type": "bar", "aria": False},
        "encoding": {
            "x": {
                "field": "label",
                "type": "ordinal",
                "sort": None,
                "title": None,
                "axis": {"labelAngle": 0},
            },
            "xOffset": {"field": "series", "sort": names},
            "y": {
                "field": "count",
                "type": "quantitative",
                "title": t("mchart.count_axis", lang),
                "axis": {"format": "d", "tickMinStep": 1},
            },
            "color": {
                "field": "series",
                "type": "nominal",
                "scale": {"domain": names, "range": list(USAGE_COLOURS)},
                "legend": {"title": None, "orient": "bottom"},
            },
            "tooltip": {"field": "tooltip", "type": "nominal"},
            "description": {"field": "tooltip", "type": "nominal"},
        },
    }
