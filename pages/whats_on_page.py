"""What's on: events for a date range, on the map, and to the visitor's calendar.

The range lives in the URL (``range=YYYY-MM-DD`` twice), so a shared link, a reload and
the browser's Back after a venue link all show the same days. It is chosen three ways,
each setting the other two in a callback (before the page runs):

- **presets** that look ahead (this weekend, the next 7 or 30 days, this month, next
  month, the off-season; :data:`mapping.whats_on.PRESETS`), or "other dates";
- **From / To**: two select boxes of days written in the chosen language. Streamlit's
  ``st.date_input`` is not used: its calendar pop-up names months and weekdays only in
  English and offers only backward presets ("Past week … Past 2 years"), which would put
  English into the Montenegrin and German pages. A select box of localized days (type to
  search) works the same in every language;
- a click on a month of the **month strip** (a Vega-Lite point selection), which makes
  the range that month. The chart's key carries the range, so after any change it
  starts without a stale selection and the same month can be clicked again.

The range and the filters sit in a popover above the list, labelled with how many are
on (``pages._chrome.filters_popover``). The list comes first (on a phone it is above
the chart and the map; on a wide screen
the chart and map sit beside it). Venue links switch to Explore with ``?venue=<id>``.
The venues of the event cards on screen count as shown (``mapping.usage``), once per
change of the list (``pages.shared.count_shown``).
"""

from __future__ import annotations

from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from mapping import clock, params, whats_on
from mapping.events import day_label, month_label, occurrence_label
from mapping.i18n import plural
from mapping.text import markdown_literal as md
from mapping.text import slug
from pages.shared import (
    bound_flag,
    bound_text,
    count_shown,
    current_language,
    dataset,
    filters_checked,
    filters_popover,
    link_notice,
    set_url,
    show_map,
    sync_url,
    tr,
    url_choice,
)

data = dataset()
city = data.city
lang = current_language()
now = clock.now(city.timezone)
today = now.date()
off_season = city.off_season_months
category_labels = whats_on.category_labels(data, lang)
EXPLORE = "pages/explore_page.py"
RANGE = "range"
PERIOD, FIRST, LAST = "period", "range-first", "range-last"
FILTERS = "whats-on-filters"


def _set_range(first: date, last: date, *, period: str | None = None) -> None:
    """Put a range into the widgets' state (in a callback, or before the widgets exist)."""
    st.session_state[FIRST], st.session_state[LAST] = first, last
    st.session_state[PERIOD] = period or whats_on.matching_preset(first, last, today, off_season)


def _preset_chosen() -> None:
    period = st.session_state[PERIOD]
    if period != whats_on.CUSTOM:
        _set_range(*whats_on.preset_range(period, today, off_season), period=period)


def _day_chosen(moved: str) -> None:
    """From or To changed: keep From <= To (the other end follows), name the preset."""
    first, last = st.session_state[FIRST], st.session_state[LAST]
    if first > last:
        first, last = (first, first) if moved == FIRST else (last, last)
    _set_range(first, last)


def _month_clicked(chart_key: str) -> None:
    picked = whats_on.month_from_selection(st.session_state[chart_key].selection)
    if picked is not None:
        _set_range(*whats_on.month_range(*picked))


# The range: from the widgets' state, else the URL (a link, Back, a page switch), else
# the default preset.
refused: list[str] = []  # labels of this link's settings that could not be used
if FIRST not in st.session_state or LAST not in st.session_state:
    from_url = params.day_range(st.query_params.get_all(RANGE), today)
    if from_url.refused:
        refused.append(tr("whats_on.range"))
    _set_range(
        *(from_url.value or whats_on.preset_range(whats_on.DEFAULT_PRESET, today, off_season))
    )

all_categories = list(category_labels)
if url_choice("ecat", all_categories, all_categories, multi=True):
    refused.append(tr("whats_on.categories"))
default_range = whats_on.preset_range(whats_on.DEFAULT_PRESET, today, off_season)


