"""Catalogues: every key in every language; adding a language is adding a folder."""

from __future__ import annotations

import re

import pytest

from mapping import i18n

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_both_languages_exist():
    assert {"me", "en"} <= set(i18n.available_languages())


def test_every_key_in_every_language():
    languages = i18n.available_languages()
    keys = {lang: set(i18n.catalogue(lang)) for lang in languages}
    union = set().union(*keys.values())
    missing = {lang: sorted(union - k) for lang, k in keys.items() if union - k}
    assert missing == {}


def test_placeholders_agree_across_languages():
    languages = i18n.available_languages()
    base = i18n.catalogue(languages[0])
    for lang in languages[1:]:
        other = i18n.catalogue(lang)
        for key, text in base.items():
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(other[key])), key


def test_missing_key_fails_loudly():
    with pytest.raises(KeyError):
        i18n.t("no.such.key", "en")


def test_format_values():
    assert i18n.t("filters.count", "en", shown=3, total=9) == "3 of 9 venues shown"


def test_localized_column_falls_back():
    import pandas as pd

    frame = pd.DataFrame({"name": ["Muzej", "Kino"], "name_en": ["Museum", ""]})
    assert list(i18n.localized_column(frame, "name", "en", ["me", "en"])) == ["Museum", "Kino"]
    assert list(i18n.localized_column(frame, "name", "me", ["me", "en"])) == ["Muzej", "Kino"]
