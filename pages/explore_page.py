"""Explore: the visitors' map with filters, a start point and the venues nearest to it.

Every widget's value lives in the URL (``bind="query-params"``, or ids through
``url_choice``/``sync_url`` for choices), so a copied URL restores the view: language,
categories, time, filters, start point and selected venue.
"""

from __future__ import annotations

from datetime import date, datetime, time

import streamlit as st

from mapping import clock, explore, i18n, render
from mapping.distance import walk_model
from mapping.query import VenueFilter
from pages.shared import (
    current_language,
    data_version,
    dataset,
    show_map,
    sync_url,
    tr,
    url_choice,
)

PENDING_START = "_pending_start"
SEEN_CLICK = "_seen_click"
CLICK = "click"
WHEN = ["any", "now", "at"]

data = dataset()
city = data.city
lang = current_language()
now = clock.now(city.timezone)

# A map click from the previous run becomes the start point before widgets are drawn.
if PENDING_START in st.session_state:
    lat, lon = st.session_state.pop(PENDING_START)
    st.session_state["start"] = CLICK
    st.session_state["pt"] = f"{lat:.5f},{lon:.5f}"

categories = data.categories.set_index("id")
category_label = i18n.localized_column(categories, "label", lang, city.languages)
landmarks = explore.landmarks(data.places, lang, city.languages)

with st.sidebar:
    st.header(tr("filters.heading"))
    all_categories = list(categories.index)
    url_choice("cat", all_categories, all_categories, multi=True)
    chosen = st.multiselect(tr("filters.categories"), all_categories, key="cat",
                            format_func=category_label.get)
    sync_url("cat", all_categories)
    text = st.text_input(tr("filters.search"), key="q", bind="query-params",
                         help=tr("filters.search_help"))
    url_choice("when", WHEN, "any")
    when_labels = {w: tr(f"filters.when_{w}") for w in WHEN}
    when = st.radio(tr("filters.when"), WHEN, key="when", format_func=when_labels.get)
    sync_url("when", "any")
    on_day: date = now.date()
    at_time: time = time(10, 0)
    if when == "at":
        on_day = st.date_input(tr("filters.date"), value=now.date(), key="date",
                               bind="query-params")
        at_time = st.time_input(tr("filters.time"), value=time(10, 0), key="time",
                                bind="query-params", step=1800)
    members = st.checkbox(tr("filters.members"), key="members", bind="query-params")
    access = st.checkbox(tr("filters.wheelchair"), key="access", bind="query-params")
    start_options = [*landmarks.index, CLICK]
    default_start = (city.default_start if city.default_start in landmarks.index
                     else start_options[0])
    url_choice("start", start_options, default_start)
    start_key = st.selectbox(
        tr("near.start"), start_options, key="start",
        format_func={**landmarks["label"].to_dict(), CLICK: tr("near.map_click")}.get,
    )
    sync_url("start", default_start)
    point = st.text_input(tr("near.point"), key="pt", bind="query-params",
                          disabled=start_key != CLICK, help=tr("near.click_hint"))

moment = explore.moment(when, now, on_day, at_time, city.timezone)
venue_filter = VenueFilter(
    categories=tuple(chosen), text=text or "", members_only=members, wheelchair=access,
    open_at=moment if when in ("now", "at") else None,
)
start = explore.start_point(start_key, point, landmarks, tr("near.map_click"))
shown = explore.filtered(data, venue_filter, lang)
model = walk_model(data)
nearby = explore.near(shown, start, model)

st.title(tr("app.title"))
st.caption(tr("app.tagline"))
st.sidebar.markdown(f"**{tr('filters.count', shown=len(shown), total=len(data.venues))}**")
if when in ("now", "at"):
    st.caption(tr("explore.unknown_hours_note"))

venue_options = ["", *nearby["id"]]
names = dict(zip(nearby["id"], nearby["display_name"], strict=True))
url_choice("venue", venue_options, "")
selected = st.session_state["venue"] or None


@st.cache_data(show_spinner=False, max_entries=64)
def _map_payload(folder: str, version: tuple, filter_key: VenueFilter, lang: str,
                 start: tuple[float, float, str], selected: str | None, now: datetime,
                 when: datetime, _venues) -> render.MapPayload:
    """The map's payload for one view, keyed on plain values so reruns and sessions reuse it.

    Immutable data, not a folium tree: each run builds its own map around it. ``_venues``
    (the filtered venues, computed above) is not hashed: the folder, its version and
    ``filter_key`` stand for it. ``now`` and ``when`` are to the minute.
    """
    lines = explore.upcoming_lines(data, set(_venues["id"]), lang, when)
    options = render.MapOptions(now=now, when=when, start=start, selected=selected,
                                extra_lines=lines, landmarks=render.landmark_points(
                                    data.places, lang, city.languages),
                                extra_title=tr("explore.upcoming") if lines else "")
    return render.build_payload(_venues, data.categories, city, lang, options)


payload = _map_payload(str(data.folder), data_version(data.folder), venue_filter, lang, start,
                       selected, clock.to_minute(now), clock.to_minute(moment), shown)
out = show_map(payload, city, key="explore-map", height=520, returned_objects=["last_clicked"])
clicked = (out or {}).get("last_clicked")
if clicked and clicked != st.session_state.get(SEEN_CLICK):
    st.session_state[SEEN_CLICK] = clicked
    st.session_state[PENDING_START] = (clicked["lat"], clicked["lng"])
    st.rerun()

if shown.empty:
    st.info(tr("filters.none"))
else:
    st.subheader(tr("near.heading", start=start[2]))
    st.caption(tr("near.pick_hint"))
    listed = nearby.head(explore.NEAR_LIMIT)
    labels = explore.list_labels(listed, category_label, moment, city, lang)

    def _pick(venue_id: str) -> None:
        st.session_state["venue"] = venue_id

    for venue_id, label in zip(listed["id"], labels, strict=True):
        st.button(label, key=f"pick-{venue_id}", on_click=_pick, args=(venue_id,),
                  use_container_width=True,
                  type="primary" if venue_id == selected else "secondary")
    if len(nearby) > explore.NEAR_LIMIT:
        st.caption(tr("near.more", shown=explore.NEAR_LIMIT, total=len(nearby)))
    st.caption(model.describe(lang))

st.selectbox(tr("near.selected"), venue_options, key="venue",
             format_func={**names, "": tr("near.none_selected")}.get)
sync_url("venue", "")
