"""The words people type for days, months and states, in the town languages (and the
ones opening_hours.js reads), mapped to the OSM ``opening_hours`` tokens.

Only :mod:`mapping.hours_tolerant` reads these tables. Keys are lower case, without a
trailing dot; a German adverb ending in ``s`` ("montags") is looked up without it.
"""

from __future__ import annotations


def _w(text: str) -> tuple[str, ...]:
    """Words separated by spaces (the tables read better as sentences)."""
    return tuple(text.split())


DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_DAY_NAMES: dict[str, tuple[str, ...]] = {
    "Mo": _w(
        "mo mon monday mondays montag pon ponedjeljak ponedeljak ponedjeljkom ponedeljkom "
        "ponedjeljka ponedeljka "
        "пон понедељак понедјељак понедељком понедельник lundi lunes lunedì lun"
    ),
    "Tu": _w(
        "tu tue tues tuesday tuesdays di dienstag uto utorak utorkom utorka уто уторак уторком "
        "вторник mardi martes martedì"
    ),
    "We": _w(
        "we wed weds wednesday wednesdays mi mittwoch sri sre srijeda sreda srijedom sredom "
        "srijede srede "
        "сре среда сриједа средом среда mercredi miércoles miercoles mercoledì"
    ),
    "Th": _w(
        "th thu thur thurs thursday thursdays do donnerstag čet cet četvrtak cetvrtak "
        "četvrtkom četvrtka cetvrtkom чет четвртак четвртком четверг jeudi jueves giovedì"
    ),
    "Fr": _w(
        "fr fri friday fridays freitag pet petak petkom petka пет петак петком пятница vendredi "
        "viernes venerdì"
    ),
    "Sa": _w(
        "sa sat saturday saturdays samstag sonnabend sub subota subotom subote суб субота суботом "
        "суббота samedi sábado sabado sabato"
    ),
    "Su": _w(
        "su sun sunday sundays so sonntag ned nedjelja nedelja nedjeljom nedeljom nedjelje "
        "nedelje нед недеља недјеља недељом воскресенье dimanche domingo domenica"
    ),
}
DAY_WORDS: dict[str, str] = {word: day for day, words in _DAY_NAMES.items() for word in words}

_MONTH_NAMES: dict[str, tuple[str, ...]] = {
    "Jan": _w("jan january januar jänner januara јан јануар janvier enero gennaio"),
    "Feb": _w("feb february februar februara феб фебруар février febrero febbraio"),
    "Mar": _w("mar march mär märz maerz mart marta мар март mars marzo"),
    "Apr": _w("apr april aprila апр април avril abril aprile"),
    "May": _w("may mai maj maja мај mayo maggio"),
    "Jun": _w("jun june juni juna јун juin junio giugno"),
    "Jul": _w("jul july juli jula јул juillet julio luglio"),
    "Aug": _w("aug august avg avgust avgusta авг август août agosto"),
    "Sep": _w("sep sept september septembar septembra сеп септембар septembre septiembre"),
    "Oct": _w("oct okt october oktober oktobar oktobra окт октобар octobre octubre"),
    "Nov": _w("nov november novembar novembra нов новембар novembre noviembre"),
    "Dec": _w("dec dez december dezember decembar decembra дец децембар décembre diciembre"),
}
MONTH_WORDS: dict[str, str] = {word: m for m, words in _MONTH_NAMES.items() for word in words}

RANGE_WORDS = frozenset(_w("to till til until through thru bis do a as á ás à às ate до"))
"""Words that mean "until" between two times, days or months."""

AND_WORDS = frozenset(_w("and und & i и et y e"))
"""Words that join two selectors: a comma."""

FILLER_WORDS = frozenset(_w("od von from on nur an um uhrzeit"))
"""Words that add nothing once the value is written as OSM tokens."""

HOUR_SUFFIXES = frozenset(_w("h uhr hrs hr sati č часова ч"))
"""A unit after an hour: "10h", "18 Uhr", "18 sati"."""

