"""What an import did, record by record: new, updated, unchanged or skipped (and why).

The same report for venues and events: printed as a table (terminal text, see
:func:`mapping.text.terminal_text`) and written as CSV
(:func:`mapping.files.csv_rows_bytes`) with ``--report FILE``, so a maintainer can sort
the skipped features in a spreadsheet.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from mapping.files import csv_rows_bytes

STATUSES = ("new", "updated", "removed", "unchanged", "skipped")
COLUMNS = ("status", "source", "id", "name", "detail")


@dataclass(frozen=True)
class ReportRow:
    """One incoming record's fate.

    ``source`` names the record in the input (``node/123``, ``row 4``, a UID); ``detail``
    says why it was skipped, which fields changed, or what was kept and dropped.
    """

    status: str
    source: str
    id: str = ""
    name: str = ""
    detail: str = ""


@dataclass
class ImportReport:
    """All rows of one import, plus whether anything was written."""

    file: str
    rows: list[ReportRow] = field(default_factory=list)
    written: bool = False
    notes: list[str] = field(default_factory=list)
    """Lines about the whole import (a feed's window, its encoding), printed after the table."""

    def add(self, status: str, source: str, id: str = "", name: str = "", detail: str = "") -> None:
        """Record one row (``status`` one of :data:`STATUSES`)."""
        if status not in STATUSES:
            msg = f"unknown status {status!r}"
            raise ValueError(msg)
        self.rows.append(ReportRow(status, source, id, name, detail))

    def counts(self) -> dict[str, int]:
        """How many records of each status (every status present, 0 included)."""
        found = Counter(r.status for r in self.rows)
        return {s: found.get(s, 0) for s in STATUSES}

    @property
    def changed(self) -> bool:
        """Whether a record is new or updated: only then is the data file written."""
        counts = self.counts()
        return bool(counts["new"] or counts["updated"] or counts["removed"])

    def summary(self) -> str:
        """One line: ``file: 3 new, 1 updated, 0 unchanged, 2 skipped`` (``removed`` only
        when a feed removed something)."""
        counts = self.counts()
        shown = [f"{n} {s}" for s, n in counts.items() if n or s != "removed"]
        return f"{self.file}: " + ", ".join(shown)

    def table(self) -> str:
        """The rows as an aligned text table (changed and skipped first), then the summary."""
        order = {"skipped": 0, "new": 1, "updated": 2, "removed": 3, "unchanged": 4}
        rows = sorted(self.rows, key=lambda r: order[r.status])
        cells = [list(COLUMNS)] + [[r.status, r.source, r.id, r.name, r.detail] for r in rows]
        widths = [min(40, max(len(row[i]) for row in cells)) for i in range(len(COLUMNS) - 1)]
        lines = [
            "  ".join(c.ljust(w) for c, w in zip(row[:-1], widths, strict=True)) + "  " + row[-1]
            for row in cells
        ]
        return "\n".join([*lines, *note_lines(self), self.summary()])

    def csv_bytes(self) -> bytes:
        """The rows as CSV (:func:`mapping.files.csv_rows_bytes`), header :data:`COLUMNS`."""
        rows = [[r.status, r.source, r.id, r.name, r.detail] for r in self.rows]
        return csv_rows_bytes(COLUMNS, [*rows, *note_rows(self)])


def report_target_problem(target: Path, folder: Path, source: Path) -> str:
    """Why ``--report`` may not write ``target`` (``""``: it may).

    A report is a side output: it never replaces a file of the data folder (dry run or
    not), whatever name it is given, nor the file being imported. Paths are compared
    resolved, so ``data/./venues.geojson`` or a symlinked folder is caught too.
    """
    try:
        where, home = target.resolve(), folder.resolve()
    except OSError:
        return ""  # an unreachable path: the writer's own check names it
    if where == source.resolve():
        return f"refusing --report {target}: it is the file being imported; name another file"
    if where.is_relative_to(home) and where.exists():
        return (
            f"refusing --report {target}: it is a file of the data folder {folder} and a "
            "report never writes over one; name a file outside the data folder"
        )
    return ""


def note_lines(report: ImportReport) -> list[str]:
    """The report's notes about the whole file (columns not placed…), one line each."""
    return [f"note: {text}" for text in report.notes]


def note_rows(report: ImportReport) -> list[list[str]]:
    """The notes as CSV rows: status ``note``, the file as the source, the text as detail."""
    return [["note", report.file, "", "", text] for text in report.notes]
