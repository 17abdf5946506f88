"""Opaque Sett tokens: `sett_` and 32 random bytes, shown once, stored only as a hash."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime
from functools import cached_property

from pydantic import BaseModel, ConfigDict

from agencies.principals import AuthMethod, Principal, Role, Scope, scopes_for

PREFIX = "sett_"
TOKEN_PATTERN = re.compile(r"^sett_[A-Za-z0-9_-]{43}$")


class TokenRecord(BaseModel):
    """What is stored of a token: never the secret itself."""

    model_config = ConfigDict(frozen=True)

    id: str
    hash: str
    display: str
    """The first characters of the secret, enough for a person to tell tokens apart."""
    agency_id: str
    subject: str
    roles: frozenset[Role]
    scopes: frozenset[Scope]
    expires_at: datetime
    created_at: datetime
    created_by: str
    description: str
    revoked_at: datetime | None = None

    def usable_at(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at

    @cached_property
    def principal(self) -> Principal:
        """Built once per record: a cached record serves every request of its token without rebuilding it."""
        return Principal(
            subject=self.subject,
            agency_id=self.agency_id,
            roles=self.roles,
            scopes=scopes_for(self.roles, self.scopes),
            method=AuthMethod.SETT_TOKEN,
            token_id=self.id,
            expires_at=self.expires_at,
        )


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def looks_like_sett_token(credential: str) -> bool:
    return TOKEN_PATTERN.fullmatch(credential) is not None


def hash_secret(secret: str) -> str:
    """SHA-256 suffices: the secret has 256 bits of entropy, so there is nothing to guess or to stretch."""
    return hashlib.sha256(secret.encode()).hexdigest()
