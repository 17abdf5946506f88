"""`/graphql` over HTTP, as the GraphQL-over-HTTP specification asks: POST a JSON body, get a JSON answer;
GraphiQL on GET in development.

The answer is `application/graphql-response+json` when the client's `Accept` prefers it, else `application/json`
(also for no `Accept` or `*/*`); an `Accept` that allows neither is answered 406 (see `gateway.media`). Status:

- an executed operation, with or without field errors (`data` present, perhaps null): 200;
- a well-formed request refused before execution (the document does not parse or validate, is past a limit,
  names no operation, or its variables do not coerce): 200 in `application/json`, 400 in the newer type;
- not a GraphQL request (a body that is not JSON, parameters of the wrong type): 400;
- a body too large, another `Content-Type`, GET or another method, an unacceptable `Accept`: 413, 415, 405, 406.

An answer refused before execution has no `data`. Queries are not served over GET, nor mutations ever: GET is
answered 405 (`Allow: POST`), except that a browser (`Accept: text/html`) gets GraphiQL in development.

The document is the `query`, or the trusted document named by `documentId` (`sha256:<hex>`) or by Apollo's
`extensions.persistedQuery.sha256Hash`; an unknown id is refused with `PERSISTED_QUERY_NOT_FOUND`. In production,
only trusted documents run, by id or by their exact text, for any principal without the scope named by
SETT_ARBITRARY_DOCUMENTS_SCOPE: another document is refused with `DOCUMENT_NOT_TRUSTED` before it is parsed, and
introspection and "Did you mean" suggestions are off (see `gateway.trusted_documents`).

The schema is strawberry's; this endpoint executes it with graphql-core directly, so that a request costs
its parse (once per distinct document, cached with its validation), its resolvers and one JSON encoding,
without a per-request extension and view machinery. Every error carries an `extensions.code` and the
request id (see `gateway.errors`).
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from inspect import isawaitable
from typing import Any, cast

from graphql import (
    DocumentNode,
    ExecutionResult,
    FloatValueNode,
    GraphQLError,
    GraphQLSchema,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    execute,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
)
from graphql.validation import NoSchemaIntrospectionCustomRule, ValidationRule
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from strawberry.execution.is_awaitable import optimized_is_awaitable

from cases.errors import InvalidCase
from gateway.context import stated_purpose
from gateway.errors import RETRY_AFTER_SECONDS, any_unavailable, coded_errors, request_error, unavailable
from gateway.graphiql import GraphiQL
from gateway.limits import LIMIT_CODE, LimitExceeded, OperationLimits, check_cost, shape_of
from gateway.media import JSON, response_media_type
from gateway.metrics import ERROR, OK, REFUSED
from gateway.observe import observe_errors, observe_operation, observe_outcome
from gateway.trusted_documents import (
    ID_PREFIX,
    NOT_FOUND_CODE,
    NOT_TRUSTED_CODE,
    STRAWBERRY_RULES,
    Trust,
    document_id,
)
from graph.driver import UNAVAILABLE
from graph.recorded_reads import recording_for_request

DOCUMENT_CACHE_SIZE = 512
"""Parsed and validated documents kept by their text; the few that clients send again and again stay."""
CACHED_DOCUMENT_CHARS = 16_384
"""Longer documents are parsed each time, so that the cache's memory stays small whatever clients send."""
POST_ONLY = {"Allow": "POST"}
VARY = {"Vary": "Accept"}


@dataclass(frozen=True)
class Prepared:
    document: DocumentNode | None
    errors: list[GraphQLError]


