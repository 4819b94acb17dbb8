"""Reading ``city.toml`` (:func:`read_toml`) and parsing its values.

Each value parser takes the raw TOML value and returns the typed value, or raises
:class:`ValueError` with the message a person reads ("expected …, got …").
:data:`mapping.settings.SETTINGS` names one of these for every key.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mapping import i18n
from mapping.distance import WALK_MODELS
from mapping.errors import DataError, Problem
from mapping.schema import inside_bbox, is_web_url
from mapping.text import link_only_html

CITY_TOML_MAX_BYTES: Final = 1024 * 1024
"""``city.toml`` is a short profile: anything larger is refused unread."""


def read_toml(path: Path) -> dict[str, Any]:
    """``city.toml``'s tables as read; :class:`~mapping.errors.DataError` naming the file
    when it is missing, a folder, too big, not UTF-8 or not valid TOML."""
    name = path.name
    try:
        if path.is_dir():
            raise DataError([Problem(name, "-", "-", "is a folder; expected a TOML file")])
        if path.stat().st_size > CITY_TOML_MAX_BYTES:
            msg = f"file is larger than {CITY_TOML_MAX_BYTES // 1024} KB; expected a short profile"
            raise DataError([Problem(name, "-", "-", msg)])
        return tomllib.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise DataError([Problem(name, "-", "-", "file not found")]) from None
    except UnicodeDecodeError as exc:
        msg = f"not UTF-8 text ({exc}); save the file as UTF-8"
        raise DataError([Problem(name, "-", "-", msg)]) from None
    except OSError as exc:
        raise DataError([Problem(name, "-", "-", f"cannot read: {exc}")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError([Problem(name, "-", "-", f"not valid TOML: {exc}")]) from None


def _got(value: object) -> str:
    return f"got {value!r}"


def _number(value: object, expected: str) -> float:
    # TOML booleans are Python ints; a bool is never a number here.
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        msg = f"expected {expected}, {_got(value)}"
        raise ValueError(msg)
    return float(value)


def _numbers(value: object, count: int, expected: str) -> list[float]:
    if not isinstance(value, list) or len(value) != count:
        msg = f"expected {expected}, {_got(value)}"
        raise ValueError(msg)
    return [_number(v, expected) for v in value]


def text(value: object) -> str:
    """A non-empty string (kept as written)."""
    if not isinstance(value, str) or not value.strip():
        msg = f"expected a non-empty string, {_got(value)}"
        raise ValueError(msg)
    return value


def path(value: object) -> str:
    """A file path (stripped); ``""`` keeps the default."""
    if not isinstance(value, str):
        msg = f'expected a file path in quotes (or "" for the default), {_got(value)}'
        raise ValueError(msg)
    return value.strip()


def database(value: object) -> str:
    """A SQLite file path, or a ``postgresql://`` URL that holds no password (``city.toml``
    is reviewed and shared: libpq reads the password from ``PGPASSFILE``/``PGPASSWORD``)."""
    text = path(value)
    if text.startswith(("postgresql://", "postgres://")):
        parts = urlsplit(text)
        if parts.password is not None or "password=" in parts.query:
            msg = (
                "a password does not belong in city.toml: remove it from the URL and put "
                "it in the PostgreSQL password file (PGPASSFILE, ~/.pgpass) or PGPASSWORD"
            )
            raise ValueError(msg)
    return text


def country(value: object) -> str:
    """A two-letter ISO 3166 code, upper-cased; ``""`` for none."""
    if not isinstance(value, str) or not (value == "" or (len(value) == 2 and value.isalpha())):
        msg = f'expected a two-letter ISO 3166 country code such as "ME", or "", {_got(value)}'
        raise ValueError(msg)
    return value.upper()


def languages(value: object) -> tuple[str, ...]:
    """A non-empty list of distinct language codes."""
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(v, str) and v.strip() for v in value)
    ):
        msg = f'expected a non-empty list of language codes such as ["me", "en"], {_got(value)}'
        raise ValueError(msg)
    if len(set(value)) != len(value):
        msg = f"expected each language once, {_got(value)}"
        raise ValueError(msg)
    return tuple(str(v) for v in value)


def timezone(value: object) -> str:
    """An IANA time zone name that :class:`zoneinfo.ZoneInfo` knows."""
    given = text(value)
    try:
        ZoneInfo(given)
    except (ZoneInfoNotFoundError, ValueError):
        msg = f'expected an IANA time zone such as "Europe/Podgorica", {_got(value)}'
        raise ValueError(msg) from None
    return given


def metric_crs(value: object) -> str:
    """A projected CRS whose axes are in metres (distances are measured in it)."""
    import pyproj  # heavy: only when a profile is actually read

    given = text(value)
    expected = f'expected a projected CRS in metres such as "EPSG:32634", {_got(value)}'
    try:
        crs = pyproj.CRS.from_user_input(given)
    except pyproj.exceptions.CRSError:
        raise ValueError(expected) from None
    if not crs.is_projected or any(a.unit_name != "metre" for a in crs.axis_info):
        raise ValueError(expected)
    return given


def bbox(value: object) -> tuple[float, float, float, float]:
    """``[west, south, east, north]`` in degrees, west < east and south < north."""
    expected = "four numbers [west, south, east, north] in degrees"
    west, south, east, north = _numbers(value, 4, expected)
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        msg = f"expected {expected} with west < east and south < north, {_got(value)}"
        raise ValueError(msg)
    return west, south, east, north


def lat_lon(value: object) -> tuple[float, float]:
    """``[latitude, longitude]`` in degrees (latitude first, as Leaflet takes it)."""
    expected = "two numbers [latitude, longitude] in degrees"
    lat, lon = _numbers(value, 2, expected)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        msg = f"expected {expected} (latitude first), {_got(value)}"
        raise ValueError(msg)
    return lat, lon


def months(value: object) -> tuple[int, ...]:
    """A list of month numbers 1-12."""
    if not isinstance(value, list) or not all(
        isinstance(m, int) and not isinstance(m, bool) and 1 <= m <= 12 for m in value
    ):
        msg = f"expected a list of month numbers 1-12, {_got(value)}"
        raise ValueError(msg)
    return tuple(int(m) for m in value)


def positive(value: object) -> float:
    """A number greater than zero."""
    number = _number(value, "a number greater than zero")
    if number <= 0:
        msg = f"expected a number greater than zero, {_got(value)}"
        raise ValueError(msg)
    return number


def at_least_one(value: object) -> float:
    """A number of at least 1 (a factor that can only lengthen)."""
    number = _number(value, "a number of at least 1")
    if number < 1:
        msg = f"expected a number of at least 1, {_got(value)}"
        raise ValueError(msg)
    return number


def walking_model(value: object) -> str:
    """The name of a walk model in :data:`mapping.distance.WALK_MODELS`."""
    if not isinstance(value, str) or value not in WALK_MODELS:
        names = ", ".join(f'"{name}"' for name in WALK_MODELS)
        msg = f"expected one of {names}, {_got(value)}"
        raise ValueError(msg)
    return value


def zoom(value: object) -> int:
    """A whole-number zoom level 0-22."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 22:
        msg = f"expected a whole-number zoom level 0-22, {_got(value)}"
        raise ValueError(msg)
    return value


