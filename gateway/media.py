"""Which media type a GraphQL answer is written in, from the client's `Accept` header.

The GraphQL-over-HTTP specification defines two: `application/graphql-response+json`, whose status codes tell
a request error (4xx, no `data`) from an executed operation (200), and the legacy `application/json`, answered
200 for every well-formed request. A client that sends no `Accept`, or only wildcards, gets `application/json`
(the specification's rule until its "watershed"); one that accepts neither gets 406.
"""

from __future__ import annotations

from typing import NamedTuple

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
SERVED = (GRAPHQL_RESPONSE, JSON)  # JSON last: it wins the ties that weight, mention and order leave


class _Range(NamedTuple):
    media: str
    weight: float
    position: int


def response_media_type(accept: str | None) -> str | None:
    """`GRAPHQL_RESPONSE` or `JSON`, whichever the client prefers; None when it accepts neither.

    A media type takes the weight (`q`) of the most specific range that names it (`application/json` before
    `application/*` before `*/*`). Of two with the same weight, the one named exactly wins over one reached by
    a wildcard, then the one listed first; a tie between wildcards answers `application/json`.
    """
    if accept is None or not accept.strip():
        return JSON
    ranges = list(_ranges(accept))
    best: tuple[float, int, int, int] | None = None
    chosen = None
    for legacy, media in enumerate(SERVED):
        match = _most_specific(media, ranges)
        if match is None:
            continue
        specificity, found = match
        if found.weight <= 0:
            continue
        key = (found.weight, specificity, -found.position if specificity == 2 else 0, legacy)
        if best is None or key > best:
            best, chosen = key, media
    return chosen


def _most_specific(media: str, ranges: list[_Range]) -> tuple[int, _Range] | None:
    kind = media.partition("/")[0]
    found: tuple[int, _Range] | None = None
    for candidate in ranges:
        if candidate.media == media:
            specificity = 2
        elif candidate.media == f"{kind}/*":
            specificity = 1
        elif candidate.media == "*/*":
            specificity = 0
        else:
            continue
        if found is None or specificity > found[0]:
            found = (specificity, candidate)
    return found


def _ranges(accept: str) -> list[_Range]:
    """The media ranges of an Accept header with their weights; a range with an unreadable weight is left out."""
    found = []
    for position, part in enumerate(accept.split(",")):
        media, *parameters = part.split(";")
        media = media.strip().lower()
        if not media:
            continue
        weight = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value.strip())
                except ValueError:
                    weight = -1.0
        if 0 <= weight <= 1:
            found.append(_Range(media, weight, position))
    return found
