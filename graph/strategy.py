"""The National Strategy in Neo4j. Exact values (baselines, targets, weights, measured values) are stored as
decimal strings, since Neo4j has no decimal type; days as dates. A strategy is small (tens to hundreds of
nodes), so it is read whole: one query per kind of node, by `strategyId`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from neo4j import AsyncDriver, AsyncManagedTransaction, RoutingControl

from agencies.audit import AuditEvent
from graph.audit import append_audit
from graph.policy import lock
from graph.stored import native
from strategy.errors import InvalidStrategy, StrategyForbidden, StrategyNotFound
from strategy.models import (
    ComputedCount,
    Goal,
    Indicator,
    IndicatorKind,
    Measurement,
    Objective,
    Pillar,
    Strategy,
)
from strategy.plan import Plan
from strategy.resources import Resource, ResourceKind
from strategy.state_laws import NonCriminalisation, StateLaw

STRATEGIES = "MATCH (s:Strategy) RETURN s ORDER BY s.title, s.id"
STRATEGY = "MATCH (s:Strategy {id: $id}) RETURN s"
GOALS = "MATCH (g:Goal {strategyId: $id}) RETURN g AS n ORDER BY g.title, g.id"
OBJECTIVES = "MATCH (o:Objective {strategyId: $id}) RETURN o AS n ORDER BY o.title, o.id"
INDICATORS = "MATCH (i:Indicator {strategyId: $id}) RETURN i AS n ORDER BY i.title, i.id"
MEASUREMENTS = "MATCH (m:Measurement {strategyId: $id}) RETURN m AS n ORDER BY m.asOf, m.recordedAt, m.id"
ONE = {
    "Goal": "MATCH (n:Goal {id: $id}) RETURN n",
    "Objective": "MATCH (n:Objective {id: $id}) RETURN n",
    "Indicator": "MATCH (n:Indicator {id: $id}) RETURN n",
}
SAVE_STRATEGY = "MERGE (s:Strategy {id: $props.id}) SET s = $props"
SAVE_GOAL = """
MATCH (s:Strategy {id: $props.strategyId})
MERGE (s)-[:HAS_GOAL]->(g:Goal {id: $props.id})
SET g = $props
RETURN g.id AS id
"""
SAVE_OBJECTIVE = """
MATCH (g:Goal {id: $goal})
WITH g, COLLECT { MATCH (a:Agency) WHERE a.id IN $agencies RETURN a.id } AS known
WITH g, known, [id IN $agencies WHERE NOT id IN known] AS unknown
CALL (g, known, unknown) {
  WITH g WHERE size(unknown) = 0
  MERGE (g)-[:HAS_OBJECTIVE]->(o:Objective {id: $props.id})
  SET o = $props, o.strategyId = g.strategyId
  WITH o
  OPTIONAL MATCH (o)<-[old:LEADS|SUPPORTS]-(:Agency)
  DELETE old
  WITH DISTINCT o
  MATCH (lead:Agency {id: o.leadAgencyId})
  CREATE (lead)-[:LEADS]->(o)
  WITH o
  UNWIND o.supportingAgencyIds AS supporting
  MATCH (a:Agency {id: supporting})
  CREATE (a)-[:SUPPORTS]->(o)
}
RETURN unknown
"""
SAVE_INDICATOR = """
MATCH (o:Objective {id: $props.objectiveId})
MERGE (o)-[:HAS_INDICATOR]->(i:Indicator {id: $props.id})
SET i = $props, i.strategyId = o.strategyId
RETURN i.id AS id
"""
# Changes to one node: its write lock first, then it is read as last committed, merged and validated by the
# service's rule, and only what differs is written (see `update_goal`).
LOCK_ONE = {
    "Goal": f"MATCH (n:Goal {{id: $id}}) {lock('n')} RETURN n.id AS id",
    "Objective": f"MATCH (n:Objective {{id: $id}}) {lock('n')} RETURN n.id AS id",
    "Indicator": f"MATCH (n:Indicator {{id: $id}}) {lock('n')} RETURN n.id AS id",
}
UPDATE_ONE = {
    "Goal": "MATCH (n:Goal {id: $id}) SET n += $changes",
    "Indicator": "MATCH (n:Indicator {id: $id}) SET n += $changes",
}
UPDATE_OBJECTIVE = """
MATCH (o:Objective {id: $id})
WITH o, COLLECT { MATCH (a:Agency) WHERE a.id IN $agencies RETURN a.id } AS known
WITH o, [id IN $agencies WHERE NOT id IN known] AS unknown
CALL (o, unknown) {
  WITH o WHERE size(unknown) = 0
  SET o += $changes
  WITH o WHERE size($agencies) > 0
  OPTIONAL MATCH (o)<-[old:LEADS|SUPPORTS]-(:Agency)
  DELETE old
  WITH DISTINCT o
  MATCH (lead:Agency {id: o.leadAgencyId})
  CREATE (lead)-[:LEADS]->(o)
  WITH o
  UNWIND o.supportingAgencyIds AS supporting
  MATCH (a:Agency {id: supporting})
  CREATE (a)-[:SUPPORTS]->(o)
}
RETURN unknown
"""
# The reporting agency's standing is checked again where the measurement is written, so that an agency taken
# off the objective after the service's check records nothing.
RECORD = """
MATCH (o:Objective)-[:HAS_INDICATOR]->(i:Indicator {id: $props.indicatorId})
WITH o, i, ($any OR $props.reportingAgencyId = o.leadAgencyId OR $props.reportingAgencyId IN o.supportingAgencyIds)
     AS allowed
