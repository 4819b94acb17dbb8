"""The venue payload: what crosses from Python to ``templates/venue_map.js``, built once.

The payload is one JSON document per map. Its schema is :class:`Payload` (with
:class:`Layer`, :class:`Category`, :class:`Labels` and :data:`HoursRow`): the JS file
points here, so a key is described in one place. Keys are short because they repeat
once per layer and the document is ~120 bytes per venue.

:func:`build_payload` is pure: the same venues, categories, town, language and
:class:`MapOptions` give the same :class:`MapPayload`, byte for byte. It never reads
the clock; the caller says what "now" is (:attr:`MapOptions.now`), so the payload can
be cached for the minute and a test can pin the time.

Every string from data passes through :func:`mapping.text.escape` (HTML *and*
JS-template safe) before it enters the payload; :func:`embed_json` writes ``<`` and
``>`` as ``\\u003c``/``\\u003e`` so nothing in it can close the ``<script>``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import NotRequired, TypedDict

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import orjson
import pandas as pd

from mapping import clock, seasons
from mapping.i18n import month_name, t, weekday_name
from mapping.render import _columns
from mapping.settings import CityProfile
from mapping.text import escape

ASSET_BASE = "/app/static/vendor"
"""Where the Streamlit app serves the vendored Leaflet, markercluster and Font Awesome."""
DIRECTIONS_URL = "https://www.openstreetmap.org/directions?engine=fossgis_osrm_foot&route="
"""Walking directions; the card appends ``from_lat,from_lon;lat,lon``."""
SELECTED_MIN_ZOOM = 16
"""Zoom used when the map is centred on a selected venue (unless a zoom is given)."""

_NOW_TOLERANCE = timedelta(minutes=15)  # "Open now" while ``when`` is this close to ``now``

IntColumn = npt.NDArray[np.int64] | list[int]
"""A column of integers: a numpy array while building, a JSON array of numbers in JS."""

HoursRow = tuple[str, str, int, int]
"""One row of :attr:`Payload.oh`, for one distinct ``opening_hours`` string:
``[hours that day (escaped), season summary (escaped, "" if unknown), state that day,
state at the moment asked about]``; states are 0 closed, 1 open, 2 unknown (unknown is
never shown as closed)."""


# --------------------------------------------------------------------------- schema


class Category(TypedDict):
    """One category with venues on the map: an entry of :attr:`Payload.cats`."""

    id: str
    """Category id (escaped); ``data-category`` of its legend and layer-control rows."""
    l: str  # noqa: E741 (the payload key for "label", kept short)
    """Label in the map's language (escaped); the id when the catalogue has no label."""
    c: str
    """Colour of the marker and swatch, ``#rgb``/``#rrggbb``; grey if the catalogue's is not."""
    k: str
    """Ink on that colour: ``#ffffff`` or ``#1d2733``, whichever contrasts more (WCAG)."""
    i: str
    """Font Awesome icon name; ``location-dot`` if the catalogue's is not one."""
    n: int
    """Venues of this category on the map."""


