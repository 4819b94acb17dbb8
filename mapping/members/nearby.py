"""How far am I from where visitors arrive, and who is around me?

Walking minutes come from the town's walk model (:func:`mapping.distance.walk_model`)
and the ranks from Explore's own near list (:func:`~mapping.members.visibility.near_table`).
Only a venue placed on foot gets minutes and neighbours: a boat-only or settlement-level
point would invent them (:func:`mapping.distance.reach`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mapping.distance import REACH_BOAT, REACH_WALK, reach, walk_model
from mapping.i18n import localized_column
from mapping.io import Dataset
from mapping.members.checks import venue_row
from mapping.members.visibility import entry_points, known_category, near_table
from mapping.memo import per_dataset
from mapping.query import visitable

NEIGHBOUR_BANDS: tuple[int, ...] = (5, 10)
"""Walking minutes the neighbours are grouped by: within 5, and within 10."""


@dataclass(frozen=True)
class Proximity:
    """How far the venue is from the entry points, and who is around it.

    ``entry_points``: one row per entry point: ``start`` (landmark id), ``label``,
    ``minutes`` (approximate walk, NaN when none is honest), ``rank``/``ranked`` and
    ``category_rank``/``category_ranked`` (the near list's walking rank and how many it
    ranks; NA when unranked), ``reason_key`` ("" when ranked, else why not).
    ``neighbours``: ``id``, ``name`` (in the language asked), ``category``,
    ``category_label``, ``minutes``, ``same_category``, ``band`` (5 or 10), nearest
    first; empty with ``neighbours_reason_key`` set when the venue has no honest point.
    """

    entry_points: pd.DataFrame
    neighbours: pd.DataFrame
    neighbours_reason_key: str


NEIGHBOUR_COLUMNS = ("id", "name", "category", "category_label", "minutes", "same_category", "band")


def _no_minutes_reason(kind: str) -> str:
    """Why a venue not placed on foot (``kind`` from :func:`~mapping.distance.reach`)
    gets no minutes."""
    return (
        "members.reason.no_minutes_boat"
        if kind == REACH_BOAT
        else "members.reason.no_minutes_unplaced"
    )


ENTRY_POINT_COLUMNS = (
    "start",
    "label",
    "minutes",
    "rank",
    "ranked",
    "category_rank",
    "category_ranked",
    "reason_key",
)


def _entry_point_rows(data: Dataset, row: pd.DataFrame, kind: str, lang: str) -> pd.DataFrame:
    """:attr:`Proximity.entry_points`: minutes from each entry point, and the near list's
    walking ranks read from :func:`near_table` (so they are Explore's own)."""
    category = str(row["category"].iloc[0])
    table = near_table(data, lang)
    ranked_rows = table[table["rank"].notna().to_numpy()]
    ranked = ranked_rows.groupby("start").size()
    ranked_here = ranked_rows[ranked_rows["category"] == category].groupby("start").size()
    mine = table[table["id"] == str(row["id"].iloc[0])]
    rank = dict(zip(mine["start"], mine["rank"], strict=True))
    category_rank = dict(zip(mine["start"], mine["category_rank"], strict=True))
    if kind != REACH_WALK:
        reason = _no_minutes_reason(kind)
    elif not known_category(data, row):
        reason = "members.reason.unknown_category"
    else:
        reason = "members.reason.near_not_visitable"  # placed, yet left out of the list
    model = walk_model(data)
    rows = []
    for start, mark in entry_points(data, lang).iterrows():
        walked = kind == REACH_WALK
        minutes = (
            float(model.minutes((float(mark["lat"]), float(mark["lon"])), row).iloc[0])
            if walked
            else np.nan
        )
        listed = walked and start in rank
        rows.append(
            (
                str(start),
                str(mark["label"]),
                minutes,
                rank.get(start) if listed else pd.NA,
                int(ranked.get(start, 0)),
                category_rank.get(start) if listed else pd.NA,
                int(ranked_here.get(start, 0)),
                "" if listed else reason,
            )
        )
    frame = pd.DataFrame(rows, columns=list(ENTRY_POINT_COLUMNS))
    return frame.astype({"minutes": float, "rank": "Int64", "category_rank": "Int64"})


@per_dataset
def walkable_venues(data: Dataset, lang: str) -> pd.DataFrame:
    """The neighbour candidates: visitable venues placed on foot (the near list's
    ranked basis), with metric ``x``/``y``, localized ``name`` and ``category_label``."""
    venues = data.venues
    keep = visitable(venues) & (reach(venues) == REACH_WALK).to_numpy()
    chosen = venues[keep]
    categories = data.categories.set_index("id")
    labels = localized_column(categories, "label", lang, data.city.languages)
    category = chosen["category"].astype(str)
    return pd.DataFrame(
        {
            "id": chosen["id"].astype(str).to_numpy(),
            "name": localized_column(chosen, "name", lang, data.city.languages).to_numpy(),
            "category": category.to_numpy(),
            "category_label": category.map(labels).fillna(category).to_numpy(),
            "x": chosen["x"].to_numpy(dtype=float),
            "y": chosen["y"].to_numpy(dtype=float),
        }
    )


def _neighbours(data: Dataset, row: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Candidates within the widest band of the venue's point, nearest first."""
    candidates = walkable_venues(data, lang)
    point = row.geometry.iloc[0]
    minutes = (
        walk_model(data).minutes((float(point.y), float(point.x)), candidates).to_numpy(dtype=float)
    )
    venue_id = str(row["id"].iloc[0])
    near = (minutes <= NEIGHBOUR_BANDS[-1]) & (candidates["id"].to_numpy() != venue_id)
    found = candidates[near].assign(minutes=minutes[near])
    found["same_category"] = found["category"] == str(row["category"].iloc[0])
    bands = np.array(NEIGHBOUR_BANDS)
    found["band"] = bands[np.searchsorted(bands, found["minutes"].to_numpy(), side="left")]
    ordered: pd.DataFrame = found.sort_values(["minutes", "id"], kind="stable")
    columns: pd.DataFrame = ordered.reindex(columns=list(NEIGHBOUR_COLUMNS))
    return columns.reset_index(drop=True)


@per_dataset
def proximity(data: Dataset, venue_id: str, lang: str) -> Proximity:
    """Walking minutes and near-list ranks from each entry point, and the neighbours of
    the same and of other categories within 5 and 10 minutes' walk.

    Only a venue placed on foot gets minutes and neighbours: a boat-only or
    settlement-level point would invent them (:func:`mapping.distance.reach`).
    """
    row = venue_row(data, venue_id)
    kind = str(reach(row).iloc[0])
    entries = _entry_point_rows(data, row, kind, lang)
    if kind != REACH_WALK:
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in NEIGHBOUR_COLUMNS})
        return Proximity(entries, empty, _no_minutes_reason(kind))
    return Proximity(entries, _neighbours(data, row, lang), "")
