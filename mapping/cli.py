"""The command line: ``python -m mapping validate|info|export|events|gaps|report [DIR] …``
and ``import FILE --into DIR``, ``import-events FILE --into DIR``
(:mod:`mapping.imports.commands`), ``submissions list|show|apply|reject …``
(:mod:`mapping.submissions.commands`), ``accounts add|remove|list``
(:mod:`mapping.accounts`), ``backup [DIR] --out FILE`` and
``restore FILE [DIR]`` (:mod:`mapping.backup`), ``links issue|revoke|list|csv|sheets``
(:mod:`mapping.link_commands`).

Exit codes: 0 success, 1 the data has problems (one line each,
``file:record:field: message``) or a file cannot be written, 2 bad arguments (argparse
prints the usage), 130 interrupted (Ctrl-C: one line, no traceback), 143 terminated
(SIGTERM: the write in progress removes its temp file first).
No traceback reaches the user for bad input.

Decisions:

- ``--out -`` means standard output; any other ``--out`` is written atomically by
  :func:`mapping.files.atomic_write`, which refuses a target that is not a regular file
  or a new name in an existing folder. The target is checked before the data is read,
  so a wrong path fails at once.
- **Terminal text shows control characters instead of obeying them**
  (:func:`terminal_text`): the ``events`` table, ``info`` and every problem line go
  through it, so a data value cannot move the cursor, recolour or clear the operator's
  terminal, or reorder the line with bidi controls. ESC becomes ``\\x1b``, CR ``\\r``,
  U+202E ``\\u202e``… Files (``--out``, ``--format csv|ics`` to a pipe) are not
  terminal text: they keep their exact bytes (CSV) or legal text (iCalendar).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TextIO

import pandas as pd

from mapping import accounts, backup, link_commands, planning_cli
from mapping import events as ev
from mapping.calendar import to_ics
from mapping.errors import DataError
from mapping.exporting import FORMATS, export_bytes
from mapping.files import atomic_write, check_target
from mapping.hours import MONTH_STATE_COLUMNS
from mapping.i18n import localized_column, month_name
from mapping.imports import commands as import_commands
from mapping.io import Dataset, load_dataset
from mapping.schema import in_cluster
from mapping.settings import data_dir
from mapping.submissions import commands as submission_commands
from mapping.text import terminal_text
from mapping.validate import validate_folder


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m mapping",
        description="Kotor Creative Map data tools. DIR defaults to $CREATIVE_MAP_DATA or data/.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def folder_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("folder", nargs="?", metavar="DIR", help="data folder")

    folder_arg(sub.add_parser("validate", help="list every problem in a data folder"))
    info = sub.add_parser("info", help="counts by category and open venues per month")
    folder_arg(info)
    info.add_argument("--lang", default=None, help="language code (default: the town's)")
    export = sub.add_parser("export", help="write venues as GeoJSON, CSV or one HTML map")
    folder_arg(export)
    export.add_argument("--format", choices=FORMATS, required=True)
    export.add_argument(
        "--raw-csv",
        action="store_true",
        help="CSV cells exactly as stored (default: text starting with = + - @ gets a leading ')",
    )
    export.add_argument("--lang", default=None, help="HTML map language (default: the town's)")
    export.add_argument(
        "--categories", nargs="+", default=[], metavar="ID", help="only these category ids"
    )
    export.add_argument(
        "--members-only", action="store_true", help="only cluster members and prospective members"
    )
    export.add_argument(
        "--out",
        type=_out_path,
        required=True,
        metavar="FILE",
        help="file to write (a regular file or a new name), or - for stdout",
    )
    events = sub.add_parser("events", help="events in a date range as a table, .ics or CSV")
    folder_arg(events)
    events.add_argument(
        "--from", dest="start", type=date.fromisoformat, required=True, metavar="YYYY-MM-DD"
    )
    events.add_argument(
        "--to", dest="end", type=date.fromisoformat, required=True, metavar="YYYY-MM-DD"
    )
    events.add_argument("--format", choices=("table", "ics", "csv"), default="table")
    events.add_argument(
        "--raw-csv",
        action="store_true",
        help="CSV cells exactly as stored (default: text starting with = + - @ gets a leading ')",
    )
    events.add_argument("--lang", default=None, help="language code (default: the town's)")
    events.add_argument(
        "--out", type=_out_path, metavar="FILE", help="write here instead of stdout (- is stdout)"
    )
    import_commands.add_parsers(sub)
    planning_cli.add_parsers(sub, folder_arg, _out_path)
    submission_commands.add_parsers(sub, folder_arg)
    accounts.add_parsers(sub, folder_arg)
    backup.add_parsers(sub, folder_arg)
    link_commands.add_parsers(sub, folder_arg)
    return parser


def _out_path(value: str) -> Path | None:
    """``--out`` value: a path, or ``None`` for ``-`` (standard output)."""
    return None if value == "-" else Path(value)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        with _sigterm_as_exit():
            return _run(parser, args)
    except KeyboardInterrupt:
        _say("interrupted", sys.stderr)
        return 130
    except BrokenPipeError:  # `… | head` closed the pipe: nothing more to say
        _silence_stdout()
        return 1


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    try:
        out = getattr(args, "out", None)
        if out is not None:
            check_target(out)  # before reading the data: a wrong path fails at once
        if args.command in import_commands.COMMANDS:
            return import_commands.run(args, _say)
        if args.command == "validate":
            return _validate(args.folder)
        if args.command == submission_commands.COMMAND:
            return submission_commands.run(args, _say)
        if args.command == accounts.COMMAND:
            return accounts.run(args, _say)
        if args.command in backup.COMMANDS:
            return backup.run(args, _say)
        if args.command == link_commands.COMMAND:
            return link_commands.run(args, _say)
        dataset = load_dataset(args.folder)
        if args.command == "info":
            _say(info_text(dataset, args.lang))
            return 0
        if args.command == "export":
            return _export(dataset, args)
        if args.command in planning_cli.COMMANDS:
            return planning_cli.run(dataset, args, _write, _say, terminal_text)
        if args.end < args.start:
            parser.error("--to must not be before --from")
        return _events(dataset, args)
    except DataError as exc:
        for problem in exc.problems:
            _say(str(problem), sys.stderr)
        return 1
    except BrokenPipeError:
        raise
    except OSError as exc:
        _say(f"error: {exc}", sys.stderr)
        return 1


@contextmanager
def _sigterm_as_exit() -> Iterator[None]:
    """While a command runs, SIGTERM raises SystemExit(143), so a write removes its temp."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        _say("terminated", sys.stderr)
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the exit flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout without a descriptor
        pass


