"""Read and check ``events.csv``: every problem found, and a frame the other modules trust.

Decisions:

- **A language is a folder, and a column.** The file has the fixed :data:`EVENT_COLUMNS`
  plus, for each language, any ``title_<lang>`` and ``description_<lang>`` it provides
  (:data:`LOCALIZED_FIELDS`). A new language adds columns to the file, not names to this
  code; readers pick the text with :func:`mapping.i18n.localized`.
- **All-day events** (dates without times) start at local 00:00 and their ``end`` is
  *exclusive*: local 00:00 of the day after the last day, exactly like an iCalendar
  ``DTEND;VALUE=DATE``. A timed event without ``end`` ends when it starts; an all-day
  event without ``end`` lasts one day.
- **Local times that do not exist or exist twice** (the DST change nights) are shifted
  forward to the first valid time, and the first (summer-time) reading is used.
- **Bad rows.** :func:`read_events` reports every problem. Rows whose timing cannot be
  trusted (id, start, end, recurrence, duplicate id) are left out of the frame; other
  bad values fall back to the safe reading: a bad ``dates_confirmed`` reads as
  unconfirmed (no invented dates), a bad ``free`` as unknown, a ``url`` that
  :func:`mapping.schema.is_web_url` refuses as none. An empty ``dates_confirmed``
  means the dates are as given.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from mapping.errors import Problem
from mapping.events._arrays import Bools, Times, localize
from mapping.schema import NO_VALUES, RECURRENCES, YES_VALUES, as_text, is_web_url, rule_mask
from mapping.text import search_keys

EVENT_COLUMNS: tuple[str, ...] = (
    "id",
    "title",
    "category",
    "venue_id",
    "start",
    "end",
    "dates_confirmed",
    "recurrence",
    "price",
    "free",
    "url",
    "organiser",
    "source",
)
"""The fixed columns of ``events.csv``; missing optional ones read as empty."""

LOCALIZED_FIELDS: tuple[str, ...] = ("title", "description")
"""Fields that may also come once per language, as ``<field>_<lang>`` (``title_en``)."""

REQUIRED: tuple[str, ...] = ("id", "title", "category", "venue_id", "start")

_EXPECTED_HEADER = (
    ",".join(EVENT_COLUMNS) + " (and title_<lang>, description_<lang> for each language)"
)
_DATE_RE = r"\d{4}-\d{2}-\d{2}"
_DATETIME_RE = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?"
YEARS: tuple[int, int] = (1900, 2199)
"""The years an event may start or end in (inclusive)."""
_EXPECTED_DATE = (
    f"expected YYYY-MM-DD (all-day) or YYYY-MM-DDTHH:MM (local time) in the "
    f"years {YEARS[0]}-{YEARS[1]}"
)
_FATAL_EMPTY = frozenset({"id", "start"})


def read_events(path: Path | str, tz: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Read ``events.csv`` into the loaded form of the contract, with every problem found.

    Never raises for bad content: an unreadable, empty or unparsable file gives an empty
    frame and one problem naming the file; a row with the wrong number of fields is left
    out with a problem naming its row ("row N" counts data rows from 1).

    Returns
    -------
    The events (``start``/``end`` aware in ``tz``, ``dates_confirmed`` and ``all_day``
    bool, ``free`` nullable boolean, plus a ``search`` column of folded titles,
    descriptions and organiser so a text search does not fold 200,000 strings per query),
    and the problems in file order.
    """
    path = Path(path)
    lines, problem = _read_lines(path)
    if problem is not None:
        return _empty_events(tz), [problem]
    header = [c.strip() for c in lines[0][1]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        msg = f"missing column(s) {', '.join(missing)}; expected header {_EXPECTED_HEADER}"
        return _empty_events(tz), [Problem(path.name, "header", ",".join(missing), msg)]
    found: list[tuple[int, Problem]] = []
    rows: list[list[str]] = []
    numbers: list[int] = []
    for number, (line, row) in enumerate(lines[1:], start=1):
        if len(row) == len(header):
            rows.append(row)
            numbers.append(number)
        else:  # a shifted row would put values in the wrong columns: leave it out
            msg = (
                f"malformed CSV: {len(row)} fields on line {line}, expected {len(header)} "
                "(a comma in a value needs quotes)"
            )
            found.append((number, Problem(path.name, f"row {number}", "", msg)))
    raw = pd.DataFrame(rows, columns=header, dtype=str)
    frame = _parse_events(raw, tz, _Report.start(path.name, raw, numbers, found))
    found.sort(key=lambda item: item[0])  # file order; stable within a row
    return frame, [problem for _, problem in found]


def _read_lines(path: Path) -> tuple[list[tuple[int, list[str]]], Problem | None]:
    """The non-empty CSV rows with their line numbers, or the one problem with the file."""
    file = path.name
    try:
        # bytes, then decode: read_text would turn a CR inside a quoted value into LF
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return [], Problem(file, "-", "-", f"file not found: {path}")
    except UnicodeDecodeError as exc:
        return [], Problem(file, "-", "-", f"malformed CSV, expected UTF-8 text: {exc}")
    except OSError as exc:
        return [], Problem(file, "-", "-", f"cannot read the file: {exc}")
    if not text.strip():
        return [], Problem(
            file, "-", "-", f"empty file: expected a header row with {_EXPECTED_HEADER}"
        )
    # A field may be as long as the file (already capped by [limits] max_file_mb): an
    # over-long title is then refused by validate naming its record and field, instead
    # of the csv module's 128 KiB limit failing the whole file.
    csv.field_size_limit(max(csv.field_size_limit(), len(text)))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        return [(reader.line_num, row) for row in reader if row], None
    except csv.Error as exc:
        return [], Problem(file, "-", "-", f"malformed CSV near line {reader.line_num}: {exc}")


@dataclass
class _Report:
    """Collects (row number, problem) pairs and which rows cannot be kept."""

    file: str
    numbers: list[int]  # 1-based data row number of each row of the frame
    records: list[str]  # how a problem names the row: its id, else "row N"
    found: list[tuple[int, Problem]]
    drop: Bools  # rows left out of the frame

    @classmethod
    def start(
        cls, file: str, raw: pd.DataFrame, numbers: list[int], found: list[tuple[int, Problem]]
    ) -> _Report:
        ids = as_text(raw["id"]).str.strip()
        records = [i if i else f"row {numbers[k]}" for k, i in enumerate(ids)]
        return cls(file, numbers, records, found, np.zeros(len(raw), dtype=bool))

    def add(
        self, mask: Bools, column: str, message: str | Callable[[int], str], *, fatal: bool
    ) -> None:
        """One problem per row in ``mask``; ``fatal`` rows are left out of the frame."""
        for k in np.flatnonzero(mask):
            text = message(int(k)) if callable(message) else message
            self.found.append((self.numbers[k], Problem(self.file, self.records[k], column, text)))
        if fatal:
            self.drop |= mask


def _parse_events(raw: pd.DataFrame, tz: str, report: _Report) -> pd.DataFrame:
    """Check and convert the text cells; problems go to ``report``."""
    frame = raw.copy()
    for column in EVENT_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    for column in frame.columns:
        frame[column] = as_text(frame[column]).str.strip()
    _check_required(frame, report)
    _check_unique_ids(frame, report)
    start, end, all_day = _check_times(frame, report)

    out = frame.copy()
    out["start"] = localize(start, tz)
    out["end"] = localize(end, tz)
    out["recurrence"] = _check_recurrence(frame, report)
    out["dates_confirmed"] = _check_confirmed(frame, report)
    out["free"] = _check_free(frame, report)
    out["url"] = _check_url(frame, report)
    out["all_day"] = all_day
    out = out[[*EVENT_COLUMNS, *[c for c in out.columns if c not in EVENT_COLUMNS]]]
    out = out.loc[~report.drop].reset_index(drop=True)
    out["search"] = search_column(out)
    return out


def _check_required(frame: pd.DataFrame, report: _Report) -> None:
    for column in REQUIRED:
        empty = (frame[column] == "").to_numpy(dtype=bool)
        report.add(empty, column, "required, is empty", fatal=column in _FATAL_EMPTY)


def _check_unique_ids(frame: pd.DataFrame, report: _Report) -> None:
    ids = frame["id"]
    duplicate = (ids.duplicated() & (ids != "")).to_numpy(dtype=bool)
    first_row = {i: report.numbers[k] for k, i in reversed(list(enumerate(ids))) if i}
    report.add(
        duplicate,
        "id",
        lambda k: f"duplicate id (first used in row {first_row[ids.iat[k]]})",
        fatal=True,
    )


def _check_times(frame: pd.DataFrame, report: _Report) -> tuple[Times, Times, Bools]:
    """Naive local start and (exclusive) end, and "all day"; bad timing is fatal."""
    start_text, end_text = frame["start"], frame["end"]
    start, start_is_date, start_ok = _parse_local(start_text)
    given_end, end_is_date, end_ok = _parse_local(end_text)
    has_start = (start_text != "").to_numpy(dtype=bool)
    has_end = (end_text != "").to_numpy(dtype=bool)
    report.add(
        has_start & ~start_ok,
        "start",
        lambda k: f"{_EXPECTED_DATE}, got {start_text.iat[k]!r}",
        fatal=True,
    )
    report.add(
        has_end & ~end_ok, "end", lambda k: f"{_EXPECTED_DATE}, got {end_text.iat[k]!r}", fatal=True
    )
    mixed = start_ok & end_ok & has_end & (start_is_date != end_is_date)
    report.add(
        mixed,
        "end",
        lambda k: (
            "expected YYYY-MM-DD like start (an all-day event)"
            if start_is_date[k]
            else "expected YYYY-MM-DDTHH:MM like start (a timed event)"
        ),
        fatal=True,
    )
    before = start_ok & end_ok & has_end & ~mixed & (given_end < start)
    report.add(
        before,
        "end",
        lambda k: f"end {end_text.iat[k]} is before start {start_text.iat[k]}",
        fatal=True,
    )
    # All-day end is exclusive: the midnight after the last day. No end: one day / no length.
    all_day = start_ok & start_is_date
    one_day = np.timedelta64(1, "D")
    end = np.where(all_day, given_end + one_day, given_end)
    default_end = np.where(all_day, start + one_day, start)
    return start, np.where(has_end & end_ok, end, default_end), all_day


def _parse_local(text: pd.Series) -> tuple[Times, Bools, Bools]:
    """Naive local ``datetime64[ns]`` (NaT if bad), "was date-only", and "parsed".

    A year outside :data:`YEARS` is not parsed (pandas' nanosecond times end in 1677
    and 2262; a what's-on date that far away is a typo).
    """
    is_date = text.str.fullmatch(_DATE_RE).to_numpy(dtype=bool)
    is_datetime = text.str.fullmatch(_DATETIME_RE).to_numpy(dtype=bool)
    year = pd.to_numeric(text.str[:4], errors="coerce").to_numpy(dtype=float)
    in_range = (year >= YEARS[0]) & (year <= YEARS[1])
    candidate = text.where((is_date | is_datetime) & in_range, None)
    parsed = pd.to_datetime(candidate, format="ISO8601", errors="coerce")
    naive = pd.DatetimeIndex(parsed).as_unit("ns").to_numpy()
    ok = ~np.isnat(naive)
    return naive, is_date & ok, ok


def _check_recurrence(frame: pd.DataFrame, report: _Report) -> pd.Series:
    recurrence = frame["recurrence"].str.lower()
    bad = ~recurrence.isin(RECURRENCES).to_numpy(dtype=bool)
    report.add(
        bad,
        "recurrence",
        lambda k: f"expected empty, 'annual' or 'weekly', got {frame['recurrence'].iat[k]!r}",
        fatal=True,
    )
    return recurrence


def _check_confirmed(frame: pd.DataFrame, report: _Report) -> Bools:
    """Empty means "as given"; a value we cannot read means "not confirmed" (never invent)."""
    true, bad, known = _parse_bool(frame["dates_confirmed"])
    report.add(
        bad,
        "dates_confirmed",
        lambda k: f"expected true or false, got {frame['dates_confirmed'].iat[k]!r}",
        fatal=False,
    )
    return np.where(known, true, True)


def _check_free(frame: pd.DataFrame, report: _Report) -> pd.arrays.BooleanArray:
    """True, false or unknown (empty or unreadable)."""
    true, bad, known = _parse_bool(frame["free"])
    report.add(
        bad,
        "free",
        lambda k: f"expected true, false or empty (unknown), got {frame['free'].iat[k]!r}",
        fatal=False,
    )
    return pd.arrays.BooleanArray(true, ~known | bad)


def _check_url(frame: pd.DataFrame, report: _Report) -> pd.Series:
    """The link, or empty when :func:`mapping.schema.is_web_url` refuses it."""
    urls = frame["url"]
    bad = (urls != "").to_numpy(dtype=bool) & ~rule_mask(urls, is_web_url)
    report.add(
        bad,
        "url",
        lambda k: f"expected an http(s) address like https://example.org/, got {urls.iat[k]!r}",
        fatal=False,
    )
    return urls.where(~bad, "")


def _parse_bool(values: pd.Series) -> tuple[Bools, Bools, Bools]:
    """(true, present but unreadable, present) for a column of true/false words."""
    lowered = values.str.lower()
    true = lowered.isin(YES_VALUES).to_numpy(dtype=bool)
    false = lowered.isin(NO_VALUES).to_numpy(dtype=bool)
    known = (values != "").to_numpy(dtype=bool)
    return true, known & ~true & ~false, known


def _empty_events(tz: str) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=str) for c in EVENT_COLUMNS})
    frame["start"] = pd.Series(dtype=f"datetime64[ns, {tz}]")
    frame["end"] = pd.Series(dtype=f"datetime64[ns, {tz}]")
    frame["dates_confirmed"] = pd.Series(dtype=bool)
    frame["free"] = pd.Series(dtype="boolean")
    frame["all_day"] = pd.Series(dtype=bool)
    frame["search"] = pd.Series(dtype=str)
    return frame


