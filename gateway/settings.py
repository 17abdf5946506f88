"""Settings of the gateway and the CLI, read from `SETT_...` environment variables (and `NEO4J_...`)."""

from __future__ import annotations

from enum import StrEnum
from ipaddress import ip_network
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from agencies.principals import Scope
from cases.import_service import DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE
from gateway.auth.client_address import Network
from gateway.auth.limiter import FailureRule, FailureRules
from gateway.bounded_execution import PARALLEL_ROOT_FIELDS
from gateway.limits import OperationLimits

PROJECT_ROOT = Path(__file__).resolve().parent.parent


DEFAULT_PORTS = {"http": 80, "https": 443}


def public_origin(url: str) -> str:
    """A URL's origin as a browser writes it in `Origin`: the scheme and host in lower case, and the port only
    when it is not the scheme's default. Only an origin is taken: no path, query, fragment or user."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = -1
    if (
        scheme not in DEFAULT_PORTS
        or not parts.hostname
        or port == -1
        or parts.username is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise ValueError(
            f"{url!r} is not an origin: give the scheme (http or https), host and port only, such as "
            "https://sett.example.gov"
        )
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{scheme}://{host}" + (f":{port}" if port is not None and port != DEFAULT_PORTS[scheme] else "")


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SETT_", frozen=True, extra="ignore")

    environment: Environment = Environment.PRODUCTION
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: str = "INFO"

    neo4j_uri: str | None = Field(
        default=None,
        validation_alias=AliasChoices("SETT_NEO4J_URI", "NEO4J_URI"),
        description="An existing Neo4j server to use; when unset, Sett starts its local one.",
    )
    neo4j_username: str = Field(default="neo4j", validation_alias=AliasChoices("SETT_NEO4J_USERNAME", "NEO4J_USERNAME"))
    neo4j_password: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SETT_NEO4J_PASSWORD", "NEO4J_PASSWORD")
    )
    neo4j_database: str = Field(default="neo4j", validation_alias=AliasChoices("SETT_NEO4J_DATABASE", "NEO4J_DATABASE"))
    neo4j_timeout_seconds: float = Field(default=3.0, gt=0, description="Connection and readiness-check timeout.")
    neo4j_retry_seconds: float = Field(
        default=5.0,
        gt=0,
        description="How long a transaction is retried when Neo4j fails or is out of reach; past it, the request "
        "answers SERVICE_UNAVAILABLE (503) with Retry-After.",
    )

    data_dir: Path = PROJECT_ROOT / ".sett"
    neo4j_bolt_port: int = Field(default=7687, ge=1, le=65535)
    neo4j_heap_mb: int = Field(default=1024, ge=256)
    neo4j_pagecache_mb: int = Field(default=256, ge=32)

    agencies_csv: Path = PROJECT_ROOT / "data" / "fbi_cde_agencies.csv"
    graphiql_assets: Path = Field(
        default=PROJECT_ROOT / "tools" / "graphiql" / "node_modules",
        description="The node_modules folder holding GraphiQL, React and ReactDOM (`make graphiql`); development only.",
    )
    metrics: bool = Field(default=True, description="Serve /metrics (Prometheus), unauthenticated.")
    metrics_clients: Annotated[tuple[Network, ...], NoDecode] = Field(
        default=(),
        description="Client networks (comma-separated) that may read /metrics; any client when empty.",
    )

    jwt_jwks: str | None = Field(
        default=None, description="Keys of the agency identity provider: a JWKS file path or an https URL."
    )
    jwt_issuer: str | None = None
    jwt_audience: str = "sett"
    jwt_hs256_secret: SecretStr | None = Field(
        default=None, description="Shared secret for HS256 JWTs; honoured in development only."
    )
    broker_url: str | None = Field(
        default=None,
        description="Redis URL (redis://host:port/0) that carries token revocations between gateways and the CLI; "
        "without it, tokens are not cached and each request looks its token up in Neo4j.",
    )
    cursor_secret: SecretStr | None = Field(
        default=None,
        description="Fernet key (base64, 32 bytes) that seals the cursors of linked-case answers; the same on every "
        "gateway of a deployment. When unset, each process makes its own, and its cursors end with it.",
    )
    max_body_bytes: int = Field(default=OperationLimits.body_bytes, ge=1024, description="Largest request body.")
    import_max_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1024, description="Largest import file sent to POST /import (10 MiB)."
    )
    import_batch_size: int = Field(
        default=DEFAULT_BATCH_SIZE, ge=1, le=MAX_BATCH_SIZE, description="Records per transaction of POST /import."
    )
    max_tokens: int = Field(default=OperationLimits.tokens, ge=100, description="Most tokens in a GraphQL document.")
    max_depth: int = Field(default=OperationLimits.depth, ge=2, description="Deepest nesting of fields.")
    max_aliases: int = Field(default=OperationLimits.aliases, ge=0)
    max_directives: int = Field(default=OperationLimits.directives, ge=0)
    max_root_fields: int = Field(default=OperationLimits.root_fields, ge=1)
    max_parallel_root_fields: int = Field(
        default=PARALLEL_ROOT_FIELDS,
        ge=1,
        description="Root fields of one request at work at once (each is a Neo4j query); the others wait.",
    )
    max_fields: int = Field(
        default=OperationLimits.fields, ge=10, description="Most field selections, fragments expanded."
    )
    max_cost: int = Field(
        default=OperationLimits.cost, ge=10, description="Highest estimated cost (see gateway/limits.py)."
    )
    auth_address_failure_limit: int = Field(
        default=20, ge=1, description="Failed authentications from one client address that block it."
    )
    auth_address_window_seconds: int = Field(default=600, ge=1)
    auth_address_block_seconds: int = Field(default=600, ge=1)
    auth_credential_failure_limit: int = Field(
        default=5, ge=1, description="Failed authentications of one credential that block it."
    )
    auth_credential_window_seconds: int = Field(default=900, ge=1)
    auth_credential_block_seconds: int = Field(default=900, ge=1)
    trusted_proxies: Annotated[tuple[Network, ...], NoDecode] = Field(
        default=(),
        description="Proxies (IP addresses or CIDR networks, separated by commas) whose X-Forwarded-For is "
        "believed; none by default, and the peer's address is the client's.",
    )
    public_url: str | None = Field(
        default=None,
        description="The origin browsers reach the gateway at (scheme, host and port, such as "
        "https://sett.example.gov), when a proxy in front of it terminates TLS or changes the host. The dashboard's "
        "forms must come from it, and its scheme decides whether the dashboard's cookies are Secure. Unset: the "
        "request's own origin, and Secure cookies in production whatever the scheme.",
    )
    arbitrary_documents_scope: Scope | None = Field(
        default=None,
        description="In production, the scope whose holders may send any document, introspect and see "
        "suggestions; everyone else runs only the trusted documents. Unset: nobody.",
    )

    @field_validator("arbitrary_documents_scope", mode="before")
    @classmethod
    def _scope(cls, value: object) -> object:
        if isinstance(value, str):
            return Scope.named(value) if value.strip() else None
        return value

    @field_validator("public_url", mode="before")
    @classmethod
    def _public_origin(cls, value: object) -> object:
        if isinstance(value, str):
            return public_origin(value) if value.strip() else None
        return value

    @field_validator("trusted_proxies", "metrics_clients", mode="before")
    @classmethod
    def _networks(cls, value: object) -> object:
        items = value.replace(",", " ").split() if isinstance(value, str) else value
        if not isinstance(items, list | tuple):
            return value
        return tuple(ip_network(item, strict=False) if isinstance(item, str) else item for item in items)

    @property
    def operation_limits(self) -> OperationLimits:
        return OperationLimits(
            body_bytes=self.max_body_bytes,
            tokens=self.max_tokens,
            depth=self.max_depth,
            aliases=self.max_aliases,
            directives=self.max_directives,
            root_fields=self.max_root_fields,
            fields=self.max_fields,
            cost=self.max_cost,
        )

    @property
    def failure_rules(self) -> FailureRules:
        return FailureRules(
            address=FailureRule(
                limit=self.auth_address_failure_limit,
                window_seconds=self.auth_address_window_seconds,
                block_seconds=self.auth_address_block_seconds,
            ),
            credential=FailureRule(
                limit=self.auth_credential_failure_limit,
                window_seconds=self.auth_credential_window_seconds,
                block_seconds=self.auth_credential_block_seconds,
            ),
        )

    @property
    def development(self) -> bool:
        return self.environment is Environment.DEVELOPMENT

    @property
    def local_neo4j_home(self) -> Path:
        return self.data_dir / "neo4j"