def _active_filters(chosen: list[str], members: bool, text: str) -> int:
    """How many filters differ from the page's opening view (the filters button says it):
    the dates, the categories, members only, the search."""
    dates = (st.session_state[FIRST], st.session_state[LAST]) != default_range
    return sum((dates, set(chosen) != set(all_categories), members, bool(text.strip())))


st.title(tr("whats_on.heading"))
st.caption(tr("whats_on.intro", city=city.name))
expected = _active_filters(st.session_state["ecat"], bound_flag("emembers"), bound_text("eq"))
with st.container(horizontal=True, key="whats-on-bar"), filters_popover(FILTERS, expected, lang):
    periods = [*whats_on.presets(off_season), whats_on.CUSTOM]
    st.radio(
        tr("whats_on.range"),
        periods,
        key=PERIOD,
        on_change=_preset_chosen,
        format_func=partial(whats_on.preset_label, lang=lang, off_season_months=off_season),
    )
    days = whats_on.day_choices(today, st.session_state[FIRST], st.session_state[LAST])
    label = partial(day_label, lang=lang, year=True)
    st.selectbox(
        tr("whats_on.from"),
        days,
        key=FIRST,
        format_func=label,
        on_change=_day_chosen,
        args=(FIRST,),
    )
    st.selectbox(
        tr("whats_on.to"), days, key=LAST, format_func=label, on_change=_day_chosen, args=(LAST,)
    )
    chosen = st.multiselect(
        tr("whats_on.categories"),
        all_categories,
        key="ecat",
        format_func=lambda c: category_labels.get(c, c),
    )
    sync_url("ecat", all_categories)
    members = st.checkbox(tr("whats_on.members"), key="emembers", bind="query-params")
    text = st.text_input(
        tr("whats_on.search"),
        key="eq",
        bind="query-params",
        help=tr("filters.search_help"),
        max_chars=params.MAX_TEXT,
    )
filters_checked(FILTERS, _active_filters(chosen, members, text or ""))

first, last = st.session_state[FIRST], st.session_state[LAST]
set_url(RANGE, whats_on.range_param(first, last))
link_notice(refused)

view = whats_on.whats_on(
    data, first, last, categories=tuple(chosen), members_only=members, text=text or "", lang=lang
)
names = whats_on.venue_names(data, lang)
listing, beside = st.columns([3, 2], gap="medium")


def ics_bytes(occurrences: pd.DataFrame) -> bytes:
    """The .ics file for these occurrences (called when its button is clicked)."""
    return whats_on.calendar_file(data, occurrences, lang).data


def explore_link(venue_id: str) -> None:
    """A link that opens Explore with this venue selected (and its card open)."""
    st.page_link(
        EXPLORE,
        label=md(tr("whats_on.at_venue", venue=names.get(venue_id, venue_id))),
        icon=":material/place:",
        query_params={"venue": venue_id},
    )


def show_event(row: pd.Series, key: str, *, downloadable: bool, year: bool = False) -> None:
    """One event: when, title, venue link, category, details, link, .ics."""
    title = whats_on.event_title(row, lang, city.languages)
    note = whats_on.event_title_note(row, lang, city.languages)
    category = category_labels.get(row["category"], row["category"])
    with st.container(border=True, key=f"event-{key}"):
        st.markdown(
            f"**{md(title)}**{f' _({md(note)})_' if note else ''}  \n"
            f"{md(occurrence_label(row, lang, year=year))} · {md(category)}"
        )
        explore_link(row["venue_id"])
        details = whats_on.event_details(row, lang, city.languages)
        if details:
            st.caption("  \n".join(md(d) for d in details))
        link = whats_on.event_link(row)
        if link:
            st.markdown(f"[{tr('whats_on.more_link')}]({link})")
        if downloadable:
            st.download_button(
                tr("whats_on.download_one"),
                partial(ics_bytes, row.to_frame().T),
                key=f"ics-{key}",
                file_name=f"{row['event_id']}.ics",
                mime="text/calendar",
            )


