"""Planning: seasonality, coverage as a range, ask these first, gaps, what-if, report.

Layout only: every figure comes from :func:`mapping.planning.figures` (the same call the
printed report and the ``report`` command make), remembered per dataset and selection,
so a map click or a rerun for the same selection costs no computation. The headline,
map, tables and downloads are today's coverage; proposals only make the separate,
labelled scenario section. The report is built only when downloaded (a callable given
to ``st.download_button``), never on every rerun. The month choice, minutes and
categories live in the URL (``?pm=``, ``?pmin=``, ``?pcat=``); hypothetical venues live
in the session and in the URL (``?pv=`` values ``lat,lon,category,months``, read with
bounds by :func:`mapping.params.proposals`), so a proposal can be shared.

"Ask these first" links to the venue on the members' page (``/members?venue=<id>``):
its listing, and the form where the venue can tell us its hours.
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from mapping import clock, i18n, params, planning, seasonality
from mapping import coverage as cov
from mapping import planning_columns as columns
from mapping.gap_files import gaps_csv_bytes, gaps_geojson_bytes
from mapping.months import season_order
from mapping.planning_report import report_html
from mapping.render.coverage import coverage_layer, coverage_map
from pages._console_links import hand_over
from pages._console_session import signed_in
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
GAPS_CSV = "gaps.csv"  # the gap list's file name: the CSV download and the report's annex
CLICKED = "_planning_click"
NO_POINT = "_planning_no_point"  # "Add" was pressed before a map click: say so once
# A chart's whole box: Streamlit fits plot, axes and legend into it; with the box of
# the plot's height alone the plot shrank to a strip and its axis title was cut.
CHART_BOX = seasonality.CHART_HEIGHT + 180


def add_proposal() -> None:
    """The "Add" button's callback: runs before the page, so the one run that follows
    already shows every number with the new proposal (no second run via ``st.rerun``)."""
    point = st.session_state.get(CLICKED)
    chosen = st.session_state.get("pv_months") or []
    if point is None or not chosen:
        st.session_state[NO_POINT] = True
        return
    proposal = params.Proposal(
        round(point[0], 5), round(point[1], 5), st.session_state["pv_cat"], tuple(sorted(chosen))
    )
    added = [*st.session_state["pv_list"], params.proposal_text(proposal)]
    st.session_state["pv_list"] = added[: params.MAX_PROPOSALS]
    st.session_state.pop(CLICKED, None)


def clear_proposals() -> None:
    """The "Remove" button's callback (before the page runs, like :func:`add_proposal`)."""
    st.session_state["pv_list"] = []


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
# every category picked (the default) is "all categories", as in the files and commands
chosen_categories = tuple(picked) if picked and set(picked) != set(category_ids) else None
proposals = params.proposals(st.session_state["pv_list"], categories.index, city.bbox).value
selection = planning.Selection(months, minutes, chosen_categories)
fig = planning.figures(data, selection, tuple(proposals))  # today's; scenario apart
scope = planning.scope_text(data, selection, lang)

# ------------------------------------------------------------------ headline (today)
st.subheader(tr("planning.headline"))
overall = fig.ranges[-1]
c1, c2, c3, c4 = st.columns(4)
c1.metric(tr("planning.ratio"), planning.ratio_text(fig.ratio, lang))
c2.metric(tr("planning.known_share"), planning.share_text(overall.share_residents_known, lang))
c3.metric(
    tr("planning.possible_share"), planning.share_text(overall.share_residents_possible, lang)
)
c4.metric(
    tr("planning.settlements_share"),
    f"{i18n.number(overall.settlements_known, lang)}–"
    f"{i18n.number(overall.settlements_possible, lang)} / "
    f"{i18n.number(overall.settlements_total, lang)}",
)
st.caption(scope)
st.caption(planning.basis_line(fig, lang))
st.caption(planning.ratio_basis_text(fig, lang))

# ------------------------------------------------------------------ map (today) and what-if
st.subheader(tr("planning.map"))
map_plan, map_venues = planning.drawn(fig, lang)
out = st_folium(
    # today's settlements: the mounted map stays the same
    coverage_map(city, fig.plan, asset_base=asset_base()),
    key="planning-map",
    height=460,
    use_container_width=True,
    returned_objects=["last_clicked"],
    feature_group_to_add=coverage_layer(map_plan, fig.status, minutes, lang, map_venues),
)
st.caption(tr("planning.map_help"))
if proposals:
    st.caption(tr("planning.map_proposals"))
clicked = (out or {}).get("last_clicked")
if clicked:
    st.session_state[CLICKED] = (float(clicked["lat"]), float(clicked["lng"]))

