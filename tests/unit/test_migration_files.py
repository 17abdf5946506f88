from __future__ import annotations

from pathlib import Path

import pytest

from graph.migrator import MigrationError, MigrationStatus, load_migrations, split_statements


def test_statements_are_split_on_line_ending_semicolons_and_comments_dropped() -> None:
    text = "// a comment\nCREATE INDEX a IF NOT EXISTS\n  FOR (n:A) ON (n.x);\n\nRETURN 'a;b';\n// end\n"
    assert split_statements(text) == ("CREATE INDEX a IF NOT EXISTS\n  FOR (n:A) ON (n.x)", "RETURN 'a;b'")


def test_the_project_migrations_load_in_order() -> None:
    migrations = load_migrations()
    assert [m.version for m in migrations] == list(range(1, len(migrations) + 1))
    assert migrations[0].name == "agencies"
    assert all(
        statement.startswith(("CREATE", "DROP", "MATCH", "UNWIND")) for m in migrations for statement in m.statements
    )


def write(folder: Path, name: str, text: str = "CREATE INDEX x IF NOT EXISTS FOR (n:X) ON (n.x);") -> None:
    (folder / name).write_text(text)


def test_a_gap_in_numbering_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "0001_one.cypher")
    write(tmp_path, "0003_three.cypher")
    with pytest.raises(MigrationError, match="without gaps"):
        load_migrations(tmp_path)


def test_a_badly_named_file_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "1_One.cypher")
    with pytest.raises(MigrationError, match="NNNN_name"):
        load_migrations(tmp_path)


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "0001_empty.cypher", "// nothing\n")
    with pytest.raises(MigrationError, match="no statements"):
        load_migrations(tmp_path)


def test_checksums_ignore_comments_but_not_statements(tmp_path: Path) -> None:
    write(tmp_path, "0001_one.cypher", "// v1\nCREATE INDEX x IF NOT EXISTS FOR (n:X) ON (n.x);")
    first = load_migrations(tmp_path)[0].checksum
    write(tmp_path, "0001_one.cypher", "// v2, reworded\nCREATE INDEX x IF NOT EXISTS FOR (n:X) ON (n.x);")
    assert load_migrations(tmp_path)[0].checksum == first
    write(tmp_path, "0001_one.cypher", "CREATE INDEX x IF NOT EXISTS FOR (n:X) ON (n.y);")
    assert load_migrations(tmp_path)[0].checksum != first


def test_status_names_its_problem() -> None:
    assert MigrationStatus((1, 2), (), (), ()).problem() is None
    assert "edited" in str(MigrationStatus((1,), (), (1,), ()).problem())
    assert "does not know" in str(MigrationStatus((1, 2), (), (), (2,)).problem())


STEP = '''"""A data step."""

from neo4j import AsyncDriver


async def apply(driver: AsyncDriver, database: str, batch_size: int) -> None:
    pass
'''


def test_a_python_migration_is_loaded_with_its_step_and_a_checksum_of_its_whole_text(tmp_path: Path) -> None:
    write(tmp_path, "0001_one.cypher")
    write(tmp_path, "0002_step.py", STEP)
    first = load_migrations(tmp_path)[1]
    assert (first.version, first.name, first.statements, first.replaces) == (2, "step", (), frozenset())
    assert first.step is not None
    write(tmp_path, "0002_step.py", STEP + "# a comment is part of the text\n")
    assert load_migrations(tmp_path)[1].checksum != first.checksum


def test_a_python_migration_checked_out_with_crlf_endings_is_the_same_migration(tmp_path: Path) -> None:
    write(tmp_path, "0001_step.py", STEP)
    first = load_migrations(tmp_path)[0].checksum
    (tmp_path / "0001_step.py").write_bytes(STEP.replace("\n", "\r\n").encode())
    assert load_migrations(tmp_path)[0].checksum == first


def test_a_python_migration_without_an_async_apply_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "0001_step.py", "def apply(driver, database, batch_size):\n    pass\n")
    with pytest.raises(MigrationError, match="async def apply"):
        load_migrations(tmp_path)


def test_replaced_checksums_are_a_frozenset_of_strings(tmp_path: Path) -> None:
    write(tmp_path, "0001_step.py", STEP + "REPLACES = ['abc']\n")
    with pytest.raises(MigrationError, match="REPLACES"):
        load_migrations(tmp_path)
    write(tmp_path, "0001_step.py", STEP + "REPLACES = frozenset({'abc'})\n")
    assert load_migrations(tmp_path)[0].replaces == frozenset({"abc"})


def test_two_migrations_with_one_number_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "0001_one.cypher")
    write(tmp_path, "0001_one.py", STEP)
    with pytest.raises(MigrationError, match=r"once each.*\[1, 1\]"):
        load_migrations(tmp_path)


def test_the_case_number_key_migration_is_a_step_that_replaces_its_first_form() -> None:
    migration = load_migrations()[8]
    assert (migration.version, migration.name, migration.statements) == (9, "case_number_key", ())
    assert migration.step is not None
    assert len(migration.replaces) == 1


def test_a_migration_to_run_again_is_named_as_such() -> None:
    status = MigrationStatus((1, 2), (load_migrations()[1],), (), (), replaced=(2,))
    assert not status.current
    assert status.problem() == "migrations not applied yet: [2] (applied in an earlier form, to run again: [2])"
