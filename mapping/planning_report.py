"""The printable planning report: one self-contained HTML file for a council meeting.

Built from :class:`mapping.planning.Figures`, the numbers the Planning page shows, in
this order: title, date and "data as of", a method box (the walk model in words, known
vs possible, what counts as a venue), the headline with what it was computed for and
what its shares rest on, a settlement × month summary, the coverage map, seasonality,
"ask these first" with the reason, the scenario (only with proposals, labelled as
hypothetical) and a note naming the CSV annex that carries the full gap list (pages of
raw rows are not a report).

- **Every word from the catalogues** (``planning.*``): headers, values and legends are
  in the report's language; no ids, ``True``/``False`` or raw floats.
- **Self-contained.** The map is the Planning page's coverage layer
  (:func:`mapping.render.coverage.coverage_layer`) on the town's base map with every
  vendored asset inlined (:func:`mapping.render.coverage.report_map`); the month chart
  is inline SVG. Only the map tiles need the network. Data text passes through
  :func:`mapping.text.escape`.
- **Prints to A4.** ``@page { size: A4 }``; headings stay with what follows, table rows
  and boxes never split across pages, table headers repeat on each page.
"""

from __future__ import annotations

from datetime import date

import folium
import pandas as pd
from babel.dates import format_date
from branca.element import Element, Figure

from mapping import clock
from mapping.i18n import locale, localized, month_name, number, t
from mapping.io import Dataset
from mapping.planning import (
    Figures,
    ask_reason,
    basis_line,
    data_as_of,
    headline,
    ratio_basis_text,
    ratio_text,
    scenario_change,
    scenario_title,
    scope_text,
)
from mapping.planning_columns import STATUS_KEYS, shown_table, what_if_table
from mapping.render import Verbatim
from mapping.render.coverage import coverage_layer, legend_html, report_map
from mapping.seasonality import hours_chart_svg, per_month
from mapping.text import escape

SYMBOLS = {"covered": "●", "possible": "◐", "not": "○"}
"""The summary table's mark per month: covered, possibly covered, not covered."""
ASK_SHOWN = ("rank", "venue", "category")
"""The columns of "ask these first" the report shows; the reason says the rest in words."""


def report_html(dataset: Dataset, fig: Figures, lang: str, annex: str = "") -> str:
    """The report for ``fig`` in ``lang``; ``annex`` is the gap list's CSV file name."""
    city = dataset.city
    e = escape
    title = t("planning.report_title", lang, city=city.name)
    as_of = _data_as_of(dataset, lang)
    head = (
        f"<h1>{e(title)}</h1><p class=meta>"
        f"{e(t('planning.report_date', lang, date=_date(clock.today(city.timezone), lang)))}"
        + (f" · {e(t('planning.data_as_of', lang, date=as_of))}" if as_of else "")
        + "</p>"
    )
    method = (
        f"<section class=box><h2>{e(t('planning.method', lang))}</h2><ul>"
        f"<li>{e(fig.plan.walk.describe(lang))}</li>"
        f"<li>{e(t('planning.method_known', lang))}</li>"
        f"<li>{e(t('planning.method_venues', lang))}</li></ul></section>"
    )
    summary = (
        f"<section class=box><h2>{e(t('planning.headline', lang))}</h2>"
        f"<p class=scope>{e(scope_text(dataset, fig.selection, lang))}</p>"
        f"<p><b>{e(headline(fig, lang))}</b></p>"
        f"<p>{e(basis_line(fig, lang))}</p>"
        f"<p>{e(t('planning.ratio', lang))}: <b>{e(ratio_text(fig.ratio, lang))}</b>. "
        f"{e(ratio_basis_text(fig, lang))}</p></section>"
    )
    before_map = "".join(
        [
            head,
            method,
            summary,
            f"<h2>{e(t('planning.summary_table', lang))}</h2>",
            settlement_table(fig, lang),
            f"<h2 class=map-title>{e(t('planning.map', lang))}</h2>",
            f"<p class=legend>{e(t('planning.map_legend', lang))}</p>",
        ]
    )
    after_map = "".join(
        [
            f"<div class=map-key>{legend_html(lang)}</div>",  # escaped there
            f"<h2>{e(t('planning.seasonality', lang))}</h2>",
            hours_chart_svg(per_month(fig.season), lang),
            f"<h2>{e(t('planning.ask_first', lang))}</h2>",
            f"<p>{e(t('planning.ask_help_report', lang))}</p>",
            ask_table(dataset, fig, lang),
            scenario_section(fig, lang),
            f"<h2>{e(t('planning.annex', lang))}</h2>",
            f"<p>{e(_annex_text(fig, annex, lang))}</p>",
        ]
    )
    layer = coverage_layer(
        fig.plan, fig.status, fig.selection.minutes, lang, pd.Series(fig.open_venues)
    )
    return _page(report_map(city, layer, fig.plan), lang, title, before_map, after_map)


