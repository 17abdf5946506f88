"""The `sett` command line."""

from __future__ import annotations

import typer

from gateway.cli import audit, db, documents, imports, retention, seed, serve, tokens

app = typer.Typer(
    help="Sett: the coordination gateway for the National Strategy to Combat Human Trafficking.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(seed.app, name="seed")
app.add_typer(tokens.app, name="token")
app.add_typer(audit.app, name="audit")
app.add_typer(retention.app, name="retention")
app.command("serve")(serve.serve)
app.command("run")(serve.run)
app.command("schema")(serve.schema)
app.command("documents")(documents.documents)
app.command("import")(imports.import_file)
