"""Importing into the test graph, and reading the graph back whole to compare one state with another."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from neo4j import AsyncDriver

from agencies.audit import AuditEvent
from agencies.principals import AuthMethod, Principal, Role, Scope
from cases.import_service import ImportSummary, import_records
from cases.imports.reader import Encoding, ImportSource
from cases.imports.records import Rejected
from cases.models import Case, CaseStatus
from gateway.repositories import Repositories
from graph.imports import Neo4jImportRepository
from tests.support.graph import query
from tests.support.imports import NOW

SPD, KCSO = "WASPD0000", "WA0170000"
VOLATILE = frozenset({"id", "linkKey", "since"})
"""What differs between two runs that wrote the same records: random ids and link keys, and the time a
relationship was made. Everything else of a node or a relationship must be the same."""
LOG = ("AuditEntry", "AuditHead", "SettMigration")
"""The audit log records each run that wrote (who, when, how many): two runs that end in the same graph have
written different logs. It is left out of the comparison, and checked on its own."""

NODES = """
MATCH (n) WHERE NONE(label IN labels(n) WHERE label IN $log)
RETURN elementId(n) AS element, labels(n) AS labels, properties(n) AS props
"""
RELATIONSHIPS = """
MATCH (a)-[r]->(b) WHERE NONE(label IN labels(a) + labels(b) WHERE label IN $log)
RETURN elementId(a) AS start, type(r) AS type, properties(r) AS props, elementId(b) AS end
"""
COUNT_LABELS = "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n ORDER BY label"
COUNT_TYPES = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type"


def analyst(agency_id: str = SPD, *scopes: Scope) -> Principal:
    return Principal(
        subject=f"analyst@{agency_id}",
        agency_id=agency_id,
        roles=frozenset({Role.ANALYST}),
        scopes=frozenset(scopes or (Scope.CASES_READ, Scope.CASES_WRITE)),
        method=AuthMethod.SETT_TOKEN,
    )


async def run_import(
    driver: AsyncDriver,
    data: bytes,
    encoding: Encoding = Encoding.JSON_LINES,
    *,
    principal: Principal | None = None,
    batch_size: int = 50,
) -> tuple[ImportSummary, list[Rejected]]:
    rejects: list[Rejected] = []
    summary = await import_records(
        principal=principal or analyst(),
        source=ImportSource.of_bytes(data, encoding, clock=lambda: NOW),
        repository=Neo4jImportRepository(driver, "neo4j"),
        on_rejects=rejects.extend,
        batch_size=batch_size,
    )
    return summary, rejects


async def counts(driver: AsyncDriver) -> dict[str, int]:
    """How many nodes of each label and relationships of each type the graph holds, the audit log included."""
    labels = await query(driver, "neo4j", COUNT_LABELS)
    types = await query(driver, "neo4j", COUNT_TYPES)
    return {f":{row['label']}": row["n"] for row in labels} | {f"-[:{row['type']}]-": row["n"] for row in types}


async def dump(driver: AsyncDriver) -> tuple[list[str], list[str]]:
    """Every node and relationship outside the audit log, with its properties, in a canonical order. A node is
    named by what keys it: an imported case or person by (agency, sourceId), one made otherwise by its id (the
    agencies' are their ORIs), an identifier by kind and value."""
    nodes = await query(driver, "neo4j", NODES, log=list(LOG))
    keys = {node["element"]: _key(node["labels"], node["props"]) for node in nodes}
    shown_nodes = sorted(_text([keys[n["element"]], _stable(n["props"])]) for n in nodes)
    relationships = await query(driver, "neo4j", RELATIONSHIPS, log=list(LOG))
    shown_relationships = sorted(
        _text([keys[r["start"]], r["type"], _stable(r["props"]), keys[r["end"]]]) for r in relationships
    )
    return shown_nodes, shown_relationships


def _key(labels: list[str], props: dict[str, Any]) -> list[Any]:
    if "Identifier" in labels:
        return ["Identifier", props["kind"], props["value"]]
    if props.get("sourceId") is not None:
        return [sorted(labels), props["ownerAgencyId"], props["sourceId"]]
    return [sorted(labels), props.get("id")]


def _stable(props: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in props.items() if key not in VOLATILE}


def _text(value: object) -> str:
    return json.dumps(value, sort_keys=True, default=str)


async def opened_in_sett(
    repos: Repositories, case_id: str, number: str, *, owner: str = SPD, title: str = "Opened in Sett"
) -> None:
    """A case opened through the API (no sourceId), beside what an import writes."""
    case = Case(
        id=case_id,
        owner_agency_id=owner,
        agency_case_number=number,
        title=title,
        summary="",
        status=CaseStatus.OPEN,
        offenses=(),
        labels=frozenset(),
        opened_on=date(2025, 1, 2),
    )
    assert await repos.cases.create(case, AuditEvent("test", "tester", owner, {}))
