"""Hours as people type them, read into the strict OSM ``opening_hours`` value.

Owners write ``Mo-Fr 10-18h``, ``10am-6pm``, ``pon-pet 10-18``, ``Mon–Sat 10.00-18.00``;
the strict parser (:func:`mapping.hours.check`) refuses all of them. :func:`propose`
rewrites such a value the way opening_hours.js does in its tolerant mode
(``prettifyValue``): day and month names in the town languages become ``Mo``…``Su`` and
``Jan``…``Dec``, times become ``HH:MM``, dashes and "to/bis/do" become ``-``, "closed"
becomes ``off``. A proposal is returned only when the strict parser accepts it, so a
member who takes it can always send it. :func:`problem_kind` names what is wrong in
terms a member can act on (the catalogue turns it into a sentence).

Pure and fast (a few regular expressions, then one strict parse): well under 5 ms a
value (``bench/sections/hours_proposal.py``). The reference cases are opening_hours.js's
own tests (``tests/data/opening_hours_js_tolerant.json``).
"""

from __future__ import annotations

import re
from functools import lru_cache, partial

from mapping import _hours_words as words
from mapping import hours
from mapping._hours_engine import time_range_problem

__all__ = ["PROBLEM_KINDS", "check_with_proposal", "problem_kind", "propose"]

_QUOTES = (("„", "“"), ("„", '"'), ("“", "”"), ("«", "»"), ("「", "」"), ("『", "』"))
_SINGLE_QUOTES = (("‚", "‘"), ("‘", "‘"), ("’", "’"), ("'", "'"))
_QUOTED = tuple(
    re.compile(re.escape(left) + r"([^\"“”„«»「」『』‚‘’']*)" + re.escape(right))
    for left, right in _QUOTES + _SINGLE_QUOTES
)
_CHARS = str.maketrans(
    {
        **{c: str(i) for i, c in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")},
        **{c: str(i) for i, c in enumerate("₀₁₂₃₄₅₆₇₈₉")},
        "°": "0",
        "：": ":",
        **dict.fromkeys("‐‑‒–—−ー→~～=", "-"),
        "\u00a0": " ",
        "\t": " ",
        "\n": " ",
    }
)
_WORD = re.compile(r"[^\W\d_]+(?:\.[^\W\d_]+)*\.?|&")
_COMMENT = re.compile(r'"[^"]*"')
_DAY = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)"
_MONTH = "(?:" + "|".join(words.MONTHS) + ")"
_SELECTOR = rf"(?:{_DAY}|{_MONTH}|PH|SH)"
_AMPM = re.compile(r"(?<![\d:])(\d{1,2})(?:[:.](\d{2}))?\s*\x01([ap])")
_HOUR_SUFFIX = re.compile(r"(?<![\d:])(\d{1,2})(?:[:.h](\d{2}))?\s*\x02")
_DOT_TIME = re.compile(r"(?<![\d:.])(\d{1,2})[.:h](\d{2})(?![\d.])")
_BARE_RANGE = re.compile(
    r"(?<![\d:\[/+.])(\d{1,2})(?::(\d{2}))?\s*-\s*(\d{1,2})(?::(\d{2}))?(?![\d:\]/.])(?!\s*days?\b)"
)
_TIMES_FIRST = re.compile(
    r"^((?:\d\d:\d\d-\d\d:\d\d\+?,?)+) ((?:(?:Mo|Tu|We|Th|Fr|Sa|Su|PH|SH)[-,]?)+)$"
)
_FOUR_DIGITS = re.compile(  # 0900-1700 (a year range such as 2024-2026 starts at 19xx+)
    r"(?<![\d:])(0\d|1[0-8])([0-5]\d)\s*-\s*(0\d|1\d|2[0-4])([0-5]\d)(?![\d:])"
)
_BEFORE_NUMBERS = re.compile(r"([^\W\d_]+):?\s+[\d,/\-]*$")
_OPEN_END = re.compile(
    r"(\d)\s*(?:-\s*|(?:til|till|bis|to|until|do)\s+)?(?:late|open\s*end|openend|kasno)\b",
    re.IGNORECASE,
)
_PHRASES = tuple(
    (re.compile(rf"(?<![\w]){pattern}(?![\w])", re.IGNORECASE), repl)
    for pattern, repl in words.PHRASES
)

