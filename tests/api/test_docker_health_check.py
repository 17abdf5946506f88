"""The image's HEALTHCHECK command, run as Docker would run it: it passes when the gateway is ready, and fails
while Neo4j does not answer or nothing listens. (No image is built: see `tests/unit/test_docker_files.py`.)"""

from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import urlsplit

from graph.driver import Neo4jConnection
from graph.runtime.local import free_port
from tests.support.servers import live_gateway, settings_for_tests
from tests.unit.test_docker_files import health_check_command


def check(port: int) -> int:
    environment = {**os.environ, "SETT_PORT": str(port)}
    command = [sys.executable, "-c", health_check_command()]
    return subprocess.run(command, env=environment, capture_output=True, check=False, timeout=30).returncode


def test_the_health_check_passes_when_the_gateway_is_ready(gateway_url: str) -> None:
    port = urlsplit(gateway_url).port
    assert port is not None
    assert check(port) == 0


def test_the_health_check_fails_when_neo4j_does_not_answer_or_nothing_listens(
    neo4j_connection: Neo4jConnection,
) -> None:
    nowhere = Neo4jConnection(f"bolt://127.0.0.1:{free_port()}", neo4j_connection.auth, timeout_seconds=1.0)
    with live_gateway(settings_for_tests(), nowhere) as url:
        port = urlsplit(url).port
        assert port is not None
        assert check(port) != 0  # /readyz answers 503
    assert check(free_port()) != 0
