"""Real servers for tests: a local Neo4j and the gateway under uvicorn on a free loopback port."""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis
import uvicorn

from gateway.app import create_app
from gateway.cli.serve import server_options
from gateway.settings import Environment, Settings
from graph.driver import Neo4jConnection
from graph.runtime import LocalNeo4j, LocalNeo4jConfig
from graph.runtime.local import free_port

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
PR_SET_PDEATHSIG = 1
TEST_HEAP_MB = 512
TEST_PAGECACHE_MB = 64


def owned_neo4j(home: Path) -> LocalNeo4j:
    """A local Neo4j owned by this test process: it ends when the process ends, whatever happens."""
    return LocalNeo4j(
        LocalNeo4jConfig(
            home=home,
            bolt_port=free_port(),
            heap_mb=TEST_HEAP_MB,
            pagecache_mb=TEST_PAGECACHE_MB,
            owner_pid=os.getpid(),
            # Tests wipe and refill a tiny graph all the time; Neo4j would replan every query again and again
            # as its statistics swing (a second and more each for the traversals), for no change in any answer.
            settings=(("dbms.cypher.statistics_divergence_threshold", "1.0"),),
        )
    )


def connection_to(runtime: LocalNeo4j) -> Neo4jConnection:
    return Neo4jConnection(runtime.uri, runtime.auth, "neo4j", timeout_seconds=3.0)


def settings_for_tests(**overrides: object) -> Settings:
    """Test settings; the failure limits are high so that tests of bad credentials do not block each other
    (the rate-limit tests set their own)."""
    return Settings.model_validate(
        {
            "environment": Environment.TEST,
            "auth_address_failure_limit": 10_000,
            "auth_credential_failure_limit": 10_000,
            **overrides,
        }
    )


@contextmanager
def live_gateway(settings: Settings, connection: Neo4jConnection) -> Iterator[str]:
    """Serves the gateway over real HTTP on a free port; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, connection), host="127.0.0.1", port=port, lifespan="on", **server_options()
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the gateway failed to start")
            threading.Event().wait(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def owned_redis() -> Iterator[str]:
    """A Redis server on a free loopback port for this test session, gone when the session ends (even if
    the test process is killed); yields its URL once it answers PING."""
    port = free_port()
    server = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_end_with_parent,  # noqa: PLW1509 - a plain prctl call, no locks taken
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start (is it installed? `make redis`)") from None
                threading.Event().wait(0.02)
        client.close()
        yield url
    finally:
        if server.poll() is None:
            server.terminate()
        server.wait(timeout=10)


def stop_redis(url: str) -> None:
    """Shuts down the Redis at `url` at once, as an outage would (its owner then finds it gone)."""
    client = redis.Redis.from_url(url)
    with contextlib.suppress(redis.ConnectionError):
        client.shutdown(nosave=True)
    client.close()


def _end_with_parent() -> None:
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
