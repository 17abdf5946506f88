"""Resources allocated to objectives and agencies, in exact money (integer cents), and their totals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from strategy.models import Pillar, Text
from strategy.plan import Plan

Cents = Annotated[int, Field(ge=0, le=10**15)]
"""Whole cents: up to ten trillion dollars."""
CENT = Decimal("0.01")


MAX_DOLLAR_EXPONENT = 13
"""The largest power of ten an amount may reach: under 10**14 dollars, so past the largest amount (`Cents`) but
never far past it."""


def cents(dollars: Decimal) -> int:
    """Exact dollars (at most two places) as cents; anything finer is refused rather than rounded. Infinity, NaN
    and numbers far beyond any amount (`1E+999999`, cheap to send and slow to turn into an integer) are refused
    before any arithmetic on them. Every refusal is a ValueError."""
    if not dollars.is_finite():
        raise ValueError(f"{dollars} is not an amount of money")
    if dollars.adjusted() > MAX_DOLLAR_EXPONENT:
        raise ValueError("is far larger than any amount")
    try:
        exact = dollars.quantize(CENT)
    except ArithmeticError:
        raise ValueError(f"{dollars} is not an amount of money") from None
    if exact != dollars:
        raise ValueError(f"{dollars} has more than two decimal places")
    return int(exact.scaleb(2))


def dollars(amount: int) -> Decimal:
    return (Decimal(amount) / 100).quantize(CENT)


class ResourceKind(StrEnum):
    GRANT = "GRANT"
    FUND = "FUND"
    TASK_FORCE = "TASK_FORCE"
    PERSONNEL = "PERSONNEL"


class Resource(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    objective_id: str
    agency_id: str
    """The agency the resource is allocated to (it reports what was spent)."""
    kind: ResourceKind
    title: Text
    stream: Text
    """The funding stream, e.g. `JVTA fund: fines and penalties` or `JVTA fund: health care`."""
    fiscal_year: Annotated[int, Field(ge=2000, le=2100)]
    amount_cents: Cents
    spent_cents: Cents = 0
    personnel: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    """Staff (full-time equivalents) of a task force or a personnel allocation."""

    @model_validator(mode="after")
    def _spent_within_amount(self) -> Resource:
        if self.spent_cents > self.amount_cents:
            raise ValueError("spent to date exceeds the amount allocated")
        return self


@dataclass(frozen=True)
class Total:
    key: str
    title: str
    allocated_cents: int
    spent_cents: int
    count: int


@dataclass(frozen=True)
class Totals:
    by_goal: tuple[Total, ...]
    by_pillar: tuple[Total, ...]
    by_agency: tuple[Total, ...]
    by_stream: tuple[Total, ...]
    allocated_cents: int
    spent_cents: int


def totals(plan: Plan, resources: Iterable[Resource]) -> Totals:
    """Allocated and spent per goal, pillar, agency and stream, in cents (so the sums are exact)."""
    goal_of = {o.id: o.goal_id for o in plan.objectives}
    goals = {g.id: g for g in plan.goals}
    found = [r for r in resources if r.objective_id in goal_of]

    def grouped(keyed: Iterable[tuple[str, str, Resource]]) -> tuple[Total, ...]:
        sums: dict[str, list[int]] = {}
        titles: dict[str, str] = {}
        for key, title, resource in keyed:
            row = sums.setdefault(key, [0, 0, 0])
            row[0] += resource.amount_cents
            row[1] += resource.spent_cents
            row[2] += 1
            titles[key] = title
        return tuple(Total(key, titles[key], *sums[key]) for key in sorted(sums, key=lambda k: (-sums[k][0], k)))

    by_goal = grouped((goal_of[r.objective_id], goals[goal_of[r.objective_id]].title, r) for r in found)
    by_pillar = grouped(
        (goals[goal_of[r.objective_id]].pillar.value, goals[goal_of[r.objective_id]].pillar.value.title(), r)
        for r in found
    )
    return Totals(
        by_goal=by_goal,
        by_pillar=tuple(sorted(by_pillar, key=lambda t: list(Pillar).index(Pillar(t.key)))),
        by_agency=grouped((r.agency_id, r.agency_id, r) for r in found),
        by_stream=grouped((r.stream, r.stream, r) for r in found),
        allocated_cents=sum(r.amount_cents for r in found),
        spent_cents=sum(r.spent_cents for r in found),
    )
