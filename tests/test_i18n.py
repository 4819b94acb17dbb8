"""Catalogues: every key in every language; adding a language is adding a folder."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from babel import Locale

from mapping import i18n
from mapping.settings import load_city

from .conftest import MINI, REPO_DATA

PLACEHOLDER = re.compile(r"\{(\w+)\}")
FOLDERS = sorted(p.name for p in i18n.LOCALES_DIR.iterdir() if p.is_dir())
NEW_TOWN = MINI.parent / "new-town"
TOWN_LANGUAGES = {"mk": NEW_TOWN}
"""Catalogues shipped in a data folder (``<data>/locales/<lang>/``): the same checks."""
LANGUAGES = [*FOLDERS, *TOWN_LANGUAGES]


@pytest.fixture(autouse=True)
def town_catalogues(monkeypatch):
    """The test towns' own catalogues registered, for this test only."""
    monkeypatch.setattr(i18n, "_town_catalogues", {})
    for folder in set(TOWN_LANGUAGES.values()):
        load_city(folder / "city.toml")


def test_every_folder_is_a_language():
    assert i18n.available_languages(built_in_only=True) == FOLDERS
    assert i18n.available_languages() == LANGUAGES
    assert {"me", "en"} <= set(FOLDERS)


@pytest.mark.parametrize("folder", [REPO_DATA, MINI], ids=["kotor", "mini"])
def test_every_town_language_has_a_catalogue(folder):
    assert set(load_city(folder / "city.toml").languages) <= set(FOLDERS)


def _folder(lang: str):
    town = TOWN_LANGUAGES.get(lang)
    return town / i18n.TOWN_LOCALES / lang if town else i18n.LOCALES_DIR / lang


def test_every_folder_has_the_same_files():
    files = {lang: sorted(p.name for p in _folder(lang).glob("*.toml")) for lang in LANGUAGES}
    assert {lang: names for lang, names in files.items() if names != files[FOLDERS[0]]} == {}


def test_every_key_in_every_language():
    keys = {lang: set(i18n.catalogue(lang)) for lang in LANGUAGES}
    union = set().union(*keys.values())
    missing = {lang: sorted(union - k) for lang, k in keys.items() if union - k}
    assert missing == {}


def _forms(value: i18n.Text) -> dict[str, str]:
    """A catalogue value as {form: template}; a plain string is the one form ""."""
    return {"": value} if isinstance(value, str) else dict(value)


def _placeholders(value: i18n.Text) -> set[frozenset[str]]:
    """The placeholder sets of every form (one set when all forms agree)."""
    return {frozenset(PLACEHOLDER.findall(v)) for v in _forms(value).values()}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_agree_across_languages(lang):
    """Every form of every key has the reference language's placeholders: a plural
    table's forms all take the same values as the other languages' text."""
    reference = {k: _placeholders(v) for k, v in i18n.catalogue(FOLDERS[0]).items()}
    mine = {k: _placeholders(v) for k, v in i18n.catalogue(lang).items()}
    assert {k: v for k, v in mine.items() if v != reference.get(k)} == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_text_is_translated(lang):
    empty = [
        f"{k}.{form}".rstrip(".")
        for k, v in i18n.catalogue(lang).items()
        for form, text in _forms(v).items()
        if not text.strip()
    ]
    assert empty == []


def test_plural_keys_are_plural_in_every_language():
    kinds = {
        lang: {k: isinstance(v, dict) for k, v in i18n.catalogue(lang).items()}
        for lang in LANGUAGES
    }
    reference = kinds[FOLDERS[0]]
    assert {
        lang: sorted(k for k, plural in mine.items() if plural != reference.get(k))
        for lang, mine in kinds.items()
    } == {lang: [] for lang in LANGUAGES}
    assert any(reference.values()), "no plural tables: this test would check nothing"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_tables_have_exactly_the_forms_the_language_needs(lang):
    """The forms of a table are the CLDR categories of the language's Babel locale: a
    missing one would fail at run time for some count, an extra one is never shown."""
    needed = i18n.plural_forms(lang)
    wrong = {
        k: sorted(v)
        for k, v in i18n.catalogue(lang).items()
        if isinstance(v, dict) and set(v) != needed
    }
    assert wrong == {}, f"{lang} needs the forms {sorted(needed)}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_folder_names_a_babel_locale(lang):
    assert i18n.locale(lang).plural_form.tags is not None
    assert "other" in i18n.plural_forms(lang)


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 događaj u izabranim danima"),
        (2, "2 događaja u izabranim danima"),
        (4, "4 događaja u izabranim danima"),
        (5, "5 događaja u izabranim danima"),
        (11, "11 događaja u izabranim danima"),
        (12, "12 događaja u izabranim danima"),
        (21, "21 događaj u izabranim danima"),
        (22, "22 događaja u izabranim danima"),
        (0, "0 događaja u izabranim danima"),
    ],
)
def test_montenegrin_plurals_follow_cldr(count, expected):
    assert i18n.plural("whats_on.count", "me", count) == expected


