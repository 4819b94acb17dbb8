"""Property-based fuzzing with hypothesis: the loader, the validator, the exports, the map.

Properties (issue 13, item 7):

- a data folder written from arbitrary venue properties (any JSON value, any Unicode
  text, any geometry) and arbitrary ``events.csv`` cells either loads or is refused
  with :class:`DataError` problems, and ``validate`` lists problems: never another
  exception;
- text that loads comes out of the CSV and GeoJSON exports byte-exact and out of the
  ``.ics`` as :func:`mapping.calendar.ics_text` documents (the loader's one
  normalisation is trimming surrounding whitespace);
- any text in any venue or category field comes out of the map payload inert: no
  ``<`` or ``>`` in the embedded JSON, and every string in it escaped as
  :func:`mapping.text.escape` escapes (no raw ``< > " ' ` $ \\``).

Example counts: the normal suite runs a fixed (derandomized) bounded set, a few
seconds in all. ``HYPOTHESIS_PROFILE=long`` runs 100 times as many, randomized:
``HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/test_fuzz.py``.

Nothing is left out any more: event dates anywhere in years 1-9999 (outside pandas'
nanosecond range), coordinates up to ±1.7e308, and ``website``/``email``/``phone``/
``checked`` columns that are all numbers or nulls (each a crash once, fixed in the
loader and the validator) are generated like everything else. ``city.toml`` is fuzzed
too: each setting replaced by any TOML value (or removed, or an unknown key added), and
the file as arbitrary bytes.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import shutil
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import orjson
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapping.calendar import ics_text, to_ics
from mapping.errors import DataError, Problem
from mapping.events import occurrences, to_csv_bytes
from mapping.files import venues_csv_bytes, venues_geojson_bytes
from mapping.io import Dataset, load_dataset
from mapping.render import MapOptions, build_payload, map_html, venue_map
from mapping.serving import load_served
from mapping.text import escape
from mapping.validate import validate_folder
from tests.conftest import MINI

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "quick")
settings.register_profile(
    "quick",
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "long", deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(PROFILE)
SCALE = 100 if PROFILE == "long" else 1


def examples(n: int) -> Callable[[Any], Any]:
    """``n`` examples in the normal suite, ``100 n`` under ``HYPOTHESIS_PROFILE=long``."""
    return settings(max_examples=n * SCALE)


WHEN = datetime(2026, 7, 4, 12, 0, tzinfo=ZoneInfo("Europe/Podgorica"))
NASTY = list(
    "\r\n\x00\x1b\x07\t\x0b\x0c\x7f\x85\x9b \xa0<>&\"'`$\\,;:{}%=\u202e\u202a\u200f"
    "\u2066\u2069\u2028\u2029\ufeffĐžć日🎭"
)

# Any Unicode text (no lone surrogates: a UTF-8 file cannot hold them), and text built
# mostly from the characters that broke an output before.
any_text = st.text(max_size=16)
nasty_text = st.text(st.sampled_from(NASTY) | st.characters(codec="utf-8"), max_size=16)
text = any_text | nasty_text
json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=5,
)
coordinate = st.floats(allow_nan=False, allow_infinity=False)  # JSON holds no inf/NaN

VENUE_FIELDS = (
    "id",
    "name",
    "name_en",
    "name_me",
    "category",
    "source",
    "location_precision",
    "opening_hours",
    "address",
    "settlement",
    "website",
    "phone",
    "email",
    "social",
    "image",
    "wheelchair",
    "org_type",
    "visit",
    "checked",
    "tags",
    "languages",
    "cluster",
    "cluster_source",
    "cluster_year",
    "description_en",
    "description_me",
    "boat_from",
)
"""Fields a venue may carry; a generated venue gets any of them with any JSON value."""

point = st.builds(
    lambda x, y: {"type": "Point", "coordinates": [x, y]},
    st.floats(18.5, 18.9),
    st.floats(42.3, 42.5),
)
geometry = (
    point
    | st.builds(lambda x, y: {"type": "Point", "coordinates": [x, y]}, coordinate, coordinate)
    | json_value
)
venue = st.fixed_dictionaries(
    {},
    optional={
        field: text | st.sampled_from(["gallery", "exact", "yes", "me"]) | json_value
        for field in VENUE_FIELDS
    },
)
feature = st.builds(
    lambda props, geom: {"type": "Feature", "properties": props, "geometry": geom}, venue, geometry
)

EVENT_HEADER = (
    "id",
    "title",
    "title_en",
    "description_en",
    "category",
    "venue_id",
    "start",
    "end",
    "dates_confirmed",
    "recurrence",
    "price",
    "free",
    "url",
    "organiser",
    "source",
)
event_cell = text | st.sampled_from(
    [
        "2026-12-01",
        "2026-12-01T10:00",
        "1900-01-01",
        "2199-12-31T23:59",
        "2026-02-30",
        "0001-01-01",
        "9999-12-31T23:59",
        "1677-09-21",
        "2262-04-12T00:00",
        "true",
        "false",
        "annual",
        "weekly",
        "concert",
        "gal-durkovic",
        "https://x.org",
    ]
)
event_row = st.lists(event_cell, min_size=len(EVENT_HEADER), max_size=len(EVENT_HEADER))


@contextmanager
def data_folder(
    features: list[Any] | None = None, event_rows: list[list[str]] | None = None
) -> Iterator[Path]:
    """A copy of the mini folder with these venues and event rows (``None``: keep)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "data"
        shutil.copytree(MINI, root)
        if features is not None:
            doc = {"type": "FeatureCollection", "features": features}
            (root / "venues.geojson").write_text(json.dumps(doc), encoding="utf-8")
        if event_rows is not None:
            with (root / "events.csv").open("w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(EVENT_HEADER)
                writer.writerows(event_rows)
        yield root


def _is_problem_list(problems: object) -> bool:
    return isinstance(problems, list | tuple) and all(isinstance(p, Problem) for p in problems)


# --------------------------------------------------------------------------- loader


@examples(30)
@given(st.lists(feature, max_size=4), st.lists(event_row, max_size=4))
def test_any_folder_loads_or_is_refused_with_problems(features: list[Any], rows: list[list[str]]):
    with data_folder(features, rows) as root:
        dataset = _load_or_problems(lambda: load_dataset(root, year=2026))
        if isinstance(dataset, Dataset):
            assert _is_problem_list(list(dataset.problems))
        problems = _load_or_problems(lambda: validate_folder(root))
        assert isinstance(problems, Dataset) or _is_problem_list(problems)
        served = _load_or_problems(lambda: load_served(root, year=2026))
        assert isinstance(served, Dataset) == (problems == [])  # what loads is what validates


def _load_or_problems(call: Callable[[], Any]) -> Any:
    """``call()``'s result, or the problems of the :class:`DataError` it raised."""
    try:
        return call()
    except DataError as exc:
        problems = list(exc.problems)
    assert problems and _is_problem_list(problems)
    return problems


# --------------------------------------------------------------------------- exports

TEXT_FIELDS = ("name", "name_en", "address", "description_en", "phone", "tags")
"""Venue fields that take any text in the export test."""


def _venue(k: int, texts: list[str]) -> dict[str, Any]:
    props: dict[str, Any] = {
        "id": f"v{k}",
        "category": "gallery",
        "source": "fuzz",
        "location_precision": "exact",
    }
    props.update(zip(TEXT_FIELDS, texts, strict=True))
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Point", "coordinates": [18.77, 42.42]},
    }