class Layer(TypedDict):
    """One category's venues as columns: row ``i`` of every column is one venue.

    Text columns are escaped. An optional text column is ``None`` when it is empty for
    every venue of the layer (nothing to send); otherwise "" marks a venue without it.
    """

    c: int
    """Index of the layer's category in :attr:`Payload.cats`."""
    la0: int
    """Smallest latitude in the layer, in 1e-5 degree (~1 m)."""
    lo0: int
    """Smallest longitude in the layer, in 1e-5 degree."""
    la: IntColumn
    """Latitude minus ``la0``, 1e-5 degree: small numbers, short JSON."""
    lo: IntColumn
    """Longitude minus ``lo0``, 1e-5 degree."""
    h: IntColumn
    """Row of the venue's hours in :attr:`Payload.oh`."""
    f: IntColumn
    """Flags: bit 0 listed in the cluster (member or prospective member); bits 1-2
    location precision (0 exact, 1 approximate, 2 settlement); bits 3-4 wheelchair
    (0 unknown, then 1 + the index of the value in
    :data:`mapping.schema.WHEELCHAIR_VALUES`: 1 yes, 2 limited, 3 no); bits 5-6 whether
    visitors can come (``visit``: 0 unknown, 1 yes, 2 by appointment, 3 no)."""
    b: IntColumn | None
    """Row of the venue's cluster badge in :attr:`Payload.ct` (0: none); ``None`` when no
    venue of the layer has a cluster status."""
    bt: IntColumn | None
    """Row of the venue's boat landmark in :attr:`Payload.boats` (0: not boat-only);
    ``None`` when no venue of the layer is reached only by boat."""
    id: list[str]
    """Venue id; ``data-venue-id`` of the marker and the card."""
    n: list[str]
    """Name in the map's language, with the :func:`mapping.i18n.localized_column` fallback."""
    d: list[str] | None
    """Description in the map's language, same fallback."""
    ad: list[str] | None
    """Address."""
    ph: list[str] | None
    """Phone number as written; the card links the digits with ``tel:``."""
    em: list[str] | None
    """E-mail address, only if :func:`mapping.schema.is_email`."""
    w: list[str] | None
    """Website, only if :func:`mapping.schema.is_web_url`."""
    so: list[str] | None
    """The web links of the free-text ``social`` field, space-separated."""
    x: NotRequired[dict[str, list[str]]]
    """Extra lines of the card (escaped) by row number, as a string; only when asked for
    (:attr:`MapOptions.extra_lines`) and only in layers holding such a venue."""


class Labels(TypedDict):
    """UI texts of the card, legend and controls in the map's language (escaped)."""

    legend: str
    member_short: str
    hours_unknown: str
    approximate: str
    settlement_level: str
    directions: str
    directions_settlement: str
    """The directions link of a settlement-level venue: it leads to the settlement."""
    directions_boat: str
    """The directions link of a boat-only place: it leads to the boat."""
    access: str
    visit_appointment: str
    visit_no: str
    start: str
    address: str
    phone: str
    email: str
    website: str
    social: str
    categories: str
    zoom_in: str
    zoom_out: str
    close: str
    wheelchair: str
    wheelchair_yes: str
    wheelchair_limited: str
    wheelchair_no: str
    wheelchair_unknown: str
    day: str
    """Heading of the hours line: "Today", or the day asked about ("Fri 10 Jul")."""
    open_at: str
    """"Open now", or "Open at 14:00" when the moment asked about is not now."""
    closed_at: str
    """"Closed now", or "Closed at 14:00"."""


class Payload(TypedDict):
    """The document handed to ``templates/venue_map.js`` as ``P``: the one schema.

    The tiles, their attribution and Leaflet's image folder are the map's, not a
    view's: :class:`mapping.render.elements.VenueRuntime` hands them to the script."""

    dir: str
    """Directions URL prefix (escaped): :data:`DIRECTIONS_URL`."""
    L: Labels
    """UI texts."""
    cats: list[Category]
    """Categories with venues, in ``categories.csv`` order, unknown ids last."""
    oh: list[HoursRow]
    """Hours table: one row per distinct ``opening_hours`` string."""
    ct: list[str]
    """Cluster badge texts (escaped), one per distinct status and year; row 0 is ""."""
    boats: list[tuple[str, float | None, float | None] | None]
    """Boat landmarks ``[text "By boat from …" (escaped), lat, lon]``; row 0 is ``null``.
    Without a known landmark lat and lon are ``null`` and directions lead to the venue."""
    layers: list[Layer]
    """One layer per entry of ``cats``, in the same order."""
    start: tuple[float, float, str] | None
    """Start point ``[lat, lon, label (escaped)]``, or ``null``."""
    sel: str | None
    """Id (escaped) of the venue whose card opens on load, if it is on the map."""
    xt: str
    """Heading over the extra lines of a card (escaped); "" for none."""
    v: str
    """Digest of everything but ``start`` and ``sel``: a mounted map that already drew
    this ``v`` only moves its start pin and selection."""


