"""Who may change the strategy: pure rules over the principal and the objective.

NATIONAL_COORDINATOR creates and edits the structure and may record any measurement; a COORDINATOR records
measurements only for objectives its agency leads or supports. Every authenticated principal may read.
Writing also needs the STRATEGY_REPORT scope, so that a credential narrowed away from it cannot write.
"""

from __future__ import annotations

from agencies.principals import Principal, Role, Scope
from strategy.errors import StrategyForbidden
from strategy.models import Objective


def may_edit_structure(principal: Principal) -> bool:
    return principal.is_(Role.NATIONAL_COORDINATOR) and principal.has(Scope.STRATEGY_REPORT)


def may_record(principal: Principal, objective: Objective) -> bool:
    if not principal.has(Scope.STRATEGY_REPORT):
        return False
    if principal.is_(Role.NATIONAL_COORDINATOR):
        return True
    return principal.is_(Role.COORDINATOR) and principal.agency_id in objective.responsible_agency_ids


def require_structure(principal: Principal) -> None:
    if not may_edit_structure(principal):
        raise StrategyForbidden("only a NATIONAL_COORDINATOR creates and edits the strategy's structure")


def require_record(principal: Principal, objective: Objective) -> None:
    if not may_record(principal, objective):
        raise StrategyForbidden(
            f"your agency ({principal.agency_id}) neither leads nor supports objective {objective.id!r}: "
            "a COORDINATOR records measurements only for those"
        )
