"""The one map builder: every page's map (Explore, What's on, …) and the HTML export.

Why it is built this way:

- **No CDN.** :class:`VenueMap` replaces folium's default JavaScript/CSS (jQuery,
  Bootstrap, awesome-markers, all from CDNs) with our vendored Leaflet, markercluster
  and Font Awesome under ``asset_base`` (``static/vendor``, see ``static/VENDOR.md``).
  Tiles are the only network requests; markers are ``L.divIcon`` styled by our CSS, so
  the map still shows its venues without tiles.
- **One payload.** :class:`VenueLayers` embeds all venues as compact per-category
  column arrays in one ``orjson`` document; a small script (``templates/venue_map.js``)
  makes the markers, the layer control, the legend, and the card on click. Thousands of
  folium ``Marker`` objects would cost seconds and megabytes; this costs a few
  milliseconds and ~120 bytes per venue. Repeated strings (category labels, hours
  texts per distinct ``opening_hours`` value) go into lookup tables.
- **Escaping.** Every string from data passes through :func:`mapping.text.escape`
  (HTML *and* JS-template safe) before it reaches the payload, and the payload is
  embedded with ``<`` written as ``\\u003c`` so nothing in it can close the
  ``<script>``. The JS only concatenates these pre-escaped strings into HTML.
- **No Jinja re-parse.** branca's ``MacroElement.render`` wraps each rendered macro in
  ``Element(text)``, which compiles the *rendered text* as a Jinja template again: a
  venue named ``{{ 7*7 }}`` in a folium ``Popup`` shows "49" (server-side template
  injection). :class:`VenueLayers` adds its output verbatim instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import folium
import geopandas as gpd
import numpy as np
import orjson
import pandas as pd
from branca.element import CssLink, Element, Figure, JavascriptLink
from folium.elements import JSCSSMixin
from folium.template import Template

from mapping import clock, hours
from mapping.i18n import month_name, t, weekday_name
from mapping.settings import CityProfile
from mapping.text import escape

ASSET_BASE = "/app/static/vendor"  # where the Streamlit app serves vendored files
DIRECTIONS_URL = "https://www.openstreetmap.org/directions?engine=fossgis_osrm_foot&route="
SELECTED_MIN_ZOOM = 16  # zoom used when the map is centred on a selected venue
MAX_ZOOM = 19

_TEMPLATES = Path(__file__).with_name("templates")
_FALLBACK_COLOUR = "#777777"
_FALLBACK_ICON = "location-dot"
_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
_ICON_NAME = re.compile(r"^[a-z0-9-]+$")
_URL = r"^https?://[^\s<>\"'`\\]+$"
_EMAIL = r"^[^\s@<>\"'`\\:/]+@[^\s@<>\"'`\\:/]+\.[^\s@<>\"'`\\:/]+$"
_SOCIAL_SPLIT = r"[;,\s]+"
_WHEELCHAIR = ("yes", "limited", "no")  # codes 1, 2, 3; anything else 0 = unknown
_NOW_TOLERANCE = timedelta(minutes=15)
_SEP = "\x00"  # joins a column for one escape() call; never survives in the output
_TEXT_COLUMNS = ("id", "n", "d", "ad", "ph", "em", "w", "so")


# --------------------------------------------------------------------------- folium parts


class _Verbatim(Element):
    """Text added to the page as it is: never compiled as a Jinja template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs: object) -> str:
        return self._text


def _link_assets(figure: Figure, element: object) -> None:
    """Add an element's vendored scripts and stylesheets to the page header."""
    for name, url in getattr(element, "default_js", []):
        figure.header.add_child(JavascriptLink(url), name=name)
    for name, url in getattr(element, "default_css", []):
        figure.header.add_child(CssLink(url), name=name)


