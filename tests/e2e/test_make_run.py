"""`make run` as a newcomer runs it: URLs printed, ready, real agencies loaded, and Ctrl-C leaves nothing behind."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
from neo4j import GraphDatabase

from agencies.fbi_agencies import parse_fbi_agencies
from gateway.settings import PROJECT_ROOT, Settings
from graph.runtime.local import free_port
from graph.runtime.processes import PROC, wait_until_gone
from tests.support.cli import sett_env

STARTUP_DEADLINE_SECONDS = 300


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def java_for(data_dir: Path) -> set[int]:
    """Java processes serving this data folder (the launcher starts in its own session, not as a child)."""
    home = str((data_dir / "neo4j").resolve())
    pids = set()
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
            except OSError:
                continue
            if "SettNeo4j" in argv and home in argv:
                pids.add(int(entry.name))
    return pids


def read_until(process: subprocess.Popen[str], marker: str, lines: list[str]) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + STARTUP_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise AssertionError("make run ended early:\n" + "".join(lines))
        lines.append(line)
        if marker in line:
            return line
    raise AssertionError("make run printed no " + marker + ":\n" + "".join(lines))


def test_make_run_serves_ready_real_agencies_and_stops_clean_on_ctrl_c(tmp_path: Path) -> None:
    port = free_port()
    env = sett_env(
        SETT_DATA_DIR=str(tmp_path),
        SETT_PORT=str(port),
        SETT_NEO4J_BOLT_PORT=str(free_port()),
        SETT_NEO4J_HEAP_MB="512",
        SETT_NEO4J_PAGECACHE_MB="64",
    )
    make = subprocess.Popen(
        ["make", "--no-print-directory", "run"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    spawned: set[int] = set()
    try:
        graphql_line = read_until(make, "readiness", lines)
        printed = "".join(lines)
        assert f"GraphQL   http://127.0.0.1:{port}/graphql" in printed
        assert f"readiness http://127.0.0.1:{port}/readyz" in graphql_line
        assert "Neo4j: Neo4j Kernel 5.26." in printed

        spawned = descendants(make.pid) | java_for(tmp_path)
        ready = wait_for_readyz(f"http://127.0.0.1:{port}/readyz")
        assert ready.status_code == 200

        home = tmp_path / "neo4j"
        auth = ("neo4j", (home / "sett-neo4j.password").read_text().strip())
        bolt = f"bolt://127.0.0.1:{env['SETT_NEO4J_BOLT_PORT']}"
        with GraphDatabase.driver(bolt, auth=auth) as driver:
            (component,) = driver.execute_query("CALL dbms.components() YIELD versions, edition RETURN *").records
            assert component["versions"][0].startswith("5.26.")
            assert component["edition"] == "community"
            counted = driver.execute_query("MATCH (a:Agency {source: 'FBI_CDE'}) RETURN count(a) AS n").records[0]
        analyst = next(line for line in lines if "export ANALYST=" in line).split("=", 1)[1].split()[0]
        me = httpx.post(
            f"http://127.0.0.1:{port}/graphql",
            json={"query": "{ me { agencyId roles } }"},
            headers={"Authorization": f"Bearer {analyst}"},
            timeout=10,
        ).json()
        assert me == {"data": {"me": {"agencyId": "WASPD0000", "roles": ["ANALYST"]}}}
        with Settings().agencies_csv.open(newline="") as handle:
            usable = len(parse_fbi_agencies(handle).agencies)
        assert counted["n"] == usable

        spawned |= descendants(make.pid)
        os.killpg(make.pid, signal.SIGINT)  # what Ctrl-C at the terminal does
        make.wait(timeout=60)
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
    left = [pid for pid in spawned | java_for(tmp_path) if not wait_until_gone(pid, 30)]
    assert left == [], f"processes left behind: {left}\n" + "".join(lines)


def wait_for_readyz(url: str) -> httpx.Response:
    """The URLs are printed just before uvicorn binds; poll until it accepts connections."""
    deadline = time.monotonic() + 30
    while True:
        try:
            return httpx.get(url, timeout=5)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
