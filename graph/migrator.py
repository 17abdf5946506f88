"""Numbered `.cypher` migrations in `graph/migrations/`, applied in order and recorded in the graph.

A migration file is named `NNNN_what_it_does.cypher` and holds statements ended by `;`. Each statement
runs in its own transaction (Neo4j does not mix schema and data changes in one), so every statement
must be safe to run again (`IF NOT EXISTS`, `MERGE`); the migration is recorded as a `SettMigration`
node with a checksum once all its statements succeeded. An applied file that was edited afterwards is
refused, never re-run silently.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from neo4j import AsyncDriver, AsyncManagedTransaction, RoutingControl

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
FILE_NAME = re.compile(r"^(?P<version>\d{4})_(?P<name>[a-z0-9_]+)\.cypher$")

BOOTSTRAP = "CREATE CONSTRAINT sett_migration_version IF NOT EXISTS FOR (m:SettMigration) REQUIRE m.version IS UNIQUE"
APPLIED = "MATCH (m:SettMigration) RETURN m.version AS version, m.checksum AS checksum ORDER BY version"
RECORD = """
MERGE (m:SettMigration {version: $version})
ON CREATE SET m.name = $name, m.checksum = $checksum, m.appliedAt = datetime($applied_at)
"""


class MigrationError(Exception):
    """The migration files or the graph's record of them are inconsistent."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]
    checksum: str


@dataclass(frozen=True)
class MigrationStatus:
    applied: tuple[int, ...]
    pending: tuple[Migration, ...]
    changed: tuple[int, ...]
    """Applied migrations whose file no longer matches what was applied."""
    unknown: tuple[int, ...]
    """Applied migrations with no file here (the graph is newer than this code)."""

    @property
    def current(self) -> bool:
        return not (self.pending or self.changed or self.unknown)

    def problem(self) -> str | None:
        if self.changed:
            return f"applied migrations were edited afterwards: {list(self.changed)}"
        if self.unknown:
            return f"the graph has migrations this code does not know: {list(self.unknown)}"
        if self.pending:
            return f"migrations not applied yet: {[m.version for m in self.pending]}"
        return None


def split_statements(text: str) -> tuple[str, ...]:
    """Statements of a migration file: `//` comment lines dropped, split on a `;` that ends a line."""
    lines = [line for line in text.splitlines() if not line.strip().startswith("//")]
    parts = re.split(r";\s*$", "\n".join(lines), flags=re.MULTILINE)
    return tuple(statement.strip() for statement in parts if statement.strip())


def load_migrations(folder: Path = MIGRATIONS_DIR) -> tuple[Migration, ...]:
    migrations = []
    for path in sorted(folder.glob("*.cypher")):
        match = FILE_NAME.match(path.name)
        if match is None:
            raise MigrationError(f"{path.name}: a migration is named NNNN_name.cypher")
        text = path.read_text(encoding="utf-8")
        statements = split_statements(text)
        if not statements:
            raise MigrationError(f"{path.name}: no statements")
        checksum = hashlib.sha256("\n;\n".join(statements).encode()).hexdigest()
        migrations.append(Migration(int(match["version"]), match["name"], statements, checksum))
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise MigrationError(f"migrations must be numbered 1, 2, 3, ... without gaps; found {versions}")
    return tuple(migrations)


async def migration_status(driver: AsyncDriver, database: str, migrations: tuple[Migration, ...]) -> MigrationStatus:
    records, _, _ = await driver.execute_query(APPLIED, database_=database, routing_=RoutingControl.READ)
    applied = {record["version"]: record["checksum"] for record in records}
    known = {m.version: m for m in migrations}
    return MigrationStatus(
        applied=tuple(sorted(applied)),
        pending=tuple(m for m in migrations if m.version not in applied),
        changed=tuple(v for v, checksum in sorted(applied.items()) if v in known and known[v].checksum != checksum),
        unknown=tuple(v for v in sorted(applied) if v not in known),
    )


async def migrate(driver: AsyncDriver, database: str, migrations: tuple[Migration, ...]) -> tuple[Migration, ...]:
    """Applies the pending migrations in order; returns those it applied (none when already current)."""
    await driver.execute_query(BOOTSTRAP, database_=database)
    status = await migration_status(driver, database, migrations)
    if status.changed or status.unknown:
        raise MigrationError(str(status.problem()))
    async with driver.session(database=database) as session:
        for migration in status.pending:
            for statement in migration.statements:
                await session.execute_write(_run_statement, statement)
            await session.execute_write(_record, migration)
    return status.pending


async def _run_statement(tx: AsyncManagedTransaction, statement: str) -> None:
    await (await tx.run(statement)).consume()


async def _record(tx: AsyncManagedTransaction, migration: Migration) -> None:
    applied_at = datetime.now(UTC).isoformat()
    result = await tx.run(
        RECORD, version=migration.version, name=migration.name, checksum=migration.checksum, applied_at=applied_at
    )
    await result.consume()
