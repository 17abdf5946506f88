"""What an import writes of one batch of checked records, given what the graph holds: pure rules, no storage.

The parser (`cases.imports.reader`) checks what a record can tell alone or with the records above it. What is
left needs the graph, and is decided here, batch by batch, from the `BatchFacts` the repository reads inside the
batch's own transaction:

- a case whose `agencyCaseNumber` another of the agency's cases holds (one opened through the API, or imported
  under another sourceId) is rejected, as `openCase` refuses it;
- a person is rejected when one of their cases is neither earlier in the file nor imported before, when that case
  comes later in the file (so that the answer never depends on where a batch ends, or on what a killed run of the
  same file wrote), when it was rejected, when the person is on it already in another role (a role stays as
  recorded, as `addPerson` has it), or when the agency may no longer change the person (`may_change_person`);
- a record whose fingerprint (a hash of its content) is the one stored on its node is unchanged, and nothing of
  it is written; any other is written whole.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Generic, TypeVar

from agencies.audit import AuditEvent
from cases.identifiers import Identifier
from cases.imports.records import CaseRecord, ImportRecord, PersonRecord, Rejected
from cases.models import CaseRole, case_number_key

FINGERPRINT_VERSION = 1
"""Part of every fingerprint: a change to what a fingerprint covers changes this, and every record is written
once more by the next import."""

R = TypeVar("R", CaseRecord, PersonRecord)


def fingerprint(record: ImportRecord) -> str:
    """A hash of everything the import writes of `record` (not its line: a row moved in the file is the same)."""
    content: dict[str, object]
    if isinstance(record, CaseRecord):
        draft = record.draft
        contact = draft.point_of_contact
        content = {
            "record": "case",
            "agencyCaseNumber": draft.agency_case_number,
            "title": draft.title,
            "summary": draft.summary,
            "offenses": list(draft.offenses),
            "labels": sorted(draft.labels),
            "openedOn": draft.opened_on.isoformat(),
            "reviewDue": _day(draft.review_due),
            "pointOfContact": [contact.name, contact.phone, contact.email] if contact else None,
            "victimServicesNotes": draft.victim_services_notes,
            "identifiers": identifier_keys(record.identifiers),
        }
    else:
        person = record.draft
        content = {
            "record": "person",
            "name": person.name,
            "aliases": list(person.aliases),
            "dateOfBirth": _day(person.date_of_birth),
            "cases": sorted([link.case_source_id, link.role.value] for link in record.cases),
            "identifiers": identifier_keys(record.identifiers),
            "derived": identifier_keys(record.derived),
        }
    content["version"] = FINGERPRINT_VERSION
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def identifier_keys(identifiers: Iterable[Identifier]) -> list[list[str]]:
    """(kind, value) pairs in one order: what the graph keys an Identifier node by."""
    return sorted([identifier.kind.value, identifier.value] for identifier in identifiers)


def _day(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


@dataclass(frozen=True)
class StoredPerson:
    fingerprint: str | None
    """None for a person stored without one."""
    may_change: bool
    """`agencies.policy.may_change_person` for the importing agency."""
    roles: Mapping[str, CaseRole]
    """The person's role on each of the agency's imported cases the record names that they are on already."""


@dataclass(frozen=True)
class BatchFacts:
    """What the graph holds of one batch's records, read in the batch's transaction."""

    cases: Mapping[str, str | None]
    """The batch's cases that are stored: sourceId to stored fingerprint."""
    number_holders: Mapping[str, str | None]
    """The batch's cases whose case number another of the agency's cases holds: sourceId to that case's sourceId,
    or to None when it was opened through the API."""
    persons: Mapping[str, StoredPerson]
    """The batch's persons that are stored, by sourceId."""
    stored_cases: frozenset[str]
    """The sourceIds of the agency's cases that the batch's persons name and the graph holds."""
    stored_numbers: Mapping[str, str] = field(default_factory=dict)
    """The batch's stored cases: sourceId to the `case_number_key` of the number they hold."""
    closed_on: Mapping[str, date] = field(default_factory=dict)
    """The batch's stored cases that are closed: sourceId to the day."""
    purged: Mapping[str, date] = field(default_factory=dict)
    """The batch's cases not stored because an intelligence record imported under their sourceId was purged
    (28 CFR Part 23): sourceId to the day."""


@dataclass(frozen=True)
class FileContext:
    """What the planning of a batch knows of the whole file."""

    case_lines: Mapping[str, int]
    """The line of each case in the file (its first, when a sourceId is used twice), from `reader.scan_records`."""
    rejected_cases: Mapping[str, int]
    """Cases the import rejected in earlier batches: sourceId to line."""
    case_numbers: Mapping[str, str] = field(default_factory=dict)
    """Each case number of the file (its `case_number_key`) to the sourceId of its first case, from the scan."""
    csv: bool = False
    """Whether the file is CSV, whose rejects name a person's case as the column's entry (`cases[0]`)."""


@dataclass(frozen=True)
class Write(Generic[R]):
    record: R
    fingerprint: str
    new: bool
    """Whether the graph holds no record of this sourceId yet."""


