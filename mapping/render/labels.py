"""The map's UI texts (:class:`~mapping.render.contract.Labels`) in one language.

The card, legend and controls read them from the payload, escaped like data so every
string the script concatenates is treated alike. Only the hours line depends on time:
"Open now" / "Today" when the moment asked about is now, else "Open at 14:00" and the
day ("Fri 10 Jul").
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from mapping import clock
from mapping.i18n import month_name, t, weekday_name
from mapping.render.contract import Labels
from mapping.settings import CityProfile
from mapping.text import escape

NOW_TOLERANCE = timedelta(minutes=15)
"""The cards say "Open now" while the moment asked about is this close to now."""


def labels(city: CityProfile, lang: str, moment: datetime, now: datetime) -> Labels:
    """The UI texts, escaped like data (to be uniform); "now" and "today" as of ``now``."""
    local = clock.local(moment, city.timezone)
    today = clock.local(now, city.timezone)
    hhmm = local.strftime("%H:%M")
    is_now = abs(local - today) <= NOW_TOLERANCE

    def text(key: str) -> str:
        return escape(t(f"map.{key}", lang))

    return {
        "legend": text("legend"),
        "member_short": text("member_short"),
        "hours_unknown": text("hours_unknown"),
        "approximate": text("approximate"),
        "settlement_level": text("settlement_level"),
        "directions": text("directions"),
        "directions_settlement": text("directions_settlement"),
        "directions_boat": text("directions_boat"),
        "access": text("access"),
        "visit_appointment": text("visit_appointment"),
        "visit_no": text("visit_no"),
        "start": text("start"),
        "address": text("address"),
        "phone": text("phone"),
        "email": text("email"),
        "website": text("website"),
        "social": text("social"),
        "categories": text("categories"),
        "zoom_in": text("zoom_in"),
        "zoom_out": text("zoom_out"),
        "close": text("close"),
        "start_here": text("start_here"),
        "same_place": text("same_place"),
        "wheelchair": text("wheelchair.label"),
        "wheelchair_yes": text("wheelchair.yes"),
        "wheelchair_limited": text("wheelchair.limited"),
        "wheelchair_no": text("wheelchair.no"),
        "wheelchair_unknown": text("wheelchair.unknown"),
        "day": escape(_day_label(local.date(), today.date(), lang)),
        "open_at": text("open_now") if is_now else escape(t("map.open_at", lang, time=hhmm)),
        "closed_at": text("closed_now") if is_now else escape(t("map.closed_at", lang, time=hhmm)),
    }


def _day_label(day: date, today: date, lang: str) -> str:
    if day == today:
        return t("map.hours_today", lang)
    return t(
        "map.hours_on",
        lang,
        weekday=weekday_name(day.weekday(), lang),
        day=day.day,
        month=month_name(day.month, lang),
    )