CALL (i, allowed) {
  WITH i WHERE allowed
  CREATE (i)-[:HAS_MEASUREMENT]->(m:Measurement)
  SET m = $props, m.strategyId = i.strategyId
}
RETURN allowed
"""

RESOURCES = "MATCH (r:Resource {strategyId: $id}) RETURN r AS n ORDER BY r.fiscalYear, r.title, r.id"
RESOURCE = "MATCH (n:Resource {id: $id}) RETURN n"
SAVE_RESOURCE = """
MATCH (o:Objective {id: $props.objectiveId})
OPTIONAL MATCH (a:Agency {id: $props.agencyId})
CALL (o, a) {
  WITH o, a WHERE a IS NOT NULL
  MERGE (o)-[:HAS_RESOURCE]->(r:Resource {id: $props.id})
  SET r = $props, r.strategyId = o.strategyId
  MERGE (a)-[:ALLOCATED]->(r)
}
RETURN a IS NOT NULL AS known
"""
STATE_LAWS = "MATCH (l:StateLaw) RETURN l AS n ORDER BY l.state, l.year"
SAVE_STATE_LAW = "MERGE (l:StateLaw {state: $props.state, year: $props.year}) SET l = $props"
COUNTS = {
    ComputedCount.MULTI_AGENCY_CASES: """
MATCH (a:Agency)-[r:MEMBER_OF]->(c:Case)
WHERE r.since <= $until AND a.id <> c.ownerAgencyId
RETURN count(DISTINCT c) AS n
""",
    ComputedCount.CROSS_AGENCY_DISCLOSURES: """
MATCH (d:Disclosure) WHERE d.at <= $until AND d.recipientAgencyId <> d.ownerAgencyId
RETURN count(d) AS n
""",
    ComputedCount.STATES_FULL_NON_CRIMINALISATION: """
