"""Trusted documents: the GraphQL documents that Sett's own clients and its README send. In production they are
all the gateway runs, unless the principal holds the scope `SETT_ARBITRARY_DOCUMENTS_SCOPE` names.

They are committed as `.graphql` files under `gateway/operations/`, one document a file (a document may hold
several named operations, picked with `operationName`, and their fragments), and listed in the generated
`gateway/operations/manifest.json`: a JSON object from each document's id to its text, in the order of the files.

- A document's text is its file's content without the whitespace around it (an editor's final newline).
- Its id is `sha256:` and the lower-case hex SHA-256 of that text in UTF-8: the "SHA256 hex document identifier"
  of the GraphQL-over-HTTP persisted documents appendix. No other normalisation: a change of a space is another
  document, as it moves the locations that errors report.
- A client names one by `documentId`, or by Apollo's `extensions.persistedQuery.sha256Hash` (the same hex without
  the prefix), or sends its text as `query`, word for word (whitespace around it aside).

`sett documents --check` (part of `make lint`) fails when the manifest is not what the files make, or when a
document does not parse, does not validate against the schema, is past the default operation limits, or asks for
introspection (which production refuses to everyone without the scope).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from graphql import GraphQLError, GraphQLSchema, OperationDefinitionNode, parse, specified_rules, validate
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from agencies.principals import Principal, Scope
from gateway.limits import LimitExceeded, OperationLimits, check_cost, shape_of
from gateway.settings import Environment, Settings

OPERATIONS_DIR = Path(__file__).with_name("operations")
MANIFEST_FILE = OPERATIONS_DIR / "manifest.json"
ID_PREFIX = "sha256:"
STRAWBERRY_RULES = (MaybeNullValidationRule, OneOfInputValidationRule)
"""The rules strawberry adds to graphql-core's own, for its `Maybe` and `@oneOf` inputs."""
NOT_FOUND_CODE = "PERSISTED_QUERY_NOT_FOUND"
NOT_TRUSTED_CODE = "DOCUMENT_NOT_TRUSTED"


class ManifestError(Exception):
    """The manifest cannot be read, or one of its ids is not the id of its document."""


def document_id(text: str) -> str:
    return ID_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()


class TrustedDocuments:
    """The documents of a manifest, by id and by text."""

    def __init__(self, manifest: Mapping[str, str]) -> None:
        for key, text in manifest.items():
            if document_id(text) != key:
                raise ManifestError(f"{key} is not the id of its document: run `sett documents --write`")
        self._by_id = dict(manifest)
        self._texts = frozenset(manifest.values())

    @classmethod
    def load(cls, path: Path = MANIFEST_FILE) -> TrustedDocuments:
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ManifestError(f"cannot read the trusted documents from {path}: {error}") from None
        if not isinstance(manifest, dict) or not all(isinstance(text, str) for text in manifest.values()):
            raise ManifestError(f"{path} is not a JSON object from document ids to document texts")
        return cls(manifest)

    def __len__(self) -> int:
        return len(self._by_id)

    def text_of(self, identifier: str) -> str | None:
        return self._by_id.get(identifier)

    def trusted_text(self, query: str) -> str | None:
        """The manifest's text of `query` when it is one of the documents (whitespace around it aside)."""
        text = query.strip()
        return text if text in self._texts else None


@dataclass(frozen=True)
class Trust:
    """Which documents run for whom. Everyone may name a trusted document by its id; in production
    (`only_trusted`) nothing else runs, and introspection and "Did you mean" suggestions are off, except for a
    principal holding `open_to` (SETT_ARBITRARY_DOCUMENTS_SCOPE, unset by default: nobody)."""

    documents: TrustedDocuments
    only_trusted: bool
    open_to: Scope | None = None

    @classmethod
    def for_settings(cls, settings: Settings) -> Trust:
        return cls(
            TrustedDocuments.load(),
            only_trusted=settings.environment is Environment.PRODUCTION,
            open_to=settings.arbitrary_documents_scope,
        )

    def open_for(self, principal: Principal | None) -> bool:
        """Whether `principal` may send any document, introspect and see suggestions."""
        if not self.only_trusted:
            return True
        return self.open_to is not None and principal is not None and principal.has(self.open_to)


@dataclass(frozen=True)
class Source:
    """One `.graphql` file: its path under the operations folder and its document's text."""

    path: Path
    text: str

    @property
    def id(self) -> str:
        return document_id(self.text)


def sources(directory: Path = OPERATIONS_DIR) -> list[Source]:
    return [
        Source(path.relative_to(directory), path.read_text(encoding="utf-8").strip())
        for path in sorted(directory.rglob("*.graphql"))
    ]


def manifest_json(found: Sequence[Source]) -> str:
    """The manifest the files make: id → text, in the order of the files."""
    return json.dumps({source.id: source.text for source in found}, indent=2, ensure_ascii=False) + "\n"


def check(schema: GraphQLSchema, directory: Path = OPERATIONS_DIR, manifest: Path = MANIFEST_FILE) -> list[str]:
    """What `sett documents --check` reports: the documents' problems, and a manifest that is not what the
    files make; empty when all is well."""
    found = sources(directory)
    wrong = problems(schema, found)
    if not manifest.exists() or manifest.read_text(encoding="utf-8") != manifest_json(found):
        wrong.append(f"{manifest.name} is stale: run `sett documents --write` and review the diff")
    return wrong


def problems(schema: GraphQLSchema, found: Sequence[Source], *, limits: OperationLimits | None = None) -> list[str]:
    """What is wrong with the documents, each named by its file; empty when every one may be trusted."""
    limits = limits or OperationLimits()
    wrong: list[str] = [] if found else ["there is no .graphql file"]
    first_of: dict[str, Source] = {}
    for source in found:
        twin = first_of.setdefault(source.id, source)
        if twin is not source:
            wrong.append(f"{source.path}: the same document as {twin.path}")
            continue
        wrong.extend(f"{source.path}: {problem}" for problem in document_problems(schema, source.text, limits))
    return wrong


def document_problems(schema: GraphQLSchema, text: str, limits: OperationLimits) -> list[str]:
    """Why a production gateway would not run this document for every principal; empty when it would."""
    if not text:
        return ["the file holds no document"]
    try:
        document = parse(text, max_lexical_tokens=limits.tokens)
    except GraphQLError as error:
        return [_described(error)]
    operations = [node for node in document.definitions if isinstance(node, OperationDefinitionNode)]
    if not operations:
        return ["the document holds no operation"]
    wrong = []
    for operation in operations:
        try:
            shape_of(document, operation, limits)
            check_cost(schema, document, operation, None, limits)
        except LimitExceeded as exceeded:
            wrong.append(f"{exceeded} (limit `{exceeded.limit}`)")
    rules = (*specified_rules, *STRAWBERRY_RULES, NoSchemaIntrospectionCustomRule)
    return wrong + [_described(error) for error in validate(schema, document, rules)]


def _described(error: GraphQLError) -> str:
    where = f" (line {error.locations[0].line})" if error.locations else ""
    return error.message + where