_TOKENS = frozenset(
    (*words.DAYS, *words.MONTHS, "PH", "SH", "off", "open", "closed", "unknown", "week")
)
_TOKENS |= {"sunrise", "sunset", "dawn", "dusk", "easter", "day", "days"}
PROBLEM_KINDS = ("times", "days", "separators", "comment", "range", "other")
"""What :func:`problem_kind` can say is wrong; each has a catalogue sentence
``hours_fix.problem.<kind>``."""


def _valid(value: str) -> bool:
    return bool(value) and hours.check(value) is None


@lru_cache(maxsize=4096)
def propose(value: str) -> str | None:
    """The strict ``opening_hours`` value a sloppy ``value`` means, or ``None``.

    ``None`` when ``value`` is empty or already valid, or when nothing the strict parser
    accepts can be read from it. The proposal is always strictly valid.
    """
    if not isinstance(value, str) or not value.strip() or _valid(value.strip()):
        return None
    text = value.strip()
    for candidate in _candidates(text):
        if candidate != text and _valid(candidate):
            return candidate
    return None


def _candidates(text: str) -> list[str]:
    """The rewrite; then with times moved after their days; then split into rules where
    a new day list with its own times starts."""
    first = _rewrite(text)
    swapped = "; ".join(_TIMES_FIRST.sub(r"\2 \1", rule) for rule in first.split("; "))
    timed = rf"(?={_SELECTOR}\b[^;]*\d\d:\d\d)"
    split = re.sub(rf"(\d\d:\d\d\+?|off)\s+{timed}", r"\1; ", first)
    commas = re.sub(rf"(\d\d:\d\d\+?|off), {timed}", r"\1; ", first)
    return [first, swapped, split, commas]


def _rewrite(text: str) -> str:
    """Every tolerant rewrite, with comments kept as typed."""
    text = _straighten_quotes(text)
    comments: list[str] = []

    def keep(match: re.Match[str]) -> str:
        comments.append(match.group(0))
        return f"\x00{len(comments) - 1}\x00"

    text = re.sub(words.PREFIX, "", text, flags=re.IGNORECASE)
    text = _COMMENT.sub(keep, text).translate(_CHARS).replace("оff", "off")
    text = _OPEN_END.sub(r"\1+", text)
    for pattern, repl in _PHRASES:
        text = pattern.sub(partial(_keep_phrase, repl=repl, comments=comments), text)
    text = _COMMENT.sub(keep, text)
    text = _words(text)
    text = _times(text)
    text = _tidy(text)
    return re.sub(r"\x00(\d+)\x00", lambda m: comments[int(m.group(1))], text).strip()


def _keep_phrase(match: re.Match[str], repl: str, comments: list[str]) -> str:
    """A phrase's replacement (``\\g<1>`` filled in); a quoted one is kept as a comment."""
    out = match.expand(repl)
    if out.startswith('"'):
        comments.append(out)
        return f" \x00{len(comments) - 1}\x00 "
    return f" {out} "


def _straighten_quotes(text: str) -> str:
    """Typographic and single quotes around a note as the syntax's double quotes."""
    for pattern in _QUOTED:
        text = pattern.sub(r'"\1"', text)
    return text


def _words(text: str) -> str:
    """Each word as its token, or as typed when it is none of ours."""
    found = list(_WORD.finditer(text))
    kinds = [_kind(m.group(0)) for m in found]
    out: list[str] = []
    last = 0
    for i, match in enumerate(found):
        out.append(text[last : match.start()])
        last = match.end()
        out.append(_token(text, found, kinds, i))
    out.append(text[last:])
    return "".join(out)


