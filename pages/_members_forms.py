"""The For members page's suggestion forms: update a venue, add an event, a new venue.

Layout only: each field's check, label and limit come from :mod:`mapping.submissions`,
which also stores a suggestion as pending; nothing reaches the map before the
coordinator applies it from the command line.
"""

from __future__ import annotations

import logging
import sqlite3

import streamlit as st

from mapping import explore, hours, i18n, params, render, submissions
from mapping.query import VenueFilter
from mapping.schema import VISIT_VALUES
from mapping.text import markdown_literal as md
from pages._members_common import NEIGHBOURS_ZOOM, MembersRun
from pages._members_link import link_sent, link_token
from pages.shared import show_map, tr

_LOG = logging.getLogger(__name__)


def location_picker(
    run: MembersRun,
    prefix: str,
    payload: render.MapPayload,
    label: str,
    center: tuple[float, float] | None = None,
) -> None:
    """A map whose click fills ``<prefix>_lat``/``<prefix>_lon`` (shown as a pin)."""
    pending = f"_{prefix}_clicked"
    if pending in st.session_state:  # a click of the previous run, before the inputs
        st.session_state[f"{prefix}_lat"], st.session_state[f"{prefix}_lon"] = st.session_state.pop(
            pending
        )
    lat = st.session_state.get(f"{prefix}_lat", "")
    lon = st.session_state.get(f"{prefix}_lon", "")
    point = params.coordinate(f"{lat},{lon}", run.city.bbox).value if lat and lon else None
    start = (point[0], point[1], label) if point is not None else None
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
    c1, c2 = st.columns(2)
    c1.text_input(tr("mpage.lat"), key=f"{prefix}_lat", max_chars=32)
    c2.text_input(tr("mpage.lon"), key=f"{prefix}_lon", max_chars=32)
    st.caption(tr("mpage.location_help"))


def hours_field(run: MembersRun, prefix: str, venue: str | None = None) -> None:
    """``opening_hours`` with its check and its meaning in plain words, on every change;
    for an existing ``venue``, its card as it would read with these hours."""
    value = st.text_input(
        tr("mpage.hours"),
        key=f"{prefix}_opening_hours",
        placeholder=hours.EXAMPLE,
        help=tr("mpage.hours_help"),
        max_chars=run.limits["opening_hours"],
    )
    if not (value or "").strip():
        return
    problem, lines = submissions.describe_hours(value, run.lang, run.city, year=run.today.year)
    if problem is not None:
        st.error(md(problem.text(run.lang)))
        return
    st.success(md(tr("mpage.hours_read", hours="; ".join(lines))))
    if venue is not None:
        st.caption(tr("mpage.preview"))
        show_map(
            explore.card_preview(run.data, venue, value, run.lang, run.minute),
            run.city,
            key=f"{prefix}-preview",
            height=480,
            container=f"{prefix}-preview",
            center=run.at(venue),
            zoom=NEIGHBOURS_ZOOM,
        )


def text_fields(run: MembersRun, prefix: str, names: list[str]) -> None:
    """Plain text inputs; descriptions and the note as text areas."""
    for name in names:
        label = submissions.field_label(name, run.lang)
        if name.startswith("description_") or name == "note":
            st.text_area(label, key=f"{prefix}_{name}", max_chars=run.limits[name])
        else:
            st.text_input(label, key=f"{prefix}_{name}", max_chars=run.limits[name])


def choice_field(
    run: MembersRun, prefix: str, name: str, values: tuple[str, ...], *, empty: bool
) -> None:
    """A select box of a field's allowed values (``empty``: "don't know" first)."""
    labels = {v: submissions.choice_label(name, v, run.lang) for v in values}
    if empty:
        labels = {"": tr("mpage.unknown_choice"), **labels}
    st.selectbox(
        submissions.field_label(name, run.lang),
        list(labels),
        key=f"{prefix}_{name}",
        format_func=labels.__getitem__,
    )


def client() -> str:
    """This session's client key: the address the proxy forwards (trusted only with
    ``CREATIVE_MAP_TRUSTED_PROXY``), else the connection's (:mod:`mapping.submissions.clients`)."""
    forwarded = [v for v in st.context.headers.get_all("X-Forwarded-For") if isinstance(v, str)]
    remote = st.context.ip_address
    address = submissions.client_address(remote if isinstance(remote, str) else None, forwarded)
    return submissions.client_key(address, link_token())  # a personal link: its own client


def send(run: MembersRun, kind: str, prefix: str, venue: str | None) -> None:
    """Store the filled fields as a pending suggestion and say its reference, or say
    what each refused field needs (nothing is stored then). A callback: it runs before
    the widgets, so a stored suggestion empties the form."""
    names = submissions.field_names(kind, run.city.languages)
    fields = {name: st.session_state.get(f"{prefix}_{name}", "") for name in names}
    if venue is not None:
        fields["venue_id"] = venue
    try:
        number = submissions.submit(run.data, kind, fields, db=run.db_path, client=client())
    except submissions.Refused as refused:
        st.session_state[f"_{prefix}_result"] = ("error", refused.messages(run.lang))
        return
    except (sqlite3.Error, OSError):  # the store is unavailable: say so, keep the form
        _LOG.exception("suggestion not stored in %s", run.db_path)
        st.session_state[f"_{prefix}_result"] = ("error", [tr("mpage.store_unavailable")])
        return
    try:
        link_sent(run.db_path, number)  # sent with a personal link: "from the venue"
    except (sqlite3.Error, OSError):  # stored all the same; only the mark is missing
        _LOG.exception("suggestion %d not marked as sent with a personal link", number)
    st.session_state[f"_{prefix}_result"] = ("success", [submissions.thanks(number, run.lang)])
    for name in names:
        st.session_state.pop(f"{prefix}_{name}", None)