def _say(text: str, file: TextIO | None = None) -> None:
    """Print terminal text (see :func:`terminal_text`)."""
    print(terminal_text(text), file=file or sys.stdout)


def _write(out: Path | None, payload: bytes) -> None:
    """``payload`` to ``out`` atomically, or to standard output when ``out`` is ``None``."""
    if out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
        return
    with atomic_write(out) as fh:
        fh.write(payload)


def _validate(folder: str | None) -> int:
    """Errors exit 1; warnings (control characters in text…) are printed but exit 0."""
    found = validate_folder(folder, warnings=True)
    problems = [p for p in found if p.level != "warning"]
    warnings = [p for p in found if p.level == "warning"]
    root = data_dir(folder)
    for problem in found:
        _say(str(problem))
    if problems:
        _say(f"{len(problems)} problem(s) in {root}", sys.stderr)
        return 1
    dataset = load_dataset(folder, enrich=False)
    _say(
        f"ok: {root}: {len(dataset.venues)} venues, {len(dataset.categories)} categories, "
        f"{len(dataset.events)} events, {len(dataset.places)} places; no problems"
        + (f", {len(warnings)} warning(s)" if warnings else "")
    )
    return 0


def info_text(dataset: Dataset, lang: str | None = None) -> str:
    """Counts by category, members, and venues open/closed/unknown in each month.

    Category labels and month names are in ``lang`` (default: the town's language).
    """
    venues = dataset.venues
    city = dataset.city
    lang = lang or city.default_language
    listed = int(in_cluster(venues["cluster"]).sum())
    lines = [
        f"{city.name}: {len(venues)} venues, {listed} listed in the cluster "
        "(members or prospective members)"
    ]
    counts = venues["category"].value_counts()
    categories = dataset.categories
    labels = dict(
        zip(
            categories["id"],
            localized_column(categories, "label", lang, city.languages),
            strict=True,
        )
    )
    lines.append("by category:")
    lines += [f"  {cat:<18} {labels.get(cat, '?'):<28} {n:>6}" for cat, n in counts.items()]
    lines.append("by month:      open  closed  unknown")
    for month, column in enumerate(MONTH_STATE_COLUMNS, start=1):
        states = venues[column].value_counts()
        lines.append(
            f"  {month_name(month, lang):<10} {states.get('open', 0):>6} "
            f"{states.get('closed', 0):>7} {states.get('unknown', 0):>8}"
        )
    return "\n".join(lines)


def _export(dataset: Dataset, args: argparse.Namespace) -> int:
    payload, count = export_bytes(
        dataset,
        args.format,
        lang=args.lang,
        categories=args.categories,
        members_only=args.members_only,
        raw_csv=args.raw_csv,
    )
    _write(args.out, payload)
    if args.out is not None:
        _say(f"wrote {count} venues to {args.out}")
    return 0


def _events(dataset: Dataset, args: argparse.Namespace) -> int:
    city = dataset.city
    lang = args.lang or city.default_language
    if lang not in city.languages:
        _say(f"error: --lang {lang!r}: expected one of {', '.join(city.languages)}", sys.stderr)
        return 2
    occ = ev.occurrences(dataset.events, args.start, args.end, city.timezone)
    left_out = 0
    if args.format == "table":
        table = ev.events_table(_visible_cells(occ), lang, city.languages)
        payload = terminal_text(table).encode("utf-8") + b"\n"
    elif args.format == "csv":
        payload = ev.to_csv_bytes(occ, lang, city.languages, raw=args.raw_csv)
    else:
        venues = pd.DataFrame(dataset.venues)
        export = to_ics(
            occ, venues, lang, city.languages, city.timezone, categories=dataset.event_categories
        )
        payload, left_out = export.data, export.left_out
    _write(args.out, payload)
    if args.out is not None:
        written = len(occ) - left_out
        _say(f"wrote {written} occurrences to {args.out}")
        if left_out:  # the .ics carries confirmed dates only (mapping.calendar.to_ics)
            _say(
                f"note: {left_out} of {len(occ)} occurrences left out of the .ics: their "
                "dates are not confirmed (dates_confirmed false); --format csv lists them all"
            )
    return 0


def _visible_cells(occ: pd.DataFrame) -> pd.DataFrame:
    """Text cells with every control shown (a line feed too: it would break the row)."""
    out = occ.copy()
    for column in out.columns:
        if pd.api.types.is_object_dtype(out[column]) or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(
                lambda v: terminal_text(v, keep_newlines=False) if isinstance(v, str) else v
            )
    return out


if __name__ == "__main__":
    sys.exit(main())