class Documents:
    """Parse and validate, once per document text. `closed` (production, for a principal who may not explore)
    refuses introspection and leaves "Did you mean" suggestions out of the errors; each mode has its own
    `Documents`, so that an answer prepared for one is never served to the other."""

    def __init__(
        self,
        schema: GraphQLSchema,
        limits: OperationLimits,
        maxsize: int = DOCUMENT_CACHE_SIZE,
        *,
        closed: bool = False,
    ) -> None:
        self._schema = schema
        self._limits = limits
        self._maxsize = maxsize
        self._closed = closed
        self._rules = (*specified_rules, *STRAWBERRY_RULES, *((NoSchemaIntrospectionCustomRule,) if closed else ()))
        self._prepared: OrderedDict[str, Prepared] = OrderedDict()

    def get(self, query: str) -> Prepared:
        found = self._prepared.get(query)
        if found is not None:
            self._prepared.move_to_end(query)
            return found
        prepared = self._prepare(query)
        if len(query) <= CACHED_DOCUMENT_CHARS:
            self._prepared[query] = prepared
            if len(self._prepared) > self._maxsize:
                self._prepared.popitem(last=False)
        return prepared

    def _prepare(self, query: str) -> Prepared:
        limits = self._limits
        try:
            document = parse(query, max_lexical_tokens=limits.tokens, max_comments=limits.tokens)
        except GraphQLError as error:
            if "Document contains more than" in error.message:  # graphql-core's own limits
                return Prepared(None, [LimitExceeded("tokens", limits.tokens, error.message).as_graphql_error()])
            return Prepared(None, [error])
        try:
            for operation in document.definitions:
                if isinstance(operation, OperationDefinitionNode):
                    shape_of(document, operation, limits)
        except LimitExceeded as exceeded:
            return Prepared(None, [exceeded.as_graphql_error()])
        too_long = validate(self._schema, document, (NumbersThatFit,))
        if too_long:
            return Prepared(None, too_long)
        return Prepared(document, validate(self._schema, document, self._rules, hide_suggestions=self._closed))


class NumbersThatFit(ValidationRule):
    """Number literals longer than any Int or Float holds. Run alone before the standard rules, whose
    coercion of a 5,000-digit literal fails inside Python's int() and would be reported as a crash."""

    MAX_CHARS = 64

    def enter_int_value(self, node: IntValueNode, *_: Any) -> None:
        self._check(node)

    def enter_float_value(self, node: FloatValueNode, *_: Any) -> None:
        self._check(node)

    def _check(self, node: IntValueNode | FloatValueNode) -> None:
        if len(node.value) > self.MAX_CHARS:
            message = (
                f"a number literal has {len(node.value)} characters; no Int or Float takes more than {self.MAX_CHARS}"
            )
            self.report_error(GraphQLError(message, node))


ContextFactory = Callable[[Request], Awaitable[Any]]


