"""Writing files: atomically, only where asked, and keeping what the target was.

Every file the library or the CLI writes goes through :func:`atomic_write`; the venue
exports' bytes are built here too (:func:`venues_geojson_bytes`,
:func:`venues_csv_bytes`).

Decisions:

- **A target is a regular file or a new name in an existing folder.** A symlink (even
  to a regular file), a FIFO, a device node, a socket or a folder is refused with
  :class:`UnsafeTargetError` before anything is written: writing "atomically" means
  renaming a new regular file over the old name, which would silently replace the
  device or the link itself (as root, ``--out /dev/null`` would replace the device). A
  missing parent folder is refused too, not created: a typo in a path should not grow
  a new tree. The check runs before writing and again just before the rename.
- **The target keeps its permission bits** (and, where the writer may, its owner and
  group): a 0644 file stays 0644. A new file gets ``0666`` less the umask, as ``open``
  would give it.
- **Temp files are recognisable**: ``.<name>.<pid>.<random>.kcm-tmp`` beside the
  target. A write that fails or is interrupted by an exception (Ctrl-C, and SIGTERM in
  the CLI, which turns it into :class:`SystemExit`) removes its temp file; one left
  behind by SIGKILL or a power cut is removed by the next write to the same target,
  once the process named in it is gone.
- **CSV follows RFC 4180**: fields are quoted when they hold a comma, a quote, CR or
  LF, so a bare CR inside a name stays inside its field and the file reads back
  byte-exact with Python's :mod:`csv` (``newline=""``) and pandas (``dtype=str,
  keep_default_na=False``). Values are written as the loader holds them: nothing is
  stripped or replaced here. Every CSV is written by this module.
- **Exports, reports and downloads** (:func:`csv_rows_bytes`): CRLF line ends, UTF-8,
  no byte order mark, and **safe to open in a spreadsheet**: a text cell that begins
  with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a NUL is written with a
  leading apostrophe (OWASP's "CSV injection" advice, ASVS 1.2.10), which spreadsheets
  take as "this is text" and do not show; ``=HYPERLINK(...)`` in a venue name is then
  text, not a formula. Numbers are not text and are written as they are (``-3``
  stays a number). Where a tool needs the stored value byte for byte, ``raw=True``
  (the CLI's ``--raw-csv``) skips it; the GeoJSON export always carries the raw value.
  A data folder's own CSV files (:func:`data_csv_bytes`) are data, not exports: they
  are never changed this way. Imports of CSV read such a cell back as the stored
  value (:func:`spreadsheet_raw`), so an export imports back unchanged (a value that
  really starts with ``'=`` loses its apostrophe; none of the data model's does).
- **A data folder's CSV keeps its layout when rewritten** (:func:`data_csv_bytes`,
  :func:`data_csv_appended`): its line ends (CRLF when its header line ends so, else
  LF) and its UTF-8 byte order mark, kept if it has one and never added. A new data
  CSV is LF without a mark, like the repository's ``data/``. So a change reviews as a
  diff of the records that changed, and a file saved by a spreadsheet stays as it
  saved it. Quoting is the same in both layouts (a bare CR is quoted under LF too).
"""

from __future__ import annotations

import csv
import io
import os
import re
import secrets
import stat
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

import geopandas as gpd
import orjson
import pandas as pd

from mapping import hours

TEMP_SUFFIX = ".kcm-tmp"
"""Every temp file :func:`atomic_write` creates ends so: ``.<name>.<pid>.<hex>.kcm-tmp``."""

EXPORT_DROP: tuple[str, ...] = ("x", "y", "search", *hours.DERIVED_COLUMNS)
"""Derived columns left out of exports: :func:`mapping.io.enrich_dataset` recomputes them."""


class UnsafeTargetError(OSError):
    """The path to write is not a regular file nor a new name in an existing folder."""


def check_target(target: Path) -> os.stat_result | None:
    """The target's status if it is a regular file, ``None`` if it is a new name.

    Raises :class:`UnsafeTargetError` naming the path and what it is for anything else
    (symlink, FIFO, device, socket, folder) and when its folder does not exist.
    """
    try:
        status = os.lstat(target)
    except FileNotFoundError:
        status = None
    except NotADirectoryError:
        msg = f"cannot write {target}: a part of its folder path is not a folder"
        raise UnsafeTargetError(msg) from None
    if status is None:
        parent = target.parent
        if not parent.is_dir():
            msg = (
                f"cannot write {target}: folder {parent} does not exist "
                "(create it first; it is not created for you)"
            )
            raise UnsafeTargetError(msg)
        return None
    if not stat.S_ISREG(status.st_mode):
        msg = (
            f"refusing to write {target}: it is {_kind(status.st_mode)}, not a regular "
            "file; expected a regular file or a new name in an existing folder"
        )
        raise UnsafeTargetError(msg)
    return status


