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

import logging
import sqlite3

import pandas as pd
import streamlit as st

from mapping import (
    clock,
    explore,
    hours,
    i18n,
    member_charts,
    members,
    params,
    render,
    store,
    submissions,
    usage,
)
from mapping.query import VenueFilter
from mapping.schema import CLUSTER_STATUSES, VISIT_VALUES
from mapping.text import fold, slug
from mapping.text import markdown_literal as md
from pages.shared import current_language, dataset, link_notice, show_map, sync_url, tr, url_choice

_LOG = logging.getLogger(__name__)
PARTS = ["listing", "update", "event", "new", "overview"]
NEIGHBOURS_ZOOM = 16  # about 10 minutes' walk each way on a 380 px map

data = dataset()
city = data.city
lang = current_language()
now = clock.now(city.timezone)
today = now.date()
minute = clock.to_minute(now)
db_path = store.database_path(city, data.folder)
limits = submissions.limits(city)
venues = data.venues.set_index("id", drop=False)
names = i18n.localized_column(venues, "name", lang, city.languages)
category_labels = i18n.localized_column(
    data.categories.set_index("id"), "label", lang, city.languages
)

st.title(tr("mpage.title"))
st.caption(tr("mpage.intro"))

refused: list[str] = []
if url_choice("part", PARTS, "listing"):
    refused.append(tr("mpage.part"))
# Labels are looked up now, not inside a format_func called later (AppTest calls it
# outside the run, where the page's language is not known).
part_labels = {p: tr(f"mpage.part_{p}") for p in PARTS}
part = st.segmented_control(
    tr("mpage.part"), PARTS, key="part", required=True, format_func=part_labels.get
)
sync_url("part", "listing")

ordered = sorted(venues.index, key=lambda v: fold(names[v]))
if part in ("listing", "update", "event"):
    if url_choice("venue", ["", *ordered], ""):
        refused.append(tr("params.venue"))
    picks = {
        "": tr("mpage.pick_none"),
        **{v: f"{names[v]} · {category_labels.get(venues.at[v, 'category'], '')}" for v in ordered},
    }
    st.selectbox(
        tr("mpage.pick"),
        list(picks),
        key="venue",
        format_func=picks.get,
        help=tr("mpage.pick_help"),
    )
sync_url("venue", "")
link_notice(refused)
venue_id = st.session_state.get("venue") or None


def visitor_cards(venue_id: str) -> None:
    """The card as Explore shows it, once per town language, side by side."""
    st.subheader(tr("mpage.as_visitors"))
    moment = minute
    spot = at(venue_id)
    columns = st.columns(len(city.languages))
    for column, card_lang in zip(columns, city.languages, strict=True):
        with column:
            st.markdown(f"**{card_lang.upper()}**")
            payload = explore.map_payload(
                data, VenueFilter(ids=(venue_id,)), card_lang, moment, moment
            )
            show_map(
                render.with_view(payload, None, venue_id),
                city,
                key=f"card-{card_lang}",
                height=560,
                container=f"card-{card_lang}",
                center=spot,
                zoom=NEIGHBOURS_ZOOM,
            )
    row = venues.loc[venue_id]
    checked = str(row.get("checked") or "") or tr("mpage.never_checked")
    st.caption(tr("mpage.source", source=md(row.get("source") or ""), checked=md(checked)))


def completeness_section(venue: str) -> None:
    """The score and the checklist, heaviest first: what is missing and why it matters."""
    st.subheader(tr("mpage.completeness"))
    found = members.completeness(data, venue, today)
    st.metric(tr("mpage.score"), f"{found.score} / 100")
    st.progress(found.score / 100)
    for check in sorted(found.checks, key=lambda c: (c.passed, -c.weight)):
        label, why = members.check_texts(check.key, lang)
        mark = ":material/check_circle:" if check.passed else ":material/cancel:"
        weight = tr("mpage.points", points=check.weight)
        text = f"{mark} **{md(label)}** ({weight})"
        st.markdown(text if check.passed else f"{text}: {md(why)}")


