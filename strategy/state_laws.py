"""State Safe Harbor laws for minors, per state (the 50 states and DC) and year."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

import us
from pydantic import BaseModel, ConfigDict, Field, field_validator

from strategy.models import Note, Text


def jurisdictions(states: Iterable[us.states.State]) -> tuple[tuple[str, str], ...]:
    """The states given and the District of Columbia, once each, by postal code: (postal code, name). `us` lists
    DC among its STATES when the DC_STATEHOOD environment variable is set, and not otherwise."""
    found = {str(state.abbr): str(state.name) for state in states}
    found.setdefault("DC", str(us.states.DC.name))
    return tuple(sorted(found.items()))


JURISDICTIONS = jurisdictions(us.states.STATES)
"""The 50 states and the District of Columbia: (postal code, name)."""
CODES = frozenset(code for code, _ in JURISDICTIONS)


class NonCriminalisation(StrEnum):
    FULL = "FULL"
    """No minor is charged with prostitution: they are treated as victims."""
    PARTIAL = "PARTIAL"
    """Some minors (by age or circumstance) are still charged, or diverted through the juvenile justice system."""
    AFFIRMATIVE_DEFENSE = "AFFIRMATIVE_DEFENSE"
    """A minor may be charged but may raise being trafficked as a defence."""
    NONE = "NONE"


class StateLaw(BaseModel):
    model_config = ConfigDict(frozen=True)

    state: str
    year: Annotated[int, Field(ge=1990, le=2100)]
    non_criminalisation: NonCriminalisation
    services_for_all_children: bool | None = None
    """Specialised services are available to every child victim, not only those in the justice system; None when
    the source does not say."""
    grade: Annotated[str, Field(pattern=r"^[A-F][+-]?$")] | None = None
    score: Annotated[int, Field(ge=0, le=100)] | None = None
    source: Text
    note: Note = ""

    @field_validator("state")
    @classmethod
    def _known(cls, value: str) -> str:
        code = value.strip().upper()
        if code not in CODES:
            raise ValueError(f"{value!r} is none of the 50 states or DC (use the postal code, such as MN)")
        return code


@dataclass(frozen=True)
class StateRow:
    """A state on a year: the law in force then (its latest recorded year not after it), or None if unknown."""

    state: str
    name: str
    law: StateLaw | None


def in_force(laws: Iterable[StateLaw], year: int) -> tuple[StateRow, ...]:
    """Every state and DC, each with its latest recorded law up to `year`."""
    latest: dict[str, StateLaw] = {}
    for law in laws:
        if law.year <= year and (law.state not in latest or law.year > latest[law.state].year):
            latest[law.state] = law
    return tuple(StateRow(code, name, latest.get(code)) for code, name in JURISDICTIONS)


def full_non_criminalisation(laws: Iterable[StateLaw], year: int) -> int:
    return sum(1 for row in in_force(laws, year) if row.law and row.law.non_criminalisation is NonCriminalisation.FULL)
