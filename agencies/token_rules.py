"""Who may issue which token: no one hands out more than they hold, nor acts for another agency."""

from __future__ import annotations

from datetime import timedelta

from agencies.errors import Forbidden, InvalidInput
from agencies.principals import Principal, Role, Scope, scopes_for

GRANTABLE: dict[Role, frozenset[Role]] = {
    Role.SUPERVISOR: frozenset({Role.SUPERVISOR, Role.ANALYST}),
    Role.NATIONAL_COORDINATOR: frozenset({Role.NATIONAL_COORDINATOR, Role.COORDINATOR}),
}
DEFAULT_LIFETIME = timedelta(days=30)
MAX_LIFETIME = timedelta(days=365)


def lifetime_of(days: int) -> timedelta:
    """A lifetime asked for in whole days, refused (not overflowing) when out of range."""
    if not 1 <= days <= MAX_LIFETIME.days:
        raise InvalidInput(f"expiresInDays must lie between 1 and {MAX_LIFETIME.days}, not {days}")
    return timedelta(days=days)


def check_issue(
    issuer: Principal, *, agency_id: str, roles: frozenset[Role], scopes: frozenset[Scope] | None, lifetime: timedelta
) -> None:
    if not issuer.has(Scope.TOKENS_MANAGE):
        raise Forbidden("issuing tokens needs the TOKENS_MANAGE scope")
    if not roles:
        raise InvalidInput("a token needs at least one role")
    if not timedelta(minutes=1) <= lifetime <= MAX_LIFETIME:
        raise InvalidInput(f"a token lives between one minute and {MAX_LIFETIME.days} days")
    if scopes is not None and not scopes <= scopes_for(roles):
        raise InvalidInput(f"the roles do not allow the scopes {sorted(s.name for s in scopes - scopes_for(roles))}")
    if issuer.is_(Role.ADMIN):
        return
    if agency_id != issuer.agency_id:
        raise Forbidden("a token can only be issued for the issuer's own agency")
    grantable = frozenset().union(*(GRANTABLE.get(role, frozenset({role})) for role in issuer.roles))
    if not roles <= grantable:
        raise Forbidden(f"cannot grant roles: {sorted(role.value for role in roles - grantable)}")
    effective = scopes_for(roles, scopes)
    if not effective <= issuer.scopes:
        raise Forbidden(
            f"cannot grant scopes the issuer does not hold: {sorted(s.name for s in effective - issuer.scopes)}"
        )


def check_manage(actor: Principal, *, token_agency_id: str | None) -> None:
    """Listing and revoking: the token's own agency (with TOKENS_MANAGE), or an ADMIN.

    `token_agency_id` None stands for every agency's tokens, which only an ADMIN may manage.
    """
    if not actor.has(Scope.TOKENS_MANAGE):
        raise Forbidden("managing tokens needs the TOKENS_MANAGE scope")
    if not actor.is_(Role.ADMIN) and actor.agency_id != token_agency_id:
        raise Forbidden("tokens of another agency cannot be managed")
