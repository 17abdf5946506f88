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