st.subheader(tr("planning.whatif"))
st.caption(tr("planning.whatif_help"))
w1, w2 = st.columns(2)
w1.selectbox(
    tr("planning.whatif_category"),
    category_ids,
    key="pv_cat",
    format_func=lambda c: str(labels.get(c, c)),
)
w2.multiselect(
    tr("planning.whatif_months"),
    list(cov.MONTHS),
    default=list(season_order(city.off_season_months)),
    key="pv_months",
    format_func=lambda m: i18n.month_name(m, lang, long=True),
)
b1, b2 = st.columns(2)
b1.button(tr("planning.whatif_add"), key="pv_add", on_click=add_proposal)
b2.button(tr("planning.whatif_clear"), key="pv_clear", on_click=clear_proposals)
if st.session_state.pop(NO_POINT, False):
    st.warning(tr("planning.whatif_click_first"))
set_url(PROPOSALS, st.session_state["pv_list"] or None)
if fig.scenario is not None:
    result = fig.scenario
    with st.container(border=True):
        st.markdown(f"**{planning.scenario_title(result.proposals, lang)}**")
        st.caption(f"{tr('planning.scenario_note')} {tr('planning.scenario_table_help')} {scope}")
        st.write(tr("planning.whatif_count", count=result.proposals))
        st.dataframe(
            columns.what_if_table(result.before, result.after, lang),
            hide_index=True,
            key="pv_table",
        )
        change = planning.scenario_change(result.before[-1], result.after[-1], lang)
        st.write(f"{tr('planning.every_month')}: {change}")
        st.write(tr("planning.gaps_closed", count=i18n.number(len(result.closed), lang)))

# ------------------------------------------------------------------ coverage range (today)
st.subheader(tr("planning.coverage"))
st.caption(scope)
st.dataframe(
    [
        {
            tr("planning.column.month"): columns.month_label(r.month, lang),
            tr("planning.coverage"): planning.range_text(r, lang),
        }
        for r in fig.ranges
    ],
    hide_index=True,
    key="range_table",
)

# ------------------------------------------------------------------ seasonality
st.subheader(tr("planning.seasonality"))
season = fig.season
groups = columns.group_names(data.categories, lang, city.languages)
st.vega_lite_chart(
    seasonality.hours_chart(season, groups, lang),
    width="stretch",
    height=CHART_BOX,
    key="hours_chart",
)
st.dataframe(
    columns.shown_table(seasonality.per_month(season), lang, data.categories, city.languages),
    hide_index=True,
    key="season_table",
)
by_category = season.pivot_table(index="category", columns="month", values="open", aggfunc="sum")
by_category.index = [str(labels.get(c, c)) for c in by_category.index]
by_category.columns = [i18n.month_name(int(m), lang) for m in by_category.columns]
st.caption(tr("planning.chart_open"))
st.dataframe(by_category.map(lambda v: i18n.number(v, lang)), key="season_by_category")
year = clock.now(city.timezone).year
st.markdown(f"**{tr('planning.events')}**")
st.vega_lite_chart(
    seasonality.events_chart(seasonality.events_per_month(data, year), year, lang),
    width="stretch",
    height=CHART_BOX,
    key="events_chart",
)

# ------------------------------------------------------------------ ask these first
st.subheader(tr("planning.ask_first"))
st.caption(tr("planning.ask_help"))
st.caption(scope)
if fig.asks.empty:
    st.write(tr("planning.none"))
else:
    asks = fig.asks.copy()  # fig is shared by every session: never modified
    in_url = params.language_in_url(lang)
    asks["link"] = [f"/members?venue={v}&lang={in_url}" for v in asks["venue_id"]]
    st.dataframe(
        columns.shown_table(asks, lang, data.categories, city.languages),
        hide_index=True,
        key="ask_table",
        column_config={tr("planning.column.link"): st.column_config.LinkColumn(display_text="↗")},
    )
    # a signed-in coordinator asks them, with personal links (the console's Links part)
    if signed_in() is not None and st.button(tr("console.hand_over"), key="ask_hand_over"):
        hand_over([str(v) for v in asks["venue_id"]])

# ------------------------------------------------------------------ gaps (today)
st.subheader(tr("planning.gaps"))
st.caption(scope)
st.dataframe(
    columns.shown_table(fig.gap_list, lang, data.categories, city.languages),
    hide_index=True,
    key="gap_table",
)
file_scope = planning.scope_values(selection)
d1, d2, d3 = st.columns(3)
d1.download_button(
    tr("planning.download_csv"),
    lambda: gaps_csv_bytes(fig.gap_list, file_scope),
    file_name=GAPS_CSV,
    mime="text/csv",
    key="dl_csv",
)
d2.download_button(
    tr("planning.download_geojson"),
    lambda: gaps_geojson_bytes(fig.gap_list, file_scope),
    file_name="gaps.geojson",
    mime="application/geo+json",
    key="dl_geojson",
)
d3.download_button(
    tr("planning.download_report"),
    lambda: report_html(data, fig, lang, GAPS_CSV).encode("utf-8"),
    file_name="planning-report.html",
    mime="text/html",
    key="dl_report",
)
d3.caption(tr("planning.annex_page", rows=i18n.number(len(fig.gap_list), lang)))