def language_columns(columns: Sequence[str]) -> list[str]:
    """The per-language and original text columns present: ``title``, ``title_*``, ...

    Every :data:`LOCALIZED_FIELDS` column in any language, so a search finds an event by
    its title in a language nobody listed in code.
    """
    return [c for c in columns if any(c == f or c.startswith(f"{f}_") for f in LOCALIZED_FIELDS)]


def search_column(frame: pd.DataFrame) -> pd.Series:
    """Folded titles and descriptions in every language, and the organiser, per row."""
    return search_keys(frame, [*language_columns(list(frame.columns)), "organiser"]).astype(str)


def check_references(
    events: pd.DataFrame, venue_ids: set[str], category_ids: set[str], file: str
) -> list[Problem]:
    """Events pointing at a venue or a category that does not exist."""
    problems: list[Problem] = []
    for event_id, venue_id, category in zip(
        events["id"], events["venue_id"], events["category"], strict=True
    ):
        if venue_id and venue_id not in venue_ids:
            msg = f"unknown venue {venue_id!r}: expected an id from venues.geojson"
            problems.append(Problem(file, str(event_id), "venue_id", msg))
        if category and category not in category_ids:
            msg = f"unknown category {category!r}: expected an id from event_categories.csv"
            problems.append(Problem(file, str(event_id), "category", msg))
    return problems
