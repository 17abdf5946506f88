"""`sett seed ...`: reference and demo data."""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from neo4j import AsyncDriver
from rich.progress import Progress

from agencies.fbi_agencies import ParsedAgencies, decode_csv, parse_fbi_agencies
from agencies.federal import FEDERAL_AGENCIES
from agencies.service import SeedReport, seed_agencies
from gateway.cli.common import console, errors, fail, interactive, with_driver
from gateway.settings import Settings
from graph.agencies import Neo4jAgencyRepository
from graph.driver import Neo4jConnection

app = typer.Typer(help="Load reference and demo data (idempotent: loading twice changes nothing).")


@app.callback(invoke_without_command=True)
def seed_all(context: typer.Context) -> None:
    """Without a sub-command: load everything `make run` needs."""
    if context.invoked_subcommand is None:
        agencies(csv=None, strict=False)


@app.command()
def agencies(
    csv: Annotated[Path | None, typer.Option(help="The FBI CDE agency CSV (default: SETT_AGENCIES_CSV).")] = None,
    strict: Annotated[bool, typer.Option(help="Exit with code 2 if any row is unusable.")] = False,
) -> None:
    """Load the FBI Crime Data Explorer agencies and Sett's federal components."""
    settings = Settings()
    path = csv or settings.agencies_csv
    if path.is_dir():
        raise fail(f"{path} is a directory; pass the CSV file itself with --csv")
    if not path.is_file():
        raise fail(f"{path} does not exist; set SETT_AGENCIES_CSV or pass --csv")

    async def work(driver: AsyncDriver, connection: Neo4jConnection) -> tuple[ParsedAgencies, SeedReport]:
        return await load_agencies(driver, connection.database, path)

    parsed, _report = with_driver(settings, work)
    if parsed.problems and strict:
        raise typer.Exit(2)


async def load_agencies(driver: AsyncDriver, database: str, path: Path) -> tuple[ParsedAgencies, SeedReport]:
    """Parses the CSV, reports every unusable row, and loads the usable ones with the federal list."""
    console.print(f"reading agencies from {path}")
    try:
        data = await asyncio.to_thread(path.read_bytes)
        parsed = parse_fbi_agencies(io.StringIO(decode_csv(data), newline=""))
    except OSError as error:
        raise fail(f"{path}: {error.strerror}") from None
    except ValueError as error:
        raise fail(f"{path}: {error}") from None
    for problem in parsed.problems:
        errors.print(f"{path.name} line {problem.line}: {problem.reason}")
    everything = (*parsed.agencies, *FEDERAL_AGENCIES)
    repository = Neo4jAgencyRepository(driver, database)
    if interactive():
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("loading agencies", total=len(everything))
            report = await seed_agencies(
                agencies=everything,
                repository=repository,
                on_progress=lambda done: progress.update(task, completed=done),
            )
    else:
        report = await seed_agencies(
            agencies=everything, repository=repository, on_progress=_every_few_seconds(len(everything))
        )
    console.print(
        f"agencies: {len(parsed.agencies)} of {parsed.rows} FBI rows usable ({len(parsed.problems)} unusable) "
        f"+ {len(FEDERAL_AGENCIES)} federal components; "
        f"{report.created} new, {report.changed} changed, {report.unchanged} unchanged"
    )
    return parsed, report


def _every_few_seconds(total: int, seconds: float = 5.0) -> Callable[[int], None]:
    """Progress for a log, not a terminal: a line every few seconds, so a slow load never looks hung."""
    started = last = time.monotonic()

    def report(done: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= seconds and done < total:
            last = now
            console.print(f"loaded {done} of {total} agencies ({done / (now - started):.0f}/s)")

    return report
