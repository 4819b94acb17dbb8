"""The venue payload: what crosses from Python to ``templates/venue_map.js``, built once.

The payload is one JSON document per map; its schema, key by key, is
:class:`mapping.render.contract.Payload` (the JS file cites it there).

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
from datetime import datetime
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import orjson
import pandas as pd

from mapping.render import _columns
from mapping.render.contract import Layer
from mapping.render.labels import labels
from mapping.settings import CityProfile
from mapping.text import escape

ASSET_BASE = "/app/static/vendor"
"""Where the Streamlit app serves the vendored Leaflet, markercluster and Font Awesome."""
DIRECTIONS_URL = "https://www.openstreetmap.org/directions?engine=fossgis_osrm_foot&route="
"""Walking directions; the card appends ``from_lat,from_lon;lat,lon``."""
SELECTED_MIN_ZOOM = 16
"""Zoom used when the map is centred on a selected venue (unless a zoom is given)."""

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
    hours_code, hours_table = _columns.hours_table(frame, city, lang, options.moment)
    hours_code = hours_code[order]
    flags = _columns.flags(frame)[order]
    badge_code, badge_table = _columns.cluster_badges(frame, lang)
    badge_code = badge_code[order]
    boat_code, boat_table = _columns.boats(frame, lang, options.landmarks or {})
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
        "L": labels(city, lang, options.moment, options.now),
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
