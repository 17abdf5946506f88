from __future__ import annotations

import strawberry

from gateway import __version__
from gateway.system.types import Service


def resolve_service() -> Service:
    return Service(name="sett", version=__version__)


@strawberry.type
class SystemQueries:
    service: Service = strawberry.field(
        resolver=resolve_service, description="Name and version of the gateway. Readiness is reported by /readyz."
    )
