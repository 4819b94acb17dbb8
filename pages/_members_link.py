"""The For members page opened with a personal link (``?key=<token>``): the owner's view.

A valid key fixes the page to the link's venue (no venue choice, whatever ``?venue=``
says) and adds what only the owner sees: "Your suggestions" (everything sent through
the venue's links, with its status and the reviewer's reason) and the usage counts. A
refused key (unknown, revoked, expired, or its venue no longer in the data) says so and
the page stops there: nothing of any venue is shown. The token is read from the URL
each run, kept in this session only for the forms (:func:`link_token`: the limits count
the link as its own client; :func:`link_sent` marks a sent suggestion "from the venue"),
and never logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from mapping import clock, links, params, store
from mapping.text import markdown_literal as md
from pages._members_common import MembersRun
from pages.shared import tr

STATUS_KEYS = {
    "pending": "mlink.status_pending",
    "applied": "mlink.status_applied",
    "rejected": "mlink.status_rejected",
}
KIND_KEYS = {
    "update": "mlink.kind_update",
    "event": "mlink.kind_event",
    "venue": "mlink.kind_venue",
}
KEY_PARAM = "key"  # mapping.links.PARAM, written here for the README's URL table check
TOKEN_STATE = "_link_token"  # the valid token of this session's URL ("" = none)
_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Owner:
    """The page opened with a valid personal link of ``venue``."""

    token: str
    venue: str


def owner_link(run: MembersRun) -> Owner | None:
    """The owner of this run's ``?key=``, ``None`` without a key; a refused key is said
    (in the page's language) and stops the page: nothing of any venue runs after it."""
    st.session_state[TOKEN_STATE] = ""
    token = params.text(st.query_params.get_all(KEY_PARAM), links.MAX_TOKEN + 1).value.strip()
    if not token:
        return None
    try:
        venue = links.venue_for(run.db_path, token, now=clock.utc_now())
    except (store.Error, OSError) as exc:  # the error names the database, never the token
        _LOG.warning("personal link not checked: members' database %s: %s", run.db_path, exc)
        st.error(tr("mlink.unavailable"))
        st.stop()
    if venue is None or venue not in run.venues.index:
        st.error(tr("mlink.refused"), icon=":material/link_off:")
        st.stop()
    st.session_state[TOKEN_STATE] = token
    return Owner(token, venue)


def link_token() -> str | None:
    """The valid personal link of this session's page, for the forms (``None``: none)."""
    return st.session_state.get(TOKEN_STATE) or None


def link_sent(where: store.Where, number: int) -> None:
    """Mark suggestion ``number`` "from the venue" when it was sent with a personal link."""
    token = link_token()
    if token:
        links.attach(where, number, token)


def your_venue(run: MembersRun, owner: Owner) -> None:
    """The fixed venue, in place of the venue choice."""
    st.markdown(tr("mlink.yours", name=md(run.names[owner.venue])))


def suggestions_section(run: MembersRun, owner: Owner) -> None:
    """Every suggestion sent through the venue's links: reference, day, kind, status,
    reason (newest first)."""
    st.subheader(tr("mlink.suggestions"))
    try:
        sent = links.sent_through(run.db_path, owner.venue)
    except (store.Error, OSError) as exc:
        _LOG.warning("owner's suggestions not read from %s: %s", run.db_path, exc)
        st.error(tr("mlink.unavailable"))
        return
    if not sent:
        st.caption(tr("mlink.suggestions_none"))
        return
    st.caption(tr("mlink.suggestions_help"))
    frame = pd.DataFrame(
        {
            tr("mlink.col_ref"): [s.reference for s in sent],
            tr("mlink.col_sent"): [
                f"{clock.local(s.created, run.city.timezone):%Y-%m-%d %H:%M}" for s in sent
            ],
            tr("mlink.col_kind"): [tr(KIND_KEYS[s.kind]) for s in sent],
            tr("mlink.col_status"): [tr(STATUS_KEYS[s.status]) for s in sent],
            tr("mlink.col_reason"): [s.reason for s in sent],
        }
    )
    st.table(frame.set_index(tr("mlink.col_ref")))
