"""For members: how visible a venue is, and where members tell us what we do not know.

Layout only: the figures come from :mod:`mapping.members`, the usage counts from
:mod:`mapping.usage`, the suggestion store from :mod:`mapping.submissions`, and the
cards from the one map builder (:mod:`mapping.render`), exactly as Explore draws them.
Each part of the page is laid out by a module of its own, imported here (they are not
pages: ``app.py``'s ``st.navigation`` lists the pages): ``_members_listing`` (your
listing), ``_members_forms`` (the update and new-venue forms, with ``_members_location``,
the location picker), ``_members_event_form`` (the event form), ``_members_overview``
(the cluster overview).

The venue lives in the URL (``?venue=<id>``) and so does the part of the page shown
(``?part=listing|update|event|new|overview``), and so does a member's personal link
(``?key=<token>``, ``_members_link``: it fixes the venue to the link's and adds the
owner's suggestions and usage counts; a refused key stops the page). One part is
computed per run, so a member reading their listing does not pay for the cluster
table, and a map in a part is never drawn hidden (Leaflet cannot size itself in a hidden tab).
"""

from __future__ import annotations

import streamlit as st

from mapping import outreach
from mapping.text import fold
from pages._console_links import hand_over
from pages._console_session import signed_in
from pages._members_common import members_run
from pages._members_event_form import event_part
from pages._members_forms import new_venue_part, update_part
from pages._members_link import owner_link, suggestions_section, your_venue
from pages._members_listing import listing_part
from pages._members_overview import overview_part
from pages.shared import (
    current_language,
    dataset,
    link_notice,
    set_url,
    sync_url,
    tr,
    url_choice,
)

PARTS = ["listing", "update", "event", "new", "overview"]
# The parts about one chosen venue, and what lays each out. (A comment, not a string:
# Streamlit's "magic" would print a bare string of a page script on the page.)
VENUE_PARTS = {"listing": listing_part, "update": update_part, "event": event_part}

run = members_run(dataset(), current_language())

st.title(tr("mpage.title"))
st.caption(tr("mpage.intro"))
owner = owner_link(run)
coordinator = signed_in()  # a signed-in coordinator sees usage counts and hands venues over

refused: list[str] = []
if url_choice("part", PARTS, "listing"):
    refused.append(tr("mpage.part"))
# Labels are looked up now, not inside a format_func called later (AppTest calls it
# outside the run, where the page's language is not known).
part_labels = {p: tr(f"mpage.part_{p}") for p in PARTS}
part = st.segmented_control(
    tr("mpage.part"), PARTS, key="part", required=True, format_func=part_labels.__getitem__
)
sync_url("part", "listing")

if part in VENUE_PARTS and owner is not None:
    your_venue(run, owner)
elif part in VENUE_PARTS:
    ordered = sorted(run.venues.index, key=lambda v: fold(run.names[v]))
    if url_choice("venue", ["", *ordered], ""):
        refused.append(tr("params.venue"))
    category = run.venues["category"]
    picks = {
        "": tr("mpage.pick_none"),
        **{v: f"{run.names[v]} · {run.category_labels.get(category[v], '')}" for v in ordered},
    }
    st.selectbox(
        tr("mpage.pick"),
        list(picks),
        key="venue",
        format_func=picks.__getitem__,
        help=tr("mpage.pick_help"),
    )
if owner is None:
    sync_url("venue", "")
else:  # the link's venue, whatever ?venue= said
    set_url("venue", None)
link_notice(refused)
venue_id = owner.venue if owner is not None else st.session_state.get("venue") or None

if part in VENUE_PARTS:
    if venue_id is None:
        st.info(tr("mpage.pick_first"))
    elif part == "listing" and owner is not None:
        suggestions_section(run, owner)
        listing_part(run, venue_id, show_usage=True)
    elif part == "listing":
        listing_part(run, venue_id, show_usage=coordinator is not None)
    else:
        VENUE_PARTS[part](run, venue_id)
elif part == "new":
    new_venue_part(run)
else:
    overview_part(run, show_usage=coordinator is not None)  # the counts are not public
    if coordinator is not None and st.button(tr("console.hand_over"), key="overview_hand_over"):
        hand_over(outreach.weakest_ids(run.data, run.today, run.lang))
