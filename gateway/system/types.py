from __future__ import annotations

import strawberry


@strawberry.type(description="The Sett gateway answering this request.")
class Service:
    name: str
    version: str