# --------------------------------------------------------------------------- options, result


@dataclass(frozen=True)
class MapOptions:
    """What one map shows besides the venues: time, start point, selection, extras.

    Parameters
    ----------
    now
        The current moment, given by the caller (``clock.to_minute(clock.now(tz))`` in
        the app): the map never reads the clock. It decides "Open now" and "Today".
    when
        The moment whose hours the cards show; ``None`` means ``now``.
    start
        ``(lat, lon, label)`` of the start point, drawn as a pin and used as the
        origin of walking directions.
    selected
        Id of a venue whose card opens on load; the map centres on it unless
        ``center`` is given.
    extra_lines
        Plain-text lines by venue id, shown under ``extra_title`` in that venue's card.
        Read only; it does not take part in the hash.
    extra_title
        Heading over the extra lines.
    center, zoom
        The initial view; by default the selected venue's, else the town's.
    landmarks
        ``(label, lat, lon)`` of the town's places by id, in the map's language: a
        boat-only venue's card names the landmark its boat leaves from
        (``boat_from``) and leads there. Read only; it does not take part in the hash.
    asset_base
        URL folder of the vendored scripts, stylesheets and images.
    """

    now: datetime
    when: datetime | None = None
    start: tuple[float, float, str] | None = None
    selected: str | None = None
    extra_lines: Mapping[str, Sequence[str]] | None = field(default=None, hash=False)
    extra_title: str = ""
    center: tuple[float, float] | None = None
    zoom: int | None = None
    landmarks: Mapping[str, tuple[str, float, float]] | None = field(default=None, hash=False)
    asset_base: str = ASSET_BASE

    @property
    def moment(self) -> datetime:
        """The moment the cards' hours are about: ``when``, or ``now``."""
        return self.now if self.when is None else self.when


@dataclass(frozen=True, slots=True)
class MapPayload:
    """A built payload with the view it implies: immutable, so safe to cache and share.

    A page may build it once without start and selection and give each run its own
    with :func:`with_view` (cheap: the drawn part is not rebuilt or re-serialised).

    Parameters
    ----------
    json
        The :class:`Payload` as JSON safe inside ``<script>`` (:func:`embed_json`).
    bounds
        ``((south, west), (north, east))`` of the venues, ``None`` without venues.
    center, zoom
        The initial view.
    asset_base
        URL folder of the vendored files (the payload's image folder is under it).
    """

    json: str
    bounds: tuple[tuple[float, float], tuple[float, float]] | None
    center: tuple[float, float]
    zoom: int
    asset_base: str = ASSET_BASE
    drawn: str = ""
    """The drawn part alone (everything but the view), for :func:`with_view`."""
    positions: Mapping[str, tuple[float, float]] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, hash=False
    )
    """Escaped venue id -> ``(lat, lon)`` (read-only), for :func:`with_view`; derived
    from ``drawn``, so left out of equality and hashing."""


# --------------------------------------------------------------------------- building


