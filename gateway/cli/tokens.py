"""`sett token ...`: issue, list and revoke Sett tokens from the command line."""

from __future__ import annotations

from typing import Annotated

import typer
from neo4j import AsyncDriver

from agencies import service
from agencies.errors import AgencyError
from agencies.principals import Role, Scope
from agencies.token_rules import MAX_LIFETIME, lifetime_of
from agencies.tokens import TokenRecord
from gateway.auth.token_cache import BrokeredRevocations
from gateway.broker import broker_for
from gateway.cli.common import console, errors, fail, with_driver
from gateway.cli.operator import operator
from gateway.repositories import Repositories
from gateway.settings import Settings
from graph.driver import Neo4jConnection

app = typer.Typer(help="Sett tokens: issue (the secret is shown once), list, revoke.", no_args_is_help=True)


@app.command()
def issue(
    agency: Annotated[str, typer.Option(help="ORI of the agency the token acts for.")],
    subject: Annotated[str, typer.Option(help="Who or what uses the token.")],
    description: Annotated[str, typer.Option(help="What the token is for.")],
    role: Annotated[list[Role], typer.Option(help="A role; repeat for several.")],
    scope: Annotated[
        list[Scope] | None,
        typer.Option(
            parser=Scope.named,
            metavar="SCOPE",
            help=f"Narrow to these scopes ({', '.join(s.name for s in Scope)}; `cases:read` works too); repeat.",
        ),
    ] = None,
    days: Annotated[int, typer.Option(help=f"Days until it expires, 1 to {MAX_LIFETIME.days}.")] = 30,
) -> None:
    """Issue a token and print its secret: it is shown this once and stored only as a hash."""

    async def work(driver: AsyncDriver, connection: Neo4jConnection) -> service.IssuedToken:
        repositories = Repositories.on(driver, connection.database)
        return await service.issue_token(
            principal=operator(),
            agency_id=agency,
            subject=subject,
            roles=frozenset(role),
            scopes=frozenset(scope) if scope else None,
            description=description,
            lifetime=lifetime_of(days),
            tokens=repositories.tokens,
            agencies=repositories.agencies,
        )

    try:
        issued = with_driver(Settings(), work)
    except AgencyError as error:
        raise fail(str(error)) from None
    record = issued.record
    console.print(f"token {record.id} for {agency}, expires {record.expires_at:%Y-%m-%d %H:%M} UTC")
    console.print(f"scopes: {' '.join(sorted(s.name for s in record.principal.scopes))}")
    for warning in issued.warnings:
        errors.print(f"[yellow]warning:[/yellow] {warning}")
    console.print(issued.secret)


@app.command("list")
def list_tokens(agency: Annotated[str | None, typer.Option(help="Only this agency's tokens.")] = None) -> None:
    """List tokens (never their secrets)."""

    async def work(driver: AsyncDriver, connection: Neo4jConnection) -> list[TokenRecord]:
        repositories = Repositories.on(driver, connection.database)
        return await service.list_tokens(principal=operator(), agency_id=agency, tokens=repositories.tokens)

    records = with_driver(Settings(), work)
    if not records:
        console.print("no tokens")
        return
    # Tab-separated for scripts and people alike; echoed as is (rich would expand tabs and read markup).
    typer.echo("\t".join(("ID", "TOKEN", "AGENCY", "ROLES", "SCOPES", "STATE", "DESCRIPTION")))
    for record in records:
        state = (
            f"revoked {record.revoked_at:%Y-%m-%d}" if record.revoked_at else f"expires {record.expires_at:%Y-%m-%d}"
        )
        roles = ",".join(sorted(record.roles))
        scopes = ",".join(sorted(s.name for s in record.principal.scopes))
        typer.echo("\t".join((record.id, record.display, record.agency_id, roles, scopes, state, record.description)))


@app.command()
def revoke(token_id: Annotated[str, typer.Argument(help="The token's id (from `sett token list`).")]) -> None:
    """Revoke a token: the very next request that uses it is refused."""

    settings = Settings()

    async def work(driver: AsyncDriver, connection: Neo4jConnection) -> TokenRecord:
        repositories = Repositories.on(driver, connection.database)
        broker = broker_for(settings.broker_url)
        try:
            return await service.revoke_token(
                principal=operator(),
                token_id=token_id,
                tokens=repositories.tokens,
                notice=BrokeredRevocations(broker),
            )
        finally:
            await broker.close()

    try:
        revoked = with_driver(settings, work)
    except AgencyError as error:
        raise fail(str(error)) from None
    console.print(f"token {revoked.id} revoked")
    if settings.broker_url is None:
        errors.print(
            "[yellow]warning:[/yellow] SETT_BROKER_URL is not set here, so no gateway was told: gateways without a "
            "broker refuse the token at once, but gateways that use one refuse it only when their cached copy "
            "ends (within a minute). Set SETT_BROKER_URL to the gateways' broker to make it immediate everywhere."
        )
