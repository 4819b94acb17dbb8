"""The review console's "Links" part: members' personal links and outreach.

Not a page (``app.py``'s ``st.navigation`` lists the pages). Shown only to a signed-in
coordinator (``console_page.py`` checks), because it issues links and shows every
venue's usage counts. Layout only: which venues to ask comes from
:mod:`mapping.outreach` (Planning's "ask these first", the cluster overview's weakest),
the links from :mod:`mapping.links`, the downloads from ``_outreach``, the overview from
``_members_overview``.

Planning and the members' cluster overview hand venues over with :func:`hand_over`: the
ids travel in this browser session's state (never in the URL), so the console session,
which lives there too, is kept.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from mapping import clock, links, outreach, store
from mapping.text import fold
from pages._console_review import Review
from pages._members_common import MembersRun, members_run
from pages._members_overview import overview_part
from pages._outreach import outreach_part
from pages.shared import tr

HANDED_KEY = "_console_handed"  # venue ids handed over by Planning or the overview
GOTO_KEY = "_console_goto"  # the console part to open after a hand-over
PICK_KEY = "console_outreach_pick"
CONSOLE_PAGE = "pages/console_page.py"
_LOG = logging.getLogger(__name__)


def hand_over(venue_ids: list[str]) -> None:
    """Open the console's Links part with ``venue_ids`` chosen (from another page).

    ``query_params={}``: by default ``st.switch_page`` clears the URL's parameters and
    refuses to, since ``lang`` is bound to the language switch; an empty mapping drops
    the old page's parameters without that check, and the switch (whose value lives in
    the session) writes ``lang`` back on the next run."""
    st.session_state[HANDED_KEY] = list(venue_ids)
    st.session_state[GOTO_KEY] = "links"
    st.switch_page(CONSOLE_PAGE, query_params={})


def _take(venue_ids: list[str]) -> None:
    st.session_state[PICK_KEY] = venue_ids


def _revoke(where: store.Where, venue_id: str) -> None:
    try:
        count = links.revoke(where, venue_id, now=clock.utc_now())
    except store.Error:
        _LOG.exception("links of %s not revoked", venue_id)
        st.session_state["_console_revoked"] = ("error", tr("console.store_unavailable"))
        return
    st.session_state["_console_revoked"] = ("success", tr("console.revoked", count=count))


def base_url() -> str:
    """The app's address as this browser reached it (the links' base): the proxy's
    public name when there is one, since the browser's URL is what a member can open."""
    parts = urlsplit(str(st.context.url or ""))
    return f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else ""


def links_part(run: Review) -> None:
    """Choose venues, issue and download their links; every link, revocable; the cluster
    overview with usage counts (the coordinator sees all)."""
    mrun = members_run(run.data, run.lang)
    handed = st.session_state.pop(HANDED_KEY, None)
    if handed is not None:
        st.session_state[PICK_KEY] = [v for v in handed if v in mrun.venues.index]
    ordered = sorted(mrun.venues.index, key=lambda v: fold(mrun.names[v]))
    st.subheader(tr("console.outreach"))
    st.caption(tr("console.outreach_help"))
    left, right = st.columns(2)
    left.button(
        tr("console.take_asks"),
        key="console_take_asks",
        on_click=_take,
        args=(outreach.ask_first_ids(run.data),),
    )
    right.button(
        tr("console.take_weakest"),
        key="console_take_weakest",
        on_click=_take,
        args=(outreach.weakest_ids(run.data, mrun.today, run.lang),),
    )
    picked = st.multiselect(
        tr("console.outreach_pick"),
        ordered,
        key=PICK_KEY,
        format_func=lambda v: str(mrun.names[v]),
    )
    address = st.text_input(tr("console.base_url"), value=base_url(), key="console_base_url")
    if picked and address:
        outreach_part(mrun, list(picked), address, mrun.db_path)
    issued_links(mrun)
    overview_part(mrun, show_usage=True)


def issued_links(mrun: MembersRun) -> None:
    """Every issued link (never a token) and a revoke button per venue."""
    st.subheader(tr("console.links"))
    try:
        issued = links.listed(mrun.db_path)
    except store.Error:
        _LOG.exception("links not listed")
        st.error(tr("console.store_unavailable"))
        return
    answer = st.session_state.pop("_console_revoked", None)
    if answer:
        (st.success if answer[0] == "success" else st.error)(answer[1])
    if not issued:
        st.info(tr("console.no_links"))
        return
    now = clock.utc_now()
    names = [str(mrun.names.get(x.venue_id, x.venue_id)) for x in issued]
    st.dataframe(
        pd.DataFrame(
            {
                tr("console.col_venue"): names,
                tr("console.col_link"): [x.label for x in issued],
                tr("console.col_issued"): [f"{x.created:%Y-%m-%d}" for x in issued],
                tr("console.col_expires"): [f"{x.expires:%Y-%m-%d}" for x in issued],
                tr("console.col_state"): [
                    tr("console.link_revoked")
                    if x.revoked is not None
                    else tr("console.link_valid" if x.valid(now) else "console.link_expired")
                    for x in issued
                ],
            }
        ),
        hide_index=True,
        key="console_links_table",
    )
    with_valid = sorted({x.venue_id for x in issued if x.valid(now)})
    if with_valid:
        left, right = st.columns([3, 1])
        venue = left.selectbox(
            tr("console.revoke_pick"),
            with_valid,
            key="console_revoke_venue",
            format_func=lambda v: str(mrun.names.get(v, v)),
        )
        right.button(
            tr("console.revoke"),
            key="console_revoke",
            on_click=_revoke,
            args=(mrun.db_path, venue),
        )
