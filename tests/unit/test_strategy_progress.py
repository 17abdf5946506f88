"""Progress and status of indicators and their roll-ups, exactly as DESIGN.md section 7 defines them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from pydantic import ValidationError

from strategy.models import Goal, Indicator, Measurement, Objective, Pillar, Status, Strategy
from strategy.plan import Plan, picture
from strategy.progress import achieved, expected, indicator_progress, latest, rolled_up, status_of

START, END = date(2026, 1, 1), date(2026, 12, 31)  # 364 days planned
MIDYEAR = date(2026, 7, 2)  # day 182: e = 1/2


def indicator(
    baseline: str = "0", target: str = "100", *, id: str = "i1", start: date = START, end: date = END, weight: str = "1"
) -> Indicator:
    return Indicator(
        id=id,
        objective_id="o1",
        title=f"indicator {id}",
        unit="count",
        baseline=Decimal(baseline),
        target=Decimal(target),
        start_date=start,
        target_date=end,
        weight=Decimal(weight),
    )


def measured(value: str, on: date, *, indicator_id: str = "i1", id: str | None = None, second: int = 0) -> Measurement:
    return Measurement(
        id=id or f"m-{indicator_id}-{on}-{value}",
        indicator_id=indicator_id,
        value=Decimal(value),
        as_of=on,
        reporting_agency_id="USOVC0000",
        source="synthetic test source",
        recorded_at=datetime(2026, 1, 1, 0, 0, second, tzinfo=UTC),
        recorded_by="test",
    )


def test_no_measurement_is_not_started_and_names_the_indicator_as_holding_back() -> None:
    found = indicator_progress(indicator(), [], MIDYEAR)
    assert found.status is Status.NOT_STARTED
    assert found.achieved is None
    assert found.expected == Fraction(1, 2)
    assert [held.id for held in found.held_back_by] == ["i1"]


def test_progress_is_the_share_of_the_way_from_baseline_to_target() -> None:
    found = indicator_progress(indicator("20", "120"), [measured("70", MIDYEAR)], MIDYEAR)
    assert found.achieved == Fraction(1, 2)
    assert found.status is Status.ON_TRACK
    assert found.held_back_by == ()
    assert found.latest is not None
    assert found.latest.value == Decimal(70)


def test_a_target_below_the_baseline_counts_falling_values_as_progress() -> None:
    falling = indicator("500", "100")  # e.g. days from referral to placement
    assert achieved(falling, Decimal(300)) == Fraction(1, 2)
    assert achieved(falling, Decimal(600)) == 0  # worse than the baseline: clamped to 0
    assert achieved(falling, Decimal(50)) == 1  # past the target: clamped to 1
    assert indicator_progress(falling, [measured("100", MIDYEAR)], MIDYEAR).status is Status.MET
    assert indicator_progress(falling, [measured("520", MIDYEAR)], MIDYEAR).status is Status.OFF_TRACK


def test_past_the_target_date_everything_is_expected() -> None:
    after = date(2027, 6, 1)
    assert expected(START, END, after) == 1
    assert indicator_progress(indicator(), [measured("95", after)], after).status is Status.ON_TRACK  # 0.95 ≥ 0.90
    assert indicator_progress(indicator(), [measured("89", after)], after).status is Status.AT_RISK
    assert indicator_progress(indicator(), [measured("74", after)], after).status is Status.OFF_TRACK
    assert indicator_progress(indicator(), [measured("100", after)], after).status is Status.MET


def test_a_zero_length_plan_is_all_due_on_its_day() -> None:
    day = date(2026, 6, 30)
    assert expected(day, day, date(2026, 6, 29)) == 0
    assert expected(day, day, day) == 1
    assert expected(day, day, date(2026, 7, 1)) == 1
    one_day = indicator(start=day, end=day)
    assert indicator_progress(one_day, [measured("10", date(2026, 6, 29))], date(2026, 6, 29)).status is Status.ON_TRACK
    assert indicator_progress(one_day, [measured("10", day)], day).status is Status.OFF_TRACK


def test_before_the_start_nothing_is_expected_yet() -> None:
    assert expected(START, END, date(2025, 12, 1)) == 0


def test_as_of_before_the_first_measurement_is_not_started() -> None:
    measurements = [measured("40", date(2026, 4, 1)), measured("60", date(2026, 7, 1))]
    assert indicator_progress(indicator(), measurements, date(2026, 3, 31)).status is Status.NOT_STARTED
    assert indicator_progress(indicator(), measurements, date(2026, 4, 1)).achieved == Fraction(2, 5)


def test_measurements_after_as_of_are_ignored_and_the_last_recorded_wins_a_day() -> None:
    day = date(2026, 4, 1)
    measurements = [measured("40", day, second=1), measured("45", day, second=2), measured("90", date(2026, 9, 1))]
    found = latest(measurements, date(2026, 8, 31))
    assert found is not None
    assert found.value == Decimal(45)


@pytest.mark.parametrize(
    ("p", "e", "status"),
    [
        (Fraction(1), Fraction(1), Status.MET),
        (Fraction(4, 10), Fraction(1, 2), Status.ON_TRACK),  # exactly e - 0.10
        (Fraction(39, 100), Fraction(1, 2), Status.AT_RISK),
        (Fraction(1, 4), Fraction(1, 2), Status.AT_RISK),  # exactly e - 0.25
        (Fraction(24, 100), Fraction(1, 2), Status.OFF_TRACK),
        (Fraction(0), Fraction(0), Status.ON_TRACK),
    ],
)
def test_status_thresholds_hold_at_their_boundaries(p: Fraction, e: Fraction, status: Status) -> None:
    assert status_of(p, e) is status


def test_the_thresholds_are_exact_where_floats_would_not_be() -> None:
    # In floats 0.14 - 0.1 is 0.04000000000000001, so p = 0.04 at e = 0.14 (exactly e - 0.10) would fall to AT_RISK.
    assert not 0.04 >= 0.14 - 0.1
    assert status_of(Fraction(4, 100), Fraction(14, 100)) is Status.ON_TRACK
    assert status_of(Fraction(4, 100) - Fraction(1, 10**12), Fraction(14, 100)) is Status.AT_RISK


def test_weights_need_not_sum_to_one() -> None:
    on = MIDYEAR
    heavy = indicator_progress(indicator(id="a"), [measured("100", on, indicator_id="a")], on)  # p = 1
    light = indicator_progress(indicator(id="b"), [measured("0", on, indicator_id="b")], on)  # p = 0
    first = rolled_up("o", "objective", on, [(Decimal(3), heavy), (Decimal(1), light)])
    scaled = rolled_up("o", "objective", on, [(Decimal("0.3"), heavy), (Decimal("0.1"), light)])
    assert first.achieved == scaled.achieved == Fraction(3, 4)
    assert first.status is Status.ON_TRACK  # 0.75 ≥ 0.5 - 0.1
    assert [held.id for held in first.held_back_by] == ["b"]  # b is OFF_TRACK


def test_a_child_not_started_counts_as_nothing_achieved_and_is_named() -> None:
    on = MIDYEAR
    done = indicator_progress(indicator(id="a"), [measured("100", on, indicator_id="a")], on)
    idle = indicator_progress(indicator(id="b"), [], on)
    found = rolled_up("o", "objective", on, [(Decimal(1), done), (Decimal(1), idle)])
    assert found.achieved == Fraction(1, 2)
    assert found.status is Status.ON_TRACK
    assert [(held.id, held.status) for held in found.held_back_by] == [("b", Status.NOT_STARTED)]
    assert rolled_up("o", "objective", on, [(Decimal(1), idle)]).status is Status.NOT_STARTED
    assert rolled_up("o", "objective", on, []).status is Status.NOT_STARTED


def test_a_goal_names_its_objectives_and_the_indicators_beneath_that_hold_it_back() -> None:
    plan = Plan(
        strategy=Strategy(id="s", title="strategy"),
        goals=(Goal(id="g", strategy_id="s", title="goal", pillar=Pillar.PROTECTION),),
        objectives=(
            Objective(id="o1", goal_id="g", title="first", lead_agency_id="USOVC0000"),
            Objective(id="o2", goal_id="g", title="second", lead_agency_id="USOVC0000", weight=Decimal(2)),
        ),
        indicators=(
            indicator(id="a"),
            indicator(id="b").model_copy(update={"objective_id": "o2"}),
            indicator(id="c").model_copy(update={"objective_id": "o2"}),
        ),
    )
    on = MIDYEAR
    found = picture(plan, [measured("60", on, indicator_id="a"), measured("10", on, indicator_id="b")], on)
    assert found.objectives["o1"].status is Status.ON_TRACK
    assert found.objectives["o2"].achieved == Fraction(1, 20)  # (0.10 + 0) / 2
    goal = found.goals["g"]
    assert goal.achieved == (Fraction(6, 10) + 2 * Fraction(1, 20)) / 3
    assert goal.status is Status.OFF_TRACK
    assert [held.id for held in goal.held_back_by] == ["o2"]
    assert [held.id for held in goal.indicators_holding_back] == ["b", "c"]
    assert found.pillars[Pillar.PROTECTION].achieved == goal.achieved
    assert found.pillars[Pillar.PREVENTION].status is Status.NOT_STARTED
    assert found.strategy.achieved == goal.achieved


def test_a_met_parent_names_nobody() -> None:
    on = MIDYEAR
    done = indicator_progress(indicator(id="a"), [measured("100", on, indicator_id="a")], on)
    assert rolled_up("o", "objective", on, [(Decimal(1), done)]).held_back_by == ()


def test_an_indicator_whose_target_equals_its_baseline_is_refused() -> None:
    with pytest.raises(ValidationError, match="differ from the baseline"):
        indicator("10", "10")


def test_a_target_date_before_the_start_is_refused() -> None:
    with pytest.raises(ValidationError, match="before the start"):
        indicator(start=END, end=START)


def test_weights_must_be_positive() -> None:
    with pytest.raises(ValidationError):
        indicator(weight="0")
