"""The ASGI application: `/graphql`, `/import`, `/dashboard`, `/healthz`, `/readyz` and `/metrics`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import replace

from cryptography.fernet import Fernet
from neo4j import AsyncDriver
from neo4j.exceptions import DriverError, Neo4jError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from gateway.auth.authenticate import Authenticator
from gateway.auth.jwt import JwtVerifier
from gateway.auth.limiter import FailureLimiter
from gateway.auth.middleware import AuthenticationMiddleware
from gateway.auth.token_cache import REVOKED_CHANNEL, BrokeredRevocations, TokenCache
from gateway.bounded_execution import bounded_execution
from gateway.broker import broker_for
from gateway.context import Context, stated_purpose
from gateway.dashboard.pages import Dashboard
from gateway.dashboard.session import Site
from gateway.database import connection_for
from gateway.errors import http_error
from gateway.graphiql import GraphiQL
from gateway.graphql_http import GraphQLEndpoint
from gateway.imports import IMPORT_PATH, ImportEndpoint
from gateway.metrics import Metrics, metrics_endpoint
from gateway.observe import ObservingMiddleware
from gateway.repositories import Repositories
from gateway.schema import schema
from gateway.settings import Environment, Settings
from gateway.trusted_documents import Trust
from graph.auth_failures import Neo4jFailureCounts
from graph.driver import Neo4jConnection, create_driver, server_info
from graph.migrator import Migration, load_migrations, migration_status

log = logging.getLogger("sett.gateway")


def context_factory(settings: Settings) -> Callable[[Request], Awaitable[Context]]:
    async def context(request: Request) -> Context:
        return Context(
            request=request,
            settings=settings,
            repositories=request.app.state.repositories,
            revocations=request.app.state.revocations,
            principal=getattr(request.state, "principal", None),
            purpose=stated_purpose(request),
            sealer=request.app.state.sealer,
        )

    return context


def create_app(settings: Settings, connection: Neo4jConnection | None = None) -> Starlette:
    """Builds the app; `connection` defaults to the Neo4j the settings name (or the local one)."""
    migrations = load_migrations()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # The gateway's retry budget is its own, whoever made the connection: past it, a request answers 503.
        target = replace(connection or connection_for(settings), retry_seconds=settings.neo4j_retry_seconds)
        app.state.connection = target
        app.state.driver = create_driver(target)
        on_disclosures = metrics.disclosures_written if metrics else None
        app.state.repositories = Repositories.on(app.state.driver, target.database, on_disclosures=on_disclosures)
        broker = broker_for(settings.broker_url)
        cache = TokenCache(trusted=lambda: broker.hears_all)
        broker.subscribe(REVOKED_CHANNEL, cache.forget, on_gap=cache.clear)
        await broker.start()
        app.state.revocations = BrokeredRevocations(broker, cache)
        secret = settings.cursor_secret.get_secret_value() if settings.cursor_secret else Fernet.generate_key()
        app.state.sealer = Fernet(secret)
        app.state.authenticator = Authenticator(tokens=app.state.repositories.tokens, jwt=jwt, cache=cache)
        app.state.limiter = FailureLimiter(
            settings.failure_rules,
            Neo4jFailureCounts(app.state.driver, target.database),
            timeout_seconds=target.timeout_seconds,
        )
        log.info("gateway started", extra={"neo4j": target.uri, "environment": settings.environment.value})
        try:
            yield
        finally:
            await broker.close()
            await app.state.driver.close()
            log.info("gateway stopped")

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "alive"})

    async def readyz(request: Request) -> Response:
        reason = await _not_ready_reason(request.app.state.driver, request.app.state.connection, migrations)
        if reason is None:
            return JSONResponse({"status": "ready"})
        log.warning("not ready", extra={"reason": reason})
        return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)

    jwt = JwtVerifier(settings)
    metrics = Metrics() if settings.metrics else None  # one registry per app: several may run in one process
    ide = GraphiQL(settings.graphiql_assets) if settings.development else None
    graphql = GraphQLEndpoint(
        schema._schema,
        context=context_factory(settings),
        executor=bounded_execution(settings.max_parallel_root_fields),
        ide=ide,
        limits=settings.operation_limits,
        trust=Trust.for_settings(settings),
    )
    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/graphql", graphql),  # every method: the endpoint answers those it does not serve itself
        Route(
            IMPORT_PATH,
            ImportEndpoint(max_bytes=settings.import_max_bytes, batch_size=settings.import_batch_size).answer,
            methods=["POST"],
        ),
        *(ide.routes() if ide else []),
        *Dashboard(Site(settings.public_url, always_secure=settings.environment is Environment.PRODUCTION)).routes(),
    ]
    if metrics is not None:
        routes.append(Route("/metrics", metrics_endpoint(metrics, settings.metrics_clients), methods=["GET"]))
    return Starlette(
        debug=False,
        routes=routes,
        middleware=[
            Middleware(ObservingMiddleware, metrics=metrics),
            Middleware(AuthenticationMiddleware, trusted_proxies=settings.trusted_proxies),
        ],
        exception_handlers={HTTPException: http_error},
        lifespan=lifespan,
    )


async def _not_ready_reason(
    driver: AsyncDriver, connection: Neo4jConnection, migrations: tuple[Migration, ...]
) -> str | None:
    try:
        await server_info(driver, connection)
        async with asyncio.timeout(connection.timeout_seconds):
            status = await migration_status(driver, connection.database, migrations)
    except (DriverError, OSError, TimeoutError):
        return f"Neo4j at {connection.uri} does not answer"
    except Neo4jError as error:
        return f"Neo4j answered with an error: {error.code}"
    return status.problem()
