"""The nearest-first list: a Streamlit custom component (v2) beside the map.

Python prepares the entries (:func:`mapping.explore.list_entries`, every value plain
text); ``near_list.js`` draws them as real buttons (keyboard, focus styles), pages them
with "show more" and keeps them in step with the map through events on ``window.top``:

- it dispatches ``kcm:highlight`` with ``{detail: {id}}`` when an entry is hovered or
  focused, and ``{id: ""}`` on mouseleave / blur;
- it listens for the map's ``kcm:venue-open`` / ``kcm:venue-close`` (``{detail: {id}}``):
  it highlights that entry and reports the id (or ``""``) to Python as the selection;
- it listens for the map's ``kcm:start-here`` (``{detail: {lat, lon}}``, the card's
  "Start here" or a long press on the map) and reports the point to Python;
- Escape in the list dispatches ``kcm:close-card``: the map closes its card.

To Python it sends three trigger values: ``pick`` (a venue id, ``""`` for none),
``more`` (the number of entries it showed) and ``start`` (``"lat,lon"``). The page keeps
it mounted even when no entry matches, so "Start here" always reaches Python. An id
already selected is never reported again, so a map event for the selected venue cannot
start a stream of reruns.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypedDict

from mapping.explore import NearEntry
from mapping.render.payload import ASSET_BASE

HERE = Path(__file__).parent
NAME = "kcm_near_list"
FONTAWESOME = (
    f"{ASSET_BASE}/fontawesome-free/css/fontawesome.min.css",
    f"{ASSET_BASE}/fontawesome-free/css/solid.min.css",
)
"""Stylesheets of the vendored icon font: the list shows each category's icon."""


def fontawesome(asset_base: str = ASSET_BASE) -> list[str]:
    """:data:`FONTAWESOME` served from ``asset_base`` (the app's asset path under
    ``server.baseUrlPath``, when a town is served under a path)."""
    return [asset_base.rstrip("/") + sheet.removeprefix(ASSET_BASE) for sheet in FONTAWESOME]


class NearListData(TypedDict):
    """What ``near_list.js`` gets from Python on every run (its ``data``)."""

    entries: list[NearEntry]
    selected: str  # the selected venue id, "" for none
    total: int  # entries in the whole list (``entries`` may be its first pages)
    label: str  # the list's accessible name
    shown: str  # "Shown: 30 of 64"
    more: str  # the "show more" button's text
    fontawesome: list[str]


def data(
    entries: list[NearEntry],
    *,
    selected: str | None,
    total: int,
    label: str,
    shown: str,
    more: str,
    asset_base: str = ASSET_BASE,
) -> NearListData:
    """The component's data; ``fontawesome`` is the vendored icon font's stylesheets
    under ``asset_base`` (the app's, under ``server.baseUrlPath`` if one is set)."""
    return NearListData(
        entries=entries,
        selected=selected or "",
        total=total,
        label=label,
        shown=shown,
        more=more,
        fontawesome=fontawesome(asset_base),
    )


@cache
def _component() -> Callable[..., Any]:
    """Register the component once per process (Streamlit is imported only here).

    Styles are not isolated in a shadow root: the icon font's ``@font-face`` only works
    in the document, and every class of ours starts with ``kcm-near``.
    """
    import streamlit as st

    return st.components.v2.component(
        NAME,
        js=(HERE / "near_list.js").read_text(encoding="utf-8"),
        css=(HERE / "near_list.css").read_text(encoding="utf-8"),
        isolate_styles=False,
    )


def near_list(
    payload: NearListData,
    *,
    key: str,
    on_pick: Callable[[str], None],
    on_more: Callable[[int], None],
    on_start: Callable[[str], None],
) -> None:
    """Mount the list. ``on_pick(id)`` runs before the next run when an entry is chosen
    (or the map opens or closes a card, ``""``); ``on_more(shown)`` when "show more" is
    pressed with ``shown`` entries on screen; ``on_start("lat,lon")`` when the visitor
    asks to start from a point of the map."""
    import streamlit as st

    def picked() -> None:
        value = _trigger(st.session_state, key, "pick")
        if isinstance(value, str):
            on_pick(value)

    def more() -> None:
        value = _trigger(st.session_state, key, "more")
        if isinstance(value, int | float):
            on_more(int(value))

    def start() -> None:
        value = _trigger(st.session_state, key, "start")
        if isinstance(value, str):
            on_start(value)

    _component()(
        key=key,
        data=payload,
        on_pick_change=picked,
        on_more_change=more,
        on_start_change=start,
    )


def _trigger(state: Any, key: str, name: str) -> object:
    """A trigger value of the component ``key`` (None when it did not fire)."""
    try:
        return state[key][name]
    except (KeyError, TypeError):
        return None
