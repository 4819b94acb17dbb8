"""Outreach, as a part of a page: choose venues, issue their personal links, download.

Not a page and not gated here: the coordinator's console (behind its login) places it
where the venues to ask come from (Planning's "ask these first", the cluster overview)
and passes their ids. Layout only: the links come from :mod:`mapping.links`, the rows,
the CSV and the sheets from :mod:`mapping.outreach`. The new links exist only in this
session's two downloads (the database keeps their hashes).
"""

from __future__ import annotations

import logging

import streamlit as st

from mapping import clock, outreach, store
from mapping.text import markdown_literal as md
from pages._members_common import MembersRun
from pages.shared import tr

FILES_STATE = "_outreach_files"  # (csv bytes, sheets bytes, count) of the last issue
_LOG = logging.getLogger(__name__)


def _issue(run: MembersRun, chosen: list[str], base_url: str, where: store.Where) -> None:
    """Issue a link per chosen venue and keep the two downloads for this session."""
    st.session_state.pop(FILES_STATE, None)
    try:
        issued = outreach.issue_links(
            where, chosen, base_url, now=clock.utc_now(), days=run.city.link_days
        )
    except (store.Error, OSError) as exc:
        _LOG.warning("outreach links not issued: members' database %s: %s", where, exc)
        st.error(tr("outreach.store_unavailable"))
        return
    found = outreach.rows(run.data, issued, run.lang, run.today)
    st.session_state[FILES_STATE] = (
        outreach.csv_bytes(found, run.lang),
        outreach.sheets_html(run.data, found, run.lang, run.today).encode("utf-8"),
        len(found),
    )


def outreach_part(run: MembersRun, venue_ids: list[str], base_url: str, where: store.Where) -> None:
    """Checkboxes for ``venue_ids`` (all ticked), then "Issue links and download": a new
    link per ticked venue in a mail-merge CSV and printable sheets (:mod:`mapping.outreach`)."""
    known = [v for v in dict.fromkeys(venue_ids) if v in run.venues.index]
    st.markdown(f"**{tr('outreach.pick')}**")
    chosen = [
        venue
        for venue in known
        if st.checkbox(md(str(run.names[venue])), value=True, key=f"outreach_{venue}")
    ]
    if st.button(tr("outreach.issue"), key="outreach_issue", help=tr("outreach.issue_help")):
        if chosen:
            _issue(run, chosen, base_url, where)
        else:
            st.session_state.pop(FILES_STATE, None)
            st.info(tr("outreach.none_chosen"))
    files = st.session_state.get(FILES_STATE)
    if not files:
        return
    csv, sheets, count = files
    st.success(tr("outreach.issued", count=count))
    left, right = st.columns(2)
    stamp = run.today.isoformat()
    left.download_button(
        tr("outreach.download_csv"),
        csv,
        file_name=f"links-{stamp}.csv",
        mime="text/csv",
        key="outreach_csv",
    )
    right.download_button(
        tr("outreach.download_sheets"),
        sheets,
        file_name=f"links-{stamp}.html",
        mime="text/html",
        key="outreach_sheets",
    )
