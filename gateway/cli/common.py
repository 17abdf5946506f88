"""What the CLI commands share: settings, a driver for one command, console output."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer
from neo4j import AsyncDriver
from rich.console import Console
from rich.markup import escape

from gateway.database import connection_for
from gateway.settings import Settings
from graph.driver import Neo4jConnection, create_driver

T = TypeVar("T")

console = Console(stderr=False, highlight=False, soft_wrap=True)
errors = Console(stderr=True, highlight=False, soft_wrap=True)


def interactive() -> bool:
    """A person at a terminal (progress bars welcome), not CI or a pipe."""
    return sys.stdout.isatty() and os.environ.get("CI", "").lower() not in ("1", "true", "yes")


def with_driver(settings: Settings, work: Callable[[AsyncDriver, Neo4jConnection], Awaitable[T]]) -> T:
    async def main() -> T:
        connection = connection_for(settings)
        driver = create_driver(connection)
        try:
            return await work(driver, connection)
        finally:
            await driver.close()

    return asyncio.run(main())


def fail(message: str, code: int = 1) -> typer.Exit:
    """Prints `message` as it is (it may quote data such as `[b]` that rich would take for markup); returns the
    exit to raise."""
    errors.print(f"[red]error:[/red] {escape(message)}")
    return typer.Exit(code)
