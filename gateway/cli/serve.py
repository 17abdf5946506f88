"""`sett serve`, `sett run` (what `make run` does) and `sett schema`."""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer
import uvicorn
from neo4j import AsyncDriver

from gateway.app import create_app
from gateway.auth.token_cache import BrokeredRevocations
from gateway.broker import broker_for
from gateway.cli.common import console, fail, with_driver
from gateway.cli.demo import seed_demo
from gateway.cli.seed import load_agencies
from gateway.database import local_neo4j, uses_local_neo4j
from gateway.logs import configure_logging
from gateway.repositories import Repositories
from gateway.schema import SCHEMA_FILE, schema_sdl
from gateway.settings import Settings
from graph.driver import Neo4jConnection, server_info
from graph.migrator import MigrationError, load_migrations, migrate
from graph.runtime import LocalNeo4jError

HostOption = Annotated[str | None, typer.Option(help="Address to listen on (default: SETT_HOST).")]
PortOption = Annotated[int | None, typer.Option(help="Port to listen on (default: SETT_PORT).")]


def serve(
    host: HostOption = None,
    port: PortOption = None,
) -> None:
    """Serve the API against the configured Neo4j (which must already run)."""
    settings = Settings()
    _serve(settings, host or settings.host, port or settings.port)


def run(
    host: HostOption = None,
    port: PortOption = None,
) -> None:
    """Start Neo4j (unless NEO4J_URI is set), apply migrations, load demo data, serve; Ctrl-C stops it all."""
    settings = Settings()
    runtime = local_neo4j(settings, owner_pid=os.getpid()) if uses_local_neo4j(settings) else None
    started_here = runtime is not None and not runtime.status().running
    try:
        if runtime is not None:
            console.print("starting Neo4j (the first start fetches its jars)...")
            runtime.start()
        with_driver(settings, lambda driver, connection: _prepare(driver, connection, settings))
        _serve(settings, host or settings.host, port or settings.port)
    except (LocalNeo4jError, MigrationError) as error:
        raise fail(str(error)) from None
    finally:
        if runtime is not None and started_here:
            runtime.stop()
            console.print("Neo4j stopped")


def schema(
    check: Annotated[bool, typer.Option(help="Exit 1 if gateway/schema.graphql differs from the code.")] = False,
    write: Annotated[bool, typer.Option(help="Write the schema to gateway/schema.graphql.")] = False,
) -> None:
    """Print the GraphQL schema (SDL), or check or write the committed copy."""
    sdl = schema_sdl()
    if check:
        if not SCHEMA_FILE.exists() or SCHEMA_FILE.read_text() != sdl:
            raise fail(f"{SCHEMA_FILE} is stale: run `sett schema --write` and review the diff")
        console.print(f"{SCHEMA_FILE.name} is current")
    elif write:
        SCHEMA_FILE.write_text(sdl)
        console.print(f"wrote {SCHEMA_FILE}")
    else:
        print(sdl, end="")


async def _prepare(driver: AsyncDriver, connection: Neo4jConnection, settings: Settings) -> None:
    info = await server_info(driver, connection)
    console.print(f"Neo4j: {info.name} {info.version} {info.edition} at {connection.uri}")
    applied = await migrate(driver, connection.database, load_migrations())
    console.print(f"migrations: {len(applied)} applied now, all current")
    await load_agencies(driver, connection.database, settings.agencies_csv)
    if settings.development:
        broker = broker_for(settings.broker_url)
        try:
            personas = await seed_demo(Repositories.on(driver, connection.database), BrokeredRevocations(broker))
        finally:
            await broker.close()
        console.print("demo personas (synthetic data; new tokens each run, valid 7 days; paste into a shell):")
        for persona, secret in personas:
            console.print(f"  export {persona.name.upper()}={secret}  # {persona.about} ({persona.agency_id})")


def _serve(settings: Settings, host: str, port: int) -> None:
    configure_logging(settings.log_level)
    base = f"http://{host}:{port}"
    console.print(f"Sett {settings.environment.value} serving:")
    console.print(f"  GraphQL   {base}/graphql" + ("  (GraphiQL in a browser)" if settings.development else ""))
    console.print(f"  liveness  {base}/healthz")
    console.print(f"  readiness {base}/readyz")
    uvicorn.run(create_app(settings), host=host, port=port, **server_options())


def server_options() -> dict[str, Any]:
    """How uvicorn serves the gateway, here and in the tests. Its own proxy-header handling is off: it would take
    `X-Forwarded-For` for the client whenever the peer is 127.0.0.1 (its `FORWARDED_ALLOW_IPS`), while the
    gateway believes the header only from `SETT_TRUSTED_PROXIES` (see `gateway/auth/client_address.py`)."""
    return {"log_config": None, "access_log": False, "proxy_headers": False}
