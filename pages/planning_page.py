"""Planning: seasonality, coverage as a range, ask these first, gaps, what-if, report.

Layout only: every figure comes from :mod:`mapping.coverage`, :mod:`mapping.what_if`,
:mod:`mapping.seasonality` and :mod:`mapping.planning`. The month choice, minutes and
categories live in the URL (``?pm=``, ``?pmin=``, ``?pcat=``); hypothetical venues live
in the session and in the URL (``?pv=`` values ``lat,lon,category,months``, read with
bounds by :func:`mapping.params.proposals`), so a proposal can be shared.

"Ask these first" links to the venue on the members' page (``/members?venue=<id>``):
its listing, and the form where the venue can tell us its hours.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from mapping import clock, i18n, params, planning, render
from mapping import coverage as cov
from mapping.gap_files import gaps_csv_bytes, gaps_geojson_bytes
from mapping.months import season_order
from mapping.render.coverage import coverage_layer
from mapping.seasonality import by_group, events_per_month, off_peak_ratio, per_month, seasonality
from mapping.what_if import what_if, with_proposals
from pages.shared import (
    asset_base,
    current_language,
    dataset,
    link_notice,
    set_url,
    sync_url,
    tr,
    url_choice,
)

PROPOSALS = "pv"
CLICKED = "_planning_click"

data = dataset()
city = data.city
lang = current_language()


plan = cov.build_plan(data)
categories = data.categories.set_index("id")
labels = i18n.localized_column(categories, "label", lang, city.languages)
category_ids = [c for c in categories.index if c in set(plan.venues["category"])] or list(
    categories.index
)

st.title(tr("planning.title"))
st.caption(tr("planning.intro"))

month_options = [planning.OFF_SEASON, *[str(m) for m in cov.MONTHS]]
refused = [tr("planning.months")] if url_choice("pm", month_options, planning.OFF_SEASON) else []
if url_choice("pcat", category_ids, category_ids, multi=True):
    refused.append(tr("planning.categories"))
if "pv_list" not in st.session_state:
    found = params.proposals(st.query_params.get_all(PROPOSALS), categories.index, city.bbox)
    st.session_state["pv_list"] = [params.proposal_text(p) for p in found.value]
    if found.refused:
        refused.append(tr("planning.whatif"))
link_notice(refused)

with st.sidebar:
    month_value = st.selectbox(
        tr("planning.months"),
        month_options,
        key="pm",
        format_func=lambda v: (
            tr("planning.off_season")
            if v == planning.OFF_SEASON
            else i18n.month_name(int(v), lang, long=True)
        ),
    )
    minutes = float(
        st.slider(
            tr("planning.minutes"),
            5,
            60,
            int(cov.DEFAULT_MINUTES),
            5,
            key="pmin",
            bind="query-params",
        )
    )
    picked = st.multiselect(
        tr("planning.categories"),
        category_ids,
        key="pcat",
        format_func=lambda c: str(labels.get(c, c)),
    )
sync_url("pm", planning.OFF_SEASON)
sync_url("pcat", category_ids)

months = tuple(planning.selected_months(month_value, data))
chosen_categories = tuple(picked) if picked else None
proposals = params.proposals(st.session_state["pv_list"], categories.index, city.bbox).value
changed = with_proposals(plan, proposals)

# ------------------------------------------------------------------ headline
season = seasonality(data)
ratio = off_peak_ratio(season, city.off_season_months, city.peak_months)
ranges = cov.ranges(changed, months, minutes, chosen_categories)
overall = ranges[-1]
c1, c2, c3, c4 = st.columns(4)
c1.metric(tr("planning.ratio"), "–" if ratio is None else f"{ratio:.2f}")
c2.metric(tr("planning.known_share"), planning.percent(overall.share_residents_known, lang))
c3.metric(tr("planning.possible_share"), planning.percent(overall.share_residents_possible, lang))
c4.metric(
    tr("planning.settlements_share"),
    f"{overall.settlements_known}–{overall.settlements_possible} / {overall.settlements_total}",
)
st.caption(planning.population_note(plan, lang))

# ------------------------------------------------------------------ map and what-if
st.subheader(tr("planning.map"))
status = cov.settlement_status(changed, months, minutes, chosen_categories)
shown = pd.Series(cov.open_venues(changed, months, chosen_categories))
out = st_folium(
    render.base_map(city, asset_base=asset_base()),
    key="planning-map",
    height=460,
    use_container_width=True,
    returned_objects=["last_clicked"],
    feature_group_to_add=coverage_layer(changed, status, minutes, lang, shown),
)
st.caption(tr("planning.map_help"))
clicked = (out or {}).get("last_clicked")
if clicked:
    st.session_state[CLICKED] = (float(clicked["lat"]), float(clicked["lng"]))

st.subheader(tr("planning.whatif"))
st.caption(tr("planning.whatif_help"))
w1, w2 = st.columns(2)
new_category = w1.selectbox(
    tr("planning.whatif_category"),
    category_ids,
    key="pv_cat",
    format_func=lambda c: str(labels.get(c, c)),
)
new_months = w2.multiselect(
    tr("planning.whatif_months"),
    list(cov.MONTHS),
    default=list(season_order(city.off_season_months)),
    key="pv_months",
    format_func=lambda m: i18n.month_name(m, lang, long=True),
)
b1, b2 = st.columns(2)
if b1.button(tr("planning.whatif_add"), key="pv_add"):
    point = st.session_state.get(CLICKED)
    if point is None or not new_months:
        st.warning(tr("planning.whatif_click_first"))
    else:
        proposal = params.Proposal(
            round(point[0], 5), round(point[1], 5), new_category, tuple(sorted(new_months))
        )
        st.session_state["pv_list"] = [
            *st.session_state["pv_list"],
            params.proposal_text(proposal),
        ][: params.MAX_PROPOSALS]
        st.session_state.pop(CLICKED, None)
        set_url(PROPOSALS, st.session_state["pv_list"])
        st.rerun()
if b2.button(tr("planning.whatif_clear"), key="pv_clear"):
    st.session_state["pv_list"] = []
    set_url(PROPOSALS, None)
    st.rerun()
if proposals:
    set_url(PROPOSALS, st.session_state["pv_list"])
    result = what_if(plan, proposals, planning.off_season(data), minutes, chosen_categories)
    st.write(tr("planning.whatif_count", count=len(proposals)))
    st.dataframe(
        [
            {
                "": planning.month_label(b.month, lang),
                tr("planning.before"): planning.range_text(b, lang),
                tr("planning.after"): planning.range_text(a, lang),
            }
            for b, a in zip(result.before, result.after, strict=True)
        ],
        hide_index=True,
        key="pv_table",
    )
    st.write(tr("planning.gaps_closed", count=len(result.closed)))

# ------------------------------------------------------------------ coverage range
st.subheader(tr("planning.coverage"))
st.dataframe(
    [{"": planning.month_label(r.month, lang), " ": planning.range_text(r, lang)} for r in ranges],
    hide_index=True,
    key="range_table",
)

# ------------------------------------------------------------------ seasonality
st.subheader(tr("planning.seasonality"))
monthly = by_group(season)
monthly["month_name"] = [f"{m:02d} {i18n.month_name(m, lang)}" for m in monthly["month"]]
st.bar_chart(
    monthly,
    x="month_name",
    y="hours",
    color="group",
    x_label="",
    y_label=tr("planning.chart_hours"),
)
totals = per_month(season)
st.dataframe(
    {
        "": [i18n.month_name(m, lang) for m in totals["month"]],
        tr("planning.chart_open"): totals["open"],
        tr("planning.chart_hours"): totals["hours"].round(0),
        tr("planning.chart_unknown"): totals["unknown"],
    },
    hide_index=True,
    key="season_table",
)
by_category = season.pivot_table(index="category", columns="month", values="open", aggfunc="sum")
by_category.index = [str(labels.get(c, c)) for c in by_category.index]
by_category.columns = [i18n.month_name(int(m), lang) for m in by_category.columns]
st.caption(tr("planning.chart_open"))
st.dataframe(by_category, key="season_by_category")
events = events_per_month(data, clock.now(city.timezone).year)
if not events.empty:
    st.markdown(f"**{tr('planning.events')}**")
    events["status"] = [
        tr("planning.confirmed") if c else tr("planning.unconfirmed") for c in events["confirmed"]
    ]
    events["month_name"] = [f"{m:02d} {i18n.month_name(m, lang)}" for m in events["month"]]
    st.bar_chart(
        events,
        x="month_name",
        y="events",
        color="status",
        x_label="",
        y_label=tr("planning.events"),
    )

# ------------------------------------------------------------------ ask these first
st.subheader(tr("planning.ask_first"))
st.caption(tr("planning.ask_help"))
asks = cov.ask_first(plan, months, minutes, chosen_categories)
if asks.empty:
    st.write(tr("planning.none"))
else:
    asks["link"] = [f"/members?venue={v}&lang={lang.upper()}" for v in asks["venue_id"]]
    st.dataframe(
        asks,
        hide_index=True,
        key="ask_table",
        column_config={"link": st.column_config.LinkColumn(display_text="↗")},
    )

# ------------------------------------------------------------------ gaps
st.subheader(tr("planning.gaps"))
gap_list = cov.gaps(changed, months, minutes)
st.dataframe(planning.shown_gaps(gap_list, lang), hide_index=True, key="gap_table")
d1, d2, d3 = st.columns(3)
d1.download_button(
    tr("planning.download_csv"),
    gaps_csv_bytes(gap_list),
    file_name="gaps.csv",
    mime="text/csv",
    key="dl_csv",
)
d2.download_button(
    tr("planning.download_geojson"),
    gaps_geojson_bytes(gap_list),
    file_name="gaps.geojson",
    mime="application/geo+json",
    key="dl_geojson",
)
d3.download_button(
    tr("planning.download_report"),
    planning.report_html(
        data, changed, planning.Selection(months, minutes, chosen_categories), lang
    ).encode("utf-8"),
    file_name="planning-report.html",
    mime="text/html",
    key="dl_report",
)