def build_payload(
    venues: gpd.GeoDataFrame,
    categories: pd.DataFrame,
    city: CityProfile,
    lang: str,
    options: MapOptions,
) -> MapPayload:
    """The payload of ``venues`` (already filtered) in ``lang``, as ``options`` say.

    Parameters
    ----------
    venues
        Venues to draw; a ``lat``/``lon`` pair of columns wins over the geometry. Rows
        without a position are left out.
    categories
        The category catalogue (``categories.csv``): ids, labels, colours, icons.
    city
        The town profile: languages, time zone, tiles, default view.
    lang
        The language of labels and texts.
    options
        Time, start point, selection, extra lines, view and asset base.
    """
    frame, lat5, lon5 = _columns.points(venues)
    category_code, cats = _columns.categories(frame, categories, lang, city.languages)
    order = np.argsort(category_code, kind="stable")  # rows grouped by layer
    bounds_at = np.concatenate([[0], np.cumsum([cat["n"] for cat in cats])]).astype(int)
    lat5, lon5 = lat5[order], lon5[order]
    text = {
        key: _columns.escaped(values, order)
        for key, values in _columns.texts(frame, lang, city.languages).items()
    }
    hours_code, hours_table = _hours(frame, city, lang, options.moment)
    hours_code = hours_code[order]
    flags = _columns.flags(frame)[order]
    badge_code, badge_table = _cluster_badges(frame, lang)
    badge_code = badge_code[order]
    boat_code, boat_table = _boats(frame, lang, options.landmarks or {})
    boat_code = boat_code[order]

    ids = text["id"] if text["id"] is not None else np.full(len(order), "", dtype=object)
    layers = [
        _layer(
            li,
            int(bounds_at[li]),
            int(bounds_at[li + 1]),
            lat5,
            lon5,
            hours_code,
            flags,
            badge_code,
            boat_code,
            text,
        )
        for li in range(len(cats))
    ]
    position = dict(zip(ids.tolist(), range(len(order)), strict=True))
    if options.extra_lines:
        _add_extra_lines(layers, bounds_at, position, options.extra_lines)
    drawn = {
        "dir": escape(DIRECTIONS_URL),
        "L": _labels(city, lang, options.moment, options.now),
        "cats": cats,
        "oh": hours_table,
        "ct": badge_table,
        "boats": boat_table,
        "layers": layers,
        "xt": escape(options.extra_title),
    }
    bounds = (
        (
            (float(lat5.min()) / 1e5, float(lon5.min()) / 1e5),
            (float(lat5.max()) / 1e5, float(lon5.max()) / 1e5),
        )
        if len(lat5)
        else None
    )
    drawn_json = embed_json(drawn)
    digest = hashlib.blake2b(drawn_json.encode("utf-8"), digest_size=8).hexdigest()
    lat, lon = options.center or city.map_center
    unselected = MapPayload(
        json=_splice(drawn_json, digest, None, None),
        bounds=bounds,
        center=(float(lat), float(lon)),
        zoom=options.zoom if options.zoom is not None else city.map_zoom,
        asset_base=options.asset_base,
        drawn=f"{drawn_json}\n{digest}",
        positions=MappingProxyType(
            {key: (float(lat5[i]) / 1e5, float(lon5[i]) / 1e5) for key, i in position.items()}
        ),
    )
    if options.start is None and not options.selected:
        return unselected
    return with_view(
        unselected, options.start, options.selected, keep_view=options.center is not None
    )


def with_view(
    payload: MapPayload,
    start: tuple[float, float, str] | None,
    selected: str | None,
    *,
    keep_view: bool = False,
) -> MapPayload:
    """``payload`` with this start point and selected venue (the same drawn part).

    The drawn part and its digest ``v`` are reused as they are, so a start or card change
    costs a string splice, not a rebuild, and the mounted map only moves its pin and
    opens the card. A selected venue on the map centres the initial view on it (at
    least :data:`SELECTED_MIN_ZOOM`) unless ``keep_view``; an id not on the map selects
    nothing.
    """
    drawn_json, _, digest = payload.drawn.rpartition("\n")
    chosen = escape(selected) if selected else None
    at = payload.positions.get(chosen) if chosen is not None else None
    center, zoom = payload.center, payload.zoom
    if at is not None and not keep_view:
        center, zoom = at, max(zoom, SELECTED_MIN_ZOOM)
    return replace(
        payload,
        json=_splice(drawn_json, digest, start, chosen if at is not None else None),
        center=center,
        zoom=zoom,
    )


def _splice(
    drawn_json: str, digest: str, start: tuple[float, float, str] | None, selected: str | None
) -> str:
    """The whole :class:`Payload`: the drawn part, its digest ``v``, start and selection.

    Spliced rather than dumped again, so a 10,000-venue document is serialised once.
    """
    view = {
        "start": (round(float(start[0]), 6), round(float(start[1]), 6), escape(start[2]))
        if start is not None
        else None,
        "sel": selected,
        "v": digest,
    }
    return f"{drawn_json[:-1]},{embed_json(view)[1:]}"


