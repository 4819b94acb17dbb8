"""What Planning's shares of residents rest on: which settlements have a population.

A share such as "12 %–100 % of residents" means little without its basis: most
settlements may have no population figure (``places.geojson`` leaves it ``null`` when no
source gives one), the figures may come from different censuses, and neighbours outside
the municipality may sit among the settlements. :func:`population_basis` counts all of
this once for a plan, and :func:`basis_text` says it in words, for the Planning page and
the printed report alike. Settlements without a population are a visible category,
named, never silently dropped; settlements left out of the plan are named too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mapping.coverage import Plan
from mapping.i18n import t


@dataclass(frozen=True)
class PopulationBasis:
    """The settlements a plan counts and the populations its shares rest on."""

    settlements: int  # settlements counted (after leaving out the outside ones)
    with_population: int
    residents: float  # sum of the known populations
    by_year: tuple[tuple[int | None, int], ...]  # (census year or None, settlements), by year
    without_population: tuple[str, ...]  # names, in the plan's order
    outside: tuple[str, ...]  # names of the settlements left out (outside the municipality)


def population_basis(plan: Plan) -> PopulationBasis:
    """Count the plan's settlements with and without a population, per census year."""
    s = plan.settlements
    population = s["population"].to_numpy(dtype=float)
    has = ~np.isnan(population)
    years = (
        s["population_year"].to_numpy(dtype=float)
        if "population_year" in s.columns
        else np.full(len(s), np.nan)
    )
    counted: dict[int | None, int] = {}
    for year in years[has]:
        key = None if np.isnan(year) else int(year)
        counted[key] = counted.get(key, 0) + 1
    order = sorted(counted, key=lambda y: (y is None, y or 0))
    return PopulationBasis(
        settlements=len(s),
        with_population=int(has.sum()),
        residents=float(population[has].sum()),
        by_year=tuple((y, counted[y]) for y in order),
        without_population=tuple(s.loc[~has, "name"].astype(str)),
        outside=plan.outside,
    )


def basis_text(basis: PopulationBasis, lang: str, number: str) -> str:
    """The basis in one paragraph: "Population known for 2 of 14 settlements (2011
    census: 2), 2,322 residents. Without a population (counted as settlements only): …".

    ``number`` is the residents total already formatted for ``lang``.
    """
    years = ", ".join(
        t("planning.basis_year", lang, year=year, count=count)
        if year is not None
        else t("planning.basis_no_year", lang, count=count)
        for year, count in basis.by_year
    )
    parts = [
        t(
            "planning.basis",
            lang,
            known=basis.with_population,
            total=basis.settlements,
            years=years or "–",
            residents=number,
        )
    ]
    if basis.without_population:
        parts.append(t("planning.basis_without", lang, names=", ".join(basis.without_population)))
    if basis.outside:
        parts.append(t("planning.basis_outside", lang, names=", ".join(basis.outside)))
    return " ".join(parts)
