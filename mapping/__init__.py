"""Kotor Creative Map: the library behind the app (no Streamlit in here).

One module per concern, each public one listed in ``__all__`` (``tests/test_layout.py``
keeps the list, this docstring and the package in step). Read them from the bottom of
the stack up: a module imports only modules listed before it or beside it.

Town, data and its rules
    ``settings`` (the town profile ``city.toml`` as declared settings; its value parsers
    in ``setting_parsers``, its declared keys in ``setting_table``), ``errors``
    (``Problem`` and ``DataError``: every problem named by file, record and field),
    ``schema`` (the one home of each value rule and vocabulary: URL, e-mail, colour,
    icon, yes/no flags, the study-area box),
    ``geodata`` (reading GeoJSON/GeoPackage files safely), ``cited`` (a venue's cited
    coordinates as two numbers, the old array form read), ``io`` (the one data loader),
    ``validate`` and ``record_checks`` (every problem of a folder), ``serving`` (what
    the app serves: a folder that loads and validates), ``files`` (atomic
    writes and the one CSV writer), ``checked_write`` (validate a changed folder on a
    copy, then write), ``text`` (the one escaping helper, slugs and ids).
Time, hours and walking
    ``clock`` (the one source of "now", town-local time), ``months`` (seasons across the
    year end), ``hours`` (evaluating ``opening_hours``; its engine is the private
    ``_hours_engine``), ``hours_tolerant`` (hours as people type them, read into the
    strict value; its word tables are the private ``_hours_words``), ``hours_week``
    (the week editor's grid and its value), ``seasons`` (hours and seasons in words),
    ``query`` (filters),
    ``distance`` (the walking model: the only home of distance → minutes → reach),
    ``memo`` (answers remembered per loaded dataset).
Events and calendars
    ``events`` (reading, occurrences, grouping, labels), ``calendar`` (.ics).
What each page shows, as plain values
    ``params`` (every URL parameter read and checked), ``location_text`` (a pasted
    point or map link read as lat, lon), ``explore``; ``whats_on`` with
    ``whats_on_ranges`` (date presets) and ``whats_on_strip`` (the month strip);
    ``members`` (the "For members" analysis: checks, visibility, reach, nearby, cluster)
    and ``member_charts``; ``coverage`` (who is within reach, month by month),
    ``population_basis`` (what the shares of residents rest on), ``what_if``
    (hypothetical venues), ``seasonality`` (venues and hours per month), ``gap_files``
    (gap downloads), ``planning`` (the planners' figures for one selection, and their
    words), ``planning_report`` (the printed report), ``planning_cli`` (``gaps`` and
    ``report``), ``planning_columns`` (planning's tables as people read them: headers,
    values).
Drawing and output
    ``render`` (the one map builder), ``components`` (Explore's custom components; the
    only Streamlit imports, made when a page mounts one), ``exporting`` (the standalone
    HTML map), ``i18n`` (catalogues: a language is a folder), ``text_fallback`` (which
    language's record text a visitor sees), ``accept_language`` (the town language a
    browser asks for on a first visit).
Members' data, imports and commands
    ``store`` (the members' database, SQLite or PostgreSQL, and its one transaction),
    ``backup`` (backing it up and restoring it), ``usage``
    (per-venue counts of the visitor pages), ``submissions`` (members' suggestions and
    their review), ``links`` (members' personal links, kept as hashes),
    ``accounts`` (the review console's coordinator accounts, slowed logins and
    sessions), ``console`` (the review console's list, before/after and decisions,
    suggestions sent with a personal link marked),
    ``outreach`` (links with what each venue is missing: mail-merge CSV, printable
    sheets), ``link_commands`` (``links …``), ``imports`` (venues from OSM/GIS
    files, events from iCalendar and CSV), ``synthetic`` (test and benchmark data
    only, never shipped), ``cli`` (``python -m mapping``).

Modules starting with ``_`` are private helpers; nothing outside their package uses them.
"""

from __future__ import annotations

__all__ = [
    "accept_language",
    "accounts",
    "backup",
    "calendar",
    "checked_write",
    "cited",
    "cli",
    "clock",
    "components",
    "console",
    "coverage",
    "distance",
    "errors",
    "events",
    "explore",
    "exporting",
    "files",
    "gap_files",
    "geodata",
    "hours",
    "hours_tolerant",
    "hours_week",
    "i18n",
    "imports",
    "io",
    "link_commands",
    "links",
    "location_text",
    "member_charts",
    "members",
    "memo",
    "months",
    "outreach",
    "params",
    "planning",
    "planning_cli",
    "planning_columns",
    "planning_report",
    "population_basis",
    "query",
    "record_checks",
    "render",
    "schema",
    "seasonality",
    "seasons",
    "serving",
    "setting_parsers",
    "setting_table",
    "settings",
    "store",
    "submissions",
    "synthetic",
    "text",
    "text_fallback",
    "usage",
    "validate",
    "what_if",
    "whats_on",
    "whats_on_ranges",
    "whats_on_strip",
]
