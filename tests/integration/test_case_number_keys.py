"""Migration 0009 gives stored cases the key new cases get, and refuses case-variant duplicates with a report."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest
from neo4j import AsyncDriver

from agencies.audit import AuditEvent
from cases.models import Case, CaseStatus, case_number_key
from gateway.repositories import Repositories
from graph.driver import Neo4jConnection
from graph.migrator import MIGRATIONS_DIR, MigrationError, load_migrations, migrate, migration_status
from tests.support.cli import sett, sett_env
from tests.support.graph import query, wipe

SPD, KCSO = "WASPD0000", "WA0170000"
FIRST_0009 = """\
// Case numbers are unique in their agency as people read them: `spd-2026-0042` is `SPD-2026-0042`.
// The key is `cases.models.case_number_key` (spaces collapsed, case folded); cases stored before it get the
// nearest Cypher form.
MATCH (c:Case) WHERE c.caseNumberKey IS NULL SET c.caseNumberKey = toLower(trim(c.agencyCaseNumber));
CREATE CONSTRAINT case_owner_number_key IF NOT EXISTS FOR (c:Case) REQUIRE (c.ownerAgencyId, c.caseNumberKey) IS UNIQUE;
"""
"""0009 as it first landed, byte for byte: graphs of `make run` may have applied it."""


@pytest.fixture
async def unkeyed(graph: AsyncDriver, neo4j_connection: Neo4jConnection) -> AsyncIterator[str]:
    """The graph as migrations 1-8 left it: cases have no key and nothing makes keys unique. Yields the database;
    afterwards the graph is emptied and migrated again for the tests that follow."""
    database = neo4j_connection.database
    await query(graph, database, "DROP CONSTRAINT case_owner_number_key IF EXISTS")
    await query(graph, database, "MATCH (m:SettMigration {version: 9}) DELETE m")
    try:
        yield database
    finally:
        await wipe(graph, database)
        await migrate(graph, database, load_migrations())


async def store(driver: AsyncDriver, database: str, *cases: tuple[str, str, str]) -> None:
    """(id, owner agency, number): stored as code before 0009 stored cases, without a key."""
    rows = [{"id": case_id, "ownerAgencyId": owner, "agencyCaseNumber": number} for case_id, owner, number in cases]
    await query(driver, database, "UNWIND $rows AS row CREATE (c:Case) SET c = row", rows=rows)


async def keys(driver: AsyncDriver, database: str) -> dict[str, str | None]:
    rows = await query(driver, database, "MATCH (c:Case) RETURN c.id AS id, c.caseNumberKey AS key")
    return {row["id"]: row["key"] for row in rows}


async def staged(driver: AsyncDriver, database: str) -> int:
    rows = await query(driver, database, "MATCH (c:Case) WHERE c.caseNumberKeyNext IS NOT NULL RETURN count(*) AS n")
    return int(rows[0]["n"])


async def has_key_constraint(driver: AsyncDriver, database: str) -> bool:
    rows = await query(driver, database, "SHOW CONSTRAINTS YIELD name WHERE name = 'case_owner_number_key' RETURN name")
    return bool(rows)


async def renumber(driver: AsyncDriver, database: str, case_id: str, number: str) -> None:
    await query(driver, database, "MATCH (c:Case {id: $id}) SET c.agencyCaseNumber = $n", id=case_id, n=number)


def first_form(folder: Path) -> Path:
    """Migrations 1-8 and the first 0009 in `folder`."""
    for path in sorted(MIGRATIONS_DIR.glob("*.cypher")):
        shutil.copy(path, folder)
    (folder / "0009_case_number_key.cypher").write_text(FIRST_0009)
    return folder


def new_case(case_id: str, number: str) -> Case:
    return Case(
        id=case_id,
        owner_agency_id=SPD,
        agency_case_number=number,
        title="Synthetic case",
        summary="",
        status=CaseStatus.OPEN,
        offenses=(),
        labels=frozenset(),
        opened_on=date(2026, 1, 1),
    )


NUMBERS = {
    "sharp-s": (SPD, "Straße  7"),
    "sigma": (SPD, "ΟΔΟΣ 12"),
    "spaces": (SPD, "  SPD   2026-0042 "),
    "plain": (SPD, "spd-1"),
    "kcso-same-text": (KCSO, "SPD 2026-0042"),
    "kcso-1": (KCSO, "KC-1"),
    "kcso-2": (KCSO, "KC-2"),
}
EXPECTED = {
    "sharp-s": "strasse 7",
    "sigma": "οδοσ 12",
    "spaces": "spd 2026-0042",
    "plain": "spd-1",
    "kcso-same-text": "spd 2026-0042",
    "kcso-1": "kc-1",
    "kcso-2": "kc-2",
}


async def test_stored_cases_get_the_key_new_cases_get_in_batches_and_a_second_run_changes_nothing(
    unkeyed: str, repos: Repositories, graph: AsyncDriver
) -> None:
    await store(graph, unkeyed, *((case_id, owner, number) for case_id, (owner, number) in NUMBERS.items()))

    applied = await migrate(graph, unkeyed, load_migrations(), batch_size=2)

    assert [m.version for m in applied] == [9]
    assert await keys(graph, unkeyed) == EXPECTED
    assert {case_id: case_number_key(number) for case_id, (_, number) in NUMBERS.items()} == EXPECTED
    assert await staged(graph, unkeyed) == 0
    assert await has_key_constraint(graph, unkeyed)
    assert not await repos.cases.create(new_case("new", "STRASSE 7"), AuditEvent("test", "t", SPD, {}))

    step = load_migrations()[8].step
    assert step is not None
    await step(graph, unkeyed, 2)
    assert await migrate(graph, unkeyed, load_migrations(), batch_size=2) == ()
    assert await keys(graph, unkeyed) == EXPECTED
    assert await staged(graph, unkeyed) == 0


async def test_case_variant_duplicates_are_refused_with_a_report_and_migrate_once_one_is_renumbered(
    unkeyed: str, graph: AsyncDriver
) -> None:
    await store(
        graph,
        unkeyed,
        ("spd-lower", SPD, "spd-2026-0042"),
        ("spd-upper", SPD, "SPD-2026-0042"),
        ("spd-other", SPD, "SPD-2026-0043"),
        ("kcso-one-space", KCSO, "SPD 2026"),
        ("kcso-two-spaces", KCSO, "SPD  2026"),
        ("kcso-same-as-spd", KCSO, "spd-2026-0042"),
    )

    with pytest.raises(MigrationError) as refused:
        await migrate(graph, unkeyed, load_migrations(), batch_size=2)

    report = str(refused.value)
    assert "migration 0009_case_number_key was not applied: 2 case number(s)" in report
    assert (
        "  agency WA0170000: 'SPD  2026' (case kcso-two-spaces), 'SPD 2026' (case kcso-one-space)"
        " all read as 'spd 2026'"
    ) in report.splitlines()
    assert (
        "  agency WASPD0000: 'SPD-2026-0042' (case spd-upper), 'spd-2026-0042' (case spd-lower)"
        " all read as 'spd-2026-0042'"
    ) in report.splitlines()
    assert "kcso-same-as-spd" not in report
    assert "spd-other" not in report
    assert "Renumber all but one case of each group" in report
    assert "run `sett db migrate` again" in report
    # Nothing half-done: no key, nothing staged, no constraint, not recorded.
    assert set((await keys(graph, unkeyed)).values()) == {None}
    assert await staged(graph, unkeyed) == 0
    assert not await has_key_constraint(graph, unkeyed)
    assert [m.version for m in (await migration_status(graph, unkeyed, load_migrations())).pending] == [9]

    await renumber(graph, unkeyed, "spd-upper", "SPD-2026-0044")
    with pytest.raises(MigrationError, match="1 case number"):
        await migrate(graph, unkeyed, load_migrations(), batch_size=2)
    await renumber(graph, unkeyed, "kcso-two-spaces", "SPD 2027")
    assert [m.version for m in await migrate(graph, unkeyed, load_migrations(), batch_size=2)] == [9]
    assert (await keys(graph, unkeyed))["spd-upper"] == "spd-2026-0044"
    assert await has_key_constraint(graph, unkeyed)


async def test_a_graph_that_applied_the_first_0009_gets_the_right_keys(
    unkeyed: str, graph: AsyncDriver, tmp_path: Path
) -> None:
    await store(graph, unkeyed, *((case_id, owner, number) for case_id, (owner, number) in NUMBERS.items()))
    first = load_migrations(first_form(tmp_path))
    assert first[8].checksum in load_migrations()[8].replaces
    await migrate(graph, unkeyed, first)
    assert (await keys(graph, unkeyed))["sharp-s"] == "straße  7"  # the first form's key, not case_number_key's

    status = await migration_status(graph, unkeyed, load_migrations())
    assert (status.replaced, status.changed, [m.version for m in status.pending]) == ((9,), (), [9])
    applied = await migrate(graph, unkeyed, load_migrations(), batch_size=2)

    assert [m.version for m in applied] == [9]
    assert await keys(graph, unkeyed) == EXPECTED
    assert await staged(graph, unkeyed) == 0
    assert await has_key_constraint(graph, unkeyed)
    record = await query(
        graph, unkeyed, "MATCH (m:SettMigration {version: 9}) RETURN m.checksum AS c, m.replacedChecksum AS r"
    )
    assert record == [{"c": load_migrations()[8].checksum, "r": first[8].checksum}]
    assert await migrate(graph, unkeyed, load_migrations()) == ()


async def test_duplicates_the_first_0009_let_through_are_refused_and_its_keys_kept_until_renumbered(
    unkeyed: str, graph: AsyncDriver, tmp_path: Path
) -> None:
    await store(graph, unkeyed, ("sharp-s", SPD, "Straße 7"), ("double-s", SPD, "STRASSE 7"), ("other", SPD, "S-8"))
    first = load_migrations(first_form(tmp_path))
    await migrate(graph, unkeyed, first)
    before = await keys(graph, unkeyed)
    assert before == {"sharp-s": "straße 7", "double-s": "strasse 7", "other": "s-8"}

    with pytest.raises(MigrationError) as refused:
        await migrate(graph, unkeyed, load_migrations(), batch_size=2)

    assert (
        "  agency WASPD0000: 'STRASSE 7' (case double-s), 'Straße 7' (case sharp-s) all read as 'strasse 7'"
        in str(refused.value).splitlines()
    )
    assert await keys(graph, unkeyed) == before
    assert await staged(graph, unkeyed) == 0
    assert await has_key_constraint(graph, unkeyed)
    record = await query(graph, unkeyed, "MATCH (m:SettMigration {version: 9}) RETURN m.checksum AS c")
    assert record == [{"c": first[8].checksum}]

    await renumber(graph, unkeyed, "double-s", "STRASSE 7A")
    assert [m.version for m in await migrate(graph, unkeyed, load_migrations(), batch_size=2)] == [9]
    assert await keys(graph, unkeyed) == {"sharp-s": "strasse 7", "double-s": "strasse 7a", "other": "s-8"}


async def test_sett_db_migrate_shows_the_operator_the_report_not_a_traceback(
    unkeyed: str, graph: AsyncDriver, neo4j_connection: Neo4jConnection
) -> None:
    await store(graph, unkeyed, ("lower", SPD, "spd-[b]1[/b]"), ("upper", SPD, "SPD-[B]1[/B]"))

    result = sett("db", "migrate", env=sett_env(neo4j_connection))

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: migration 0009_case_number_key was not applied: 1 case number(s)")
    assert "  agency WASPD0000: 'SPD-[B]1[/B]' (case upper), 'spd-[b]1[/b]' (case lower)" in result.stderr
    assert not await has_key_constraint(graph, unkeyed)
