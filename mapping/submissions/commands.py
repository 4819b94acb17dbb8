"""``python -m mapping submissions list|show|apply|reject|log``: the reviewer's commands.

Kept out of :mod:`mapping.cli`, which only registers them. Exit codes as for every
command: 0 done, 1 refused (unknown or already decided suggestion, a field that fails
its check, data that would not validate — nothing changed) or the folder or database
cannot be used, 2 bad arguments. Text is printed in English, through the CLI's
terminal-safe printer: a suggestion's text cannot drive the reviewer's terminal.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from mapping import store
from mapping.submissions import audit, history, ledger, review
from mapping.submissions.ledger import STATUSES, Burst, Submission
from mapping.submissions.refusals import Refused, ReviewError
from mapping.text import terminal_text

COMMAND = "submissions"
ALL = "all"

Say = Callable[..., None]


def add_parsers(sub: Any, folder_arg: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register ``submissions`` and its four actions on the CLI's subparsers."""
    parser = sub.add_parser(
        COMMAND, help="review members' suggestions: list, show, apply or reject them"
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="suggestions, oldest first")
    listing.add_argument(
        "--status",
        choices=(*STATUSES, ALL),
        default=STATUSES[0],
        help="which ones (default: pending)",
    )
    folder_arg(listing)
    for name, text in (
        ("show", "every field of one suggestion"),
        ("apply", "merge one into the data files (validated first)"),
        ("reject", "refuse one, keeping it with the reason"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("id", type=_number, metavar="ID", help="its number, 12 or #12")
        folder_arg(action)
        if name in ("apply", "reject"):
            action.add_argument(
                "--reviewer",
                type=_reviewer,
                default=None,
                metavar="NAME",
                help="who decides, for the audit trail (and the commit's author when the "
                "data folder is a git repository): 'Name' or 'Name <e-mail>' (default: the "
                "OS user)",
            )
        if name == "reject":
            action.add_argument(
                "--reason", required=True, metavar="TEXT", help="why (kept in the record)"
            )

    log = actions.add_parser("log", help="the audit trail: who decided what, when, on which bytes")
    folder_arg(log)


def _reviewer(value: str) -> str:
    try:
        history.author_of(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


def _number(value: str) -> int:
    text = value.removeprefix("#")
    if not text.isdigit():
        msg = f"expected a suggestion number like 12 or #12, got {value!r}"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def run(args: argparse.Namespace, say: Say) -> int:
    """Run one action; data and file errors go to the caller (:mod:`mapping.cli`)."""
    try:
        if args.action == "list":
            status = None if args.status == ALL else args.status
            items = review.listed(args.folder, status)
            for item in items:
                say(summary_line(item))
            say(f"{len(items)} suggestion(s) ({args.status}) in {store.database_of(args.folder)}")
            for burst in review.unusual(args.folder):
                say(unusual_line(burst))
        elif args.action == "show":
            say(details(review.get(args.folder, args.id)))
        elif args.action == "apply":
            item, recorded = review.apply_recorded(args.folder, args.id, reviewer=args.reviewer)
            say(f"{item.reference} applied: {item.kind} {_one_line(item.record)}")
            if recorded:
                say(f"data folder history: {_one_line(recorded)}")
        elif args.action == "log":
            with audit.opened(store.database_of(args.folder)) as conn:
                decisions = audit.decisions(conn)
            for decision in decisions:
                say(decision_line(decision))
            say(f"{len(decisions)} decision(s) in {store.database_of(args.folder)}")
        else:
            item = review.reject(args.folder, args.id, args.reason, reviewer=args.reviewer)
            say(f"{item.reference} rejected: {_one_line(item.reason)}")
    except (ReviewError, Refused) as exc:
        for line in str(exc).splitlines():
            say(line, sys.stderr)
        return 1
    except store.Error as exc:  # locked past the busy timeout, not a database, server down…
        say(f"error: members' database {store.database_of(args.folder)}: {exc}", sys.stderr)
        return 1
    return 0


def decision_line(decision: audit.Decision) -> str:
    """One line of the audit trail: when, who, what, which file bytes."""
    parts = [
        f"{decision.at:%Y-%m-%d %H:%M:%S}Z",
        ledger.reference(decision.submission),
        decision.decision,
        f"by {_one_line(decision.reviewer)}",
    ]
    if decision.record:
        parts.append(f"record {_one_line(decision.record)}")
    if decision.corrected:
        fixed = ", ".join(
            f"{_one_line(k)}={_one_line(v)}" for k, (_, v) in decision.corrected.items()
        )
        parts.append(f"corrected {fixed}")
    if decision.file:
        parts.append(
            f"{decision.file} sha256 {decision.before_sha256[:12]}→{decision.after_sha256[:12]}"
        )
    if decision.reason:
        parts.append(f"reason: {_one_line(decision.reason)}")
    return "  ".join(parts)


def unusual_line(burst: Burst) -> str:
    """The coordinator's alarm: an hour with more suggestions than usual (none refused)."""
    return (
        f"unusual volume: {burst.count} suggestions within one hour, "
        f"{burst.first:%Y-%m-%d %H:%M}Z to {burst.last:%Y-%m-%d %H:%M}Z "
        "([members] unusual_per_hour); nobody was refused for it"
    )


def _one_line(value: object) -> str:
    """A value printed inside one line: its line feeds and invisible characters shown
    as escapes, so typed text cannot forge another line ("status: applied")."""
    return terminal_text(str(value), keep_newlines=False)


def summary_line(item: Submission) -> str:
    """One line per suggestion: number, status, when, kind, what it concerns, fields."""
    about = _one_line(item.venue_id or item.fields.get("name", ""))
    names = ", ".join(_one_line(k) for k in item.fields if k != "venue_id")
    return "  ".join(
        (item.reference, item.status, f"{item.created:%Y-%m-%d %H:%M}Z", item.kind, about, names)
    )


def details(item: Submission) -> str:
    """Every field as typed, then the outcome (the audit trail)."""
    lines = [
        f"{item.reference} {item.kind}, {item.status}",
        f"received: {item.created:%Y-%m-%d %H:%M:%S}Z (UTC)",
    ]
    lines += [f"{_one_line(name)}: {_one_line(value)}" for name, value in item.fields.items()]
    if item.decided is not None:
        lines.append(f"{item.status}: {item.decided:%Y-%m-%d %H:%M:%S}Z (UTC)")
    if item.record:
        lines.append(f"record: {_one_line(item.record)}")
    if item.reason:
        lines.append(f"reason: {_one_line(item.reason)}")
    return "\n".join(lines)
