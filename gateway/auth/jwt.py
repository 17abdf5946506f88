"""Verifying JWTs from agency identity providers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jwt

from agencies.errors import Unauthenticated
from gateway.auth.jwks import RemoteKeySet, fetch_from
from gateway.settings import Settings

ASYMMETRIC = ["RS256", "ES256"]


class JwtVerifier:
    """Checks signature, issuer, audience and expiry; `alg: none` and unlisted algorithms are refused.

    HS256 is accepted only in development, and only when a shared secret is configured.
    """

    def __init__(self, settings: Settings) -> None:
        self._issuer = settings.jwt_issuer
        self._audience = settings.jwt_audience
        self._remote: RemoteKeySet | None = None
        self._keys: dict[str, jwt.PyJWK] = {}
        source = settings.jwt_jwks
        if source and source.startswith("https://"):
            self._remote = RemoteKeySet(fetch_from(source))
        elif source:
            key_set = jwt.PyJWKSet.from_dict(json.loads(Path(source).read_text()))
            self._keys = {str(key.key_id): key for key in key_set.keys}
        secret = settings.jwt_hs256_secret
        self._hs256 = secret.get_secret_value() if secret is not None and settings.development else None
        self._issuer_required = not settings.development

    @property
    def configured(self) -> bool:
        return bool(self._remote or self._keys or self._hs256)

    async def claims(self, token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise Unauthenticated("the bearer credential is neither a Sett token nor a JWT") from None
        if self._issuer is None and self._issuer_required:
            raise Unauthenticated("JWTs are refused: no issuer is configured (SETT_JWT_ISSUER)")
        algorithm = header.get("alg")
        if algorithm == "HS256":
            if self._hs256 is None:
                raise Unauthenticated("HS256 tokens are accepted in development only")
            key: Any = self._hs256
        elif algorithm in ASYMMETRIC:
            key = await self._public_key(header.get("kid"))
        else:
            raise Unauthenticated(f"JWT algorithm {algorithm!r} is not accepted")
        try:
            return jwt.decode(
                token,
                key=key,
                algorithms=[algorithm],
                audience=self._audience,
                issuer=self._issuer,
                options={"require": ["exp", "sub", "aud"] + (["iss"] if self._issuer else [])},
            )
        except jwt.PyJWTError as error:
            raise Unauthenticated(f"the JWT was refused: {error}") from None

    async def _public_key(self, key_id: object) -> Any:
        if self._remote is not None:
            key = await self._remote.key(str(key_id) if key_id is not None else None)
        else:
            key = self._keys.get(str(key_id))
        if key is None:
            raise Unauthenticated("the JWT names no known key (kid)")
        return key.key