def findability_section(venue: str) -> None:
    """Where the venue shows up in the visitors' usual views, and why (not)."""
    st.subheader(tr("mpage.who_finds"))
    st.caption(tr("mpage.who_finds_help"))
    rows = [
        members.finding_text(data, finding, lang)
        for finding in members.findability(data, venue, today, lang)
    ]
    st.table(
        pd.DataFrame(
            rows, columns=[tr("mpage.col_view"), tr("mpage.col_shown"), tr("mpage.col_why")]
        ).set_index(tr("mpage.col_view"))
    )


def reach_section(venue: str) -> None:
    """Open hours a week month by month against the category's median."""
    st.subheader(tr("mpage.reach"))
    reach = members.monthly_reach(data, venue)
    st.vega_lite_chart(
        member_charts.reach_frame(reach, lang),
        member_charts.reach_spec(lang),
        use_container_width=True,
        key="reach-chart",
    )
    unknown = int(reach["state"].isna().sum())
    st.caption(
        tr("mpage.reach_help")
        if unknown == 0
        else i18n.plural("mpage.reach_unknown", lang, unknown)
    )


def proximity_section(venue: str) -> None:
    """Walking minutes and ranks from the entry points; neighbours within 5 and 10 min."""
    st.subheader(tr("mpage.proximity"))
    near = members.proximity(data, venue, lang)
    points = near.entry_points
    st.dataframe(
        pd.DataFrame(
            {
                tr("mpage.col_from"): points["label"],
                tr("mpage.col_minutes"): [
                    tr("mpage.minutes", minutes=f"{m:.0f}") if pd.notna(m) else "–"
                    for m in points["minutes"]
                ],
                tr("mpage.col_rank"): [
                    _rank(r, n) for r, n in zip(points["rank"], points["ranked"], strict=True)
                ],
                tr("mpage.col_category_rank"): [
                    _rank(r, n)
                    for r, n in zip(points["category_rank"], points["category_ranked"], strict=True)
                ],
                tr("mpage.col_why"): [
                    members.render_key(k, lang, {}) if k else "" for k in points["reason_key"]
                ],
            }
        ),
        hide_index=True,
        key="proximity",
        use_container_width=True,
    )
    neighbours = near.neighbours
    if near.neighbours_reason_key:
        st.info(members.render_key(near.neighbours_reason_key, lang, {}))
        return
    st.markdown(f"**{tr('mpage.neighbours')}**")
    for band in members.NEIGHBOUR_BANDS:
        within = neighbours[neighbours["minutes"] <= band]
        same = int(within["same_category"].sum())
        st.write(
            tr(
                "mpage.within",
                minutes=band,
                same=i18n.plural("mpage.same_category", lang, same),
                other=i18n.plural("mpage.other_category", lang, len(within) - same),
            )
        )
    if neighbours.empty:
        return
    st.dataframe(
        pd.DataFrame(
            {
                tr("mpage.col_name"): neighbours["name"],
                tr("mpage.col_category"): neighbours["category_label"],
                tr("mpage.col_minutes"): [
                    tr("mpage.minutes", minutes=f"{m:.0f}") for m in neighbours["minutes"]
                ],
            }
        ),
        hide_index=True,
        key="neighbours",
        use_container_width=True,
    )
    lat, lon = at(venue)
    ids = (venue, *neighbours["id"])
    payload = explore.map_payload(data, VenueFilter(ids=ids), lang, minute, minute)
    show_map(
        render.with_view(payload, (lat, lon, names[venue]), None),
        city,
        key="neighbours-map",
        height=380,
        container="neighbours-map",
        center=(lat, lon),
        zoom=NEIGHBOURS_ZOOM,
    )


def _rank(rank: object, ranked: object) -> str:
    """ "3 of 40", or "–" when the near list does not rank the venue."""
    return "–" if pd.isna(rank) else tr("mpage.rank", rank=int(rank), count=int(ranked))


