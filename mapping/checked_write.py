"""Changing a data folder: validate the changed folder on a temporary copy, then write.

Every writer of a data folder's files (``import``, ``import-events``, ``submissions
apply``) changes it through here, so the folder is never left with a problem it did not
have before, and a hand edit saved meanwhile is never overwritten.

Decisions:

- **Validated as a whole, on a copy.** The new bytes are put into a temporary copy of
  the folder and :func:`mapping.validate.validate_folder` (the ``validate`` command's
  validator) runs on it: a rule between files (an event's venue, a category) is checked
  too. Only a problem the folder does not already have refuses the change, so an old
  problem elsewhere does not block an unrelated import.
- **Written atomically** (:func:`mapping.files.atomic_write`): a failure half-way leaves
  the file as it was.
- **Never over a change it did not see.** The writer passes the bytes it built the new
  file from; when the file no longer holds them (someone saved it during the check),
  :class:`ChangedMeanwhileError` is raised and nothing is written: run the command
  again, nothing is lost.
- **One file per change**: a change that touched two files could not be atomic.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from mapping.errors import DataError, Problem
from mapping.files import atomic_write
from mapping.validate import validate_folder


class ChangedMeanwhileError(DataError):
    """The file changed on disk after the change to it was built: nothing was written."""

    def __init__(self, name: str) -> None:
        msg = (
            "changed while the change was being checked; nothing was written, run the command again"
        )
        super().__init__([Problem(name, "-", "-", msg)])
        self.name = name


def current_bytes(path: Path) -> bytes | None:
    """The file's bytes, or ``None`` when there is no such file (a change may create it)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def new_problems(folder: Path, replacements: Mapping[str, bytes]) -> list[Problem]:
    """Problems the folder would have with ``replacements`` (file name → bytes) that it
    does not have now: validated on a temporary copy, the folder itself untouched."""
    with tempfile.TemporaryDirectory(prefix="kcm-check-") as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(folder, copy, symlinks=False)
        for name, payload in replacements.items():
            (copy / name).write_bytes(payload)
        after = validate_folder(copy)
    if not after:
        return []  # the usual case: no need to validate the folder as it is
    before = {str(p) for p in validate_folder(folder)}
    return [p for p in after if str(p) not in before]


def replace_file(folder: Path, name: str, payload: bytes, *, built_from: bytes | None) -> None:
    """Write ``folder/name`` atomically, if it still holds ``built_from`` (``None``: the
    file did not exist); else :class:`ChangedMeanwhileError` and nothing is written.

    The caller has checked ``payload`` (:func:`new_problems`); :func:`write_checked` does
    both. Raises :class:`OSError` when the file cannot be written (it is then unchanged).
    """
    target = folder / name
    if current_bytes(target) != built_from:
        raise ChangedMeanwhileError(name)
    with atomic_write(target) as fh:
        fh.write(payload)


def write_checked(folder: Path, name: str, payload: bytes, *, built_from: bytes | None) -> None:
    """Replace ``folder/name`` with ``payload`` when the folder stays valid.

    Raises :class:`~mapping.errors.DataError` naming every problem the change would add
    (file, record, field), or :class:`ChangedMeanwhileError` when the file changed since
    ``built_from`` was read; either way nothing is written.
    """
    problems = new_problems(folder, {name: payload})
    if problems:
        raise DataError(problems)
    replace_file(folder, name, payload, built_from=built_from)
