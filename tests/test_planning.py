"""The ``gaps`` and ``report`` commands, the report in headless Chromium, the Planning page."""

from __future__ import annotations

import json
from dataclasses import replace

import geopandas as gpd
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from mapping import cli, i18n, planning, planning_report
from mapping import coverage as cov
from tests.conftest import REPO_DATA, open_app_page

PAGE = "pages/planning_page.py"


def _settlements() -> list[dict[str, object]]:
    """The shipped data's settlements of the municipality (read, not hard-coded: the data
    gains figures)."""
    doc = json.loads((REPO_DATA / "places.geojson").read_text(encoding="utf-8"))
    props = [f["properties"] for f in doc["features"]]
    return [p for p in props if p["kind"] == "settlement" and not p.get("outside_municipality")]


def _known() -> int:
    return sum(p["population"] is not None for p in _settlements())


def _first_unknown() -> str:
    return next(str(p["name"]) for p in _settlements() if p["population"] is None)


def test_gaps_table_says_its_selection_and_population_basis(capsys):
    assert cli.main(["gaps", str(REPO_DATA), "--month", "1", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Computed for: months Jan; within 15 minutes on foot; categories: all" in out
    assert f"Population known for {_known()} of {len(_settlements())} " in out
    assert "census " in out
    assert "Without a population figure" in out and _first_unknown() in out
    assert "Risan" in out


def test_gaps_csv_and_geojson_files(tmp_path, capsys):
    csv_path, geo_path = tmp_path / "gaps.csv", tmp_path / "gaps.geojson"
    assert (
        cli.main(
            [
                "gaps",
                str(REPO_DATA),
                "--month",
                "off-season",
                "--minutes",
                "20",
                "--categories",
                "visual",
                "heritage",
                "--format",
                "csv",
                "--out",
                str(csv_path),
            ]
        )
        == 0
    )
    assert cli.main(["gaps", str(REPO_DATA), "--format", "geojson", "--out", str(geo_path)]) == 0
    frame = pd.read_csv(csv_path, dtype={"groups": str, "selection_months": str})
    assert list(frame.columns) == [*cov.GAP_COLUMNS, *planning.SCOPE_COLUMNS]
    assert set(frame["group"]) <= {"visual", "heritage"}
    assert set(frame["groups"]) == {"visual heritage"} and set(frame["minutes"]) == {20}
    assert set(frame["selection_months"]) == {"10 11 12 1 2 3 4"}
    assert set(frame["categories"]) == {"all"}
    assert set(frame["month"]) <= {10, 11, 12, 1, 2, 3, 4}
    geo = gpd.read_file(geo_path)
    assert len(geo) > 0 and (geo.geometry.geom_type == "Point").all()
    assert set(geo["minutes"]) == {"15"} and set(geo["categories"]) == {"all"}
    assert "wrote" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["--month", "13"], ["--minutes", "0"]])
def test_gaps_refuses_bad_arguments(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["gaps", str(REPO_DATA), *argv])
    assert exc.value.code == 2
    assert "expected" in capsys.readouterr().err


def test_gaps_refuses_unknown_groups(capsys):
    assert cli.main(["gaps", str(REPO_DATA), "--categories", "nope"]) == 2
    assert "expected groups among" in capsys.readouterr().err


def test_report_is_self_contained_and_escaped(kotor):
    fig = planning.figures(kotor, planning.Selection(planning.off_season(kotor)))
    html = planning_report.report_html(kotor, fig, "en", "gaps.csv")
    assert "<script src" not in html and "<link" not in html
    assert "Ask these first" in html and "the full gap list" in html and "<svg" in html
    assert f"Population known for {_known()} of " in html
    assert "L.circle(" in html and 'class="folium-map"' in html  # the Planning page's layer


def test_report_map_keeps_data_as_data(kotor):
    fig = planning.figures(kotor, planning.Selection((1,)))
    plan = fig.plan
    names = ["{{ 7*7 }}<b>", *plan.settlements["name"].iloc[1:]]
    english = ["{{ 7*7 }}<b>", *plan.settlements["name_en"].iloc[1:]]  # the report's English
    odd = plan.settlements.assign(name=names, name_en=english)
    fig = replace(fig, plan=replace(plan, settlements=odd))
    html = planning_report.report_html(kotor, fig, "en")
    assert "{{ 7*7 }}&lt;b&gt;" in html  # escaped, and never evaluated as a template
    assert "49&lt;b&gt;" not in html and "{{ 7*7 }}<b>" not in html


