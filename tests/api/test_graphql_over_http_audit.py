"""The graphql-http audit of the GraphQL-over-HTTP specification, run by Node against the live gateway:
no MUST (error) and no SHOULD (warning) may fail. `make test` installs it first (`make http-audit`)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from gateway.settings import PROJECT_ROOT

AUDIT = PROJECT_ROOT / "tools" / "http-audit"
AUDIT_TIMEOUT_SECONDS = 120


def test_the_graphql_http_audit_finds_no_error_and_no_warning(gateway_url: str) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on PATH: the graphql-http audit needs Node.js 18 or later")
    if not (AUDIT / "node_modules" / "graphql-http" / "package.json").is_file():
        pytest.fail(f"graphql-http is not installed in {AUDIT}: run `make http-audit` (`make test` does)")
    run = subprocess.run(
        [node, "audit.mjs", f"{gateway_url}/graphql"],
        cwd=AUDIT,
        capture_output=True,
        text=True,
        timeout=AUDIT_TIMEOUT_SECONDS,
        check=False,
    )
    assert run.stdout.strip(), f"the audit printed nothing (exit {run.returncode}):\n{run.stderr}"
    report = json.loads(run.stdout)
    print("graphql-http audit:", report["total"], "audits,", report["counts"])
    failed = [failure for failure in report["failures"] if failure["status"] in ("warn", "error")]
    assert not failed, "\n".join(
        f"{failure['status']} {failure['id']} {failure['name']}: {failure['reason']}; answered {failure['answer']}"
        for failure in failed
    )
    assert run.returncode == 0, run.stderr
    assert report["counts"]["ok"] > 0
