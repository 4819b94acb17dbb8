"""Kotor Creative Map: the library behind the app (no Streamlit in here).

Modules by concern: ``settings`` (town profile, data folder), ``io`` (the one data
loader, atomic writes), ``validate``, ``hours`` (opening seasons), ``query``,
``distance``, ``events`` and ``calendar`` (What's on, .ics), ``render`` (the one map
builder), ``text`` (the one escaping helper), ``i18n`` (catalogues), ``cli``.
"""

from __future__ import annotations

__all__ = [
    "calendar", "cli", "distance", "events", "hours", "i18n", "io", "query", "render",
    "settings", "synthetic", "text", "validate",
]
