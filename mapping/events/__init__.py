"""Events: read ``events.csv``, expand recurrences into occurrences, group them, word them.

One module per concern, each with the decisions that belong to it:

- :mod:`~mapping.events.read`: reading and checking the file (all-day ends, DST nights,
  which bad values drop a row and which fall back);
- :mod:`~mapping.events.occurrences`: recurrence expansion, range edges, unconfirmed
  dates, filtering, the next events of a venue;
- :mod:`~mapping.events.groups`: by day, by month, counts per month;
- :mod:`~mapping.events.text`: labels, card lines, price wording, CLI table and CSV.

``from mapping import events as ev`` gives the public API below; the page, the CLI and
the tests use only these names.
"""

from __future__ import annotations

from mapping.events.groups import (
    days_running,
    events_per_month,
    group_by_day,
    unconfirmed_by_month,
)
from mapping.events.occurrences import (
    NEXT_EVENTS_HORIZON_DAYS,
    OCCURRENCE_COLUMNS,
    filter_occurrences,
    occurrences,
    upcoming,
)
from mapping.events.read import (
    EVENT_COLUMNS,
    LOCALIZED_FIELDS,
    REQUIRED,
    check_references,
    read_events,
)
from mapping.events.text import (
    CSV_COLUMNS,
    card_lines,
    day_label,
    events_table,
    moment_label,
    month_label,
    occurrence_label,
    price_text,
    to_csv_bytes,
)
from mapping.schema import RECURRENCES

__all__ = [
    "CSV_COLUMNS",
    "EVENT_COLUMNS",
    "LOCALIZED_FIELDS",
    "NEXT_EVENTS_HORIZON_DAYS",
    "OCCURRENCE_COLUMNS",
    "RECURRENCES",
    "REQUIRED",
    "card_lines",
    "check_references",
    "day_label",
    "days_running",
    "events_per_month",
    "events_table",
    "filter_occurrences",
    "group_by_day",
    "moment_label",
    "month_label",
    "occurrence_label",
    "occurrences",
    "price_text",
    "read_events",
    "to_csv_bytes",
    "unconfirmed_by_month",
    "upcoming",
]
