"""Errors and problem records shared by loading, validation and the command line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data: where it is and what was expected.

    ``record`` is the record id when the record has one, else ``row N`` (1-based).
    """

    file: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.record}:{self.field}: {self.message}"


class DataError(ValueError):
    """A data file cannot be read at all (malformed, empty, no CRS, missing)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

