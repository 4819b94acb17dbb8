"""What the Explore page shows, computed from plain values (no Streamlit here).

The page only lays out widgets; these functions turn its widget values into the
filtered venues, the start point, the nearest-first list and the card extras.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import cast
from zoneinfo import ZoneInfo

import geopandas as gpd
import pandas as pd

from mapping import events as ev
from mapping import seasons
from mapping.distance import WalkModel
from mapping.i18n import localized_column, t
from mapping.io import Dataset
from mapping.query import VenueFilter, apply_filter, nearest
from mapping.settings import CityProfile
from mapping.text import markdown_literal

NEAR_LIMIT = 30  # venues in the nearest-first list; the map shows all of them
UPCOMING_PER_VENUE = 3


def landmarks(places: gpd.GeoDataFrame, lang: str, languages: tuple[str, ...]) -> pd.DataFrame:
    """Landmarks usable as start points: index id, columns label, lat, lon, entry_point."""
    marks = places[places["kind"] == "landmark"]
    return pd.DataFrame({
        "label": localized_column(marks, "name", lang, languages).to_numpy(),
        "lat": marks.geometry.y.to_numpy(),
        "lon": marks.geometry.x.to_numpy(),
        "entry_point": marks.get("entry_point", pd.Series(False, index=marks.index)).to_numpy(),
    }, index=marks["id"].to_numpy())


def moment(when: str, now: datetime, day: date, at: time, tz: str) -> datetime:
    """The datetime a filter asks about: now (to the minute) or the chosen day and time.

    "Now" is truncated to the minute so reruns within a minute reuse cached maps.
    """
    if when == "at":
        return datetime.combine(day, at, tzinfo=ZoneInfo(tz))
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


def filtered(data: Dataset, venue_filter: VenueFilter, lang: str | None = None) -> gpd.GeoDataFrame:
    """Venues passing the filter, with ``display_name`` in ``lang`` (default language)."""
    city = data.city
    shown = apply_filter(data.venues, venue_filter, city.timezone, city.country or None)
    name = localized_column(shown, "name", lang or city.default_language, city.languages)
    return shown.assign(display_name=name)


def near(
    venues: pd.DataFrame, start: tuple[float, float, str], model: WalkModel
) -> pd.DataFrame:
    """The venues nearest to ``start`` first, with ``walk_min`` (``model``'s minutes on foot).

    The page gets ``model`` from :func:`mapping.distance.walk_model` and shows
    ``model.describe(lang)`` under the list, so the caption always names the model used.
    """
    return nearest(venues, (start[0], start[1]), model)


def center_on(venues: pd.DataFrame, venue_id: str | None) -> tuple[float, float] | None:
    """(lat, lon) of the selected venue, if it is among ``venues``."""
    if not venue_id:
        return None
    match = venues[venues["id"] == venue_id]
    if match.empty:
        return None
    point = match.geometry.iloc[0]
    return float(point.y), float(point.x)


def upcoming_lines(
    data: Dataset, venue_ids: set[str], lang: str, now: datetime
) -> dict[str, list[str]]:
    """The next three events at each venue, as plain-text lines for the venue card."""
    if data.events.empty or not venue_ids:
        return {}
    occ = ev.upcoming(data.events, venue_ids, now, data.city.timezone, UPCOMING_PER_VENUE)
    return ev.card_lines(occ, lang, data.city.languages)


def list_labels(
    venues: pd.DataFrame, category_labels: pd.Series, when: datetime, city: CityProfile,
    lang: str,
) -> list[str]:
    """One line per venue for the nearest-first list: name · category · walk · today's hours.

    Markdown punctuation is escaped: button labels render markdown, data must stay text.
    """
    codes, view = seasons.day_view(venues["opening_hours"], when, city.timezone, lang,
                                   country=city.country or None)
    today = view["today"].to_numpy()[codes]
    walk = venues["walk_min"].map(lambda m: t("near.walk", lang, minutes=max(1, round(m))))
    category = venues["category"].map(category_labels).fillna("")
    return [
        " · ".join(markdown_literal(part) for part in parts)
        for parts in zip(venues["display_name"], category, walk, today, strict=True)
    ]
