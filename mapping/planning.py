"""The planning report and the ``gaps``/``report`` commands, over :mod:`mapping.coverage`.

The report is one self-contained HTML file for a council meeting. Its map is the
Planning page's own coverage layer (:func:`mapping.render.coverage.coverage_layer`) on
the town's base map with every vendored asset inlined
(:func:`mapping.render.coverage.report_map`, the same path as the HTML export), and the
month chart is inline SVG, so only the map tiles need the network. Every string from
data passes through :func:`mapping.text.escape`. ``@page { size: A4 }`` and a print
stylesheet keep tables and the chart readable on paper.

The command bodies live here, not in :mod:`mapping.cli`, which only registers them and
hands in its writer, its printer and its terminal-text filter (so this module never
imports the CLI back).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import folium
import pandas as pd
from branca.element import Figure

from mapping import coverage as cov
from mapping import months
from mapping.gap_files import gaps_csv_bytes, gaps_geojson_bytes
from mapping.i18n import month_name, t
from mapping.io import Dataset
from mapping.render import Verbatim
from mapping.render.coverage import coverage_layer, report_map
from mapping.seasonality import off_peak_ratio, per_month, seasonality
from mapping.text import escape

COMMANDS = ("gaps", "report")
OFF_SEASON = "off-season"


@dataclass(frozen=True)
class Selection:
    """What a planner asks about: months, walking minutes, categories (None: all)."""

    months: tuple[int, ...]
    minutes: float = cov.DEFAULT_MINUTES
    categories: tuple[str, ...] | None = None


def off_season(dataset: Dataset) -> tuple[int, ...]:
    """The town's off-season months in the order they run (across the year end)."""
    return months.season_order(dataset.city.off_season_months)


# --------------------------------------------------------------------------- text


def percent(share: float | None, lang: str) -> str:
    """A share as "42 %", or the words for "population unknown"."""
    return t("planning.no_population", lang) if share is None else f"{share * 100:.0f} %"


def range_text(r: cov.Range, lang: str) -> str:
    """One line: residents known–possible, settlements known–possible, unknown count."""
    return t(
        "planning.range_line",
        lang,
        residents_known=percent(r.share_residents_known, lang),
        residents_possible=percent(r.share_residents_possible, lang),
        known=r.settlements_known,
        possible=r.settlements_possible,
        total=r.settlements_total,
        unknown=r.population_unknown,
    )


def month_label(month: int | None, lang: str) -> str:
    """A month's name, or "every month" for the all-months row of :func:`cov.ranges`."""
    return t("planning.every_month", lang) if month is None else month_name(month, lang, long=True)


