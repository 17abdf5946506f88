"""The gateway's Prometheus metrics, served at `/metrics` in the text format (or OpenMetrics when asked).

Every app has its own `CollectorRegistry`, so several gateways in one process (as the tests run them) never
register a metric twice. What is counted:

- `sett_graphql_requests_total{operation, outcome}` and `sett_graphql_request_duration_seconds{operation}`:
  each GraphQL request, timed from its arrival to its answer (see `gateway.observe`);
- `sett_graphql_limit_refusals_total{limit}`: requests refused before they ran for passing an operation limit;
- `sett_graphql_errors_total{code}`: the errors the GraphQL endpoint answered, by `extensions.code`;
- `sett_http_requests_total{path, status}`: every HTTP request, its path reduced to the route it reached;
- `sett_disclosures_written_total{kind}`: dissemination records, once committed;
- `sett_neo4j_pool_connections{server, state}` and `sett_neo4j_pool_max_connections`: the driver's pool, read
  when scraped (see `graph.pool`);
- the process (`process_*`), the interpreter (`python_*`) and its garbage collector, from prometheus-client.

Labels stay few whatever clients send. The operation is the name of the operation asked for, `anonymous` for
an unnamed one, `unknown` when the request was refused before its operation was known (for its credential,
or for a document that does not parse or passes a limit, without an `operationName`).
Operation names are chosen by clients, so a name becomes a label only when its operation ran (validated, within
the limits, and in production a trusted document), is a plain GraphQL name of at most 64 characters, and is
among the first `MOST_OPERATIONS` such names; every other is `other`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import choose_encoder
from prometheus_client.gc_collector import GCCollector
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector
from starlette.requests import Request
from starlette.responses import Response

from gateway.auth.client_address import Network, parse_address
from gateway.errors import request_error
from graph.pool import PoolUse, pool_use

log = logging.getLogger("sett.metrics")

OK, ERROR, REFUSED, UNAUTHENTICATED = "ok", "error", "refused", "unauthenticated"
"""Outcomes: ran without errors; ran with errors (or failed: unexpectedly, or with Neo4j out of reach);
refused before it ran (bad input, a limit, a method or media type not served); refused for its credential
(401, or 429 for a blocked one)."""
RAN = frozenset({OK, ERROR})
ANONYMOUS, OTHER, UNKNOWN = "anonymous", "other", "unknown"
MOST_OPERATIONS = 100
OPERATION_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")
ERROR_CODE = re.compile(r"[A-Z][A-Z_]{0,39}")
"""Codes are Sett's own constants; anything else (there should be nothing) is counted as `OTHER`."""
BODY_LIMIT = "bodyBytes"
"""The limit a body too large passed (it is refused with HTTP 413, before there is a document)."""
LIMITS = ("tokens", "depth", "aliases", "directives", "rootFields", "fields", "cost", BODY_LIMIT)
DISCLOSURE_KINDS = {"CASE": "case", "POINTER": "pointer"}
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class OperationLabels:
    """The label of an operation name: the name itself for the first `most` names of operations that ran."""

    def __init__(self, most: int = MOST_OPERATIONS) -> None:
        self._most = most
        self._known: set[str] = set()

    def label(self, name: str | None, *, ran: bool) -> str:
        if name is None:
            return ANONYMOUS
        if name in self._known:
            return name
        if not ran or len(self._known) >= self._most or not OPERATION_NAME.fullmatch(name):
            return OTHER
        self._known.add(name)
        return name


