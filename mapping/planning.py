"""Planning's figures for one selection, computed once, and their words.

The Planning page, the printable report (:mod:`mapping.planning_report`) and the
``gaps``/``report`` commands (:mod:`mapping.planning_cli`) all take their numbers from
:func:`figures`, so page, report and downloads cannot disagree (they did: the report
listed nothing to ask first while the page listed a venue).

- **Real and hypothetical never mix.** Every figure of :class:`Figures` is today's
  coverage over the real venues; proposals (``pv``) only make :attr:`Figures.scenario`,
  a separate before → after comparison that is always labelled as one.
- **Every number says what it was computed for**: :func:`scope_text` (months, minutes,
  categories) goes beside the headline, into the report and into every download
  (:func:`scope_values`).
- **Remembered per dataset and selection** (:func:`mapping.memo.per_dataset`): a map
  click or a rerun asks again for the same selection and gets the answer back at once;
  only a changed selection or proposal is computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import pandas as pd

from mapping import coverage as cov
from mapping import months
from mapping.i18n import localized_column, month_name, number, percent, plural, t
from mapping.io import Dataset
from mapping.memo import per_dataset
from mapping.params import Proposal
from mapping.planning_columns import shown_table
from mapping.population_basis import PopulationBasis, basis_text, population_basis
from mapping.seasonality import RatioBasis, off_peak_ratio, ratio_basis, seasonality
from mapping.what_if import WhatIf, what_if, with_proposals

OFF_SEASON = "off-season"
ALL_CATEGORIES = "all"
"""The ``categories`` value of a download computed over every category."""
SCOPE_COLUMNS: tuple[str, ...] = ("selection_months", "minutes", "categories", "groups")
"""The columns (CSV) and properties (GeoJSON) a gap download adds to say its selection."""


@dataclass(frozen=True)
class Selection:
    """What a planner asks about: months, walking minutes, categories (None: all)."""

    months: tuple[int, ...]
    minutes: float = cov.DEFAULT_MINUTES
    categories: tuple[str, ...] | None = None


def off_season(dataset: Dataset) -> tuple[int, ...]:
    """The town's off-season months in the order they run (across the year end)."""
    return months.season_order(dataset.city.off_season_months)


def selected_months(value: str, dataset: Dataset) -> Sequence[int]:
    """The page's month choice: ``off-season`` or a month number as text."""
    return off_season(dataset) if value == OFF_SEASON else (int(value),)


# --------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class Figures:
    """Everything Planning shows for one selection: today's coverage, and the scenario.

    Shared by every session that asks (see :func:`figures`): never modify its frames.
    """

    selection: Selection
    plan: cov.Plan
    ranges: list[cov.Range]  # one per month, then "every month" (today's venues)
    known: npt.NDArray[np.bool_]  # settlements × selected months, known covered
    maybe: npt.NDArray[np.bool_]  # the same, possibly covered
    status: pd.Series  # covered / possible / not per settlement id, every selected month
    open_venues: npt.NDArray[np.bool_]  # the plan's venues drawn on the map
    asks: pd.DataFrame  # cov.ask_first over today's venues
    gap_list: pd.DataFrame  # cov.gaps, honouring the categories
    basis: PopulationBasis
    season: pd.DataFrame
    ratio: float | None
    ratio_basis: RatioBasis  # the venues the ratio rests on
    proposals: tuple[Proposal, ...] = ()
    scenario: WhatIf | None = None  # only with proposals


@per_dataset
def season_of(dataset: Dataset) -> pd.DataFrame:
    """:func:`mapping.seasonality.seasonality`, remembered per dataset (it reads every
    venue's monthly hours: the slowest step of a Planning rerun when asked each time)."""
    return seasonality(dataset)


@per_dataset
def ratio_basis_of(dataset: Dataset) -> RatioBasis:
    """:func:`mapping.seasonality.ratio_basis` over the town's off-season and peak months,
    remembered per dataset like :func:`season_of`."""
    city = dataset.city
    return ratio_basis(dataset, city.off_season_months, city.peak_months)


