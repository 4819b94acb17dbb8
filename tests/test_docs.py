"""Everything a person can set or share is documented, and every UI text is used.

Like datasette's ``tests/test_docs.py``: the settings of ``city.toml`` (declared in
``mapping.settings.SETTINGS``) are in ``data/README.md``; the URL parameters the pages
read are in the README's URL table; every catalogue key is used by some code. (Every key
existing in every language with the same placeholders is ``tests/test_i18n.py``.)
"""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from mapping import i18n
from mapping.hours_tolerant import PROBLEM_KINDS
from mapping.hours_week import HOLIDAY_CHOICES
from mapping.setting_table import SETTINGS, settings_table

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DATA_README = ROOT / "data" / "README.md"
PAGES = sorted((ROOT / "pages").glob("*.py"))
CODE = [*sorted((ROOT / "mapping").rglob("*.py")), *PAGES, ROOT / "app.py"]


# --------------------------------------------------------------------------- settings


def test_every_setting_has_help():
    assert [s.key for s in SETTINGS if len(s.help.strip()) < 10] == []


def test_data_readme_carries_the_settings_table():
    text = DATA_README.read_text(encoding="utf-8")
    found = re.search(
        r"<!-- settings table[^>]*-->\n(.*?)\n<!-- end of settings table -->", text, re.DOTALL
    )
    assert found, "data/README.md has no settings table between its markers"
    assert found.group(1).strip() == settings_table(), (
        "data/README.md's settings table is stale; paste "
        "`python -c 'from mapping.setting_table import settings_table; print(settings_table())'`"
    )
    for s in SETTINGS:
        assert f"`{s.name}`" in found.group(1), s.key


@pytest.mark.parametrize("folder", ["data", "tests/fixtures/mini"])
def test_city_toml_has_no_undeclared_keys(folder):
    with (ROOT / folder / "city.toml").open("rb") as fh:
        raw = tomllib.load(fh)
    present = {(section, key) for section, table in raw.items() for key in table}
    declared = {(s.section, s.name) for s in SETTINGS}
    assert sorted(present - declared) == []
    assert {(s.section, s.name) for s in SETTINGS if s.required} <= present


# --------------------------------------------------------------------------- URL parameters

# Helpers whose argument at this position is a URL parameter name. Functions that
# index ``st.query_params`` with one of their parameters are found and added.
PARAM_HELPERS = {"url_choice": 0, "sync_url": 0}
QUERY_METHODS = {"get", "get_all", "pop", "setdefault", "__getitem__", "__contains__"}


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _is_query_params(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "query_params"


class _Scan:
    """URL parameter names read by the page files, and the spots it could not name."""

    def __init__(self, files: list[Path]) -> None:
        self.trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in files}
        self.constants = self._constants()
        self.helpers = dict(PARAM_HELPERS)
        self.params: set[str] = set()
        self.unknown: list[str] = []

    def _constants(self) -> dict[str, str]:
        """Module-level ``NAME = "text"`` of every page file (pages import each other's)."""
        found: dict[str, str] = {}
        for tree in self.trees.values():
            for node in tree.body:
                if (
                    isinstance(node, ast.Assign)
                    and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name)
                    and isinstance(node.value, ast.Constant)
                    and isinstance(node.value.value, str)
                ):
                    found[node.targets[0].id] = node.value.value
        return found

    def _key_nodes(self, tree: ast.AST) -> Iterator[tuple[ast.AST, ast.AST]]:
        """(expression naming a parameter, the node it sits in) for every read or write."""
        for node in ast.walk(tree):
            if isinstance(node, ast.Subscript) and _is_query_params(node.value):
                yield node.slice, node
            elif isinstance(node, ast.Compare) and any(
                _is_query_params(c) for c in node.comparators
            ):
                yield node.left, node
            elif isinstance(node, ast.Call):
                name = _call_name(node)
                if (
                    isinstance(node.func, ast.Attribute)
                    and _is_query_params(node.func.value)
                    and name in QUERY_METHODS
                    and node.args
                ):
                    yield node.args[0], node
                if name in self.helpers and len(node.args) > self.helpers[name]:
                    yield node.args[self.helpers[name]], node
                keywords = {k.arg: k.value for k in node.keywords}
                bind = keywords.get("bind")
                if isinstance(bind, ast.Constant) and bind.value == "query-params":
                    yield keywords.get("key", node), node
                if "query_params" in keywords:
                    links = keywords["query_params"]
                    if isinstance(links, ast.Dict):
                        yield from ((k, node) for k in links.keys if k is not None)
                    else:
                        yield links, node

    def run(self) -> _Scan:
        # A helper found in one pass may name parameters in files already scanned.
        while True:
            before = dict(self.helpers)
            self.params, self.unknown = set(), []
            for path, tree in self.trees.items():
                self._scan(path, tree)
            if self.helpers == before:
                return self

    def _scan(self, path: Path, tree: ast.AST) -> None:
        functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
        for expr, where in self._key_nodes(tree):
            if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
                self.params.add(expr.value)
                continue
            if isinstance(expr, ast.Name) and expr.id in self.constants:
                self.params.add(self.constants[expr.id])
                continue
            owner = next(
                (
                    f
                    for f in functions
                    if _inside(where, f)
                    and isinstance(expr, ast.Name)
                    and expr.id in [a.arg for a in f.args.args]
                ),
                None,
            )
            if owner is not None and isinstance(expr, ast.Name):
                # A generic helper: its callers name the parameter.
                self.helpers[owner.name] = [a.arg for a in owner.args.args].index(expr.id)
                continue
            line = getattr(where, "lineno", "?")
            self.unknown.append(f"{path.relative_to(ROOT)}:{line}: {ast.unparse(expr)}")


