"""One record of the import format, JSON-shaped, into a `CaseRecord` or a `PersonRecord` by the API's own rules.

This module checks only the shape (which fields, text or list, a date written YYYY-MM-DD); what the values may
be is decided by `CaseDraft`, `PersonDraft`, `PointOfContact`, `normalise`, `check_not_future` and
`person_identifiers`, exactly as openCase, addPerson and addIdentifier decide it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from pydantic import ValidationError

from agencies.models import PointOfContact
from agencies.text import clean_line
from agencies.validation import field_and_reason
from cases.access import check_not_future
from cases.errors import InvalidCase, InvalidIdentifier
from cases.identifiers import Identifier, IdentifierKind, normalise
from cases.imports.records import CaseRecord, Involvement, PersonRecord
from cases.models import CaseDraft, CaseRole, PersonDraft
from cases.person_service import person_identifiers

CASE, PERSON = "case", "person"
CASE_FIELDS = (
    "record",
    "sourceId",
    "agencyCaseNumber",
    "title",
    "openedOn",
    "summary",
    "offenses",
    "labels",
    "reviewDue",
    "pointOfContact",
    "victimServicesNotes",
    "identifiers",
)
CASE_REQUIRED = ("record", "sourceId", "agencyCaseNumber", "title", "openedOn")
PERSON_FIELDS = ("record", "sourceId", "name", "aliases", "dateOfBirth", "cases", "identifiers")
PERSON_REQUIRED = ("record", "sourceId", "name", "cases")
CONTACT_FIELDS = ("name", "phone", "email")
CONTACT_REQUIRED = ("name",)
IDENTIFIER_FIELDS = ("kind", "value")
INVOLVEMENT_FIELDS = ("caseSourceId", "role")

MAX_SOURCE_ID = 128
MAX_IDENTIFIERS = 100
MAX_CASES = 100
LIST_SEPARATOR = "|"
"""Separates the entries of a list in a CSV cell, so no sourceId may hold it."""

M = TypeVar("M")


class BadField(Exception):
    def __init__(self, field: str | None, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Head:
    """What names a record, read before anything else: its kind and its sourceId."""

    kind: str
    source_id: str


def head_of(fields: Mapping[str, object]) -> Head:
    kind = fields.get("record")
    if kind is None:
        raise BadField("record", f"is required: {CASE} or {PERSON}")
    if not isinstance(kind, str) or kind.strip().casefold() not in (CASE, PERSON):
        raise BadField("record", f"{_shown(kind)} is no kind of record; use {CASE} or {PERSON}")
    if fields.get("sourceId") is None:
        raise BadField("sourceId", "is required")
    return Head(kind.strip().casefold(), source_id(fields["sourceId"], "sourceId"))


def source_id(value: object, field: str) -> str:
    """A records system's id: text or a whole number, one line of at most 128 characters, without `|`."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    text = _text(value, field)
    try:
        cleaned = clean_line(text, max_chars=MAX_SOURCE_ID)
    except ValueError as error:
        raise BadField(field, str(error)) from None
    if LIST_SEPARATOR in cleaned:
        raise BadField(field, f"must not hold {LIST_SEPARATOR}, which separates list entries in CSV")
    return cleaned


def case_record(line: int, head: Head, fields: Mapping[str, object], now: datetime) -> CaseRecord:
    _check_names(fields, CASE_FIELDS, CASE_REQUIRED, f"a {CASE} record")
    contact = _contact(fields.get("pointOfContact"))
    draft = _checked(
        lambda: CaseDraft(
            agency_case_number=_text(fields["agencyCaseNumber"], "agencyCaseNumber"),
            title=_text(fields["title"], "title"),
            summary=_optional_text(fields, "summary") or "",
            offenses=_texts(fields.get("offenses"), "offenses"),
            labels=frozenset(_texts(fields.get("labels"), "labels")),
            opened_on=_day(fields["openedOn"], "openedOn"),
            review_due=_optional_day(fields, "reviewDue"),
            point_of_contact=contact,
            victim_services_notes=_optional_text(fields, "victimServicesNotes"),
        )
    )
    try:
        check_not_future("openedOn", draft.opened_on, now)
    except InvalidCase as error:
        raise BadField("openedOn", str(error)) from None
    identifiers = _identifiers(fields.get("identifiers"), now.date())
    return CaseRecord(line, head.source_id, draft, identifiers)


def person_record(line: int, head: Head, fields: Mapping[str, object], now: datetime) -> PersonRecord:
    _check_names(fields, PERSON_FIELDS, PERSON_REQUIRED, f"a {PERSON} record")
    draft = _checked(
        lambda: PersonDraft(
            name=_text(fields["name"], "name"),
            aliases=_texts(fields.get("aliases"), "aliases"),
            date_of_birth=_optional_day(fields, "dateOfBirth"),
        )
    )
    cases = _involvements(fields["cases"])
    try:
        derived = tuple(person_identifiers(draft, now.date()))
    except InvalidIdentifier as error:
        born_later = draft.date_of_birth is not None and draft.date_of_birth > now.date()
        raise BadField("dateOfBirth" if born_later else "name", str(error)) from None
    identifiers = _identifiers(fields.get("identifiers"), now.date())
    return PersonRecord(line, head.source_id, draft, cases, identifiers, derived)


