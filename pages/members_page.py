"""For members: how visible a venue is, and where members tell us what we do not know.

Layout only: the figures come from :mod:`mapping.members`, the usage counts from
:mod:`mapping.usage`, the suggestion store from :mod:`mapping.submissions`, and the
cards from the one map builder (:mod:`mapping.render`), exactly as Explore draws them.

The venue lives in the URL (``?venue=<id>``) and so does the part of the page shown
(``?part=listing|update|event|new|overview``): one part is computed per run, so a
member reading their listing does not pay for the cluster table, and a map in a part
is never drawn hidden (Leaflet cannot size itself in a hidden tab).
"""

from __future__ import annotations

import streamlit as st

from mapping import clock, explore, i18n, render
from mapping.query import VenueFilter
from mapping.text import fold
from mapping.text import markdown_literal as md
from pages.shared import current_language, dataset, link_notice, show_map, sync_url, tr, url_choice

PARTS = ["listing", "update", "event", "new", "overview"]

data = dataset()
city = data.city
lang = current_language()
now = clock.now(city.timezone)
today = now.date()
venues = data.venues.set_index("id", drop=False)
names = i18n.localized_column(venues, "name", lang, city.languages)
category_labels = i18n.localized_column(data.categories.set_index("id"), "label", lang,
                                        city.languages)

st.title(tr("mpage.title"))
st.caption(tr("mpage.intro"))

refused: list[str] = []
if url_choice("part", PARTS, "listing"):
    refused.append(tr("mpage.part"))
part = st.segmented_control(tr("mpage.part"), PARTS, key="part", required=True,
                            format_func=lambda p: tr(f"mpage.part_{p}"))
sync_url("part", "listing")

ordered = sorted(venues.index, key=lambda v: fold(names[v]))
if part in ("listing", "update", "event"):
    if url_choice("venue", ["", *ordered], ""):
        refused.append(tr("params.venue"))
    st.selectbox(tr("mpage.pick"), ["", *ordered], key="venue",
                 format_func=lambda v: tr("mpage.pick_none") if not v else
                 f"{names[v]} · {category_labels.get(venues.at[v, 'category'], '')}",
                 help=tr("mpage.pick_help"))
sync_url("venue", "")
link_notice(refused)
venue_id = st.session_state.get("venue") or None


def visitor_cards(venue_id: str) -> None:
    """The card as Explore shows it, once per town language, side by side."""
    st.subheader(tr("mpage.as_visitors"))
    moment = clock.to_minute(now)
    columns = st.columns(len(city.languages))
    for column, card_lang in zip(columns, city.languages, strict=True):
        with column:
            st.markdown(f"**{card_lang.upper()}**")
            payload = explore.map_payload(data, VenueFilter(ids=(venue_id,)), card_lang,
                                          moment, moment)
            show_map(render.with_view(payload, None, venue_id), city,
                     key=f"card-{card_lang}", height=560, container=f"card-{card_lang}")
    row = venues.loc[venue_id]
    checked = str(row.get("checked") or "") or tr("mpage.never_checked")
    st.caption(tr("mpage.source", source=md(row.get("source") or ""), checked=md(checked)))


if part == "listing":
    if venue_id is None:
        st.info(tr("mpage.pick_first"))
    else:
        visitor_cards(venue_id)
