"""The For members page's "Your listing" part: how visible one venue is, top to bottom.

Layout only: every figure comes from :mod:`mapping.members`, the usage counts from
:mod:`mapping.usage`, the charts from :mod:`mapping.member_charts` and the cards from
the one map builder (:mod:`mapping.render`), exactly as Explore draws them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from mapping import explore, i18n, member_charts, members, render, usage
from mapping.distance import shown_minutes
from mapping.query import VenueFilter
from mapping.text import markdown_literal as md
from pages._members_common import NEIGHBOURS_ZOOM, MembersRun
from pages.shared import show_map, tr


def listing_part(run: MembersRun, venue: str, *, show_usage: bool = False) -> None:
    """Everything about one venue's visibility, top to bottom; its usage counts only
    when ``show_usage`` (the owner's personal link, the coordinator): they are not public."""
    visitor_cards(run, venue)
    completeness_section(run, venue)
    findability_section(run, venue)
    reach_section(run, venue)
    proximity_section(run, venue)
    if show_usage:
        usage_section(run, venue)


def visitor_cards(run: MembersRun, venue: str) -> None:
    """The card as Explore shows it, once per town language, side by side."""
    st.subheader(tr("mpage.as_visitors"))
    columns = st.columns(len(run.city.languages))
    for column, card_lang in zip(columns, run.city.languages, strict=True):
        with column:
            st.markdown(f"**{card_lang.upper()}**")
            payload = explore.map_payload(
                run.data, VenueFilter(ids=(venue,)), card_lang, run.minute, run.minute
            )
            show_map(
                render.with_view(payload, None, venue),
                run.city,
                key=f"card-{card_lang}",
                height=560,
                container=f"card-{card_lang}",
                center=run.at(venue),
                zoom=NEIGHBOURS_ZOOM,
            )
    row = run.venues.loc[venue]
    checked = str(row.get("checked") or "") or tr("mpage.never_checked")
    st.caption(tr("mpage.source", source=md(row.get("source") or ""), checked=md(checked)))


def completeness_section(run: MembersRun, venue: str) -> None:
    """The score and the checklist, heaviest first: what is missing and why it matters."""
    st.subheader(tr("mpage.completeness"))
    found = members.completeness(run.data, venue, run.today)
    st.metric(tr("mpage.score"), f"{found.score} / 100")
    st.progress(found.score / 100)
    applicable = found.applicable
    if len(applicable) < len(found.checks):  # the score is over these checks only
        points = sum(c.weight for c in applicable)
        st.caption(i18n.plural("members.score_over", run.lang, len(applicable), points=points))
    for check in sorted(found.checks, key=lambda c: (not c.applies, c.passed, -c.weight)):
        label, why = members.check_texts(check.key, run.lang, run.city)
        if not check.applies:
            st.markdown(f":material/remove: {md(label)}: {md(tr(check.why_not))}")
            continue
        mark = ":material/check_circle:" if check.passed else ":material/cancel:"
        weight = tr("mpage.points", points=check.weight)
        text = f"{mark} **{md(label)}** ({weight})"
        st.markdown(text if check.passed else f"{text}: {md(why)}")


def findability_section(run: MembersRun, venue: str) -> None:
    """Where the venue shows up in the visitors' usual views, and why (not)."""
    st.subheader(tr("mpage.who_finds"))
    st.caption(tr("mpage.who_finds_help"))
    rows = [
        members.finding_text(run.data, finding, run.lang)
        for finding in members.findability(run.data, venue, run.today, run.lang)
    ]
    st.table(
        pd.DataFrame(
            rows, columns=[tr("mpage.col_view"), tr("mpage.col_shown"), tr("mpage.col_why")]
        ).set_index(tr("mpage.col_view"))
    )


def reach_section(run: MembersRun, venue: str) -> None:
    """Open hours a week month by month against the category's median."""
    st.subheader(tr("mpage.reach"))
    reach = members.monthly_reach(run.data, venue)
    st.vega_lite_chart(
        member_charts.reach_frame(reach, run.lang),
        member_charts.reach_spec(run.lang),
        width="stretch",
        key="reach-chart",
    )
    unknown = int(reach["state"].isna().sum())
    st.caption(
        tr("mpage.reach_help")
        if unknown == 0
        else i18n.plural("mpage.reach_unknown", run.lang, unknown)
    )


def _minutes(minutes: float) -> str:
    """Walking minutes as every page shows them (never "0 min"), "–" when there are none."""
    return tr("mpage.minutes", minutes=shown_minutes(minutes)) if pd.notna(minutes) else "–"


def _ranks(ranks: pd.Series, ranked: pd.Series) -> list[str]:
    """Each "3 of 40", or "–" where the near list does not rank the venue (NA)."""
    return [
        "–" if pd.isna(rank) else tr("mpage.rank", rank=int(rank), count=int(count))
        for rank, count in zip(
            ranks.astype("Float64").to_numpy(dtype=float, na_value=np.nan),
            ranked.to_numpy(dtype=int),
            strict=True,
        )
    ]


def proximity_section(run: MembersRun, venue: str) -> None:
    """Walking minutes and ranks from the entry points; neighbours within 5 and 10 min."""
    st.subheader(tr("mpage.proximity"))
    near = members.proximity(run.data, venue, run.lang)
    points = near.entry_points
    st.dataframe(
        pd.DataFrame(
            {
                tr("mpage.col_from"): points["label"],
                tr("mpage.col_minutes"): [_minutes(m) for m in points["minutes"]],
                tr("mpage.col_rank"): _ranks(points["rank"], points["ranked"]),
                tr("mpage.col_category_rank"): _ranks(
                    points["category_rank"], points["category_ranked"]
                ),
                tr("mpage.col_why"): [
                    members.render_key(k, run.lang, {}) if k else "" for k in points["reason_key"]
                ],
            }
        ),
        hide_index=True,
        key="proximity",
        width="stretch",
    )
    if near.neighbours_reason_key:
        st.info(members.render_key(near.neighbours_reason_key, run.lang, {}))
        return
    neighbours_section(run, venue, near.neighbours)


def neighbours_section(run: MembersRun, venue: str, neighbours: pd.DataFrame) -> None:
    """How many places of the same and other categories are within 5 and 10 minutes'
    walk; then the list and a map of them."""
    st.markdown(f"**{tr('mpage.neighbours')}**")
    for band in members.NEIGHBOUR_BANDS:
        within = neighbours[neighbours["minutes"] <= band]
        same = int(within["same_category"].sum())
        st.write(
            tr(
                "mpage.within",
                minutes=band,
                same=i18n.plural("mpage.same_category", run.lang, same),
                other=i18n.plural("mpage.other_category", run.lang, len(within) - same),
            )
        )
    if neighbours.empty:
        return
    st.dataframe(
        pd.DataFrame(
            {
                tr("mpage.col_name"): neighbours["name"],
                tr("mpage.col_category"): neighbours["category_label"],
                tr("mpage.col_minutes"): [_minutes(m) for m in neighbours["minutes"]],
            }
        ),
        hide_index=True,
        key="neighbours",
        width="stretch",
    )
    lat, lon = run.at(venue)
    ids = (venue, *neighbours["id"])
    payload = explore.map_payload(run.data, VenueFilter(ids=ids), run.lang, run.minute, run.minute)
    show_map(
        render.with_view(payload, (lat, lon, str(run.names[venue])), None),
        run.city,
        key="neighbours-map",
        height=380,
        container="neighbours-map",
        center=(lat, lon),
        zoom=NEIGHBOURS_ZOOM,
    )


def usage_section(run: MembersRun, venue: str) -> None:
    """Times shown in a list and cards opened, per month, from the usage store."""
    st.subheader(tr("mpage.usage"))
    monthly = usage.monthly(run.db_path, venue)
    st.vega_lite_chart(
        member_charts.usage_frame(monthly, run.today, run.lang),
        member_charts.usage_spec(run.lang),
        width="stretch",
        key="usage-chart",
    )
    st.caption(tr("mpage.usage_help") if not monthly.empty else tr("mpage.usage_none"))