class GraphQLEndpoint:
    """The ASGI app behind the `/graphql` route; `ide` serves GraphiQL on GET (development only)."""

    def __init__(
        self,
        schema: GraphQLSchema,
        *,
        context: ContextFactory,
        executor: Any,
        ide: GraphiQL | None,
        limits: OperationLimits,
        trust: Trust,
    ) -> None:
        self._schema = schema
        self._limits = limits
        self._trust = trust
        self._documents = Documents(schema, limits)
        self._closed_documents = Documents(schema, limits, closed=True)
        self._context = context
        self._executor = executor
        self._ide = ide

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        request = Request(scope, receive)
        response = await self._answer(request)
        await response(scope, receive, send)

    async def _answer(self, request: Request) -> Response:
        media_type = response_media_type(request.headers.get("accept"))
        if request.method in ("GET", "HEAD"):
            return self._get(request, media_type or JSON)
        if request.method != "POST":
            return _refused(request, 405, "send GraphQL requests with POST", media_type or JSON, POST_ONLY)
        if media_type is None:
            message = "accept `application/graphql-response+json` or `application/json` to get an answer"
            return _refused(request, 406, message, JSON)
        return await self._post(request, media_type)

    async def _post(self, request: Request, media_type: str) -> Response:
        try:
            payload = await _graphql_request(request, self._limits.body_bytes)
        except NotAGraphQLRequest as not_graphql:
            return _refused(request, not_graphql.status, str(not_graphql), media_type, code=not_graphql.code)
        variables, operation_name = payload.get("variables"), payload.get("operationName")
        open_ = self._trust.open_for(getattr(request.state, "principal", None))
        query = self._document_text(payload, open_=open_)
        documents = self._documents if open_ else self._closed_documents
        prepared = Prepared(None, [query]) if isinstance(query, GraphQLError) else documents.get(query)
        observe_operation(request, prepared.document, operation_name)
        if prepared.errors or prepared.document is None:
            return _not_executed(request, media_type, prepared.errors)
        refused = self._refusal(prepared.document, operation_name, variables)
        if refused is not None:  # answered below as any request that did not run
            result: ExecutionResult | None = ExecutionResult(None, [refused])
        else:
            result = await self._execute(request, prepared.document, variables, operation_name, open_=open_)
        if result is None:
            return unavailable(request.state.request_id, media_type)
        errors = result.errors or []
        if result.data is None and errors and all(error.path is None for error in errors):
            return _not_executed(request, media_type, errors)  # refused, or variables that do not coerce: nothing ran
        body: dict[str, Any] = {"data": result.data}
        observe_outcome(request, ERROR if errors else OK)
        if errors:
            body["errors"] = _coded(request, errors)
        if any_unavailable(errors):  # what did run is shown; the status says the rest may work later
            headers = {**VARY, "Retry-After": str(RETRY_AFTER_SECONDS)}
            return JSONResponse(body, status_code=503, media_type=media_type, headers=headers)
        return JSONResponse(body, media_type=media_type, headers=VARY)

    def _document_text(self, payload: dict[str, Any], *, open_: bool) -> str | GraphQLError:
        """The text of the document to run, or why none runs. Checked before anything is parsed, so that in
        production a document that is not trusted costs a lookup and nothing else."""
        query, identifier = payload.get("query"), payload.get("documentId")
        documents = self._trust.documents
        if query is None:
            text = documents.text_of(identifier) if identifier else None
            if text is None:
                message = f"no trusted document has the id {identifier!r}"
                return GraphQLError(message, extensions={"code": NOT_FOUND_CODE})
            return text
        if open_:
            return cast("str", query)
        trusted = documents.trusted_text(query)
        if trusted is not None:
            return trusted
        message = (
            "this gateway runs only trusted documents: send one's `documentId` (`sha256:` and the hex SHA-256 of "
            "its text) or its exact text"
        )
        return GraphQLError(message, extensions={"code": NOT_TRUSTED_CODE})

    async def _execute(
        self,
        request: Request,
        document: DocumentNode,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        *,
        open_: bool,
    ) -> ExecutionResult | None:
        """Runs the operation, then writes the dissemination records of the root fields that reached the answer,
        before it leaves: nothing shown that is not recorded, nor recorded that is not shown. None when the
        records cannot be written: then nothing may be shown."""
        with recording_for_request() as pending:
            result = execute(
                self._schema,
                document,
                context_value=await self._context(request),
                variable_values=variables,
                operation_name=operation_name,
                executor_class=self._executor,
                is_awaitable=cast("Any", optimized_is_awaitable),  # strawberry's faster check, as it uses
                hide_suggestions=not open_,  # in the errors of variables that do not coerce
            )
            if isawaitable(result):
                result = await result
        data = result.data
        try:
            await pending.commit(lambda key: data is not None and (key is None or data.get(key) is not None))
        except UNAVAILABLE:
            return None
        return result

    def _refusal(
        self, document: DocumentNode, operation_name: str | None, variables: dict[str, Any] | None
    ) -> GraphQLError | None:
        """Why the operation asked for may not run: no such operation, a subscription, or too costly."""
        operation = get_operation_ast(document, operation_name)
        if operation is None:
            return GraphQLError(_no_operation(operation_name), extensions={"code": "BAD_REQUEST"})
        if operation.operation not in (OperationType.QUERY, OperationType.MUTATION):
            return GraphQLError("subscriptions are not served over HTTP", extensions={"code": "BAD_REQUEST"})
        try:
            check_cost(self._schema, document, operation, variables, self._limits)
        except LimitExceeded as exceeded:
            return exceeded.as_graphql_error()
        return None

    def _get(self, request: Request, media_type: str) -> Response:
        """GraphiQL for a browser in development; otherwise 405, since neither queries nor mutations run on GET."""
        if "text/html" in request.headers.get("accept", ""):
            if self._ide is None:
                return _refused(request, 404, "not found", media_type, code="NOT_FOUND")
            return self._ide.page(request)
        message = "send GraphQL requests with POST: queries are not served over GET, and mutations never"
        return _refused(request, 405, message, media_type, POST_ONLY)


def _coded(request: Request, errors: list[GraphQLError]) -> list[Any]:
    coded = coded_errors(errors, request.state.request_id, request.state.client_request_id)
    observe_errors(request, coded)
    return coded


def _not_executed(request: Request, media_type: str, errors: list[GraphQLError]) -> Response:
    """A well-formed request refused before execution: 200 in `application/json`, 400 in the newer media type."""
    status = 200 if media_type == JSON else 400
    observe_outcome(request, REFUSED, errors)
    return JSONResponse({"errors": _coded(request, errors)}, status, media_type=media_type, headers=VARY)


def _refused(
    request: Request,
    status: int,
    message: str,
    media_type: str,
    headers: dict[str, str] | None = None,
    *,
    code: str = "BAD_REQUEST",
) -> Response:
    headers = {**VARY, **(headers or {})}
    observe_outcome(request, REFUSED, code=code)
    return request_error(
        status, message, request_id=request.state.request_id, code=code, media_type=media_type, headers=headers
    )