class Metrics:
    """The instruments of one app, on their own registry."""

    def __init__(self, most_operations: int = MOST_OPERATIONS) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        GCCollector(registry=self.registry)
        self.operations = OperationLabels(most_operations)
        self._requests = Counter(
            "sett_graphql_requests",
            "GraphQL requests by operation name and outcome (ok, error, refused, unauthenticated).",
            ["operation", "outcome"],
            registry=self.registry,
        )
        self._latency = Histogram(
            "sett_graphql_request_duration_seconds",
            "Time from a GraphQL request's arrival to its answer, by operation name.",
            ["operation"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self._limits = Counter(
            "sett_graphql_limit_refusals",
            "GraphQL requests refused before they ran for passing an operation limit, by limit.",
            ["limit"],
            registry=self.registry,
        )
        self._errors = Counter(
            "sett_graphql_errors",
            "Errors in the GraphQL endpoint's answers, by extensions.code.",
            ["code"],
            registry=self.registry,
        )
        self._http = Counter(
            "sett_http_requests",
            "HTTP requests by route (other: no route) and status code.",
            ["path", "status"],
            registry=self.registry,
        )
        self._disclosures = Counter(
            "sett_disclosures_written",
            "Dissemination records committed, by kind (case: a case shown; pointer: a pointer to one).",
            ["kind"],
            registry=self.registry,
        )
        for limit in LIMITS:
            self._limits.labels(limit=limit)
        for kind in DISCLOSURE_KINDS.values():
            self._disclosures.labels(kind=kind)
        self._pool = _PoolCollector()
        self.registry.register(self._pool)

    def graphql_request(
        self, *, operation: str, outcome: str, seconds: float, limit: str | None, codes: Sequence[str] = ()
    ) -> None:
        self._requests.labels(operation=operation, outcome=outcome).inc()
        self._latency.labels(operation=operation).observe(seconds)
        if limit is not None:
            self._limits.labels(limit=limit if limit in LIMITS else OTHER).inc()
        for code in codes:
            self._errors.labels(code=code if ERROR_CODE.fullmatch(code) else "OTHER").inc()

    def http_request(self, *, path: str, status: int) -> None:
        self._http.labels(path=path, status=str(status)).inc()

    def disclosures_written(self, rows: Sequence[dict[str, Any]]) -> None:
        """Counts committed dissemination records (the rows `graph.recorded_reads` wrote)."""
        for row in rows:
            self._disclosures.labels(kind=DISCLOSURE_KINDS.get(row.get("kind") or "CASE", OTHER)).inc()

    def render(self, accept: str | None, pool: PoolUse | None) -> tuple[bytes, str]:
        """The exposition the scraper asked for (`Accept`), and its media type."""
        self._pool.use = pool
        encoder, media_type = choose_encoder(accept or "")
        return encoder(self.registry), media_type


def metrics_endpoint(metrics: Metrics, clients: Sequence[Network]) -> Callable[[Request], Awaitable[Response]]:
    """`GET /metrics`: never authenticated (see `gateway.auth.middleware`); when `clients` are given, only
    those networks may read it (the client address as `SETT_TRUSTED_PROXIES` lets it be known), others get 403."""

    async def scrape(request: Request) -> Response:
        if clients:
            address = parse_address(request.state.client)
            if address is None or not any(address in network for network in clients):
                message = "the metrics are served to the networks of SETT_METRICS_CLIENTS only"
                return request_error(403, message, request_id=request.state.request_id, code="FORBIDDEN")
        body, media_type = metrics.render(request.headers.get("accept"), pool_use(request.app.state.driver))
        return Response(body, headers={"Content-Type": media_type})

    return scrape


class _PoolCollector:
    """The driver's connection pool, as last read (on each scrape, just before rendering)."""

    def __init__(self) -> None:
        self.use: PoolUse | None = None
        self._warned = False

    def describe(self) -> Iterator[Metric]:
        yield from self._families()

    def collect(self) -> Iterator[Metric]:
        if self.use is None:
            if not self._warned:
                log.warning("the Neo4j driver does not show its connection pool; the pool metrics are left out")
                self._warned = True
            return
        yield from self._families(self.use)

    def _families(self, use: PoolUse | None = None) -> Iterator[Metric]:
        connections = GaugeMetricFamily(
            "sett_neo4j_pool_connections",
            "Connections the Neo4j driver holds, by server and state (in_use, idle).",
            labels=["server", "state"],
        )
        most = GaugeMetricFamily("sett_neo4j_pool_max_connections", "The driver's bound on connections to each server.")
        if use is not None:
            for server in use.servers:
                connections.add_metric([server.server, "in_use"], server.in_use)
                connections.add_metric([server.server, "idle"], server.idle)
            most.add_metric([], use.most)
        yield connections
        yield most