@per_dataset
def figures(
    dataset: Dataset, selection: Selection, proposals: tuple[Proposal, ...] = ()
) -> Figures:
    """The figures for ``selection``; the scenario with ``proposals`` if there are any."""
    plan = cov.build_plan(dataset)
    city = dataset.city
    season = season_of(dataset)
    chosen, minutes, cats = selection.months, selection.minutes, selection.categories
    known, maybe = cov.covered(plan, chosen, minutes, cats)
    status = np.where(known.all(axis=1), "covered", np.where(maybe.all(axis=1), "possible", "not"))
    return Figures(
        selection,
        plan,
        cov.ranges_of(plan, chosen, known, maybe),
        known,
        maybe,
        pd.Series(status, index=plan.settlements["id"].to_numpy(), dtype=object),
        cov.open_venues(plan, chosen, cats),
        cov.ask_first(plan, chosen, minutes, cats),
        cov.gaps(plan, chosen, minutes, categories=cats),
        population_basis(plan),
        season,
        off_peak_ratio(season, city.off_season_months, city.peak_months),
        ratio_basis_of(dataset),
        proposals,
        what_if(plan, proposals, chosen, minutes, cats) if proposals else None,
    )


def drawn(fig: Figures, lang: str) -> tuple[cov.Plan, pd.Series]:
    """What the page's map draws: today's plan and its open venues' reach, plus each
    proposal's reach dashed and named "Proposed venue 1"… (marks only: the settlements'
    colours stay today's coverage, :attr:`Figures.status`)."""
    if not fig.proposals:
        return fig.plan, pd.Series(fig.open_venues)
    plan = with_proposals(fig.plan, fig.proposals)
    count = len(fig.proposals)
    names = [
        *plan.venues["name"].iloc[:-count],
        *(t("planning.proposal_name", lang, number=i + 1) for i in range(count)),
    ]
    shown = np.concatenate([fig.open_venues, np.ones(count, dtype=bool)])
    return replace(plan, venues=plan.venues.assign(name=names)), pd.Series(shown)


# --------------------------------------------------------------------------- words


def share_text(share: float | None, lang: str) -> str:
    """A share of residents as ``lang`` writes a percentage (:func:`mapping.i18n.percent`:
    "42 %" in ``de``), or the words for "population unknown" when no population is known."""
    return t("planning.no_population", lang) if share is None else percent(share, lang)


def ratio_text(ratio: float | None, lang: str) -> str:
    """The off-season ÷ peak ratio with two decimals in ``lang``'s form ("0,87" in ``me``
    and ``de``, :func:`mapping.i18n.number`); "–" when the peak has no known hours."""
    return "–" if ratio is None else number(ratio, lang, digits=2)


def ratio_basis_text(fig: Figures, lang: str) -> str:
    """What the ratio rests on: "rests on 3 venues with known hours of 49" (item 4 of
    issue 22: a ratio of a handful of venues must say so beside it)."""
    basis = fig.ratio_basis
    return t(
        "planning.ratio_basis",
        lang,
        known=number(basis.with_hours, lang),
        total=number(basis.venues, lang),
    )


def range_text(r: cov.Range, lang: str) -> str:
    """One line: residents known–possible, settlements known–possible, unknown count."""
    return t(
        "planning.range_line",
        lang,
        residents_known=share_text(r.share_residents_known, lang),
        residents_possible=share_text(r.share_residents_possible, lang),
        known=r.settlements_known,
        possible=r.settlements_possible,
        total=r.settlements_total,
        unknown=r.population_unknown,
    )


def category_names(dataset: Dataset, categories: Sequence[str] | None, lang: str) -> str:
    """The chosen categories in the language, or "all categories"."""
    if categories is None:
        return t("planning.all_categories", lang)
    table = dataset.categories.set_index("id")
    labels = localized_column(table, "label", lang, dataset.city.languages)
    return ", ".join(str(labels.get(c, c)) for c in categories)


