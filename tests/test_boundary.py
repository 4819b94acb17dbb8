"""The library/page boundary: no ``mapping`` module pulls in Streamlit.

Like geopandas' ``test_no_additional_imports``: import every module of the package in a
fresh interpreter and look at what ended up in ``sys.modules``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

FORBIDDEN = ("streamlit", "streamlit_folium")
ROOT = Path(__file__).resolve().parent.parent

CODE = f"""
import importlib, pkgutil, sys
import mapping

names = sorted(m.name for m in pkgutil.walk_packages(mapping.__path__, "mapping."))
for name in names:
    if not name.endswith("__main__"):  # runs the CLI; it imports only mapping.cli
        importlib.import_module(name)
assert len(names) > 5, names
loaded = sorted({{m.split(".")[0] for m in sys.modules}} & set({FORBIDDEN!r}))
print(len(names), " ".join(loaded))
"""


def test_mapping_never_imports_streamlit():
    result = subprocess.run(
        [sys.executable, "-c", CODE], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    count, *loaded = result.stdout.split()
    assert loaded == [], f"importing mapping.* loaded {loaded}"
    assert int(count) > 5
