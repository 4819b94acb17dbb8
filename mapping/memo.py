"""Remembering what the pages ask of one loaded dataset.

The app holds one :class:`~mapping.io.Dataset` per data version for the whole process,
and every rerun of every session asks it the same few questions (the start points, the
venues a filter keeps, the nearest-first list, the events of a range). Answering them
again on each rerun made a rerun cost ~100 ms of one core, which is what limits how many
visitors one server holds (``bench/load_test.py``). Streamlit's own caches hash their
arguments on every call, which costs as much as the answer for our small frames; this
keys on the dataset's identity and plain hashable arguments instead.

A remembered answer is shared by every session: callers must not modify it (pandas
objects are returned as they are, not copied).
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Concatenate, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
D = TypeVar("D")

MAX_ANSWERS = 256  # per function; a few hundred small frames at most


def per_dataset(
    fn: Callable[Concatenate[D, P], R],
) -> Callable[Concatenate[D, P], R]:
    """Remember ``fn(data, *args, **kwargs)`` per dataset object and argument values.

    ``fn`` must be a pure function of the dataset and its other arguments (no clock, no
    files), and those arguments hashable. The dataset is compared by identity, and kept
    alive by its answers, so an identity is never reused for another dataset while they
    are remembered; the oldest answers are dropped beyond :data:`MAX_ANSWERS`.
    """
    answers: OrderedDict[Hashable, tuple[Any, R]] = OrderedDict()
    lock = threading.Lock()

    @functools.wraps(fn)
    def remembered(data: D, /, *args: P.args, **kwargs: P.kwargs) -> R:
        key = (id(data), args, tuple(sorted(kwargs.items())))
        with lock:
            hit = answers.get(key)
            if hit is not None and hit[0] is data:
                answers.move_to_end(key)
                return hit[1]
        value = fn(data, *args, **kwargs)
        with lock:
            answers[key] = (data, value)
            while len(answers) > MAX_ANSWERS:
                answers.popitem(last=False)
        return value

    remembered.cache_clear = answers.clear  # type: ignore[attr-defined]
    return remembered
