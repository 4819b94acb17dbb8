"""The town's text fallback (issue 21 item 7): German falls back to English before
Montenegrin in Kotor (``[languages] fallback`` in ``city.toml``), through the one lookup
(``mapping.i18n.localized``/``localized_column``), and a page says when it shows another
language's text. The data has German for every venue and event, so these tests build
records with a German field missing."""

from __future__ import annotations

import dataclasses
import pickle
import shutil

import pandas as pd
import pytest

from mapping import i18n, whats_on
from mapping.errors import DataError
from mapping.render import _columns
from mapping.settings import load_city
from tests.conftest import REPO_DATA

KOTOR = load_city(REPO_DATA / "city.toml")
RECORD = {
    "title": "Izložba",  # the original (Montenegrin, the default language)
    "title_en": "Exhibition",
    "title_de": "",  # no German
    "description": "",
    "description_me": "Opis",
    "description_en": "",
}


def test_kotor_german_falls_back_to_english_then_montenegrin():
    assert KOTOR.languages.fallback == {"de": ("en", "me")}
    assert i18n.text_order("de", KOTOR.languages) == ["de", "en", "me"]
    assert i18n.text_language(RECORD, "title", "de", KOTOR.languages) == ("Exhibition", "en")
    # no English either: the Montenegrin original
    assert i18n.text_language(RECORD, "description", "de", KOTOR.languages) == ("Opis", "me")


def test_without_a_fallback_the_original_comes_right_after_the_own_language():
    plain = ("me", "en", "de")  # a tuple of codes: no town fallback
    assert i18n.localized(RECORD, "title", "de", plain) == "Izložba"
    assert i18n.localized(RECORD, "title", "en", KOTOR.languages) == "Exhibition"
    # English has no fallback entry in Kotor: original before the other languages
    record = {"name": "Galerija", "name_de": "Galerie"}
    assert i18n.localized(record, "name", "en", KOTOR.languages) == "Galerija"
    assert i18n.localized(record, "name", "me", KOTOR.languages) == "Galerija"


def test_column_and_record_lookups_agree():
    frame = pd.DataFrame(
        {
            "title": ["Muzej", "Kino", "Trg", ""],
            "title_en": ["Museum", "", "Square", ""],
            "title_de": ["", "", "Platz", None],
            "title_me": ["", "", "", "Samo crnogorski"],
        }
    )
    texts = i18n.localized_column(frame, "title", "de", KOTOR.languages)
    sources = i18n.column_language(frame, "title", "de", KOTOR.languages)
    assert list(texts) == ["Museum", "Kino", "Platz", "Samo crnogorski"]
    assert list(sources) == ["en", "me", "de", "me"]
    for row, text, source in zip(frame.to_dict("records"), texts, sources, strict=True):
        assert i18n.text_language(row, "title", "de", KOTOR.languages) == (text, source)


def test_a_name_keeps_its_original_before_another_languages_gloss():
    """``name_de`` is left empty for a proper name (data/README.md): the German card shows
    the original, not the English gloss, whatever the fallback says."""
    frame = pd.DataFrame(
        {"name": ["Kino „Boka“", "Crkva"], "name_en": ['Kino "Boka" (cinema)', "Church"]}
    )
    frame["name_de"] = ["", "Kirche"]
    assert list(i18n.localized_column(frame, "name", "de", KOTOR.languages)) == [
        "Kino „Boka“",
        "Kirche",
    ]
    assert i18n.localized({"name_en": "Church"}, "name", "de", KOTOR.languages) == "Church"


def test_the_note_names_the_language_in_the_page_language():
    assert i18n.text_note("en", "de") == "Text auf Englisch"
    assert i18n.text_note("me", "en") == "Text in Montenegrin"
    assert i18n.text_note("en", "me") == "Tekst na engleskom"
    assert i18n.text_note("de", "de") == ""
    assert i18n.text_note("", "de") == ""
    assert i18n.text_note("xx", "en") == "Text in another language"


def test_the_card_description_says_it_is_english():
    frame = pd.DataFrame(
        {
            "id": ["a", "b"],
            "name": ["A", "B"],
            "description_en": ["<b>An atelier</b>", "A gallery"],
            "description_de": ["", "Eine Galerie"],
        }
    )
    shown = _columns.texts(frame, "de", KOTOR.languages)["d"]
    assert list(shown) == ["<b>An atelier</b> (Text auf Englisch)", "Eine Galerie"]
    # the card's text columns are escaped whole, the note with them
    escaped = _columns.escaped(shown, pd.RangeIndex(2).to_numpy())
    assert escaped is not None
    assert escaped[0] == "&lt;b&gt;An atelier&lt;/b&gt; (Text auf Englisch)"


def test_whats_on_titles_and_descriptions_say_their_language():
    row = pd.Series({**RECORD, "price": "", "free": "", "organiser": ""})
    assert whats_on.event_title(row, "de", KOTOR.languages) == "Exhibition"
    assert whats_on.event_title_note(row, "de", KOTOR.languages) == "Text auf Englisch"
    assert whats_on.event_title_note(row, "en", KOTOR.languages) == ""
    assert (
        whats_on.event_details(row, "de", KOTOR.languages)[0] == "Opis (Text auf Montenegrinisch)"
    )
    assert whats_on.event_details(row, "me", KOTOR.languages)[0] == "Opis"


def test_the_profile_keeps_its_order_through_copies_and_pickles():
    again = pickle.loads(pickle.dumps(KOTOR))
    assert again.languages.fallback == {"de": ("en", "me")}
    assert again.languages == ("me", "en", "de")
    changed = dataclasses.replace(KOTOR, default_language="en")
    assert i18n.text_order("de", changed.languages) == ["de", "en", "me"]
    assert i18n.text_order("me", changed.languages) == ["me", "en", "de"]


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('fallback.de = ["fr"]', "'fr' is not one of languages"),
        ('fallback.xx = ["en"]', "'xx' is not one of languages"),
        ("fallback = 3", "expected a table of language lists"),
        ('fallback.de = "en"', "expected a table of language lists"),
    ],
)
def test_a_wrong_fallback_is_named(tmp_path, setting, message):
    shutil.copy(REPO_DATA / "city.toml", tmp_path / "city.toml")
    text = (tmp_path / "city.toml").read_text(encoding="utf-8")
    text = text.replace('fallback.de = ["en", "me"]', setting)
    (tmp_path / "city.toml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_city(tmp_path / "city.toml")
    assert any(
        p.record == "languages" and p.field == "fallback" and message in p.message
        for p in caught.value.problems
    ), caught.value.problems
