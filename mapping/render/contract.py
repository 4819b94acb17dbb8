"""The JS contract: the document ``templates/venue_map.js`` reads, key by key.

The script cites :class:`Payload` (with :class:`Layer`, :class:`Category`,
:class:`Labels` and :data:`HoursRow`) at its top, so a key is described in one place;
change a key here and there together (``tests/test_render.py`` checks the script reads
every key). Keys are short because they repeat once per layer and the document is ~120
bytes per venue. :mod:`mapping.render.payload` builds it.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict

import numpy as np
import numpy.typing as npt

IntColumn = npt.NDArray[np.int64] | list[int]
"""A column of integers: a numpy array while building, a JSON array of numbers in JS."""

HoursRow = tuple[str, str, int, int]
"""One row of :attr:`Payload.oh`, for one distinct ``opening_hours`` string:
``[hours that day (escaped), season summary (escaped, "" if unknown), state that day,
state at the moment asked about]``; states are :data:`mapping.hours.STATE_CLOSED`,
``STATE_OPEN`` and ``STATE_UNKNOWN`` (the script's ``states:`` line names the same
numbers; unknown is never shown as closed)."""


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
    start_here: str
    """The card's and the long press's button that makes a point the start point."""
    same_place: str
    """Heading of the card's list of the other venues at the very same point."""
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
    """Directions URL prefix (escaped): :data:`mapping.render.payload.DIRECTIONS_URL`."""
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
