"""The suggestion form's check-as-you-type for ``opening_hours``: what is wrong with the
value, or the hours in plain words (the card's own season summary)."""

from __future__ import annotations

from mapping import clock, seasons
from mapping.i18n import t
from mapping.settings import CityProfile
from mapping.submissions import forms
from mapping.submissions.refusals import FieldProblem


def describe_hours(
    value: str, lang: str, city: CityProfile, *, year: int | None = None
) -> tuple[FieldProblem | None, list[str]]:
    """Check-as-you-type for ``opening_hours``: the problem, or the hours in plain words.

    The words are the card's season summary (:func:`mapping.seasons.season_summary`),
    one line per season ("Apr–Oct daily 09–19", "Nov–Mar Sat 10–14"); an empty value
    reads "hours unknown". ``year`` defaults to this year in the town.
    """
    if not value.strip():
        return None, [t("hours.unknown", lang)]
    limit = forms.FIXED_LIMITS["opening_hours"]
    if len(value) > limit:
        return FieldProblem(
            "opening_hours", "submissions.refused.too_long", {"count": limit, "got": len(value)}
        ), []
    problem = forms.hours_problem(value)
    if problem is not None:
        return problem, []
    if year is None:
        year = clock.now(city.timezone).year
    summary = seasons.season_summary(value, year, city.timezone, lang, country=city.country or None)
    return None, summary.split("; ")