OTHER_WORDS: dict[str, str] = {
    **dict.fromkeys(
        _w(
            "off close zatvoreno zatvoren zatvorena затворено затворен geschlossen geschl "
            "ruhetag fermé cerrado chiuso"
        ),
        "off",
    ),
    **dict.fromkeys(_w("open otvoreno otvoren отворено geöffnet offen"), "open"),
    **dict.fromkeys(_w("unknown"), "unknown"),
    "closed": "closed",
    **dict.fromkeys(
        _w(
            "ph holiday holidays feiertag feiertage feiertags feiertagen praznik praznikom "
            "praznici praznicima празник празником празници празницима"
        ),
        "PH",
    ),
    **dict.fromkeys(_w("sh schoolholiday schoolholidays schulferien ferien"), "SH"),
    **dict.fromkeys(_w("daily everyday täglich taeglich tägl svakodnevno свакодневно"), "Mo-Su"),
    **dict.fromkeys(
        _w("weekend weekends wochenende wochenenden vikend vikendom викенд викендом"),
        "Sa,Su",
    ),
    **dict.fromkeys(_w("workdays weekdays werktage wochentags"), "Mo-Fr"),
    **dict.fromkeys(_w("werktags"), "Mo-Sa"),
    **dict.fromkeys(_w("always nonstop anytime"), "24/7"),
    "midnight": "00:00",
    "ponoć": "24:00",
    "daylight": "sunrise-sunset",
    "week": "week",
    "day": "day",
    "days": "days",
    "sunrise": "sunrise",
    "sunset": "sunset",
    "dawn": "dawn",
    "dusk": "dusk",
    "easter": "easter",
}
"""States, holidays, ranges of days and the other words of the syntax."""

PREFIX = (
    r"^\s*(?:opening_hours\s*=|öffnungszeit(?:en)?\s*:?|radno\s+vrij?eme\s*:?|"
    r"радно\s+вријеме\s*:?|radno\s+vreme\s*:?)\s*"
)
"""A label typed before the value ("opening_hours=", "Öffnungszeiten:", "Radno vrijeme:")."""

PHRASES: tuple[tuple[str, str], ...] = (
    (
        r"24\s*hours\s*7\s*days\s*a\s*week|24\s*h?\s*[x/]\s*7|non[\s-]stop|nonstop\s+geöffnet",
        "24/7",
    ),
    (r"always\s+open|all\s+day\s+every\s+day|all\s+day", "24/7"),
    (r"always\s+closed", "closed"),
    (r"24\s*hours|24\s*sata|0-24\s*h|24\s*h", "00:00-24:00"),
    (r"(?:one\s+)?day\s+after\s+(?:public\s+)?holidays?", "PH +1 day"),
    (r"(?:one\s+)?day\s+before\s+(?:public\s+)?holidays?", "PH -1 day"),
    (r"\bPH\s*([+-])\s*1\s*days?\b", r"PH \g<1>1 day"),
    (r"public\s+holidays?|državni\s+praznici|drzavni\s+praznici|državnim\s+praznicima", "PH"),
    (r"school\s+holidays?|školski\s+raspust", "SH"),
    (
        r"(?:an\s+)?sonn(?:tag)?(?:s|en)?\s*-?\s*(?:und|/)\s*(?:an\s+)?feiertag(?:e|en|s)?",
        "PH,Su",
    ),
    (r"nedjeljom\s+i\s+praznikom|nedeljom\s+i\s+praznikom", "Su,PH"),
    (r"(?:on\s+)?work\s*days?|radnim\s+danima|radni\s+dani|радним\s+данима", "Mo-Fr"),
    (
        r"every\s+day|all\s+days|7\s*days?(?:\s*a\s*week|\s*/\s*week)?|7\s*j?\s*/\s*7|"
        r"svaki\s+dan|svakog\s+dana|сваки\s+дан|сваког\s+дана|jeden\s+tag",
        "Mo-Su",
    ),
    (r"nach[\s_]+vereinbarung", '"Nach Vereinbarung"'),
    (r"on[\s_]+appointment", '"on appointment"'),
    (r"po\s+dogovoru", '"po dogovoru"'),
)
"""Several words that mean one token, rewritten before single words are read
(case-insensitive, matched as whole words)."""
