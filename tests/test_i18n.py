"""Catalogues: every key in every language; adding a language is adding a folder."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from mapping import i18n
from mapping.settings import load_city

from .conftest import MINI, REPO_DATA

PLACEHOLDER = re.compile(r"\{(\w+)\}")
FOLDERS = sorted(p.name for p in i18n.LOCALES_DIR.iterdir() if p.is_dir())


def test_every_folder_is_a_language():
    assert i18n.available_languages() == FOLDERS
    assert {"me", "en"} <= set(FOLDERS)


@pytest.mark.parametrize("folder", [REPO_DATA, MINI], ids=["kotor", "mini"])
def test_every_town_language_has_a_catalogue(folder):
    assert set(load_city(folder / "city.toml").languages) <= set(FOLDERS)


def test_every_folder_has_the_same_files():
    files = {lang: sorted(p.name for p in (i18n.LOCALES_DIR / lang).glob("*.toml"))
             for lang in FOLDERS}
    assert {lang: names for lang, names in files.items() if names != files[FOLDERS[0]]} == {}


def test_every_key_in_every_language():
    keys = {lang: set(i18n.catalogue(lang)) for lang in FOLDERS}
    union = set().union(*keys.values())
    missing = {lang: sorted(union - k) for lang, k in keys.items() if union - k}
    assert missing == {}


@pytest.mark.parametrize("lang", FOLDERS)
def test_placeholders_agree_across_languages(lang):
    reference = {k: set(PLACEHOLDER.findall(v)) for k, v in i18n.catalogue(FOLDERS[0]).items()}
    mine = {k: set(PLACEHOLDER.findall(v)) for k, v in i18n.catalogue(lang).items()}
    assert {k: v for k, v in mine.items() if v != reference.get(k)} == {}


@pytest.mark.parametrize("lang", FOLDERS)
def test_every_text_is_translated(lang):
    empty = [k for k, v in i18n.catalogue(lang).items() if not v.strip()]
    assert empty == []


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
    frame = pd.DataFrame({
        "label_me": ["Galerije", "", ""],
        "label_en": ["Galleries", "Museums", " "],
        "label": ["", "", "Original"],
        "label_de": ["Galerien", "", None],
    })
    assert list(i18n.localized_column(frame, "label", "de", languages)) == [
        "Galerien", "Museums", "Original"]
    for row, expected in zip(frame.to_dict("records"), ["Galerien", "Museums", "Original"],
                             strict=True):
        assert i18n.localized(row, "label", "de", languages) == expected
    assert i18n.localized({}, "label", "de", languages) == ""