def embed_json(value: object) -> str:
    """JSON that is safe inside ``<script>``: no ``<`` at all, so no ``</script>`` or ``<!--``."""
    raw = orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY)
    return raw.replace(b"<", b"\\u003c").replace(b">", b"\\u003e").decode("utf-8")


def _layer(
    li: int,
    a: int,
    b: int,
    lat5: np.ndarray,
    lon5: np.ndarray,
    hours_code: np.ndarray,
    flags: np.ndarray,
    badges: np.ndarray,
    boats: np.ndarray,
    text: Mapping[str, np.ndarray | None],
) -> Layer:
    """Rows ``a:b`` (one category, already grouped) as the layer the JS draws."""
    lat_part, lon_part = lat5[a:b], lon5[a:b]
    la0, lo0 = int(lat_part.min()), int(lon_part.min())

    def required(key: str) -> list[str]:
        values = text[key]
        return [""] * (b - a) if values is None else values[a:b].tolist()

    def optional(key: str) -> list[str] | None:
        values = text[key]
        if values is None:  # an all-empty column: nothing to send
            return None
        part: list[str] = values[a:b].tolist()
        return part if any(part) else None

    return {
        "c": li,
        "la0": la0,
        "lo0": lo0,
        "la": lat_part - la0,
        "lo": lon_part - lo0,
        "h": hours_code[a:b],
        "f": flags[a:b],
        "b": badges[a:b] if badges[a:b].any() else None,
        "bt": boats[a:b] if boats[a:b].any() else None,
        "id": required("id"),
        "n": required("n"),
        "d": optional("d"),
        "ad": optional("ad"),
        "ph": optional("ph"),
        "em": optional("em"),
        "w": optional("w"),
        "so": optional("so"),
    }


_CLUSTER_BADGE_KEYS = {
    "member": "map.cluster_member",
    "prospective": "map.cluster_prospective",
}


def _cluster_badges(frame: pd.DataFrame, lang: str) -> tuple[np.ndarray, list[str]]:
    """Per venue a row number in :attr:`Payload.ct` (0: no status), and that table.

    The badge says what the source says: "Listed as a prospective member … (2018)" for
    a prospective member, with the year the status was stated when it is known.
    """
    status = _columns.column(frame, "cluster").str.strip().str.lower()
    year = (
        pd.to_numeric(frame["cluster_year"], errors="coerce")
        if "cluster_year" in frame
        else pd.Series(np.nan, index=frame.index)
    )
    known = status.where(status.isin(_CLUSTER_BADGE_KEYS), "").tolist()
    years = ["" if pd.isna(y) else str(int(y)) for y in year.tolist()]
    codes, uniques = pd.factorize(
        pd.Series([f"{k}|{y}" for k, y in zip(known, years, strict=True)], dtype=object)
    )
    table = [""]
    row_of: list[int] = []
    for key in uniques:
        value, _, when = str(key).partition("|")
        if not value:
            row_of.append(0)
            continue
        text = t(_CLUSTER_BADGE_KEYS[value], lang)
        if when:
            text = t("map.cluster_since", lang, badge=text, year=when)
        table.append(escape(text))
        row_of.append(len(table) - 1)
    lookup = np.array([*row_of, 0], dtype=np.int64)
    return lookup[codes], table


def _boats(
    frame: pd.DataFrame, lang: str, landmarks: Mapping[str, tuple[str, float, float]]
) -> tuple[np.ndarray, list[tuple[str, float | None, float | None] | None]]:
    """Per venue a row number in :attr:`Payload.boats` (0: not boat-only), and that table.

    A boat-only venue whose landmark is unknown still says "by boat", without a place.
    """
    boat_only = _columns.truthy(frame, "boat_only")
    if not boat_only.any():
        return np.zeros(len(frame), dtype=np.int64), [None]
    origin = _columns.column(frame, "boat_from").str.strip()
    table: list[tuple[str, float | None, float | None] | None] = [None]
    row_of: dict[str, int] = {}
    codes = np.zeros(len(frame), dtype=np.int64)
    for i in np.flatnonzero(boat_only).tolist():
        place = str(origin.iat[i])
        if place not in row_of:
            if place in landmarks:
                label, lat, lon = landmarks[place]
                table.append(
                    (
                        escape(t("map.by_boat_from", lang, place=label)),
                        round(float(lat), 6),
                        round(float(lon), 6),
                    )
                )
            else:
                table.append((escape(t("map.by_boat", lang)), None, None))
            row_of[place] = len(table) - 1
        codes[i] = row_of[place]
    return codes, table


