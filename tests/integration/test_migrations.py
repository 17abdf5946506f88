from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

import pytest
from neo4j import AsyncDriver

from graph.driver import Neo4jConnection
from graph.migrator import MIGRATIONS_DIR, MigrationError, load_migrations, migrate, migration_status
from tests.support.graph import query

ALL_VERSIONS = [m.version for m in load_migrations()]
SCHEMA = {
    "constraints": "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties RETURN * ORDER BY name",
    "indexes": "SHOW INDEXES YIELD name, type, labelsOrTypes, properties, state RETURN * ORDER BY name",
    "migrations": "MATCH (m:SettMigration) RETURN m.version AS v, m.checksum AS c, m.appliedAt AS at ORDER BY v",
}


async def snapshot(driver: AsyncDriver, database: str) -> dict[str, list[dict[str, Any]]]:
    return {name: await query(driver, database, cypher) for name, cypher in SCHEMA.items()}


async def test_applying_migrations_twice_changes_nothing(graph: AsyncDriver, neo4j_connection: Neo4jConnection) -> None:
    database = neo4j_connection.database
    before = await snapshot(graph, database)
    assert await migrate(graph, database, load_migrations()) == ()
    assert await migrate(graph, database, load_migrations()) == ()
    assert await snapshot(graph, database) == before
    assert {c["name"] for c in before["constraints"]} >= {"agency_id", "case_id", "identifier_kind_value"}


async def test_a_graph_without_records_is_migrated_once_to_the_same_schema(
    graph: AsyncDriver, neo4j_connection: Neo4jConnection
) -> None:
    database = neo4j_connection.database
    before = await snapshot(graph, database)
    await query(graph, database, "MATCH (m:SettMigration) DELETE m")
    status = await migration_status(graph, database, load_migrations())
    assert [m.version for m in status.pending] == ALL_VERSIONS

    applied = await migrate(graph, database, load_migrations())

    assert [m.version for m in applied] == ALL_VERSIONS
    after = await snapshot(graph, database)
    assert after["constraints"] == before["constraints"]
    assert after["indexes"] == before["indexes"]
    assert (await migration_status(graph, database, load_migrations())).current


async def test_a_new_migration_is_applied_alone_and_recorded(
    graph: AsyncDriver, neo4j_connection: Neo4jConnection, tmp_path: Path
) -> None:
    database = neo4j_connection.database
    shutil.copytree(MIGRATIONS_DIR, tmp_path, dirs_exist_ok=True)
    extra = len(ALL_VERSIONS) + 1
    (tmp_path / f"{extra:04d}_extra.cypher").write_text(
        "CREATE INDEX test_extra IF NOT EXISTS FOR (n:TestOnly) ON (n.x);\n"
    )
    try:
        applied = await migrate(graph, database, load_migrations(tmp_path))
        assert [m.version for m in applied] == [extra]
        names = [row["name"] for row in await query(graph, database, "SHOW INDEXES YIELD name RETURN name")]
        assert "test_extra" in names
        assert await migrate(graph, database, load_migrations(tmp_path)) == ()
    finally:
        await query(graph, database, "DROP INDEX test_extra IF EXISTS")
        await query(graph, database, "MATCH (m:SettMigration {version: $v}) DELETE m", v=extra)


async def test_an_applied_migration_edited_afterwards_is_refused(
    graph: AsyncDriver, neo4j_connection: Neo4jConnection, tmp_path: Path
) -> None:
    shutil.copytree(MIGRATIONS_DIR, tmp_path, dirs_exist_ok=True)
    edited = tmp_path / "0002_cases.cypher"
    edited.write_text(edited.read_text() + "CREATE INDEX sneaky IF NOT EXISTS FOR (c:Case) ON (c.title);\n")
    with pytest.raises(MigrationError, match=r"edited afterwards: \[2\]"):
        await migrate(graph, neo4j_connection.database, load_migrations(tmp_path))
    names = [row["name"] for row in await query(graph, neo4j_connection.database, "SHOW INDEXES YIELD name")]
    assert "sneaky" not in names


async def test_a_graph_newer_than_the_code_is_reported(
    graph: AsyncDriver, neo4j_connection: Neo4jConnection, tmp_path: Path
) -> None:
    for path in sorted(MIGRATIONS_DIR.glob("*.cypher"))[:2]:
        shutil.copy(path, tmp_path)
    status = await migration_status(graph, neo4j_connection.database, load_migrations(tmp_path))
    assert status.unknown == tuple(ALL_VERSIONS[2:])
    assert not status.current
    with pytest.raises(MigrationError, match="does not know"):
        await migrate(graph, neo4j_connection.database, load_migrations(tmp_path))


