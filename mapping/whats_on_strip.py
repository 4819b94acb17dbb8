"""The month strip of the What's on page: events per month for a year ahead.

Clicking a month makes the range that whole month. The chart is Vega-Lite
(:func:`month_strip_spec`) over a long-form frame (:func:`month_strip`); every text in
it, the tooltip included, comes from the catalogue. A click comes back as Streamlit's
selection state and is read by :func:`month_from_selection`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from mapping import events as ev
from mapping.i18n import month_name, month_year, plural, t
from mapping.io import Dataset
from mapping.memo import per_dataset
from mapping.whats_on_ranges import STRIP_MONTHS, month_range

STRIP_SELECTION = "month_pick"
"""Name of the month strip's point selection (what a click on a month reports)."""
STRIP_HEIGHT = 260
"""The month strip's height in pixels, axes and legend included."""
STRIP_COLOURS = ("#0077BB", "#BBBBBB")
"""Confirmed, unconfirmed (Paul Tol's bright blue and grey: colour-blind safe)."""


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
        label = (
            month_year(year, month, lang, long=False)
            if k == 0 or month == 1
            else month_name(month, lang)
        )
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
        # The height holds the bars, both axes and the legend (Streamlit fits the chart
        # to its box): at 140 px the bars had 13 px left and the axis title was cut.
        "height": STRIP_HEIGHT,
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