class NotAGraphQLRequest(Exception):
    def __init__(self, status: int, message: str, code: str = "BAD_REQUEST") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


async def _graphql_request(request: Request, most_bytes: int) -> dict[str, Any]:
    """The JSON body of a GraphQL request; NotAGraphQLRequest when it is not one."""
    media, *parameters = request.headers.get("content-type", "").split(";")
    if media.strip().lower() != "application/json":
        raise NotAGraphQLRequest(415, "send the GraphQL request as `Content-Type: application/json`")
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            raise NotAGraphQLRequest(415, "send the GraphQL request in UTF-8 (`charset=utf-8`, or no charset)")
    body = await _body(request, most_bytes)
    try:
        payload = json.loads(body.decode("utf-8"))  # UTF-8 only: json.loads would guess UTF-16 and -32 from bytes
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise NotAGraphQLRequest(400, "the request body is not JSON in UTF-8") from None
    except ValueError:  # Python's bound on the digits of an integer
        raise NotAGraphQLRequest(400, "the request holds a number with more digits than Sett reads") from None
    if _SURROGATE_ESCAPE.search(body) and _holds_lone_surrogate(payload):
        raise NotAGraphQLRequest(400, "the request holds a lone UTF-16 surrogate escape, which is not text")
    if not isinstance(payload, dict):
        raise NotAGraphQLRequest(400, "the request body must be a JSON object with a `query`")
    try:
        stated_purpose(request)
    except InvalidCase as bad_purpose:
        raise NotAGraphQLRequest(400, str(bad_purpose), code=bad_purpose.code) from None
    return _parameters(payload)


def _parameters(payload: dict[str, Any]) -> dict[str, Any]:
    """The request's parameters, checked, with `documentId` set to the id the request names (or None)."""
    if not isinstance(payload.get("variables"), dict | None):
        raise NotAGraphQLRequest(400, "`variables` must be a JSON object")
    if not isinstance(payload.get("operationName"), str | None):
        raise NotAGraphQLRequest(400, "`operationName` must be a string")
    if not isinstance(payload.get("extensions"), dict | None):
        raise NotAGraphQLRequest(400, "`extensions` must be a JSON object")
    identifier = _document_id(payload)
    query = payload.get("query")
    if query is None and identifier is None:
        raise NotAGraphQLRequest(400, "the request has no `query` string (nor a `documentId`)")
    if query is not None and (not isinstance(query, str) or not query.strip()):
        raise NotAGraphQLRequest(400, "the request has no `query` string")
    if query is not None and identifier is not None and identifier != document_id(query):
        raise NotAGraphQLRequest(400, f"{identifier!r} is not the id of the `query` sent with it")
    return {**payload, "documentId": identifier}


def _document_id(payload: dict[str, Any]) -> str | None:
    """The document id the request names: `documentId` (`sha256:<hex>`, GraphQL over HTTP's persisted
    documents) or Apollo's `extensions.persistedQuery` (`{"version": 1, "sha256Hash": "<hex>"}`)."""
    named = payload.get("documentId")
    if not isinstance(named, str | None):
        raise NotAGraphQLRequest(400, "`documentId` must be a string")
    persisted = (payload.get("extensions") or {}).get("persistedQuery")
    if persisted is None:
        return named
    if not (
        isinstance(persisted, dict) and persisted.get("version") == 1 and isinstance(persisted.get("sha256Hash"), str)
    ):
        raise NotAGraphQLRequest(400, '`extensions.persistedQuery` must be {"version": 1, "sha256Hash": "<hex>"}')
    hashed: str = ID_PREFIX + persisted["sha256Hash"]
    if named is not None and named != hashed:
        raise NotAGraphQLRequest(400, "`documentId` and `extensions.persistedQuery` name different documents")
    return hashed


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
"""A JSON escape of half a surrogate pair: whole pairs (an emoji) decode to one character, lone ones to none."""


def _holds_lone_surrogate(payload: Any) -> bool:
    try:
        json.dumps(payload, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return True
    return False


async def _body(request: Request, most_bytes: int) -> bytes:
    """The request body, read no further than `most_bytes`, whatever Content-Length claims."""
    too_large = NotAGraphQLRequest(413, f"the request body is larger than {most_bytes} bytes", LIMIT_CODE)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > most_bytes:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > most_bytes:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _no_operation(name: str | None) -> str:
    if name is None:
        return "the document holds several operations: name the one to run with `operationName`"
    return f"the document has no operation named {name!r}"
