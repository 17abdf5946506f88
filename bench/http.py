"""A small keep-alive HTTP/1.1 client for the benchmark's load, so that the client's own cost (httpx spends
most of a millisecond per request) weighs as little as possible on what is measured. Every target is
measured through it alike."""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import urlsplit


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer


class HttpPool:
    """Connections to one server, reused one request at a time each."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self._host = parts.hostname or "127.0.0.1"
        self._port = parts.port or 80
        self._path = parts.path or "/"
        self._idle: list[Connection] = []

    async def post_json(self, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, Any]:
        payload = json.dumps(body).encode()
        head = [f"POST {self._path} HTTP/1.1", f"Host: {self._host}:{self._port}", "Content-Type: application/json"]
        head += [f"{name}: {value}" for name, value in headers.items()]
        head.append(f"Content-Length: {len(payload)}")
        request = ("\r\n".join(head) + "\r\n\r\n").encode() + payload
        reused = bool(self._idle)
        connection = self._idle.pop() if reused else await self._connect()
        try:
            connection.writer.write(request)
            status, data = await _response(connection.reader)
        except (ConnectionError, asyncio.IncompleteReadError, EmptyResponse):
            connection.writer.close()
            if not reused:
                raise
            return await self.post_json(body, headers)  # the server closed an idle connection: once more, afresh
        except BaseException:
            connection.writer.close()
            raise
        self._idle.append(connection)
        return status, json.loads(data)

    async def _connect(self) -> Connection:
        reader, writer = await asyncio.open_connection(self._host, self._port)
        return Connection(reader, writer)

    async def close(self) -> None:
        for connection in self._idle:
            connection.writer.close()
        self._idle.clear()


class EmptyResponse(ConnectionError):
    """The server closed the connection without answering."""


async def _response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    status_line = await reader.readline()
    if not status_line:
        raise EmptyResponse("connection closed before a response")
    status = int(status_line.split()[1])
    length, chunked = 0, False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if not chunked:
        return status, await reader.readexactly(length)
    body = b""
    while size := int((await reader.readline()).strip(), 16):
        body += await reader.readexactly(size)
        await reader.readline()
    await reader.readline()
    return status, body