def gaps_table(gap_list: pd.DataFrame, lang: str) -> str:
    """The gap list as terminal text (callers pass it through ``terminal_text``)."""
    unknown = t("planning.population_unknown", lang)
    lines = [
        f"{'#':>4}  {'settlement':<20} {'population':>18}  {'month':<10} {'group':<14} possible"
    ]
    for row in gap_list.to_dict("records"):
        rank = "" if pd.isna(row["rank"]) else str(row["rank"])
        pop = unknown if pd.isna(row["population"]) else f"{row['population']:.0f}"
        lines.append(
            f"{rank:>4}  {row['settlement']:<20} {pop:>18}  "
            f"{month_name(int(row['month']), lang):<10} {row['group']:<14} "
            f"{'yes' if row['possible'] else 'no'}"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- report


def report_html(dataset: Dataset, plan: cov.Plan, selection: Selection, lang: str) -> str:
    """The printable report: headline, month chart, coverage range, gaps, ask first, map."""
    city = dataset.city
    season = seasonality(dataset)
    ratio = off_peak_ratio(season, city.off_season_months, city.peak_months)
    months = selection.months
    ranges = cov.ranges(plan, months, selection.minutes, selection.categories)
    gap_list = cov.gaps(plan, months, selection.minutes)
    asks = cov.ask_first(plan, months, selection.minutes, selection.categories)
    status = cov.settlement_status(plan, months, selection.minutes, selection.categories)
    e = escape
    head = (
        f"<h1>{e(t('planning.report_title', lang, city=city.name))}</h1>"
        f"<p>{e(t('planning.report_scope', lang, minutes=f'{selection.minutes:g}'))} "
        f"{e(', '.join(month_name(m, lang) for m in months))}</p>"
    )
    ratio_text = "–" if ratio is None else f"{ratio:.2f}"
    figures = (
        f"<ul class=figures><li>{e(t('planning.ratio', lang))}: <b>{e(ratio_text)}</b>"
        f"</li><li>{e(range_text(ranges[-1], lang))}</li>"
        f"<li>{e(population_note(plan, lang))}</li></ul>"
    )
    rows = "".join(
        f"<tr><td>{e(month_label(r.month, lang))}</td><td>{e(range_text(r, lang))}</td></tr>"
        for r in ranges
    )
    range_table = f"<h2>{e(t('planning.coverage', lang))}</h2><table><tbody>{rows}</tbody></table>"
    body = "".join(
        [
            head,
            figures,
            f"<h2>{e(t('planning.seasonality', lang))}</h2>",
            month_chart_svg(per_month(season), lang),
            range_table,
            f"<h2>{e(t('planning.ask_first', lang))}</h2>",
            _table(asks, lang),
            f"<h2>{e(t('planning.gaps', lang))}</h2>",
            _table(shown_gaps(gap_list, lang), lang),
            f"<h2>{e(t('planning.map', lang))}</h2>",
        ]
    )
    shown = pd.Series(cov.open_venues(plan, months, selection.categories))
    layer = coverage_layer(plan, status, selection.minutes, lang, shown)
    return _page(
        report_map(city, layer, plan), lang, t("planning.report_title", lang, city=city.name), body
    )


def population_note(plan: cov.Plan, lang: str) -> str:
    """ "Population known for 2 of 15 settlements" — said every time shares are shown."""
    pops = plan.settlements["population"]
    return t(
        "planning.population_note",
        lang,
        known=int(pops.notna().sum()),
        total=len(pops),
        unknown=int(pops.isna().sum()),
    )


def shown_gaps(gap_list: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The gap list as people read it: month names, "population unknown" spelled out."""
    shown = gap_list.drop(columns=["lon", "lat", "settlement_id"]).copy()
    shown["month"] = [month_name(int(m), lang) for m in shown["month"]]
    unknown = t("planning.population_unknown", lang)
    shown["population"] = [unknown if pd.isna(p) else f"{p:.0f}" for p in shown["population"]]
    shown["rank"] = ["" if pd.isna(r) else str(r) for r in shown["rank"]]
    return shown


def _table(frame: pd.DataFrame, lang: str) -> str:
    if frame.empty:
        return f"<p>{escape(t('planning.none', lang))}</p>"
    head = "".join(f"<th>{escape(c)}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(v)}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def month_chart_svg(months: pd.DataFrame, lang: str) -> str:
    """Open venue-hours per week (bars) and hours-unknown venues (labels), as inline SVG."""
    width, height, bar = 720, 220, 50
    top = float(months["hours"].max() or 1.0)
    parts = [
        f'<svg class=chart viewBox="0 0 {width} {height + 60}" role="img" '
        f'aria-label="{escape(t("planning.chart_hours", lang))}">'
    ]
    for i, row in enumerate(months.to_dict("records")):
        hours, month, unknown = float(row["hours"]), int(row["month"]), int(row["unknown"])
        h = hours / top * height
        x = 20 + i * (bar + 8)
        parts.append(
            f'<rect x="{x}" y="{height - h:.1f}" width="{bar}" height="{h:.1f}" '
            f'fill="#0077BB"><title>{escape(f"{hours:.0f}")}</title></rect>'
            f'<text x="{x + bar / 2}" y="{height + 16}" text-anchor="middle">'
            f"{escape(month_name(month, lang))}</text>"
            f'<text x="{x + bar / 2}" y="{height - h - 4:.1f}" text-anchor="middle">'
            f"{hours:.0f}</text>"
            f'<text x="{x + bar / 2}" y="{height + 34}" text-anchor="middle" '
            f"class=unknown>?{unknown}</text>"
        )
    parts.append(
        f'<text x="20" y="{height + 54}">'
        f"{escape(t('planning.chart_hours', lang))}; "
        f"?: {escape(t('planning.chart_unknown', lang))}</text></svg>"
    )
    return "".join(parts)


REPORT_STYLE = (
    "html body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222;height:auto}"
    "table{border-collapse:collapse;width:100%;font-size:10pt}"
    "td,th{border:1px solid #bbb;padding:2px 6px;text-align:left}"
    ".folium-map{height:420px!important;border:1px solid #999}"
    ".leaflet-control-layers,.map-legend{display:none}"  # the venue runtime's, empty here
    ".chart{width:100%;max-width:720px}.chart text{font-size:11px}.chart .unknown{fill:#666}"
    "@page{size:A4;margin:15mm}"
    "@media print{html body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}"
    ".folium-map{height:120mm!important;break-inside:avoid}}"
)
"""The report's own look, over the map page's (``html body`` outranks its ``body`` rule).

The base map's venue layer control and legend are hidden: the report draws no venues."""


_READY = '<script>addEventListener("load", function () { window.reportReady = true; });</script>'
"""Tells a browser test, or a print script, that the report is drawn."""


def _page(fmap: folium.Map, lang: str, title: str, body: str) -> str:
    """The report as one page: the map's page (inlined assets) with ``body`` before the map."""
    figure = fmap.get_root()
    if not isinstance(figure, Figure):
        msg = f"the report's map must be inside a Figure, not {figure!r}"
        raise TypeError(msg)
    figure.title = escape(title)
    figure.header.add_child(Verbatim(f"<style>{REPORT_STYLE}</style>"), name="report_style")
    figure.html.add_child(Verbatim(body), name="report_body")  # before the map's own div
    # "load" comes after every inline script of the page: the map and its layers are drawn.
    figure.header.add_child(Verbatim(_READY), name="report_ready")
    html: str = figure.render()
    return html.replace("<html>", f'<html lang="{escape(lang)}">', 1)


# --------------------------------------------------------------------------- CLI


def add_parsers(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    folder_arg: Callable[[argparse.ArgumentParser], None],
    out_path: Callable[[str], Path | None],
) -> None:
    """Register ``gaps`` and ``report`` on :mod:`mapping.cli`'s subparsers."""
    gaps = sub.add_parser("gaps", help="settlement × month × category group with nothing open")
    folder_arg(gaps)
    gaps.add_argument(
        "--month", default=OFF_SEASON, type=_month_arg, help="a month 1-12, or off-season (default)"
    )
    gaps.add_argument(
        "--minutes",
        type=_minutes_arg,
        default=cov.DEFAULT_MINUTES,
        help="walking threshold in minutes (default 15)",
    )
    gaps.add_argument(
        "--categories", nargs="+", metavar="GROUP", help="category groups to list (default: all)"
    )
    gaps.add_argument("--format", choices=("table", "csv", "geojson"), default="table")
    gaps.add_argument("--lang", default=None, help="language code (default: the town's)")
    gaps.add_argument(
        "--out", type=out_path, metavar="FILE", help="write here instead of stdout (- is stdout)"
    )
    report = sub.add_parser("report", help="the printable planning report as one HTML file")
    folder_arg(report)
    report.add_argument("--month", default=OFF_SEASON, type=_month_arg)
    report.add_argument("--minutes", type=_minutes_arg, default=cov.DEFAULT_MINUTES)
    report.add_argument("--lang", default=None, help="language code (default: the town's)")
    report.add_argument("--out", type=out_path, required=True, metavar="FILE.html")


def _month_arg(value: str) -> str:
    if value == OFF_SEASON or (value.isdigit() and 1 <= int(value) <= 12):
        return value
    msg = f"expected a month 1-12 or {OFF_SEASON}, got {value!r}"
    raise argparse.ArgumentTypeError(msg)


def _minutes_arg(value: str) -> float:
    try:
        minutes = float(value)
    except ValueError:
        minutes = -1.0
    if not 0 < minutes <= 240:
        msg = f"expected minutes between 0 and 240, got {value!r}"
        raise argparse.ArgumentTypeError(msg)
    return minutes


def run(
    dataset: Dataset,
    args: argparse.Namespace,
    write: Callable[[Path | None, bytes], None],
    say: Callable[..., None],
    terminal_text: Callable[[str], str],
) -> int:
    """Run ``gaps`` or ``report``; ``write``/``say`` are the CLI's atomic writer and
    printer, ``terminal_text`` its filter for text meant for a terminal.

    Argument errors found only once the data is read (an unknown ``--lang`` or category
    group) go to standard error and exit 2, like argparse's own.
    """

    def refuse(text: str) -> int:
        say(text, sys.stderr)
        return 2

    city = dataset.city
    lang = args.lang or city.default_language
    if lang not in city.languages:
        return refuse(f"error: --lang {lang!r}: expected one of {', '.join(city.languages)}")
    months = off_season(dataset) if args.month == OFF_SEASON else (int(args.month),)
    plan = cov.build_plan(dataset)
    if args.command == "report":
        html = report_html(dataset, plan, Selection(months, args.minutes), lang)
        write(args.out, html.encode("utf-8"))
        say(f"wrote the report to {args.out}")
        return 0
    unknown = sorted(set(args.categories or ()) - set(plan.groups))
    if unknown:
        return refuse(
            f"error: --categories {' '.join(unknown)}: expected groups among "
            f"{', '.join(plan.groups)}"
        )
    gap_list = cov.gaps(plan, months, args.minutes, args.categories)
    if args.format == "csv":
        payload = gaps_csv_bytes(gap_list)
    elif args.format == "geojson":
        payload = gaps_geojson_bytes(gap_list)
    else:
        text = f"{population_note(plan, lang)}\n{gaps_table(gap_list, lang)}\n"
        payload = terminal_text(text).encode("utf-8")
    write(args.out, payload)
    if args.out is not None:
        say(f"wrote {len(gap_list)} gaps to {args.out}")
    return 0


def selected_months(value: str, dataset: Dataset) -> Sequence[int]:
    """The page's month choice: ``off-season`` or a month number as text."""
    return off_season(dataset) if value == OFF_SEASON else (int(value),)
