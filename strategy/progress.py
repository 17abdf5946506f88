"""Progress and status, exactly as DESIGN.md section 7 defines them. Pure and exact: ratios are `Fraction`s.

Indicator: `p = clamp((latest - baseline) / (target - baseline), 0, 1)`; `e = clamp(elapsed / planned, 0, 1)`;
MET if p ≥ 1, ON_TRACK if p ≥ e - 0.10, AT_RISK if p ≥ e - 0.25, else OFF_TRACK; NOT_STARTED without
measurements up to `as_of`. Objectives and goals (and pillars and the strategy) roll up as weighted means of
their children, the weights normalised, and name the children and the indicators that hold them back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from strategy.models import Indicator, Measurement, Status

ON_TRACK_SLACK = Fraction(1, 10)
AT_RISK_SLACK = Fraction(1, 4)
HOLDING_BACK = frozenset({Status.AT_RISK, Status.OFF_TRACK, Status.NOT_STARTED})
"""A child in one of these holds its parent back (unless the parent is MET)."""


def clamp(value: Fraction) -> Fraction:
    return min(Fraction(1), max(Fraction(0), value))


def latest(measurements: Iterable[Measurement], as_of: date) -> Measurement | None:
    """The measurement in force on `as_of`: the latest as-of date not after it; of two on that day, the one
    recorded last. Measurements after `as_of` are ignored."""
    known = [m for m in measurements if m.as_of <= as_of]
    return max(known, key=lambda m: (m.as_of, m.recorded_at, m.id)) if known else None


def achieved(indicator: Indicator, value: Decimal) -> Fraction:
    """p: the share of the way from baseline to target, for targets above or below the baseline."""
    return clamp(Fraction(value - indicator.baseline) / Fraction(indicator.target - indicator.baseline))


def expected(start: date, end: date, as_of: date) -> Fraction:
    """e: the share of the planned duration elapsed. A zero-length plan is all due on its day (0 before, 1 on
    or after it)."""
    planned = (end - start).days
    if planned <= 0:
        return Fraction(1) if as_of >= end else Fraction(0)
    return clamp(Fraction((as_of - start).days, planned))


def status_of(p: Fraction, e: Fraction) -> Status:
    if p >= 1:
        return Status.MET
    if p >= e - ON_TRACK_SLACK:
        return Status.ON_TRACK
    if p >= e - AT_RISK_SLACK:
        return Status.AT_RISK
    return Status.OFF_TRACK


@dataclass(frozen=True)
class Held:
    """A child that holds its parent back, named, with its status."""

    id: str
    title: str
    status: Status


@dataclass(frozen=True)
class Progress:
    """The picture on `as_of`. `achieved` is None when nothing was measured (NOT_STARTED)."""

    id: str
    title: str
    as_of: date
    achieved: Fraction | None
    expected: Fraction
    status: Status
    held_back_by: tuple[Held, ...]
    """The children (for an indicator: itself) whose status is AT_RISK, OFF_TRACK or NOT_STARTED."""
    indicators_holding_back: tuple[Held, ...]
    """The indicators underneath that hold it back, at any depth."""
    latest: Measurement | None = None
    """For an indicator: the measurement its progress rests on."""

    @property
    def held(self) -> Held:
        return Held(self.id, self.title, self.status)


def indicator_progress(indicator: Indicator, measurements: Iterable[Measurement], as_of: date) -> Progress:
    found = latest((m for m in measurements if m.indicator_id == indicator.id), as_of)
    e = expected(indicator.start_date, indicator.target_date, as_of)
    if found is None:
        status, p = Status.NOT_STARTED, None
    else:
        p = achieved(indicator, found.value)
        status = status_of(p, e)
    me = Held(indicator.id, indicator.title, status)
    holding = (me,) if status in HOLDING_BACK else ()
    return Progress(indicator.id, indicator.title, as_of, p, e, status, holding, holding, found)


def rolled_up(id: str, title: str, as_of: date, children: Sequence[tuple[Decimal, Progress]]) -> Progress:
    """The weighted mean of the children's p and e (weights normalised, so they need not sum to one).

    A child not started counts as p = 0, so that an unmeasured indicator never makes its parent look better;
    the parent is NOT_STARTED only when none of its children has a measurement (or it has no children)."""
    total = sum((Fraction(weight) for weight, _ in children), Fraction(0))
    if not children or total <= 0:
        return Progress(id, title, as_of, None, Fraction(0), Status.NOT_STARTED, (), ())
    e = sum((Fraction(w) * child.expected for w, child in children), Fraction(0)) / total
    if all(child.achieved is None for _, child in children):
        status, p = Status.NOT_STARTED, None
    else:
        p = sum((Fraction(w) * (child.achieved or Fraction(0)) for w, child in children), Fraction(0)) / total
        status = status_of(p, e)
    if status is Status.MET:
        return Progress(id, title, as_of, p, e, status, (), ())
    held = tuple(child.held for _, child in children if child.status in HOLDING_BACK)
    indicators = tuple(indicator for _, child in children for indicator in child.indicators_holding_back)
    return Progress(id, title, as_of, p, e, status, held, indicators)
