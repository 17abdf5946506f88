"""The 28 CFR Part 23 rules as pure functions: what a record needs, and how far its review date may go."""

from __future__ import annotations

from datetime import date

import pytest

from cases.errors import InvalidCase
from cases.retention import (
    Confidence,
    IntelligenceRecord,
    Retention,
    Sensitivity,
    check_due_within,
    check_rationale,
    intelligence_record,
    review_date,
    years_after,
)

FIELDS: dict[str, object | None] = {
    "reasonableSuspicion": "Synthetic tip: the subject posts ads for a minor; two buys confirmed.",
    "submittingAgencyId": "wasPD0000 ",
    "controlOfficial": "Synthetic Sergeant",
    "sensitivity": Sensitivity.SENSITIVE,
    "confidence": Confidence.PROBABLE,
}


def test_a_complete_record_is_kept_with_its_submitter_as_an_ori() -> None:
    record = intelligence_record(FIELDS)
    assert record.submitting_agency_id == "WASPD0000"
    assert record.sensitivity is Sensitivity.SENSITIVE


def test_every_missing_field_is_named_at_once() -> None:
    with pytest.raises(InvalidCase) as refused:
        intelligence_record({**FIELDS, "reasonableSuspicion": None, "sensitivity": None, "confidence": None})
    message = str(refused.value)
    assert "needs reasonableSuspicion, sensitivity, confidence;" in message
    assert "28 CFR Part 23" in message


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("reasonableSuspicion", "  \n ", "intelligence.reasonableSuspicion: must not be blank"),
        ("submittingAgencyId", "SPD", "intelligence.submittingAgencyId: is not an agency ORI"),
        ("controlOfficial", " ", "intelligence.controlOfficial: must not be blank"),
        ("sensitivity", "SECRET", "intelligence.sensitivity"),
    ],
)
def test_a_blank_or_malformed_field_is_refused_with_its_name(field: str, value: str, reason: str) -> None:
    with pytest.raises(InvalidCase, match=reason):
        intelligence_record({**FIELDS, field: value})


def test_five_years_on_keeps_the_day_and_makes_29_february_28_february() -> None:
    assert years_after(date(2026, 12, 7), 5) == date(2031, 12, 7)
    assert years_after(date(2028, 2, 29), 5) == date(2033, 2, 28)


def test_the_limit_runs_from_the_last_validation_else_the_marking() -> None:
    record = IntelligenceRecord.model_validate(
        {
            "reasonable_suspicion": "x",
            "submitting_agency_id": "WASPD0000",
            "control_official": "y",
            "sensitivity": "ROUTINE",
            "confidence": "CONFIRMED",
        }
    )
    assert Retention(record=record, marked_on=date(2020, 1, 2)).retention_limit == date(2025, 1, 2)
    validated = Retention(record=record, marked_on=date(2020, 1, 2), validated_on=date(2024, 6, 1))
    assert validated.retention_limit == date(2029, 6, 1)


def test_a_review_date_defaults_to_the_limit_and_may_be_sooner_but_not_later_or_past() -> None:
    today, limit = date(2026, 12, 7), date(2031, 12, 7)
    assert review_date(None, today=today, limit=limit) == limit
    assert review_date(today, today=today, limit=limit) == today
    assert review_date(limit, today=today, limit=limit) == limit
    with pytest.raises(InvalidCase, match=r"latest allowed is 2031-12-07 \(28 CFR 23.20\(h\)\)"):
        review_date(date(2031, 12, 8), today=today, limit=limit)
    with pytest.raises(InvalidCase, match="has passed"):
        review_date(date(2026, 12, 6), today=today, limit=limit)


def test_a_validation_needs_a_rationale() -> None:
    assert check_rationale("  Still active: new ads this month.  ") == "Still active: new ads this month."
    with pytest.raises(InvalidCase, match=r"^rationale: must not be blank"):
        check_rationale(" \n")


def test_what_is_due_looks_ahead_from_zero_days_to_the_retention_period() -> None:
    check_due_within(0)
    check_due_within(1830)
    for days in (-1, 1831):
        with pytest.raises(InvalidCase, match="within must be between 0 and 1830 days"):
            check_due_within(days)