def _kind(word: str) -> str:
    key = word.lower().rstrip(".")
    if key in words.DAY_WORDS or (key.endswith("s") and key[:-1] in words.DAY_WORDS):
        return "day"
    if key in words.MONTH_WORDS:
        return "month"
    return "word"


def _lookup(word: str) -> str | None:
    key = word.lower().rstrip(".")
    for k in (key, key[:-1] if key.endswith("s") else None):
        if k is None:
            continue
        for table in (words.DAY_WORDS, words.MONTH_WORDS, words.OTHER_WORDS):
            if k in table:
                return table[k]
    return None


def _neighbour(text: str, found: list[re.Match[str]], kinds: list[str], i: int, step: int) -> str:
    """What is next to word ``i`` on one side: "digit", "day", "month", "dash" or ""."""
    if step < 0:
        gap = text[found[i - 1].end() if i else 0 : found[i].start()].rstrip()
        edge = gap[-1:] if gap else ""
        other = i - 1 if i and not gap else None
    else:
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        gap = text[found[i].end() : end].lstrip()
        edge = gap[:1] if gap else ""
        other = i + 1 if i + 1 < len(found) and not gap else None
    if edge.isdigit():
        return "digit"
    if edge == "-":
        return "dash"
    if other is not None:
        unit = found[other].group(0).lower().rstrip(".")
        if unit in ("am", "pm", "a.m", "p.m") or unit in words.HOUR_SUFFIXES:
            return "digit"
        return kinds[other]
    return ""


def _token(text: str, found: list[re.Match[str]], kinds: list[str], i: int) -> str:
    word = found[i].group(0)
    key = word.lower().rstrip(".")
    before = _neighbour(text, found, kinds, i, -1)
    after = _neighbour(text, found, kinds, i, 1)
    if key in words.RANGE_WORDS and before != "dash" and before and before == after:
        return "-"
    if key in words.RANGE_WORDS and before == "digit" and after == "digit":
        return "-"
    if key in ("am", "a.m", "pm", "p.m") and before == "digit":
        return f"\x01{key[0]}"
    if key == "h" and before == "digit" and text[found[i].end() : found[i].end() + 1].isdigit():
        return ":"  # 8h30
    if key in words.HOUR_SUFFIXES and before == "digit":
        return "\x02"
    if key in words.AND_WORDS:
        return ","
    if key in words.FILLER_WORDS:
        return " "
    token = _lookup(word)
    return token if token is not None else word


def _hhmm(hour: int, minute: int) -> str:
    return f"{hour:02d}:{minute:02d}"


def _times(text: str) -> str:
    """12-hour clocks, hour units, dots and bare hours as ``HH:MM``."""

    def ampm(m: re.Match[str]) -> str:
        hour = int(m.group(1)) % 12 + (12 if m.group(3) == "p" else 0)
        return _hhmm(hour, int(m.group(2) or 0))

    text = _AMPM.sub(ampm, text)
    text = _HOUR_SUFFIX.sub(lambda m: _hhmm(int(m.group(1)), int(m.group(2) or 0)), text)
    text = text.replace("\x01a", "").replace("\x01p", "").replace("\x02", "")
    text = _DOT_TIME.sub(lambda m: _hhmm(int(m.group(1)), int(m.group(2))), text)
    text = re.sub(rf"(?<=\b{_MONTH} )(\d{{1,2}})\.(?!\d)", r"\1", text)
    text = re.sub(r"(?<=\d)\.(?=\s*[-,:;]|\s*$)", "", text)
    text = re.sub(r"(?<![\d:])([01]\d|2[0-4])([0-5]\d)(?=-\d{1,2}:\d\d)", r"\1:\2", text)
    text = re.sub(r"(?<=\d:\d\d-)([01]\d|2[0-4])([0-5]\d)(?![\d:])", r"\1:\2", text)
    text = _FOUR_DIGITS.sub(r"\1:\2-\3:\4", text)
    return _BARE_RANGE.sub(lambda m: _bare_range(text, m), text)


