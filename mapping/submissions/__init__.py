"""Members' suggestions: the web form stores them as pending, a reviewer applies or
rejects them from the command line or the review console (:mod:`mapping.console`,
behind a login); each decision is logged (:mod:`mapping.submissions.audit`). The
members' form never changes the data files.

The submission model
    A suggestion is one of three kinds (:data:`~mapping.submissions.forms.KINDS`),
    a mapping of field names to what the member typed. Only filled fields are part of
    it (a blank field never erases data). Fields per kind
    (:func:`~mapping.submissions.forms.field_names`, ``<lang>`` = each language of
    ``city.toml``):

    ``update`` (a venue)
        ``venue_id`` (required), ``opening_hours`` (OpenStreetMap syntax, checked by
        :func:`mapping.hours.check`), ``description_<lang>``, ``website``, ``phone``,
        ``email``, ``visit`` (``yes`` / ``appointment`` / ``no``), ``lat`` + ``lon``
        (a map click), ``note`` (for the reviewer). At least one field besides
        ``venue_id`` and ``note``.
    ``event``
        ``title_<lang>`` (at least one), ``category`` (an ``event_categories.csv``
        id), ``venue_id``, ``timing`` (``dated``; ``annual_tbc``: every year, dates
        to be confirmed, ``start``/``end`` the usual window; ``weekly``: ``start`` is
        the first time), ``start`` and ``end`` (``YYYY-MM-DD`` or
        ``YYYY-MM-DDTHH:MM``, both alike, the end not before the start; the form's
        pickers make them with :mod:`~mapping.submissions.event_when`), ``price``,
        ``free`` (``yes`` / ``no``), ``url``, ``organiser``, ``note``.
    ``venue`` (a new one)
        ``name``, ``category`` (a ``categories.csv`` id), ``lat`` + ``lon`` (all
        required), ``note`` (what the proposer knows), and optionally ``website``,
        ``phone``, ``email``, ``opening_hours``, ``description_<lang>``, ``visit``.

    Size limits (characters; :func:`~mapping.submissions.forms.limits`):

    =====================================  =========================================
    field                                   limit
    =====================================  =========================================
    ``name``, ``title_<lang>``              ``[limits] name_max_chars`` (200)
    ``description_<lang>``                  ``[limits] description_max_chars`` (5000)
    ``opening_hours``                       255 (OpenStreetMap's tag value limit)
    ``website``, ``url``                    500
    ``email``                               254
    ``phone``                               40
    ``price``                               100
    ``organiser``                           200
    ``note``                                2000
    ``start``, ``end``                      16
    ``category``, ``venue_id``              100
    ``visit``, ``timing``                   20
    ``free``                                10
    ``lat``, ``lon`` (typed as text)        32
    =====================================  =========================================

    Per hour at most ``[members] max_pending_per_client_per_hour`` suggestions from one
    client (:func:`~mapping.submissions.clients.client_key`: the address the proxy
    forwards, or later a member's personal link) and ``max_pending_per_venue_per_hour``
    for one venue (an update's or an event's); past either,
    :class:`~mapping.submissions.refusals.TooMany` and nothing stored. The total of all
    clients never refuses anyone: past ``unusual_per_hour`` it is logged, and
    :func:`~mapping.submissions.review.unusual` finds such hours for the coordinator.

Storage
    Table ``submissions`` in the members' database (:mod:`mapping.store`), schema in
    :data:`mapping.submissions.ledger.SCHEMA`: the fields as JSON, text exactly as
    typed; ``created`` in UTC; ``client`` a salted hash of the sender's key, kept for
    the hour the limits count it (never an address); ``status`` ``pending`` →
    ``applied`` or ``rejected`` with ``decided`` (UTC), ``reason`` and the ``record``
    written. Rows are never deleted: the table is the audit trail. The number is the
    member's reference (shown ``#12``).

Refusals
    :class:`~mapping.submissions.refusals.Refused` carries one
    :class:`~mapping.submissions.refusals.FieldProblem` per wrong field (``field``, a
    ``submissions.refused.*`` catalogue key, its ``params``); the page shows
    ``problem.text(lang)``, the CLI the English ``str(exc)``; an event's start or end
    quoted in a refusal is a ``date``/``datetime`` param, written in the member's words
    on a page and as ISO on the CLI (:mod:`~mapping.submissions.refusals`). A suggestion already
    pending with the same kind, venue and fields (white space aside) is not stored
    twice: :class:`~mapping.submissions.ledger.AlreadyPending` (a ``Refused``) carries
    the existing ``number`` ("already received as #12").

Applying (:func:`~mapping.submissions.review.apply`)
    - ``source`` gets "submitted by the venue, <date>, reviewed" *appended* to an
      update's existing citations ("; "-separated, as the data writes them), or as
      the whole source of a new venue or event; ``checked`` becomes that date (the
      day the suggestion was received, UTC: the date of what the venue told us).
      ``events.csv`` has no ``checked`` column, so events get the source only.
    - New hours on a record that keeps ``hours_source``/``hours_checked`` get the same
      citation there; the old ``hours_source`` is kept in ``source``.
    - A location (new venue or moved one) is ``approximate``: a map click is good to
      about 100 m, never ``exact``. The cited point (``cited_lat``/``cited_lon``; an
      updated record's old ``cited_coordinates`` is rewritten into them) stays: a click
      too far from what a source cites fails validation, for the reviewer to settle.
    - New ids are the slug of the name or title (``[a-z0-9-]``), made unique (``-2``).
    - Only the record concerned changes: the file is edited as JSON/CSV text, not
      round-tripped through a data frame, so every other record keeps its properties
      and their order, and the file its layout.
    - The whole resulting folder is validated (as ``import`` does): an error the folder
      did not already have refuses the change, and nothing is written.
"""

from __future__ import annotations

from mapping.submissions.clients import client_address, client_key
from mapping.submissions.forms import (
    EVENT,
    FREE_VALUES,
    KINDS,
    TIMINGS,
    UPDATE,
    VENUE,
    choice_label,
    field_names,
    limits,
)
from mapping.submissions.hours_preview import describe_hours
from mapping.submissions.ledger import STATUSES, AlreadyPending, Burst, Submission, reference
from mapping.submissions.refusals import (
    FieldProblem,
    Refused,
    ReviewError,
    TooMany,
    field_label,
)
from mapping.submissions.review import (
    apply,
    get,
    listed,
    reject,
    submit,
    thanks,
    unusual,
)

__all__ = [
    "EVENT",
    "FREE_VALUES",
    "KINDS",
    "STATUSES",
    "TIMINGS",
    "UPDATE",
    "VENUE",
    "AlreadyPending",
    "Burst",
    "FieldProblem",
    "Refused",
    "ReviewError",
    "Submission",
    "TooMany",
    "apply",
    "choice_label",
    "client_address",
    "client_key",
    "describe_hours",
    "field_label",
    "field_names",
    "get",
    "limits",
    "listed",
    "reference",
    "reject",
    "submit",
    "thanks",
    "unusual",
]