def usage_section(venue: str) -> None:
    """Times shown in a list and cards opened, per month, from the usage store."""
    st.subheader(tr("mpage.usage"))
    monthly = usage.monthly(db_path, venue)
    st.vega_lite_chart(
        member_charts.usage_frame(monthly, today, lang),
        member_charts.usage_spec(lang),
        use_container_width=True,
        key="usage-chart",
    )
    st.caption(tr("mpage.usage_help") if not monthly.empty else tr("mpage.usage_none"))


def listing_part(venue: str) -> None:
    """Everything about one venue's visibility, top to bottom."""
    visitor_cards(venue)
    completeness_section(venue)
    findability_section(venue)
    reach_section(venue)
    proximity_section(venue)
    usage_section(venue)


def overview_part() -> None:
    """Every member's and prospective member's completeness and usage: the
    coordinator's to-do list, weakest first, sortable, as CSV."""
    st.subheader(tr("mpage.overview"))
    st.caption(tr("mpage.overview_help"))
    table = members.overview(data, usage.totals(db_path), today, lang)
    status = {s: tr(f"mpage.status_{s}") for s in CLUSTER_STATUSES}
    shown = pd.DataFrame(
        {
            tr("mpage.col_name"): table["name"],
            tr("mpage.col_status"): table["status"].map(status).fillna(table["status"]),
            tr("mpage.col_category"): table["category"],
            tr("mpage.col_score"): table["score"],
            tr("mpage.col_shown_count"): table["impressions"],
            tr("mpage.col_opens"): table["opens"],
            tr("mpage.col_missing"): table["missing"],
            "id": table["id"],
        }
    )
    st.dataframe(
        shown,
        hide_index=True,
        key="overview",
        use_container_width=True,
        column_config={
            tr("mpage.col_score"): st.column_config.ProgressColumn(
                min_value=0, max_value=100, format="%d"
            )
        },
    )
    st.download_button(
        tr("mpage.download_csv"),
        shown.to_csv(index=False).encode("utf-8"),
        file_name=f"{slug(city.name)}-members.csv",
        mime="text/csv",
        key="overview-csv",
    )


# ------------------------------------------------------------------ suggestions


def at(venue: str) -> tuple[float, float]:
    """The venue's point as (lat, lon), to start a map about it there."""
    point = venues.loc[venue].geometry
    return float(point.y), float(point.x)


def location_picker(
    prefix: str, payload: render.MapPayload, label: str, center: tuple[float, float] | None = None
) -> None:
    """A map whose click fills ``<prefix>_lat``/``<prefix>_lon`` (shown as a pin)."""
    pending = f"_{prefix}_clicked"
    if pending in st.session_state:  # a click of the previous run, before the inputs
        st.session_state[f"{prefix}_lat"], st.session_state[f"{prefix}_lon"] = st.session_state.pop(
            pending
        )
    lat = st.session_state.get(f"{prefix}_lat", "")
    lon = st.session_state.get(f"{prefix}_lon", "")
    point = params.coordinate(f"{lat},{lon}", city.bbox).value if lat and lon else None
    start = (point[0], point[1], label) if point is not None else None
    out = show_map(
        render.with_view(payload, start, None),
        city,
        key=f"{prefix}-map",
        height=380,
        container=f"{prefix}-map",
        returned_objects=["last_clicked"],
        center=center,
        zoom=NEIGHBOURS_ZOOM if center else None,
    )
    clicked = (out or {}).get("last_clicked")
    seen = f"_{prefix}_seen"
    if clicked and clicked != st.session_state.get(seen):
        st.session_state[seen] = clicked
        st.session_state[pending] = (f"{clicked['lat']:.5f}", f"{clicked['lng']:.5f}")
        st.rerun()
    c1, c2 = st.columns(2)
    c1.text_input(tr("mpage.lat"), key=f"{prefix}_lat", max_chars=32)
    c2.text_input(tr("mpage.lon"), key=f"{prefix}_lon", max_chars=32)
    st.caption(tr("mpage.location_help"))


