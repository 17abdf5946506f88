"""What every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass

from neo4j import AsyncDriver
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from gateway.settings import Settings


@dataclass
class Context:
    request: Request | WebSocket
    response: Response | None
    settings: Settings
    driver: AsyncDriver