def test_report_command_writes_the_report_and_its_csv_annex(tmp_path):
    out = tmp_path / "report.html"
    argv = ["report", str(REPO_DATA), "--out", str(out), "--lang", "me", "--categories", "gallery"]
    assert cli.main(argv) == 0
    html = out.read_text(encoding="utf-8")
    assert html.lower().startswith("<!doctype html>")
    annex = pd.read_csv(tmp_path / "report-gaps.csv")
    assert "report-gaps.csv" in html and f"Svih {len(annex)} praznina" in html
    assert set(annex["categories"]) == {"gallery"} and set(annex["group"]) == {"visual"}


def test_report_refuses_unknown_categories(tmp_path, capsys):
    argv = ["report", str(REPO_DATA), "--out", str(tmp_path / "r.html"), "--categories", "nope"]
    assert cli.main(argv) == 2
    assert "unknown category ids" in capsys.readouterr().err


def open_page(monkeypatch, lang: str, **params: str) -> AppTest:
    return open_app_page(monkeypatch, PAGE, REPO_DATA, lang, timeout=90, **params)


@pytest.mark.parametrize(("lang", "title"), [("en", "Planning"), ("me", "Planiranje")])
@pytest.mark.parametrize("month", [None, "1", "off-season"])
def test_page_in_both_languages(monkeypatch, lang, title, month):
    at = open_page(monkeypatch, lang, **({"pm": month} if month else {}))
    assert at.title[0].value.startswith(title)
    assert len(at.metric) == 4
    captions = " ".join(c.value for c in at.caption)
    basis = {"en": "Population known for", "me": "Broj stanovnika poznat za"}[lang]
    assert f"{basis} {_known()} od" in captions or f"{basis} {_known()} of" in captions
    if month == "1":
        assert at.selectbox(key="pm").value == "1"


def test_page_reads_a_proposal_from_the_url(monkeypatch):
    at = open_page(monkeypatch, "en", pv="42.4245,18.7712,museum,10-4")
    text = " ".join(m.value for m in at.markdown)
    assert "Hypothetical venues: 1" in text
    assert "Gaps closed:" in text


def test_report_text_is_escaped():
    assert "&lt;b&gt;" in planning_report._table(["x"], [["<b>"]], "en")


def test_page_with_a_proposal_keeps_todays_figures_and_shows_the_scenario(monkeypatch):
    plain = open_page(monkeypatch, "en")
    with_pv = open_page(monkeypatch, "en", pv="42.514,18.696,gallery,10-4")
    assert [m.value for m in with_pv.metric] == [m.value for m in plain.metric]
    assert with_pv.metric[1].value not in ("100%", "100 %")  # the case: it read 100 %
    scenario = "Scenario with 1 proposed venue (hypothetical)"
    assert scenario in " ".join(m.value for m in with_pv.markdown)
    assert scenario not in " ".join(m.value for m in plain.markdown)
    # the before/after table: the measure that changed first, each cell short
    what_if = [d.value for d in with_pv.dataframe if "Residents covered, known" in d.value.columns]
    assert len(what_if) == 1 and not [d for d in plain.dataframe if d.value.equals(what_if[0])]
    assert what_if[0].columns[0] == "Month" and "→" in " ".join(what_if[0].iloc[:, 1])
    gaps = _gap_tables(with_pv, "en")
    assert len(gaps) == 1 and gaps[0].equals(_gap_tables(plain, "en")[0])  # today's gaps


def test_page_with_categories_says_them_and_narrows_the_gaps(monkeypatch):
    at = open_page(monkeypatch, "de", pcat="gallery")
    captions = " ".join(c.value for c in at.caption)
    assert "Berechnet für: Monate Okt." in captions and "Galerien" in captions
    gaps = _gap_tables(at, "de")
    assert len(gaps) == 1 and set(gaps[0]["Kategoriegruppe"]) == {"Bildende Kunst und Handwerk"}


def _gap_tables(at: AppTest, lang: str) -> list[pd.DataFrame]:
    possible = i18n.t("planning.column.possible", lang)
    return [d.value for d in at.dataframe if possible in d.value.columns]


def test_add_and_remove_proposals_in_one_run_each(monkeypatch):
    # Montenegrin, the town's default: AppTest formats the widgets' values outside the
    # script run, in the default language (another language's labels would not match)
    at = open_page(monkeypatch, "me", pv="42.514,18.696,gallery,10-4")
    today = [m.value for m in at.metric]
    at.button(key="pv_add").click().run()  # no map click yet
    assert [w.value for w in at.warning] == ["Prvo kliknite na mapu."]
    at.session_state["_planning_click"] = (42.42, 18.77)
    at.button(key="pv_add").click().run()
    assert not at.exception and not at.warning
    titles = " ".join(m.value for m in at.markdown)
    assert "Scenario s 2 predložena mjesta (zamišljeno)" in titles
    assert len(at.query_params["pv"]) == 2 and [m.value for m in at.metric] == today
    at.button(key="pv_clear").click().run()
    assert "pv" not in at.query_params
    assert not any("Scenario s" in m.value for m in at.markdown)
