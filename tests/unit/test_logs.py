from __future__ import annotations

import json
import logging

from gateway.logs import JsonFormatter


def test_log_records_are_single_json_lines_with_their_extras() -> None:
    record = logging.LogRecord("sett.test", logging.WARNING, __file__, 1, "not ready: %s", ("x",), None)
    record.reason = "Neo4j does not answer"
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "sett.test"
    assert entry["message"] == "not ready: x"
    assert entry["reason"] == "Neo4j does not answer"
    assert entry["time"].endswith("+00:00")
