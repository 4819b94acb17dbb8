"""The For members page's suggestion forms: update a venue, a new venue, and what every
form shares (fields, the send button and its receipt); the event form is
``_members_event_form``, the location picker ``_members_location``.

Layout only: each field's check, label and limit come from :mod:`mapping.submissions`,
which also stores a suggestion as pending; nothing reaches the map before the
coordinator applies it from the command line.

A send is a button callback: it runs before the widgets of the next run are drawn, so
a stored suggestion empties the form by popping its widgets' keys (Streamlit's way to
reset a widget). The same suggestion already pending is not stored twice: the receipt
then names the first number (:class:`mapping.submissions.AlreadyPending`). Parts that
appear and disappear (the hours preview, the answers) sit inside fixed containers, so
the location map below them keeps its place in the page and is never redrawn blank.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Mapping, Sequence

import streamlit as st

from mapping import explore, i18n, submissions
from mapping.query import VenueFilter
from mapping.schema import VISIT_VALUES
from mapping.text import markdown_literal as md
from pages import _hours_editor
from pages._members_common import MembersRun, refusal_lines
from pages._members_link import link_sent, link_token
from pages._members_location import location_picker, picker_resets
from pages.shared import tr

_LOG = logging.getLogger(__name__)
DROP = object()
"""In :func:`empty_form`'s ``resets``: forget the key instead of setting it."""


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


def send(
    run: MembersRun,
    kind: str,
    prefix: str,
    venue: str | None,
    when: Callable[[], dict[str, str]] | None = None,
    resets: Mapping[str, object] | None = None,
) -> None:
    """Store the filled fields as a pending suggestion and say its reference, or say
    what each refused field needs (nothing is stored then). A callback: it runs before
    the widgets, so a stored (or already pending) suggestion empties the form.
    ``when`` adds the fields the pickers make (an event's ``start``/``end``);
    ``resets`` gives widgets their empty value (a field's is "", see :func:`empty_form`)."""
    names = submissions.field_names(kind, run.city.languages)
    fields = {name: st.session_state.get(f"{prefix}_{name}", "") for name in names}
    if when is not None:
        fields.update(when())
    if venue is not None:
        fields["venue_id"] = venue
    try:
        number = submissions.submit(run.data, kind, fields, db=run.db_path, client=client())
    except submissions.AlreadyPending as twin:  # a second send of the same: one row
        answer = ("info", refusal_lines(twin, run.lang))
    except submissions.Refused as refused:
        st.session_state[f"_{prefix}_result"] = ("error", refusal_lines(refused, run.lang))
        return
    except (sqlite3.Error, OSError):  # the store is unavailable: say so, keep the form
        _LOG.exception("suggestion not stored in %s", run.db_path)
        st.session_state[f"_{prefix}_result"] = ("error", [tr("mpage.store_unavailable")])
        return
    else:
        answer = ("success", [submissions.thanks(number, run.lang)])
        try:
            link_sent(run.db_path, number)  # sent with a personal link: "from the venue"
        except (sqlite3.Error, OSError):  # stored all the same; only the mark is missing
            _LOG.exception("suggestion %d not marked as sent with a personal link", number)
    st.session_state[f"_{prefix}_result"] = answer
    empty_form(prefix, names, {**picker_resets(prefix), **(resets or {})})


def empty_form(prefix: str, names: Sequence[str], resets: Mapping[str, object]) -> None:
    """Give every widget of the form its empty value (a field ``""``, or its value in
    ``resets``; ``DROP``: forget the key, for a widget the next run does not draw).

    Set, not deleted: a widget drawn again with the same default keeps, in the
    browser, what was typed into it when its key is only deleted (issue 20: "the form
    keeps the sent values"); a value set in Session State is sent to the browser.
    """
    wanted = {f"{prefix}_{name}": "" for name in names} | dict(resets)
    for key, value in wanted.items():
        if value is DROP:
            st.session_state.pop(key, None)
        else:
            st.session_state[key] = value


def send_button(
    run: MembersRun,
    kind: str,
    prefix: str,
    venue: str | None,
    *,
    when: Callable[[], dict[str, str]] | None = None,
    resets: Mapping[str, object] | None = None,
) -> None:
    """The form's send button, then the last send's answer under it (a receipt, the
    first number of a suggestion already received, or what to change)."""
    st.button(
        tr("mpage.send"),
        key=f"{prefix}_send",
        type="primary",
        on_click=send,
        args=(run, kind, prefix, venue, when, resets),
    )
    answer = st.session_state.get(f"_{prefix}_result")
    if answer:
        show = {"success": st.success, "info": st.info}.get(answer[0], st.error)
        show("\n\n".join(md(line) for line in answer[1]))


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
    with st.container(key="upd-hours"):  # fixed: its preview must not move the map below
        _hours_editor.hours_field(
            "upd_opening_hours",
            str(row.get("opening_hours") or ""),
            run.lang,
            run.city,
            max_chars=run.limits["opening_hours"],
        )
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
    send_button(
        run, "update", "upd", venue, resets={_hours_editor.seeded_key("upd_opening_hours"): DROP}
    )
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
    with st.container(key="new-hours"):
        _hours_editor.hours_field(
            "new_opening_hours", "", run.lang, run.city, max_chars=run.limits["opening_hours"]
        )
    send_button(
        run, "venue", "new", None, resets={_hours_editor.seeded_key("new_opening_hours"): DROP}
    )