SHOWN_CARDS = "_events_shown"  # (view, cards shown): "show more" adds a page
view_key = (first, last, tuple(chosen), members, text or "", lang)


def _shown_cards(key: tuple[object, ...]) -> int:
    """Cards to draw for this view: a page, or more after "show more" (a new view starts
    again with one page)."""
    seen = st.session_state.get(SHOWN_CARDS)
    return seen[1] if seen and seen[0] == key else whats_on.LIST_PAGE


def _more_cards(key: tuple[object, ...], on_screen: int) -> None:
    st.session_state[SHOWN_CARDS] = (key, on_screen + whats_on.LIST_PAGE)


with listing:
    st.subheader(md(whats_on.range_label(first, last, lang)))
    if view.occurrences.empty:
        st.info(tr("events.none"))
    else:
        st.markdown(f"**{md(whats_on.count_text(view, first, last, lang))}**")
        # The whole list's file is made with the page (one file, a plain download link);
        # each event's own file only when its button is clicked. No button offers 0 events.
        if view.in_calendar:
            everything = whats_on.calendar_of_view(
                data,
                first,
                last,
                categories=tuple(chosen),
                members_only=members,
                text=text or "",
                lang=lang,
                stamp=clock.to_minute(now),
            )
            st.download_button(
                plural("whats_on.download_all", lang, view.in_calendar),
                everything,
                file_name=f"{slug(city.name)}-whats-on.ics",
                mime="text/calendar",
                key="ics-all",
            )
        else:
            st.caption(tr("whats_on.nothing_to_download"))
        if view.left_out and view.in_calendar:
            st.caption(plural("whats_on.left_out", lang, view.left_out))

    cards = whats_on.list_page(view, _shown_cards(view_key))
    count_shown(data, "whats_on", whats_on.page_venues(cards), today)
    if not cards.ongoing.empty:
        st.subheader(tr("whats_on.ongoing_heading"))
        st.caption(plural("whats_on.ongoing_note", lang, whats_on.LONG_RUNNING_DAYS))
        for idx, row in cards.ongoing.iterrows():
            show_event(row, f"ongoing-{row['event_id']}-{idx}", downloadable=True, year=True)

    for day, group in cards.days:
        st.subheader(day_label(day, lang, year=True))
        for idx, row in group.iterrows():
            show_event(row, f"{day:%Y%m%d}-{row['event_id']}-{idx}", downloadable=True)

    if cards.unconfirmed:
        st.subheader(tr("whats_on.tbc_heading"))
        st.caption(tr("whats_on.tbc_note"))
        for (year, month), group in cards.unconfirmed:
            st.markdown(f"**{md(tr('whats_on.tbc_month', month=month_label(year, month, lang)))}**")
            for idx, row in group.iterrows():
                show_event(
                    row, f"tbc-{year}{month:02d}-{row['event_id']}-{idx}", downloadable=False
                )

    if cards.shown < cards.total:
        st.caption(tr("near.shown", shown=cards.shown, total=cards.total))
        st.button(
            tr("near.show_more"),
            key="events-more",
            on_click=_more_cards,
            args=(view_key, cards.shown),
        )

with beside:
    st.markdown(f"**{tr('whats_on.strip')}**")
    st.caption(tr("whats_on.strip_hint"))
    chart_key = f"strip-{first:%Y%m%d}-{last:%Y%m%d}"
    st.vega_lite_chart(
        whats_on.month_strip(data, today, lang, (first, last)),
        whats_on.month_strip_spec(lang),
        key=chart_key,
        on_select=partial(_month_clicked, chart_key),
        selection_mode=whats_on.STRIP_SELECTION,
        width="stretch",
    )
    if not view.venues.empty:
        payload = whats_on.map_payload(
            data,
            first,
            last,
            categories=tuple(chosen),
            members_only=members,
            text=text or "",
            lang=lang,
            now=clock.to_minute(now),
        )
        show_map(payload, city, key="whats-on-map", height=420)