def test_montenegrin_few_and_other_differ_where_the_grammar_does():
    assert i18n.plural("whats_on.left_out", "me", 3).endswith("nisu u fajlu kalendara.")
    assert i18n.plural("whats_on.left_out", "me", 5).endswith("nije u fajlu kalendara.")
    assert i18n.plural("whats_on.left_out", "me", 21).startswith("21 događaj s ")
    assert i18n.plural("whats_on.chart.confirmed", "me", 5) == "5 potvrđenih"


@pytest.mark.parametrize(
    ("lang", "one", "many"),
    [
        ("en", "1 event on these days", "21 events on these days"),
        ("de", "1 Veranstaltung an diesen Tagen", "21 Veranstaltungen an diesen Tagen"),
    ],
)
def test_english_and_german_plurals(lang, one, many):
    assert i18n.plural("whats_on.count", lang, 1) == one
    assert i18n.plural("whats_on.count", lang, 21) == many


def test_plural_and_t_refuse_the_wrong_kind_of_key():
    with pytest.raises(TypeError, match="is a plural table"):
        i18n.t("whats_on.count", "en")
    with pytest.raises(TypeError, match="is not a plural table"):
        i18n.plural("whats_on.heading", "en", 2)
    with pytest.raises(KeyError):
        i18n.plural("no.such.key", "en", 2)


def test_missing_key_fails_loudly():
    with pytest.raises(KeyError):
        i18n.t("no.such.key", "en")


def test_missing_language_fails_loudly():
    with pytest.raises(KeyError, match="no catalogue for language 'xx'"):
        i18n.catalogue("xx")


def test_format_values():
    assert i18n.t("filters.count", "en", shown=3, total=9) == "3 of 9 venues shown"


def test_one_label_in_every_language():
    assert i18n.in_every_language("app.language", ["me", "en"]) == "Jezik · Language"
    assert i18n.in_every_language("app.language", ["en", "en"]) == "Language"


def test_localized_column_falls_back():
    frame = pd.DataFrame({"name": ["Muzej", "Kino"], "name_en": ["Museum", ""]})
    assert list(i18n.localized_column(frame, "name", "en", ["me", "en"])) == ["Museum", "Kino"]
    assert list(i18n.localized_column(frame, "name", "me", ["me", "en"])) == ["Muzej", "Kino"]


def test_fallback_order_field_lang_then_original_then_others():
    languages = ["me", "en", "de"]
    frame = pd.DataFrame(
        {
            "label_me": ["Galerije", "", ""],
            "label_en": ["Galleries", "Museums", " "],
            "label": ["", "", "Original"],
            "label_de": ["Galerien", "", None],
        }
    )
    assert list(i18n.localized_column(frame, "label", "de", languages)) == [
        "Galerien",
        "Museums",
        "Original",
    ]
    for row, expected in zip(
        frame.to_dict("records"), ["Galerien", "Museums", "Original"], strict=True
    ):
        assert i18n.localized(row, "label", "de", languages) == expected
    assert i18n.localized({}, "label", "de", languages) == ""


@pytest.mark.parametrize(
    ("lang", "long", "short"),
    [
        ("en", "January 2027", "Jan 2027"),
        ("de", "Januar 2027", "Jan. 2027"),
        ("me", "januar 2027.", "jan 2027."),
        ("sr", "јануар 2027.", "јан 2027."),
    ],
)
def test_month_year_in_each_language(lang, long, short):
    assert i18n.month_year(2027, 1, lang) == long
    assert i18n.month_year(2027, 1, lang, long=False) == short