def _kind(mode: int) -> str:
    kinds = (
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


@contextmanager
def atomic_write(
    target: str | os.PathLike[str],
    mode: Literal["wb", "w"] = "wb",
) -> Iterator[IO[Any]]:
    """Write to a temp file beside ``target`` and rename it over ``target`` on success.

    A failure half-way leaves ``target`` as it was: never a half-written data file.
    ``mode`` ``"w"`` writes UTF-8 text with newlines untranslated. Raises
    :class:`UnsafeTargetError` (an :class:`OSError`) when ``target`` is not a regular
    file nor a new name in an existing folder.
    """
    target = Path(target)
    status = check_target(target)
    remove_stale_temps(target)
    fd, tmp = _create_temp(target)
    try:
        if status is not None:
            _copy_mode(fd, status)
        fh: IO[Any] = (
            os.fdopen(fd, "w", encoding="utf-8", newline="") if mode == "w" else os.fdopen(fd, "wb")
        )
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        check_target(target)  # still a regular file or absent just before the rename
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _create_temp(target: Path) -> tuple[int, Path]:
    """A new temp file beside ``target``, created ``0666`` less the umask, never followed."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    while True:
        tmp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:  # pragma: no cover - 32 random bits collided
            continue


def _copy_mode(fd: int, status: os.stat_result) -> None:
    """Give the temp file the target's owner and group (where allowed) and mode bits."""
    if hasattr(os, "fchown"):
        with suppress(OSError):  # only root may give a file away; the mode still holds
            os.fchown(fd, status.st_uid, status.st_gid)
    os.fchmod(fd, stat.S_IMODE(status.st_mode))  # after chown, which clears set-id bits


def remove_stale_temps(target: str | os.PathLike[str]) -> list[Path]:
    """Remove temp files of earlier writes to ``target`` whose process is gone.

    A write killed by SIGKILL (or a power cut) cannot clean up after itself; the next
    write to the same target does. Returns the paths removed.
    """
    target = Path(target)
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(\d+)\.[0-9a-f]+{re.escape(TEMP_SUFFIX)}")
    removed: list[Path] = []
    try:
        candidates = list(target.parent.iterdir())
    except OSError:
        return removed
    for path in candidates:
        match = pattern.fullmatch(path.name)
        if match is None or _alive(int(match.group(1))):
            continue
        with suppress(FileNotFoundError):
            if path.is_file() and not path.is_symlink():
                path.unlink()
                removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True  # this process may be writing it now (another thread)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # exists but is someone else's, or cannot tell: leave it
    return True


# --------------------------------------------------------------------------- exports


def venues_geojson_bytes(venues: gpd.GeoDataFrame) -> bytes:
    """Venues as a GeoJSON FeatureCollection (data columns only, no derived ones).

    Text is written exactly (JSON escapes control characters; nothing is stripped).
    """
    keep = [c for c in venues.columns if c not in EXPORT_DROP]
    frame = venues[keep].drop(columns=["lon", "lat"], errors="ignore")
    features = [
        {
            "type": "Feature",
            "properties": {k: v for k, v in row.items() if k != "geometry"},
            "geometry": {"type": "Point", "coordinates": [row["geometry"].x, row["geometry"].y]},
        }
        for row in frame.to_dict("records")
    ]
    doc = {"type": "FeatureCollection", "features": features}
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_SERIALIZE_NUMPY) + b"\n"


CRLF, LF = "\r\n", "\n"
UTF8_BOM = "\ufeff"


