"""Debian's Chromium, headless and driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: file
descriptors 3 and 4, JSON messages ended by NUL), so that no WebSocket client and no browser download is needed."""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest

SECONDS = 60
TRAMPOLINE = (
    "import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); os.execv(sys.argv[3], sys.argv[3:])"
)
"""Puts the pipes on descriptors 3 and 4, then becomes Chromium (dash's redirections take one-digit fds only)."""


def chromium_path() -> str:
    found = shutil.which("chromium")
    if found is None:
        pytest.fail("chromium is not installed: `make chromium` (as root it installs Debian's; `make test` does)")
    return found


def _high(fd: int) -> int:
    """The descriptor moved above 9, so that putting the pipes on 3 and 4 in the child cannot clobber them."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return moved


class Chromium:
    """One headless browser with one page; every host name but 127.0.0.1 fails to resolve (a closed network)."""

    def __init__(self, profile: Path) -> None:
        commands_read, self._commands = (_high(fd) for fd in os.pipe())
        self._answers, answers_write = (_high(fd) for fd in os.pipe())
        args = [
            "--headless",
            "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
            "--disable-gpu",
            "--remote-debugging-pipe",
            f"--user-data-dir={profile}",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--window-size=1200,900",
            "about:blank",
        ]
        self._process = subprocess.Popen(
            [sys.executable, "-c", TRAMPOLINE, str(commands_read), str(answers_write), chromium_path(), *args],
            pass_fds=(commands_read, answers_write),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(commands_read)
        os.close(answers_write)
        self._next = 0
        self._buffer = b""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.send("Page.enable", session=True)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
        os.close(self._commands)
        os.close(self._answers)

    def send(self, method: str, params: dict[str, Any] | None = None, *, session: bool = False) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self._session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + SECONDS
        while True:
            answer = self._read(deadline)
            if answer.get("id") == self._next:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                result: dict[str, Any] = answer["result"]
                return result

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._answers], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self._answers, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed its DevTools pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        found: dict[str, Any] = json.loads(message)
        return found

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (DevTools runs it, not the page: its CSP allows none)."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str) -> None:
        """Waits until the expression is truthy (in JavaScript's sense) in a fully loaded page."""
        deadline = time.monotonic() + SECONDS
        while time.monotonic() < deadline:
            try:
                loaded = self.evaluate("document.readyState") == "complete"
                if loaded and self.evaluate(f"Boolean({expression})") is True:
                    return
            except RuntimeError:
                pass  # the page is between two documents
            time.sleep(0.1)
        raise TimeoutError(f"never true: {expression}\n{self.evaluate('document.body && document.body.innerText')}")

    def go(self, url: str) -> None:
        self.send("Page.navigate", {"url": url}, session=True)

    def screenshot(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session=True)
        path.write_bytes(base64.b64decode(data["data"]))
