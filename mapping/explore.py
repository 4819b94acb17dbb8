"""What the Explore page shows, computed from plain values (no Streamlit here).

The page only lays out widgets; these functions turn its widget values into the
filtered venues, the start point, the nearest-first list and the card extras.

The nearest-first list (:func:`ranked`, :func:`list_entries`) is honest about distance
and about who can be visited:

- a venue known only to its settlement gets no minutes ("in Kotor — exact place
  unknown") and comes after the placed ones; ``approximate`` venues say "≈ N min",
  ``exact`` ones "N min";
- a boat-only place says "by boat from <landmark>" and takes no part in the walking rank;
- organisations whose ``visit`` is ``no`` are left out of the list unless the visitor
  asks for them or searches by text (they stay on the map and in search);
- with a time filter, venues whose hours are unknown then are counted
  (:func:`mapping.query.unknown_hours_count`) and, when asked for, listed as
  "hours unknown — check before you go".
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TypedDict, cast

import geopandas as gpd
import numpy as np
import pandas as pd

from mapping import clock, hours, render, seasons
from mapping import events as ev
from mapping.distance import (
    REACH_BOAT,
    REACH_SETTLEMENT,
    WalkModel,
    shown_minutes,
    walk_model,
)
from mapping.i18n import localized_column, t
from mapping.io import Dataset
from mapping.memo import per_dataset
from mapping.query import VenueFilter, apply_filter, nearest, unknown_hours_count, visitable
from mapping.schema import as_text, is_hex_colour, is_icon_name

NEAR_LIMIT = 30  # entries per page of the nearest-first list ("show more" adds a page)
UPCOMING_PER_VENUE = 3


class NearEntry(TypedDict):
    """One entry of the nearest-first list, as ``mapping/components/near_list.js`` reads it.

    Every value is plain text for ``textContent`` (never HTML); ``icon`` is a checked
    Font Awesome name and ``colour`` a checked hex colour, or ``""``.
    """

    id: str
    name: str
    category: str
    icon: str
    colour: str
    reach: str  # walk | boat | settlement (mapping.distance.reach)
    distance: str  # "12 min walk", "≈ 12 min walk", "by boat from …", "in … — exact place unknown"
    state: str  # open | closed | unknown, at the moment asked about
    state_text: str  # the state in words
    hours: str  # that day's hours in words ("" when unknown)
    note: str  # "by appointment", or ""


def landmarks(places: gpd.GeoDataFrame, lang: str, languages: tuple[str, ...]) -> pd.DataFrame:
    """Landmarks usable as start points: index id, columns label, lat, lon, entry_point."""
    marks = places[places["kind"] == "landmark"]
    return pd.DataFrame(
        {
            "label": localized_column(marks, "name", lang, languages).to_numpy(),
            "lat": marks.geometry.y.to_numpy(),
            "lon": marks.geometry.x.to_numpy(),
            "entry_point": marks.get("entry_point", pd.Series(False, index=marks.index)).to_numpy(),
        },
        index=marks["id"].to_numpy(),
    )


@per_dataset
def start_points(data: Dataset, lang: str) -> pd.DataFrame:
    """:func:`landmarks` of the dataset's places in ``lang`` (remembered per dataset)."""
    return landmarks(data.places, lang, data.city.languages)


def moment(when: str, now: datetime, day: date, at: time, tz: str) -> datetime:
    """The datetime a filter asks about: now (to the minute) or the chosen day and time.

    "Now" is truncated to the minute so reruns within a minute reuse cached maps.
    """
    if when == "at":
        return clock.local(datetime.combine(day, at), tz)
    return now.replace(second=0, microsecond=0)


def start_point(
    key: str, point: str, marks: pd.DataFrame, click_label: str
) -> tuple[float, float, str]:
    """(lat, lon, label) of the chosen start: a landmark, or a clicked ``"lat,lon"``.

    An unreadable clicked point falls back to the first landmark.
    """
    if key in marks.index:
        row = cast("pd.Series", marks.loc[key])  # landmark ids are unique: one row
        return float(row["lat"]), float(row["lon"]), str(row["label"])
    try:
        lat_text, lon_text = point.split(",")
        return float(lat_text), float(lon_text), click_label
    except (ValueError, AttributeError):
        first = marks.iloc[0]
        return float(first["lat"]), float(first["lon"]), str(first["label"])


