"""The demo strategy that `make run` loads: marked as demo, built from the seeds, loaded once."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

from agencies.principals import Role
from agencies.tokens import TokenRecord
from gateway.cli.demo import seed_demo
from gateway.cli.demo_strategy import TITLE, principal_for, seed_strategy
from gateway.repositories import Repositories
from strategy import service
from strategy.computed import COMPUTED_BY
from strategy.models import IndicatorKind, Pillar, Status
from strategy.state_laws import NonCriminalisation
from tests.support.strategy import NATIONAL


async def test_the_demo_strategy_is_loaded_once_and_marked_as_demo(repos: Repositories) -> None:
    first = await seed_strategy(repos, today=date(2026, 12, 7))
    assert await seed_strategy(repos, today=date(2026, 12, 7)) == first
    listed = await repos.strategy.strategies()
    assert [(s.title, s.demo) for s in listed] == [(TITLE, True)]

    overview = await service.strategy_on(
        principal=principal_for(NATIONAL, Role.ANALYST),
        strategy_id=first,
        as_of=date(2026, 12, 7),
        repository=repos.strategy,
        counts=repos.strategy,
        clock=lambda: datetime(2026, 12, 7, 12, tzinfo=UTC),
    )
    plan = overview.plan
    assert {goal.pillar for goal in plan.goals} == set(Pillar)
    assert len(plan.goals) == 5
    assert Counter(i.kind for i in plan.indicators) == {IndicatorKind.MANUAL: 6, IndicatorKind.COMPUTED: 3}
    manual = [m for m in overview.measurements if m.reporting_agency_id != COMPUTED_BY]
    assert len(manual) == 29  # five quarters for six indicators, one not reported
    assert all("Demo data" in m.source for m in manual)
    assert {r.stream for r in overview.resources} >= {
        "JVTA fund: fines and penalties",
        "JVTA fund: health care",
    }
    assert overview.totals.allocated_cents == 910_000_000
    statuses = {overview.picture.indicators[i.id].status for i in plan.indicators}
    assert len(statuses) >= 3  # a demo worth looking at: not everything on track
    assert overview.picture.strategy.status is not Status.NOT_STARTED
    laws = await repos.strategy.state_laws()
    assert [(law.state, law.non_criminalisation) for law in laws] == [("MN", NonCriminalisation.FULL)]


class _Quiet:
    async def revoked(self, token: TokenRecord) -> None:
        return None


async def test_make_runs_demo_seed_loads_the_strategy_and_a_regional_coordinator_who_may_record(
    repos: Repositories,
) -> None:
    personas = {persona.name: persona for persona, _ in await seed_demo(repos, _Quiet())}
    assert personas["coordinator"].role is Role.NATIONAL_COORDINATOR
    assert personas["regional"].role is Role.COORDINATOR
    await seed_demo(repos, _Quiet())  # a second run adds no second strategy
    (strategy,) = await repos.strategy.strategies()
    assert strategy.demo
    plan = await repos.strategy.plan(strategy.id)
    assert plan is not None
    led = [o for o in plan.objectives if personas["regional"].agency_id in o.responsible_agency_ids]
    assert led  # HSI's coordinator has objectives to record for
