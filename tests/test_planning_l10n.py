"""Planning in the reader's language: tables, charts, the coverage map, ``?lang=`` in any case."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from mapping import coverage as cov
from mapping import i18n, params, seasonality
from mapping import planning_columns as pc
from mapping.params import Proposal
from mapping.render import coverage as coverage_render
from mapping.text import escape
from mapping.what_if import what_if, with_proposals
from tests.conftest import MINI, REPO_DATA

APP = str(REPO_DATA.parent / "app.py")
RAW_WORDS = ("True", "False", "nan", "NaN", "2048.0", "_id", "_population")


# --------------------------------------------------------------------------- ?lang=


@pytest.mark.parametrize("raw", ["en", "EN", "En", "eN", " en "])
def test_language_reads_any_letter_case(raw):
    assert params.language(raw, ["me", "en", "de"], "me") == params.Parsed("en")
    assert params.language([raw], ("me", "en"), "me").value == "en"


@pytest.mark.parametrize("raw", ["xx", "english", "e", "en-GB", "ЕН"])
def test_language_refuses_what_is_no_language_of_the_town(raw):
    assert params.language(raw, ["me", "en"], "me") == params.Parsed("me", refused=True)


def test_language_absent_or_empty_is_the_default():
    assert params.language(None, ["me", "en"], "me") == params.Parsed("me")
    assert params.language([], ["me", "en"], "me") == params.Parsed("me")
    assert params.language("", ["me", "en"], "me") == params.Parsed("me")
    assert params.language(["de", "EN"], ["me", "en"], "me").value == "en"  # the last wins


def test_language_in_url_is_what_the_switch_binds():
    assert params.language_in_url("en") == "EN"
    assert params.language(params.language_in_url("sr"), ["sr"], "").value == "sr"


@pytest.mark.parametrize("raw", ["en", "EN", "En"])
def test_the_app_opens_in_english_whatever_the_case_of_lang(monkeypatch, raw):
    monkeypatch.setenv("CREATIVE_MAP_DATA", str(MINI))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = raw
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["lang"] == "en"
    at.run()  # the next run writes the language back as the switch shows it
    assert at.session_state["lang"] == "en"
    assert at.query_params["lang"] == "EN"
    at.switch_page("pages/planning_page.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == i18n.t("planning.title", "en")


def test_the_switch_wins_over_a_lowercase_link(monkeypatch):
    monkeypatch.setenv("CREATIVE_MAP_DATA", str(MINI))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    switch = at.get("button_group")[0]
    switch.set_value("me").run()
    assert not at.exception, at.exception
    assert at.session_state["lang"] == "me"
    assert at.title[0].value == i18n.t("app.title", "me", city="Testtown")


def test_an_unknown_lang_opens_in_the_towns_language(monkeypatch):
    monkeypatch.setenv("CREATIVE_MAP_DATA", str(MINI))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "xx"
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["lang"] == "me"


# --------------------------------------------------------------------------- tables


@pytest.fixture(scope="module")
def plan(kotor):
    return cov.build_plan(kotor)


def _cells(frame: pd.DataFrame) -> str:
    return " ".join([*map(str, frame.columns), *(str(v) for v in frame.to_numpy().ravel())])


@pytest.mark.parametrize("lang", ["me", "en", "de", "sr"])
def test_gap_list_shows_catalogue_headers_words_and_local_numbers(kotor, plan, lang):
    gaps = cov.gaps(plan, (1,), 15)
    shown = pc.shown_table(gaps, lang, kotor.categories, kotor.city.languages)
    text = _cells(shown)
    assert not [w for w in RAW_WORDS if w in text]
    assert not set(plan.groups) & set(shown[i18n.t("planning.column.group", lang)])
    assert list(shown.columns) == [
        i18n.t(f"planning.column.{c}", lang)
        for c in ("rank", "settlement", "population", "month", "group", "possible")
    ]
    risan = shown[shown[i18n.t("planning.column.settlement", lang)] == "Risan"]
    assert set(risan[i18n.t("planning.column.population", lang)]) == {i18n.number(2048, lang)}
    assert set(risan[i18n.t("planning.column.month", lang)]) == {
        i18n.month_name(1, lang, long=True)
    }
    flags = set(shown[i18n.t("planning.column.possible", lang)])
    assert flags <= {i18n.t("planning.table.yes", lang), i18n.t("planning.table.no", lang)}
    unknown = shown[i18n.t("planning.column.population", lang)] == i18n.t(
        "planning.population_unknown", lang
    )
    assert unknown.any() and (shown.loc[unknown, i18n.t("planning.column.rank", lang)] == "").all()


def test_german_gap_list_writes_2048_with_a_point(kotor, plan):
    shown = pc.shown_table(cov.gaps(plan, (1,), 15), "de", kotor.categories, kotor.city.languages)
    assert "2.048" in set(shown["Einwohner"])
    assert "Siedlung" in shown.columns and "Orte" not in " ".join(shown.columns)


@pytest.mark.parametrize("lang", ["me", "de"])
def test_ask_first_names_categories_and_hides_ids(kotor, plan, lang):
    asks = cov.ask_first(plan, (1,), 15)
    shown = pc.shown_table(asks, lang, kotor.categories, kotor.city.languages)
    text = _cells(shown)
    assert not [w for w in RAW_WORDS if w in text]
    assert "venue_id" not in text and "museum" not in text
    labels = pc.category_labels(kotor.categories, lang, kotor.city.languages)
    assert set(shown[i18n.t("planning.column.category", lang)]) <= set(labels.values())


def test_a_column_without_a_header_is_refused(kotor):
    with pytest.raises(KeyError, match="settlement_secret"):
        pc.shown_table(pd.DataFrame({"settlement_secret": [1]}), "en", kotor.categories, ["en"])


def test_seasonality_and_event_columns_are_named(kotor):
    frame = pd.DataFrame(
        {
            "month": [1, 2],
            "group": ["visual", "heritage"],
            "open": [3, 0],
            "hours": [2048.0, 0.0],
            "unknown": [1, 0],
            "confirmed": [True, False],
            "events": [12, 0],
            "status": ["covered", "not"],
        }
    )
    shown = pc.shown_table(frame, "de", kotor.categories, kotor.city.languages)
    assert shown.iloc[0].tolist() == [
        "Januar",
        "Bildende Kunst und Handwerk",
        "3",
        "2.048",
        "1",
        "ja",
        "12",
        "abgedeckt",
    ]


def test_every_group_gets_a_name_and_a_towns_own_group_its_categories_labels():
    categories = pd.DataFrame(
        {
            "id": ["gallery", "museum", "zine", "loft"],
            "label_en": ["Galleries", "Museums", "Zines", "Lofts"],
            "group": ["visual", "heritage", "print", ""],
        }
    )
    names = pc.group_names(categories, "en", ["en"])
    assert names == {
        "visual": "Visual arts and crafts",
        "heritage": "Heritage, museums and libraries",
        "print": "Zines",
        "loft": "Lofts",
    }


def test_every_kotor_group_has_a_catalogue_name(kotor):
    groups = set(cov.category_groups(kotor.categories).values())
    assert groups <= set(pc.GROUP_KEYS)


# --------------------------------------------------------------------------- what-if


@dataclass(frozen=True)
class Figures:
    month: int | None
    share_residents_known: float | None
    share_residents_possible: float | None
    settlements_known: int
    settlements_possible: int
    settlements_total: int


def test_what_if_table_puts_what_changed_first_and_writes_it_short():
    before = [Figures(1, 0.12, 0.4, 4, 9, 15), Figures(None, 0.12, 0.4, 4, 9, 15)]
    after = [Figures(1, 0.12, 1.0, 4, 11, 15), Figures(None, 0.12, 0.4, 4, 9, 15)]
    table = pc.what_if_table(before, after, "de")
    assert list(table.columns) == [
        "Monat",
        "Abgedeckte Einwohner, möglich",
        "Abgedeckte Siedlungen, möglich",
        "Abgedeckte Einwohner, bekannt",
        "Abgedeckte Siedlungen, bekannt",
    ]
    assert table.iloc[0].tolist() == [
        "Januar",
        "40\xa0% → 100\xa0%",
        "9 von 15 → 11 von 15",
        "12\xa0%",
        "4 von 15",
    ]
    assert table.iloc[1, 0] == i18n.t("planning.every_month", "de")
    assert max(len(str(v)) for v in table.to_numpy().ravel()) <= 30  # nothing to cut off


def test_what_if_table_of_a_real_proposal(plan):
    months = (10, 11, 12, 1, 2, 3, 4)
    result = what_if(plan, [Proposal(42.514, 18.696, "gallery", months)], months, 15)
    table = pc.what_if_table(result.before, result.after, "en")
    assert len(table) == len(result.before)
    assert "→" in _cells(table[table.columns[1]].to_frame())


def test_what_if_table_says_when_no_population_is_known():
    table = pc.what_if_table(
        [Figures(3, None, None, 0, 1, 2)], [Figures(3, None, None, 1, 1, 2)], "en"
    )
    assert table.iloc[0].tolist() == [
        "March",
        "0 of 2 → 1 of 2",
        "population unknown",
        "population unknown",
        "1 of 2",
    ]


# --------------------------------------------------------------------------- charts


def _spec_text(spec: dict) -> str:
    return json.dumps(spec, ensure_ascii=False)


@pytest.mark.parametrize("lang", ["me", "de"])
def test_hours_chart_names_groups_and_legend_in_the_language(kotor, lang):
    season = seasonality.seasonality(kotor)
    groups = pc.group_names(kotor.categories, lang, kotor.city.languages)
    spec = seasonality.hours_chart(season, groups, lang)
    bars = spec["datasets"]["bars"]
    assert {b["series"] for b in bars} <= set(groups.values())
    assert not {b["series"] for b in bars} & set(groups)  # no raw group id
    assert '"group"' not in _spec_text(spec) and '"status"' not in _spec_text(spec)
    legend = spec["layer"][0]["encoding"]["color"]["legend"]["title"]
    assert legend == i18n.t("planning.chart.group", lang)
    assert [t["label"] for t in spec["datasets"]["totals"]] == [
        i18n.month_name(m, lang) for m in range(1, 13)
    ]
    assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_hours_chart_leaves_room_for_the_tallest_label(kotor):
    spec = seasonality.hours_chart(seasonality.seasonality(kotor), {}, "en")
    tallest = max(t["total"] for t in spec["datasets"]["totals"])
    for layer in spec["layer"]:
        domain = layer["encoding"]["y"]["scale"]["domain"]
        assert domain[1] >= tallest * 1.15
    assert spec["layer"][1]["mark"]["baseline"] == "bottom"


def test_events_chart_draws_a_zero_bar_and_says_the_year():
    events = pd.DataFrame(
        {
            "month": [1, 1, 3],
            "category": ["x", "x", "y"],
            "confirmed": [True, False, True],
            "events": [2, 1, 4],
        }
    )
    spec = seasonality.events_chart(events, 2027, "de")
    totals = spec["datasets"]["totals"]
    assert len(totals) == 12
    assert [t["text"] for t in totals[:3]] == ["3", "0", "4"]
    assert totals[0]["label"] == i18n.month_year(2027, 1, "de", long=False) == "Jan. 2027"
    february = [b for b in spec["datasets"]["bars"] if b["label"] == totals[1]["label"]]
    assert [b["value"] for b in february] == [0, 0]
    assert {b["series"] for b in spec["datasets"]["bars"]} == {"bestätigt", "noch zu bestätigen"}
    assert spec["layer"][0]["encoding"]["color"]["legend"]["title"] == "Veranstaltungstermine"
    assert "2027" in february[0]["tooltip"]


def test_events_chart_of_a_year_without_events():
    empty = pd.DataFrame(columns=["month", "category", "confirmed", "events"])
    spec = seasonality.events_chart(empty, 2027, "en")
    assert [t["text"] for t in spec["datasets"]["totals"]] == ["0"] * 12


def test_report_chart_keeps_its_tallest_label_inside_and_writes_local_numbers():
    months = pd.DataFrame(
        {"month": range(1, 13), "open": 1, "hours": [2048.0] + [10.0] * 11, "unknown": 0}
    )
    svg = seasonality.hours_chart_svg(months, "de")
    assert ">2.048<" in svg and ">2,048<" not in svg
    label_ys = [float(y) for y in re.findall(r'<text x="[\d.]+" y="([\d.]+)"', svg)]
    assert min(label_ys) >= 12  # a line of 11 px text fits above it
    assert len(re.findall("<rect ", svg)) == 12


# --------------------------------------------------------------------------- the map


def _document(layer: coverage_render.CoverageLayer) -> dict:
    return json.loads(layer._document)


@pytest.mark.parametrize("lang", ["me", "de", "en"])
def test_map_legend_says_every_status_in_the_language(lang):
    legend = coverage_render.legend_html(lang)
    for key in ("planning.legend.title", "planning.legend.reach", *pc.STATUS_KEYS.values()):
        assert escape(i18n.t(key, lang)) in legend
    assert escape(i18n.t("planning.legend.proposed", lang)) not in legend
    proposed = coverage_render.legend_html(lang, proposed=True)
    assert escape(i18n.t("planning.legend.proposed", lang)) in proposed
    assert escape(i18n.t("planning.legend.reach_proposed", lang)) in proposed


def test_map_names_every_settlement_escaped(kotor, plan):
    names = ["{{ 7*7 }}<b>", *plan.settlements["name"].iloc[1:]]
    odd = replace(plan, settlements=plan.settlements.assign(name=names))
    status = cov.settlement_status(odd, (1,), 15)
    doc = _document(coverage_render.coverage_layer(odd, status, 15, "de"))
    assert [p["n"] for p in doc["places"]][0] == "{{ 7*7 }}&lt;b&gt;"
    assert [p["n"] for p in doc["places"]][1:] == [escape(n) for n in names[1:]]
    assert doc["legend"] == coverage_render.legend_html("de")
    assert "abgedeckt" in doc["places"][0]["t"]


def test_map_names_settlements_in_english_where_the_data_does(plan):
    status = cov.settlement_status(plan, (1,), 15)
    doc = _document(coverage_render.coverage_layer(plan, status, 15, "en"))
    english = plan.settlements["name_en"].replace("", pd.NA).fillna(plan.settlements["name"])
    assert [p["n"] for p in doc["places"]] == [escape(n) for n in english]


def test_map_marks_a_proposed_venue_and_its_legend(plan):
    months = (1,)
    changed = with_proposals(plan, [Proposal(42.514, 18.696, "gallery", months)])
    status = cov.settlement_status(changed, months, 15)
    shown = pd.Series(cov.open_venues(changed, months))
    doc = _document(coverage_render.coverage_layer(changed, status, 15, "en", shown))
    hypothetical = [r for r in doc["reach"] if r["h"]]
    assert [r["at"] for r in hypothetical] == [[42.514, 18.696]]
    assert escape(i18n.t("planning.legend.proposed", "en")) in doc["legend"]


def _bounds(fmap) -> list:
    fits = [c for c in fmap._children.values() if type(c).__name__ == "FitBounds"]
    assert len(fits) == 1
    return fits[0].bounds


def test_both_maps_open_on_every_settlement(kotor, plan):
    s = plan.settlements
    expected = [
        [float(s["lat"].min()), float(s["lon"].min())],
        [float(s["lat"].max()), float(s["lon"].max())],
    ]
    assert _bounds(coverage_render.coverage_map(kotor.city, plan)) == expected
    layer = coverage_render.coverage_layer(plan, cov.settlement_status(plan, (1,), 15), 15, "me")
    report = coverage_render.report_map(kotor.city, layer, plan)
    assert _bounds(report) == expected
    html = report.get_root().render()
    assert "L.tooltip(" in html and "permanent: true" in html and "coverage-legend" in html
    assert "<script src" not in html and "<link" not in html  # still no asset from elsewhere
