"""What every part of the For members page reads: one run's data, language and moment.

Not a page (``app.py``'s ``st.navigation`` lists the pages): ``members_page.py`` builds
one :class:`MembersRun` per script run and hands it to the part it shows
(``_members_listing``, ``_members_forms`` with ``_members_event_form`` and
``_members_location``, ``_members_overview``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from mapping import clock, i18n, store, submissions
from mapping.io import Dataset
from mapping.settings import CityProfile

NEIGHBOURS_ZOOM = 16  # about 10 minutes' walk each way on a 380 px map


@dataclass(frozen=True, eq=False)
class MembersRun:
    """One run of the page: the dataset, the page's language, today and the current
    minute in the town, the suggestion store, and the venues with their names in that
    language (indexed by id)."""

    data: Dataset
    lang: str
    today: date
    minute: datetime
    db_path: store.Location
    limits: dict[str, int]
    venues: pd.DataFrame
    names: pd.Series
    category_labels: pd.Series

    @property
    def city(self) -> CityProfile:
        """The town profile (``city.toml``)."""
        return self.data.city

    def at(self, venue: str) -> tuple[float, float]:
        """The venue's point as (lat, lon), to start a map about it there."""
        point = self.venues.loc[venue].geometry
        return float(point.y), float(point.x)


def refusal_lines(refused: submissions.Refused, lang: str) -> list[str]:
    """A refusal as sentences in ``lang``, each naming its field by the form's label
    ("End: the end … is before the start …"), never by the stored name."""
    lines = []
    for problem in refused.problems:
        if not problem.field:
            lines.append(problem.text(lang))
            continue
        try:
            label = submissions.field_label(problem.field, lang)
        except KeyError:  # a field no form shows (an API caller's): its own name
            label = problem.field
        lines.append(f"{label}: {problem.text(lang)}")
    return lines


def members_run(data: Dataset, lang: str) -> MembersRun:
    """This run's :class:`MembersRun`: "now" read once, from :func:`mapping.clock.now`."""
    city = data.city
    now = clock.now(city.timezone)
    venues = data.venues.set_index("id", drop=False)
    return MembersRun(
        data=data,
        lang=lang,
        today=now.date(),
        minute=clock.to_minute(now),
        db_path=store.database_path(city, data.folder),
        limits=submissions.limits(city),
        venues=venues,
        names=i18n.localized_column(venues, "name", lang, city.languages),
        category_labels=i18n.localized_column(
            data.categories.set_index("id"), "label", lang, city.languages
        ),
    )
