from __future__ import annotations

from pathlib import Path

from neo4j import AsyncDriver

from agencies.fbi_agencies import COLUMNS, parse_fbi_agencies
from agencies.federal import FEDERAL_AGENCIES
from agencies.service import seed_agencies
from gateway.settings import Settings
from graph.agencies import Neo4jAgencyRepository
from graph.driver import Neo4jConnection
from tests.support.cli import sett, sett_env
from tests.support.graph import query

FBI_FILE = Settings().agencies_csv
AGENCIES = "MATCH (a:Agency) RETURN a {.*, location: toString(a.location)} AS agency ORDER BY a.id"


async def test_seeding_the_fbi_file_twice_changes_nothing(
    graph: AsyncDriver, neo4j_connection: Neo4jConnection
) -> None:
    database = neo4j_connection.database
    with FBI_FILE.open(newline="") as handle:
        parsed = parse_fbi_agencies(handle)
    everything = (*parsed.agencies, *FEDERAL_AGENCIES)
    repository = Neo4jAgencyRepository(graph, database)

    first = await seed_agencies(agencies=everything, repository=repository)
    stored = await query(graph, database, AGENCIES)
    second = await seed_agencies(agencies=everything, repository=repository)

    assert (first.created, first.changed) == (len(everything), 0)
    assert (second.created, second.changed, second.unchanged) == (0, 0, len(everything))
    assert await query(graph, database, AGENCIES) == stored
    assert await repository.count("FBI_CDE") == len(parsed.agencies) == parsed.rows - len(parsed.problems)
    assert await repository.count() == len(everything)
    levels = await query(graph, database, "MATCH (a:Agency) RETURN a.level AS level, count(*) AS n ORDER BY level")
    assert {row["level"]: row["n"] for row in levels} == {
        level: sum(1 for a in everything if a.level.value == level) for level in ("FEDERAL", "LOCAL", "STATE", "TRIBAL")
    }


async def test_a_changed_row_updates_only_that_agency(graph: AsyncDriver, neo4j_connection: Neo4jConnection) -> None:
    repository = Neo4jAgencyRepository(graph, neo4j_connection.database)
    header = ",".join(COLUMNS)
    rows = [
        "WA0010000,KING,47.6,-122.3,WA,Washington,Seattle Police Department,City,TRUE,2012-01-01",
        "WA0020000,NA,NA,NA,WA,Washington,Tulalip Tribal Police,Tribal,FALSE,NA",
    ]
    await seed_agencies(agencies=parse_fbi_agencies([header, *rows]).agencies, repository=repository)
    rows[1] = rows[1].replace("Tulalip Tribal Police", "Tulalip Tribal Police Department")
    report = await seed_agencies(agencies=parse_fbi_agencies([header, *rows]).agencies, repository=repository)
    assert (report.created, report.changed, report.unchanged) == (0, 1, 1)
    stored = await query(graph, neo4j_connection.database, AGENCIES)
    assert [a["agency"]["name"] for a in stored] == ["Seattle Police Department", "Tulalip Tribal Police Department"]
    assert stored[0]["agency"]["location"] == "point({x: -122.3, y: 47.6, crs: 'wgs-84'})"
    assert stored[1]["agency"]["level"] == "TRIBAL"


def test_the_cli_reports_every_unusable_row(
    graph: AsyncDriver, neo4j_connection: Neo4jConnection, tmp_path: Path
) -> None:
    csv = tmp_path / "agencies.csv"
    csv.write_text(
        "\n".join(
            [
                ",".join(COLUMNS),
                "OR0010000,NA,NA,NA,OR,Oregon,Portland Police Bureau,City,TRUE,NA",
                "OR001,NA,NA,NA,OR,Oregon,Short ORI,City,TRUE,NA",
                "OR0020000,NA,NA,NA,OR,Oregon,,City,TRUE,NA",
                "OR0030000,NA,NA,NA,XX,Oregon,Bad State,City,TRUE,NA",
                "OR0040000,NA,NA,NA,OR,Oregon,Too Few Fields",
                "OR0050000,NA,NA,NA,OR,Oregon,Warm Springs Tribal Police,Tribal,FALSE,NA",
                "OR0010000,NA,NA,NA,OR,Oregon,Duplicate,City,TRUE,NA",
            ]
        )
        + "\n"
    )
    env = sett_env(neo4j_connection)

    result = sett("seed", "agencies", "--csv", str(csv), env=env)

    assert result.returncode == 0, result.stderr
    reported = [line for line in result.stderr.splitlines() if line.startswith("agencies.csv line ")]
    assert [line.split(":")[0] for line in reported] == [f"agencies.csv line {n}" for n in (3, 4, 5, 6, 8)]
    assert "ORI 'OR001'" in reported[0]
    assert "agency name is empty" in reported[1]
    assert "state 'XX'" in reported[2]
    assert "expected 10 fields, found 7" in reported[3]
    assert "repeats line 2" in reported[4]
    assert "2 of 7 FBI rows usable (5 unusable)" in result.stdout
    assert sett("seed", "agencies", "--csv", str(csv), "--strict", env=env).returncode == 2


def test_the_cli_says_what_is_wrong_with_a_file_it_cannot_read(
    graph: AsyncDriver, neo4j_connection: Neo4jConnection, tmp_path: Path
) -> None:
    env = sett_env(neo4j_connection)
    directory = sett("seed", "agencies", "--csv", str(tmp_path), env=env)
    assert directory.returncode == 1
    assert "is a directory; pass the CSV file itself" in directory.stderr
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(
        (",".join(COLUMNS) + "\nNM0010000,NA,NA,NA,NM,New Mexico,Peñasco PD,City,TRUE,NA\n").encode("latin-1")
    )
    refused = sett("seed", "agencies", "--csv", str(latin1), env=env)
    assert refused.returncode == 1
    assert "line 2: byte 0xF1 is not UTF-8" in " ".join(refused.stderr.split())
    with_bom = tmp_path / "bom.csv"
    with_bom.write_bytes(latin1.read_bytes().decode("latin-1").encode("utf-8-sig"))
    loaded = sett("seed", "agencies", "--csv", str(with_bom), env=env)
    assert loaded.returncode == 0, loaded.stderr
    assert "1 of 1 FBI rows usable" in loaded.stdout