_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def tile_url(value: object) -> str:
    """An ``https`` tile template (``http`` only for this machine) with ``{z}``/``{x}``/``{y}``.

    Every visitor's browser fetches from this host, so it must not be a plain-text
    connection to another machine nor anything that could leave the JSON/HTML it sits in.
    """
    given = text(value).strip()
    expected = (
        "expected a tile URL template with {z}, {x} and {y} on https:// (http:// "
        "only for localhost or 127.0.0.1), like "
        f'"https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png", {_got(value)}'
    )
    # {s}, {z}, {x}, {y}, {r} are Leaflet's placeholders: replaced before the URL check.
    sample = given
    for placeholder in ("{s}", "{z}", "{x}", "{y}", "{r}"):
        sample = sample.replace(placeholder, "0")
    if (
        not all(part in given for part in ("{z}", "{x}", "{y}"))
        or not is_web_url(sample)
        or "{" in sample
        or "}" in sample
    ):
        raise ValueError(expected)
    parts = urlsplit(sample)
    if parts.scheme.lower() != "https" and (parts.hostname or "") not in _LOCAL_HOSTS:
        raise ValueError(expected)
    return given


def attribution(value: object) -> str:
    """Attribution text with ``<a href="https://…">`` links and nothing else."""
    given = text(value)
    _, dropped = link_only_html(given)
    if dropped:
        msg = (
            'expected text and <a href="https://…">…</a> links only (Leaflet shows it '
            f"as HTML), found {'; '.join(dict.fromkeys(dropped))} in {given!r}"
        )
        raise ValueError(msg)
    return given


