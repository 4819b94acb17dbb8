"""What's on: events by day for a date range, on the map, and to the visitor's calendar.

Widgets are bound to the URL, like Explore. Venue links switch to Explore with
``?venue=<id>``, which selects the venue and opens its card.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from mapping import clock, render, whats_on
from mapping.events import day_label, month_label, occurrence_label
from mapping.text import markdown_literal as md
from pages.shared import (
    current_language,
    data_version,
    dataset,
    show_map,
    sync_url,
    tr,
    url_choice,
)

data = dataset()
city = data.city
lang = current_language()
now = clock.now(city.timezone)
category_labels = whats_on.category_labels(data, lang)
EXPLORE = "pages/explore_page.py"

with st.sidebar:
    st.header(tr("filters.heading"))
    picked = st.date_input(tr("whats_on.range"), value=whats_on.default_range(now),
                           key="range", bind="query-params", format="YYYY-MM-DD")
    all_categories = list(category_labels)
    url_choice("ecat", all_categories, all_categories, multi=True)
    chosen = st.multiselect(tr("whats_on.categories"), all_categories, key="ecat",
                            format_func=lambda c: category_labels.get(c, c))
    sync_url("ecat", all_categories)
    members = st.checkbox(tr("whats_on.members"), key="emembers", bind="query-params")
    text = st.text_input(tr("whats_on.search"), key="eq", bind="query-params",
                         help=tr("filters.search_help"))

st.title(tr("whats_on.heading"))
st.caption(tr("whats_on.intro"))

st.markdown(f"**{tr('whats_on.strip')}**")
st.bar_chart(whats_on.month_strip(data, now.date(), lang), height=180, stack=True,
             color=["#0077BB", "#BBBBBB"])

picked_range = whats_on.picked_range(picked)
if picked_range is None:
    st.info(tr("whats_on.pick_range"))
    st.stop()
first, last = picked_range
view = whats_on.whats_on(data, first, last, categories=tuple(chosen), members_only=members,
                         text=text or "", lang=lang)
names = whats_on.venue_names(data, lang)

if view.occurrences.empty:
    st.info(tr("events.none"))
    st.stop()

st.sidebar.markdown(f"**{tr('whats_on.count', count=len(view.occurrences))}**")


@st.cache_data(show_spinner=False, max_entries=64)
def _map_payload(folder: str, version: tuple, first, last, categories: tuple[str, ...],
                 members: bool, text: str, lang: str, now, _venues,
                 _lines) -> render.MapPayload:
    """The map's payload for one view, keyed on plain values so reruns and sessions reuse it.

    ``_venues`` and ``_lines`` (the view's venues and card lines, computed above) are not
    hashed: the folder, its version and the filters stand for them. ``now`` is to the
    minute, so a rerun within the minute keeps the same script and the map no remount.
    """
    options = render.MapOptions(now=now, extra_lines=_lines,
                                extra_title=tr("whats_on.map_events"))
    return render.build_payload(_venues, data.categories, city, lang, options)


payload = _map_payload(str(data.folder), data_version(data.folder), first, last,
                       tuple(chosen), members, text or "", lang, clock.to_minute(now),
                       view.venues, view.venue_lines)
show_map(payload, city, key="whats-on-map", height=420)


def ics_bytes(occurrences) -> bytes:
    """The .ics file for these occurrences (called when its button is clicked)."""
    return whats_on.calendar_file(data, occurrences, lang).data


# The whole list's file is made with the page (one file, a plain download link); each
# event's own file is made only when its button is clicked, not on every rerun.
st.download_button(tr("whats_on.download_all", count=view.in_calendar),
                   ics_bytes(view.occurrences), file_name="kotor-whats-on.ics",
                   mime="text/calendar", key="ics-all", disabled=view.in_calendar == 0)
if view.left_out:
    st.caption(tr("whats_on.left_out", count=view.left_out))


def explore_link(venue_id: str) -> None:
    """A link that opens Explore with this venue selected (and its card open)."""
    st.page_link(EXPLORE, label=md(tr("whats_on.at_venue", venue=names.get(venue_id, venue_id))),
                 icon=":material/place:", query_params={"venue": venue_id})


def show_event(row, key: str, *, downloadable: bool) -> None:
    """One event: when, title, venue link, category, details, link, .ics."""
    title = whats_on.event_title(row, lang, city.languages)
    category = category_labels.get(row["category"], row["category"])
    with st.container(border=True, key=f"event-{key}"):
        st.markdown(f"**{md(title)}**  \n{md(occurrence_label(row, lang))} · "
                    f"{md(category)}")
        explore_link(row["venue_id"])
        details = whats_on.event_details(row, lang, city.languages)
        if details:
            st.caption("  \n".join(md(d) for d in details))
        link = whats_on.event_link(row)
        if link:
            st.markdown(f"[{tr('whats_on.more_link')}]({link})")
        if downloadable:
            st.download_button(tr("whats_on.download_one"),
                               partial(ics_bytes, row.to_frame().T), key=f"ics-{key}",
                               file_name=f"{row['event_id']}.ics", mime="text/calendar")


for day, group in view.days:
    st.subheader(day_label(day, lang, year=True))
    for idx, row in group.iterrows():
        show_event(row, f"{day:%Y%m%d}-{row['event_id']}-{idx}", downloadable=True)

if view.unconfirmed:
    st.subheader(tr("whats_on.tbc_heading"))
    st.caption(tr("whats_on.tbc_note"))
    for (year, month), group in view.unconfirmed:
        st.markdown(f"**{md(month_label(year, month, lang))}**")
        for idx, row in group.iterrows():
            show_event(row, f"tbc-{year}{month:02d}-{row['event_id']}-{idx}", downloadable=False)