@per_dataset
def filtered(data: Dataset, venue_filter: VenueFilter, lang: str | None = None) -> gpd.GeoDataFrame:
    """Venues passing the filter, with ``display_name`` in ``lang`` (default language)."""
    city = data.city
    shown = apply_filter(data.venues, venue_filter, city.timezone, city.country or None)
    name = localized_column(shown, "name", lang or city.default_language, city.languages)
    return shown.assign(display_name=name)


@per_dataset
def unknown_hours(data: Dataset, venue_filter: VenueFilter) -> int:
    """Venues that would match ``venue_filter`` but for hours unknown at its time."""
    city = data.city
    return unknown_hours_count(data.venues, venue_filter, city.timezone, city.country or None)


def near(venues: pd.DataFrame, start: tuple[float, float, str], model: WalkModel) -> pd.DataFrame:
    """The venues nearest to ``start`` first, with ``walk_min`` (``model``'s minutes on foot).

    The page gets ``model`` from :func:`mapping.distance.walk_model` and shows
    ``model.describe(lang)`` under the list, so the caption always names the model used.
    """
    return nearest(venues, (start[0], start[1]), model)


def ranked(
    venues: pd.DataFrame,
    start: tuple[float, float, str],
    model: WalkModel,
    *,
    hide_unvisitable: bool,
) -> tuple[pd.DataFrame, int]:
    """The nearest-first list and how many non-visitable organisations it leaves out.

    ``hide_unvisitable`` is the page's default (no "include organisations" and no text
    search): organisations with ``visit`` = ``no`` are not places a visitor walks to.
    """
    return _hidden(near(venues, start, model), hide_unvisitable)


def _hidden(order: pd.DataFrame, hide_unvisitable: bool) -> tuple[pd.DataFrame, int]:
    """``order`` without the non-visitable organisations when asked, and their number."""
    if not hide_unvisitable:
        return order, 0
    keep = visitable(order)
    return order[keep], int((~keep).sum())


