""" "Near me": the browser's location as the start point, a Streamlit custom component (v2).

``locate.js`` draws one button. Pressed, it asks the browser for its position (the
browser asks the visitor's permission) and sends Python the trigger ``position``:
``{"lat": …, "lon": …}``, or ``{"error": "denied"}`` / ``{"error": "unavailable"}``.
The page decides what follows (inside the study area: start there; otherwise a message
and the default start): the position never leaves the visitor's browser and this app.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypedDict

from mapping.components.near_list import fontawesome
from mapping.render.payload import ASSET_BASE

HERE = Path(__file__).parent
NAME = "kcm_locate"


class LocateData(TypedDict):
    """What ``locate.js`` gets from Python (its ``data``)."""

    label: str  # the button's text
    locating: str  # said while the browser looks for the position
    fontawesome: list[str]


def data(label: str, locating: str, asset_base: str = ASSET_BASE) -> LocateData:
    """The component's data; the icon font from ``asset_base``."""
    return LocateData(label=label, locating=locating, fontawesome=fontawesome(asset_base))


def position(value: object) -> tuple[float, float] | str:
    """A ``position`` trigger as (lat, lon), or the error's name (``"unavailable"`` for
    anything unreadable)."""
    if isinstance(value, dict):
        lat, lon = value.get("lat"), value.get("lon")
        if isinstance(lat, int | float) and isinstance(lon, int | float):
            return float(lat), float(lon)
        if value.get("error") == "denied":
            return "denied"
    return "unavailable"


@cache
def _component() -> Callable[..., Any]:
    """Register the component once per process (Streamlit is imported only here)."""
    import streamlit as st

    return st.components.v2.component(
        NAME,
        js=(HERE / "locate.js").read_text(encoding="utf-8"),
        css=(HERE / "locate.css").read_text(encoding="utf-8"),
        isolate_styles=False,
    )


def locate(
    payload: LocateData, *, key: str, on_position: Callable[[tuple[float, float] | str], None]
) -> None:
    """Mount the "Near me" button; ``on_position`` gets :func:`position`'s reading of the
    browser's answer before the next run."""
    import streamlit as st

    def answered() -> None:
        try:
            value = st.session_state[key]["position"]
        except (KeyError, TypeError):
            return
        if value is not None:
            on_position(position(value))

    _component()(key=key, data=payload, on_position_change=answered)
