"""The access policy: the reference for what a principal may see of a record.

The repositories in `graph/` push the same rule into Cypher; a property-based test holds the two together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from agencies.agreements import SharingAgreement
from agencies.principals import Principal, Scope

VICTIM_IDENTITIES = "victims"
"""The field group of the persons a case records as victims: who they are and the identifiers that are theirs."""
VICTIM_SERVICES_FIELDS = frozenset({"victim_services_notes", VICTIM_IDENTITIES})


class AccessLevel(StrEnum):
    FULL = "FULL"
    """The record and its fields, less any redactions."""
    POINTER = "POINTER"
    """Only that the record exists, its owner agency and point of contact (deconfliction)."""
    NONE = "NONE"
    """Indistinguishable from a record that does not exist."""


@dataclass(frozen=True)
class CaseFacts:
    """What the policy needs to know of a case."""

    id: str
    owner_agency_id: str
    team_agency_ids: frozenset[str]
    labels: frozenset[str]


@dataclass(frozen=True)
class Decision:
    level: AccessLevel
    redacted: frozenset[str] = frozenset()
    via_agreement: str | None = None

    @property
    def visible(self) -> bool:
        return self.level is AccessLevel.FULL


NONE = Decision(AccessLevel.NONE)


def may_edit(agency_id: str, case: CaseFacts) -> bool:
    """Writing on a case (its fields, persons and identifiers): the owner agency and the case team."""
    return agency_id == case.owner_agency_id or agency_id in case.team_agency_ids


def owns(agency_id: str, case: CaseFacts) -> bool:
    """Closing a case and changing its team, labels or victim-services notes: the owner agency alone."""
    return agency_id == case.owner_agency_id


def may_change_person(agency_id: str, recorded_by: str, cases: Iterable[CaseFacts]) -> bool:
    """Changing who a person is or what identifies them: the agency that recorded them, while it may edit every
    case they are on, since the change shows on all of them."""
    return agency_id == recorded_by and all(may_edit(agency_id, case) for case in cases)


def decide_case(
    principal: Principal, case: CaseFacts, agreements: Iterable[SharingAgreement], now: datetime
) -> Decision:
    """FULL for the owner agency and the case team; FULL with victim-services fields redacted (unless the
    agreement names them) under an active agreement from the owner that covers the case; otherwise NONE."""
    if not principal.has(Scope.CASES_READ):
        return NONE
    if principal.agency_id == case.owner_agency_id or principal.agency_id in case.team_agency_ids:
        return Decision(AccessLevel.FULL)
    covering = [
        agreement
        for agreement in agreements
        if agreement.grantor_id == case.owner_agency_id
        and agreement.grantee_id == principal.agency_id
        and agreement.active_at(now)
        and agreement.covers(case_id=case.id, labels=case.labels)
    ]
    if not covering:
        return NONE
    chosen = sorted(covering, key=lambda agreement: (not agreement.victim_services, agreement.id))[0]
    return Decision(
        AccessLevel.FULL,
        redacted=frozenset() if chosen.victim_services else VICTIM_SERVICES_FIELDS,
        via_agreement=chosen.id,
    )


def shows_person(decision: Decision, role: str) -> bool:
    """Whether a reader with `decision` on a case may see who a person on it is: victims only with victim services."""
    return decision.visible and (role != "VICTIM" or VICTIM_IDENTITIES not in decision.redacted)


@dataclass(frozen=True)
class Holding:
    """The identifiers a case holds: its own, and those of each person on it with the person's role."""

    own: frozenset[str]
    persons: tuple[tuple[str, frozenset[str]], ...] = ()


def linking_identifiers(decision: Decision, holding: Holding) -> frozenset[str]:
    """The identifiers by which a case links to others for this reader: its own, and those of the persons on it
    whom the reader may see (a hidden case's victims never link, since nobody outside may learn who they are)."""
    victims_hidden = not decision.visible or VICTIM_IDENTITIES in decision.redacted
    persons = (ids for role, ids in holding.persons if not (victims_hidden and role == "VICTIM"))
    return holding.own.union(*persons)


@dataclass(frozen=True)
class Link:
    case_id: str
    hops: int
    via: frozenset[str]
    """The identifiers it shares with the cases of the hop before, all of them held by cases the reader sees."""
    level: AccessLevel


