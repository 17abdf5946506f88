"""What the import parser yields: a record checked by the API's rules, or why a line could not be used."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from cases.identifiers import Identifier
from cases.models import CaseDraft, CaseRole, PersonDraft


@dataclass(frozen=True, slots=True)
class CaseRecord:
    line: int
    """Where the record starts in the file, counting from 1."""
    source_id: str
    """The records system's id of the case: with the importing agency, what makes a second import an update."""
    draft: CaseDraft
    identifiers: tuple[Identifier, ...]
    """Normalised, without repeats."""


@dataclass(frozen=True, slots=True)
class Involvement:
    case_source_id: str
    role: CaseRole


@dataclass(frozen=True, slots=True)
class PersonRecord:
    line: int
    source_id: str
    draft: PersonDraft
    cases: tuple[Involvement, ...]
    """At least one; each case at most once. Cases earlier in the file that were rejected are refused here;
    whether the others exist (in the file or from an earlier import) is for the importer to check."""
    identifiers: tuple[Identifier, ...]
    """Given in the record, normalised, without repeats."""
    derived: tuple[Identifier, ...]
    """The PERSON identifiers the name, aliases and date of birth give (`person_service.person_identifiers`)."""


@dataclass(frozen=True, slots=True)
class Rejected:
    line: int
    field: str | None
    """As the format names it (`openedOn`, `identifiers[1].value`, a CSV column such as `phones[0]`);
    None when the line as a whole is at fault (not JSON, too long, not UTF-8)."""
    reason: str
    source_id: str | None = None
    """The record's sourceId when it could be read, to find the row by."""


ImportRecord = CaseRecord | PersonRecord
ParsedLine = CaseRecord | PersonRecord | Rejected


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record as read from its encoding, before any check: JSON-shaped values under the format's field names.

    `renames` maps a field as the JSON form names it to its name in the file (a CSV row's `phones[0]` stands where
    JSON has `identifiers[3].value`), so that a reject names what the analyst sees."""

    line: int
    fields: dict[str, object]
    renames: Mapping[str, str] = field(default_factory=dict)

    def named(self, rejected: Rejected) -> Rejected:
        if rejected.field is None or rejected.field not in self.renames:
            return rejected
        return Rejected(rejected.line, self.renames[rejected.field], rejected.reason, rejected.source_id)