def send_button(run: MembersRun, kind: str, prefix: str, venue: str | None) -> None:
    """The form's send button, then the last send's answer under it."""
    st.button(
        tr("mpage.send"),
        key=f"{prefix}_send",
        type="primary",
        on_click=send,
        args=(run, kind, prefix, venue),
    )
    answer = st.session_state.get(f"_{prefix}_result")
    if answer:
        (st.success if answer[0] == "success" else st.error)(
            "\n\n".join(md(line) for line in answer[1])
        )


def pending_note(run: MembersRun, venue: str) -> None:
    """The venue's suggestions still waiting for review, so a member does not send the
    same one twice (numbers and days only: what was typed stays in the review)."""
    try:
        listed = submissions.listed(run.data.folder, db=run.db_path)
    except (sqlite3.Error, OSError):
        return
    waiting = [s for s in listed if s.venue_id == venue]
    if waiting:
        st.caption(
            i18n.plural(
                "mpage.pending",
                run.lang,
                len(waiting),
                numbers=", ".join(f"{s.reference} ({s.created:%Y-%m-%d})" for s in waiting),
            )
        )


def update_part(run: MembersRun, venue: str) -> None:
    """Suggest an update of the chosen venue: only the filled fields are sent."""
    row = run.venues.loc[venue]
    st.subheader(tr("mpage.update_heading", name=run.names[venue]))
    st.caption(tr("mpage.update_help"))
    current = str(row.get("opening_hours") or "") or tr("mpage.unknown")
    st.markdown(md(tr("mpage.hours_now", hours=current)))
    hours_field(run, "upd", venue)
    text_fields(run, "upd", [f"description_{code}" for code in run.city.languages])
    text_fields(run, "upd", ["website", "phone", "email"])
    choice_field(run, "upd", "visit", VISIT_VALUES, empty=True)
    st.markdown(f"**{submissions.field_label('lat', run.lang)}**")
    location_picker(
        run,
        "upd",
        explore.map_payload(run.data, VenueFilter(ids=(venue,)), run.lang, run.minute, run.minute),
        tr("mpage.new_location"),
        center=run.at(venue),
    )
    text_fields(run, "upd", ["note"])
    send_button(run, "update", "upd", venue)
    pending_note(run, venue)


def event_part(run: MembersRun, venue: str) -> None:
    """Suggest an event at the chosen venue."""
    lang = run.lang
    st.subheader(tr("mpage.event_heading", name=run.names[venue]))
    st.caption(tr("mpage.event_help"))
    text_fields(run, "evt", [f"title_{code}" for code in run.city.languages])
    event_labels = i18n.localized_column(
        run.data.event_categories.set_index("id"), "label", lang, run.city.languages
    )
    choices = {"": tr("mpage.choose"), **{str(k): str(v) for k, v in event_labels.items()}}
    st.selectbox(
        submissions.field_label("category", lang),
        list(choices),
        key="evt_category",
        format_func=choices.__getitem__,
    )
    timings = {v: submissions.choice_label("timing", v, lang) for v in submissions.TIMINGS}
    st.radio(
        submissions.field_label("timing", lang),
        list(timings),
        key="evt_timing",
        horizontal=True,
        format_func=timings.__getitem__,
    )
    c1, c2 = st.columns(2)
    c1.text_input(
        submissions.field_label("start", lang),
        key="evt_start",
        placeholder="2026-12-24T19:30",
        help=tr("mpage.when_help"),
        max_chars=run.limits["start"],
    )
    c2.text_input(
        submissions.field_label("end", lang),
        key="evt_end",
        placeholder="2026-12-24T21:00",
        help=tr("mpage.when_help"),
        max_chars=run.limits["end"],
    )
    choice_field(run, "evt", "free", submissions.FREE_VALUES, empty=True)
    text_fields(run, "evt", ["price", "url", "organiser", "note"])
    send_button(run, "event", "evt", venue)
    pending_note(run, venue)


def new_venue_part(run: MembersRun) -> None:
    """Suggest a creative place that is not on the map yet."""
    st.subheader(tr("mpage.new_heading"))
    st.caption(tr("mpage.new_help"))
    text_fields(run, "new", ["name"])
    labels = {str(k): str(v) for k, v in run.category_labels.items()}
    choices = {"": tr("mpage.choose"), **labels}
    st.selectbox(
        submissions.field_label("category", run.lang),
        list(choices),
        key="new_category",
        format_func=choices.__getitem__,
    )
    st.markdown(f"**{submissions.field_label('lat', run.lang)}**")
    location_picker(
        run,
        "new",
        explore.map_payload(run.data, VenueFilter(), run.lang, run.minute, run.minute),
        tr("mpage.new_location"),
    )
    text_fields(run, "new", ["note", "website", "phone", "email"])
    hours_field(run, "new")
    send_button(run, "venue", "new", None)
