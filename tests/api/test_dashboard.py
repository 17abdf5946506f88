"""/dashboard over HTTP: sign-in into an HttpOnly, SameSite=Strict cookie, CSRF refusals, nothing from elsewhere,
the cookie a credential on the dashboard only, and the quarterly report as CSV."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import httpx
import pytest
from neo4j import AsyncDriver

from agencies.principals import Role
from gateway.cli.demo_strategy import seed_strategy
from gateway.dashboard.session import CSRF_COOKIE
from gateway.repositories import Repositories
from gateway.settings import Environment
from graph.driver import Neo4jConnection
from tests.support.access import gql, token_for
from tests.support.servers import live_gateway, settings_for_tests

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
PUBLIC = "https://sett.example.gov"


@pytest.fixture(scope="module")
def proxied_gateway_url(neo4j_connection: Neo4jConnection, migrated_driver: AsyncDriver) -> Iterator[str]:
    """A gateway behind a proxy that terminates TLS: browsers reach it at PUBLIC, it sees plain HTTP."""
    with live_gateway(settings_for_tests(public_url=PUBLIC), neo4j_connection) as url:
        yield url


async def signed_in_client(client: httpx.AsyncClient, token: str) -> httpx.Response:
    form = await client.get("/dashboard")
    csrf = CSRF.search(form.text)
    assert csrf is not None
    return await client.post("/dashboard/login", data={"token": token, "csrf": csrf.group(1)})


async def test_signing_in_keeps_the_token_in_an_http_only_strict_cookie(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    strategy_id = await seed_strategy(repos)
    token = await token_for(repos, "USHSI0000", Role.COORDINATOR)
    form = await client.get("/dashboard")
    assert form.status_code == 200
    assert 'type="password"' in form.text
    assert "default-src 'none'" in form.headers["content-security-policy"]
    answer = await signed_in_client(client, token)
    assert answer.status_code == 303
    cookie = next(h for h in answer.headers.get_list("set-cookie") if h.startswith("sett_dashboard="))
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
    assert "Path=/dashboard" in cookie
    home = await client.get("/dashboard")
    assert "coordinator@USHSI0000" in home.text
    assert f"/dashboard/strategies/{strategy_id}" in home.text
    page = await client.get(f"/dashboard/strategies/{strategy_id}")
    assert page.status_code == 200
    assert "<script" not in page.text
    for url in re.findall(r'(?:src|href)="([^"]+)"', page.text):
        assert url.startswith(("/dashboard", "data:", "?", "report")), url
    assert "Demo data" in page.text
    assert "<svg" in page.text


async def test_a_login_without_the_form_token_or_from_another_origin_is_refused(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    token = await token_for(repos, "USHSI0000", Role.COORDINATOR)
    await client.get("/dashboard")  # the CSRF cookie is set
    missing = await client.post("/dashboard/login", data={"token": token, "csrf": "forged"})
    assert missing.status_code == 403
    assert "sett_dashboard=" not in " ".join(missing.headers.get_list("set-cookie")).replace("sett_dashboard_csrf", "")
    csrf = CSRF.search((await client.get("/dashboard")).text)
    assert csrf is not None
    elsewhere = await client.post(
        "/dashboard/login",
        data={"token": token, "csrf": csrf.group(1)},
        headers={"Origin": "https://attacker.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert elsewhere.status_code == 403


async def test_the_cookie_is_no_credential_outside_the_dashboard_and_a_bad_one_signs_out(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    token = await token_for(repos, "USHSI0000", Role.COORDINATOR)
    await signed_in_client(client, token)
    me = await client.post(
        "/graphql", json={"query": "{ me { subject } }"}, headers={"Cookie": f"sett_dashboard={token}"}
    )
    assert me.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    bad = await client.get("/dashboard", headers={"Cookie": "sett_dashboard=sett_not-a-token"})
    assert bad.status_code == 303
    assert bad.headers["location"] == "/dashboard?signed_out=1"


async def test_the_quarterly_report_as_csv_matches_the_api(client: httpx.AsyncClient, repos: Repositories) -> None:
    strategy_id = await seed_strategy(repos)
    token = await token_for(repos, "USOVC0000", Role.NATIONAL_COORDINATOR)
    await signed_in_client(client, token)
    report = await client.get(f"/dashboard/strategies/{strategy_id}/report.csv", params={"asOf": "2026-09-30"})
    assert report.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(report.text)))
    assert len(rows) == 9
    query = """query($id: ID!) { strategy(id: $id, asOf: "2026-09-30") { goals { objectives { indicators {
      title progress { status achieved } latest { value source } } } } } }"""
    body = await gql(client, query, {"id": strategy_id}, token=token)
    indicators = {
        i["title"]: i for g in body["data"]["strategy"]["goals"] for o in g["objectives"] for i in o["indicators"]
    }
    for row in rows:
        api = indicators[row["indicator"]]
        assert row["status"] == api["progress"]["status"]
        assert row["achieved"] == ("" if api["progress"]["achieved"] is None else str(api["progress"]["achieved"]))
        assert row["latest_value"] == (api["latest"]["value"] if api["latest"] else "")
    printable = await client.get(f"/dashboard/strategies/{strategy_id}/report", params={"asOf": "2026-09-30"})
    assert "Q3 2026" in printable.text
    assert "@media print" in printable.text


async def test_behind_a_tls_proxy_sign_in_takes_the_public_origin_and_sets_secure_cookies(
    proxied_gateway_url: str, repos: Repositories
) -> None:
    token = await token_for(repos, "USHSI0000", Role.COORDINATOR)
    async with httpx.AsyncClient(base_url=proxied_gateway_url, timeout=60) as proxy:
        form = await proxy.get("/dashboard")  # the proxy forwards over plain HTTP
        (csrf_cookie,) = [h for h in form.headers.get_list("set-cookie") if h.startswith(f"{CSRF_COOKIE}=")]
        assert "Secure" in csrf_cookie
        csrf = CSRF.search(form.text)
        assert csrf is not None
        # The browser sends its Secure cookie over HTTPS; the proxy passes it on.
        headers = {"Cookie": f"{CSRF_COOKIE}={csrf.group(1)}", "Sec-Fetch-Site": "same-origin"}
        fields = {"token": token, "csrf": csrf.group(1)}
        answer = await proxy.post("/dashboard/login", data=fields, headers={**headers, "Origin": PUBLIC})
        assert answer.status_code == 303
        (session,) = [h for h in answer.headers.get_list("set-cookie") if h.startswith("sett_dashboard=")]
        assert "Secure" in session
        assert "HttpOnly" in session
        inner = await proxy.post("/dashboard/login", data=fields, headers={**headers, "Origin": proxied_gateway_url})
        assert inner.status_code == 403  # the gateway's own address is not where browsers are


async def test_in_production_without_a_public_url_the_cookies_are_secure_even_over_http(
    neo4j_connection: Neo4jConnection, migrated_driver: AsyncDriver
) -> None:
    with live_gateway(settings_for_tests(environment=Environment.PRODUCTION), neo4j_connection) as url:
        async with httpx.AsyncClient(base_url=url, timeout=60) as http:
            form = await http.get("/dashboard")
    (csrf_cookie,) = [h for h in form.headers.get_list("set-cookie") if h.startswith(f"{CSRF_COOKIE}=")]
    assert "Secure" in csrf_cookie


async def test_the_drill_down_keeps_the_day_asked_for_and_every_page_says_which_day_it_shows(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    strategy_id = await seed_strategy(repos)
    await signed_in_client(client, await token_for(repos, "USHSI0000", Role.COORDINATOR))
    day = "2026-09-30"
    page = await client.get(f"/dashboard/strategies/{strategy_id}", params={"asOf": day})
    for drill in ("goal", "objective", "indicator"):
        links = re.findall(rf'data-drill="{drill}" href="([^"]+)"', page.text)
        assert links, drill
        assert all(link.endswith(f"?asOf={day}") for link in links), links
        page = await client.get(links[0])
        assert page.status_code == 200
        assert f"<strong data-as-of>{day}</strong>" in page.text, drill
        assert f'href="/dashboard/strategies/{strategy_id}?asOf={day}"' in page.text  # the way back, same day


async def test_resources_on_a_past_day_are_labelled_as_they_stand_now(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    strategy_id = await seed_strategy(repos)
    await signed_in_client(client, await token_for(repos, "USHSI0000", Role.COORDINATOR))
    today = await client.get(f"/dashboard/strategies/{strategy_id}")
    assert "data-resources-current" not in today.text
    past = await client.get(f"/dashboard/strategies/{strategy_id}", params={"asOf": "2026-06-30"})
    assert re.search(r"<h2>Resources by funding stream <small [^>]*data-resources-current>\(current", past.text)
    goal = re.findall(r'data-drill="goal" href="([^"]+)"', past.text)[0]
    objective = re.findall(r'data-drill="objective" href="([^"]+)"', (await client.get(goal)).text)[0]
    assert re.search(r"<h2>Resources <small [^>]*data-resources-current>", (await client.get(objective)).text)