MATCH (l:StateLaw) WHERE l.year <= $until.year
WITH l ORDER BY l.year DESC
WITH l.state AS state, head(collect(l)) AS law
RETURN count(CASE WHEN law.nonCriminalisation = 'FULL' THEN 1 END) AS n
""",
}
"""Counts only: each query returns one number, never a record."""


class Neo4jStrategyRepository:
    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self._driver = driver
        self._database = database

    async def strategies(self) -> list[Strategy]:
        return [strategy_from(record["s"]) for record in await self._read(STRATEGIES)]

    async def plan(self, strategy_id: str) -> Plan | None:
        found = await self._read(STRATEGY, id=strategy_id)
        if not found:
            return None
        goals = [goal_from(r["n"]) for r in await self._read(GOALS, id=strategy_id)]
        objectives = [objective_from(r["n"]) for r in await self._read(OBJECTIVES, id=strategy_id)]
        indicators = [indicator_from(r["n"]) for r in await self._read(INDICATORS, id=strategy_id)]
        return Plan(strategy_from(found[0]["s"]), tuple(goals), tuple(objectives), tuple(indicators))

    async def measurements(self, strategy_id: str) -> list[Measurement]:
        return [measurement_from(r["n"]) for r in await self._read(MEASUREMENTS, id=strategy_id)]

    async def goal(self, goal_id: str) -> Goal | None:
        found = await self._read(ONE["Goal"], id=goal_id)
        return goal_from(found[0]["n"]) if found else None

    async def objective(self, objective_id: str) -> Objective | None:
        found = await self._read(ONE["Objective"], id=objective_id)
        return objective_from(found[0]["n"]) if found else None

    async def indicator(self, indicator_id: str) -> Indicator | None:
        found = await self._read(ONE["Indicator"], id=indicator_id)
        return indicator_from(found[0]["n"]) if found else None

    async def save_strategy(self, strategy: Strategy, event: AuditEvent) -> None:
        props = {"id": strategy.id, "title": strategy.title, "description": strategy.description, "demo": strategy.demo}

        async def work(tx: AsyncManagedTransaction) -> None:
            await (await tx.run(SAVE_STRATEGY, props=props)).consume()
            await append_audit(tx, event)

        await self._write(work)

    async def save_goal(self, goal: Goal, event: AuditEvent) -> None:
        props = goal_props(goal)

        async def work(tx: AsyncManagedTransaction) -> None:
            if await (await tx.run(SAVE_GOAL, props=props)).single() is None:
                raise StrategyNotFound(f"no strategy {goal.strategy_id!r}")
            await append_audit(tx, event)

        await self._write(work)

    async def save_objective(self, objective: Objective, event: AuditEvent) -> None:
        props = objective_props(objective)
        agencies = sorted(objective.responsible_agency_ids)

        async def work(tx: AsyncManagedTransaction) -> None:
            done = await (await tx.run(SAVE_OBJECTIVE, props=props, goal=objective.goal_id, agencies=agencies)).single()
            if done is None:
                raise StrategyNotFound(f"no goal {objective.goal_id!r}")
            if done["unknown"]:
                raise InvalidStrategy(f"no agency {done['unknown'][0]!r} in the directory")
            await append_audit(tx, event)

        await self._write(work)

    async def save_indicator(self, indicator: Indicator, event: AuditEvent) -> None:
        props = indicator_props(indicator)

        async def work(tx: AsyncManagedTransaction) -> None:
            if await (await tx.run(SAVE_INDICATOR, props=props)).single() is None:
                raise StrategyNotFound(f"no objective {indicator.objective_id!r}")
            await append_audit(tx, event)

        await self._write(work)

    async def update_goal(self, goal_id: str, change: Callable[[Goal], Goal], event: AuditEvent) -> Goal:
        async def work(tx: AsyncManagedTransaction) -> Goal:
            before = goal_from(await _locked(tx, "Goal", goal_id))
            after = change(before)
            changes = _differing(goal_props(before), goal_props(after))
            await (await tx.run(UPDATE_ONE["Goal"], id=goal_id, changes=changes)).consume()
            await append_audit(tx, event)
            return after

        changed: Goal = await self._write(work)
        return changed

    async def update_objective(
        self, objective_id: str, change: Callable[[Objective], Objective], event: AuditEvent
    ) -> Objective:
        async def work(tx: AsyncManagedTransaction) -> Objective:
            before = objective_from(await _locked(tx, "Objective", objective_id))
            after = change(before)
            changes = _differing(objective_props(before), objective_props(after))
            relinked = (after.lead_agency_id, after.supporting_agency_ids) != (
                before.lead_agency_id,
                before.supporting_agency_ids,
            )
            agencies = sorted(after.responsible_agency_ids) if relinked else []
            done = await (await tx.run(UPDATE_OBJECTIVE, id=objective_id, changes=changes, agencies=agencies)).single()
            if done is not None and done["unknown"]:
                raise InvalidStrategy(f"no agency {done['unknown'][0]!r} in the directory")
            await append_audit(tx, event)
            return after

        changed: Objective = await self._write(work)
        return changed

    async def update_indicator(
        self, indicator_id: str, change: Callable[[Indicator], Indicator], event: AuditEvent
    ) -> Indicator:
        async def work(tx: AsyncManagedTransaction) -> Indicator:
            before = indicator_from(await _locked(tx, "Indicator", indicator_id))
            after = change(before)
            changes = _differing(indicator_props(before), indicator_props(after))
            await (await tx.run(UPDATE_ONE["Indicator"], id=indicator_id, changes=changes)).consume()
            await append_audit(tx, event)
            return after

        changed: Indicator = await self._write(work)
        return changed

    async def record(self, measurement: Measurement, event: AuditEvent, *, any_objective: bool) -> None:
        props = {
            "id": measurement.id,
            "indicatorId": measurement.indicator_id,
            "value": str(measurement.value),
            "asOf": measurement.as_of,
            "reportingAgencyId": measurement.reporting_agency_id,
            "source": measurement.source,
            "note": measurement.note,
            "recordedAt": measurement.recorded_at,
            "recordedBy": measurement.recorded_by,
        }

        async def work(tx: AsyncManagedTransaction) -> None:
            done = await (await tx.run(RECORD, props=props, any=any_objective)).single()
            if done is None:
                raise StrategyNotFound(f"no indicator {measurement.indicator_id!r}")
            if not done["allowed"]:
                raise StrategyForbidden(
                    f"your agency ({measurement.reporting_agency_id}) no longer leads or supports this objective"
                )
            await append_audit(tx, event)

        await self._write(work)

    async def resources(self, strategy_id: str) -> list[Resource]:
        return [resource_from(r["n"]) for r in await self._read(RESOURCES, id=strategy_id)]

    async def resource(self, resource_id: str) -> Resource | None:
        found = await self._read(RESOURCE, id=resource_id)
        return resource_from(found[0]["n"]) if found else None

    async def save_resource(self, resource: Resource, event: AuditEvent) -> None:
        props = {
            "id": resource.id,
            "objectiveId": resource.objective_id,
            "agencyId": resource.agency_id,
            "kind": resource.kind.value,
            "title": resource.title,
            "stream": resource.stream,
            "fiscalYear": resource.fiscal_year,
            "amountCents": resource.amount_cents,
            "spentCents": resource.spent_cents,
            "personnel": resource.personnel,
        }

        async def work(tx: AsyncManagedTransaction) -> None:
            done = await (await tx.run(SAVE_RESOURCE, props=props)).single()
            if done is None:
                raise StrategyNotFound(f"no objective {resource.objective_id!r}")
            if not done["known"]:
                raise InvalidStrategy(f"no agency {resource.agency_id!r} in the directory")
            await append_audit(tx, event)

        await self._write(work)

    async def state_laws(self) -> list[StateLaw]:
        return [state_law_from(r["n"]) for r in await self._read(STATE_LAWS)]

    async def save_state_law(self, law: StateLaw, event: AuditEvent) -> None:
        props = {
            "state": law.state,
            "year": law.year,
            "nonCriminalisation": law.non_criminalisation.value,
            "servicesForAllChildren": law.services_for_all_children,
            "grade": law.grade,
            "score": law.score,
            "source": law.source,
            "note": law.note,
        }

        async def work(tx: AsyncManagedTransaction) -> None:
            await (await tx.run(SAVE_STATE_LAW, props=props)).consume()
            await append_audit(tx, event)

        await self._write(work)

    async def count(self, what: ComputedCount, until: datetime) -> int:
        found = await self._read(COUNTS[what], until=until)
        return int(found[0]["n"])

    async def _read(self, query: str, **params: Any) -> list[Any]:
        records, _, _ = await self._driver.execute_query(
            query, params, database_=self._database, routing_=RoutingControl.READ
        )
        return list(records)

    async def _write(self, work: Any) -> Any:
        async with self._driver.session(database=self._database) as session:
            return await session.execute_write(work)


async def _locked(tx: AsyncManagedTransaction, label: str, id: str) -> Any:
    """The node under its write lock, as the last transaction to change it committed it."""
    if await (await tx.run(LOCK_ONE[label], id=id)).single() is None:
        raise StrategyNotFound(f"no {label.lower()} {id!r}")
    found = await (await tx.run(ONE[label], id=id)).single()
    assert found is not None  # locked: it cannot have gone
    return found["n"]


def _differing(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in after.items() if before.get(name) != value}


def goal_props(goal: Goal) -> dict[str, Any]:
    return {
        "id": goal.id,
        "strategyId": goal.strategy_id,
        "title": goal.title,
        "pillar": goal.pillar.value,
        "weight": str(goal.weight),
    }


def objective_props(objective: Objective) -> dict[str, Any]:
    return {
        "id": objective.id,
        "goalId": objective.goal_id,
        "title": objective.title,
        "leadAgencyId": objective.lead_agency_id,
        "supportingAgencyIds": sorted(objective.supporting_agency_ids),
        "weight": str(objective.weight),
    }


def indicator_props(indicator: Indicator) -> dict[str, Any]:
    return {
        "id": indicator.id,
        "objectiveId": indicator.objective_id,
        "title": indicator.title,
        "unit": indicator.unit,
        "baseline": str(indicator.baseline),
        "target": str(indicator.target),
        "startDate": indicator.start_date,
        "targetDate": indicator.target_date,
        "weight": str(indicator.weight),
        "kind": indicator.kind.value,
        "computed": indicator.computed.value if indicator.computed else None,
    }


def strategy_from(n: Any) -> Strategy:
    return Strategy(id=n["id"], title=n["title"], description=n.get("description") or "", demo=bool(n.get("demo")))


def goal_from(n: Any) -> Goal:
    return Goal(
        id=n["id"],
        strategy_id=n["strategyId"],
        title=n["title"],
        pillar=Pillar(n["pillar"]),
        weight=Decimal(n["weight"]),
    )


def objective_from(n: Any) -> Objective:
    return Objective(
        id=n["id"],
        goal_id=n["goalId"],
        title=n["title"],
        lead_agency_id=n["leadAgencyId"],
        supporting_agency_ids=frozenset(n["supportingAgencyIds"]),
        weight=Decimal(n["weight"]),
    )


def indicator_from(n: Any) -> Indicator:
    return Indicator(
        id=n["id"],
        objective_id=n["objectiveId"],
        title=n["title"],
        unit=n["unit"],
        baseline=Decimal(n["baseline"]),
        target=Decimal(n["target"]),
        start_date=native(n["startDate"]),
        target_date=native(n["targetDate"]),
        weight=Decimal(n["weight"]),
        kind=IndicatorKind(n["kind"]),
        computed=ComputedCount(n["computed"]) if n.get("computed") else None,
    )


def measurement_from(n: Any) -> Measurement:
    return Measurement(
        id=n["id"],
        indicator_id=n["indicatorId"],
        value=Decimal(n["value"]),
        as_of=native(n["asOf"]),
        reporting_agency_id=n["reportingAgencyId"],
        source=n["source"],
        note=n.get("note") or "",
        recorded_at=native(n["recordedAt"]),
        recorded_by=n["recordedBy"],
    )


def resource_from(n: Any) -> Resource:
    return Resource(
        id=n["id"],
        objective_id=n["objectiveId"],
        agency_id=n["agencyId"],
        kind=ResourceKind(n["kind"]),
        title=n["title"],
        stream=n["stream"],
        fiscal_year=n["fiscalYear"],
        amount_cents=n["amountCents"],
        spent_cents=n["spentCents"],
        personnel=n.get("personnel"),
    )


def state_law_from(n: Any) -> StateLaw:
    return StateLaw(
        state=n["state"],
        year=n["year"],
        non_criminalisation=NonCriminalisation(n["nonCriminalisation"]),
        services_for_all_children=n.get("servicesForAllChildren"),
        grade=n.get("grade"),
        score=n.get("score"),
        source=n["source"],
        note=n.get("note") or "",
    )
