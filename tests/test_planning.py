"""The ``gaps`` and ``report`` commands, the report in headless Chromium, the Planning page."""

from __future__ import annotations

import json
from dataclasses import replace

import geopandas as gpd
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from mapping import cli, planning
from mapping import coverage as cov
from tests.conftest import REPO_DATA, open_app_page

PAGE = "pages/planning_page.py"


def _unknown() -> int:
    """Settlements of the shipped data without a population (read, not hard-coded: the
    data gains figures)."""
    doc = json.loads((REPO_DATA / "places.geojson").read_text(encoding="utf-8"))
    props = [f["properties"] for f in doc["features"]]
    return sum(p["kind"] == "settlement" and p["population"] is None for p in props)


def test_gaps_table_says_how_many_populations_are_unknown(capsys):
    assert cli.main(["gaps", str(REPO_DATA), "--month", "1", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert f"population unknown for {_unknown()} settlements" in out
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
    frame = pd.read_csv(csv_path)
    assert list(frame.columns) == list(cov.GAP_COLUMNS)
    assert set(frame["group"]) <= {"visual", "heritage"}
    assert set(frame["month"]) <= {10, 11, 12, 1, 2, 3, 4}
    geo = gpd.read_file(geo_path)
    assert len(geo) > 0 and (geo.geometry.geom_type == "Point").all()
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
    plan = cov.build_plan(kotor)
    html = planning.report_html(kotor, plan, planning.Selection(planning.off_season(kotor)), "en")
    assert "<script src" not in html and "<link" not in html
    assert "Ask these first" in html and "Gap list" in html and "<svg" in html
    assert f"population unknown for {_unknown()} settlements" in html
    assert "L.circle(" in html and 'class="folium-map"' in html  # the Planning page's layer


def test_report_map_keeps_data_as_data(kotor):
    plan = cov.build_plan(kotor)
    names = ["{{ 7*7 }}<b>", *plan.settlements["name"].iloc[1:]]
    plan = replace(plan, settlements=plan.settlements.assign(name=names))
    html = planning.report_html(kotor, plan, planning.Selection((1,)), "en")
    assert "{{ 7*7 }}&lt;b&gt;" in html  # escaped, and never evaluated as a template
    assert "49&lt;b&gt;" not in html and "{{ 7*7 }}<b>" not in html


def test_report_command_writes_a_file(tmp_path):
    out = tmp_path / "report.html"
    assert cli.main(["report", str(REPO_DATA), "--out", str(out), "--lang", "me"]) == 0
    assert out.read_text(encoding="utf-8").lower().startswith("<!doctype html>")


def open_page(monkeypatch, lang: str, **params: str) -> AppTest:
    return open_app_page(monkeypatch, PAGE, REPO_DATA, lang, timeout=90, **params)


@pytest.mark.parametrize(("lang", "title"), [("en", "Planning"), ("me", "Planiranje")])
@pytest.mark.parametrize("month", [None, "1", "off-season"])
def test_page_in_both_languages(monkeypatch, lang, title, month):
    at = open_page(monkeypatch, lang, **({"pm": month} if month else {}))
    assert at.title[0].value.startswith(title)
    assert len(at.metric) == 4
    captions = " ".join(c.value for c in at.caption)
    assert (str(_unknown()) in captions) and ("15" in captions)  # unknown, said honestly
    if month == "1":
        assert at.selectbox(key="pm").value == "1"


def test_page_reads_a_proposal_from_the_url(monkeypatch):
    at = open_page(monkeypatch, "en", pv="42.4245,18.7712,museum,10-4")
    text = " ".join(m.value for m in at.markdown)
    assert "Hypothetical venues: 1" in text
    assert "Gaps closed:" in text


def test_report_text_is_escaped():
    assert "&lt;b&gt;" in planning._table(pd.DataFrame({"x": ["<b>"]}), "en")
