"""Turning the bearer credential of a request into a principal."""

from __future__ import annotations

from agencies.errors import Unauthenticated
from agencies.ports import TokenRepository
from agencies.principals import Principal, principal_from_claims
from agencies.service import authenticate_token
from agencies.tokens import PREFIX, looks_like_sett_token
from gateway.auth.jwt import JwtVerifier
from gateway.auth.token_cache import TokenCache


class Authenticator:
    def __init__(self, *, tokens: TokenRepository, jwt: JwtVerifier, cache: TokenCache | None = None) -> None:
        self._tokens = tokens
        self._jwt = jwt
        self._cache = cache

    async def principal(self, authorization: str) -> Principal:
        scheme, _, credential = authorization.partition(" ")
        credential = credential.strip()
        if scheme.lower() != "bearer" or not credential:
            raise Unauthenticated("use the header `Authorization: Bearer <token>`")
        if credential.startswith(PREFIX):
            principal = (
                await authenticate_token(secret=credential, tokens=self._tokens, cache=self._cache)
                if looks_like_sett_token(credential)
                else None
            )
            if principal is None:
                raise Unauthenticated("the token is unknown, expired or revoked")
            return principal
        if not self._jwt.configured:
            raise Unauthenticated("no identity provider is configured for JWTs")
        try:
            return principal_from_claims(await self._jwt.claims(credential))
        except (ValueError, TypeError, OverflowError) as error:
            raise Unauthenticated(f"the JWT claims are unusable: {error}") from None
