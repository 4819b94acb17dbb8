"""Planning in the reader's language: tables, charts, the coverage map, ``?lang=`` in any case."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from mapping import coverage as cov
from mapping import i18n, params
from mapping import planning_columns as pc
from mapping.params import Proposal
from mapping.what_if import what_if
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
    at.switch_page("pages/planning_page.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == i18n.t("planning.title", "en")


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