def page_limit(limit: int, ids: pd.Series, selected: str | None) -> int:
    """Entries to show: ``limit``, widened by whole pages to reach the selected venue.

    A venue chosen on the map is then in the list, highlighted and scrolled to.
    """
    limit = max(NEAR_LIMIT, limit)
    if selected:
        hits = np.flatnonzero(ids.to_numpy() == selected)
        if hits.size and hits[0] >= limit:
            limit = (int(hits[0]) // NEAR_LIMIT + 1) * NEAR_LIMIT
    return limit


def list_entries(
    venues: pd.DataFrame,
    data: Dataset,
    lang: str,
    moment: datetime,
    *,
    check_hours: bool = False,
) -> list[NearEntry]:
    """The entries of the nearest-first list for ``venues`` (rows of :func:`ranked`).

    ``moment`` is the time the state (open / closed / hours unknown) is for;
    ``check_hours`` (a time filter is on) words unknown hours as "hours unknown —
    check before you go".
    """
    if venues.empty:
        return []
    city = data.city
    categories = data.categories.set_index("id")
    labels = localized_column(categories, "label", lang, city.languages)
    icons = categories["icon"].where(categories["icon"].map(is_icon_name), "")
    colours = categories["colour"].where(categories["colour"].map(is_hex_colour), "")
    codes, view = seasons.day_view(
        venues["opening_hours"], moment, city.timezone, lang, country=city.country or None
    )
    states = view["state_at"].to_numpy()[codes]
    today = view["today"].to_numpy()[codes]
    state_words = {
        hours.STATE_OPEN: t("near.state_open", lang),
        hours.STATE_CLOSED: t("near.state_closed", lang),
        hours.STATE_UNKNOWN: t(
            "near.state_unknown_check" if check_hours else "near.state_unknown", lang
        ),
    }
    distance = _distance_texts(venues, data, lang)
    visit = as_text(
        venues["visit"] if "visit" in venues.columns else pd.Series("", index=venues.index)
    )
    appointment = t("near.appointment", lang)
    entries: list[NearEntry] = []
    for i, (venue_id, name, category) in enumerate(
        zip(venues["id"], venues["display_name"], venues["category"], strict=True)
    ):
        state = int(states[i])
        entries.append(
            NearEntry(
                id=str(venue_id),
                name=str(name),
                category=str(labels.get(category, category)),
                icon=str(icons.get(category, "")),
                colour=str(colours.get(category, "")),
                reach=str(venues["reach"].iloc[i]),
                distance=distance[i],
                state=hours.STATE_NAMES[state],
                state_text=state_words[state],
                hours="" if state == hours.STATE_UNKNOWN else str(today[i]),
                note=appointment if visit.iloc[i].strip().lower() == "appointment" else "",
            )
        )
    return entries


def _distance_texts(venues: pd.DataFrame, data: Dataset, lang: str) -> list[str]:
    """The list's distance column: minutes on foot, or why there are none."""
    city = data.city
    places = data.places
    settlements = dict(
        zip(places["id"], localized_column(places, "name", lang, city.languages), strict=True)
    )
    marks = landmarks(places, lang, city.languages)["label"].to_dict()
    out = []
    for kind, minutes, precision, settlement, boat_from in zip(
        venues["reach"],
        venues["walk_min"],
        venues["location_precision"],
        venues.get("settlement", pd.Series("", index=venues.index)),
        venues.get("boat_from", pd.Series("", index=venues.index)),
        strict=True,
    ):
        if kind == REACH_BOAT:
            where = marks.get(str(boat_from or ""))
            out.append(
                t("near.boat", lang, landmark=where) if where else t("near.boat_anywhere", lang)
            )
        elif kind == REACH_SETTLEMENT:
            place = settlements.get(str(settlement or ""))
            out.append(
                t("near.unplaced", lang, place=place)
                if place
                else t("near.unplaced_anywhere", lang)
            )
        else:
            key = "near.walk_exact" if str(precision).strip() == "exact" else "near.walk"
            out.append(t(key, lang, minutes=shown_minutes(minutes)))
    return out


def upcoming_lines(
    data: Dataset, venue_ids: set[str], lang: str, now: datetime
) -> dict[str, list[str]]:
    """The next three events at each venue, as plain-text lines for the venue card."""
    if data.events.empty or not venue_ids:
        return {}
    every = _every_upcoming_line(data, lang, now)
    return {venue: every[venue] for venue in venue_ids if venue in every}


@per_dataset
def _every_upcoming_line(data: Dataset, lang: str, now: datetime) -> dict[str, list[str]]:
    """:func:`upcoming_lines` of every venue with events, remembered per language and
    moment (the pages pass it to the minute): every filter's map takes its venues' lines
    from here instead of expanding the events' occurrences again (issue 25: most of a
    new filter's cost)."""
    ids = set(data.events["venue_id"].dropna().astype(str))
    occ = ev.upcoming(data.events, ids, now, data.city.timezone, UPCOMING_PER_VENUE)
    return ev.card_lines(occ, lang, data.city.languages)


@per_dataset
def nearest_first(
    data: Dataset,
    venue_filter: VenueFilter,
    lang: str,
    start: tuple[float, float, str],
    hide_unvisitable: bool,
) -> tuple[pd.DataFrame, int]:
    """:func:`ranked` for the venues ``venue_filter`` keeps (remembered per dataset),
    cut from every venue's order from ``start`` (:func:`_everyone_near`): the minutes
    do not depend on the filter, so a new filter only selects rows (issue 25)."""
    everyone = _everyone_near(data, lang, start)
    order = everyone[everyone.index.isin(filtered(data, venue_filter, lang).index)]
    return _hidden(order, hide_unvisitable)


@per_dataset
def _everyone_near(data: Dataset, lang: str, start: tuple[float, float, str]) -> pd.DataFrame:
    """Every venue nearest-first from ``start`` (:func:`near`; remembered per language
    and start point). The order is stable, so any subset of it is in the order
    :func:`near` gives that subset."""
    return near(filtered(data, VenueFilter(), lang), start, walk_model(data))


@per_dataset
def nearest_entries(
    data: Dataset,
    venue_filter: VenueFilter,
    lang: str,
    start: tuple[float, float, str],
    hide_unvisitable: bool,
    limit: int,
    moment: datetime,
    check_hours: bool,
) -> list[NearEntry]:
    """:func:`list_entries` for the first ``limit`` of :func:`nearest_first`
    (remembered per dataset: the page asks again on every rerun)."""
    listed, _ = nearest_first(data, venue_filter, lang, start, hide_unvisitable)
    return list_entries(listed.head(limit), data, lang, moment, check_hours=check_hours)


@per_dataset
def map_payload(
    data: Dataset, venue_filter: VenueFilter, lang: str, now: datetime, when: datetime
) -> render.MapPayload:
    """Explore's map for the venues ``venue_filter`` keeps, without start or selection
    (the page adds them with :func:`mapping.render.with_view`): the cards show the state
    at ``when`` and the next events after it; ``now`` and ``when`` to the minute, so the
    payload is remembered for the minute."""
    shown = filtered(data, venue_filter, lang)
    lines = upcoming_lines(data, set(shown["id"]), lang, when)
    options = render.MapOptions(
        now=now,
        when=when,
        extra_lines=lines,
        landmarks=render.landmark_points(data.places, lang, data.city.languages),
        extra_title=t("explore.upcoming", lang) if lines else "",
    )
    return render.build_payload(shown, data.categories, data.city, lang, options)


def warm_default_view(data: Dataset, now: datetime) -> None:
    """Compute what Explore's first visit asks for, in every town language, before any
    visitor does: the landing map's payload and its nearest-first list from the default
    start.

    The payload itself is remembered only for its minute, but building it fills the
    per-process caches that dominate a first build and do not depend on the minute (the
    season summary of every distinct ``opening_hours``, ~1 s at 10,000 venues on a small
    machine; the filtered frames and the walking ranks, remembered per dataset).
    The launcher calls this through :func:`pages.shared.warm_up`.
    """
    minute = now.replace(second=0, microsecond=0)
    default = sidebar_filter(data)
    for lang in data.city.languages:
        marks = start_points(data, lang)
        key = (
            data.city.default_start
            if data.city.default_start in marks.index
            else (marks.index[0] if len(marks) else None)
        )
        map_payload(data, default, lang, minute, minute)
        if key is not None:
            start = start_point(str(key), "", marks, "")
            nearest_entries(data, default, lang, start, True, NEAR_LIMIT, minute, False)


def hides_organisations(text: str, include_orgs: bool) -> bool:
    """Whether Explore leaves out the venues visitors cannot go to (``visit`` = ``no``):
    unless the visitor asks for them ("include organisations") or searches by text (a
    search hit always shows)."""
    return not include_orgs and not text.strip()


def sidebar_filter(
    data: Dataset,
    categories: list[str] | tuple[str, ...] | None = None,
    *,
    text: str = "",
    members_only: bool = False,
    wheelchair: bool = False,
    open_at: datetime | None = None,
    include_orgs: bool = False,
) -> VenueFilter:
    """The filter Explore's sidebar asks for; with ``data`` alone, the one it opens with
    (every category of ``categories.csv``, nothing else).

    The one home of Explore's filter policy: the page builds its filter here, and the
    members' page asks here what a visitor who changed nothing (or ticked one switch)
    sees, so the two never disagree and share the remembered answers. With a time
    (``open_at``) the venues visitors cannot go to are left out, as the list leaves
    them out (:func:`hides_organisations`).
    """
    return VenueFilter(
        categories=tuple(data.categories["id"]) if categories is None else tuple(categories),
        text=text,
        members_only=members_only,
        wheelchair=wheelchair,
        open_at=open_at,
        visitable_only=open_at is not None and hides_organisations(text, include_orgs),
    )
