"""The town profile (``city.toml``), declared as data, and where the data folder is.

Nothing about Kotor lives in code: another town runs its own instance by pointing
``CREATIVE_MAP_DATA`` (or the CLI's folder argument) at its own data folder.

Every key ``city.toml`` may hold is one :class:`Setting` in :data:`SETTINGS`: its
section, name, default (or :data:`REQUIRED`), help text and the parser that checks its
type. :func:`load_city` is driven by that tuple, ``data/README.md`` documents it (its
settings table is :func:`settings_table`), and ``tests/test_docs.py`` keeps the two
equal. Adding a setting means adding a record here and a field to :class:`CityProfile`.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mapping import i18n
from mapping.errors import DataError, Problem
from mapping.schema import is_web_url
from mapping.text import link_only_html

CITY_TOML_MAX_BYTES: Final = 1024 * 1024
"""``city.toml`` is a short profile: anything larger is refused unread."""

REPO_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DATA_ENV_VAR = "CREATIVE_MAP_DATA"


def data_dir(folder: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: ``folder`` if given, else ``$CREATIVE_MAP_DATA``, else repo ``data/``."""
    if folder is not None:
        return Path(folder)
    return Path(os.environ.get(DATA_ENV_VAR) or REPO_DATA_DIR)


@dataclass(frozen=True)
class CityProfile:
    """Everything town-specific that code needs; read from ``city.toml``."""

    name: str
    languages: tuple[str, ...]
    default_language: str
    timezone: str
    country: str
    metric_crs: str
    bbox: tuple[float, float, float, float]  # west, south, east, north (EPSG:4326)
    default_start: str  # id of a landmark in places.geojson
    off_season_months: tuple[int, ...]
    peak_months: tuple[int, ...]
    walking_speed_kmh: float
    detour_factor: float
    tile_url: str
    tile_attribution: str
    map_center: tuple[float, float]  # lat, lon
    map_zoom: int
    exact_within_m: float = 10.0
    approximate_within_m: float = 100.0
    name_max_chars: int = 200
    description_max_chars: int = 5000
    max_venues: int = 50_000
    max_file_mb: int = 100
    members_database: str = ""
    max_pending_per_hour: int = 100
    max_pending_per_venue_per_hour: int = 10

    @property
    def max_file_bytes(self) -> int:
        """:attr:`max_file_mb` in bytes: the largest data file the loader reads."""
        return self.max_file_mb * 1024 * 1024


# --------------------------------------------------------------------------- value parsers
# Each takes the raw TOML value and returns the typed value, or raises ValueError with
# the message a person reads ("expected …, got …").


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


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        msg = f"expected a non-empty string, {_got(value)}"
        raise ValueError(msg)
    return value


def _path(value: object) -> str:
    if not isinstance(value, str):
        msg = f'expected a file path in quotes (or "" for the default), {_got(value)}'
        raise ValueError(msg)
    return value.strip()


def _country(value: object) -> str:
    if not isinstance(value, str) or not (value == "" or (len(value) == 2 and value.isalpha())):
        msg = f'expected a two-letter ISO 3166 country code such as "ME", or "", {_got(value)}'
        raise ValueError(msg)
    return value.upper()


def _languages(value: object) -> tuple[str, ...]:
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


def _timezone(value: object) -> str:
    text = _text(value)
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        msg = f'expected an IANA time zone such as "Europe/Podgorica", {_got(value)}'
        raise ValueError(msg) from None
    return text


def _metric_crs(value: object) -> str:
    import pyproj  # heavy: only when a profile is actually read

    text = _text(value)
    expected = f'expected a projected CRS in metres such as "EPSG:32634", {_got(value)}'
    try:
        crs = pyproj.CRS.from_user_input(text)
    except pyproj.exceptions.CRSError:
        raise ValueError(expected) from None
    if not crs.is_projected or any(a.unit_name != "metre" for a in crs.axis_info):
        raise ValueError(expected)
    return text


def _bbox(value: object) -> tuple[float, float, float, float]:
    expected = "four numbers [west, south, east, north] in degrees"
    west, south, east, north = _numbers(value, 4, expected)
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        msg = f"expected {expected} with west < east and south < north, {_got(value)}"
        raise ValueError(msg)
    return west, south, east, north


