"""How do the members compare? Every member's and prospective member's completeness
and usage: the coordinator's to-do list, weakest first."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from mapping.i18n import localized_column
from mapping.io import Dataset
from mapping.members.checks import CHECKS, applies_column, check_texts, completeness_table
from mapping.memo import per_dataset
from mapping.schema import as_text, in_cluster

OVERVIEW_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "status",
    "category",
    "score",
    "missing",
    "impressions",
    "opens",
)


@per_dataset
def _cluster_rows(data: Dataset, today: date, lang: str) -> pd.DataFrame:
    """The overview without usage: members and prospective members, their score and
    the labels of the applicable checks they miss (heaviest first)."""
    venues = data.venues
    listed = in_cluster(venues["cluster"])
    table = completeness_table(data, today)[listed].reset_index(drop=True)
    chosen = venues[listed]
    categories = data.categories.set_index("id")
    labels = localized_column(categories, "label", lang, data.city.languages)
    category = chosen["category"].astype(str)
    missing = np.full(len(chosen), "", dtype=object)
    for rule in sorted(CHECKS, key=lambda r: -r.weight):
        label = check_texts(rule.key, lang, data.city)[0]
        failed = ~table[rule.key].to_numpy(dtype=bool) & table[applies_column(rule.key)].to_numpy(
            dtype=bool
        )
        missing[failed] = np.where(missing[failed] == "", label, missing[failed] + "; " + label)
    return pd.DataFrame(
        {
            "id": table["id"].astype(str).to_numpy(),
            "name": localized_column(chosen, "name", lang, data.city.languages).to_numpy(),
            "status": as_text(chosen["cluster"]).str.strip().str.lower().to_numpy(),
            "category": category.map(labels).fillna(category).to_numpy(),
            "score": table["score"].to_numpy(dtype=int),
            "missing": missing,
        }
    )


def overview(data: Dataset, usage: pd.DataFrame | None, today: date, lang: str) -> pd.DataFrame:
    """Every member's and prospective member's completeness and usage, weakest first.

    Columns :data:`OVERVIEW_COLUMNS`. ``usage`` is indexed by venue id with columns
    ``impressions`` and ``opens``; a venue it lacks counted 0 (nobody saw it), while no
    ``usage`` at all gives NaN (not counted, which is not the same as never seen).
    Sorted by score, then name, so the venues that most need help come first.
    """
    rows = _cluster_rows(data, today, lang)
    for column in ("impressions", "opens"):
        if usage is None:
            values = np.full(len(rows), np.nan)
        else:
            counts = usage[column] if column in usage.columns else pd.Series(dtype=float)
            values = rows["id"].map(counts).fillna(0).to_numpy(dtype=np.int64)
        rows = rows.assign(**{column: values})
    return rows.sort_values(["score", "name"], kind="stable").reset_index(drop=True)
