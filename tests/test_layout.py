"""The shape of the code: the package's list of modules, their size, no hidden cycles.

These are the rules issue 19 set for ``mapping/`` and the code around it; each test
names the module that breaks one.
"""

from __future__ import annotations

import ast
import pkgutil
import re
from pathlib import Path

import mapping

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 450
"""No module is longer: past that, a module holds more than one concern."""


def _public_modules() -> set[str]:
    return {
        info.name
        for info in pkgutil.iter_modules(mapping.__path__)
        if not info.name.startswith("_")
    }


def test_all_lists_every_public_module():
    assert set(mapping.__all__) == _public_modules()


def test_docstring_names_every_public_module():
    named = set(re.findall(r"``([a-z0-9_]+)``", mapping.__doc__ or ""))
    missing = _public_modules() - named
    assert not missing, f"mapping/__init__.py's docstring does not name {sorted(missing)}"


def _python_files() -> list[Path]:
    files = [ROOT / "app.py"]
    for folder in ("mapping", "pages", "scripts", "bench"):
        files += sorted((ROOT / folder).rglob("*.py"))
    return files


def test_no_module_is_over_the_limit():
    long = {
        path.relative_to(ROOT).as_posix(): count
        for path in _python_files()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"over {MAX_LINES} lines: {long}"


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _late_imports(tree: ast.Module) -> list[tuple[int, str]]:
    """Imports of ``mapping`` made inside a function or class: a hidden import cycle."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue
            inner = nested or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
            )
            if nested and isinstance(child, ast.ImportFrom | ast.Import):
                names = (
                    [child.module or ""]
                    if isinstance(child, ast.ImportFrom)
                    else [alias.name for alias in child.names]
                )
                found.extend((child.lineno, n) for n in names if n.startswith("mapping"))
            visit(child, inner)

    visit(tree, False)
    return found


def test_mapping_has_no_function_level_imports_of_itself():
    late = {}
    for path in sorted((ROOT / "mapping").rglob("*.py")):
        hits = _late_imports(ast.parse(path.read_text(encoding="utf-8")))
        if hits:
            late[path.relative_to(ROOT).as_posix()] = hits
    assert not late, f"imports of mapping inside functions (a hidden cycle): {late}"


def test_no_module_imports_another_packages_private_name():
    """``from mapping.x import _name`` or ``mapping.x._name`` across packages."""
    offences = []
    for path in _python_files():
        relative = path.relative_to(ROOT)
        package = ".".join(relative.with_suffix("").parts[:-1])
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mapping"):
                module = node.module or ""
                owner = module.rsplit(".", 1)[0] if "." in module else module
                if module.rsplit(".", 1)[-1].startswith("_") and owner != package:
                    offences.append(f"{relative}:{node.lineno} {module}")
                for alias in node.names:
                    private = alias.name.startswith("_")
                    if private and package not in (owner, module):
                        offences.append(f"{relative}:{node.lineno} {module}.{alias.name}")
    assert not offences, offences


def _magic_strings(body: list[ast.stmt]) -> list[int]:
    """Lines of bare string statements Streamlit's "magic" would print on the page:
    every one outside a function or class body (where magic does not reach)."""
    lines: list[int] = []
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        is_constant = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        if is_constant and isinstance(node.value.value, str):  # type: ignore[attr-defined]
            lines.append(node.lineno)
        for field in ("body", "orelse", "finalbody", "handlers"):
            inner = getattr(node, field, None)
            if isinstance(inner, list):
                lines += _magic_strings([n for n in inner if isinstance(n, ast.stmt)])
                for handler in inner:
                    if isinstance(handler, ast.ExceptHandler):
                        lines += _magic_strings(handler.body)
    return lines


def test_page_scripts_print_no_stray_strings():
    """A page script's only bare string is its module docstring (magic skips it): an
    attribute docstring after a constant would appear as text on the page."""
    scripts = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*_page.py"))]
    stray = {}
    for path in scripts:
        body = ast.parse(path.read_text(encoding="utf-8")).body
        lines = _magic_strings(body[1:] if ast.get_docstring(ast.Module(body, [])) else body)
        if lines:
            stray[path.relative_to(ROOT).as_posix()] = lines
    assert not stray, f"bare strings Streamlit would print: {stray}"
