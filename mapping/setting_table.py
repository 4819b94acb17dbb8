"""Every key ``city.toml`` may hold, declared as data: one :class:`Setting` per key in
:data:`SETTINGS` (section, name, default or :data:`REQUIRED`, help text, parser).

:func:`mapping.settings.load_city` is driven by this tuple, ``data/README.md``
documents it (:func:`settings_table`), and ``tests/test_docs.py`` keeps the two equal.
Kept apart from the loader so the list of keys can grow on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from mapping import setting_parsers as parsers
from mapping.distance import DEFAULT_WALK_MODEL


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
    parse: Callable[[object], object] = parsers.text
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
        "`mapping/locales/<lang>/` (or the town's own `locales/<lang>/`) and "
        "`label_<lang>` columns in `categories.csv` and `event_categories.csv`.",
        parsers.languages,
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
        parsers.timezone,
    ),
    Setting(
        "city",
        "country",
        "",
        "Two-letter ISO 3166 country code, for public holidays in opening hours "
        "(`PH`); empty: no holidays.",
        parsers.country,
    ),
    Setting(
        "city",
        "metric_crs",
        REQUIRED,
        "A projected CRS in metres for distances (`EPSG:32634`, UTM zone 34N).",
        parsers.metric_crs,
    ),
    Setting(
        "city",
        "bbox",
        REQUIRED,
        "Study area `[west, south, east, north]` in degrees (EPSG:4326); points "
        "outside it are reported.",
        parsers.bbox,
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
        parsers.months,
    ),
    Setting("city", "peak_months", REQUIRED, "Months (1-12) of the peak season.", parsers.months),
    Setting(
        "walking",
        "speed_kmh",
        REQUIRED,
        "Walking speed in km/h (greater than zero).",
        parsers.positive,
        "walking_speed_kmh",
    ),
    Setting(
        "walking",
        "detour_factor",
        REQUIRED,
        "Straight-line distance × this factor approximates the walk (at least 1).",
        parsers.at_least_one,
    ),
    Setting(
        "walking",
        "model",
        DEFAULT_WALK_MODEL,
        'How minutes are estimated (`mapping/distance.py`): `"straight_line"` (straight '
        'line × `detour_factor`) or `"street_grid"` (east–west plus north–south distance '
        "× `detour_factor`, for streets on a grid; set the factor near 1). Every page, "
        "`gaps` and `report` use it.",
        parsers.walking_model,
        "walking_model",
    ),
    Setting(
        "tiles",
        "url",
        REQUIRED,
        "Map tile URL template with `{z}`, `{x}`, `{y}` (and optionally `{s}`, `{r}`); "
        "`https://`, or `http://` for `localhost`/`127.0.0.1` only.",
        parsers.tile_url,
        "tile_url",
    ),
    Setting(
        "tiles",
        "attribution",
        REQUIRED,
        'Attribution the tile server requires: text and `<a href="https://…">` links '
        "only (any other tag or attribute is refused; the map shows links and text "
        "only).",
        parsers.attribution,
        "tile_attribution",
    ),
    Setting(
        "map", "center", REQUIRED, "Initial map centre `[lat, lon]`.", parsers.lat_lon, "map_center"
    ),
    Setting(
        "map",
        "zoom",
        REQUIRED,
        "Initial map zoom level (whole number 0-22).",
        parsers.zoom,
        "map_zoom",
    ),
    Setting(
        "precision",
        "exact_within_m",
        10.0,
        "Metres an `exact` venue point may lie from its cited point (`cited_lat`, "
        "`cited_lon`) before `validate` reports it.",
        parsers.positive,
    ),
    Setting(
        "precision",
        "approximate_within_m",
        100.0,
        "Metres an `approximate` venue point may lie from its cited point (`cited_lat`, "
        '`cited_lon`) before `validate` reports it ("approximate" promises about 100 m).',
        parsers.positive,
    ),
    Setting(
        "limits",
        "name_max_chars",
        200,
        "Longest venue or place name (any language), in characters; `validate` "
        "refuses longer ones.",
        parsers.count,
    ),
    Setting(
        "limits",
        "description_max_chars",
        5000,
        "Longest venue description (any language), in characters; `validate` refuses longer ones.",
        parsers.count,
    ),
    Setting(
        "limits",
        "title_max_chars",
        300,
        "Longest event title (any language), in characters; `validate` refuses longer ones.",
        parsers.count,
    ),
    Setting(
        "limits",
        "max_venues",
        50_000,
        "Most venues the app will serve; a folder with more is refused by `validate` "
        "and by the loader.",
        parsers.count,
    ),
    Setting(
        "limits",
        "max_file_mb",
        100,
        "Largest data file in MB (`city.toml` itself: 1 MB); a larger file is refused "
        "before it is read.",
        parsers.count,
    ),
    Setting(
        "members",
        "database",
        "",
        "The members' database (usage counts and suggested updates): a SQLite file "
        "(created on first use; a relative path is relative to the data folder) or a "
        "PostgreSQL URL `postgresql://user@host:5432/dbname` without a password (libpq "
        "reads it from `PGPASSFILE`/`PGPASSWORD`). Empty: `var/<town>.sqlite` beside "
        "the repository's `data/`. The environment variable `CREATIVE_MAP_DB` overrides it.",
        parsers.database,
        "members_database",
    ),
    Setting(
        "members",
        "max_pending_per_client_per_hour",
        20,
        "Most suggestions (updates, events, new venues) stored per hour from one client "
        "(one address, an IPv6 /64; see `CREATIVE_MAP_TRUSTED_PROXY` in the README); past "
        "it the form says so and stores nothing.",
        parsers.count,
    ),
    Setting(
        "members",
        "unusual_per_hour",
        100,
        "Suggestions per hour from all clients together that the coordinator is warned "
        "about (server log, `submissions list`, the members' overview); never refuses.",
        parsers.count,
    ),
    Setting(
        "members",
        "max_pending_per_venue_per_hour",
        10,
        "Most suggestions stored per hour for one venue.",
        parsers.count,
    ),
    Setting(
        "members",
        "link_days",
        365,
        "Days a member's personal link stays valid after it is issued (`python -m mapping "
        "links issue`, `--days` overrides it); then the link is refused and a new one must be "
        "issued.",
        parsers.count,
    ),
    Setting(
        "planning",
        "count_outside_municipality",
        False,
        "Whether settlements marked `outside_municipality: true` in `places.geojson` (neighbours "
        "kept for walking context) count in Planning's shares of residents and settlements, its "
        "gap list and its report; `false`: they are left out and named as left out.",
        parsers.flag,
    ),
    Setting(
        "languages",
        "fallback",
        {},
        "Per language, the languages whose record text (names, descriptions, event titles) "
        'shows where its own is missing, best first, e.g. `fallback.de = ["en", "me"]`; '
        "after them come `default_language` and the other `languages`.",
        parsers.fallback,
        "language_fallback",
    ),
    Setting(
        "console",
        "session_minutes",
        60,
        "Minutes a coordinator stays signed in to the review console (`python -m mapping "
        "accounts add NAME` creates an account); then the login form asks again.",
        parsers.count,
        "console_session_minutes",
    ),
)


def settings_table() -> str:
    """The Markdown table of :data:`SETTINGS` that ``data/README.md`` carries."""
    rows = ["| section | key | default | meaning |", "| --- | --- | --- | --- |"]
    for s in SETTINGS:
        default = "required" if s.required else f"`{s.default!r}`".replace("'", '"')
        rows.append(f"| `[{s.section}]` | `{s.name}` | {default} | {s.help} |")
    return "\n".join(rows)
