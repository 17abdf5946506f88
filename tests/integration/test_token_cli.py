"""`sett token ...` as an operator runs it: scopes spelled either way, refusals that say why, a header."""

from __future__ import annotations

from gateway.repositories import Repositories
from graph.driver import Neo4jConnection
from tests.support.cli import sett, sett_env

SPD = "WASPD0000"


def issue(env: dict[str, str], *extra: str) -> tuple[int, str, str]:
    result = sett(
        "token", "issue", "--agency", SPD, "--subject", "analyst@spd", "--description", "synthetic", *extra, env=env
    )
    return result.returncode, result.stdout, " ".join(result.stderr.split())


def test_scopes_are_taken_as_graphql_spells_them_or_as_a_jwt_does(
    repos: Repositories, neo4j_connection: Neo4jConnection
) -> None:
    env = sett_env(neo4j_connection)
    code, out, err = issue(env, "--role", "SUPERVISOR", "--scope", "CASES_READ", "--scope", "audit:read")
    assert code == 0, err
    assert "scopes: AUDIT_READ CASES_READ" in out
    code, _, err = issue(env, "--role", "ANALYST", "--scope", "cases:reed")
    assert code == 2
    assert "no scope 'cases:reed'" in err
    assert "CASES_READ" in err


def test_a_lifetime_out_of_range_is_refused(repos: Repositories, neo4j_connection: Neo4jConnection) -> None:
    env = sett_env(neo4j_connection)
    code, _, err = issue(env, "--role", "ANALYST", "--days", "2147483647")
    assert code == 1
    assert "expiresInDays must lie between 1 and 365" in err


def test_the_token_list_has_a_header(repos: Repositories, neo4j_connection: Neo4jConnection) -> None:
    env = sett_env(neo4j_connection)
    assert issue(env, "--role", "ANALYST")[0] == 0
    listed = sett("token", "list", "--agency", SPD, env=env)
    assert listed.returncode == 0, listed.stderr
    header, row = listed.stdout.splitlines()
    assert header.split("\t") == ["ID", "TOKEN", "AGENCY", "ROLES", "SCOPES", "STATE", "DESCRIPTION"]
    assert row.split("\t")[2:5] == [SPD, "ANALYST", "CASES_READ,CASES_WRITE"]
