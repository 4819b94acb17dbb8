"""The suggestion forms' location: a map to click, a box to paste a point or a map link
into, and the two numbers.

Not a page. The whole picker sits in one container keyed by the form (``<prefix>-location``)
and the map keeps one ``key``: whatever appears or disappears above it (the hours
preview, a message) does not move it in the page's element tree, so Streamlit never
remounts the map and it never goes blank. It draws the current point: the venue's own
marker (an update's payload is that venue) and the clicked, pasted or typed point as a
pin.
"""

from __future__ import annotations

import streamlit as st

from mapping import params, render
from mapping.location_text import MAX_TEXT, LocationTextError, parse_location
from mapping.text import markdown_literal as md
from pages._members_common import NEIGHBOURS_ZOOM, MembersRun
from pages.shared import show_map, tr


def picker_resets(prefix: str) -> dict[str, object]:
    """The picker's empty state for form ``prefix`` (a send sets it): no numbers, no
    pasted text, no answer about it."""
    return {
        f"{prefix}_lat": "",
        f"{prefix}_lon": "",
        f"{prefix}_paste": "",
        f"_{prefix}_paste_read": None,
    }


def _read_paste(run: MembersRun, prefix: str) -> None:
    """The paste box's callback (before the widgets are drawn): a readable point fills
    the two numbers; anything else is answered with the sentence that says why."""
    text = str(st.session_state.get(f"{prefix}_paste") or "")
    if not text.strip():
        st.session_state.pop(f"_{prefix}_paste_read", None)
        return
    try:
        lat, lon = parse_location(text, run.city.bbox)
    except LocationTextError as refused:
        st.session_state[f"_{prefix}_paste_read"] = ("error", refused.text(run.lang))
        return
    st.session_state[f"{prefix}_lat"], st.session_state[f"{prefix}_lon"] = (
        f"{lat:.6f}",
        f"{lon:.6f}",
    )
    said = tr("mform.paste_read", lat=f"{lat:.5f}", lon=f"{lon:.5f}")
    st.session_state[f"_{prefix}_paste_read"] = ("success", said)


def location_picker(
    run: MembersRun,
    prefix: str,
    payload: render.MapPayload,
    label: str,
    center: tuple[float, float] | None = None,
) -> None:
    """A map whose click fills ``<prefix>_lat``/``<prefix>_lon`` (shown as a pin), a box
    that reads a pasted point or link into them, and the two numbers."""
    pending = f"_{prefix}_clicked"
    if pending in st.session_state:  # a click of the previous run, before the inputs
        st.session_state[f"{prefix}_lat"], st.session_state[f"{prefix}_lon"] = st.session_state.pop(
            pending
        )
        st.session_state.pop(f"_{prefix}_paste_read", None)
    lat = st.session_state.get(f"{prefix}_lat", "")
    lon = st.session_state.get(f"{prefix}_lon", "")
    point = params.coordinate(f"{lat},{lon}", run.city.bbox).value if lat and lon else None
    start = (point[0], point[1], label) if point is not None else None
    with st.container(key=f"{prefix}-location"):
        out = show_map(
            render.with_view(payload, start, None),
            run.city,
            key=f"{prefix}-map",
            height=380,
            container=f"{prefix}-map",
            returned_objects=["last_clicked"],
            center=center,
            zoom=NEIGHBOURS_ZOOM if center else None,
        )
        clicked = (out or {}).get("last_clicked")
        seen = f"_{prefix}_seen"
        if clicked and clicked != st.session_state.get(seen):
            st.session_state[seen] = clicked
            st.session_state[pending] = (f"{clicked['lat']:.5f}", f"{clicked['lng']:.5f}")
            st.rerun()
        st.text_input(
            tr("mform.paste"),
            key=f"{prefix}_paste",
            placeholder="42.4247, 18.7712",
            help=tr("mform.paste_help"),
            on_change=_read_paste,
            args=(run, prefix),
            max_chars=MAX_TEXT,
        )
        read = st.session_state.get(f"_{prefix}_paste_read")
        if read:
            (st.success if read[0] == "success" else st.error)(md(read[1]))
        c1, c2 = st.columns(2)
        c1.text_input(tr("mpage.lat"), key=f"{prefix}_lat", max_chars=32)
        c2.text_input(tr("mpage.lon"), key=f"{prefix}_lon", max_chars=32)
        st.caption(tr("mpage.location_help"))
