"""What the app serves: a data folder version that loads *and* validates.

One list of rules, not two: a folder version the app would serve is one for which
:func:`mapping.validate.validate_folder` reports no error — the same check ``python -m
mapping validate`` runs, ``import`` and ``submissions apply`` hold every write to. The
app's loader (:func:`load_served`, called by ``pages/shared.py``) refuses any other
version with those problems, and the app keeps serving the last version that passed
(the maintainers read the problems in the server log). Warnings never refuse a folder.

The command line keeps :func:`mapping.io.load_dataset` alone: a maintainer must be able
to export, inspect or repair a folder that has errors, and ``apply`` refuses only the
errors a change would add.

Cost: validating reads the files a second time, once per data version, never per
visit (``bench/benchmark.py data`` prints load + validate + enrich). Measured on
7 Dec 2026 (medians): Kotor's 64 venues load in 123 ms and validate in 89 ms; 10,000
synthetic venues load in 435 ms and validate in 577 ms. Sharing the files' reads
between the two would halve that, at the price of a larger change to ``io`` and
``validate``.
"""

from __future__ import annotations

import os

from mapping.errors import WARNING, DataError
from mapping.io import Dataset, load_dataset
from mapping.settings import data_dir
from mapping.validate import validate_folder


def load_served(
    folder: str | os.PathLike[str] | None = None, *, year: int | None = None
) -> Dataset:
    """The enriched dataset of ``folder`` if ``validate`` finds no error in it, else
    :class:`~mapping.errors.DataError` with every error (file, record, field)."""
    root = data_dir(folder)
    errors = [p for p in validate_folder(root) if p.level != WARNING]
    if errors:
        raise DataError(errors)
    return load_dataset(root, year=year)
