"""GraphiQL in development, whole from Sett: no asset from another host, a Sett example, the header hints."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from neo4j import AsyncDriver

from agencies.principals import Role
from gateway.repositories import Repositories
from graph.driver import Neo4jConnection
from tests.support.access import token_for
from tests.support.servers import live_gateway, settings_for_tests

BROWSER_SECONDS = 120
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
CONTENT_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


class References(HTMLParser):
    """Every `src` and `href` of a page, and the text of its JSON script blocks by id."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.data: dict[str, str] = {}
        self._json_id: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.urls += [value for name, value in attrs if name in ("src", "href") and value is not None]
        if tag == "script" and found.get("type") == "application/json":
            self._json_id = found.get("id")

    def handle_data(self, data: str) -> None:
        if self._json_id is not None:
            self.data[self._json_id] = self.data.get(self._json_id, "") + data

    def handle_endtag(self, tag: str) -> None:
        self._json_id = None


def references(page: str) -> References:
    parser = References()
    parser.feed(page)
    return parser


@pytest.fixture(scope="module")
def development_url(neo4j_connection: Neo4jConnection, migrated_driver: AsyncDriver) -> Iterator[str]:
    with live_gateway(settings_for_tests(environment="development"), neo4j_connection) as url:
        yield url


async def test_graphiql_is_not_served_outside_development(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers=BROWSER)
    assert response.status_code == 404
    assert "graphiql" not in response.text.lower()
    assert (await client.get("/graphiql/assets/graphiql.min.js")).status_code == 404


async def test_graphiql_references_only_assets_that_sett_serves(development_url: str) -> None:
    async with httpx.AsyncClient(base_url=development_url, timeout=30) as http:
        page = await http.get("/graphql", headers=BROWSER)
        assert page.status_code == 200
        assert page.headers["content-type"] == "text/html; charset=utf-8"
        found = references(page.text)
        for url in re.findall(r"[a-z]+://[^\s\"'<>]*", page.text):
            assert urlsplit(url).hostname in ("localhost", "127.0.0.1"), url
        assets = [url for url in found.urls if not url.startswith("data:")]
        assert len(assets) == 5  # the stylesheet, React, ReactDOM, GraphiQL and Sett's own script
        for url in assets:
            assert url.startswith("/graphiql/assets/"), url
            asset = await http.get(url)
            assert asset.status_code == 200, url
            assert asset.headers["content-type"] == CONTENT_TYPES[Path(url).suffix], url
            assert len(asset.content) > 1_000
        assert "GraphiQL.createFetcher" in (await http.get("/graphiql/assets/sett-graphiql.js")).text
        refused = await http.get("/graphiql/assets/package.json")
        assert refused.status_code == 404  # a fixed list: nothing else of node_modules is reachable
        assert refused.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_graphiql_opens_on_a_sett_example_that_runs_and_the_header_hints(
    development_url: str, repos: Repositories
) -> None:
    async with httpx.AsyncClient(base_url=development_url, timeout=30) as http:
        page = (await http.get("/graphql", headers=BROWSER)).text
        config = json.loads(references(page).data["sett-graphiql-config"])
        assert config["url"] == "/graphql"
        assert "cases(first: 5)" in config["query"]
        assert json.loads(config["headers"]) == {"Authorization": "Bearer <token>", "X-Sett-Purpose": "<why you read>"}

        token = await token_for(repos, "WASPD0000", Role.ANALYST)
        ran = await http.post("/graphql", json={"query": config["query"]}, headers={"Authorization": f"Bearer {token}"})
    me = {"subject": "analyst@WASPD0000", "agencyId": "WASPD0000", "roles": ["ANALYST"]}
    assert ran.json() == {"data": {"me": me, "cases": {"totalCount": 0, "edges": []}}}


async def test_graphiql_says_how_to_install_its_assets_when_they_are_missing(
    neo4j_connection: Neo4jConnection, migrated_driver: AsyncDriver, tmp_path: Path
) -> None:
    settings = settings_for_tests(environment="development", graphiql_assets=tmp_path)
    with live_gateway(settings, neo4j_connection) as url:
        async with httpx.AsyncClient(base_url=url) as http:
            page = await http.get("/graphql", headers=BROWSER)
            asset = await http.get("/graphiql/assets/graphiql.min.js")
    assert page.status_code == 503
    assert "make graphiql" in page.text
    assert str(tmp_path) in page.text
    assert asset.status_code == 404
    assert "make graphiql" in asset.json()["errors"][0]["message"]


def test_graphiql_renders_in_chromium_with_no_host_but_the_gateway_reachable(
    development_url: str, tmp_path: Path
) -> None:
    """A real browser, offline as on a closed network: every host name but the gateway's fails to resolve."""
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("chromium is not installed: `make chromium` (as root it installs Debian's; `make test` does)")
    run = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
            "--disable-gpu",
            f"--user-data-dir={tmp_path}",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--virtual-time-budget=10000",
            "--dump-dom",
            f"{development_url}/graphql",
        ],
        capture_output=True,
        text=True,
        timeout=BROWSER_SECONDS,
        check=False,
    )
    dom = run.stdout
    assert "graphiql-container" in dom, f"GraphiQL did not render:\n{dom[:2000]}\n{run.stderr[-2000:]}"
    rendered = re.sub(r'<script type="application/json".*?</script>', "", dom, flags=re.DOTALL)
    shown = re.sub(r"<[^>]+>", "", rendered)
    assert "query MyCases {" in shown  # the example, in the query editor
    assert '"Authorization": "Bearer &lt;token&gt;"' in shown  # the hint, in the headers editor
    assert "did not load" not in shown