def hours_field(prefix: str, venue: str | None = None) -> None:
    """``opening_hours`` with its check and its meaning in plain words, on every change;
    for an existing ``venue``, its card as it would read with these hours."""
    value = st.text_input(
        tr("mpage.hours"),
        key=f"{prefix}_opening_hours",
        placeholder=hours.EXAMPLE,
        help=tr("mpage.hours_help"),
        max_chars=limits["opening_hours"],
    )
    if not (value or "").strip():
        return
    problem, lines = submissions.describe_hours(value, lang, city, year=today.year)
    if problem is not None:
        st.error(md(problem.text(lang)))
        return
    st.success(md(tr("mpage.hours_read", hours="; ".join(lines))))
    if venue is not None:
        st.caption(tr("mpage.preview"))
        show_map(
            explore.card_preview(data, venue, value, lang, minute),
            city,
            key=f"{prefix}-preview",
            height=480,
            container=f"{prefix}-preview",
            center=at(venue),
            zoom=NEIGHBOURS_ZOOM,
        )


def text_fields(prefix: str, names: list[str]) -> None:
    """Plain text inputs; descriptions and the note as text areas."""
    for name in names:
        label = submissions.field_label(name, lang)
        if name.startswith("description_") or name == "note":
            st.text_area(label, key=f"{prefix}_{name}", max_chars=limits[name])
        else:
            st.text_input(label, key=f"{prefix}_{name}", max_chars=limits[name])


def choice_field(prefix: str, name: str, values: tuple[str, ...], *, empty: bool) -> None:
    """A select box of a field's allowed values (``empty``: "don't know" first)."""
    labels = {v: submissions.choice_label(name, v, lang) for v in values}
    if empty:
        labels = {"": tr("mpage.unknown_choice"), **labels}
    st.selectbox(
        submissions.field_label(name, lang),
        list(labels),
        key=f"{prefix}_{name}",
        format_func=labels.get,
    )


def send(kind: str, prefix: str, venue: str | None) -> None:
    """Store the filled fields as a pending suggestion and say its reference, or say
    what each refused field needs (nothing is stored then). A callback: it runs before
    the widgets, so a stored suggestion empties the form."""
    names = submissions.field_names(kind, city.languages)
    fields = {name: st.session_state.get(f"{prefix}_{name}", "") for name in names}
    if venue is not None:
        fields["venue_id"] = venue
    try:
        number = submissions.submit(data, kind, fields, db=db_path)
    except submissions.Refused as refused:
        st.session_state[f"_{prefix}_result"] = ("error", refused.messages(lang))
        return
    except (sqlite3.Error, OSError):  # the store is unavailable: say so, keep the form
        _LOG.exception("suggestion not stored in %s", db_path)
        st.session_state[f"_{prefix}_result"] = ("error", [tr("mpage.store_unavailable")])
        return
    st.session_state[f"_{prefix}_result"] = ("success", [submissions.thanks(number, lang)])
    for name in names:
        st.session_state.pop(f"{prefix}_{name}", None)


def pending_note(venue: str) -> None:
    """The venue's suggestions still waiting for review, so a member does not send the
    same one twice (numbers and days only: what was typed stays in the review)."""
    try:
        waiting = [s for s in submissions.listed(data.folder, db=db_path) if s.venue_id == venue]
    except (sqlite3.Error, OSError):
        return
    if waiting:
        st.caption(
            i18n.plural(
                "mpage.pending",
                lang,
                len(waiting),
                numbers=", ".join(f"{s.reference} ({s.created:%Y-%m-%d})" for s in waiting),
            )
        )


def result(prefix: str) -> None:
    """The last send's answer, under the button."""
    answer = st.session_state.get(f"_{prefix}_result")
    if answer:
        (st.success if answer[0] == "success" else st.error)(
            "\n\n".join(md(line) for line in answer[1])
        )


