"""Bearer credentials: Sett tokens and JWTs, what `me` says, and what stops working at once."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from neo4j import AsyncDriver

from agencies.principals import Role
from gateway.repositories import Repositories
from graph.driver import Neo4jConnection
from tests.support.access import error_code, gql, token_for
from tests.support.graph import query
from tests.support.servers import live_gateway, settings_for_tests

ME = "{ me { subject agencyId roles scopes method tokenExpiresAt } }"
SPD, KCSO = "WASPD0000", "WA0170000"
ISSUER = "https://idp.example.test"
HS_SECRET = "a-development-only-shared-secret-of-32+chars"


async def test_me_describes_the_token_holder(client: httpx.AsyncClient, repos: Repositories) -> None:
    token = await token_for(repos, SPD, Role.ANALYST, subject="analyst-7")
    me = (await gql(client, ME, token=token))["data"]["me"]
    assert me["subject"] == "analyst-7"
    assert me["agencyId"] == SPD
    assert me["roles"] == ["ANALYST"]
    assert me["scopes"] == ["CASES_READ", "CASES_WRITE"]
    assert me["method"] == "SETT_TOKEN"
    assert me["tokenExpiresAt"] is not None


async def test_a_login_is_audited_once_not_on_every_request(
    client: httpx.AsyncClient, repos: Repositories, graph: AsyncDriver
) -> None:
    token = await token_for(repos, SPD, Role.ANALYST, subject="analyst-8")
    for _ in range(3):
        assert (await gql(client, ME, token=token))["status"] == 200
    logins = await query(
        graph, "neo4j", "MATCH (e:AuditEntry {kind: 'auth.login', actor: 'analyst-8'}) RETURN e.agencyId AS agency"
    )
    assert logins == [{"agency": SPD}]


async def test_without_a_credential_only_public_fields_answer(client: httpx.AsyncClient, repos: Repositories) -> None:
    assert error_code(await gql(client, ME)) == "UNAUTHENTICATED"
    assert (await gql(client, "{ service { name } }"))["data"] == {"service": {"name": "sett"}}


async def test_a_revoked_token_stops_on_the_very_next_request(client: httpx.AsyncClient, repos: Repositories) -> None:
    supervisor = await token_for(repos, SPD, Role.SUPERVISOR)
    issued = await gql(
        client,
        'mutation { issueToken(subject: "bot", roles: [ANALYST], description: "nightly export") '
        "{ secret token { id display agencyId } } }",
        token=supervisor,
    )
    secret = issued["data"]["issueToken"]["secret"]
    token_id = issued["data"]["issueToken"]["token"]["id"]
    assert secret.startswith("sett_")
    assert (await gql(client, ME, token=secret))["data"]["me"]["agencyId"] == SPD

    listed = await gql(client, "{ tokens { id display } }", token=supervisor)
    assert secret not in json.dumps(listed)
    revoked = await gql(
        client, "mutation($id: ID!) { revokeToken(id: $id) { revokedAt } }", {"id": token_id}, token=supervisor
    )
    assert revoked["data"]["revokeToken"]["revokedAt"] is not None

    refused = await gql(client, ME, token=secret)
    assert refused["status"] == 401
    assert error_code(refused) == "UNAUTHENTICATED"


async def test_an_expired_token_is_refused(client: httpx.AsyncClient, repos: Repositories, graph: AsyncDriver) -> None:
    token = await token_for(repos, SPD, Role.ANALYST, lifetime=timedelta(minutes=1))
    assert (await gql(client, ME, token=token))["status"] == 200
    await query(graph, "neo4j", "MATCH (t:Token) SET t.expiresAt = datetime() - duration('PT1S')")
    assert (await gql(client, ME, token=token))["status"] == 401


async def test_a_token_cannot_act_for_another_agency(client: httpx.AsyncClient, repos: Repositories) -> None:
    supervisor = await token_for(repos, SPD, Role.SUPERVISOR)
    for_other = await gql(
        client,
        f'mutation {{ issueToken(agencyId: "{KCSO}", subject: "x", roles: [ANALYST], description: "d") {{ secret }} }}',
        token=supervisor,
    )
    assert error_code(for_other) == "FORBIDDEN"
    escalate = await gql(
        client, 'mutation { issueToken(subject: "x", roles: [ADMIN], description: "d") { secret } }', token=supervisor
    )
    assert error_code(escalate) == "FORBIDDEN"
    other = await token_for(repos, KCSO, Role.SUPERVISOR)
    mine = await gql(client, "{ tokens { id agencyId } }", token=supervisor)
    theirs = await gql(client, "{ tokens { id agencyId } }", token=other)
    assert {t["agencyId"] for t in mine["data"]["tokens"]} == {SPD}
    other_id = theirs["data"]["tokens"][0]["id"]
    cross_revoke = await gql(
        client, "mutation($id: ID!) { revokeToken(id: $id) { id } }", {"id": other_id}, token=supervisor
    )
    assert error_code(cross_revoke) == "NOT_FOUND"


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def jwks_file(rsa_key: rsa.RSAPrivateKey, tmp_path_factory: pytest.TempPathFactory) -> Path:
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key.public_key()))
    path = tmp_path_factory.mktemp("idp") / "jwks.json"
    path.write_text(json.dumps({"keys": [{**public, "kid": "idp-1", "use": "sig", "alg": "RS256"}]}))
    return path


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    return {
        "sub": "detective-42",
        "ori": SPD,
        "roles": ["ANALYST"],
        "sworn": True,
        "part23_certified": True,
        "iss": ISSUER,
        "aud": "sett",
        "iat": now,
        "exp": now + 600,
        **overrides,
    }


@pytest.fixture
def jwt_gateway(
    jwks_file: Path, neo4j_connection: Neo4jConnection, graph: AsyncDriver, request: pytest.FixtureRequest
) -> Iterator[str]:
    environment = getattr(request, "param", "test")
    settings = settings_for_tests(
        environment=environment, jwt_jwks=str(jwks_file), jwt_issuer=ISSUER, jwt_hs256_secret=HS_SECRET
    )
    with live_gateway(settings, neo4j_connection) as url:
        yield url


async def test_a_signed_jwt_from_the_identity_provider_is_a_principal(
    jwt_gateway: str, rsa_key: rsa.RSAPrivateKey
) -> None:
    token = jwt.encode(claims(), rsa_key, algorithm="RS256", headers={"kid": "idp-1"})
    async with httpx.AsyncClient(base_url=jwt_gateway) as http:
        me = (await gql(http, "{ me { subject agencyId roles method } }", token=token))["data"]["me"]
    assert me == {"subject": "detective-42", "agencyId": SPD, "roles": ["ANALYST"], "method": "JWT"}


@pytest.mark.parametrize(
    "bad",
    [
        {"aud": "someone-else"},
        {"iss": "https://evil.example.test"},
        {"exp": int(time.time()) - 60},
        {"ori": "not-an-ori"},
        {"roles": ["DICTATOR"]},
        {"roles": ["ADMIN"]},
        {"roles": [["ANALYST"]]},
        {"ori": "WASPD0000\n"},
    ],
)
async def test_jwts_with_bad_claims_are_refused(
    jwt_gateway: str, rsa_key: rsa.RSAPrivateKey, bad: dict[str, Any]
) -> None:
    token = jwt.encode(claims(**bad), rsa_key, algorithm="RS256", headers={"kid": "idp-1"})
    async with httpx.AsyncClient(base_url=jwt_gateway) as http:
        assert (await gql(http, ME, token=token))["status"] == 401


async def test_a_token_issued_with_a_jwt_never_outlives_it(
    jwt_gateway: str, rsa_key: rsa.RSAPrivateKey, repos: Repositories
) -> None:
    expiry = int(time.time()) + 300
    token = jwt.encode(claims(roles=["SUPERVISOR"], exp=expiry), rsa_key, algorithm="RS256", headers={"kid": "idp-1"})
    async with httpx.AsyncClient(base_url=jwt_gateway) as http:
        issued = await gql(
            http,
            'mutation { issueToken(subject: "s", roles: [ANALYST], description: "d", expiresInDays: 30) '
            "{ token { expiresAt } } }",
            token=token,
        )
    assert issued.get("errors") is None, issued
    expires_at = issued["data"]["issueToken"]["token"]["expiresAt"]
    assert datetime.fromisoformat(expires_at).timestamp() <= expiry


async def test_unsigned_and_foreign_key_jwts_are_refused(jwt_gateway: str) -> None:
    unsigned = jwt.encode(claims(), key="", algorithm="none")
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(claims(), stranger, algorithm="RS256", headers={"kid": "idp-1"})
    async with httpx.AsyncClient(base_url=jwt_gateway) as http:
        for token in (unsigned, forged):
            assert (await gql(http, ME, token=token))["status"] == 401


async def test_hs256_is_refused_outside_development(jwt_gateway: str) -> None:
    token = jwt.encode(claims(), HS_SECRET, algorithm="HS256")
    async with httpx.AsyncClient(base_url=jwt_gateway) as http:
        refused = await gql(http, ME, token=token)
    assert refused["status"] == 401
    assert "development only" in refused["errors"][0]["message"]


@pytest.mark.parametrize("jwt_gateway", ["development"], indirect=True)
async def test_hs256_is_accepted_in_development(jwt_gateway: str) -> None:
    token = jwt.encode(claims(), HS_SECRET, algorithm="HS256")
    async with httpx.AsyncClient(base_url=jwt_gateway) as http:
        assert (await gql(http, ME, token=token))["data"]["me"]["agencyId"] == SPD