def _bare_range(text: str, m: re.Match[str]) -> str:
    """``10-18`` as ``10:00-18:00``, unless the numbers are month days or weeks."""
    prefix = text[: m.start()]
    owner = _BEFORE_NUMBERS.search(prefix)
    if owner is not None:
        word = owner.group(1)
        in_month_range = prefix[: owner.start()].endswith("-")
        if word == "week" or (word in words.MONTHS and not in_month_range):
            return m.group(0)
    start_h, end_h = int(m.group(1)), int(m.group(3))
    if start_h > 24 or end_h > 48:
        return m.group(0)
    if m.group(2) is None and m.group(4) is None and end_h < start_h < end_h + 12 <= 24:
        end_h += 12  # "9-5" is a working day, not a night: 22-5 stays a night
    return f"{_hhmm(start_h, int(m.group(2) or 0))}-{_hhmm(end_h, int(m.group(4) or 0))}"


def _tidy(text: str) -> str:
    """Spaces, separators and selector order the way the strict syntax writes them."""
    text = re.sub(r"(?<![\d:])(\d):(\d\d)", r"0\1:\2", text)
    text = re.sub(rf"\b({_DAY}|PH|SH)\s*:\s*(?!\d\d\b)", r"\1 ", text)
    text = re.sub(rf"\b({_DAY}|PH|SH)\s*:\s*(?=\d)", r"\1 ", text)
    text = re.sub(r"\s*(?<![+])-\s*(?!\d+\s*days?\b)", "-", text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s*,\s*", ",", text)
    text = re.sub(r",+", ",", text)
    text = re.sub(rf"\b({_DAY})\s+(?={_DAY}\b)", r"\1,", text)
    text = re.sub(rf"\b({_SELECTOR})(?=\d)", r"\1 ", text)
    text = re.sub(rf"(\d\d:\d\d\+?|off|open|unknown|\x00)\s*,\s*(?={_SELECTOR}\b)", r"\1, ", text)
    text = re.sub(r"\s*;\s*", "; ", text)
    text = re.sub(r"(?:;\s*){2,}", "; ", text)
    text = re.sub(r"\boff\b", "off", text, flags=re.IGNORECASE)
    text = re.sub(r"\bopen\b", "open", text, flags=re.IGNORECASE)
    text = re.sub(r"(\d\d:\d\d)\s+(?=\d\d:\d\d)", r"\1,", text)
    text = re.sub(r"(\d\d:\d\d)\s*/\s*(?=\d\d:\d\d-)", r"\1,", text)
    return text.strip(" ,;|")


def check_with_proposal(value: str) -> str | None:
    """:func:`mapping.hours.check`'s one-line message, ending "did you mean '…'?" when a
    strict value can be read from ``value`` (``validate`` and the imports print it)."""
    message = hours.check(value)
    if message is None:
        return None
    proposal = propose(value)
    return f"{message}; did you mean {proposal!r}?" if proposal else message


def problem_kind(value: str) -> str:
    """What is most likely wrong with a refused ``value``, one of :data:`PROBLEM_KINDS`.

    Read in order of what owners get wrong most: times not written ``HH:MM``, day names
    not ``Mo``…``Su``, separators, an unclosed comment.
    """
    text = _COMMENT.sub("", value)
    if value.count('"') % 2:
        return "comment"
    if time_range_problem(value):
        return "range"
    if re.search(r"\d\s*(?:am|pm|a\.m|p\.m|h\b|uhr)|\d\.\d|(?<![\d:])\d{1,2}\s*[-–—]", text, re.I):
        return "times"
    if re.search(r"(?<![\d:])\d{1,2}(?![\d:])", text) and not re.search(r"\d\d:\d\d", text):
        return "times"
    for match in _WORD.finditer(text):
        if match.group(0) not in _TOKENS:
            return "days"
    if re.search(r"[–—]|\s[,;]|[,;]\s*$|^\s*[,;]", value):
        return "separators"
    return "other"
