"""Numbered migrations in `graph/migrations/`, applied in order and recorded in the graph.

A migration is a file named `NNNN_what_it_does.cypher` or `NNNN_what_it_does.py`, numbered 1, 2, 3, ...

- A `.cypher` migration holds statements ended by `;`. Each statement runs in its own transaction (Neo4j does
  not mix schema and data changes in one), so every statement must be safe to run again (`IF NOT EXISTS`,
  `MERGE`). Its checksum covers the statements, not the `//` comments.
- A `.py` migration is a data step that Cypher alone cannot do, such as computing a value with the same Python
  function the application uses. It defines `async def apply(driver, database, batch_size) -> None` and runs its
  own transactions: a graph may hold millions of nodes, so it works in batches of `batch_size` rows (the
  migrator's `BATCH_SIZE` unless a caller, such as a test, gives another). It must be safe to run again after
  it failed or was interrupted at any point, and it refuses what it cannot do by raising `MigrationError` with a
  message for the operator, leaving the graph so that a run after the operator's fix succeeds. Its checksum
  covers the module's whole text; the code it imports is not covered, so a change to a rule that a step
  applied to stored data needs a new migration that applies it again.

A migration is recorded as a `SettMigration` node with its checksum once it succeeded. A failing migration is
not recorded and stops the run; a Neo4j error in it is reported as a `MigrationError` that names it. An applied
migration whose file was edited afterwards is refused, never re-run silently, with one explicit exception: a
`.py` migration may name, in `REPLACES`, the checksums of earlier forms of itself that graphs may have recorded.
A graph that recorded one of those runs the migration again (so it must be safe to run over the earlier form,
and over what later migrations did) and then records the new checksum, keeping the old one as
`replacedChecksum`. Migration 0009 uses this: its first form, a `.cypher` file, computed case-number keys with
Cypher's `toLower(trim(...))` in one transaction and created the uniqueness constraint without looking for
duplicates; its `.py` form computes them with `cases.models.case_number_key` and reports duplicates first.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

from neo4j import AsyncDriver, AsyncManagedTransaction, RoutingControl
from neo4j.exceptions import Neo4jError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
FILE_NAME = re.compile(r"^(?P<version>\d{4})_(?P<name>[a-z0-9_]+)\.(?P<kind>cypher|py)$")
BATCH_SIZE = 10_000
"""Rows per transaction in `.py` migrations."""

BOOTSTRAP = "CREATE CONSTRAINT sett_migration_version IF NOT EXISTS FOR (m:SettMigration) REQUIRE m.version IS UNIQUE"
APPLIED = "MATCH (m:SettMigration) RETURN m.version AS version, m.checksum AS checksum ORDER BY version"
RECORD = """
MERGE (m:SettMigration {version: $version})
ON CREATE SET m.name = $name, m.checksum = $checksum, m.appliedAt = datetime($applied_at)
ON MATCH SET m += CASE WHEN m.checksum IN $replaces
  THEN {name: $name, checksum: $checksum, appliedAt: datetime($applied_at), replacedChecksum: m.checksum}
  ELSE {} END
"""

Step = Callable[[AsyncDriver, str, int], Awaitable[None]]
"""A `.py` migration's `apply(driver, database, batch_size)`."""


