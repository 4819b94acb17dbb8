"""The town profile (``city.toml``) and where the data folder is.

Nothing about Kotor lives in code: another town runs its own instance by pointing
``CREATIVE_MAP_DATA`` (or the CLI's folder argument) at its own data folder.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from mapping._errors import DataError, Problem

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


_REQUIRED = {
    "city": ["name", "languages", "default_language", "timezone", "metric_crs", "bbox",
             "default_start", "off_season_months", "peak_months"],
    "walking": ["speed_kmh", "detour_factor"],
    "tiles": ["url", "attribution"],
    "map": ["center", "zoom"],
}


def load_city(path: Path) -> CityProfile:
    """Read ``city.toml``; every missing key is reported at once."""
    name = path.name
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except FileNotFoundError:
        raise DataError([Problem(name, "-", "-", "file not found")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError([Problem(name, "-", "-", f"not valid TOML: {exc}")]) from None
    problems = [
        Problem(name, section, key, "required setting is missing")
        for section, keys in _REQUIRED.items()
        for key in keys
        if key not in raw.get(section, {})
    ]
    if problems:
        raise DataError(problems)
    city, walking, tiles, view = raw["city"], raw["walking"], raw["tiles"], raw["map"]
    profile = CityProfile(
        name=str(city["name"]),
        languages=tuple(city["languages"]),
        default_language=str(city["default_language"]),
        timezone=str(city["timezone"]),
        country=str(city.get("country", "")),
        metric_crs=str(city["metric_crs"]),
        bbox=tuple(float(v) for v in city["bbox"]),  # type: ignore[arg-type]
        default_start=str(city["default_start"]),
        off_season_months=tuple(int(m) for m in city["off_season_months"]),
        peak_months=tuple(int(m) for m in city["peak_months"]),
        walking_speed_kmh=float(walking["speed_kmh"]),
        detour_factor=float(walking["detour_factor"]),
        tile_url=str(tiles["url"]),
        tile_attribution=str(tiles["attribution"]),
        map_center=(float(view["center"][0]), float(view["center"][1])),
        map_zoom=int(view["zoom"]),
    )
    _check_profile(name, profile)
    return profile


def _check_profile(name: str, p: CityProfile) -> None:
    problems: list[Problem] = []
    west, south, east, north = p.bbox
    if not (west < east and south < north):
        problems.append(Problem(name, "city", "bbox", "expected [west, south, east, north]"))
    if p.default_language not in p.languages:
        problems.append(Problem(name, "city", "default_language", "must be one of languages"))
    if p.walking_speed_kmh <= 0:
        problems.append(Problem(name, "walking", "speed_kmh", "must be greater than zero"))
    if p.detour_factor < 1:
        problems.append(Problem(name, "walking", "detour_factor", "must be at least 1"))
    if problems:
        raise DataError(problems)