def _check_names(
    fields: Mapping[str, object], known: tuple[str, ...], required: tuple[str, ...], what: str, at: str = ""
) -> None:
    """Unknown fields are refused, so that a misspelt one is never dropped without a word; null is absent."""
    for name in fields:
        if name not in known:
            raise BadField(_prefixed(at, name), f"is not a field of {what}")
    for name in required:
        if fields.get(name) is None:
            raise BadField(_prefixed(at, name), "is required")


def _prefixed(prefix: str, field: str | None) -> str | None:
    if not field or field.startswith("["):
        return f"{prefix}{field or ''}" or None
    return f"{prefix}.{field}" if prefix else field


def _checked(build: Callable[[], M], prefix: str = "") -> M:
    """`build()`, with pydantic's refusal told as the field and a plain reason (`agencies.validation`)."""
    try:
        return build()
    except ValidationError as error:
        field, reason = field_and_reason(error)
        raise BadField(_prefixed(prefix, field), reason) from None
    except BadField as bad:
        raise BadField(_prefixed(prefix, bad.field), bad.reason) from None


def _contact(value: object) -> PointOfContact | None:
    if value is None:
        return None
    fields = _object(value, "pointOfContact")
    _check_names(fields, CONTACT_FIELDS, CONTACT_REQUIRED, "a point of contact", "pointOfContact")
    return _checked(
        lambda: PointOfContact(
            name=_text(fields["name"], "name"),
            phone=_optional_text(fields, "phone"),
            email=_optional_text(fields, "email"),
        ),
        "pointOfContact",
    )


def _identifiers(value: object, today: date) -> tuple[Identifier, ...]:
    entries = _list(value, "identifiers") if value is not None else []
    if len(entries) > MAX_IDENTIFIERS:
        raise BadField("identifiers", f"holds at most {MAX_IDENTIFIERS} entries, not {len(entries)}")
    found: list[Identifier] = []
    for index, entry in enumerate(entries):
        where = f"identifiers[{index}]"
        fields = _object(entry, where)
        _check_names(fields, IDENTIFIER_FIELDS, IDENTIFIER_FIELDS, "an identifier", where)
        kind, raw = _text(fields["kind"], f"{where}.kind"), _text(fields["value"], f"{where}.value")
        try:
            found.append(normalise(kind, raw, today=today))
        except InvalidIdentifier as error:
            part = "value" if isinstance(error.kind, IdentifierKind) else "kind"
            raise BadField(f"{where}.{part}", str(error)) from None
    return tuple(dict.fromkeys(found))


def _involvements(value: object) -> tuple[Involvement, ...]:
    entries = _list(value, "cases")
    if not entries:
        raise BadField("cases", "needs at least one case the person is on")
    if len(entries) > MAX_CASES:
        raise BadField("cases", f"holds at most {MAX_CASES} entries, not {len(entries)}")
    position: dict[str, int] = {}
    involvements: list[Involvement] = []
    for index, entry in enumerate(entries):
        where = f"cases[{index}]"
        fields = _object(entry, where)
        _check_names(fields, INVOLVEMENT_FIELDS, INVOLVEMENT_FIELDS, "a case of a person", where)
        case = source_id(fields["caseSourceId"], f"{where}.caseSourceId")
        if case in position:
            raise BadField(f"{where}.caseSourceId", f"case {case} is cases[{position[case]}] already")
        position[case] = index
        involvements.append(Involvement(case, _role(fields["role"], f"{where}.role")))
    return tuple(involvements)


def _role(value: object, field: str) -> CaseRole:
    text = _text(value, field)
    try:
        return CaseRole(text.strip().upper())
    except ValueError:
        raise BadField(field, f"{_shown(text)} is no role; use one of {', '.join(CaseRole)}") from None


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _day(value: object, field: str) -> date:
    text = _text(value, field).strip()
    if not _DAY.fullmatch(text):
        raise BadField(field, f"{_shown(text)} is not a date written YYYY-MM-DD, such as 2024-03-01")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadField(field, f"{text} is not a day of the calendar") from None


def _optional_day(fields: Mapping[str, object], name: str) -> date | None:
    value = fields.get(name)
    return None if value is None else _day(value, name)


def _optional_text(fields: Mapping[str, object], name: str) -> str | None:
    value = fields.get(name)
    return None if value is None else _text(value, name)


def _text(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise BadField(field, f"must be text, not {_json_type(value)}")
    return value


def _texts(value: object, field: str) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(_text(item, f"{field}[{index}]") for index, item in enumerate(_list(value, field)))


def _list(value: object, field: str) -> list[object]:
    if not isinstance(value, list):
        raise BadField(field, f"must be a list, not {_json_type(value)}")
    return value


def _object(value: object, field: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise BadField(field, f"must be an object, not {_json_type(value)}")
    return value


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object" if isinstance(value, dict) else "null"


def _shown(value: object, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"