def scope_text(dataset: Dataset, selection: Selection, lang: str) -> str:
    """What every number was computed for: months, walking minutes, categories."""
    return t(
        "planning.scope",
        lang,
        months=", ".join(month_name(m, lang) for m in selection.months),
        minutes=minutes_text(selection.minutes, lang),
        categories=category_names(dataset, selection.categories, lang),
    )


def minutes_text(minutes: float, lang: str) -> str:
    """Walking minutes as ``lang`` writes them: "15", or "12,5" in ``me``/``de``."""
    return number(minutes, lang, digits=0 if float(minutes).is_integer() else 1)


def scope_values(selection: Selection, groups: Sequence[str] | None = None) -> dict[str, str]:
    """The selection as values of :data:`SCOPE_COLUMNS`, for files (ids, not words):
    ``groups`` is the ``gaps`` command's ``--categories`` (category groups)."""
    return {
        "selection_months": " ".join(str(m) for m in selection.months),
        "minutes": f"{selection.minutes:g}",
        "categories": (
            ALL_CATEGORIES if selection.categories is None else " ".join(selection.categories)
        ),
        "groups": ALL_CATEGORIES if groups is None else " ".join(groups),
    }


def basis_line(fig: Figures, lang: str) -> str:
    """What the shares rest on (:func:`mapping.population_basis.basis_text`)."""
    return basis_text(fig.basis, lang, number(fig.basis.residents, lang))


def headline(fig: Figures, lang: str) -> str:
    """Today's coverage over every selected month, in one sentence."""
    return range_text(fig.ranges[-1], lang)


def scenario_title(count: int, lang: str) -> str:
    """ "With 1 proposed venue (hypothetical, not in the data)"."""
    return plural("planning.scenario_title", lang, count)


def scenario_change(before: cov.Range, after: cov.Range, lang: str) -> str:
    """Before → after and the change, for residents and settlements known covered."""
    return t(
        "planning.scenario_change",
        lang,
        before=number(before.residents_known, lang),
        after=number(after.residents_known, lang),
        change=_signed(after.residents_known - before.residents_known, lang),
        share_before=share_text(before.share_residents_known, lang),
        share_after=share_text(after.share_residents_known, lang),
        s_before=before.settlements_known,
        s_after=after.settlements_known,
        s_change=_signed(after.settlements_known - before.settlements_known, lang),
        total=after.settlements_total,
    )


def _signed(value: float, lang: str) -> str:
    return ("+" if value >= 0 else "−") + number(abs(value), lang)


def ask_reason(row: pd.Series, lang: str) -> str:
    """Why a venue is asked first: what its answer alone decides."""
    return t(
        "planning.ask_reason",
        lang,
        residents=number(float(row["residents"]), lang),
        settlements=int(row["settlements"]),
        unknown=int(row["settlements_unknown_population"]),
        cells=int(row["settlement_months"]),
    )


def gaps_table(gap_list: pd.DataFrame, dataset: Dataset, lang: str) -> str:
    """The gap list as terminal text in ``lang`` (callers pass it through ``terminal_text``):
    the headers and values of :func:`mapping.planning_columns.shown_table`, the rank and
    the residents right-aligned."""
    shown = shown_table(gap_list, lang, dataset.categories, dataset.city.languages)
    right = {t("planning.column.rank", lang), t("planning.column.population", lang)}
    widths = {c: max([len(c), *(len(v) for v in shown[c])]) for c in shown.columns}

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(widths[c]) if c in right else v.ljust(widths[c])
            for c, v in zip(shown.columns, cells, strict=True)
        ).rstrip()

    rows = [line([str(v) for v in row]) for row in shown.to_numpy()]
    return "\n".join([line(list(shown.columns)), *rows])


def data_as_of(dataset: Dataset) -> str:
    """The newest ``checked`` date of the venues (ISO), or "" when none is given."""
    checked = dataset.venues.get("checked", pd.Series(dtype=object)).fillna("").astype(str)
    dates = sorted(d.strip() for d in checked if d.strip())
    return dates[-1] if dates else ""
