"""Resource totals in exact cents; state laws for the 50 states and DC; the days computed values are taken on."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest
import us
from pydantic import ValidationError

from strategy.computed import quarter_ends
from strategy.models import Goal, Objective, Pillar, Strategy
from strategy.plan import Plan
from strategy.resources import Resource, ResourceKind, cents, dollars, totals
from strategy.state_laws import (
    JURISDICTIONS,
    NonCriminalisation,
    StateLaw,
    full_non_criminalisation,
    in_force,
    jurisdictions,
)

FINES, HEALTH = "JVTA fund: fines and penalties", "JVTA fund: health care"
PLAN = Plan(
    strategy=Strategy(id="s", title="s"),
    goals=(
        Goal(id="g1", strategy_id="s", title="Safe Harbor", pillar=Pillar.PROTECTION),
        Goal(id="g2", strategy_id="s", title="Restitution", pillar=Pillar.PROSECUTION),
    ),
    objectives=(
        Objective(id="o1", goal_id="g1", title="o1", lead_agency_id="USOVC0000"),
        Objective(id="o2", goal_id="g2", title="o2", lead_agency_id="USHSI0000"),
    ),
)


def resource(id: str, objective: str, agency: str, stream: str, amount: int, spent: int = 0) -> Resource:  # noqa: PLR0917
    return Resource(
        id=id,
        objective_id=objective,
        agency_id=agency,
        kind=ResourceKind.GRANT,
        title=id,
        stream=stream,
        fiscal_year=2026,
        amount_cents=amount,
        spent_cents=spent,
    )


def test_totals_per_goal_pillar_agency_and_stream_are_exact() -> None:
    found = totals(
        PLAN,
        [
            resource("a", "o1", "USOVC0000", FINES, 10, 1),  # ten cents: 0.1 + 0.2 is not 0.3 in floats
            resource("b", "o1", "WASPD0000", HEALTH, 20, 2),
            resource("c", "o2", "USHSI0000", FINES, 1_000_000_000_01, 0),
            resource("elsewhere", "o-of-another-strategy", "USHSI0000", FINES, 5),
        ],
    )
    assert found.allocated_cents == 1_000_000_000_31
    assert dollars(found.allocated_cents) == Decimal("1000000000.31")
    assert [(t.key, t.allocated_cents, t.spent_cents, t.count) for t in found.by_goal] == [
        ("g2", 1_000_000_000_01, 0, 1),
        ("g1", 30, 3, 2),
    ]
    assert [t.key for t in found.by_pillar] == ["PROTECTION", "PROSECUTION"]  # in pillar order
    assert {t.key: t.allocated_cents for t in found.by_stream} == {FINES: 1_000_000_000_11, HEALTH: 20}
    assert {t.key: t.allocated_cents for t in found.by_agency} == {
        "USHSI0000": 1_000_000_000_01,
        "USOVC0000": 10,
        "WASPD0000": 20,
    }


def test_money_is_whole_cents() -> None:
    assert cents(Decimal("1250000.50")) == 125000050
    with pytest.raises(ValueError, match="two decimal places"):
        cents(Decimal("0.001"))
    assert cents(Decimal("99999999999999.99")) == 9999999999999999  # refused later, as past the largest amount
    assert cents(Decimal("0E-999999")) == 0
    assert cents(Decimal("12.5E+1")) == 12500


@pytest.mark.parametrize("sent", ["Infinity", "-Infinity", "NaN", "sNaN", "1E+999990", "-1E+999990", "1E+14"])
def test_what_is_no_amount_of_money_is_refused_before_any_arithmetic(sent: str) -> None:
    with pytest.raises(ValueError, match="amount"):
        cents(Decimal(sent))


def test_a_fraction_of_a_cent_far_below_is_refused_as_one() -> None:
    with pytest.raises(ValueError, match="two decimal places"):
        cents(Decimal("1E-999999"))
    with pytest.raises(ValidationError, match="exceeds"):
        resource("x", "o1", "USOVC0000", FINES, 10, 11)


def test_every_state_and_dc_and_nothing_else() -> None:
    assert len(JURISDICTIONS) == 51
    assert ("DC", "District of Columbia") in JURISDICTIONS
    assert ("PR", "Puerto Rico") not in JURISDICTIONS
    with pytest.raises(ValidationError, match="50 states or DC"):
        law("PR", 2020, NonCriminalisation.FULL)


def test_dc_is_listed_once_even_when_us_counts_it_among_the_states() -> None:
    with_dc = [*us.states.STATES, us.states.DC]  # what us.states.STATES is when DC_STATEHOOD is set
    assert jurisdictions(with_dc) == JURISDICTIONS
    assert jurisdictions(us.states.STATES) == JURISDICTIONS
    listed = subprocess.run(
        [sys.executable, "-c", "from strategy.state_laws import JURISDICTIONS; print(len(JURISDICTIONS))"],
        env={**os.environ, "DC_STATEHOOD": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert listed.stdout.strip() == "51"


def law(state: str, year: int, rule: NonCriminalisation) -> StateLaw:
    return StateLaw(state=state, year=year, non_criminalisation=rule, services_for_all_children=False, source="test")


def test_the_law_in_force_is_the_latest_recorded_year_not_after_the_year_asked() -> None:
    laws = [law("mn", 2011, NonCriminalisation.PARTIAL), law("MN", 2014, NonCriminalisation.FULL)]
    rows = {row.state: row for row in in_force(laws, 2013)}
    assert len(rows) == 51
    assert rows["MN"].law is not None
    assert rows["MN"].law.non_criminalisation is NonCriminalisation.PARTIAL
    assert rows["WA"].law is None
    assert full_non_criminalisation(laws, 2013) == 0
    assert full_non_criminalisation(laws, 2014) == 1
    assert full_non_criminalisation(laws, 2010) == 0


def test_computed_values_are_taken_at_quarter_ends_and_on_the_day_asked() -> None:
    assert quarter_ends(date(2026, 1, 1), date(2026, 8, 15)) == [
        date(2026, 3, 31),
        date(2026, 6, 30),
        date(2026, 8, 15),
    ]
    assert quarter_ends(date(2026, 11, 2), date(2027, 3, 31)) == [date(2026, 12, 31), date(2027, 3, 31)]
    assert quarter_ends(date(2026, 2, 1), date(2026, 2, 1)) == [date(2026, 2, 1)]
