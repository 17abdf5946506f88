from __future__ import annotations

from gateway.schema import SCHEMA_FILE, schema, schema_sdl


def test_the_committed_schema_is_the_code_schema() -> None:
    assert SCHEMA_FILE.read_text() == schema_sdl(), "run `sett schema --write` and review the diff"


def test_the_progress_status_enum_states_its_rule() -> None:
    status = schema._schema.get_type("Status")
    assert status is not None
    assert status.description is not None
    assert status.description.startswith("MET if p >= 1; ON_TRACK if p >= e - 0.10")
