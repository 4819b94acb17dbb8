"""Planning's tables as people read them: one home for their headers and values.

The frames of :mod:`mapping.coverage` (the gap list, "ask these first"), of
:mod:`mapping.seasonality` and of the what-if keep ids, booleans and floats, which the
CSV and GeoJSON downloads want. What the page and the printed report show is
:func:`shown_table` of such a frame: every header from the catalogue
(``planning.column.*``), yes/no words, numbers through :func:`mapping.i18n.number`
("2.048" in ``me``/``de``), month numbers as month names, category ids as their labels
and category groups as their names (:func:`group_names`), ids and coordinates left out.
A column without an entry in :data:`COLUMNS` raises: a raw header such as
``settlements_unknown_population`` is never shown.

The what-if's before/after table (:func:`what_if_table`) puts the measures that
changed first and writes each cell short ("12 % → 100 %"), so the changed column is
never the one cut off at the page's width.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import pandas as pd

from mapping.i18n import localized_column, month_name, number, percent, t

Kind = Literal[
    "text",
    "number",
    "year",
    "yes_no",
    "month",
    "group",
    "category",
    "status",
    "population",
    "rank",
    "hidden",
]
"""How a column's values are shown (see :func:`shown_table`)."""


@dataclass(frozen=True)
class Column:
    """A column as shown: its catalogue header and how its values are written."""

    key: str
    kind: Kind
    digits: int = 0


HIDDEN = Column("", "hidden")
COLUMNS: dict[str, Column] = {
    "rank": Column("planning.column.rank", "rank"),
    "settlement_id": HIDDEN,
    "venue_id": HIDDEN,
    "lon": HIDDEN,
    "lat": HIDDEN,
    "settlement": Column("planning.column.settlement", "text"),
    "population": Column("planning.column.population", "population"),
    "population_year": Column("planning.column.population_year", "year"),
    "population_source": Column("planning.column.population_source", "text"),
    "month": Column("planning.column.month", "month"),
    "group": Column("planning.column.group", "group"),
    "possible": Column("planning.column.possible", "yes_no"),
    "venue": Column("planning.column.venue", "text"),
    "category": Column("planning.column.category", "category"),
    "residents": Column("planning.column.residents", "number"),
    "settlements": Column("planning.column.settlements", "number"),
    "settlements_unknown_population": Column(
        "planning.column.settlements_unknown_population", "number"
    ),
    "settlement_months": Column("planning.column.settlement_months", "number"),
    "open": Column("planning.column.open", "number"),
    "hours": Column("planning.column.hours", "number"),
    "unknown": Column("planning.column.unknown", "number"),
    "confirmed": Column("planning.column.confirmed", "yes_no"),
    "events": Column("planning.column.events", "number"),
    "status": Column("planning.column.status", "status"),
    "link": Column("planning.column.link", "text"),
}
"""Every column a planning frame may hold, by its id in the frame."""

GROUP_KEYS: dict[str, str] = {
    "visual": "planning.group.visual",
    "heritage": "planning.group.heritage",
    "performing": "planning.group.performing",
    "centre": "planning.group.centre",
    "screen": "planning.group.screen",
    "organisation": "planning.group.organisation",
    "other": "planning.group.other",
}
"""Category groups the catalogue names (``categories.csv``'s ``group``, data/README)."""

STATUS_KEYS: dict[str, str] = {
    "covered": "planning.status.covered",
    "possible": "planning.status.possible",
    "not": "planning.status.not",
}
"""The catalogue key naming each coverage status of a settlement."""


def yes_no(value: object, lang: str) -> str:
    """A flag as the word "yes"/"no" of ``lang`` (missing: empty)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return t("planning.table.yes" if bool(value) else "planning.table.no", lang)


def month_label(month: int | None, lang: str) -> str:
    """A month's long name, or "every month" (``None``, the all-months row of a range)."""
    return t("planning.every_month", lang) if month is None else month_name(month, lang, long=True)


def category_labels(
    categories: pd.DataFrame, lang: str, languages: Sequence[str]
) -> dict[str, str]:
    """Category id → its label in ``lang`` (``categories.csv``'s ``label_<lang>``)."""
    labels = localized_column(categories, "label", lang, languages)
    return dict(zip(categories["id"].astype(str), labels, strict=True))