def _event(k: int, title: str, description: str, organiser: str) -> list[str]:
    return [
        f"e{k}",
        title,
        title,
        description,
        "concert",
        "v0",
        f"2026-12-{k + 1:02d}T18:00",
        f"2026-12-{k + 1:02d}T20:00",
        "true",
        "",
        "",
        "",
        "",
        organiser,
        "fuzz",
    ]


venue_texts = st.lists(text, min_size=len(TEXT_FIELDS), max_size=len(TEXT_FIELDS))
event_texts = st.tuples(text.filter(lambda t: t.strip() != ""), text, text)


def _read_csv(data: bytes) -> tuple[list[dict[str, str]], pd.DataFrame]:
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    return rows, pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)


@examples(25)
@given(st.lists(venue_texts, min_size=1, max_size=3), st.lists(event_texts, max_size=3))
def test_exports_carry_any_text_exactly(
    venues: list[list[str]], events: list[tuple[str, str, str]]
):
    features = [_venue(k, texts) for k, texts in enumerate(venues)]
    rows = [_event(k, *texts) for k, texts in enumerate(events)]
    with data_folder(features, rows) as root:
        dataset = load_dataset(root, year=2026)
    loaded = dataset.venues
    for k, texts in enumerate(venues):  # the one documented normalisation: trimming
        assert [loaded.iloc[k][f] for f in TEXT_FIELDS] == [t.strip() for t in texts]

    csv_rows, frame = _read_csv(venues_csv_bytes(loaded, raw=True))
    geo = orjson.loads(venues_geojson_bytes(loaded))
    for field in TEXT_FIELDS:
        expected = list(loaded[field])
        assert [r[field] for r in csv_rows] == expected
        assert list(frame[field]) == expected
        assert [f["properties"][field] for f in geo["features"]] == expected

    occ = occurrences(
        dataset.events,
        pd.Timestamp("2026-12-01").date(),
        pd.Timestamp("2026-12-31").date(),
        dataset.city.timezone,
    )
    titles = [t.strip() for t, _, _ in events]
    event_rows, event_frame = _read_csv(to_csv_bytes(occ, "en", dataset.city.languages, raw=True))
    assert sorted(r["title"] for r in event_rows) == sorted(titles)
    assert sorted(event_frame["organiser"]) == sorted(o.strip() for _, _, o in events)

    data = to_ics(
        occ, pd.DataFrame(loaded), "en", dataset.city.languages, dataset.city.timezone, now=WHEN
    ).data
    body = data.decode("utf-8").replace("\r\n", "")
    assert not any((ord(c) < 32 and c != "\t") or 0x7F <= ord(c) <= 0x9F for c in body)
    cal = icalendar.Calendar.from_ical(data)
    assert sorted(str(e["summary"]) for e in cal.walk("VEVENT")) == sorted(
        ics_text(t) for t in titles
    )