STEP_TEMPLATE = '''"""A test step: one node per call, saying which batch size it was given."""

from neo4j import AsyncDriver

REPLACES = frozenset({replaces!r})


async def apply(driver: AsyncDriver, database: str, batch_size: int) -> None:
    await driver.execute_query(
        "CREATE (:TestOnly {{batch: $batch}})", batch=batch_size, database_=database
    )
'''


def step_text(*replaces: str) -> str:
    return STEP_TEMPLATE.format(replaces=set(replaces) or set())


async def recorded(driver: AsyncDriver, database: str, version: int) -> dict[str, Any]:
    rows = await query(driver, database, "MATCH (m:SettMigration {version: $v}) RETURN m {.*} AS m", v=version)
    return dict(rows[0]["m"]) if rows else {}


async def test_a_python_migration_runs_once_with_the_batch_size_and_is_recorded(
    graph: AsyncDriver, neo4j_connection: Neo4jConnection, tmp_path: Path
) -> None:
    database = neo4j_connection.database
    shutil.copytree(MIGRATIONS_DIR, tmp_path, dirs_exist_ok=True)
    extra = len(ALL_VERSIONS) + 1
    step = tmp_path / f"{extra:04d}_extra_step.py"
    step.write_text(step_text())
    try:
        applied = await migrate(graph, database, load_migrations(tmp_path), batch_size=7)
        assert [m.version for m in applied] == [extra]
        assert await migrate(graph, database, load_migrations(tmp_path), batch_size=7) == ()
        assert await query(graph, database, "MATCH (n:TestOnly) RETURN n.batch AS batch") == [{"batch": 7}]
        record = await recorded(graph, database, extra)
        assert record["name"] == "extra_step"
        assert record["checksum"] == hashlib.sha256(step.read_bytes()).hexdigest()

        step.write_text(step_text() + "# edited\n")
        with pytest.raises(MigrationError, match=rf"edited afterwards: \[{extra}\]"):
            await migrate(graph, database, load_migrations(tmp_path))
    finally:
        await query(graph, database, "MATCH (m:SettMigration {version: $v}) DELETE m", v=extra)


async def test_a_migration_that_names_the_checksum_of_its_earlier_form_runs_again_over_it(
    graph: AsyncDriver, neo4j_connection: Neo4jConnection, tmp_path: Path
) -> None:
    database = neo4j_connection.database
    shutil.copytree(MIGRATIONS_DIR, tmp_path, dirs_exist_ok=True)
    extra = len(ALL_VERSIONS) + 1
    earlier = tmp_path / f"{extra:04d}_extra.cypher"
    earlier.write_text("CREATE (:TestOnly {batch: 0});\n")
    try:
        await migrate(graph, database, load_migrations(tmp_path))
        old = (await recorded(graph, database, extra))["checksum"]
        earlier.unlink()
        (tmp_path / f"{extra:04d}_extra.py").write_text(step_text(old))

        status = await migration_status(graph, database, load_migrations(tmp_path))
        assert (status.replaced, status.changed, [m.version for m in status.pending]) == ((extra,), (), [extra])
        applied = await migrate(graph, database, load_migrations(tmp_path), batch_size=3)

        assert [m.version for m in applied] == [extra]
        batches = await query(graph, database, "MATCH (n:TestOnly) RETURN n.batch AS b ORDER BY b")
        assert batches == [{"b": 0}, {"b": 3}]
        record = await recorded(graph, database, extra)
        assert record["checksum"] == load_migrations(tmp_path)[-1].checksum
        assert record["replacedChecksum"] == old
        assert (await migration_status(graph, database, load_migrations(tmp_path))).current
        assert await migrate(graph, database, load_migrations(tmp_path)) == ()
    finally:
        await query(graph, database, "MATCH (m:SettMigration {version: $v}) DELETE m", v=extra)


async def test_a_failing_statement_is_a_migration_error_that_names_the_migration(
    graph: AsyncDriver, neo4j_connection: Neo4jConnection, tmp_path: Path
) -> None:
    database = neo4j_connection.database
    shutil.copytree(MIGRATIONS_DIR, tmp_path, dirs_exist_ok=True)
    extra = len(ALL_VERSIONS) + 1
    (tmp_path / f"{extra:04d}_broken.cypher").write_text("CREATE (:TestOnly {batch: 1});\nRETURN nonsense(;\n")
    with pytest.raises(MigrationError, match=rf"migration {extra:04d}_broken failed and was not recorded \(Neo\."):
        await migrate(graph, database, load_migrations(tmp_path))
    assert await recorded(graph, database, extra) == {}
