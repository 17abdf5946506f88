"""`sett import FILE --agency ORI`: an agency's cases and persons from a CSV or JSON Lines file.

Who imports: the operator at the shell, as for `sett token` and `sett seed`, writing for the agency named (as an
analyst of it would: CASES_WRITE in that agency only). The audit entries name the operator (`cli:<OS user>`) and,
with `--as`, the person the import is for.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated

import typer
from neo4j import AsyncDriver
from neo4j.exceptions import DriverError, Neo4jError
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from agencies.models import ORI_PATTERN
from agencies.text import clean_line
from cases.errors import CaseError
from cases.import_service import DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE, ImportSummary, import_records
from cases.imports.reader import Encoding, ImportSource
from cases.imports.rejects import RejectWriter, reject_format_of
from gateway.cli.common import console, errors, fail, interactive, with_driver
from gateway.cli.operator import importer
from gateway.settings import Settings
from graph.agencies import Neo4jAgencyRepository
from graph.driver import UNAVAILABLE, Neo4jConnection
from graph.imports import Neo4jImportRepository
from graph.migrator import load_migrations, migration_status

EXIT_REJECTS = 3
"""The import finished and wrote every other row, but some rows were rejected (listed in the reject file).
0: every row was written or found unchanged; 1: an error stopped the import; 2: the command line was wrong."""
LOG_EVERY_SECONDS = 5.0


def import_file(
    file: Annotated[Path, typer.Argument(help="The CSV (.csv) or JSON Lines (.jsonl, .ndjson) file to import.")],
    agency: Annotated[str, typer.Option(help="ORI of the agency whose records these are: they are imported as its.")],
    form: Annotated[
        Encoding | None, typer.Option("--format", help="csv or jsonl (default: from the file's extension).")
    ] = None,
    batch_size: Annotated[
        int, typer.Option(min=1, max=MAX_BATCH_SIZE, help="Records written per transaction.")
    ] = DEFAULT_BATCH_SIZE,
    rejects: Annotated[
        Path | None,
        typer.Option(help="Where the reject file goes (.jsonl for JSON Lines; default: FILE.rejects.csv)."),
    ] = None,
    on_behalf_of: Annotated[
        str | None, typer.Option("--as", metavar="SUBJECT", help="Who the import is for, named in the audit log.")
    ] = None,
) -> None:
    """Import cases and persons (docs/import-format.md). Importing the same file again changes nothing; a run that
    was stopped at any point finishes the job when run again. Exit 0 when every row was used, 3 when some were
    rejected (see the reject file), 1 on an error."""
    if not ORI_PATTERN.fullmatch(agency):
        raise fail(f"{agency!r} is not an ORI: nine capital letters and digits, such as WASPD0000")
    if not file.is_file():
        raise fail(f"{file} is not a file")
    reject_path = rejects or file.with_name(file.name + ".rejects.csv")
    if reject_path.resolve() == file.resolve():
        raise fail("the reject file would overwrite the file to import; name another with --rejects")
    try:
        source = ImportSource.of_file(file, form)
        subject = clean_line(on_behalf_of, max_chars=200) if on_behalf_of is not None else None
    except (CaseError, ValueError) as error:
        raise fail(f"--as {error}" if isinstance(error, ValueError) else str(error)) from None
    detail: dict[str, object] = {"via": "cli", **({"as": subject} if subject else {})}
    partial = reject_path.with_name(reject_path.name + ".partial")
    for earlier in (reject_path, partial):
        earlier.unlink(missing_ok=True)  # a report of an earlier run must not pass for this one's
    started = time.monotonic()

    async def work(driver: AsyncDriver, connection: Neo4jConnection) -> ImportSummary:
        problem = (await migration_status(driver, connection.database, load_migrations())).problem()
        if problem is not None:
            raise fail(f"{problem}: run `sett db migrate` first")
        if not await Neo4jAgencyRepository(driver, connection.database).exists(agency):
            raise fail(f"no agency {agency!r} in the directory (`sett seed agencies` loads it)")
        with partial.open("w", encoding="utf-8", newline="") as stream:
            writer = RejectWriter(stream, reject_format_of(reject_path))
            with _Progress(file.name) as progress:
                return await import_records(
                    principal=importer(agency),
                    source=source,
                    repository=Neo4jImportRepository(driver, connection.database),
                    on_rejects=writer,
                    batch_size=batch_size,
                    on_progress=progress.show,
                    detail=detail,
                )

    try:
        summary = with_driver(Settings(), work)
    except CaseError as error:
        raise fail(f"{error}{_resume(partial)}") from None
    except (*UNAVAILABLE, DriverError, OSError) as error:
        raise fail(f"the import stopped: {error}{_resume(partial)}") from None
    except Neo4jError as error:
        raise fail(f"the import stopped ({error.code}): {error.message}{_resume(partial)}") from None
    partial.replace(reject_path)
    summary = replace(summary, seconds=time.monotonic() - started)
    console.print(
        f"import of {escape(str(file))} into {agency}: {_counts(summary)} in {summary.seconds:.1f} s "
        f"({summary.rate:.0f} rows/s)"
    )
    if summary.rejected:
        errors.print(f"rows rejected: {summary.rejected}; see {escape(str(reject_path))}")
        raise typer.Exit(EXIT_REJECTS)
    console.print(f"no row rejected ({escape(str(reject_path))} lists none)")


def _counts(summary: ImportSummary) -> str:
    return (
        f"{summary.read} rows read, {summary.written} written ({summary.created} new, {summary.updated} updated), "
        f"{summary.unchanged} unchanged, {summary.rejected} rejected"
    )


def _resume(partial: Path) -> str:
    """What an operator should know of a run that stopped once it had begun writing."""
    if not partial.exists():
        return ""
    return (
        "; every batch committed so far stays, and running the same import again finishes the job "
        f"(the rejects found so far are in {partial})"
    )


@dataclass
class _Progress:
    """A progress bar with rows per second and an ETA at a terminal; a line every few seconds otherwise (CI)."""

    name: str
    _bar: Progress | None = None
    _task: TaskID | None = None
    _last: float = 0.0

    def __enter__(self) -> _Progress:
        if interactive():
            self._bar = Progress(
                TextColumn("importing {task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]} rows/s"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                TextColumn("{task.fields[counts]}"),
                console=console,
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task(self.name, total=None, rate="-", counts="scanning the file")
        self._last = time.monotonic()
        return self

    def __exit__(self, *_: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def show(self, summary: ImportSummary) -> None:
        if self._bar is not None and self._task is not None:
            counts = f"{summary.written} written, {summary.unchanged} unchanged, {summary.rejected} rejected"
            self._bar.update(
                self._task, total=summary.total, completed=summary.read, rate=f"{summary.rate:.0f}", counts=counts
            )
            return
        now = time.monotonic()
        if now - self._last >= LOG_EVERY_SECONDS and summary.read < summary.total:
            self._last = now
            console.print(f"imported {summary.read} of {summary.total} rows ({summary.rate:.0f}/s): {_counts(summary)}")
