"""`sett import` as an operator runs it: the reject file, the exit codes, and a run killed half-way (SIGKILL to a
real process) and run again, which must leave exactly the graph that one clean run leaves."""

from __future__ import annotations

import asyncio
import csv
import getpass
import json
import signal
import time
from pathlib import Path

from neo4j import AsyncDriver

from bench.import_data import records, write_jsonl
from gateway.repositories import Repositories
from graph.driver import Neo4jConnection
from tests.support.access import add_agencies
from tests.support.cli import SETT, sett, sett_env
from tests.support.graph import query, wipe
from tests.support.import_graph import SPD, dump, opened_in_sett
from tests.support.imports import CASE, PERSON, jsonl

ROWS = 20_000
BATCH = 100
KILL_AFTER = (2_000, 9_000)
"""Records stored when the first run is killed, then the second: each kill lands in the middle of a batch's life
(reading, planning or committing), wherever the poll happens to see it."""
STORED = "MATCH (n) WHERE (n:Case OR n:Person) AND n.sourceId IS NOT NULL RETURN count(n) AS n"


def read_rejects(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


async def test_every_row_not_used_is_in_the_reject_file_and_the_exit_code_says_so(
    repos: Repositories, graph: AsyncDriver, neo4j_connection: Neo4jConnection, tmp_path: Path
) -> None:
    file = tmp_path / "records.jsonl"
    file.write_bytes(
        jsonl(
            CASE,  # 1: written
            {**CASE, "sourceId": "C-2", "agencyCaseNumber": "MPD-2025-0001"},  # 2: the parser: C-1's number
            {**CASE, "sourceId": "C-3", "agencyCaseNumber": "MPD-API-7"},  # 3: the importer: an API case's number
            "{not json",  # 4: the parser
            {**PERSON, "sourceId": "P-2", "cases": [{"caseSourceId": "C-3", "role": "WITNESS"}]},  # 5: C-3 rejected
            {**PERSON, "sourceId": "P-3", "cases": [{"caseSourceId": "NOWHERE", "role": "WITNESS"}]},  # 6
            PERSON,  # 7: written
        )
    )
    await opened_in_sett(repos, "api-case", "MPD-API-7")
    env = sett_env(neo4j_connection)

    done = sett("import", str(file), "--agency", SPD, "--batch-size", "2", "--as", "analyst@spd", env=env)

    assert done.returncode == 3, done.stderr
    rejects = read_rejects(tmp_path / "records.jsonl.rejects.csv")
    assert [(r["line"], r["sourceId"], r["field"]) for r in rejects] == [
        ("2", "C-2", "agencyCaseNumber"),
        ("3", "C-3", "agencyCaseNumber"),
        ("4", "", ""),
        ("5", "P-2", "cases[0].caseSourceId"),
        ("6", "P-3", "cases[0].caseSourceId"),
    ]
    assert all(r["reason"] for r in rejects)
    assert "7 rows read, 2 written (2 new, 0 updated), 0 unchanged, 5 rejected" in done.stdout
    assert "rows rejected: 5; see" in done.stderr
    stored = await query(graph, "neo4j", "MATCH (n) WHERE n.sourceId IS NOT NULL RETURN n.sourceId AS s ORDER BY s")
    assert [row["s"] for row in stored] == ["C-1", "P-1"]
    entries = await query(
        graph, "neo4j", "MATCH (e:AuditEntry {kind: 'import.batch'}) RETURN e.actor AS a, e.detail AS d"
    )
    assert {row["a"] for row in entries} == {f"cli:{getpass.getuser()}"}
    assert {json.loads(row["d"])["as"] for row in entries} == {"analyst@spd"}

    file.write_bytes(jsonl(CASE, PERSON))
    clean = sett("import", str(file), "--agency", SPD, "--rejects", str(tmp_path / "r.jsonl"), env=env)
    assert clean.returncode == 0, clean.stderr
    assert "2 rows read, 0 written (0 new, 0 updated), 2 unchanged, 0 rejected" in clean.stdout
    assert (tmp_path / "r.jsonl").read_text() == ""


async def test_what_cannot_be_imported_at_all_exits_1_and_writes_nothing(
    repos: Repositories, graph: AsyncDriver, neo4j_connection: Neo4jConnection, tmp_path: Path
) -> None:
    env = sett_env(neo4j_connection)
    file = tmp_path / "records.txt"
    file.write_bytes(jsonl(CASE))
    unknown_form = sett("import", str(file), "--agency", SPD, env=env)
    assert unknown_form.returncode == 1
    assert "cannot tell whether records.txt is CSV or JSON Lines" in unknown_form.stderr
    no_agency = sett("import", str(file), "--agency", "XX0000000", "--format", "jsonl", env=env)
    assert no_agency.returncode == 1
    assert "no agency 'XX0000000' in the directory" in no_agency.stderr
    assert sett("import", str(file), "--agency", "spd", "--format", "jsonl", env=env).returncode == 1
    assert (await query(graph, "neo4j", STORED))[0]["n"] == 0


async def test_an_import_killed_at_any_point_and_run_again_leaves_the_graph_of_one_clean_run(
    repos: Repositories, graph: AsyncDriver, neo4j_connection: Neo4jConnection, tmp_path: Path
) -> None:
    rows = list(records(ROWS))
    rows.insert(5_001, {**PERSON, "sourceId": "BAD-P", "cases": [{"caseSourceId": "NOWHERE", "role": "SUSPECT"}]})
    rows.insert(15_001, {**CASE, "sourceId": "BAD-C", "agencyCaseNumber": "spd-api-1"})
    file = write_jsonl(tmp_path / "big.jsonl", iter(rows))
    env = sett_env(neo4j_connection)
    command = [str(SETT), "import", str(file), "--agency", SPD, "--batch-size", str(BATCH)]
    await opened_in_sett(repos, "api-case", "SPD-API-1")

    for stored_at_least in KILL_AFTER:
        run = await asyncio.create_subprocess_exec(
            *command, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
        )
        stored = await _kill_once_stored(graph, run, stored_at_least)
        assert stored_at_least <= stored < ROWS, "the run must be killed with part of the file written"
    finished = sett(*command[1:], env=env)
    assert finished.returncode == 3, finished.stderr
    resumed_graph, resumed_rejects = await dump(graph), (tmp_path / "big.jsonl.rejects.csv").read_text()

    await wipe(graph, "neo4j")
    await add_agencies(repos)
    await opened_in_sett(repos, "api-case", "SPD-API-1")
    clean = sett(*command[1:], env=env)
    assert clean.returncode == 3, clean.stderr

    clean_graph = await dump(graph)
    assert len(clean_graph[0]) > ROWS  # cases, persons, identifiers, agencies
    assert resumed_graph == clean_graph
    assert resumed_rejects == (tmp_path / "big.jsonl.rejects.csv").read_text()
    assert [row["sourceId"] for row in read_rejects(tmp_path / "big.jsonl.rejects.csv")] == ["BAD-P", "BAD-C"]
    duplicates = await query(
        graph,
        "neo4j",
        "MATCH (n) WHERE n.sourceId IS NOT NULL WITH labels(n) AS l, n.sourceId AS s, count(*) AS c WHERE c > 1 "
        "RETURN count(*) AS n",
    )
    assert duplicates == [{"n": 0}]


async def _kill_once_stored(graph: AsyncDriver, run: asyncio.subprocess.Process, at_least: int) -> int:
    """Sends SIGKILL to `run` once the graph holds `at_least` imported records; returns how many it holds then."""
    deadline = time.monotonic() + 600
    try:
        while (await query(graph, "neo4j", STORED))[0]["n"] < at_least:
            assert run.returncode is None, "the import ended before it could be killed: make the file bigger"
            assert time.monotonic() < deadline, "the import made no progress"
            await asyncio.sleep(0.02)
        run.send_signal(signal.SIGKILL)
        assert await asyncio.wait_for(run.wait(), 30) == -signal.SIGKILL
    finally:
        if run.returncode is None:
            run.kill()
            await run.wait()
    return int((await query(graph, "neo4j", STORED))[0]["n"])
