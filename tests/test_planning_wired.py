"""Planning's page, report and ``gaps`` table in the reader's language (issue 22, items 3-5):
no raw column names, no True/False, no group ids, local numbers, and the ratio's basis."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from mapping import cli, i18n, planning, planning_report
from mapping import coverage as cov
from mapping import planning_columns as pc
from mapping.hours import MONTH_STATE_COLUMNS, UNKNOWN
from mapping.params import Proposal
from mapping.query import visitable
from mapping.render import coverage as coverage_render
from mapping.seasonality import RatioBasis, ratio_basis
from tests.conftest import REPO_DATA, open_app_page

ROOT = Path(__file__).resolve().parent.parent
PAGE = "pages/planning_page.py"
RAW_CELLS = {"True", "False", "nan", "NaN", "None", "yes", "no"}
PROPOSAL = "42.514,18.696,gallery,10-4"


@pytest.fixture(scope="module")
def groups(kotor) -> set[str]:
    return set(cov.build_plan(kotor).groups)


def _raw(frame: pd.DataFrame, group_ids: set[str]) -> list[str]:
    """What a reader should never see in a shown table: column ids, flags, group ids."""
    found = [str(c) for c in frame.columns if c in pc.COLUMNS or "_" in str(c)]
    cells = {str(v) for v in frame.to_numpy().ravel()}
    return found + sorted(cells & (RAW_CELLS | group_ids))


@pytest.mark.parametrize("lang", ["me", "de"])
def test_every_table_on_the_page_is_in_the_language(monkeypatch, kotor, groups, lang):
    at = open_app_page(monkeypatch, PAGE, REPO_DATA, lang, timeout=90, pv=PROPOSAL)
    frames = [d.value for d in at.dataframe]
    assert len(frames) >= 6  # what-if, range, season, by category, ask first, gaps
    assert {f"{i}": _raw(f, groups) for i, f in enumerate(frames) if _raw(f, groups)} == {}
    headers = {str(c) for f in frames for c in f.columns}
    for key in ("column.possible", "column.group", "column.link", "table.known_share"):
        assert i18n.t(f"planning.{key}", lang) in headers
    gaps = next(f for f in frames if i18n.t("planning.column.possible", lang) in f.columns)
    assert set(gaps[i18n.t("planning.column.possible", lang)]) <= {
        i18n.t("planning.table.yes", lang),
        i18n.t("planning.table.no", lang),
    }
    asks = next(f for f in frames if i18n.t("planning.column.link", lang) in f.columns)
    assert all(
        f"&lang={lang.upper()}" in link for link in asks[i18n.t("planning.column.link", lang)]
    )


@pytest.mark.parametrize(("lang", "sign"), [("me", ","), ("de", ","), ("en", ".")])
def test_the_ratio_is_written_in_the_language_with_its_basis(monkeypatch, kotor, lang, sign):
    fig = planning.figures(kotor, planning.Selection(planning.off_season(kotor)))
    assert fig.ratio is not None
    at = open_app_page(monkeypatch, PAGE, REPO_DATA, lang, timeout=90)
    shown = at.metric[0].value
    assert shown == i18n.number(fig.ratio, lang, digits=2) and shown[1] == sign
    basis = planning.ratio_basis_text(fig, lang)
    assert basis in [c.value for c in at.caption]
    assert f"{fig.ratio_basis.with_hours} " in basis and f" {fig.ratio_basis.venues} " in basis


def test_ratio_and_share_words_come_from_i18n():
    assert planning.ratio_text(0.8666, "me") == "0,87" == planning.ratio_text(0.8666, "de")
    assert planning.ratio_text(0.8666, "en") == "0.87" and planning.ratio_text(None, "de") == "–"
    assert planning.share_text(0.5, "de") == i18n.percent(0.5, "de") == "50\xa0%"
    assert planning.share_text(None, "en") == i18n.t("planning.no_population", "en")
    assert planning.minutes_text(12.5, "de") == "12,5" and planning.minutes_text(15.0, "me") == "15"


def test_planning_modules_leave_numbers_to_i18n():
    """One home for numbers shown to people: no Babel number call in planning's modules."""
    for name in ("planning", "planning_report", "planning_cli", "planning_columns"):
        source = (ROOT / "mapping" / f"{name}.py").read_text(encoding="utf-8")
        assert "babel.numbers" not in source, name
    source = (ROOT / "mapping" / "planning.py").read_text(encoding="utf-8")
    assert "def month_label" not in source and "def shown_gaps" not in source