@dataclass(frozen=True)
class BatchPlan:
    cases: tuple[Write[CaseRecord], ...] = ()
    persons: tuple[Write[PersonRecord], ...] = ()
    unchanged: int = 0
    rejected: tuple[Rejected, ...] = ()
    rejected_cases: Mapping[str, int] = field(default_factory=dict)
    """The cases rejected here, sourceId to line: the persons on them are rejected in the batches that follow."""
    event: AuditEvent | None = None
    """The audit entry written with the batch; None when it writes nothing."""

    @property
    def created(self) -> int:
        return sum(write.new for write in self.cases) + sum(write.new for write in self.persons)

    @property
    def updated(self) -> int:
        return len(self.cases) + len(self.persons) - self.created

    @property
    def writes(self) -> bool:
        return bool(self.cases or self.persons)


def plan_batch(records: Iterable[ImportRecord], facts: BatchFacts, context: FileContext) -> BatchPlan:
    """What to write of `records` (in file order), what is unchanged, and what is rejected and why."""
    cases: list[Write[CaseRecord]] = []
    persons: list[Write[PersonRecord]] = []
    rejected: list[Rejected] = []
    rejected_here: dict[str, int] = {}
    accepted_here: set[str] = set()
    unchanged = 0
    for record in records:
        if isinstance(record, CaseRecord):
            case = _case(record, facts, context)
            if isinstance(case, Rejected):
                rejected_here[record.source_id] = record.line
                rejected.append(case)
                continue
            accepted_here.add(record.source_id)
            if case is None:
                unchanged += 1
            else:
                cases.append(case)
            continue
        person = _person(record, facts, context, accepted_here, rejected_here)
        if isinstance(person, Rejected):
            rejected.append(person)
        elif person is None:
            unchanged += 1
        else:
            persons.append(person)
    return BatchPlan(tuple(cases), tuple(persons), unchanged, tuple(rejected), rejected_here)


def _case(record: CaseRecord, facts: BatchFacts, context: FileContext) -> Write[CaseRecord] | Rejected | None:
    number = record.draft.agency_case_number
    if (purged := facts.purged.get(record.source_id)) is not None:
        reason = (
            f"the intelligence record imported as {record.source_id} was purged on {purged.isoformat()}: its review "
            "date passed without validation (28 CFR Part 23), and an import does not bring it back"
        )
        return Rejected(record.line, "sourceId", reason, record.source_id)
    if record.source_id in facts.number_holders:
        holder = facts.number_holders[record.source_id]
        which = f"the case imported as {holder}" if holder is not None else "a case opened in Sett"
        reason = f"case number {number} is held by another of your agency's cases ({which})"
        return Rejected(record.line, "agencyCaseNumber", reason, record.source_id)
    held = facts.stored_numbers.get(record.source_id)
    wanted_by = context.case_numbers.get(held, record.source_id) if held is not None else record.source_id
    if held != case_number_key(number) and wanted_by != record.source_id:
        # Freeing a number that another row wants would let that row in on the next run but not this one: the
        # graph one run leaves would depend on where a run was stopped and run again.
        reason = (
            f"the case would give up its case number to the case imported as {wanted_by}, which this file gives "
            "it too: import the renumbering in a file of its own first"
        )
        return Rejected(record.line, "agencyCaseNumber", reason, record.source_id)
    closed = facts.closed_on.get(record.source_id)
    if closed is not None and record.draft.opened_on > closed:
        reason = f"{record.draft.opened_on.isoformat()} is after the case was closed ({closed.isoformat()})"
        return Rejected(record.line, "openedOn", reason, record.source_id)
    return _changed(record, facts.cases)


def _person(
    record: PersonRecord,
    facts: BatchFacts,
    context: FileContext,
    accepted_here: set[str],
    rejected_here: Mapping[str, int],
) -> Write[PersonRecord] | Rejected | None:
    """`accepted_here` and `rejected_here`: the cases of this batch above the person, used or rejected."""
    stored = facts.persons.get(record.source_id)
    for index, link in enumerate(record.cases):
        case = link.case_source_id
        naming = f"cases[{index}]" if context.csv else f"cases[{index}].caseSourceId"
        if (line := rejected_here.get(case, context.rejected_cases.get(case))) is not None:
            reason = f"case {case} on line {line} was rejected, so no one can be put on it"
        elif (line := context.case_lines.get(case, 0)) > record.line:
            reason = f"case {case} is on line {line}, after this person: list a case before the persons on it"
        elif case not in accepted_here and case not in facts.stored_cases:
            reason = f"no case {case}: it is neither earlier in the file nor imported before"
        elif stored is not None and stored.roles.get(case, link.role) != link.role:
            naming = f"cases[{index}]" if context.csv else f"cases[{index}].role"
            reason = (
                f"the person is on case {case} already, as {stored.roles[case].value}: a role stays as recorded; "
                "take them off the case first to record another"
            )
        else:
            continue
        return Rejected(record.line, naming, reason, record.source_id)
    change = _changed(record, {record.source_id: stored.fingerprint} if stored is not None else {})
    if change is not None and stored is not None and not stored.may_change:
        reason = "this person is on a case your agency may no longer write on; ask its owner"
        return Rejected(record.line, None, reason, record.source_id)
    return change


def _changed(record: R, stored: Mapping[str, str | None]) -> Write[R] | None:
    """The write of `record`, or None when the graph holds it as it is."""
    print_ = fingerprint(record)
    if record.source_id not in stored:
        return Write(record, print_, new=True)
    return None if stored[record.source_id] == print_ else Write(record, print_, new=False)
