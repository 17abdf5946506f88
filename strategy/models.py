"""The National Strategy as the rest of Sett sees it: strategy → goals → objectives → indicators → measurements.

Values are exact (`Decimal`); weights are positive and need not sum to one (roll-ups normalise them).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
Weight = Annotated[Decimal, Field(gt=0, le=1000, max_digits=12, decimal_places=6)]
Value = Annotated[Decimal, Field(max_digits=20, decimal_places=6)]


class Pillar(StrEnum):
    PREVENTION = "PREVENTION"
    PROTECTION = "PROTECTION"
    PROSECUTION = "PROSECUTION"
    PARTNERSHIP = "PARTNERSHIP"


class IndicatorKind(StrEnum):
    MANUAL = "MANUAL"
    """Measured by the agencies that lead or support its objective, who record each value with its source."""
    COMPUTED = "COMPUTED"
    """Counted from the operational graph (`strategy.computed`); never recorded by hand."""


class ComputedCount(StrEnum):
    """What a COMPUTED indicator counts in the operational graph: numbers only, never identities."""

    STATES_FULL_NON_CRIMINALISATION = "STATES_FULL_NON_CRIMINALISATION"
    MULTI_AGENCY_CASES = "MULTI_AGENCY_CASES"
    CROSS_AGENCY_DISCLOSURES = "CROSS_AGENCY_DISCLOSURES"


DEFINITIONS: dict[ComputedCount, str] = {
    ComputedCount.STATES_FULL_NON_CRIMINALISATION: "The states and DC whose Safe Harbor law in force (the latest "
    "recorded year not after the as-of year) gives FULL non-criminalisation of minors.",
    ComputedCount.MULTI_AGENCY_CASES: "Cases whose case team spans agencies, as in a multi-agency operation: "
    "counted from the teams as they are now, a case whose current team has an agency besides the owner that "
    "joined it (MEMBER_OF since, its latest joining) by the as-of time. No past membership is kept: an agency "
    "taken off a team counts on no day, so past values fall when a team shrinks.",
    ComputedCount.CROSS_AGENCY_DISCLOSURES: "Dissemination records written up to the as-of time: each one a read "
    "that disclosed one agency's case records to another agency, with its stated purpose.",
}
"""The definition of each count, as the schema and the dashboard state it."""


class Status(StrEnum):
    MET = "MET"
    ON_TRACK = "ON_TRACK"
    AT_RISK = "AT_RISK"
    OFF_TRACK = "OFF_TRACK"
    NOT_STARTED = "NOT_STARTED"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Strategy(_Frozen):
    id: str
    title: Text
    description: Note = ""
    demo: bool = False
    """Demo data (loaded by `make run`), never a real plan."""


class Goal(_Frozen):
    id: str
    strategy_id: str
    title: Text
    pillar: Pillar
    weight: Weight = Decimal(1)


class Objective(_Frozen):
    id: str
    goal_id: str
    title: Text
    lead_agency_id: str
    supporting_agency_ids: frozenset[str] = frozenset()
    weight: Weight = Decimal(1)

    @model_validator(mode="after")
    def _lead_is_not_supporting(self) -> Objective:
        if self.lead_agency_id in self.supporting_agency_ids:
            raise ValueError("the lead agency is not also a supporting agency")
        return self

    @property
    def responsible_agency_ids(self) -> frozenset[str]:
        return self.supporting_agency_ids | {self.lead_agency_id}


class Indicator(_Frozen):
    id: str
    objective_id: str
    title: Text
    unit: Text
    baseline: Value
    target: Value
    start_date: date
    target_date: date
    weight: Weight = Decimal(1)
    kind: IndicatorKind = IndicatorKind.MANUAL
    computed: ComputedCount | None = None
    """For a COMPUTED indicator, what it counts."""

    @model_validator(mode="after")
    def _consistent(self) -> Indicator:
        if self.target == self.baseline:
            raise ValueError("the target must differ from the baseline (progress is measured between them)")
        if self.target_date < self.start_date:
            raise ValueError("the target date comes before the start date")
        if (self.kind is IndicatorKind.COMPUTED) != (self.computed is not None):
            raise ValueError("a COMPUTED indicator names its count, and only a COMPUTED one does")
        return self


class Measurement(_Frozen):
    id: str
    indicator_id: str
    value: Value
    as_of: date
    reporting_agency_id: str
    source: Text
    note: Note = ""
    recorded_at: datetime
    recorded_by: str
