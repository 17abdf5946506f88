"""The published JSON Schema and the example files say what the parser reads.

jsonschema validates the examples against the schema, and records the parser rejects for their shape against it,
so that the file agencies build their exports from cannot drift from the code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from cases.identifiers import IdentifierKind
from cases.imports import objects
from cases.imports.csv_rows import COLUMNS, CONTACT_COLUMNS, IDENTIFIER_COLUMNS
from cases.imports.reader import read_file
from cases.imports.records import CaseRecord, PersonRecord, Rejected
from cases.models import CaseRole
from tests.support.imports import CASE, NOW, PERSON, parse_jsonl

DOCS = Path(__file__).parents[2] / "docs"
SCHEMA: dict[str, Any] = json.loads((DOCS / "import-format.schema.json").read_text())
EXAMPLES = DOCS / "examples"
VALIDATOR = Draft202012Validator(SCHEMA)


def test_the_schema_is_a_valid_json_schema() -> None:
    Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize(
    ("definition", "fields", "required"),
    [
        ("case", objects.CASE_FIELDS, objects.CASE_REQUIRED),
        ("person", objects.PERSON_FIELDS, objects.PERSON_REQUIRED),
    ],
)
def test_the_schema_has_the_parsers_fields_and_required_fields(
    definition: str, fields: tuple[str, ...], required: tuple[str, ...]
) -> None:
    record = SCHEMA["$defs"][definition]
    assert list(record["properties"]) == list(fields)
    assert record["required"] == list(required)


def test_the_schemas_nested_objects_have_the_parsers_fields() -> None:
    contact = SCHEMA["$defs"]["case"]["properties"]["pointOfContact"]["oneOf"][0]
    assert (tuple(contact["properties"]), tuple(contact["required"])) == (
        objects.CONTACT_FIELDS,
        objects.CONTACT_REQUIRED,
    )
    identifier = SCHEMA["$defs"]["identifier"]
    assert tuple(identifier["properties"]) == tuple(identifier["required"]) == objects.IDENTIFIER_FIELDS
    case_of_person = SCHEMA["$defs"]["person"]["properties"]["cases"]["items"]
    assert tuple(case_of_person["properties"]) == tuple(case_of_person["required"]) == objects.INVOLVEMENT_FIELDS


def test_the_schemas_kinds_and_roles_are_the_domains() -> None:
    assert SCHEMA["$defs"]["identifier"]["properties"]["kind"]["enum"] == list(IdentifierKind)
    roles = SCHEMA["$defs"]["person"]["properties"]["cases"]["items"]["properties"]["role"]["enum"]
    assert roles == list(CaseRole)


def test_every_field_but_the_nested_ones_is_a_csv_column() -> None:
    nested = {"pointOfContact", "identifiers"}
    fields = set(objects.CASE_FIELDS) | set(objects.PERSON_FIELDS)
    assert set(COLUMNS) == (fields - nested) | set(CONTACT_COLUMNS) | set(IDENTIFIER_COLUMNS)
    assert set(IDENTIFIER_COLUMNS.values()) == set(IdentifierKind) - {IdentifierKind.PERSON}


@pytest.mark.parametrize("name", ["import-example.jsonl", "import-example.csv"])
def test_the_example_files_parse_without_rejects(name: str) -> None:
    parsed = list(read_file(EXAMPLES / name, clock=lambda: NOW))
    assert [r for r in parsed if isinstance(r, Rejected)] == []
    assert [type(r) for r in parsed] == [CaseRecord, CaseRecord, PersonRecord, PersonRecord, PersonRecord]


def test_the_two_example_files_hold_the_same_records() -> None:
    def content(name: str) -> list[tuple[object, ...]]:
        parsed = [r for r in read_file(EXAMPLES / name, clock=lambda: NOW) if not isinstance(r, Rejected)]
        return [(r.source_id, r.draft, set(r.identifiers), getattr(r, "cases", ())) for r in parsed]

    assert content("import-example.jsonl") == content("import-example.csv")


def test_every_example_record_validates_against_the_schema() -> None:
    lines = (EXAMPLES / "import-example.jsonl").read_text().splitlines()
    for number, line in enumerate(lines, start=1):
        errors = [error.message for error in VALIDATOR.iter_errors(json.loads(line))]
        assert errors == [], f"line {number}"


@pytest.mark.parametrize(
    "record",
    [
        {**CASE, "titel": "typo"},
        {key: value for key, value in CASE.items() if key != "title"},
        {**CASE, "title": 7},
        {**CASE, "openedOn": "03/05/2024"},
        {**CASE, "sourceId": "A|B"},
        {**CASE, "identifiers": [{"kind": "FAX", "value": "1"}]},
        {**CASE, "pointOfContact": {"phone": "555-0100"}},
        {**CASE, "record": "incident"},
        {**PERSON, "cases": []},
        {**PERSON, "cases": [{"caseSourceId": "C-1", "role": "PERPETRATOR"}]},
        {key: value for key, value in PERSON.items() if key != "cases"},
    ],
)
def test_a_record_rejected_for_its_shape_is_invalid_under_the_schema_too(record: dict[str, object]) -> None:
    assert [type(r) for r in parse_jsonl(record)] == [Rejected]
    assert not VALIDATOR.is_valid(record)


def test_the_shared_test_records_are_valid_under_the_schema() -> None:
    assert VALIDATOR.is_valid(CASE)
    assert VALIDATOR.is_valid(PERSON)