def update_part(venue: str) -> None:
    """Suggest an update of the chosen venue: only the filled fields are sent."""
    row = venues.loc[venue]
    st.subheader(tr("mpage.update_heading", name=names[venue]))
    st.caption(tr("mpage.update_help"))
    current = str(row.get("opening_hours") or "") or tr("mpage.unknown")
    st.markdown(md(tr("mpage.hours_now", hours=current)))
    hours_field("upd", venue)
    text_fields("upd", [f"description_{code}" for code in city.languages])
    text_fields("upd", ["website", "phone", "email"])
    choice_field("upd", "visit", VISIT_VALUES, empty=True)
    st.markdown(f"**{submissions.field_label('lat', lang)}**")
    location_picker(
        "upd",
        explore.map_payload(data, VenueFilter(ids=(venue,)), lang, minute, minute),
        tr("mpage.new_location"),
        center=at(venue),
    )
    text_fields("upd", ["note"])
    st.button(
        tr("mpage.send"),
        key="upd_send",
        type="primary",
        on_click=send,
        args=("update", "upd", venue),
    )
    result("upd")
    pending_note(venue)


def event_part(venue: str) -> None:
    """Suggest an event at the chosen venue."""
    st.subheader(tr("mpage.event_heading", name=names[venue]))
    st.caption(tr("mpage.event_help"))
    text_fields("evt", [f"title_{code}" for code in city.languages])
    event_labels = i18n.localized_column(
        data.event_categories.set_index("id"), "label", lang, city.languages
    )
    choices = {"": tr("mpage.choose"), **event_labels.to_dict()}
    st.selectbox(
        submissions.field_label("category", lang),
        list(choices),
        key="evt_category",
        format_func=choices.get,
    )
    timings = {v: submissions.choice_label("timing", v, lang) for v in submissions.TIMINGS}
    st.radio(
        submissions.field_label("timing", lang),
        list(timings),
        key="evt_timing",
        horizontal=True,
        format_func=timings.get,
    )
    c1, c2 = st.columns(2)
    c1.text_input(
        submissions.field_label("start", lang),
        key="evt_start",
        placeholder="2026-12-24T19:30",
        help=tr("mpage.when_help"),
        max_chars=limits["start"],
    )
    c2.text_input(
        submissions.field_label("end", lang),
        key="evt_end",
        placeholder="2026-12-24T21:00",
        help=tr("mpage.when_help"),
        max_chars=limits["end"],
    )
    choice_field("evt", "free", submissions.FREE_VALUES, empty=True)
    text_fields("evt", ["price", "url", "organiser", "note"])
    st.button(
        tr("mpage.send"),
        key="evt_send",
        type="primary",
        on_click=send,
        args=("event", "evt", venue),
    )
    result("evt")
    pending_note(venue)


def new_venue_part() -> None:
    """Suggest a creative place that is not on the map yet."""
    st.subheader(tr("mpage.new_heading"))
    st.caption(tr("mpage.new_help"))
    text_fields("new", ["name"])
    choices = {"": tr("mpage.choose"), **category_labels.to_dict()}
    st.selectbox(
        submissions.field_label("category", lang),
        list(choices),
        key="new_category",
        format_func=choices.get,
    )
    st.markdown(f"**{submissions.field_label('lat', lang)}**")
    location_picker(
        "new",
        explore.map_payload(data, VenueFilter(), lang, minute, minute),
        tr("mpage.new_location"),
    )
    text_fields("new", ["note", "website", "phone", "email"])
    hours_field("new")
    st.button(
        tr("mpage.send"), key="new_send", type="primary", on_click=send, args=("venue", "new", None)
    )
    result("new")


if part == "listing":
    if venue_id is None:
        st.info(tr("mpage.pick_first"))
    else:
        listing_part(venue_id)
elif part == "update":
    if venue_id is None:
        st.info(tr("mpage.pick_first"))
    else:
        update_part(venue_id)
elif part == "event":
    if venue_id is None:
        st.info(tr("mpage.pick_first"))
    else:
        event_part(venue_id)
elif part == "new":
    new_venue_part()
else:
    overview_part()
