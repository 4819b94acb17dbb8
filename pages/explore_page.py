"""Explore: the visitors' map with filters, a start point and the venues nearest to it.

Every widget's value lives in the URL (``bind="query-params"``, or ids through
``url_choice``/``sync_url`` for choices), so a copied URL restores the view: language,
categories, time, filters, start point and selected venue.

Beside the map (below it on a phone), the nearest-first list
(``mapping.components.near_list``) selects a venue (``st.session_state["venue"]``,
mirrored to ``?venue=``) and follows the map's card; it also carries the map's "Start
here" to Python. A click on the map only closes a card: the start point moves when the
visitor says so ("Start here" on a card or a long press, "Near me", the start picker).
The bar above the map holds the filters (a popover labelled with how many are on,
``pages._chrome.filters_popover``; the start picker is in it too), "Near me" and the
result count, on every width: a phone reaches them without the sidebar.
Organisations without a place to visit are left out of the list and of the "open"
results unless the visitor ticks "include organisations" or searches by text; with a
time filter, venues whose hours are unknown are counted and can be included.

Usage (``mapping.usage``, no personal data): the entries on screen in the list count as
shown once per change of the list, and a card counts as opened when the selected venue
changes to a new one (list pick, marker click, ``?venue=`` link); see
``pages.shared.count_shown`` and ``count_opened``. Both only add to memory.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import streamlit as st

from mapping import clock, explore, i18n, params, render, schema
from mapping.components import locate, near_list
from mapping.distance import walk_model
from pages.shared import (
    asset_base,
    bound_flag,
    bound_text,
    count_opened,
    count_shown,
    current_language,
    dataset,
    filters_checked,
    filters_popover,
    link_notice,
    show_map,
    sync_url,
    tr,
    url_choice,
)

NEAR_SHOWN = "_near_shown"  # entries the list shows ("show more" adds a page)
LOCATED = "_located"  # the "lat,lon" that "Near me" last set as the start point
LOCATE_NOTE = "_locate_note"  # (level, text, start, pt) of the last "Near me" answer
CLICK = "click"
WHEN = ["any", "now", "at"]

data = dataset()
city = data.city
lang = current_language()
now = clock.now(city.timezone)

categories = data.categories.set_index("id")
category_label = i18n.localized_column(categories, "label", lang, city.languages)
landmarks = explore.start_points(data, lang)
start_options: list[str] = [*landmarks.index, CLICK]
default_start = city.default_start if city.default_start in landmarks.index else start_options[0]


def _located(answer: tuple[float, float] | str) -> None:
    """ "Near me" answered: start there if inside the study area, else say why not."""
    fallback = str(landmarks.loc[default_start, "label"])
    if isinstance(answer, tuple) and schema.inside_bbox(answer[1], answer[0], city.bbox):
        pt = f"{answer[0]:.5f},{answer[1]:.5f}"
        st.session_state.update({"start": CLICK, "pt": pt, LOCATED: pt})
        st.session_state[LOCATE_NOTE] = ("success", tr("near.locate_done"), CLICK, pt)
        return
    key = {"denied": "near.locate_denied", "unavailable": "near.locate_unavailable"}.get(
        answer if isinstance(answer, str) else "", "near.locate_outside"
    )
    st.session_state["start"] = default_start
    st.session_state[LOCATE_NOTE] = (
        "warning",
        tr(key, start=fallback),
        default_start,
        st.session_state.get("pt", ""),
    )


FILTERS = "explore-filters"


def _active_filters(
    chosen: list[str], text: str, when: str, flags: tuple[bool, ...], *, unknown: bool
) -> int:
    """How many filters differ from the page's opening view (the filters button says it):
    categories, search, time, each switch. The start point orders, it does not filter."""
    return sum(
        (set(chosen) != set(categories.index), bool(text.strip()), when != "any", *flags)
    ) + (unknown and when != "any")


refused: list[str] = []  # labels of this link's settings that could not be used
all_categories = list(categories.index)
if url_choice("cat", all_categories, all_categories, multi=True):
    refused.append(tr("filters.categories"))
if url_choice("when", WHEN, "any"):
    refused.append(tr("filters.when"))
if url_choice("start", start_options, default_start):
    refused.append(tr("near.start"))
expected = _active_filters(
    st.session_state["cat"],
    bound_text("q"),
    st.session_state["when"],
    (bound_flag("members"), bound_flag("access"), bound_flag("orgs")),  # literal names: docs
    unknown=bound_flag("unknown"),
)

with st.container(key="explore-head"):
    st.title(tr("app.title", city=city.name))
    st.caption(tr("app.tagline", city=city.name))
bar = st.container(horizontal=True, vertical_alignment="center", key="explore-bar")
with bar, filters_popover(FILTERS, expected, lang):
    chosen = st.multiselect(
        tr("filters.categories"),
        all_categories,
        key="cat",
        format_func=lambda c: category_label.get(c, c),
    )
    sync_url("cat", all_categories)
    text = st.text_input(
        tr("filters.search"),
        key="q",
        bind="query-params",
        help=tr("filters.search_help"),
        max_chars=params.MAX_TEXT,
    )
    when_labels = {w: tr(f"filters.when_{w}") for w in WHEN}
    when = st.radio(tr("filters.when"), WHEN, key="when", format_func=when_labels.get)
    sync_url("when", "any")
    on_day: date = now.date()
    at_time: time = time(10, 0)
    if when == "at":  # the bound widgets drop what they cannot read; the page says so
        first_day, last_day = params.date_window(now.date())
        if params.day(st.query_params.get_all("date"), now.date(), now.date()).refused:
            refused.append(tr("filters.date"))
        if params.clock_time(st.query_params.get_all("time"), at_time).refused:
            refused.append(tr("filters.time"))
        on_day = st.date_input(
            tr("filters.date"),
            value=now.date(),
            key="date",
            bind="query-params",
            min_value=first_day,
            max_value=last_day,
        )
        at_time = st.time_input(
            tr("filters.time"), value=time(10, 0), key="time", bind="query-params", step=1800
        )
    hours_box = st.container()  # the unknown-hours count and its switch, filled below
    members = st.checkbox(tr("filters.members"), key="members", bind="query-params")
    access = st.checkbox(tr("filters.wheelchair"), key="access", bind="query-params")
    include_orgs = st.checkbox(
        tr("filters.include_orgs"),
        key="orgs",
        bind="query-params",
        help=tr("filters.include_orgs_help"),
    )
    st.divider()
    start_labels = {**landmarks["label"].to_dict(), CLICK: tr("near.map_click")}
    start_key = st.selectbox(
        tr("near.start"),
        start_options,
        key="start",
        format_func=lambda key: str(start_labels.get(key, key)),
    )
    sync_url("start", default_start)
    point = st.text_input(
        tr("near.point"),
        key="pt",
        bind="query-params",
        disabled=start_key != CLICK,
        help=tr("near.click_hint"),
        max_chars=params.MAX_POINT_TEXT,
    )

timed = when in ("now", "at")
moment = explore.moment(when, now, on_day, at_time, city.timezone)
hide_orgs = explore.hides_organisations(text or "", include_orgs)
base_filter = explore.sidebar_filter(
    data,
    chosen,
    text=text or "",
    members_only=members,
    wheelchair=access,
    open_at=moment if timed else None,
    include_orgs=include_orgs,
)
unknown_hours = explore.unknown_hours(data, base_filter)
include_unknown = False
if timed:
    with hours_box:
        st.caption(tr("filters.unknown_count", count=unknown_hours))
        include_unknown = st.checkbox(
            tr("filters.include_unknown"), key="unknown", bind="query-params"
        )
venue_filter = replace(base_filter, unknown_hours=True) if include_unknown else base_filter
picked_point = params.coordinate(point, city.bbox)  # finite, inside the study area
bad_point = start_key == CLICK and picked_point.value is None
start = explore.start_point(
    default_start if bad_point else start_key, point, landmarks, tr("near.map_click")
)
if start_key == CLICK and point and point == st.session_state.get(LOCATED):
    start = (start[0], start[1], tr("near.my_location"))
shown = explore.filtered(data, venue_filter, lang)
model = walk_model(data)

with bar:
    locate.locate(
        locate.data(tr("near.locate"), tr("near.locating"), asset_base()),
        key="locate",
        on_position=_located,
    )
    st.markdown(
        f"**{tr('filters.count', shown=len(shown), total=len(data.venues))}**", width="content"
    )
active = _active_filters(
    chosen, text or "", when, (members, access, include_orgs), unknown=include_unknown
)
filters_checked(FILTERS, active)
note = st.session_state.get(LOCATE_NOTE)
if note and (note[2], note[3] if note[2] == CLICK else "") == (
    start_key,
    point if start_key == CLICK else "",
):
    (st.success if note[0] == "success" else st.warning)(note[1])
elif note:  # the start point has moved on since: the answer no longer applies
    del st.session_state[LOCATE_NOTE]
if timed:
    st.caption(tr("explore.unknown_hours_note"))

if url_choice("venue", ["", *shown["id"]], ""):
    refused.append(tr("params.venue"))
selected = st.session_state["venue"] or None
count_opened(data, selected, now.date())
link_notice(refused)
if bad_point and picked_point.refused:
    st.warning(tr("params.bad_point", start=start[2]), icon=":material/wrong_location:")


payload = render.with_view(
    explore.map_payload(data, venue_filter, lang, clock.to_minute(now), clock.to_minute(moment)),
    start,
    selected,
)
map_column, list_column = st.columns([3, 2], gap="medium")
with map_column:
    show_map(payload, city, key="explore-map", height=520)


def _pick(venue_id: str) -> None:
    """An entry chosen in the list, or a card opened or closed on the map."""
    st.session_state["venue"] = venue_id


def _more(on_screen: int) -> None:
    st.session_state[NEAR_SHOWN] = on_screen + explore.NEAR_LIMIT


def _include_unknown() -> None:
    st.session_state["unknown"] = True


def _start_here(value: str) -> None:
    """ "Start here" on a card or a long press: that point, if inside the study area."""
    if params.coordinate(value, city.bbox).value is not None:
        st.session_state.update({"start": CLICK, "pt": value})


listed, left_out = explore.nearest_first(data, venue_filter, lang, start, hide_orgs)
offer_unknown = timed and unknown_hours > 0 and not include_unknown
entries: list[explore.NearEntry] = []
with list_column:
    if listed.empty:
        st.info(
            tr("filters.none_unknown_hours", count=unknown_hours)
            if offer_unknown
            else tr("filters.none")
        )
    else:
        with st.container(key="near-head"):  # a phone shows the heading only
            st.subheader(tr("near.heading", start=start[2]))
            st.caption(tr("near.pick_hint"))
        limit = explore.page_limit(
            st.session_state.get(NEAR_SHOWN, explore.NEAR_LIMIT), listed["id"], selected
        )
        entries = explore.nearest_entries(
            data, venue_filter, lang, start, hide_orgs, limit, moment, timed
        )
    count_shown(data, "explore", [e["id"] for e in entries], now.date())
    # mounted even when empty: it carries the map's "Start here" to Python
    near_list.near_list(
        near_list.data(
            entries,
            selected=selected,
            total=len(listed),
            label=tr("near.list_label", start=start[2]),
            shown=tr("near.shown", shown=len(entries), total=len(listed)),
            more=tr("near.show_more"),
            asset_base=asset_base(),
        ),
        key="near-list",
        on_pick=_pick,
        on_more=_more,
        on_start=_start_here,
    )
    if offer_unknown and not listed.empty:
        st.caption(tr("filters.unknown_count", count=unknown_hours))
    if offer_unknown:
        st.button(
            tr("near.include_unknown_button"), key="include-unknown", on_click=_include_unknown
        )
    if left_out:
        st.caption(tr("near.orgs_left_out", count=left_out))
    if not listed.empty:
        st.caption(model.describe(lang))

sync_url("venue", "")