def _date(day: date, lang: str) -> str:
    return str(format_date(day, format="long", locale=locale(lang)))


def _data_as_of(dataset: Dataset, lang: str) -> str:
    """The newest ``checked`` date of the venues, written in ``lang`` ("" when none)."""
    newest = data_as_of(dataset)
    try:
        return _date(date.fromisoformat(newest), lang) if newest else ""
    except ValueError:  # validate reports a malformed date; the report shows none
        return ""


def _annex_text(fig: Figures, annex: str, lang: str) -> str:
    rows = number(len(fig.gap_list), lang)
    if annex:
        return t("planning.annex_text", lang, rows=rows, file=annex)
    return t("planning.annex_page", lang, rows=rows)


def _table(headers: list[str], rows: list[list[str]], lang: str, cls: str = "") -> str:
    """An HTML table of already localised text (escaped here); "Nothing to list" if empty."""
    if not rows:
        return f"<p>{escape(t('planning.none', lang))}</p>"
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(v)}</td>" for v in row) + "</tr>" for row in rows)
    attr = f" class={cls}" if cls else ""
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def settlement_table(fig: Figures, lang: str) -> str:
    """Settlement × month: covered / possibly / not, with each settlement's residents."""
    chosen = fig.selection.months
    unknown = t("planning.population_unknown", lang)
    rows = []
    for i, place in enumerate(fig.plan.settlements.to_dict("records")):
        pop = place["population"]
        marks = [
            SYMBOLS["covered" if fig.known[i, j] else "possible" if fig.maybe[i, j] else "not"]
            for j in range(len(chosen))
        ]
        residents = unknown if pd.isna(pop) else number(pop, lang)
        rows.append([localized(place, "name", lang, ()), residents, *marks])
    headers = [
        t("planning.col_settlement", lang),
        t("planning.col_residents", lang),
        *(month_name(m, lang) for m in chosen),
    ]
    legend = " · ".join(f"{SYMBOLS[k]} {t(STATUS_KEYS[k], lang)}" for k in SYMBOLS)
    # the legend above the table: below it, a full page pushed it alone onto the next one
    return f"<p class=legend>{escape(legend)}</p>" + _table(headers, rows, lang, "grid")


def ask_table(dataset: Dataset, fig: Figures, lang: str) -> str:
    """ "Ask these first": rank, venue and category as :func:`shown_table` writes them
    (catalogue headers, the category's label in ``lang``), and why, in words."""
    if fig.asks.empty:
        return _table([], [], lang)
    shown = shown_table(fig.asks[list(ASK_SHOWN)], lang, dataset.categories, dataset.city.languages)
    reasons = [ask_reason(row, lang) for _, row in fig.asks.iterrows()]
    headers = [*shown.columns, t("planning.col_reason", lang)]
    rows = [[*cells, reason] for cells, reason in zip(shown.to_numpy(), reasons, strict=True)]
    return _table(headers, rows, lang)


def scenario_section(fig: Figures, lang: str) -> str:
    """The proposals' scenario, apart and labelled; "" without proposals. The table is the
    page's (:func:`mapping.planning_columns.what_if_table`: the measures that changed
    first), then the change over every selected month in words."""
    result = fig.scenario
    if result is None:
        return ""
    table = what_if_table(result.before, result.after, lang)
    rows = [[str(v) for v in row] for row in table.to_numpy()]
    change = scenario_change(result.before[-1], result.after[-1], lang)
    closed = number(len(result.closed), lang)
    return (
        f"<section class=scenario><h2>{escape(scenario_title(result.proposals, lang))}</h2>"
        f"<p>{escape(t('planning.scenario_note', lang))}</p>"
        + _table([str(c) for c in table.columns], rows, lang)
        + f"<p>{escape(_first_upper(t('planning.every_month', lang)))}: {escape(change)}</p>"
        + f"<p>{escape(t('planning.gaps_closed', lang, count=closed))}</p></section>"
    )


