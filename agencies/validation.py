"""pydantic's refusals, told as a user reads them: the field (as the API spells it) and what is wrong.

pydantic's own text names the internal model, its Python field names, the input and pydantic's version;
none of that belongs in an answer.
"""

from __future__ import annotations

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from agencies.errors import InvalidInput

PLAIN_MESSAGES = {
    "timezone_aware": "needs a UTC offset, such as Z or -05:00",
    "string_too_short": "must not be blank",
}


def field_and_reason(error: ValidationError) -> tuple[str, str]:
    """The first problem: the field as the API spells it (`pointOfContact.name`, `aliases[2]`; empty when the
    input as a whole is at fault) and what is wrong with it."""
    problem = error.errors(include_url=False, include_input=False)[0]
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{_api_name(part)}" for part in problem["loc"])
    return where.lstrip("."), _reason(problem)


def first_problem(error: ValidationError) -> str:
    field, reason = field_and_reason(error)
    return f"{field}: {reason}" if field else reason


def invalid_input(error: ValidationError) -> InvalidInput:
    return InvalidInput(first_problem(error))


def _reason(problem: ErrorDetails) -> str:
    context = problem.get("ctx", {})
    if problem["type"] == "too_long" and {"max_length", "actual_length"} <= set(context):
        return f"holds at most {context['max_length']} entries, not {context['actual_length']}"
    return PLAIN_MESSAGES.get(problem["type"]) or problem["msg"].removeprefix("Value error, ")


def _api_name(part: str) -> str:
    head, *rest = part.split("_")
    return head + "".join(word.capitalize() for word in rest)
