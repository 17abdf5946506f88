"""`sett retention review` and `sett retention purge`: 28 CFR Part 23 retention of criminal-intelligence records.

The operator runs them at the shell (the purge, typically, once a day from cron). The review lists where each
due record is, for its agency's supervisors to validate (`validateRecord`) or let go; it shows no content. The
purge removes what passed its review date unvalidated and leaves a purge record the owner lists (`purgeRecords`);
the audit entries name the operator (`cli:<OS user>`).
"""

from __future__ import annotations

from typing import Annotated

import typer
from neo4j import AsyncDriver
from neo4j.exceptions import DriverError
from rich.markup import escape

from agencies.models import ORI_PATTERN
from cases.errors import CaseError
from cases.retention import DEFAULT_DUE_WITHIN_DAYS, MAX_DUE_WITHIN_DAYS, DueRecord, PurgeRecord
from cases.retention_service import purge_expired, records_to_purge, records_to_review
from gateway.cli.common import console, fail, with_driver
from gateway.cli.operator import operator_subject
from gateway.settings import Settings
from graph.driver import UNAVAILABLE, Neo4jConnection
from graph.migrator import load_migrations, migration_status
from graph.retention import Neo4jRetentionRepository

app = typer.Typer(help="28 CFR Part 23 retention of criminal-intelligence records.", no_args_is_help=True)

AgencyOption = Annotated[str | None, typer.Option(help="ORI of one agency (default: every agency).")]


def _agency(agency: str | None) -> str | None:
    if agency is not None and not ORI_PATTERN.fullmatch(agency):
        raise fail(f"{agency!r} is not an ORI: nine capital letters and digits, such as WASPD0000")
    return agency


async def _repository(driver: AsyncDriver, connection: Neo4jConnection) -> Neo4jRetentionRepository:
    problem = (await migration_status(driver, connection.database, load_migrations())).problem()
    if problem is not None:
        raise fail(f"{problem}: run `sett db migrate` first")
    return Neo4jRetentionRepository(driver, connection.database)


@app.command()
def review(
    agency: AgencyOption = None,
    within: Annotated[
        int, typer.Option(min=0, max=MAX_DUE_WITHIN_DAYS, help="Days ahead to look (0: due today or overdue).")
    ] = DEFAULT_DUE_WITHIN_DAYS,
) -> None:
    """List the intelligence records whose review date falls within WITHIN days or has passed, soonest first."""
    wanted = _agency(agency)

    async def work(driver: AsyncDriver, connection: Neo4jConnection) -> list[DueRecord]:
        repository = await _repository(driver, connection)
        return await records_to_review(within_days=within, agency_id=wanted, retention=repository)

    try:
        due = with_driver(Settings(), work)
    except CaseError as error:
        raise fail(str(error)) from None
    for record in due:
        validated = record.last_validated_on.isoformat() if record.last_validated_on else "never"
        console.print(
            f"{record.review_due.isoformat()}  {record.owner_agency_id}  case {record.case_id}  "
            f"({escape(record.agency_case_number)})  control official: {escape(record.control_official)}  "
            f"last validated: {validated}"
        )
    console.print(f"{len(due)} intelligence record{'' if len(due) == 1 else 's'} due for review within {within} days")


@app.command()
def purge(
    agency: AgencyOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List what would be purged; purge nothing.")] = False,
) -> None:
    """Purge every intelligence record whose review date has passed without validation: the case, its persons that
    no other case involves, and the identifiers nothing else holds. Each leaves a purge record."""
    wanted = _agency(agency)

    async def work(driver: AsyncDriver, connection: Neo4jConnection) -> list[PurgeRecord] | list[DueRecord]:
        repository = await _repository(driver, connection)
        if dry_run:
            return await records_to_purge(agency_id=wanted, retention=repository)
        return await purge_expired(by=operator_subject(), agency_id=wanted, retention=repository)

    try:
        found = with_driver(Settings(), work)
    except CaseError as error:
        raise fail(str(error)) from None
    except (*UNAVAILABLE, DriverError) as error:
        raise fail(f"the purge stopped: {error}; what was purged stays purged, and running it again goes on") from None
    for record in found:
        if isinstance(record, PurgeRecord):
            console.print(
                f"purged case {record.case_id} of {record.owner_agency_id} (review due "
                f"{record.review_due.isoformat() if record.review_due else '-'}): {record.persons} persons, "
                f"{record.identifiers} identifiers"
            )
        else:
            console.print(
                f"would purge case {record.case_id} of {record.owner_agency_id} (review due {record.review_due})"
            )
    verb = "would purge" if dry_run else "purged"
    console.print(f"{verb} {len(found)} intelligence record{'' if len(found) == 1 else 's'}")
