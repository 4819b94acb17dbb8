"""The data folder's history of applied suggestions: one git commit per ``apply``.

When the data folder lies in a git work tree, :func:`record` commits the one file an
applied suggestion changed, with the reviewer as the commit's author and the
suggestion's number in the message — so ``git log data/`` says who accepted what, and
``git revert`` undoes one suggestion. Only that file is committed (``git commit --
FILE``): anything else staged stays staged. A folder outside git records nothing. git
runs as a subprocess, never through a shell; its failure (a hook, a locked index) does
not undo the applied change, it is reported.
"""

from __future__ import annotations

import getpass
import os
import re
import shutil
import subprocess
from pathlib import Path

from mapping.submissions.ledger import Submission

GIT_TIMEOUT_S = 60
_EMAIL = re.compile(r"^(?P<name>[^<>\n]+?)\s*<(?P<email>[^<>\n]*)>$")


class HistoryError(RuntimeError):
    """git could not record the change; the message is git's own first line."""


def default_reviewer() -> str:
    """The OS user running the command: the reviewer when ``--reviewer`` is not given."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return f"uid {os.getuid()}"


def reviewer(given: str | None) -> str:
    """``given`` (checked by :func:`author_of`), else :func:`default_reviewer`."""
    who = given or default_reviewer()
    author_of(who)
    return who


def author_of(reviewer: str) -> tuple[str, str]:
    """(name, e-mail) of ``reviewer``: ``Ana`` or ``Ana <ana@example.org>``.

    Raises :class:`ValueError` for an empty name or one with a line break or ``<>``.
    """
    found = _EMAIL.match(reviewer.strip())
    name, email = (found["name"], found["email"]) if found else (reviewer.strip(), "")
    if not name or any(c in name for c in "<>\n\r"):
        msg = f"a reviewer is a name, optionally with <e-mail>: got {reviewer!r}"
        raise ValueError(msg)
    return name, email


def _git(folder: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        ["git", "-C", str(folder), *args],
        capture_output=True,
        text=True,
        timeout=GIT_TIMEOUT_S,
        check=False,
        env=env,
    )
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise HistoryError(lines[-1] if lines else f"git {args[0]}: exit {done.returncode}")
    return done.stdout.strip()


def in_repository(folder: Path) -> bool:
    """Whether ``folder`` lies in a git work tree (and git is installed)."""
    if shutil.which("git") is None:
        return False
    try:
        return _git(folder, "rev-parse", "--is-inside-work-tree") == "true"
    except HistoryError:
        return False


def record(folder: Path, file: str, message: str, reviewer: str) -> str | None:
    """Commit ``folder/file`` with ``reviewer`` as author; the commit's short hash, or
    None when the folder is not in a git work tree. Raises :class:`HistoryError`.

    The committer is git's configured identity; where none is configured (a fresh
    server), the reviewer is the committer too.
    """
    if not in_repository(folder):
        return None
    name, email = author_of(reviewer)
    env = dict(os.environ)
    try:
        _git(folder, "var", "GIT_COMMITTER_IDENT")
    except HistoryError:
        env.update(GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=email)
    _git(folder, "add", "--", file)
    _git(
        folder,
        "commit",
        "--quiet",
        f"--author={name} <{email}>",
        "--message",
        message,
        "--",
        file,
        env=env,
    )
    return _git(folder, "rev-parse", "--short", "HEAD")


def applied(root: Path, file: str, item: Submission, record_id: str, reviewer: str) -> str:
    """Record an applied suggestion (:func:`record`); what the CLI says of it: ``""``
    outside git, ``"committed <hash>"``, or ``"not committed: <git's reason>"`` (the
    change stays applied: it was validated and written; git only failed to note it)."""
    message = (
        f"Apply suggestion {item.reference}: {item.kind} {record_id}\n\n"
        f"Received {item.created:%Y-%m-%d %H:%M}Z, reviewed by {reviewer} "
        "(python -m mapping submissions apply)."
    )
    try:
        commit = record(root, file, message, reviewer)
    except HistoryError as exc:
        return f"not committed: {exc}"
    return "" if commit is None else f"committed {commit}"