def _whole(value: object, low: int, expected: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        msg = f"expected {expected}, {_got(value)}"
        raise ValueError(msg)
    return value


def count(value: object) -> int:
    """A whole number of at least 1."""
    return _whole(value, 1, "a whole number of at least 1")


def flag(value: object) -> bool:
    """A TOML boolean (``true``/``false``); a number or the text "true" is refused."""
    if not isinstance(value, bool):
        msg = f"expected true or false, {_got(value)}"
        raise ValueError(msg)
    return value


def fallback(value: object) -> dict[str, tuple[str, ...]]:
    """Per language code, a list of language codes: ``{de = ["en", "me"]}``."""
    if not isinstance(value, dict) or not all(
        isinstance(v, list) and all(isinstance(c, str) and c.strip() for c in v)
        for v in value.values()
    ):
        msg = (
            f'expected a table of language lists such as fallback.de = ["en", "me"], {_got(value)}'
        )
        raise ValueError(msg)
    return {str(k): tuple(str(c) for c in v) for k, v in value.items()}


def check_languages(name: str, values: dict[str, Any], folder: Path) -> list[Problem]:
    """Rules between settings: the default language is a town language with a catalogue
    (built in, or the town's own in ``folder``)."""
    languages = values.get("languages")
    if languages is None:
        return []
    have = {*i18n.available_languages(built_in_only=True), *i18n.town_languages(folder)}
    problems = [
        Problem(
            name,
            "city",
            "languages",
            f"no catalogue for {lang!r}: expected folder {i18n.LOCALES_DIR / lang} or "
            f"{folder / i18n.TOWN_LOCALES / lang} (data/README.md)",
        )
        for lang in languages
        if lang not in have
    ]
    # The town's own catalogues: checked whole, then usable by i18n.t (see its docstring).
    problems += [
        Problem(text.split(":")[0], "-", "-", text.split(": ", 1)[1])
        for text in i18n.register_town_locales(folder, languages)
    ]
    problems += [
        Problem(
            name, "languages", "fallback", f"{code!r} is not one of languages {list(languages)}"
        )
        for lang, order in values.get("language_fallback", {}).items()
        for code in (lang, *order)
        if code not in languages
    ]
    default = values.get("default_language")
    if default is not None and default not in languages:
        problems.append(
            Problem(
                name,
                "city",
                "default_language",
                f"must be one of languages {list(languages)}, got {default!r}",
            )
        )
    return problems


def check_view(name: str, values: dict[str, Any]) -> list[Problem]:
    """The initial map centre lies inside the study area."""
    bbox, center = values.get("bbox"), values.get("map_center")
    if bbox is None or center is None:
        return []
    lat, lon = center
    if inside_bbox(lon, lat, bbox):
        return []
    return [
        Problem(
            name,
            "map",
            "center",
            f"[{lat}, {lon}] (latitude, longitude) is outside the study area "
            f"bbox {list(bbox)}; expected a point inside it",
        )
    ]
