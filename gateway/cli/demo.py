"""Demo data for `make run`: personas with fresh tokens, synthetic cases, a sharing agreement.

Every case and note here is synthetic; the agencies are real entries of the FBI list and the federal list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from agencies import service as agency_service
from agencies.agreements import Coverage
from agencies.models import PointOfContact
from agencies.ports import RevocationNotice
from agencies.principals import Principal, Role
from cases import person_service
from cases import service as case_service
from cases.errors import InvalidCase
from cases.identifiers import IdentifierKind
from cases.models import CaseDraft
from cases.ports import Holder
from gateway.cli.demo_strategy import seed_strategy
from gateway.cli.operator import operator
from gateway.repositories import Repositories

SPD, KCSO, TULALIP, HSI, OVC = "WASPD0000", "WA0170000", "WADI06800", "USHSI0000", "USOVC0000"
DEMO = "demo persona"
TASK_FORCE = "HT-TASKFORCE"


@dataclass(frozen=True)
class Persona:
    name: str
    agency_id: str
    role: Role
    about: str


PERSONAS = (
    Persona("analyst", SPD, Role.ANALYST, "agency analyst, Seattle Police Department"),
    Persona("supervisor", SPD, Role.SUPERVISOR, "supervisor, Seattle Police Department"),
    Persona("partner", KCSO, Role.ANALYST, "agency analyst, King County Sheriff's Office"),
    Persona("liaison", TULALIP, Role.LIAISON, "tribal liaison, Tulalip Tribal police"),
    Persona(
        "coordinator", OVC, Role.NATIONAL_COORDINATOR, "national strategy coordinator, Office for Victims of Crime"
    ),
    Persona("regional", HSI, Role.COORDINATOR, "strategy coordinator, Homeland Security Investigations"),
    Persona("admin", OVC, Role.ADMIN, "administrator"),
)
CONTACTS = {
    SPD: PointOfContact(name="Vice/HT unit duty desk (demo)", phone="+1-206-555-0100", email="ht-desk@example.org"),
    KCSO: PointOfContact(name="Special Investigations duty desk (demo)", phone="+1-206-555-0140"),
    TULALIP: PointOfContact(name="Tribal liaison office (demo)", phone="+1-360-555-0170"),
    HSI: PointOfContact(name="Seattle field office duty agent (demo)", phone="+1-206-555-0190"),
}
CASES = (
    (
        SPD,
        CaseDraft(
            agency_case_number="SPD-2026-0001",
            title="Online escort ads linked to three motels (synthetic)",
            summary="Synthetic demo case.",
            offenses=("RCW 9A.40.100",),
            labels=frozenset({TASK_FORCE}),
            opened_on=date(2026, 3, 2),
            review_due=date(2027, 3, 2),
            point_of_contact=CONTACTS[SPD],
            victim_services_notes="Synthetic: adult victim placed with a shelter partner.",
        ),
    ),
    (
        SPD,
        CaseDraft(
            agency_case_number="SPD-2026-0002",
            title="Restaurant labour complaint (synthetic)",
            summary="Synthetic demo case.",
            offenses=("RCW 9A.40.100",),
            labels=frozenset({"LABOR"}),
            opened_on=date(2026, 5, 11),
            point_of_contact=CONTACTS[SPD],
        ),
    ),
    (
        KCSO,
        CaseDraft(
            agency_case_number="KCSO-2026-0107",
            title="Truck stop solicitation (synthetic)",
            summary="Synthetic demo case.",
            labels=frozenset({TASK_FORCE}),
            opened_on=date(2026, 6, 20),
            point_of_contact=CONTACTS[KCSO],
        ),
    ),
)

IDENTIFIERS = {
    "KCSO-2026-0107": ((IdentifierKind.PHONE, "+1 206 555 0147"), (IdentifierKind.ONLINE_AD, "backpage.com:demo-4471")),
}
"""What King County's case holds: Seattle's analyst, who may not see that case, finds it as a pointer."""


async def seed_demo(repositories: Repositories, notice: RevocationNotice) -> list[tuple[Persona, str]]:
    """Loads the demo data (idempotently) and returns fresh tokens for the personas."""
    for agency_id, contact in CONTACTS.items():
        await repositories.agencies.set_contact(agency_id, contact)
    tokens = await _fresh_tokens(repositories, notice)
    principals = {persona.name: principal for persona, _, principal in tokens}
    owners = {SPD: principals["analyst"], KCSO: principals["partner"]}
    for agency_id, draft in CASES:
        try:
            opened = await case_service.open_case(
                principal=owners[agency_id], draft=draft, repository=repositories.cases
            )
        except InvalidCase:
            continue  # loaded by an earlier run
        if draft.agency_case_number == "SPD-2026-0001":
            await case_service.change_member(
                principal=owners[SPD], case_id=opened.id, agency_id=HSI, add=True, repository=repositories.cases
            )
        for kind, value in IDENTIFIERS.get(draft.agency_case_number, ()):
            await person_service.change_identifier(
                principal=owners[agency_id],
                holder=Holder("Case", opened.id),
                kind=kind,
                value=value,
                add=True,
                purpose=None,
                cases=repositories.cases,
                persons=repositories.persons,
                identifiers=repositories.identifiers,
            )
    await _task_force_agreement(repositories, principals["supervisor"])
    await seed_strategy(repositories)
    return [(persona, secret) for persona, secret, _ in tokens]


async def _fresh_tokens(repositories: Repositories, notice: RevocationNotice) -> list[tuple[Persona, str, Principal]]:
    """Revokes the demo tokens of earlier runs and issues new ones, valid for a week."""
    for record in await repositories.tokens.list(None):
        if record.description.startswith(DEMO) and record.revoked_at is None:
            await agency_service.revoke_token(
                principal=operator(), token_id=record.id, tokens=repositories.tokens, notice=notice
            )
    issued = []
    for persona in PERSONAS:
        token = await agency_service.issue_token(
            principal=operator(),
            agency_id=persona.agency_id,
            subject=f"{persona.name}@demo",
            roles=frozenset({persona.role}),
            scopes=None,
            description=f"{DEMO}: {persona.about}",
            lifetime=timedelta(days=7),
            tokens=repositories.tokens,
            agencies=repositories.agencies,
        )
        issued.append((persona, token.secret, token.record.principal))
    return issued


async def _task_force_agreement(repositories: Repositories, supervisor: Principal) -> None:
    existing = await agency_service.list_agreements(principal=supervisor, agreements=repositories.agreements)
    if any(agreement.grantee_id == KCSO and agreement.revoked_at is None for agreement in existing):
        return
    await agency_service.create_agreement(
        principal=supervisor,
        grantee_id=KCSO,
        coverage=Coverage.LABELLED_CASES,
        labels=frozenset({TASK_FORCE}),
        case_ids=frozenset(),
        victim_services=False,
        purpose="Regional human trafficking task force (demo)",
        valid_from=None,
        valid_until=None,
        agreements=repositories.agreements,
        agencies=repositories.agencies,
    )
