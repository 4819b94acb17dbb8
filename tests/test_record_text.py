"""Record text in every town language: the data's sibling of the catalogue completeness
test (``tests/test_i18n.py::test_every_text_is_translated``).

The town's languages come from ``data/city.toml``, so a town that adds a language is
checked for it too. The checks read the data files as stored (JSON and CSV): the loader
fills a missing column with ``""`` and the app falls back to another language, which
would hide exactly what these tests look for.

A language's text is the ``<field>_<lang>`` column; the original in the base field
(``title``) counts as the text of the town's default language, in which it is written
(``data/README.md``, Languages).
"""

from __future__ import annotations

import csv
import json

import orjson
import pytest

from mapping import clock
from mapping.io import Dataset
from mapping.render import MapOptions, build_payload
from mapping.settings import load_city
from mapping.text import escape
from tests.conftest import REPO_DATA

CITY = load_city(REPO_DATA / "city.toml")
VENUES = [
    f["properties"]
    for f in json.loads((REPO_DATA / "venues.geojson").read_text("utf-8"))["features"]
]
with (REPO_DATA / "events.csv").open(encoding="utf-8", newline="") as _fh:
    EVENT_READER = csv.DictReader(_fh)
    EVENTS = list(EVENT_READER)
    EVENT_HEADER = tuple(EVENT_READER.fieldnames or ())
VENUE_KEYS = frozenset().union(*(v.keys() for v in VENUES))


def _text_column(columns: frozenset[str] | tuple[str, ...], field: str, lang: str) -> str | None:
    """The column holding ``field`` in ``lang``, or ``None`` when the file has none."""
    if f"{field}_{lang}" in columns:
        return f"{field}_{lang}"
    if lang == CITY.default_language and field in columns:
        return field
    return None


def _event_title_case(lang: str) -> object:
    """One case per language; skipped, with the column named, only while it is absent."""
    if _text_column(EVENT_HEADER, "title", lang) is not None:
        return lang
    reason = (
        f"events.csv has no title_{lang} column yet (the translation of event titles into "
        f"{lang!r} is a separate change); this case runs as soon as the column exists"
    )
    return pytest.param(lang, marks=pytest.mark.skip(reason=reason))


def test_there_is_something_to_check() -> None:
    """Guards the parametrised tests below against passing over an empty town."""
    assert len(CITY.languages) > 1 and CITY.default_language in CITY.languages
    assert VENUES and EVENTS


@pytest.mark.parametrize("lang", CITY.languages)
def test_every_venue_has_a_description_in_every_town_language(lang: str) -> None:
    column = _text_column(VENUE_KEYS, "description", lang)
    assert column is not None, f"venues.geojson has no description_{lang}"
    missing = [v["id"] for v in VENUES if not str(v.get(column) or "").strip()]
    assert missing == []


@pytest.mark.parametrize("lang", CITY.languages)
def test_no_venue_description_is_a_copy_of_another_language(lang: str) -> None:
    """A language's description copied into another's column is not a translation."""
    others = [o for o in CITY.languages if o != lang]
    copied = [
        (v["id"], other)
        for v in VENUES
        for other in others
        if str(v.get(f"description_{lang}") or "").strip()
        == str(v.get(f"description_{other}") or "").strip()
    ]
    assert copied == []


@pytest.mark.parametrize("lang", [_event_title_case(lang) for lang in CITY.languages])
def test_every_event_has_a_title_in_every_town_language(lang: str) -> None:
    column = _text_column(EVENT_HEADER, "title", lang)
    assert column is not None
    missing = [e["id"] for e in EVENTS if not (e.get(column) or "").strip()]
    assert missing == []


# The hedges of the English text and the German words that carry them: a translation
# keeps every one ("prospective" never becomes "member", "not known" never disappears).
HEDGES_DE = {
    "prospective": "potenziell",
    "not known": "nicht bekannt",
    "not verified": "nicht überprüft",
    "undated": "undatiert",
    "unconfirmed": "nicht bestätigt",
}


@pytest.mark.parametrize("hedge", sorted(HEDGES_DE))
def test_german_descriptions_keep_the_hedges_of_the_english(hedge: str) -> None:
    english = [v for v in VENUES if hedge in str(v.get("description_en") or "").lower()]
    assert english, f"no English description says {hedge!r}: the case checks nothing"
    lost = [
        v["id"]
        for v in english
        if HEDGES_DE[hedge] not in str(v.get("description_de") or "").lower()
    ]
    assert lost == []


def test_german_descriptions_never_state_cluster_membership_as_fact() -> None:
    stated = [
        v["id"]
        for v in VENUES
        if "mitglied des clusters" in str(v.get("description_de") or "").lower()
        or "clustermitglied" in str(v.get("description_de") or "").lower()
    ]
    assert stated == []


def _card_rows(data: Dataset, lang: str) -> dict[str, tuple[dict, int]]:
    """Venue id -> (its layer, its row) in the map payload built in ``lang``."""
    options = MapOptions(now=clock.now(data.city.timezone))
    payload = orjson.loads(
        build_payload(data.venues, data.categories, data.city, lang, options).json
    )
    return {vid: (layer, i) for layer in payload["layers"] for i, vid in enumerate(layer["id"])}


def test_the_german_card_shows_the_german_name_and_description(kotor: Dataset) -> None:
    venue = next(v for v in VENUES if v["id"] == "pomorski-muzej")
    layer, i = _card_rows(kotor, "de")["pomorski-muzej"]
    assert layer["d"][i] == escape(venue["description_de"])
    assert layer["n"][i] == escape(venue["name_de"]) == escape("Seefahrtsmuseum Montenegro")
    assert venue["description_de"] not in (venue["description_me"], venue["description_en"])


def test_a_german_card_without_a_german_name_shows_the_original(kotor: Dataset) -> None:
    """``name_de`` is empty for a proper name: the card falls back to ``name``, not to
    the English name (README: ``<field>_<lang>``, then ``<field>``)."""
    venue = next(v for v in VENUES if v["id"] == "abeceda")
    assert venue["name_de"] == ""
    layer, i = _card_rows(kotor, "de")["abeceda"]
    assert layer["n"][i] == escape(venue["name"])
    assert layer["d"][i] == escape(venue["description_de"])
