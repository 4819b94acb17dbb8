"""For members: what a venue's owner needs to know about how visitors find the venue.

Pure functions over the loaded :class:`~mapping.io.Dataset` (no Streamlit here); the
"For members" page lays them out. Five questions, one module each:

- **How complete is my record?** :mod:`.checks`: :func:`completeness` (one venue)
  and :func:`completeness_table` (every venue at once, vectorised), a score 0–100 from
  the checks of :data:`CHECKS`, the one place their weights live. The description check
  asks for the visitors' language, :func:`visitor_language` (the first of the town's
  languages after its default one): no language is named in code.
- **Who can find me?** :mod:`.visibility`: :func:`findability`, in which of the
  visitors' common views the venue appears — "open now" at sample moments
  (:func:`sample_moments`), its category layer, "members only", the wheelchair filter,
  and the nearest-first list from each tourist entry point — computed with Explore's own
  filter (:func:`mapping.explore.sidebar_filter`) and functions, so the page can never
  promise a place the visitors' page does not give. Unknown hours are *unknown*, never
  "no".
- **When am I open, against my category?** :mod:`.reach`: :func:`monthly_reach`.
- **How far am I from where visitors arrive, and who is around me?** :mod:`.nearby`:
  :func:`proximity`.
- **How do the members compare?** :mod:`.cluster`: :func:`overview`, with usage counts.

Texts are catalogue keys (``members.*``, ``mapping/locales/<lang>/members.toml``):
:func:`check_texts` and :func:`finding_text` put a result into words, so the page
never assembles a sentence itself. Everything public is re-exported here, so callers
write ``members.completeness(...)`` whatever module it lives in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mapping.members import checks, cluster, nearby, reach, visibility
from mapping.members.checks import (
    CHECK_KEYS,
    CHECKS,
    CONTACT_FIELDS,
    EVENTS_MONTHS,
    FRESH_DAYS,
    Check,
    CheckRule,
    Completeness,
    UnknownVenueError,
    applies_column,
    applies_columns,
    check_columns,
    check_texts,
    completeness,
    completeness_table,
    event_venue_ids,
    score_of,
    text_column,
    venue_row,
    visitor_language,
)
from mapping.members.cluster import OVERVIEW_COLUMNS, overview
from mapping.members.nearby import (
    ENTRY_POINT_COLUMNS,
    NEIGHBOUR_BANDS,
    NEIGHBOUR_COLUMNS,
    Proximity,
    proximity,
    walkable_venues,
)
from mapping.members.reach import category_month_hours, monthly_reach
from mapping.members.visibility import (
    NEAR_TABLE_COLUMNS,
    NO,
    SAMPLE_SATURDAY,
    SAMPLE_TIMES,
    SAMPLE_WEEKDAY,
    UNKNOWN,
    VIEW_CATEGORY,
    VIEW_MEMBERS,
    VIEW_NEAR,
    VIEW_OPEN,
    VIEW_WHEELCHAIR,
    YES,
    Finding,
    SampleMoment,
    State,
    entry_points,
    findability,
    finding_text,
    is_holiday,
    known_category,
    near_table,
    peak_sample_month,
    render_key,
    sample_moments,
)

__all__ = [
    "CHECKS",
    "CHECK_KEYS",
    "CONTACT_FIELDS",
    "ENTRY_POINT_COLUMNS",
    "EVENTS_MONTHS",
    "FRESH_DAYS",
    "NEAR_TABLE_COLUMNS",
    "NEIGHBOUR_BANDS",
    "NEIGHBOUR_COLUMNS",
    "NO",
    "OVERVIEW_COLUMNS",
    "REMEMBERED",
    "SAMPLE_SATURDAY",
    "SAMPLE_TIMES",
    "SAMPLE_WEEKDAY",
    "UNKNOWN",
    "VIEW_CATEGORY",
    "VIEW_MEMBERS",
    "VIEW_NEAR",
    "VIEW_OPEN",
    "VIEW_WHEELCHAIR",
    "YES",
    "Check",
    "CheckRule",
    "Completeness",
    "Finding",
    "Proximity",
    "SampleMoment",
    "State",
    "UnknownVenueError",
    "applies_column",
    "applies_columns",
    "category_month_hours",
    "check_columns",
    "check_texts",
    "completeness",
    "completeness_table",
    "entry_points",
    "event_venue_ids",
    "findability",
    "finding_text",
    "forget_remembered",
    "is_holiday",
    "known_category",
    "monthly_reach",
    "near_table",
    "overview",
    "peak_sample_month",
    "proximity",
    "render_key",
    "sample_moments",
    "score_of",
    "text_column",
    "venue_row",
    "visitor_language",
    "walkable_venues",
]

REMEMBERED: tuple[Callable[..., Any], ...] = tuple(
    fn
    for module in (checks, visibility, reach, nearby, cluster)
    for fn in vars(module).values()
    if callable(fn) and hasattr(fn, "cache_clear") and fn.__module__ == module.__name__
)
"""Every function of the package that remembers its answers per dataset
(:func:`mapping.memo.per_dataset`), private helpers included."""


def forget_remembered() -> None:
    """Forget every answer :data:`REMEMBERED` holds: the benchmark's cold measurement."""
    for fn in REMEMBERED:
        fn.cache_clear()  # type: ignore[attr-defined]  # set by memo.per_dataset
