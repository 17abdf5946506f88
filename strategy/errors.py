"""Expected failures of the strategy rules; the gateway maps each `code` to a stable GraphQL error code."""

from __future__ import annotations


class StrategyError(Exception):
    code = "BAD_USER_INPUT"


class StrategyNotFound(StrategyError):
    code = "NOT_FOUND"


class StrategyForbidden(StrategyError):
    code = "FORBIDDEN"


class InvalidStrategy(StrategyError):
    code = "BAD_USER_INPUT"