def group_names(categories: pd.DataFrame, lang: str, languages: Sequence[str]) -> dict[str, str]:
    """Category group → its name in ``lang``, for every group of ``categories``.

    A group the catalogue names (:data:`GROUP_KEYS`) gets that name; a town's own group
    is named by the labels of its categories ("Galleries, Museums"), so a group id is
    never shown raw. A category without a group is its own group, named by its label.
    """
    labels = category_labels(categories, lang, languages)
    raw = categories.get("group", pd.Series("", index=categories.index))
    groups = raw.fillna("").astype(str).str.strip()
    members: dict[str, list[str]] = {}
    for category, group in zip(categories["id"].astype(str), groups, strict=True):
        members.setdefault(group or category, []).append(labels[category])
    return {
        group: t(GROUP_KEYS[group], lang) if group in GROUP_KEYS else ", ".join(names)
        for group, names in members.items()
    }


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _cell(
    value: object,
    column: Column,
    lang: str,
    names: Mapping[str, Mapping[str, str]],
) -> str:
    """One value as shown (see :func:`shown_table`)."""
    kind = column.kind
    if kind == "population" and _missing(value):
        return t("planning.population_unknown", lang)
    if _missing(value):
        return ""
    if kind == "yes_no":
        return yes_no(value, lang)
    if kind == "month":
        return month_name(int(str(value)), lang, long=True)
    if kind in ("group", "category"):
        return names[kind].get(str(value), str(value))
    if kind == "status":
        return t(STATUS_KEYS[str(value)], lang)
    if kind in ("number", "population"):
        return number(float(str(value)), lang, digits=column.digits)
    if kind in ("rank", "year"):
        return str(int(float(str(value))))
    return str(value)


def shown_table(
    frame: pd.DataFrame,
    lang: str,
    categories: pd.DataFrame,
    languages: Sequence[str],
) -> pd.DataFrame:
    """``frame`` as people read it in ``lang``: catalogue headers, every value as text.

    ``categories`` (the dataset's ``categories.csv``) and ``languages`` (the town's)
    name category ids and groups. Columns of kind ``hidden`` (ids, coordinates) are
    left out; a column missing from :data:`COLUMNS` raises ``KeyError``.
    """
    unknown = [c for c in frame.columns if c not in COLUMNS]
    if unknown:
        msg = f"no catalogue header for the planning column(s) {unknown}: add them to COLUMNS"
        raise KeyError(msg)
    names = {
        "group": group_names(categories, lang, languages),
        "category": category_labels(categories, lang, languages),
    }
    shown = {}
    for name in frame.columns:
        column = COLUMNS[name]
        if column.kind != "hidden":
            values = frame[name].tolist()
            shown[t(column.key, lang)] = [_cell(v, column, lang, names) for v in values]
    return pd.DataFrame(shown, index=range(len(frame)), dtype=object)


# --------------------------------------------------------------------------- what-if


class RangeFigures(Protocol):
    """What the before/after table reads of a coverage range (:class:`mapping.coverage.Range`)."""

    @property
    def month(self) -> int | None: ...
    @property
    def share_residents_known(self) -> float | None: ...
    @property
    def share_residents_possible(self) -> float | None: ...
    @property
    def settlements_known(self) -> int: ...
    @property
    def settlements_possible(self) -> int: ...
    @property
    def settlements_total(self) -> int: ...


WHAT_IF_MEASURES: dict[str, str] = {
    "known_share": "planning.table.known_share",
    "known_settlements": "planning.table.known_settlements",
    "possible_share": "planning.table.possible_share",
    "possible_settlements": "planning.table.possible_settlements",
}
"""The before/after table's measures, in order, and the catalogue key naming each."""


def _measure(r: RangeFigures, measure: str, lang: str) -> str:
    if measure.endswith("_share"):
        share = r.share_residents_known if measure == "known_share" else r.share_residents_possible
        return t("planning.no_population", lang) if share is None else percent(share, lang)
    count = r.settlements_known if measure == "known_settlements" else r.settlements_possible
    return t(
        "planning.table.of_total",
        lang,
        count=number(count, lang),
        total=number(r.settlements_total, lang),
    )


def what_if_table(
    before: Sequence[RangeFigures], after: Sequence[RangeFigures], lang: str
) -> pd.DataFrame:
    """Coverage before and after the proposals, one row per month, ready to show.

    Each cell is short: the value when unchanged, "12 % → 100 %" when the proposals
    change it. The measures that changed in some month come first after the month, so
    the column that changed is never the one cut off at the page's width.
    """
    rows: dict[str, list[str]] = {t("planning.column.month", lang): []}
    changed: dict[str, bool] = {}
    cells: dict[str, list[str]] = {m: [] for m in WHAT_IF_MEASURES}
    for b, a in zip(before, after, strict=True):
        rows[t("planning.column.month", lang)].append(month_label(b.month, lang))
        for measure in WHAT_IF_MEASURES:
            old, new = _measure(b, measure, lang), _measure(a, measure, lang)
            changed[measure] = changed.get(measure, False) or old != new
            cells[measure].append(
                old if old == new else t("planning.table.change", lang, before=old, after=new)
            )
    order = sorted(WHAT_IF_MEASURES, key=lambda m: not changed.get(m, False))  # stable
    for measure in order:
        rows[t(WHAT_IF_MEASURES[measure], lang)] = cells[measure]
    return pd.DataFrame(rows, dtype=object)
