"""`sett db ...`: the local Neo4j and the migrations."""

from __future__ import annotations

import typer
from neo4j import AsyncDriver
from neo4j.exceptions import DriverError

from gateway.cli.common import console, fail, with_driver
from gateway.database import local_neo4j, uses_local_neo4j
from gateway.settings import Settings
from graph.driver import Neo4jConnection, ServerInfo, server_info
from graph.migrator import Migration, MigrationError, load_migrations, migrate
from graph.runtime import LocalNeo4jError

app = typer.Typer(help="The Neo4j database: the local server and the migrations.", no_args_is_help=True)


@app.command()
def install() -> None:
    """Fetch the Neo4j jars and compile the launcher (done by `start` when needed)."""
    try:
        local_neo4j(Settings()).install()
    except LocalNeo4jError as error:
        raise fail(str(error)) from None
    console.print("Neo4j runtime installed")


@app.command()
def start() -> None:
    """Start the local Neo4j (unless NEO4J_URI names another server) and wait until it answers."""
    settings = Settings()
    if not uses_local_neo4j(settings):
        console.print(f"NEO4J_URI is set: using the server at {settings.neo4j_uri}, starting nothing")
        return
    runtime = local_neo4j(settings)
    try:
        status = runtime.start()
    except LocalNeo4jError as error:
        raise fail(str(error)) from None
    console.print(f"Neo4j is running (pid {status.pid}) at {status.uri}, data in {status.home}")


@app.command()
def stop() -> None:
    """Stop the local Neo4j and wait until its process has ended."""
    settings = Settings()
    if not uses_local_neo4j(settings):
        console.print(f"NEO4J_URI is set: the server at {settings.neo4j_uri} is not Sett's to stop")
        return
    stopped = local_neo4j(settings).stop()
    console.print("Neo4j stopped" if stopped else "Neo4j was not running")


@app.command()
def status() -> None:
    """Say whether Neo4j answers, and its version and edition. Exit code 1 when it does not answer."""
    settings = Settings()
    if uses_local_neo4j(settings):
        local = local_neo4j(settings).status()
        if not local.running:
            console.print(f"local Neo4j is not running (data in {local.home})")
            raise typer.Exit(1)
        console.print(f"local Neo4j is running (pid {local.pid}) at {local.uri}")
    try:
        info: ServerInfo = with_driver(settings, server_info)
    except (DriverError, OSError, TimeoutError) as error:
        raise fail(f"Neo4j does not answer: {error}") from None
    console.print(f"{info.name} {info.version} {info.edition}")


@app.command("migrate")
def migrate_command() -> None:
    """Apply the pending migrations in graph/migrations/, in order; applying twice changes nothing."""

    async def work(driver: AsyncDriver, connection: Neo4jConnection) -> tuple[Migration, ...]:
        return await migrate(driver, connection.database, load_migrations())

    try:
        applied = with_driver(Settings(), work)
    except MigrationError as error:
        raise fail(str(error)) from None
    for migration in applied:
        console.print(f"applied {migration.version:04d}_{migration.name}")
    console.print(f"migrations are current ({len(applied)} applied now)")
