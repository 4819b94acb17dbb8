"""One home per rule: a second copy of a rule written out again in the code fails here.

Each test reads the source of ``mapping/``, ``pages/`` and ``app.py`` and names the
module and line of a copy. :data:`ELSEWHERE` lists the copies still known to exist in
modules another part of issue 19 moves to the rule's home; a listed copy that is gone
fails too, so the list only shrinks.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from mapping import schema

ROOT = Path(__file__).resolve().parent.parent
HOMES = {
    "vocabulary": {"mapping/schema.py"},
    "bbox": {"mapping/schema.py"},
    "csv": {"mapping/files.py"},
    "transaction": {"mapping/store.py"},
    "id alphabet": {"mapping/schema.py", "mapping/text.py"},
}
ELSEWHERE: dict[str, set[str]] = {}
"""Rule → modules that still hold a copy (to be moved by another part of issue 19)."""


def _modules() -> Iterator[tuple[str, str, ast.Module]]:
    paths = [*ROOT.glob("mapping/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]
    for path in sorted(paths):
        source = path.read_text(encoding="utf-8")
        yield path.relative_to(ROOT).as_posix(), source, ast.parse(source)


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the string nodes that are docstrings (prose may name a rule)."""
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            for statement in body:
                if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
                    found.add(id(statement.value))
    return found


def _strings(tree: ast.Module) -> Iterator[ast.Constant]:
    prose = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose:
            yield node


def _check(rule: str, copies: dict[str, list[str]]) -> None:
    homes, known = HOMES[rule], ELSEWHERE.get(rule, set())
    new = {path: where for path, where in copies.items() if path not in homes | known}
    assert not new, f"{rule} written again outside {sorted(homes)}: {new}"
    gone = known - set(copies)
    assert not gone, f"{rule}: {sorted(gone)} no longer hold a copy; remove them from ELSEWHERE"


VOCABULARIES = {
    name: frozenset(value) - {""}
    for name, value in vars(schema).items()
    if name.isupper()
    and not name.startswith("_")
    and isinstance(value, tuple | frozenset)
    and len(value) >= 2
    and all(isinstance(v, str) for v in value)
}


def test_the_vocabularies_are_there_to_check():
    assert {"VISIT_VALUES", "LOCATION_PRECISIONS", "RECURRENCES", "YES_VALUES"} <= set(VOCABULARIES)


def test_each_vocabulary_is_written_once():
    """A tuple, list or set literal holding exactly a vocabulary of mapping.schema."""
    copies: dict[str, list[str]] = {}
    for path, _, tree in _modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Tuple | ast.List | ast.Set) or len(node.elts) < 2:
                continue
            values = [e.value for e in node.elts if isinstance(e, ast.Constant)]
            if len(values) != len(node.elts) or not all(isinstance(v, str) for v in values):
                continue
            for name, vocabulary in VOCABULARIES.items():
                if frozenset(values) - {""} == vocabulary:
                    copies.setdefault(path, []).append(f"line {node.lineno}: {name}")
    _check("vocabulary", copies)


def test_the_study_area_test_is_written_once():
    """``west <= lon <= east`` and its kin: schema.inside_bbox is the one test."""
    pattern = re.compile(r"\b(west|south)\s*<=|<=\s*(east|north)\b|>=\s*(west|south)\b")
    copies: dict[str, list[str]] = {}
    for path, source, _ in _modules():
        for number, line in enumerate(source.splitlines(), start=1):
            if pattern.search(line) and not line.lstrip().startswith("#"):
                copies.setdefault(path, []).append(f"line {number}")
    _check("bbox", copies)


def test_every_csv_is_written_by_mapping_files():
    pattern = re.compile(r"\bcsv\.(writer|DictWriter)\(|\.to_csv\(")
    copies: dict[str, list[str]] = {}
    for path, source, _ in _modules():
        for number, line in enumerate(source.splitlines(), start=1):
            if pattern.search(line):
                copies.setdefault(path, []).append(f"line {number}")
    _check("csv", copies)


def test_every_write_transaction_is_opened_by_mapping_store():
    """SQL is written in capitals here; a lowercase ``"commit"`` is git's subcommand
    (:mod:`mapping.submissions.history`), not a transaction."""
    copies: dict[str, list[str]] = {}
    for path, _, tree in _modules():
        for node in _strings(tree):
            if re.match(r"\s*(BEGIN|COMMIT|ROLLBACK|[Bb]egin|[Rr]ollback)\b", node.value):
                copies.setdefault(path, []).append(f"line {node.lineno}")
    _check("transaction", copies)


def test_the_id_alphabet_is_written_in_the_id_rule_and_the_slug_only():
    """``[a-z0-9]`` in a pattern: schema.is_id checks an id, text.slug makes one."""
    copies: dict[str, list[str]] = {}
    for path, _, tree in _modules():
        for node in _strings(tree):
            if "a-z0-9" in node.value:
                copies.setdefault(path, []).append(f"line {node.lineno}")
    _check("id alphabet", copies)