def _inside(node: ast.AST, function: ast.FunctionDef) -> bool:
    return any(child is node for child in ast.walk(function))


@cache
def url_parameters_read() -> tuple[frozenset[str], tuple[str, ...]]:
    scan = _Scan(PAGES).run()
    return frozenset(scan.params), tuple(scan.unknown)


def url_parameters_documented() -> set[str]:
    """The names in the second column of README's ``| page | parameter | meaning |`` table."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index("| page | parameter | meaning |")
    names: set[str] = set()
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        names |= set(re.findall(r"`([^`=]+)`", line.split("|")[2]))
    return names


def test_scanner_finds_the_known_parameters():
    read, _ = url_parameters_read()
    # One of each way of reading a parameter: bind= with a constant key, url_choice,
    # bind= with a literal, and a page link's query_params.
    assert {"lang", "cat", "q", "range", "venue"} <= read


def test_every_url_parameter_can_be_named():
    _, unknown = url_parameters_read()
    assert list(unknown) == [], "use a literal or a module-level constant as the key"


def test_every_url_parameter_is_documented():
    read, _ = url_parameters_read()
    assert sorted(read - url_parameters_documented()) == [], "add a row to README's URL table"


def test_every_documented_url_parameter_is_read():
    read, _ = url_parameters_read()
    assert sorted(url_parameters_documented() - read) == []


# --------------------------------------------------------------------------- catalogue keys

# Keys built at run time: the f-string's constant start, and what may follow it.
# LITERAL: a string literal in the same file as the f-string (the tuple it loops over).
LITERAL = None
DYNAMIC_PREFIXES: dict[str, str | None] = {
    "date.month": r"(_long)?\.([1-9]|1[0-2])",  # i18n.month_name
    "date.weekday": r"(_long)?\.[0-6]",  # i18n.weekday_name
    "record.text_in.": r"[a-z]{2,3}",  # i18n.text_note: a town language's code
    "filters.when_": LITERAL,  # explore page: the WHEN options
    "map.": LITERAL,  # render's _labels: the card's labels ("wheelchair.yes", ...)
    "events.column.": LITERAL,  # events' events_table: the CLI table's header
    "whats_on.preset.": LITERAL,  # whats_on.preset_label: the range presets (PRESETS)
    "mpage.part_": LITERAL,  # members page: the PARTS of the page
    "mpage.status_": r"member|prospective",  # members page: schema.CLUSTER_STATUSES
    "submissions.field.": LITERAL,  # submissions.refusals.field_label: title/description
    "members.check.": LITERAL,  # members.check_texts and overview: the keys of CHECKS
    "members.why.": LITERAL,  # members.check_texts: the keys of CHECKS
    "members.view.": LITERAL,  # members.finding_text: the VIEW_* names
    "members.state.": LITERAL,  # members.finding_text: YES, NO, UNKNOWN
    "console.part_": LITERAL,  # review console: the PARTS of the page
    "console.kind_": r"update|event|venue",  # review console: submissions.KINDS
    "console.decision_": r"applied|rejected",  # review console: the audit trail's decisions
    "submissions.review.already_": r"applied|rejected",  # review.already_decided: a status
    # forms.hours_problem: hours_tolerant.PROBLEM_KINDS; the editor: hours_week.HOLIDAY_CHOICES
    "hours_fix.problem.": "|".join(PROBLEM_KINDS),
    "hours_edit.holiday.": "|".join(HOLIDAY_CHOICES),
}
# Keys kept although no code reads them yet: the season names the planning page will
# read (``off_season_months``/``peak_months``). None exist in the catalogues today.
KEPT_UNUSED = re.compile(r"(off_season|peak)_months")


@cache
def code_strings() -> dict[Path, tuple[frozenset[str], frozenset[str]]]:
    """Per code file: its string literals, and the constant starts of its f-strings."""
    found = {}
    for path in CODE:
        literals: set[str] = set()
        prefixes: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                first = node.values[0] if node.values else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    prefixes.add(first.value)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
        found[path] = (frozenset(literals), frozenset(prefixes))
    return found


def is_used(key: str) -> bool:
    files = code_strings()
    if any(key in literals for literals, _ in files.values()):
        return True
    for prefix, rest in DYNAMIC_PREFIXES.items():
        if not key.startswith(prefix):
            continue
        tail = key[len(prefix) :]
        for literals, prefixes in files.values():
            if prefix in prefixes and (
                tail in literals if rest is LITERAL else re.fullmatch(rest, tail)
            ):
                return True
    return False


def test_dynamic_prefixes_are_still_built_somewhere():
    built = set().union(*(prefixes for _, prefixes in code_strings().values()))
    assert sorted(set(DYNAMIC_PREFIXES) - built) == []


@pytest.mark.parametrize("lang", i18n.available_languages())
def test_every_catalogue_key_is_used(lang):
    unused = [k for k in i18n.catalogue(lang) if not is_used(k) and not KEPT_UNUSED.search(k)]
    assert unused == [], f"remove these keys from mapping/locales/{lang}/ (or use them)"
