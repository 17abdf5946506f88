"""The local Neo4j runtime through the real `sett db` commands: start, status, stop, and recovery."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

import pytest

from graph.runtime.local import LocalNeo4j, LocalNeo4jConfig, free_port
from graph.runtime.processes import find_processes, wait_until_gone
from tests.support.cli import sett, sett_env


def neo4j_processes(data_dir: Path) -> list[int]:
    home = str((data_dir / "neo4j").resolve())
    return find_processes(lambda argv: "SettNeo4j" in argv and home in argv)


def local_env(data_dir: Path) -> dict[str, str]:
    return sett_env(
        SETT_DATA_DIR=str(data_dir),
        SETT_NEO4J_BOLT_PORT=str(free_port()),
        SETT_NEO4J_HEAP_MB="512",
        SETT_NEO4J_PAGECACHE_MB="64",
    )


def test_db_start_status_stop_leaves_no_process(tmp_path: Path) -> None:
    env = local_env(tmp_path)
    try:
        started = sett("db", "start", env=env)
        assert started.returncode == 0, started.stderr
        assert "Neo4j is running" in started.stdout
        assert len(neo4j_processes(tmp_path)) == 1

        status = sett("db", "status", env=env)
        assert status.returncode == 0, status.stderr
        assert "Neo4j Kernel 5.26." in status.stdout
        assert status.stdout.rstrip().endswith("community")

        again = sett("db", "start", env=env)
        assert again.returncode == 0
        assert len(neo4j_processes(tmp_path)) == 1, "a second start must reuse the running server"

        stopped = sett("db", "stop", env=env)
        assert stopped.returncode == 0
        assert stopped.stdout.strip() == "Neo4j stopped"
        assert neo4j_processes(tmp_path) == []
        assert sett("db", "status", env=env).returncode == 1
        assert sett("db", "stop", env=env).stdout.strip() == "Neo4j was not running"
    finally:
        sett("db", "stop", env=env)


def test_start_recovers_after_the_server_was_killed(tmp_path: Path) -> None:
    env = local_env(tmp_path)
    try:
        assert sett("db", "start", env=env).returncode == 0
        (killed,) = neo4j_processes(tmp_path)
        os.kill(killed, signal.SIGKILL)
        assert wait_until_gone(killed, 10)
        home = tmp_path / "neo4j"
        assert (home / "sett-neo4j.pid").read_text() == str(killed), "the stale pid file is still there"
        assert (home / "data" / "databases" / "store_lock").exists(), "so is Neo4j's lock file"

        restarted = sett("db", "start", env=env)

        assert restarted.returncode == 0, restarted.stderr
        (pid,) = neo4j_processes(tmp_path)
        assert pid != killed
        assert (home / "sett-neo4j.pid").read_text() == str(pid)
        assert sett("db", "status", env=env).returncode == 0
    finally:
        sett("db", "stop", env=env)
    assert neo4j_processes(tmp_path) == []


def test_a_server_with_an_owner_ends_with_its_owner(tmp_path: Path) -> None:
    """What keeps `make run` and the test session from leaving Java behind, even when killed outright."""
    env = local_env(tmp_path)
    owner_code = (
        "import os, sys\n"
        "from gateway.database import local_neo4j\n"
        "from gateway.settings import Settings\n"
        "local_neo4j(Settings(), owner_pid=os.getpid()).start()\n"
        "print('ready', flush=True)\n"
        "sys.stdin.read()\n"
    )
    owner = subprocess.Popen(
        [sys.executable, "-c", owner_code], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert owner.stdout is not None
        assert owner.stdout.readline().strip() == "ready"
        (server,) = neo4j_processes(tmp_path)
        owner.kill()
        owner.wait()
        assert wait_until_gone(server, 30), "the server outlived its owner"
    finally:
        owner.kill()
        sett("db", "stop", env=env)


def test_db_commands_leave_an_external_server_alone(tmp_path: Path) -> None:
    env = {**local_env(tmp_path), "NEO4J_URI": "bolt://127.0.0.1:1"}
    started = sett("db", "start", env=env)
    assert started.returncode == 0
    assert "starting nothing" in started.stdout
    assert "not Sett's to stop" in sett("db", "stop", env=env).stdout
    status = sett("db", "status", env=env)
    assert status.returncode == 1
    assert "Neo4j does not answer" in status.stderr
    assert neo4j_processes(tmp_path) == []


def test_two_first_installs_at_once_both_succeed(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    runtimes = [LocalNeo4j(LocalNeo4jConfig(home=tmp_path / f"home-{n}", cache_dir=cache)) for n in range(2)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        classpaths = list(pool.map(lambda runtime: runtime.install(), runtimes))
    assert classpaths[0] == classpaths[1]
    assert (cache / "classes" / "SettNeo4j.class").exists()
    assert all(Path(entry).exists() for entry in classpaths[0].split(os.pathsep))

    # An install takes its turn on the cache: while another holds the cache, it waits, then finds it ready.
    with (cache / "install.lock").open("a") as held, ThreadPoolExecutor(max_workers=1) as pool:
        fcntl.flock(held, fcntl.LOCK_EX)
        waiting = pool.submit(runtimes[1].install)
        with pytest.raises(FutureTimeout):
            waiting.result(timeout=5)  # a ready cache installs in well under a second when nothing holds it
        fcntl.flock(held, fcntl.LOCK_UN)
        assert waiting.result(timeout=60) == classpaths[0]