def _hours(
    frame: pd.DataFrame, city: CityProfile, lang: str, moment: datetime
) -> tuple[np.ndarray, list[HoursRow]]:
    """Per venue a row number in :attr:`Payload.oh`, and that table (texts escaped)."""
    codes, view = seasons.day_view(
        _columns.column(frame, "opening_hours"),
        moment,
        city.timezone,
        lang,
        country=city.country or None,
    )
    table: list[HoursRow] = [
        (escape(today), escape(summary), int(day_state), int(state_at))
        for today, summary, day_state, state_at in view[list(seasons.DAY_VIEW_COLUMNS)].itertuples(
            index=False, name=None
        )
    ]
    return codes, table


def _labels(city: CityProfile, lang: str, moment: datetime, now: datetime) -> Labels:
    """The UI texts, escaped like data (to be uniform); "now" and "today" as of ``now``."""
    local = clock.local(moment, city.timezone)
    today = clock.local(now, city.timezone)
    hhmm = local.strftime("%H:%M")
    is_now = abs(local - today) <= _NOW_TOLERANCE

    def text(key: str) -> str:
        return escape(t(f"map.{key}", lang))

    return {
        "legend": text("legend"),
        "member_short": text("member_short"),
        "hours_unknown": text("hours_unknown"),
        "approximate": text("approximate"),
        "settlement_level": text("settlement_level"),
        "directions": text("directions"),
        "directions_settlement": text("directions_settlement"),
        "directions_boat": text("directions_boat"),
        "access": text("access"),
        "visit_appointment": text("visit_appointment"),
        "visit_no": text("visit_no"),
        "start": text("start"),
        "address": text("address"),
        "phone": text("phone"),
        "email": text("email"),
        "website": text("website"),
        "social": text("social"),
        "categories": text("categories"),
        "zoom_in": text("zoom_in"),
        "zoom_out": text("zoom_out"),
        "close": text("close"),
        "wheelchair": text("wheelchair.label"),
        "wheelchair_yes": text("wheelchair.yes"),
        "wheelchair_limited": text("wheelchair.limited"),
        "wheelchair_no": text("wheelchair.no"),
        "wheelchair_unknown": text("wheelchair.unknown"),
        "day": escape(_day_label(local.date(), today.date(), lang)),
        "open_at": text("open_now") if is_now else escape(t("map.open_at", lang, time=hhmm)),
        "closed_at": text("closed_now") if is_now else escape(t("map.closed_at", lang, time=hhmm)),
    }


def _day_label(day: date, today: date, lang: str) -> str:
    if day == today:
        return t("map.hours_today", lang)
    return t(
        "map.hours_on",
        lang,
        weekday=weekday_name(day.weekday(), lang),
        day=day.day,
        month=month_name(day.month, lang),
    )


def _add_extra_lines(
    layers: list[Layer],
    bounds_at: np.ndarray,
    position: Mapping[str, int],
    extra_lines: Mapping[str, Sequence[str]],
) -> None:
    """Put each venue's extra lines (escaped) into its layer, keyed by row number."""
    for venue_id, lines in extra_lines.items():
        at = position.get(escape(venue_id))
        if at is None or not lines:
            continue
        li = int(np.searchsorted(bounds_at, at, side="right")) - 1
        extra = layers[li].setdefault("x", {})
        extra[str(at - int(bounds_at[li]))] = [escape(line) for line in lines]