def _csv_text(rows: Iterable[Sequence[object]], line_end: str) -> str:
    """Records quoted as RFC 4180 asks, each ending in ``line_end``; ``None`` → empty.

    The writer always runs with CRLF, which makes it quote a field holding a bare CR;
    under LF each record's CRLF is then replaced, so both layouts quote alike.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=CRLF, quoting=csv.QUOTE_MINIMAL)
    if line_end == CRLF:
        for row in rows:
            writer.writerow(["" if cell is None else cell for cell in row])
        return buffer.getvalue()
    lines = []
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
        lines.append(buffer.getvalue()[: -len(CRLF)] + line_end)
        buffer.seek(0)
        buffer.truncate()
    return "".join(lines)


FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r", "\0")
"""First characters that make a spreadsheet read a cell as a formula (OWASP, ASVS 1.2.10)."""


def spreadsheet_safe(cell: object) -> object:
    """``cell`` with an apostrophe in front when it is text that a spreadsheet would
    run as a formula; anything else (numbers, ``None``, harmless text) unchanged."""
    if isinstance(cell, str) and cell.startswith(FORMULA_LEADS):
        return "'" + cell
    return cell


def spreadsheet_raw(cell: str) -> str:
    """The stored value of a cell :func:`spreadsheet_safe` wrote: the apostrophe before a
    formula-leading character removed, so our own CSV exports import back unchanged."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_LEADS):
        return cell[1:]
    return cell


def csv_rows_bytes(
    header: Sequence[str], rows: Iterable[Sequence[object]], *, raw: bool = False
) -> bytes:
    """The CSV of exports, reports and downloads: RFC 4180 (CRLF), UTF-8, no BOM.

    Every such CSV the project produces is written here, so a rule about CSV cells
    (quoting, line ends, spreadsheet safety) has one home. ``None`` is written as an
    empty field; formula-leading text is neutralised (:func:`spreadsheet_safe`)
    unless ``raw``.
    """
    cells = (row if raw else [spreadsheet_safe(cell) for cell in row] for row in rows)
    head = list(header) if raw else [spreadsheet_safe(name) for name in header]
    return _csv_text([head, *cells], CRLF).encode("utf-8")


@dataclass(frozen=True)
class CsvLayout:
    """How a data folder's CSV is written: its line end and whether it starts with a
    UTF-8 byte order mark (see the module's decisions)."""

    line_end: str = LF
    bom: bool = False

    @classmethod
    def of(cls, original: bytes | None) -> CsvLayout:
        """The layout of a file's current bytes (``None`` or empty: a new file)."""
        if not original:
            return cls()
        bom = original.startswith(UTF8_BOM.encode("utf-8"))
        first_line, found, _ = original.partition(b"\n")
        crlf = bool(found) and first_line.endswith(b"\r")
        return cls(CRLF if crlf else LF, bom)


def data_csv_bytes(
    header: Sequence[str], rows: Iterable[Sequence[object]], *, like: bytes | None
) -> bytes:
    """A data folder's CSV written whole, in the layout of the file it replaces.

    ``like`` is that file's current bytes (``None`` when it does not exist yet).
    """
    layout = CsvLayout.of(like)
    text = _csv_text([list(header), *rows], layout.line_end)
    return ((UTF8_BOM if layout.bom else "") + text).encode("utf-8")


def data_csv_appended(original: bytes, row: Sequence[object]) -> bytes:
    """``original`` with ``row`` as its last record, in its layout: every byte before
    it is kept (a missing final line end is added first)."""
    layout = CsvLayout.of(original)
    joiner = b"" if original.endswith((b"\n", b"\r")) else layout.line_end.encode("utf-8")
    return original + joiner + _csv_text([row], layout.line_end).encode("utf-8")


def csv_frame_bytes(frame: pd.DataFrame, *, raw: bool = False) -> bytes:
    """A table as CSV through :func:`csv_rows_bytes` (header = column names, no index).

    Missing values (``None``/``NaN``/``NA``) become empty fields.
    """
    cleaned = frame.astype(object).where(frame.notna(), None)
    return csv_rows_bytes(
        [str(c) for c in frame.columns], cleaned.itertuples(index=False, name=None), raw=raw
    )


def venues_csv_bytes(venues: gpd.GeoDataFrame, *, raw: bool = False) -> bytes:
    """Venues as RFC 4180 CSV (CRLF, quoted where needed) with lon/lat columns;
    spreadsheet-safe unless ``raw`` (:func:`csv_rows_bytes`)."""
    keep = [c for c in venues.columns if c not in (*EXPORT_DROP, "geometry")]
    frame = pd.DataFrame(venues[keep]).copy()
    frame["lon"], frame["lat"] = venues.geometry.x.round(7), venues.geometry.y.round(7)
    return csv_frame_bytes(frame, raw=raw)
