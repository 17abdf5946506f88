"""Use cases that link cases: linked cases, who holds an identifier, search, and the path between two ends."""

from __future__ import annotations

from datetime import date

from agencies.principals import Principal
from cases.access import Clock, check_page_size, reader_for, utc_now
from cases.errors import CaseNotFound, InvalidCase
from cases.identifiers import IdentifierKind, normalise
from cases.models import LinkedPage, PathEnd, PathStep, SearchPage
from cases.ports import LinkRepository, PathRepository, SearchRepository

MAX_HOPS = 3


async def linked_cases(
    *,
    principal: Principal,
    case_id: str,
    max_hops: int,
    first: int,
    after: tuple[int, str] | None,
    purpose: str | None,
    links: LinkRepository,
    clock: Clock = utc_now,
) -> LinkedPage:
    """Who else holds what this case holds: the cases reached through shared identifiers, up to `max_hops`."""
    if not 1 <= max_hops <= MAX_HOPS:
        raise InvalidCase(f"maxHops must be between 1 and {MAX_HOPS}")
    check_page_size(first)
    page = await links.linked(reader_for(principal, purpose, clock), case_id, max_hops, first, after)
    if page is None:
        raise CaseNotFound(f"no case {case_id!r}")
    return page


async def lookup_identifier(
    *,
    principal: Principal,
    kind: IdentifierKind,
    value: str,
    first: int,
    after: tuple[int, str] | None,
    purpose: str | None,
    links: LinkRepository,
    clock: Clock = utc_now,
) -> LinkedPage:
    """Who holds this identifier: the cases the reader may see, in full, and pointers to the others."""
    check_page_size(first)
    now = clock()
    identifier = normalise(kind, value, today=now.date())
    return await links.holders(reader_for(principal, purpose, lambda: now), identifier, first, after)


MAX_SEARCH_TEXT = 200


async def search_cases(
    *,
    principal: Principal,
    text: str,
    first: int,
    after: str | None,
    purpose: str | None,
    search: SearchRepository,
    clock: Clock = utc_now,
) -> SearchPage:
    """Cases whose title or summary match the words of `text`, among those the reader may see in full."""
    words = " ".join(text.split())
    if not any(character.isalnum() for character in words):
        raise InvalidCase("give at least one word to search for")
    if len(words) > MAX_SEARCH_TEXT:
        raise InvalidCase(f"search text has at most {MAX_SEARCH_TEXT} characters")
    check_page_size(first)
    return await search.search(reader_for(principal, purpose, clock), words, first, after)


MAX_PATH_CASES = 4


def path_end(*, person_id: str | None, kind: IdentifierKind | None, value: str | None, today: date) -> PathEnd:
    """One end of a link path: a person, or an identifier (normalised here)."""
    if (person_id is None) == (kind is None or value is None):
        raise InvalidCase("each end of a path is either a person (personId) or an identifier")
    if person_id is not None:
        return PathEnd(person_id=person_id)
    assert kind is not None
    assert value is not None
    return PathEnd(identifiers=(normalise(kind, value, today=today),))


async def link_path(
    *,
    principal: Principal,
    start: PathEnd,
    end: PathEnd,
    max_cases: int,
    purpose: str | None,
    paths: PathRepository,
    clock: Clock = utc_now,
) -> list[PathStep] | None:
    """The shortest chain of shared identifiers from `start` to `end` through cases the reader may see in full;
    None when there is none (or an end is a person the reader may not see)."""
    if not 1 <= max_cases <= MAX_PATH_CASES:
        raise InvalidCase(f"maxCases must be between 1 and {MAX_PATH_CASES}")
    reader = reader_for(principal, purpose, clock)
    if same := sorted(set(start.identifiers) & set(end.identifiers), key=lambda i: (i.kind, i.value)):
        # Both ends named by the reader: the chain is that identifier, whether or not anyone holds it. Asking the
        # graph would tell whether some agency, perhaps on a case the reader may not see, has recorded it.
        return [PathStep(identifier=same[0])]
    return await paths.shortest(reader, start, end, max_cases)
