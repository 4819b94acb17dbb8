"""Planning's what-if: coverage with hypothetical venues, never written anywhere.

A planner places venues that do not exist (a click on the Planning map, or ``pv=``
values read by :func:`mapping.params.proposals`) and sees what they would change:
coverage before and after each month, and the gaps they close.

- **Known open.** A proposal is open in the months it names and closed otherwise, so
  "after" is "before" or what the proposals reach (:func:`what_if` is incremental).
- **The plan's own walk model.** The minutes from every settlement to a proposal come
  from :attr:`mapping.coverage.Plan.walk`, the model the plan itself was computed with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import pandas as pd

from mapping.coverage import (
    DEFAULT_MINUTES,
    Plan,
    Range,
    covered,
    gap_frame,
    group_cube,
    ranges_of,
)
from mapping.hours import STATE_OPEN
from mapping.params import Proposal


def with_proposals(plan: Plan, proposals: Sequence[Proposal]) -> Plan:
    """``plan`` plus hypothetical venues (never written anywhere): one column each."""
    if not proposals:
        return plan
    added = pd.DataFrame(
        {
            "id": [f"proposal-{i + 1}" for i in range(len(proposals))],
            "name": [f"proposal {i + 1}" for i in range(len(proposals))],
            "category": [p.category for p in proposals],
            "lon": [p.lon for p in proposals],
            "lat": [p.lat for p in proposals],
            "hypothetical": True,
        }
    )
    added["group"] = added["category"].map(plan.category_group).fillna(added["category"])
    return replace(
        plan,
        venues=pd.concat([plan.venues, added], ignore_index=True),
        states=np.vstack([plan.states, _proposal_states(proposals)]),
        minutes=np.hstack([plan.minutes, proposal_minutes(plan, proposals)]),
    )


def proposal_minutes(plan: Plan, proposals: Sequence[Proposal]) -> npt.NDArray[np.float64]:
    """Minutes from every settlement to each hypothetical venue: settlements × proposals."""
    points = pd.DataFrame({"lat": [p.lat for p in proposals], "lon": [p.lon for p in proposals]})
    return plan.walk.minutes_between(plan.settlements, points)


def _proposal_states(proposals: Sequence[Proposal]) -> npt.NDArray[np.int8]:
    states = np.zeros((len(proposals), 12), dtype=np.int8)
    for row, proposal in enumerate(proposals):
        for month in proposal.months:
            states[row, month - 1] = STATE_OPEN
    return states


@dataclass(frozen=True)
class Baseline:
    """Coverage without proposals for one selection, computed once and reused per what-if."""

    months: tuple[int, ...]
    minutes: float
    categories: tuple[str, ...] | None
    known: npt.NDArray[np.bool_]  # S × M, chosen categories
    maybe: npt.NDArray[np.bool_]
    cube_known: npt.NDArray[np.bool_]  # S × M × G, venues of the chosen categories
    cube_maybe: npt.NDArray[np.bool_]


def baseline(
    plan: Plan,
    months: Sequence[int],
    minutes: float = DEFAULT_MINUTES,
    categories: Sequence[str] | None = None,
) -> Baseline:
    """The coverage a what-if starts from (see :func:`what_if`)."""
    known, maybe = covered(plan, months, minutes, categories)
    cube_known, cube_maybe = group_cube(plan, minutes, months, categories)
    return Baseline(
        tuple(months),
        minutes,
        None if categories is None else tuple(categories),
        known,
        maybe,
        cube_known,
        cube_maybe,
    )


@dataclass(frozen=True)
class WhatIf:
    """Coverage before and after the proposals, per month, and the gaps they close.

    ``before`` is today's coverage (the figures every other part of the page shows);
    ``after`` is the scenario with the proposals. Never one without the other.
    """

    before: list[Range]
    after: list[Range]
    closed: pd.DataFrame
    proposals: int = 0


def what_if(
    plan: Plan,
    proposals: Sequence[Proposal],
    months: Sequence[int],
    minutes: float = DEFAULT_MINUTES,
    categories: Sequence[str] | None = None,
    *,
    base: Baseline | None = None,
) -> WhatIf:
    """Coverage with and without ``proposals`` for ``months``, and the gaps closed.

    Incremental: a proposal is known open, so "after" is "before" or what the proposals
    reach; only the proposals' minutes are computed (pass ``base`` to reuse "before").
    """
    base = base or baseline(plan, months, minutes, categories)
    near = (proposal_minutes(plan, proposals) <= minutes).astype(np.float32)  # S × P
    columns = [m - 1 for m in months]
    open_ = _proposal_states(proposals)[:, columns] == STATE_OPEN  # P × M
    cats = np.array([p.category for p in proposals], dtype=object)
    picked = (
        np.ones(len(proposals), dtype=bool)
        if categories is None
        else np.isin(cats, list(categories))
    )
    added = (near @ (open_ & picked[:, None]).astype(np.float32)) > 0  # S × M
    groups = pd.Series(cats).map(plan.category_group).fillna(pd.Series(cats)).to_numpy()
    in_group = np.stack([groups == g for g in plan.groups], axis=1)  # P × G
    in_group &= picked[:, None]
    per_cell = (open_[:, :, None] & in_group[:, None, :]).reshape(len(proposals), -1)
    added_cube = ((near @ per_cell.astype(np.float32)) > 0).reshape(base.cube_known.shape)
    held = {plan.category_group.get(c, c) for c in categories or ()}
    listed = np.array([categories is None or g in held for g in plan.groups], dtype=bool)
    closed = ~base.cube_known & added_cube & listed[None, None, :]
    si, order, gi = np.nonzero(closed)
    return WhatIf(
        ranges_of(plan, months, base.known, base.maybe),
        ranges_of(plan, months, base.known | added, base.maybe | added),
        gap_frame(plan, months, (si, order, gi), base.cube_maybe[si, order, gi]),
        len(proposals),
    )
