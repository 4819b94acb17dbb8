"""The town profile (``city.toml``), declared as data, and where the data folder is.

Nothing about Kotor lives in code: another town runs its own instance by pointing
``CREATIVE_MAP_DATA`` (or the CLI's folder argument) at its own data folder.

Every key ``city.toml`` may hold is one ``Setting`` in
:data:`mapping.setting_table.SETTINGS`: its section, name, default (or ``REQUIRED``),
help text and the parser that checks its type (:mod:`mapping.setting_parsers`).
:func:`load_city` is driven by that tuple, ``data/README.md`` documents it (its
settings table is ``settings_table``), and ``tests/test_docs.py`` keeps the two equal.
Adding a setting means adding a record there and a field to
:class:`CityProfile` (an optional one takes its default with
``_declared(section, name)``: a default is never written twice, and
``tests/test_settings.py`` checks it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mapping import setting_parsers as parsers
from mapping.errors import DataError, Problem
from mapping.i18n import TownLanguages
from mapping.setting_table import SETTINGS

REPO_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DATA_ENV_VAR = "CREATIVE_MAP_DATA"


def data_dir(folder: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: ``folder`` if given, else ``$CREATIVE_MAP_DATA``, else repo ``data/``."""
    if folder is not None:
        return Path(folder)
    return Path(os.environ.get(DATA_ENV_VAR) or REPO_DATA_DIR)


def declared_default(section: str, name: str) -> Any:
    """The default :data:`SETTINGS` declares for ``[section] name`` (``KeyError`` for a
    required or unknown key): the one place each default is written."""
    for setting in SETTINGS:
        if (setting.section, setting.name) == (section, name) and not setting.required:
            return setting.default
    msg = f"no optional setting [{section}] {name} in SETTINGS"
    raise KeyError(msg)


def _declared(section: str, name: str) -> Any:
    """A :class:`CityProfile` field default taken from :data:`SETTINGS` when a profile is
    built, so a profile made in code (tests) has the defaults ``city.toml`` gets."""
    return field(default_factory=lambda: declared_default(section, name))


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
    # Optional settings: their defaults are written once, in SETTINGS (see _declared).
    exact_within_m: float = _declared("precision", "exact_within_m")
    approximate_within_m: float = _declared("precision", "approximate_within_m")
    name_max_chars: int = _declared("limits", "name_max_chars")
    description_max_chars: int = _declared("limits", "description_max_chars")
    title_max_chars: int = _declared("limits", "title_max_chars")
    max_venues: int = _declared("limits", "max_venues")
    max_file_mb: int = _declared("limits", "max_file_mb")
    members_database: str = _declared("members", "database")
    max_pending_per_client_per_hour: int = _declared("members", "max_pending_per_client_per_hour")
    unusual_per_hour: int = _declared("members", "unusual_per_hour")
    max_pending_per_venue_per_hour: int = _declared("members", "max_pending_per_venue_per_hour")
    link_days: int = _declared("members", "link_days")
    walking_model: str = _declared("walking", "model")  # a key of mapping.distance.WALK_MODELS
    count_outside_municipality: bool = _declared("planning", "count_outside_municipality")
    console_session_minutes: int = _declared("console", "session_minutes")
    language_fallback: dict[str, tuple[str, ...]] = field(  # a dict: kept out of the hash
        default_factory=lambda: declared_default("languages", "fallback"), hash=False
    )

    def __post_init__(self) -> None:
        """``languages`` carries the default and the text fallback (the order
        :func:`mapping.i18n.localized` follows for every caller passing them)."""
        codes = TownLanguages(self.languages, self.default_language, self.language_fallback)
        object.__setattr__(self, "languages", codes)

    @property
    def max_file_bytes(self) -> int:
        """:attr:`max_file_mb` in bytes: the largest data file the loader reads."""
        return self.max_file_mb * 1024 * 1024


# --------------------------------------------------------------------------- loading


def load_city(path: Path) -> CityProfile:
    """Read ``city.toml``; every problem (missing, unknown, wrong type) is reported at once."""
    name = path.name
    raw = parsers.read_toml(path)
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
    problems += parsers.check_languages(name, values, path.parent)
    problems += parsers.check_view(name, values)
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
