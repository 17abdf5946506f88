"""pydantic's refusals, told as a user reads them: the field (as the API spells it) and what is wrong.

pydantic's own text names the internal model, its Python field names, the input and pydantic's version;
none of that belongs in an answer.
"""

from __future__ import annotations

from pydantic import ValidationError

from agencies.errors import InvalidInput

PLAIN_MESSAGES = {
    "timezone_aware": "needs a UTC offset, such as Z or -05:00",
    "string_too_short": "must not be blank",
}


def first_problem(error: ValidationError) -> str:
    problem = error.errors(include_url=False, include_input=False, include_context=False)[0]
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{_api_name(part)}" for part in problem["loc"])
    message = PLAIN_MESSAGES.get(problem["type"]) or problem["msg"].removeprefix("Value error, ")
    return f"{where.lstrip('.')}: {message}" if where else message


def invalid_input(error: ValidationError) -> InvalidInput:
    return InvalidInput(first_problem(error))


def _api_name(part: str) -> str:
    head, *rest = part.split("_")
    return head + "".join(word.capitalize() for word in rest)