def _lat_lon(value: object) -> tuple[float, float]:
    expected = "two numbers [latitude, longitude] in degrees"
    lat, lon = _numbers(value, 2, expected)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        msg = f"expected {expected} (latitude first), {_got(value)}"
        raise ValueError(msg)
    return lat, lon


def _months(value: object) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(
        isinstance(m, int) and not isinstance(m, bool) and 1 <= m <= 12 for m in value
    ):
        msg = f"expected a list of month numbers 1-12, {_got(value)}"
        raise ValueError(msg)
    return tuple(int(m) for m in value)


def _positive(value: object) -> float:
    number = _number(value, "a number greater than zero")
    if number <= 0:
        msg = f"expected a number greater than zero, {_got(value)}"
        raise ValueError(msg)
    return number


def _at_least_one(value: object) -> float:
    number = _number(value, "a number of at least 1")
    if number < 1:
        msg = f"expected a number of at least 1, {_got(value)}"
        raise ValueError(msg)
    return number


def _zoom(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 22:
        msg = f"expected a whole-number zoom level 0-22, {_got(value)}"
        raise ValueError(msg)
    return value


_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def _tile_url(value: object) -> str:
    """An ``https`` tile template (``http`` only for this machine) with ``{z}``/``{x}``/``{y}``.

    Every visitor's browser fetches from this host, so it must not be a plain-text
    connection to another machine nor anything that could leave the JSON/HTML it sits in.
    """
    text = _text(value).strip()
    expected = (
        "expected a tile URL template with {z}, {x} and {y} on https:// (http:// "
        "only for localhost or 127.0.0.1), like "
        f'"https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png", {_got(value)}'
    )
    # {s}, {z}, {x}, {y}, {r} are Leaflet's placeholders: replaced before the URL check.
    sample = text
    for placeholder in ("{s}", "{z}", "{x}", "{y}", "{r}"):
        sample = sample.replace(placeholder, "0")
    if (
        not all(part in text for part in ("{z}", "{x}", "{y}"))
        or not is_web_url(sample)
        or "{" in sample
        or "}" in sample
    ):
        raise ValueError(expected)
    parts = urlsplit(sample)
    if parts.scheme.lower() != "https" and (parts.hostname or "") not in _LOCAL_HOSTS:
        raise ValueError(expected)
    return text


def _attribution(value: object) -> str:
    """Attribution text with ``<a href="https://…">`` links and nothing else."""
    text = _text(value)
    _, dropped = link_only_html(text)
    if dropped:
        msg = (
            'expected text and <a href="https://…">…</a> links only (Leaflet shows it '
            f"as HTML), found {'; '.join(dict.fromkeys(dropped))} in {text!r}"
        )
        raise ValueError(msg)
    return text


def _whole(value: object, low: int, expected: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        msg = f"expected {expected}, {_got(value)}"
        raise ValueError(msg)
    return value


def _count(value: object) -> int:
    return _whole(value, 1, "a whole number of at least 1")


# --------------------------------------------------------------------------- declarations


class _Required:
    """The marker default of a setting ``city.toml`` must give."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Final = _Required()


@dataclass(frozen=True)
class Setting:
    """One ``city.toml`` key: ``[section] name``, its default (or ``REQUIRED``), help.

    ``parse`` checks and converts the raw TOML value (raising ``ValueError`` with the
    expected form); ``attribute`` is the :class:`CityProfile` field, ``name`` if empty.
    """

    section: str
    name: str
    default: object
    help: str
    parse: Callable[[object], object] = _text
    attribute: str = ""

    @property
    def key(self) -> str:
        """``section.name``, as the README's table and error messages write it."""
        return f"{self.section}.{self.name}"

    @property
    def field(self) -> str:
        """The :class:`CityProfile` field that holds this setting's value."""
        return self.attribute or self.name

    @property
    def required(self) -> bool:
        """Whether ``city.toml`` must give this key."""
        return self.default is REQUIRED


SETTINGS: tuple[Setting, ...] = (
    Setting("city", "name", REQUIRED, "The town's name, as the app shows it."),
    Setting(
        "city",
        "languages",
        REQUIRED,
        'UI and data languages, e.g. `["me", "en"]`; each needs a catalogue folder '
        "`mapping/locales/<lang>/` and `label_<lang>` columns in `categories.csv` and "
        "`event_categories.csv`.",
        _languages,
    ),
    Setting(
        "city",
        "default_language",
        REQUIRED,
        "The language a visitor sees first; one of `languages`.",
    ),
    Setting(
        "city",
        "timezone",
        REQUIRED,
        'IANA time zone of the town (`Europe/Podgorica`): opening hours, "now" and '
        "event times are local to it.",
        _timezone,
    ),
    Setting(
        "city",
        "country",
        "",
        "Two-letter ISO 3166 country code, for public holidays in opening hours "
        "(`PH`); empty: no holidays.",
        _country,
    ),
    Setting(
        "city",
        "metric_crs",
        REQUIRED,
        "A projected CRS in metres for distances (`EPSG:32634`, UTM zone 34N).",
        _metric_crs,
    ),
    Setting(
        "city",
        "bbox",
        REQUIRED,
        "Study area `[west, south, east, north]` in degrees (EPSG:4326); points "
        "outside it are reported.",
        _bbox,
    ),
    Setting(
        "city",
        "default_start",
        REQUIRED,
        "Id of the landmark in `places.geojson` that Explore starts from.",
    ),
    Setting(
        "city",
        "off_season_months",
        REQUIRED,
        "Months (1-12) of the quiet season, for planners.",
        _months,
    ),
    Setting("city", "peak_months", REQUIRED, "Months (1-12) of the peak season.", _months),
    Setting(
        "walking",
        "speed_kmh",
        REQUIRED,
        "Walking speed in km/h (greater than zero).",
        _positive,
        "walking_speed_kmh",
    ),
    Setting(
        "walking",
        "detour_factor",
        REQUIRED,
        "Straight-line distance × this factor approximates the walk (at least 1).",
        _at_least_one,
    ),
    Setting(
        "tiles",
        "url",
        REQUIRED,
        "Map tile URL template with `{z}`, `{x}`, `{y}` (and optionally `{s}`, `{r}`); "
        "`https://`, or `http://` for `localhost`/`127.0.0.1` only.",
        _tile_url,
        "tile_url",
    ),
    Setting(
        "tiles",
        "attribution",
        REQUIRED,
        'Attribution the tile server requires: text and `<a href="https://…">` links '
        "only (any other tag or attribute is refused; the map shows links and text "
        "only).",
        _attribution,
        "tile_attribution",
    ),
    Setting("map", "center", REQUIRED, "Initial map centre `[lat, lon]`.", _lat_lon, "map_center"),
    Setting(
        "map", "zoom", REQUIRED, "Initial map zoom level (whole number 0-22).", _zoom, "map_zoom"
    ),
    Setting(
        "precision",
        "exact_within_m",
        10.0,
        "Metres an `exact` venue point may lie from its `cited_coordinates` before "
        "`validate` reports it.",
        _positive,
    ),
    Setting(
        "precision",
        "approximate_within_m",
        100.0,
        "Metres an `approximate` venue point may lie from its `cited_coordinates` "
        'before `validate` reports it ("approximate" promises about 100 m).',
        _positive,
    ),
    Setting(
        "limits",
        "name_max_chars",
        200,
        "Longest venue or place name (any language), in characters; `validate` "
        "refuses longer ones.",
        _count,
    ),
    Setting(
        "limits",
        "description_max_chars",
        5000,
        "Longest venue description (any language), in characters; `validate` refuses longer ones.",
        _count,
    ),
    Setting(
        "limits",
        "max_venues",
        50_000,
        "Most venues the app will serve; a folder with more is refused by `validate` "
        "and by the loader.",
        _count,
    ),
    Setting(
        "limits",
        "max_file_mb",
        100,
        "Largest data file in MB (`city.toml` itself: 1 MB); a larger file is refused "
        "before it is read.",
        _count,
    ),
    Setting(
        "members",
        "database",
        "",
        "SQLite file for usage counts and suggested updates (created on first use); "
        "a relative path is relative to the data folder. Empty: "
        "`var/<town>.sqlite` beside the repository's `data/`. The environment "
        "variable `CREATIVE_MAP_DB` overrides it.",
        _path,
        "members_database",
    ),
    Setting(
        "members",
        "max_pending_per_hour",
        100,
        "Most suggestions (updates, events, new venues) stored per hour in total; "
        "past it the form says so and stores nothing.",
        _count,
    ),
    Setting(
        "members",
        "max_pending_per_venue_per_hour",
        10,
        "Most suggestions stored per hour for one venue.",
        _count,
    ),
)


def settings_table() -> str:
    """The Markdown table of :data:`SETTINGS` that ``data/README.md`` carries."""
    rows = ["| section | key | default | meaning |", "| --- | --- | --- | --- |"]
    for s in SETTINGS:
        default = "required" if s.required else f"`{s.default!r}`".replace("'", '"')
        rows.append(f"| `[{s.section}]` | `{s.name}` | {default} | {s.help} |")
    return "\n".join(rows)


# --------------------------------------------------------------------------- loading


def load_city(path: Path) -> CityProfile:
    """Read ``city.toml``; every problem (missing, unknown, wrong type) is reported at once."""
    name = path.name
    try:
        if path.is_dir():
            raise DataError([Problem(name, "-", "-", "is a folder; expected a TOML file")])
        if path.stat().st_size > CITY_TOML_MAX_BYTES:
            msg = f"file is larger than {CITY_TOML_MAX_BYTES // 1024} KB; expected a short profile"
            raise DataError([Problem(name, "-", "-", msg)])
        raw = tomllib.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise DataError([Problem(name, "-", "-", "file not found")]) from None
    except UnicodeDecodeError as exc:
        msg = f"not UTF-8 text ({exc}); save the file as UTF-8"
        raise DataError([Problem(name, "-", "-", msg)]) from None
    except OSError as exc:
        raise DataError([Problem(name, "-", "-", f"cannot read: {exc}")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError([Problem(name, "-", "-", f"not valid TOML: {exc}")]) from None

    problems = _unknown_keys(name, raw)
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        section = raw.get(setting.section, {})
        if not isinstance(section, dict):
            continue  # reported by _unknown_keys
        if setting.name not in section:
            if setting.required:
                problems.append(
                    Problem(name, setting.section, setting.name, "required setting is missing")
                )
            else:
                values[setting.field] = setting.default
            continue
        try:
            values[setting.field] = setting.parse(section[setting.name])
        except ValueError as exc:
            problems.append(Problem(name, setting.section, setting.name, str(exc)))
    problems += _check_languages(name, values)
    problems += _check_view(name, values)
    if problems:
        raise DataError(problems)
    return CityProfile(**values)


def _unknown_keys(name: str, raw: dict[str, Any]) -> list[Problem]:
    """Sections that are not tables, and keys no :class:`Setting` declares (typos)."""
    declared = {(s.section, s.name) for s in SETTINGS}
    sections = {s.section for s in SETTINGS}
    problems: list[Problem] = []
    for section, table in raw.items():
        if section not in sections:
            problems.append(Problem(name, section, "-", "unknown section (see data/README.md)"))
        elif not isinstance(table, dict):
            problems.append(Problem(name, section, "-", f"expected a table [{section}]"))
        else:
            problems += [
                Problem(name, section, key, "unknown setting (see data/README.md)")
                for key in table
                if (section, key) not in declared
            ]
    return problems


def _check_view(name: str, values: dict[str, Any]) -> list[Problem]:
    """The initial map centre lies inside the study area."""
    bbox, center = values.get("bbox"), values.get("map_center")
    if bbox is None or center is None:
        return []
    west, south, east, north = bbox
    lat, lon = center
    if west <= lon <= east and south <= lat <= north:
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


def _check_languages(name: str, values: dict[str, Any]) -> list[Problem]:
    """Rules between settings: the default language is a town language with a catalogue."""
    languages = values.get("languages")
    if languages is None:
        return []
    problems: list[Problem] = []
    have = set(i18n.available_languages())
    problems += [
        Problem(
            name,
            "city",
            "languages",
            f"no catalogue for {lang!r}: expected folder {i18n.LOCALES_DIR / lang}",
        )
        for lang in languages
        if lang not in have
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
