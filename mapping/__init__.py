"""Kotor Creative Map: the library behind the app (no Streamlit in here).

Modules by concern, each public one listed in ``__all__``:

- ``settings`` (the town profile ``city.toml``, declared settings, data folder),
  ``io`` (the one data loader, atomic writes), ``validate`` (every problem, named),
  ``schema`` (the one home of each value rule: URL, e-mail, colour, icon, wheelchair);
- ``clock`` (town-local time), ``hours`` (evaluating ``opening_hours``), ``seasons``
  (hours and seasons in words), ``query`` (filters), ``distance`` (the walking model);
- ``events`` (reading, occurrences, grouping, labels), ``calendar`` (.ics);
- ``explore``, ``whats_on`` and ``members`` (what each page shows, as plain values);
- ``render`` (the one map builder), ``text`` (the one escaping helper), ``i18n``
  (catalogues, per-language fields), ``synthetic`` (test and benchmark data only),
  ``cli`` (``python -m mapping``);
- ``store`` (the members' SQLite database), ``usage`` (per-venue counts of the visitor
  pages, batched into it), ``submissions`` (members' suggestions: the form's checks,
  the pending table, the reviewer's apply and reject), ``members`` (what the members'
  page computes, beside ``explore``), ``member_charts`` (that page's charts).

Modules starting with ``_`` are private helpers; nothing outside their package uses them.
"""

from __future__ import annotations

__all__ = [
    "calendar",
    "cli",
    "clock",
    "distance",
    "events",
    "explore",
    "hours",
    "i18n",
    "io",
    "member_charts",
    "members",
    "query",
    "render",
    "schema",
    "seasons",
    "settings",
    "store",
    "submissions",
    "synthetic",
    "text",
    "usage",
    "validate",
    "whats_on",
]