def linked_cases(
    principal: Principal,
    start_id: str,
    *,
    cases: Mapping[str, CaseFacts],
    holdings: Mapping[str, Holding],
    agreements: Iterable[SharingAgreement],
    now: datetime,
    max_hops: int,
) -> list[Link] | None:
    """The cases reachable from a case the reader sees in full, one hop per shared identifier, each at its
    fewest hops. A case the reader may not see in full is a POINTER, and a path ends there: no hop leaves it.
    None when the start case is not visible in full."""
    decisions, linking = _linking(principal, cases, holdings, agreements, now)
    if start_id not in cases or not decisions[start_id].visible:
        return None
    return _walk(decisions, linking, {start_id}, linking[start_id], max_hops)


def holders_of(
    principal: Principal,
    identifier: str,
    *,
    cases: Mapping[str, CaseFacts],
    holdings: Mapping[str, Holding],
    agreements: Iterable[SharingAgreement],
    now: datetime,
) -> list[Link]:
    """The cases that hold an identifier the reader names (one hop from it): in full, or as pointers."""
    decisions, linking = _linking(principal, cases, holdings, agreements, now)
    return _walk(decisions, linking, set(), frozenset({identifier}), 1)


def _linking(
    principal: Principal,
    cases: Mapping[str, CaseFacts],
    holdings: Mapping[str, Holding],
    agreements: Iterable[SharingAgreement],
    now: datetime,
) -> tuple[dict[str, Decision], dict[str, frozenset[str]]]:
    agreements = tuple(agreements)
    decisions = {case_id: decide_case(principal, facts, agreements, now) for case_id, facts in cases.items()}
    return decisions, {case_id: linking_identifiers(decisions[case_id], holdings[case_id]) for case_id in cases}


def _walk(
    decisions: Mapping[str, Decision],
    linking: Mapping[str, frozenset[str]],
    seen: set[str],
    identifiers: frozenset[str],
    max_hops: int,
) -> list[Link]:
    """Breadth first from the cases in `seen` and the `identifiers` they link by; a hop leaves only from cases
    visible in full, so what a hidden case alone holds is never reached."""
    links = []
    for hop in range(1, max_hops + 1):
        reached = {
            target: linking[target] & identifiers
            for target in sorted(linking)
            if target not in seen and linking[target] & identifiers
        }
        for target, via in reached.items():
            level = AccessLevel.FULL if decisions[target].visible else AccessLevel.POINTER
            links.append(Link(target, hop, via, level))
        seen |= reached.keys()
        identifiers = frozenset().union(*(linking[target] for target in reached if decisions[target].visible))
    return links


@dataclass(frozen=True)
class PathCase:
    case_id: str
    level: AccessLevel
    """FULL, or POINTER for a hidden case that holds the end the reader asked for: a path only ends there."""


PathStep = str | PathCase
"""An identifier, or a case that holds the identifiers on either side of it."""


def link_path(
    principal: Principal,
    sources: frozenset[str],
    targets: frozenset[str],
    *,
    cases: Mapping[str, CaseFacts],
    holdings: Mapping[str, Holding],
    agreements: Iterable[SharingAgreement],
    now: datetime,
    max_cases: int,
) -> list[PathStep] | None:
    """A shortest chain identifier, case, identifier, ... from one of `sources` to one of `targets`, through
    at most `max_cases` cases, all visible in full but the last, which may be a pointer to a hidden case that
    holds a target. None when there is no such chain. (Which of several shortest chains is left open.)"""
    decisions, linking = _linking(principal, cases, holdings, agreements, now)
    if sources & targets:
        return [min(sources & targets)]
    paths: dict[str, list[PathStep]] = {source: [source] for source in sorted(sources)}
    seen_cases: set[str] = set()
    seen_identifiers = set(sources)
    for _ in range(max_cases):
        frontier, paths = paths, {}
        for identifier, path in frontier.items():
            for case_id in sorted(linking):
                if case_id in seen_cases or identifier not in linking[case_id]:
                    continue
                seen_cases.add(case_id)
                visible = decisions[case_id].visible
                step = PathCase(case_id, AccessLevel.FULL if visible else AccessLevel.POINTER)
                if hit := sorted(linking[case_id] & targets):
                    return [*path, step, hit[0]]
                if visible:
                    for onward in sorted(linking[case_id] - seen_identifiers):
                        paths.setdefault(onward, [*path, step, onward])
        seen_identifiers |= paths.keys()
        if not paths:
            return None
    return None