def _first_upper(text: str) -> str:
    """ "every month" opening a sentence: "Every month" (the rest as written)."""
    return text[:1].upper() + text[1:]


REPORT_STYLE = (
    "html body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222;height:auto;"
    "width:auto;font-size:10.5pt}"
    "h1{font-size:18pt;margin:0 0 .2rem}h2{font-size:13pt;margin:1rem 0 .3rem}"
    ".meta,.scope,.legend{color:#444}"
    ".box{border:1px solid #999;padding:.3rem .8rem;margin:.6rem 0;background:#f6f6f6}"
    ".scenario{border:2px dashed #0077BB;padding:.3rem .8rem;margin:.8rem 0}"
    "table{border-collapse:collapse;width:100%;font-size:9.5pt}"
    "td,th{border:1px solid #bbb;padding:2px 6px;text-align:left;vertical-align:top}"
    "thead{display:table-header-group}"
    ".grid td:nth-child(n+3),.grid th:nth-child(n+3){text-align:center}"
    ".folium-map{width:180mm!important;max-width:100%;height:150mm!important;"
    "border:1px solid #999}"
    ".leaflet-control-layers,.map-legend{display:none}"  # the venue runtime's, empty here
    ".coverage-legend{display:none}.map-key{margin:.3rem 0}"  # below the map, never over it
    ".chart{width:100%;max-width:720px}.chart text{font-size:11px}.chart .unknown{fill:#666}"
    "@page{size:A4;margin:15mm}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"  # the legend's swatches
    "@media print{html body{margin:0}h2{break-after:avoid}tr,.box,.scenario,.chart,"
    "p{break-inside:avoid}.map-title{break-before:page}"
    ".folium-map{break-inside:avoid}.leaflet-control-zoom{display:none}}"
)
"""The report's own look, over the map page's (``html body`` outranks its ``body`` rule).

The base map's venue layer control and legend are hidden: the report draws no venues."""


UNUSED_ASSETS = ("fontawesome_css", "fontawesome_solid_css")
"""The base map's icon font (~270 KB inlined): venue markers need it, the report has none."""

_READY = '<script>addEventListener("load", function () { window.reportReady = true; });</script>'
"""Tells a browser test, or a print script, that the report is drawn."""


class _AfterMap(Element):
    """Adds ``text`` to the page after the map's own ``div``: the map adds its div to the
    page while it renders, and a figure renders its children in order, so an element
    added after the map adds its text after the div."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs: object) -> str:
        """Add the text to the page's body, after what the map added."""
        figure = self.get_root()
        if isinstance(figure, Figure):
            figure.html.add_child(Verbatim(self._text), name="report_after_map")
        return ""


def _page(fmap: folium.Map, lang: str, title: str, before: str, after: str) -> str:
    """The report as one page: ``before`` the map's div, the map, then ``after``."""
    figure = fmap.get_root()
    if not isinstance(figure, Figure):
        msg = f"the report's map must be inside a Figure, not {figure!r}"
        raise TypeError(msg)
    figure.title = escape(title)
    figure.header.add_child(Verbatim(f"<style>{REPORT_STYLE}</style>"), name="report_style")
    figure.html.add_child(Verbatim(before), name="report_body")  # before the map's own div
    figure.add_child(_AfterMap(after), name="report_after")
    # "load" comes after every inline script of the page: the map and its layers are drawn.
    figure.header.add_child(Verbatim(_READY), name="report_ready")
    html: str = figure.render()
    for name in UNUSED_ASSETS:  # added while the map rendered; the report draws no icons
        asset = figure.header._children.get(name)
        if asset is not None:
            html = html.replace(asset.render(), "", 1)
    return html.replace("<html>", f'<html lang="{escape(lang)}">', 1)
