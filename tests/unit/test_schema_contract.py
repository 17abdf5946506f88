from __future__ import annotations

from gateway.schema import SCHEMA_FILE, schema_sdl


def test_the_committed_schema_is_the_code_schema() -> None:
    assert SCHEMA_FILE.read_text() == schema_sdl(), "run `sett schema --write` and review the diff"
