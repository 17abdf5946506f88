"""`POST /import`: an agency's records system pushes an import file (docs/import-format.md) over HTTP.

A route of its own rather than a GraphQL mutation: a file of records is not a GraphQL value (it would travel
JSON-escaped inside a document whose body limit, SETT_MAX_BODY_BYTES, is 128 KiB so that hostile requests stay
cheap), and it needs a limit of its own, SETT_IMPORT_MAX_BYTES. The body is the file itself, as CSV
(`Content-Type: text/csv`) or JSON Lines (`application/jsonl`, or `application/x-ndjson`); `?format=csv|jsonl`
overrides the type. It is authenticated like `/graphql` (the same bearer tokens and JWTs) and needs CASES_WRITE
and CASES_READ, as openCase does (the answer tells what the agency's graph holds); the records become the
caller's agency's, through the same `import_records` as `sett import`.

The answer is JSON: `summary` (rows read, written, created, updated, unchanged, rejected, seconds) and `rejects`
(line, sourceId, field, reason of every row not used), with 200 whether or not rows were rejected. Refusals have
the shape of every other refusal (`errors[].extensions.code`, `requestId`): 401 `UNAUTHENTICATED`, 403
`FORBIDDEN`, 413 `LIMIT_EXCEEDED` (`extensions.limit` is `importBytes`), 415 `BAD_REQUEST`, 400
`BAD_USER_INPUT`, 409 `CONFLICT`; 503 `SERVICE_UNAVAILABLE` when Neo4j goes away, after which the batches written
stay and sending the same file again finishes the job.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from agencies.principals import Principal, Scope
from cases.errors import CaseError, CaseForbidden, ImportConflict
from cases.import_service import ImportSummary, import_records
from cases.imports.reader import Encoding, ImportSource
from cases.imports.records import Rejected
from cases.imports.rejects import reject_fields
from gateway.errors import request_error
from gateway.limits import LIMIT_CODE

log = logging.getLogger("sett.imports")
IMPORT_PATH = "/import"
MEDIA_TYPES = {
    "text/csv": Encoding.CSV,
    "application/jsonl": Encoding.JSON_LINES,
    "application/x-ndjson": Encoding.JSON_LINES,
    "application/x-jsonlines": Encoding.JSON_LINES,
}
STATUS = {CaseForbidden: 403, ImportConflict: 409}


class ImportEndpoint:
    """The route's endpoint (`answer`); `max_bytes` bounds the file, `batch_size` the records of one transaction."""

    def __init__(self, *, max_bytes: int, batch_size: int) -> None:
        self._max_bytes = max_bytes
        self._batch_size = batch_size

    async def answer(self, request: Request) -> Response:
        principal: Principal | None = getattr(request.state, "principal", None)
        if principal is None:
            return _refused(request, 401, "send the import with `Authorization: Bearer <token>`", "UNAUTHENTICATED")
        missing = [scope.name for scope in (Scope.CASES_WRITE, Scope.CASES_READ) if not principal.has(scope)]
        if missing:
            return _refused(request, 403, f"importing records needs the {' and '.join(missing)} scope", "FORBIDDEN")
        encoding = _encoding(request)
        if encoding is None:
            message = "send the file as `Content-Type: text/csv` or `application/jsonl`, or say ?format=csv|jsonl"
            return _refused(request, 415, message, "BAD_REQUEST")
        body = await _body(request, self._max_bytes)
        if body is None:
            message = f"the import file is larger than {self._max_bytes} bytes (SETT_IMPORT_MAX_BYTES)"
            extensions = {"code": LIMIT_CODE, "requestId": request.state.request_id, "limit": "importBytes"}
            body_error = {"message": message, "extensions": {**extensions, "maximum": self._max_bytes}}
            return JSONResponse({"errors": [body_error]}, 413)
        rejects: list[Rejected] = []
        try:
            summary = await import_records(
                principal=principal,
                source=ImportSource.of_bytes(body, encoding),
                repository=request.app.state.repositories.imports,
                on_rejects=rejects.extend,
                batch_size=self._batch_size,
                detail={"via": "api", "client": request.state.client},
            )
        except CaseError as error:
            return _refused(request, STATUS.get(type(error), 400), str(error), error.code)
        log.info(
            "import",
            extra={"request_id": request.state.request_id, "agency": principal.agency_id, **_summary(summary)},
        )
        return JSONResponse({"summary": _summary(summary), "rejects": [reject_fields(r) for r in rejects]})


def _summary(summary: ImportSummary) -> dict[str, Any]:
    return {
        "rows": summary.read,
        "written": summary.written,
        "created": summary.created,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "rejected": summary.rejected,
        "seconds": round(summary.seconds, 3),
    }


def _encoding(request: Request) -> Encoding | None:
    named = request.query_params.get("format")
    if named is not None:
        return Encoding(named) if named in {e.value for e in Encoding} else None
    media, *parameters = request.headers.get("content-type", "").split(";")
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            return None
    return MEDIA_TYPES.get(media.strip().lower())


async def _body(request: Request, most_bytes: int) -> bytes | None:
    """The body, read no further than `most_bytes` whatever Content-Length claims; None when it is longer."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > most_bytes:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > most_bytes:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _refused(request: Request, status: int, message: str, code: str) -> JSONResponse:
    return request_error(status, message, request_id=getattr(request.state, "request_id", None), code=code)
