"""The demo National Strategy that `make run` loads, built from the seeds (the SETT Act and the Justice for Victims
of Trafficking Act): Safe Harbor adoption, interagency coordination and data sharing, Job Corps access for victims,
restitution collection, and a hotline backed by law, under the four pillars.

Every number here is synthetic demo data, marked so (`demo: true`, sources that say "demo"). The one state law is
Minnesota's, as the seeds describe it; no other state's law is recorded, rather than invented.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from agencies.principals import AuthMethod, Principal, Role, scopes_for
from gateway.repositories import Repositories
from strategy import service
from strategy.models import ComputedCount, IndicatorKind, Pillar

TITLE = "National Strategy to Combat Human Trafficking (demo)"
SPD, KCSO, TULALIP, HSI, OVC = "WASPD0000", "WA0170000", "WADI06800", "USHSI0000", "USOVC0000"
START, END = date(2025, 7, 1), date(2027, 6, 30)
QUARTERS = (date(2025, 9, 30), date(2025, 12, 31), date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30))
FINES = "JVTA fund: fines and penalties"
HEALTH = "JVTA fund: health care"
DOJ = "DOJ grants (appropriated)"
SOURCE = "Demo data (synthetic): {agency} quarterly progress report"

# goal, pillar, objective, lead, supporting, indicators; resources per objective
# indicator: title, unit, baseline, target, computed, measured values per quarter (None: not reported)
PLAN: tuple[dict[str, Any], ...] = (
    {
        "goal": "Safe Harbor: children sold for sex are treated as victims, not defendants",
        "pillar": Pillar.PROTECTION,
        "objective": "Every state adopts full non-criminalisation of minors and refers them to services",
        "lead": OVC,
        "supporting": (HSI, SPD),
        "indicators": (
            (
                "States and DC with full non-criminalisation",
                "states",
                "0",
                "51",
                ComputedCount.STATES_FULL_NON_CRIMINALISATION,
                (),
            ),
            ("Protected minors with a services referral", "percent", "40", "100", None, ("48", "55", "61", "70", "74")),
        ),
        "resources": (
            ("GRANT", "Safe Harbor services grants to states (demo)", OVC, HEALTH, "4200000.00", "1630000.00", None),
        ),
    },
    {
        "goal": "Interagency coordination and data sharing",
        "pillar": Pillar.PARTNERSHIP,
        "objective": "Federal, state, local and tribal agencies work cases as one team and share what they know",
        "lead": HSI,
        "supporting": (SPD, KCSO, TULALIP),
        "indicators": (
            ("Multi-agency cases", "cases", "0", "12", ComputedCount.MULTI_AGENCY_CASES, ()),
            (
                "Cross-agency disclosures with a stated purpose",
                "disclosures",
                "0",
                "200",
                ComputedCount.CROSS_AGENCY_DISCLOSURES,
                (),
            ),
            ("Agencies submitting case data to Sett", "agencies", "2", "40", None, ("3", "5", "9", "12", "14")),
        ),
        "resources": (
            ("TASK_FORCE", "Regional human trafficking task force (demo)", HSI, DOJ, "1800000.00", "950000.00", 14),
            ("GRANT", "Tribal data-sharing liaison grant (demo)", TULALIP, FINES, "350000.00", "120000.00", None),
        ),
    },
    {
        "goal": "Job Corps access for victims of sex trafficking",
        "pillar": Pillar.PROTECTION,
        "objective": "Victims of sex trafficking are referred to Job Corps, as the SETT Act makes them eligible",
        "lead": OVC,
        "supporting": (SPD,),
        "indicators": (
            ("Victims referred to Job Corps", "referrals", "0", "300", None, ("12", "25", "41", "52", "60")),
        ),
        "resources": (("PERSONNEL", "Job Corps victim navigators (demo)", OVC, DOJ, "600000.00", "410000.00", 6),),
    },
    {
        "goal": "Restitution and justice for victims",
        "pillar": Pillar.PROSECUTION,
        "objective": "Restitution ordered against traffickers is collected for victims",
        "lead": HSI,
        "supporting": (KCSO,),
        "indicators": (
            ("Restitution collected over ordered", "percent", "15", "60", None, ("16", "19", "22", "24", "27")),
        ),
        "resources": (("FUND", "Restitution enforcement unit (demo)", HSI, FINES, "900000.00", "300000.00", 4),),
    },
    {
        "goal": "A national hotline backed by law",
        "pillar": Pillar.PREVENTION,
        "objective": "Hotline tips reach the agency responsible for them, fast",
        "lead": OVC,
        "supporting": (SPD, KCSO),
        "indicators": (
            (
                "Tips routed to a responsible agency within 24 hours",
                "percent",
                "55",
                "95",
                None,
                ("60", "66", "71", "78", "82"),
            ),
            ("Median hours from tip to first contact", "hours", "48", "12", None, ("44", "40", "37", "33", None)),
        ),
        "resources": (("GRANT", "Hotline operations (demo)", OVC, FINES, "1250000.00", "780000.00", None),),
    },
)
MINNESOTA = {
    "state": "MN",
    "year": 2015,
    "non_criminalisation": "FULL",
    "source": "Seeds: SETT Act / JVTA press releases (2015): Minnesota's Safe Harbor law treats minors sold for sex "
    "as victims, not defendants",
    "note": "Demo record from the seeds; other states are not recorded.",
}


def principal_for(agency_id: str, role: Role) -> Principal:
    roles = frozenset({role})
    subject = f"{role.value.lower()}@demo"
    return Principal(
        subject=subject, agency_id=agency_id, roles=roles, scopes=scopes_for(roles), method=AuthMethod.SETT_TOKEN
    )


async def seed_strategy(repositories: Repositories, *, today: date | None = None) -> str:
    """Loads the demo strategy unless it is there already; returns its id."""
    repository = repositories.strategy
    for existing in await repository.strategies():
        if existing.demo and existing.title == TITLE:
            return existing.id
    today = today or datetime.now(UTC).date()
    national = principal_for(OVC, Role.NATIONAL_COORDINATOR)
    await service.set_state_law(principal=national, fields=MINNESOTA, repository=repository)
    strategy = await service.create_strategy(
        principal=national,
        fields={
            "title": TITLE,
            "description": "Demo data (synthetic), built from the SETT Act and the Justice for Victims of Trafficking "
            "Act: goals, objectives, indicators, quarterly measurements and resources.",
            "demo": True,
        },
        repository=repository,
    )
    for part in PLAN:
        goal = await service.create_goal(
            principal=national,
            fields={"strategy_id": strategy.id, "title": part["goal"], "pillar": part["pillar"]},
            repository=repository,
        )
        objective = await service.create_objective(
            principal=national,
            fields={
                "goal_id": goal.id,
                "title": part["objective"],
                "lead_agency_id": part["lead"],
                "supporting_agency_ids": frozenset(part["supporting"]),
            },
            repository=repository,
        )
        reporter = principal_for(part["lead"], Role.COORDINATOR)
        for title, unit, baseline, target, computed, values in part["indicators"]:
            indicator = await service.create_indicator(
                principal=national,
                fields={
                    "objective_id": objective.id,
                    "title": title,
                    "unit": unit,
                    "baseline": Decimal(baseline),
                    "target": Decimal(target),
                    "start_date": START,
                    "target_date": END,
                    "kind": IndicatorKind.COMPUTED if computed else IndicatorKind.MANUAL,
                    "computed": computed,
                },
                repository=repository,
            )
            for day, value in zip(QUARTERS, values, strict=False):
                if value is None or day > today:
                    continue
                await service.record_measurement(
                    principal=reporter,
                    indicator_id=indicator.id,
                    fields={"value": Decimal(value), "as_of": day, "source": SOURCE.format(agency=part["lead"])},
                    repository=repository,
                )
        for kind, title, agency, stream, amount, spent, personnel in part["resources"]:
            await service.allocate_resource(
                principal=national,
                fields={
                    "objective_id": objective.id,
                    "agency_id": agency,
                    "kind": kind,
                    "title": title,
                    "stream": stream,
                    "fiscal_year": 2026,
                    "amount": Decimal(amount),
                    "spent": Decimal(spent),
                    "personnel": personnel,
                },
                repository=repository,
            )
    return strategy.id
