"""`sett documents`: list the trusted documents, or check or write their manifest."""

from __future__ import annotations

from typing import Annotated

import typer

from gateway.cli.common import console, errors, fail
from gateway.schema import schema as sett_schema
from gateway.trusted_documents import MANIFEST_FILE, OPERATIONS_DIR, check, manifest_json, problems, sources


def documents(
    check_: Annotated[
        bool,
        typer.Option(
            "--check", help="Exit 1 if a document does not validate, or the manifest is not what the files make."
        ),
    ] = False,
    write: Annotated[
        bool, typer.Option(help="Write gateway/operations/manifest.json from the .graphql files (if they validate).")
    ] = False,
) -> None:
    """List the trusted documents (id and file), or check or write their manifest."""
    graphql_schema = sett_schema._schema
    if check_:
        wrong = check(graphql_schema, OPERATIONS_DIR, MANIFEST_FILE)
        _report(wrong)
        if wrong:
            raise fail(f"the trusted documents need attention: {len(wrong)} problem(s)")
        console.print(f"{MANIFEST_FILE.name} is current, and each of its documents valid")
        return
    found = sources(OPERATIONS_DIR)
    if write:
        wrong = problems(graphql_schema, found)
        _report(wrong)
        if wrong:
            raise fail(f"{len(wrong)} problem(s): {MANIFEST_FILE.name} is left as it was")
        MANIFEST_FILE.write_text(manifest_json(found), encoding="utf-8")
        console.print(f"wrote {MANIFEST_FILE} ({len(found)} documents)")
        return
    for source in found:
        print(f"{source.id}  {source.path}")


def _report(wrong: list[str]) -> None:
    for problem in wrong:
        errors.print(f"{OPERATIONS_DIR.name}/{problem}", markup=False)
