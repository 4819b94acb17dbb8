"""Errors and problem records shared by loading, validation and the command line."""

from __future__ import annotations

from dataclasses import dataclass

from mapping import i18n


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data: where it is and what was expected.

    ``record`` is the record id when the record has one, else ``row N`` (1-based).
    ``level`` is ``"error"`` (the folder is refused) or ``"warning"`` (worth a look, but
    every page and command works: e.g. a control character in a name); a warning's line
    says so after the field.
    """

    file: str
    record: str
    field: str
    message: str
    level: str = "error"

    def text(self, lang: str) -> str:
        """This problem on a page in ``lang``: the frame naming file, record and field in
        ``lang`` ("venues.geojson, record x, field phone: …"), the ``message`` after it
        as validation wrote it — those exist in English only, here as on the CLI."""
        detail = self.message
        if self.level == WARNING:
            detail = i18n.t("problem.warning", lang, detail=detail)
        where = {"file": self.file, "detail": detail}
        record = self.record if self.record not in ("", "-") else ""
        if self.field not in ("", "-"):
            return i18n.t("problem.field", lang, record=record or "-", field=self.field, **where)
        if record:
            return i18n.t("problem.record", lang, record=record, **where)
        return i18n.t("problem.file", lang, **where)

    def __str__(self) -> str:
        head = f"{self.file}:{self.record}:{self.field}:"
        if self.level == WARNING:
            return f"{head} warning: {self.message}"
        return f"{head} {self.message}"


WARNING = "warning"
"""The :attr:`Problem.level` of a finding that does not refuse the folder."""


class DataError(ValueError):
    """A data folder or file cannot be used (malformed, empty, no CRS, missing, too big,
    a file that is a folder, ids that are not unique, a table without a column it needs)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