def test_ratio_basis_counts_the_venues_with_known_hours(kotor):
    city = kotor.city
    months = sorted({*city.off_season_months, *city.peak_months})
    venues = kotor.venues[visitable(kotor.venues)]
    known = sum(
        any(row[MONTH_STATE_COLUMNS[m - 1]] != UNKNOWN for m in months)
        for _, row in venues.iterrows()
    )
    basis = ratio_basis(kotor, city.off_season_months, city.peak_months)
    assert basis == RatioBasis(known, len(venues)) and 0 < known < len(venues)
    unknown = kotor.venues.assign(**dict.fromkeys(MONTH_STATE_COLUMNS, UNKNOWN))
    nothing = ratio_basis(replace(kotor, venues=unknown), city.off_season_months, city.peak_months)
    assert nothing == RatioBasis(0, len(venues))


@pytest.mark.parametrize("lang", ["me", "de"])
def test_report_has_no_raw_values_and_says_the_ratios_basis(kotor, groups, lang):
    selection = planning.Selection(planning.off_season(kotor))
    fig = planning.figures(
        kotor, selection, (Proposal(42.514, 18.696, "gallery", selection.months),)
    )
    html = planning_report.report_html(kotor, fig, lang, "gaps.csv")
    body = html[html.index("<h1>") : html.index("</script>", html.index("<h1>"))]
    for raw in ("venue_id", "settlements_unknown_population", "True", "False", "nan"):
        assert raw not in body, raw
    assert not [g for g in groups if f"<td>{g}</td>" in html]
    assert f"<b>{planning.ratio_text(fig.ratio, lang)}</b>" in html
    assert planning.ratio_basis_text(fig, lang) in html
    table = pc.what_if_table(fig.scenario.before, fig.scenario.after, lang)  # type: ignore[union-attr]
    assert all(f"<th>{c}</th>" in html for c in table.columns)
    assert ".coverage-legend{display:none}" in html and "<div class=map-key>" in html  # below


@pytest.mark.parametrize(
    ("lang", "header", "flags"),
    [("de", "Siedlung", {"ja", "nein"}), ("me", "Naselje", {"da", "ne"})],
)
def test_gaps_table_in_the_terminal_is_in_the_language(capsys, lang, header, flags):
    assert cli.main(["gaps", str(REPO_DATA), "--month", "1", "--lang", lang]) == 0
    lines = capsys.readouterr().out.splitlines()
    possible = i18n.t("planning.column.possible", lang)
    head = next(i for i, line in enumerate(lines) if possible in line)
    assert lines[head].split()[1] == header
    rows = lines[head + 1 :]
    assert rows and {row.split()[-1] for row in rows} <= flags
    text = "\n".join(rows)
    assert "True" not in text and "2048" not in text and "2.048" in text
    assert i18n.month_name(1, lang, long=True) in text


def test_the_page_map_fits_again_once_it_has_a_size(kotor):
    """streamlit-folium draws the map in a frame not yet laid out (0 × 0 px): the first
    fit picks the highest zoom, so the map fits again once its box has a size."""
    plan = cov.build_plan(kotor)
    html = coverage_render.coverage_map(kotor.city, plan).get_root().render()
    assert "new ResizeObserver(" in html and "map.fitBounds(fit.bounds, fit.options)" in html
    s = plan.settlements
    assert f'"bounds":[[{float(s["lat"].min())},{float(s["lon"].min())}]' in html
