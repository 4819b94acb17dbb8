"""What's on: events by day for a date range, on the map, and to the visitor's calendar.

Widgets are bound to the URL, like Explore. Venue links switch to Explore with
``?venue=<id>``, which selects the venue and opens its card.
"""

from __future__ import annotations

from functools import partial

import streamlit as st
from streamlit_folium import st_folium

from mapping import events as ev
from mapping import render, whats_on
from mapping.i18n import month_name
from mapping.text import markdown_literal as md
from pages.shared import current_language, dataset, local_now, sync_url, tr, url_choice

data = dataset()
city = data.city
lang = current_language()
now = local_now(city.timezone)
event_categories = data.event_categories.set_index("id")
EXPLORE = "pages/explore_page.py"

with st.sidebar:
    st.header(tr("filters.heading"))
    picked = st.date_input(tr("whats_on.range"), value=whats_on.default_range(now),
                           key="range", bind="query-params", format="YYYY-MM-DD")
    all_categories = list(event_categories.index)
    url_choice("ecat", all_categories, all_categories, multi=True)
    chosen = st.multiselect(tr("whats_on.categories"), all_categories, key="ecat",
                            format_func=lambda c: event_categories.loc[c, f"label_{lang}"])
    sync_url("ecat", all_categories)
    members = st.checkbox(tr("whats_on.members"), key="emembers", bind="query-params")
    text = st.text_input(tr("whats_on.search"), key="eq", bind="query-params",
                         help=tr("filters.search_help"))

st.title(tr("whats_on.heading"))
st.caption(tr("whats_on.intro"))

st.markdown(f"**{tr('whats_on.strip')}**")
st.bar_chart(whats_on.month_strip(data, now.date(), lang), height=180, stack=True,
             color=["#0077BB", "#BBBBBB"])

# One date (mid-selection, or a one-day link: the URL keeps a repeated date once) is a
# one-day range.
days = tuple(picked) if isinstance(picked, tuple | list) else (picked,)
if not days:
    st.info(tr("whats_on.pick_range"))
    st.stop()
first, last = days[0], days[-1]
view = whats_on.whats_on(data, first, last, categories=tuple(chosen), members_only=members,
                         text=text or "", lang=lang)
names = whats_on.venue_names(data, lang)

if view.occurrences.empty:
    st.info(tr("events.none"))
    st.stop()

st.sidebar.markdown(f"**{tr('whats_on.count', count=len(view.occurrences))}**")
# "now" to the minute: the same map on a rerun keeps the same script, so no remount
fmap = render.build_map(view.venues, data.categories, city, lang,
                        when=now.replace(second=0, microsecond=0),
                        extra_lines=view.venue_lines, extra_title=tr("whats_on.map_events"))
st_folium(fmap, key="whats-on-map", height=420, use_container_width=True, returned_objects=[])


def ics_bytes(occurrences) -> bytes:
    """The .ics file for these occurrences (called when its button is clicked)."""
    return whats_on.calendar_file(data, occurrences, lang).data


# The whole list's file is made with the page (one file, a plain download link); each
# event's own file is made only when its button is clicked, not on every rerun.
in_file = int(view.occurrences["confirmed"].sum())  # unconfirmed dates are left out
st.download_button(tr("whats_on.download_all", count=in_file), ics_bytes(view.occurrences),
                   file_name="kotor-whats-on.ics", mime="text/calendar", key="ics-all",
                   disabled=in_file == 0)
if in_file < len(view.occurrences):
    st.caption(tr("whats_on.left_out", count=len(view.occurrences) - in_file))


def explore_link(venue_id: str) -> None:
    """A link that opens Explore with this venue selected (and its card open)."""
    st.page_link(EXPLORE, label=md(tr("whats_on.at_venue", venue=names.get(venue_id, venue_id))),
                 icon=":material/place:", query_params={"venue": venue_id})


def show_event(row, key: str, *, downloadable: bool) -> None:
    """One event: when, title, venue link, category, details, link, .ics."""
    title = ev.localized(row, "title", lang, city.languages)
    category = event_categories[f"label_{lang}"].get(row["category"], row["category"])
    with st.container(border=True, key=f"event-{key}"):
        st.markdown(f"**{md(title)}**  \n{md(ev.occurrence_label(row, lang))} · "
                    f"{md(category)}")
        explore_link(row["venue_id"])
        details = whats_on.event_details(row, lang, city.languages)
        if details:
            st.caption("  \n".join(md(d) for d in details))
        url = str(row.get("url", "")).strip()
        if url.startswith(("http://", "https://")):
            st.markdown(f"[{tr('whats_on.more_link')}]({url.replace(')', '%29')})")
        if downloadable:
            st.download_button(tr("whats_on.download_one"),
                               partial(ics_bytes, row.to_frame().T), key=f"ics-{key}",
                               file_name=f"{row['event_id']}.ics", mime="text/calendar")


for day, group in view.days:
    st.subheader(ev.occurrence_label({"occurrence_start": day, "occurrence_end": day,
                                      "confirmed": True, "all_day": True}, lang, year=True))
    for idx, row in group.iterrows():
        show_event(row, f"{day:%Y%m%d}-{row['event_id']}-{idx}", downloadable=True)

if view.unconfirmed:
    st.subheader(tr("whats_on.tbc_heading"))
    st.caption(tr("whats_on.tbc_note"))
    for (year, month), group in view.unconfirmed:
        st.markdown(f"**{month_name(month, lang, long=True)} {year}**")
        for idx, row in group.iterrows():
            show_event(row, f"tbc-{year}{month:02d}-{row['event_id']}-{idx}", downloadable=False)
