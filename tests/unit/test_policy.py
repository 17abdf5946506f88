from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from agencies.agreements import Coverage, SharingAgreement
from agencies.policy import VICTIM_SERVICES_FIELDS, AccessLevel, CaseFacts, decide_case, may_change_person
from agencies.principals import AuthMethod, Principal, Role, Scope, scopes_for

NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)
CASE = CaseFacts(
    id="case-1", owner_agency_id="OWNER0000", team_agency_ids=frozenset({"TEAM00000"}), labels=frozenset({"HT"})
)


def analyst(agency: str, scopes: frozenset[Scope] | None = None) -> Principal:
    roles = frozenset({Role.ANALYST})
    return Principal(
        subject="a", agency_id=agency, roles=roles, scopes=scopes_for(roles, scopes), method=AuthMethod.SETT_TOKEN
    )


def agreement(**overrides: object) -> SharingAgreement:
    values: dict[str, object] = {
        "id": "g1",
        "grantor_id": "OWNER0000",
        "grantee_id": "OTHER0000",
        "coverage": Coverage.ALL_CASES,
        "purpose": "task force",
        "valid_from": NOW - timedelta(days=1),
        "created_by": "s",
    }
    return SharingAgreement.model_validate({**values, **overrides})


@pytest.mark.parametrize("agency", ["OWNER0000", "TEAM00000"])
def test_owner_and_team_see_everything(agency: str) -> None:
    decision = decide_case(analyst(agency), CASE, [], NOW)
    assert decision.level is AccessLevel.FULL
    assert decision.redacted == frozenset()


def test_deny_by_default() -> None:
    assert decide_case(analyst("OTHER0000"), CASE, [], NOW).level is AccessLevel.NONE


def test_without_the_read_scope_nothing_is_visible() -> None:
    owner = analyst("OWNER0000", frozenset({Scope.CASES_WRITE}))
    assert decide_case(owner, CASE, [], NOW).level is AccessLevel.NONE


def test_an_active_agreement_shares_with_victim_fields_redacted() -> None:
    decision = decide_case(analyst("OTHER0000"), CASE, [agreement()], NOW)
    assert decision.level is AccessLevel.FULL
    assert decision.redacted == VICTIM_SERVICES_FIELDS
    assert decision.via_agreement == "g1"


def test_an_agreement_naming_victim_services_shares_them() -> None:
    decision = decide_case(analyst("OTHER0000"), CASE, [agreement(), agreement(id="g2", victim_services=True)], NOW)
    assert decision.redacted == frozenset()
    assert decision.via_agreement == "g2"


@pytest.mark.parametrize(
    "inactive",
    [
        {"revoked_at": NOW - timedelta(seconds=1)},
        {"valid_until": NOW},
        {"valid_from": NOW + timedelta(seconds=1)},
        {"grantor_id": "TEAM00000"},
        {"grantee_id": "THIRD0000"},
        {"coverage": Coverage.LABELLED_CASES, "labels": frozenset({"LABOR"})},
        {"coverage": Coverage.NAMED_CASES, "case_ids": frozenset({"case-2"})},
    ],
)
def test_agreements_that_do_not_apply_grant_nothing(inactive: dict[str, object]) -> None:
    assert decide_case(analyst("OTHER0000"), CASE, [agreement(**inactive)], NOW).level is AccessLevel.NONE


@pytest.mark.parametrize(
    "covering",
    [
        {"coverage": Coverage.LABELLED_CASES, "labels": frozenset({"HT", "LABOR"})},
        {"coverage": Coverage.NAMED_CASES, "case_ids": frozenset({"case-1"})},
        {"valid_until": NOW + timedelta(seconds=1)},
    ],
)
def test_narrow_agreements_cover_what_they_name(covering: dict[str, object]) -> None:
    assert decide_case(analyst("OTHER0000"), CASE, [agreement(**covering)], NOW).visible


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"grantee_id": "OWNER0000"}, "itself"),
        ({"coverage": Coverage.LABELLED_CASES}, "label"),
        ({"coverage": Coverage.NAMED_CASES}, "case"),
        ({"valid_until": NOW - timedelta(days=2)}, "after"),
    ],
)
def test_incomplete_agreements_are_refused(bad: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        agreement(**bad)


@pytest.mark.parametrize(
    ("agency", "recorded_by", "cases", "allowed"),
    [
        ("TEAM00000", "TEAM00000", [], True),
        ("TEAM00000", "TEAM00000", [CASE], True),
        ("OWNER0000", "TEAM00000", [CASE], False),
        ("TEAM00000", "TEAM00000", [CASE, CaseFacts("case-2", "OWNER0000", frozenset(), frozenset())], False),
    ],
)
def test_a_person_is_changed_by_who_recorded_them_while_on_the_team_of_each_of_their_cases(
    agency: str, recorded_by: str, cases: list[CaseFacts], allowed: bool
) -> None:
    assert may_change_person(agency, recorded_by, cases) is allowed