@pytest.mark.parametrize("lang", LANGUAGES)
def test_month_year_uses_the_catalogues_month_names(lang):
    """CLDR writes the label, the catalogue names the months alone: they must agree."""
    for month in range(1, 13):
        assert i18n.month_name(month, lang, long=True) in i18n.month_year(2026, month, lang)
        assert i18n.month_name(month, lang) in i18n.month_year(2026, month, lang, long=False)
        assert "2026" in i18n.month_year(2026, month, lang)


@pytest.mark.parametrize(
    ("locale", "expected"), [("hu", "2027. január"), ("ja", "2027年1月"), ("ko", "2027년 1월")]
)
def test_month_year_puts_the_year_first_where_the_language_does(monkeypatch, locale, expected):
    """A language whose catalogue names a year-first locale gets the year first."""
    monkeypatch.setattr(i18n, "locale", lambda lang: Locale.parse(locale))
    assert i18n.month_year(2027, 1, "en") == expected


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_loaders_catalogue_check_agrees_with_these_tests(lang):
    """i18n.catalogue_problems, which load_city runs on a town's own catalogues, finds
    nothing in a catalogue these tests pass."""
    assert i18n.catalogue_problems(i18n.catalogue(lang)) == []


def test_the_loaders_catalogue_check_names_what_is_wrong():
    entries = dict(i18n.catalogue("en"))
    del entries["app.language"]
    entries["app.extra"] = "x"
    entries["whats_on.count"] = {"one": "{count} event", "few": "{n}", "other": " "}
    found = i18n.catalogue_problems(entries)
    assert "missing key 'app.language'" in found
    assert "unknown key 'app.extra'" in found
    assert "whats_on.count: expected the placeholders of 'en'" in found
    assert "whats_on.count: empty text" in found
    assert "whats_on.count: expected the plural forms ['one', 'other']" in found


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("lang", "thousands", "ratio", "share", "share_1"),
    [
        ("me", "2.048", "0,87", "12%", "12,3%"),
        ("sr", "2.048", "0,87", "12%", "12,3%"),
        ("de", "2.048", "0,87", "12\xa0%", "12,3\xa0%"),
        ("en", "2,048", "0.87", "12%", "12.3%"),
    ],
)
def test_numbers_and_percentages_follow_the_languages_cldr_locale(
    lang, thousands, ratio, share, share_1
):
    assert i18n.number(2048.0, lang) == thousands
    assert i18n.number(0.8712, lang, digits=2) == ratio
    assert i18n.percent(0.1234, lang) == share
    assert i18n.percent(0.1234, lang, digits=1) == share_1


def test_numbers_keep_exactly_the_digits_asked_for():
    assert i18n.number(0.5, "en", digits=2) == "0.50"
    assert i18n.number(1234567.891, "de", digits=1) == "1.234.567,9"
    assert i18n.number(2048.6, "en") == "2,049"
    assert i18n.percent(1.0, "en") == "100%"


def test_numbers_never_write_minus_zero_nor_nan():
    assert i18n.number(-0.0001, "de") == "0"
    assert i18n.percent(-0.0001, "en") == "0%"
    assert i18n.number(float("nan"), "en") == ""
    assert i18n.percent(float("nan"), "de") == ""


# --------------------------------------------------------------------------- German words

SETTLEMENT_WORD = re.compile(r"\bsettlements?\b|\bsettlement-level\b", re.IGNORECASE)
VENUE_WORD = re.compile(r"\b(venues?|places?)\b", re.IGNORECASE)
GERMAN_ORT = re.compile(r"\b(Ort|Orte|Orten|Ortes|Orts)\b")


def test_german_never_calls_a_settlement_and_a_venue_by_one_word():
    """ "Ort" is a venue, "Siedlung" a settlement: a German text says "Siedlung" exactly
    when its English says "settlement", and never "Ort" for a settlement alone."""
    english, german = i18n.catalogue("en"), i18n.catalogue("de")
    pairs = [
        (key, en, de)
        for key, text in english.items()
        for en, de in zip(_forms(text).values(), _forms(german[key]).values(), strict=True)
    ]
    assert [
        k for k, en, de in pairs if bool(SETTLEMENT_WORD.search(en)) != ("Siedlung" in de)
    ] == []
    assert [
        k
        for k, en, de in pairs
        if SETTLEMENT_WORD.search(en) and not VENUE_WORD.search(en) and GERMAN_ORT.search(de)
    ] == []
    assert "Siedlungen" in i18n.t("planning.settlements_share", "de")
    assert i18n.t("planning.column.venue", "de") == "Ort"