# --------------------------------------------------------------------------- map


@cache
def _mini() -> Dataset:
    return load_dataset(MINI, year=2026)


MAP_FIELDS = (
    "name",
    "name_en",
    "name_me",
    "description_en",
    "description_me",
    "address",
    "website",
    "phone",
    "email",
    "social",
    "image",
    "tags",
    "settlement",
)
DANGEROUS = set("<>\"'`$\\")


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@examples(50)
@given(st.lists(text, min_size=len(MAP_FIELDS), max_size=len(MAP_FIELDS)), text)
def test_any_text_reaches_the_map_inert(texts: list[str], label: str):
    mini = _mini()
    venues = mini.venues.copy()
    for field, value in zip(MAP_FIELDS, texts, strict=True):
        venues[field] = value
    categories = mini.categories.copy()
    categories["label_en"] = label
    payload = build_payload(venues, categories, mini.city, "en", MapOptions(now=WHEN))
    assert "<" not in payload.json and ">" not in payload.json
    strings = list(_strings(orjson.loads(payload.json)))
    assert not [s for s in strings if DANGEROUS & set(s)]
    shown = texts[1].strip() or texts[0].strip()  # the English name, else the original
    if shown:
        assert any(escape(shown) in s for s in strings)  # the name is there, escaped


@examples(10)
@given(st.builds(lambda a, b: f"{a}<{b}{{{{", text, text))
def test_any_text_in_the_html_export_is_inert(name: str):
    mini = _mini()
    venues = mini.venues.copy()
    venues["name"] = venues["name_en"] = name
    payload = build_payload(venues, mini.categories, mini.city, "en", MapOptions(now=WHEN))
    html = map_html(venue_map(payload, mini.city))
    assert name not in html


# --------------------------------------------------------------------------- city.toml

CITY_KEYS = {
    "city": (
        "name",
        "languages",
        "default_language",
        "timezone",
        "country",
        "metric_crs",
        "bbox",
        "default_start",
        "off_season_months",
        "peak_months",
    ),
    "walking": ("speed_kmh", "detour_factor"),
    "tiles": ("url", "attribution"),
    "map": ("center", "zoom"),
}
"""The settings of the mini folder's ``city.toml``, by section."""

toml_scalar = (
    st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats()
    | text
    | st.sampled_from(
        [
            "me",
            "en",
            "Europe/Podgorica",
            "EPSG:32634",
            "gate",
            "https://t.example/{z}/{x}/{y}.png",
            "Mars/Olympus",
        ]
    )
)
toml_value = st.recursive(toml_scalar, lambda inner: st.lists(inner, max_size=5), max_leaves=6)


def toml_literal(value: Any) -> str:
    """``value`` as TOML (strings as JSON strings, which TOML basic strings accept)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    return "[" + ", ".join(toml_literal(v) for v in value) + "]"


def city_toml(changes: dict[tuple[str, str], Any], removed: set[tuple[str, str]]) -> str:
    """The mini ``city.toml`` with these settings replaced (or added) and removed."""
    current = tomllib.loads((MINI / "city.toml").read_text(encoding="utf-8"))
    lines: list[str] = []
    sections = {*current, *(section for section, _ in changes)}
    for section in sorted(sections):
        lines.append(f"[{section}]")
        values = {
            **current.get(section, {}),
            **{key: v for (sec, key), v in changes.items() if sec == section},
        }
        for key, value in values.items():
            if (section, key) not in removed:
                lines.append(f"{json.dumps(key)} = {toml_literal(value)}")
    return "\n".join(lines) + "\n"


setting = st.sampled_from(
    [(section, key) for section, keys in CITY_KEYS.items() for key in keys]
) | st.tuples(st.sampled_from([*CITY_KEYS]), text)


@examples(40)
@given(st.dictionaries(setting, toml_value, max_size=3), st.sets(setting, max_size=2))
def test_any_city_toml_loads_or_is_refused_with_problems(
    changes: dict[tuple[str, str], Any], removed: set[tuple[str, str]]
):
    with data_folder() as root:
        (root / "city.toml").write_text(city_toml(changes, removed), encoding="utf-8")
        dataset = _load_or_problems(lambda: load_dataset(root, year=2026))
        assert isinstance(dataset, Dataset) or _is_problem_list(dataset)
        problems = _load_or_problems(lambda: validate_folder(root))
        assert isinstance(problems, Dataset) or _is_problem_list(problems)


@examples(15)
@given(st.binary(max_size=200))
def test_a_city_toml_of_any_bytes_is_refused_or_loaded(raw: bytes):
    with data_folder() as root:
        (root / "city.toml").write_bytes(raw)
        problems = _load_or_problems(lambda: validate_folder(root))
        assert problems and _is_problem_list(problems)  # required settings are missing
        assert _is_problem_list(_load_or_problems(lambda: load_dataset(root, year=2026)))