class MigrationError(Exception):
    """The migration files or the graph's record of them are inconsistent, or a migration refused the graph."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]
    checksum: str
    step: Step | None = None
    """The data step of a `.py` migration (which has no statements)."""
    replaces: frozenset[str] = frozenset()
    """Checksums of earlier forms of this migration: a graph that recorded one runs it again."""

    @property
    def label(self) -> str:
        return f"{self.version:04d}_{self.name}"


@dataclass(frozen=True)
class MigrationStatus:
    applied: tuple[int, ...]
    pending: tuple[Migration, ...]
    changed: tuple[int, ...]
    """Applied migrations whose file no longer matches what was applied."""
    unknown: tuple[int, ...]
    """Applied migrations with no file here (the graph is newer than this code)."""
    replaced: tuple[int, ...] = ()
    """Applied in an earlier form that their file replaces: pending again."""

    @property
    def current(self) -> bool:
        return not (self.pending or self.changed or self.unknown)

    def problem(self) -> str | None:
        if self.changed:
            return f"applied migrations were edited afterwards: {list(self.changed)}"
        if self.unknown:
            return f"the graph has migrations this code does not know: {list(self.unknown)}"
        if self.pending:
            again = f" (applied in an earlier form, to run again: {list(self.replaced)})" if self.replaced else ""
            return f"migrations not applied yet: {[m.version for m in self.pending]}{again}"
        return None


def split_statements(text: str) -> tuple[str, ...]:
    """Statements of a migration file: `//` comment lines dropped, split on a `;` that ends a line."""
    lines = [line for line in text.splitlines() if not line.strip().startswith("//")]
    parts = re.split(r";\s*$", "\n".join(lines), flags=re.MULTILINE)
    return tuple(statement.strip() for statement in parts if statement.strip())


def load_migrations(folder: Path = MIGRATIONS_DIR) -> tuple[Migration, ...]:
    migrations = []
    for path in sorted([*folder.glob("*.cypher"), *folder.glob("*.py")]):
        match = FILE_NAME.match(path.name)
        if match is None:
            raise MigrationError(f"{path.name}: a migration is named NNNN_name.cypher or NNNN_name.py")
        version, name = int(match["version"]), match["name"]
        if match["kind"] == "py":
            migrations.append(_python_migration(path, version, name))
            continue
        statements = split_statements(path.read_text(encoding="utf-8"))
        if not statements:
            raise MigrationError(f"{path.name}: no statements")
        checksum = hashlib.sha256("\n;\n".join(statements).encode()).hexdigest()
        migrations.append(Migration(version, name, statements, checksum))
    migrations.sort(key=lambda m: m.version)
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise MigrationError(f"migrations must be numbered 1, 2, 3, ... once each without gaps; found {versions}")
    return tuple(migrations)


def _python_migration(path: Path, version: int, name: str) -> Migration:
    source = path.read_bytes().replace(b"\r\n", b"\n")  # a checkout with CRLF endings is the same file
    spec = importlib.util.spec_from_file_location(f"sett_migration_{version:04d}_{name}", path)
    if spec is None or spec.loader is None:
        raise MigrationError(f"{path.name}: cannot be loaded as a Python module")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    apply = getattr(module, "apply", None)
    if not inspect.iscoroutinefunction(apply):
        raise MigrationError(f"{path.name}: a Python migration defines `async def apply(driver, database, batch_size)`")
    replaces: object = getattr(module, "REPLACES", frozenset())
    if not (isinstance(replaces, frozenset) and all(isinstance(c, str) for c in replaces)):
        raise MigrationError(f"{path.name}: REPLACES is a frozenset of checksums")
    checksum = hashlib.sha256(source).hexdigest()
    return Migration(version, name, (), checksum, step=cast(Step, apply), replaces=replaces)


async def migration_status(driver: AsyncDriver, database: str, migrations: tuple[Migration, ...]) -> MigrationStatus:
    records, _, _ = await driver.execute_query(APPLIED, database_=database, routing_=RoutingControl.READ)
    applied = {record["version"]: record["checksum"] for record in records}
    known = {m.version: m for m in migrations}
    replaced = tuple(v for v, checksum in sorted(applied.items()) if v in known and checksum in known[v].replaces)
    return MigrationStatus(
        applied=tuple(sorted(applied)),
        pending=tuple(m for m in migrations if m.version not in applied or m.version in replaced),
        changed=tuple(
            v
            for v, checksum in sorted(applied.items())
            if v in known and checksum != known[v].checksum and v not in replaced
        ),
        unknown=tuple(v for v in sorted(applied) if v not in known),
        replaced=replaced,
    )


async def migrate(
    driver: AsyncDriver, database: str, migrations: tuple[Migration, ...], *, batch_size: int = BATCH_SIZE
) -> tuple[Migration, ...]:
    """Applies the pending migrations in order; returns those it applied (none when already current).

    `.py` migrations work in batches of `batch_size` rows. The first migration that fails stops the run
    unrecorded, with a `MigrationError` that names it; those before it stay applied and recorded."""
    await driver.execute_query(BOOTSTRAP, database_=database)
    status = await migration_status(driver, database, migrations)
    if status.changed or status.unknown:
        raise MigrationError(str(status.problem()))
    async with driver.session(database=database) as session:
        for migration in status.pending:
            try:
                if migration.step is not None:
                    await migration.step(driver, database, batch_size)
                for statement in migration.statements:
                    await session.execute_write(_run_statement, statement)
            except MigrationError as error:
                raise MigrationError(f"migration {migration.label} was not applied: {error}") from error
            except Neo4jError as error:
                raise MigrationError(
                    f"migration {migration.label} failed and was not recorded ({error.code}): {error.message}"
                ) from error
            await session.execute_write(_record, migration)
    return status.pending


async def _run_statement(tx: AsyncManagedTransaction, statement: str) -> None:
    await (await tx.run(statement)).consume()


async def _record(tx: AsyncManagedTransaction, migration: Migration) -> None:
    applied_at = datetime.now(UTC).isoformat()
    result = await tx.run(
        RECORD,
        version=migration.version,
        name=migration.name,
        checksum=migration.checksum,
        applied_at=applied_at,
        replaces=sorted(migration.replaces),
    )
    await result.consume()