class VenueMap(folium.Map):
    """A folium ``Map`` that loads only our vendored Leaflet: no jQuery, Bootstrap or CDN."""

    def __init__(
        self, location: Sequence[float], zoom_start: int, *, asset_base: str = ASSET_BASE,
        title: str = "",
    ) -> None:
        super().__init__(location=location, zoom_start=zoom_start, tiles=None, control_scale=True)
        self.options["max_zoom"] = MAX_ZOOM  # markercluster needs a maximum zoom
        base = asset_base.rstrip("/")
        # Instance attributes: folium's render and streamlit-folium's link collection
        # both read ``default_js`` / ``default_css`` from the element.
        self.default_js = [("leaflet", f"{base}/leaflet/leaflet.js")]
        self.default_css = [("leaflet_css", f"{base}/leaflet/leaflet.css")]
        if title:
            self.get_root().title = escape(title)

    def render(self, **kwargs: object) -> None:
        """As folium's, but the rendered macros are added verbatim, not re-compiled."""
        figure = self.get_root()
        _link_assets(figure, self)
        macros = self._template.module
        for part, target in (("header", figure.header), ("html", figure.html),
                             ("script", figure.script)):
            target.add_child(_Verbatim(getattr(macros, part)(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class VenueLayers(JSCSSMixin):
    """All venues of one map as one embedded payload, drawn by ``templates/venue_map.js``."""

    # streamlit-folium reads the ``script`` macro directly (``_template.module.script``).
    _template = Template(
        "{% macro header(this, kwargs) %}{{ this.header_html() }}{% endmacro %}"
        "{% macro script(this, kwargs) %}{{ this.script_js() }}{% endmacro %}"
    )

    def __init__(
        self, payload: str, bounds: list[list[float | None]], asset_base: str = ASSET_BASE
    ) -> None:
        super().__init__()
        self._name = "VenueLayers"
        self._payload = payload
        self._bounds = bounds
        base = asset_base.rstrip("/")
        self.default_js = [
            ("markercluster", f"{base}/leaflet.markercluster/leaflet.markercluster.js"),
        ]
        self.default_css = [
            ("markercluster_css", f"{base}/leaflet.markercluster/MarkerCluster.css"),
            ("fontawesome_css", f"{base}/fontawesome-free/css/fontawesome.min.css"),
            ("fontawesome_solid_css", f"{base}/fontawesome-free/css/solid.min.css"),
        ]

    @property
    def payload(self) -> str:
        """The embedded JSON document (for tests and debugging)."""
        return self._payload

    def header_html(self) -> str:
        return f"<style>{_asset('venue_map.css')}</style>"

    def script_js(self) -> str:
        # The parent's name is read at render time: streamlit-folium renames the map.
        return f"{_asset('venue_map.js')}({self._parent.get_name()}, {self._payload});"

    def render(self, **kwargs: object) -> None:
        figure = self.get_root()
        _link_assets(figure, self)
        figure.header.add_child(_Verbatim(self.header_html()), name=self.get_name())
        figure.script.add_child(_Verbatim(self.script_js()), name=self.get_name())

    def _get_self_bounds(self) -> list[list[float | None]]:
        return self._bounds


@cache
def _asset(name: str) -> str:
    return (_TEMPLATES / name).read_text(encoding="utf-8").strip()


# --------------------------------------------------------------------------- public API


def build_map(
    venues: gpd.GeoDataFrame,
    categories: pd.DataFrame,
    city: CityProfile,
    lang: str,
    *,
    when: datetime,
    start: tuple[float, float, str] | None = None,
    selected: str | None = None,
    extra_lines: Mapping[str, Sequence[str]] | None = None,
    extra_title: str = "",
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    asset_base: str = ASSET_BASE,
) -> folium.Map:
    """The map of ``venues`` (already filtered) in ``lang``, with hours as of ``when``.

    ``start`` is ``(lat, lon, label)``; ``selected`` a venue id whose card opens on load
    (the map centres on it unless ``center`` is given); ``extra_lines[venue_id]`` are
    plain-text lines shown under ``extra_title`` in that venue's card.
    """
    frame, lat5, lon5 = _points(venues)
    category_code, cats = _categories(frame, categories, lang, city.languages)
    order = np.argsort(category_code, kind="stable")  # rows grouped by layer
    bounds_at = np.concatenate([[0], np.cumsum([cat["n"] for cat in cats])]).astype(int)
    lat5, lon5 = lat5[order], lon5[order]
    text = {key: _escaped(values, order) for key, values in _texts(frame, lang, city).items()}
    ids = text["id"] if text["id"] is not None else np.full(len(order), "", dtype=object)
    hours_code, hours_table = _hours(frame, city, lang, when)
    hours_code = hours_code[order]
    flags = _flags(frame)[order]

    layers = []
    for li in range(len(cats)):
        a, b = int(bounds_at[li]), int(bounds_at[li + 1])
        lat_part, lon_part = lat5[a:b], lon5[a:b]
        la0, lo0 = int(lat_part.min()), int(lon_part.min())
        layer: dict[str, object] = {
            "c": li, "la0": la0, "lo0": lo0,
            "la": lat_part - la0, "lo": lon_part - lo0,
            "h": hours_code[a:b], "f": flags[a:b],
        }
        for key in _TEXT_COLUMNS:
            values = text[key]
            if values is None:  # an all-empty column: nothing to send
                layer[key] = [""] * (b - a) if key in ("id", "n") else None
                continue
            part = values[a:b].tolist()
            layer[key] = part if key in ("id", "n") or any(part) else None
        layers.append(layer)

    position: dict[str, int] = {}
    if selected or extra_lines:
        position = dict(zip(ids.tolist(), range(len(order)), strict=True))
    if extra_lines:
        _add_extra_lines(layers, bounds_at, position, extra_lines)

    chosen = escape(selected) if selected else None
    chosen_at = position.get(chosen) if chosen is not None else None
    if center is None and chosen_at is not None:
        center = (lat5[chosen_at] / 1e5, lon5[chosen_at] / 1e5)
        zoom = zoom if zoom is not None else max(city.map_zoom, SELECTED_MIN_ZOOM)
    base = asset_base.rstrip("/")
    payload = {
        "tiles": city.tile_url,  # operator config, used by Leaflet as a URL template
        "attr": city.tile_attribution,  # operator config, HTML links allowed
        "img": f"{base}/leaflet/images/",
        "dir": escape(DIRECTIONS_URL),
        "L": _labels(city, lang, when),
        "cats": cats,
        "oh": hours_table,
        "layers": layers,
        "start": [round(float(start[0]), 6), round(float(start[1]), 6), escape(start[2])]
        if start is not None else None,
        "sel": chosen if chosen_at is not None else None,
        "xt": escape(extra_title),
    }
    m = VenueMap(
        location=center or city.map_center,
        zoom_start=zoom if zoom is not None else city.map_zoom,
        asset_base=asset_base,
        title=city.name,
    )
    bounds: list[list[float | None]] = (
        [[float(lat5.min()) / 1e5, float(lon5.min()) / 1e5],
         [float(lat5.max()) / 1e5, float(lon5.max()) / 1e5]]
        if len(lat5) else [[None, None], [None, None]]
    )
    VenueLayers(embed_json(payload), bounds, asset_base).add_to(m)
    return m


def map_html(m: folium.Map) -> str:
    """The full standalone HTML page the browser gets (also the HTML export)."""
    return m.get_root().render()


def embed_json(value: object) -> str:
    """JSON that is safe inside ``<script>``: no ``<`` at all, so no ``</script>`` or ``<!--``."""
    raw = orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY)
    return raw.replace(b"<", b"\\u003c").replace(b">", b"\\u003e").decode("utf-8")


# --------------------------------------------------------------------------- columns


def _points(venues: gpd.GeoDataFrame) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Rows with a position, and their lat/lon as integers of 1e-5 degree (~1 m)."""
    if "lat" in venues.columns and "lon" in venues.columns:
        lat = pd.to_numeric(venues["lat"], errors="coerce").to_numpy(dtype=float)
        lon = pd.to_numeric(venues["lon"], errors="coerce").to_numpy(dtype=float)
    else:
        geo = venues.geometry
        if geo.crs is not None and geo.crs.to_epsg() != 4326:
            geo = geo.to_crs(4326)
        lat = geo.y.to_numpy(dtype=float)
        lon = geo.x.to_numpy(dtype=float)
    ok = np.isfinite(lat) & np.isfinite(lon)
    frame: pd.DataFrame = venues
    if not ok.all():
        frame, lat, lon = venues[ok], lat[ok], lon[ok]
    return frame, np.rint(lat * 1e5).astype(np.int64), np.rint(lon * 1e5).astype(np.int64)


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A text column with "" for missing, kept in the storage it came in.

    An object column of strings (what :func:`mapping.io.load_dataset` gives) stays
    object: pandas 3's ``astype(str)`` would build an Arrow array that the steps here
    turn back into Python strings, two full conversions per column for nothing.
    """
    if name not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    column = frame[name]
    if column.dtype == object:
        values = column.to_numpy(dtype=object, na_value="")
        if pd.api.types.infer_dtype(values, skipna=False) in ("string", "empty"):
            return pd.Series(values, index=frame.index, dtype=object)
    return column.fillna("").astype(str)


@cache
def _special_characters() -> frozenset[str]:
    """Every character ``escape`` changes, found by asking it (so this stays in step).

    A value without any of them is its own escaped form; only the others need the call.
    """
    return frozenset(
        chr(code) for code in range(0x10000)
        if not 0xD800 <= code <= 0xDFFF and escape(chr(code)) != chr(code)
    )


def _escaped(values: pd.Series, order: np.ndarray) -> np.ndarray | None:
    """The column escaped, as an object array in ``order``; ``None`` when all empty.

    The column is joined once to find, at C speed, whether and where a character that
    ``escape`` changes occurs; just those values go through ``escape`` (one call over
    their joined text). At 50,000 rows this is ~10x faster than one call per value.
    """
    array = values.to_numpy(dtype=object, copy=True)
    joined = _SEP.join(array)
    if len(joined) <= len(array) - 1:  # only separators: every value is empty
        return None
    specials = [ch for ch in _special_characters() if ch in joined]
    if specials:
        pattern = "[" + "".join(re.escape(ch) for ch in specials) + "]"
        hits = [match.start() for match in re.finditer(pattern, joined)]
        lengths = np.fromiter(map(len, array), dtype=np.int64, count=len(array)) + 1
        starts = np.cumsum(lengths) - lengths
        where = np.unique(np.searchsorted(starts, hits, side="right") - 1)
        items = array[where].tolist()
        escaped = escape(_SEP.join(items)).split(_SEP)
        if len(escaped) != len(items):  # a value contained the separator itself
            escaped = [escape(item) for item in items]
        array[where] = escaped
    return array[order]


def _keep(values: pd.Series, pattern: str) -> pd.Series:
    """Values matching ``pattern`` (case-insensitive); the others become ""."""
    filled = values != ""
    if not filled.any():
        return values
    ok = values[filled].str.match(pattern, case=False)
    return values.where(~filled | ok.reindex(values.index, fill_value=False), "")


def _social(values: pd.Series) -> pd.Series:
    """Only the http(s) links of the free-text ``social`` field, space-separated."""
    filled = values != ""
    if not filled.any():
        return values
    parts = values[filled].str.split(_SOCIAL_SPLIT, regex=True).explode()
    parts = parts[parts.str.match(_URL, case=False).fillna(False).astype(bool)]
    links = parts.groupby(level=0).agg(" ".join)
    return links.reindex(values.index, fill_value="").astype(str)


def _localized(frame: pd.DataFrame, field: str, lang: str, languages: Sequence[str]) -> pd.Series:
    """:func:`mapping.i18n.localized_column` (same order and fallback), on numpy arrays.

    ``<field>_<lang>``, then ``<field>``, then ``<field>_<other>``; empty = missing.
    The pandas version costs ~3 ms per field at 10,000 rows, this one well under 1 ms.
    """
    order = [f"{field}_{lang}", field, *(f"{field}_{other}" for other in languages)]
    present = [name for name in dict.fromkeys(order) if name in frame.columns]
    if not present:
        return pd.Series("", index=frame.index, dtype=object)
    result = _column(frame, present[0]).to_numpy(dtype=object)
    for name in present[1:]:
        missing = result == ""
        if not missing.any():
            break
        result = np.where(missing, _column(frame, name).to_numpy(dtype=object), result)
    return pd.Series(result, index=frame.index, dtype=object)


def _texts(frame: pd.DataFrame, lang: str, city: CityProfile) -> dict[str, pd.Series]:
    """The card's text columns in ``lang`` (with fallback), links limited to http(s)."""
    langs = tuple(city.languages)
    return {
        "id": _column(frame, "id"),
        "n": _localized(frame, "name", lang, langs),
        "d": _localized(frame, "description", lang, langs),
        "ad": _column(frame, "address"),
        "ph": _column(frame, "phone"),
        "em": _keep(_column(frame, "email").str.strip(), _EMAIL),
        "w": _keep(_column(frame, "website").str.strip(), _URL),
        "so": _social(_column(frame, "social").str.strip()),
    }


def _codes(frame: pd.DataFrame, column: str, table: Mapping[str, int], default: int) -> np.ndarray:
    """Small integer codes of a categorical text column (compared trimmed, lower-case)."""
    if column not in frame.columns:
        return np.zeros(len(frame), dtype=np.int64)
    codes, uniques = pd.factorize(_column(frame, column))
    lookup = np.array([table.get(str(u).strip().lower(), default) for u in uniques] + [default],
                      dtype=np.int64)
    return lookup[codes]  # code -1 (missing) picks the default in the last slot


def _flags(frame: pd.DataFrame) -> np.ndarray:
    """Bit 0 member; bits 1-2 precision (0 exact, 1 approximate, 2 settlement);
    bits 3-4 wheelchair (0 unknown, 1 yes, 2 limited, 3 no)."""
    if "member" in frame.columns and frame["member"].dtype == bool:
        member = frame["member"].to_numpy().astype(np.int64)
    else:
        member = _codes(frame, "member", {"true": 1, "1": 1, "yes": 1}, 0)
    # precision: no column = nothing known to be approximate; any other value = approximate
    precision = (_codes(frame, "location_precision", {"exact": 0, "settlement": 2}, 1)
                 if "location_precision" in frame.columns else np.zeros(len(frame), np.int64))
    wheel = _codes(frame, "wheelchair", {v: i for i, v in enumerate(_WHEELCHAIR, start=1)}, 0)
    return member | (precision << 1) | (wheel << 3)


def _categories(
    frame: pd.DataFrame, categories: pd.DataFrame, lang: str, languages: Sequence[str]
) -> tuple[np.ndarray, list[dict[str, object]]]:
    """Each row's layer number, and one table entry per category present.

    Categories keep the order of ``categories.csv``; ids missing there come last, shown
    with their id as label, a grey swatch and a generic icon.
    """
    codes, uniques = pd.factorize(_column(frame, "category").str.strip())
    known = categories.reset_index(drop=True)
    labels = _localized(known, "label", lang, tuple(languages)).tolist()
    records = known.to_dict("records")
    rank = {str(row.get("id", "")): i for i, row in enumerate(records)}
    ids = sorted((str(u) for u in uniques), key=lambda cid: (rank.get(cid, len(rank)), cid))
    layer_of_unique = np.array([ids.index(str(u)) for u in uniques], dtype=np.int64)
    layer = layer_of_unique[codes] if len(codes) else np.zeros(0, dtype=np.int64)
    counts = np.bincount(layer, minlength=len(ids))
    cats: list[dict[str, object]] = []
    for i, cid in enumerate(ids):
        if cid in rank:
            row = records[rank[cid]]
            label = str(labels[rank[cid]])
            colour = str(row.get("colour", "")).strip()
            icon = str(row.get("icon", "")).strip()
        else:
            label, colour, icon = "", "", ""
        colour = colour if _HEX_COLOUR.match(colour) else _FALLBACK_COLOUR
        icon = icon if _ICON_NAME.match(icon) else _FALLBACK_ICON
        cats.append({
            "id": escape(cid), "l": escape(label or cid or "?"), "c": colour, "k": _ink(colour),
            "i": icon, "n": int(counts[i]),
        })
    return layer, cats


def _ink(colour: str) -> str:
    """White or near-black, whichever contrasts more with ``colour`` (WCAG luminance)."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    channels = [int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    dark = 0.0175  # luminance of #1d2733
    on_white = 1.05 / (luminance + 0.05)
    on_dark = (luminance + 0.05) / (dark + 0.05)
    return "#ffffff" if on_white >= on_dark else "#1d2733"


# --------------------------------------------------------------------------- hours


def _hours(
    frame: pd.DataFrame, city: CityProfile, lang: str, when: datetime
) -> tuple[np.ndarray, list[list[object]]]:
    """Per venue an index into a table with one row per distinct ``opening_hours`` value:
    ``[hours that day, season summary, day state, state at when]`` (escaped texts)."""
    codes, view = hours.day_view(_column(frame, "opening_hours"), when, city.timezone, lang,
                                 country=city.country or None)
    table = [
        [escape(today), escape(summary), int(day_state), int(state_at)]
        for today, summary, day_state, state_at in view[list(hours.DAY_VIEW_COLUMNS)]
        .itertuples(index=False, name=None)
    ]
    return codes, table


def _labels(city: CityProfile, lang: str, when: datetime) -> dict[str, str]:
    """UI texts of the card, legend and controls (escaped like data, to be uniform)."""
    local = clock.local(when, city.timezone)
    now = datetime.now(ZoneInfo(city.timezone))
    hhmm = local.strftime("%H:%M")
    if abs(local - now) <= _NOW_TOLERANCE:
        open_at, closed_at = t("map.open_now", lang), t("map.closed_now", lang)
    else:
        open_at = t("map.open_at", lang, time=hhmm)
        closed_at = t("map.closed_at", lang, time=hhmm)
    labels = {
        key: t(f"map.{key}", lang)
        for key in ("legend", "member", "member_short", "hours_unknown", "approximate",
                    "settlement_level", "directions", "start", "address", "phone", "email",
                    "website", "social", "categories")
    }
    labels |= {f"wheelchair_{key}": t(f"map.wheelchair.{key}", lang)
               for key in ("yes", "limited", "no", "unknown")}
    labels |= {
        "wheelchair": t("map.wheelchair.label", lang),
        "day": _day_label(local.date(), now.date(), lang),
        "open_at": open_at,
        "closed_at": closed_at,
    }
    return {key: escape(value) for key, value in labels.items()}


def _day_label(day: date, today: date, lang: str) -> str:
    if day == today:
        return t("map.hours_today", lang)
    return t("map.hours_on", lang, weekday=weekday_name(day.weekday(), lang),
             day=day.day, month=month_name(day.month, lang))


# --------------------------------------------------------------------------- extras


def _add_extra_lines(
    layers: list[dict[str, object]],
    bounds_at: np.ndarray,
    position: dict[str, int],
    extra_lines: Mapping[str, Sequence[str]],
) -> None:
    """Put each venue's extra lines (escaped) into its layer, keyed by row number."""
    for venue_id, lines in extra_lines.items():
        at = position.get(escape(venue_id))
        if at is None or not lines:
            continue
        li = int(np.searchsorted(bounds_at, at, side="right")) - 1
        extra = layers[li].setdefault("x", {})
        assert isinstance(extra, dict)
        extra[str(at - int(bounds_at[li]))] = [escape(line) for line in lines]
