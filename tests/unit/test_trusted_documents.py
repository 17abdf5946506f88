"""Trusted documents: their ids, the manifest and its check, and who may send what."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from agencies.principals import AuthMethod, Principal, Role, Scope, scopes_for
from bench import links, reads
from gateway.graphiql import DEFAULT_QUERY
from gateway.graphql_http import Documents
from gateway.limits import OperationLimits
from gateway.schema import schema
from gateway.settings import PROJECT_ROOT
from gateway.trusted_documents import (
    ManifestError,
    Trust,
    TrustedDocuments,
    check,
    document_id,
    manifest_json,
    sources,
)
from tests.support.servers import settings_for_tests

SCHEMA = schema._schema
README = PROJECT_ROOT / "README.md"


def principal(*scopes: Scope) -> Principal:
    roles, method = frozenset({Role.ADMIN}), AuthMethod.SETT_TOKEN
    return Principal(subject="someone", agency_id="USOVC0000", roles=roles, scopes=frozenset(scopes), method=method)


def folder(tmp_path: Path, **files: str) -> Path:
    for name, text in files.items():
        path = tmp_path / "operations" / f"{name}.graphql"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path / "operations"


def write_manifest(directory: Path) -> Path:
    manifest = directory / "manifest.json"
    manifest.write_text(manifest_json(sources(directory)))
    return manifest


def test_the_id_is_the_sha256_of_the_text_as_the_graphql_over_http_appendix_shows() -> None:
    spaced = "query ($id: ID!) {\n  user(id: $id) {\n    name\n  }\n}"
    assert document_id(spaced) == "sha256:7dba4bd717b41f10434822356a93c32b1fb4907b983e854300ad839f84cdcd6e"
    assert document_id("query($id:ID!){user(id:$id){name}}") == (
        "sha256:71f7dc5758652baac68e4a10c50be732b741c892ade2883a99358f52b555286b"
    )


def test_a_documents_text_is_its_file_without_the_whitespace_around_it(tmp_path: Path) -> None:
    directory = folder(tmp_path, a="\n{ service { name } }\n\n", b="query B { me { agencyId } }\n")
    assert [(str(s.path), s.text) for s in sources(directory)] == [
        ("a.graphql", "{ service { name } }"),
        ("b.graphql", "query B { me { agencyId } }"),
    ]
    manifest = json.loads(manifest_json(sources(directory)))
    assert list(manifest.items()) == [
        (document_id("{ service { name } }"), "{ service { name } }"),
        (document_id("query B { me { agencyId } }"), "query B { me { agencyId } }"),
    ]


def test_a_current_manifest_passes_the_check_and_a_stale_one_fails_it(tmp_path: Path) -> None:
    directory = folder(tmp_path, a="{ service { name } }\n")
    manifest = write_manifest(directory)
    assert check(SCHEMA, directory, manifest) == []
    (directory / "b.graphql").write_text("{ service { version } }\n")
    (stale,) = check(SCHEMA, directory, manifest)
    assert stale == "manifest.json is stale: run `sett documents --write` and review the diff"
    manifest.unlink()
    assert len(check(SCHEMA, directory, manifest)) == 1


@pytest.mark.parametrize(
    ("text", "reported"),
    [
        ("{ mee { agencyId } }", "Cannot query field 'mee' on type 'Query'"),
        ("{ me { agencyId }", "Syntax Error"),
        ("{ __schema { queryType { name } } }", "introspection"),
        ("{ " + "me { " * 13 + "agencyId" + " }" * 13 + " }", "limit `depth`"),
        ("{ cases(first: 2000) { edges { node { id title summary } } } }", "limit `cost`"),
        ("fragment F on Query { service { name } }", "holds no operation"),
        ("   \n", "holds no document"),
    ],
    ids=["unknown field", "syntax", "introspection", "depth", "cost", "no operation", "empty"],
)
def test_a_document_that_would_not_run_for_everyone_is_reported_with_its_file(
    tmp_path: Path, text: str, reported: str
) -> None:
    directory = folder(tmp_path, good="{ service { name } }", bad=text)
    manifest = write_manifest(directory)
    wrong = check(SCHEMA, directory, manifest)
    assert wrong, "the check passed a document that does not run"
    assert all(problem.startswith("bad.graphql: ") for problem in wrong), wrong
    assert any(reported in problem for problem in wrong), wrong


def test_two_files_of_one_document_and_a_folder_without_documents_are_reported(tmp_path: Path) -> None:
    directory = folder(tmp_path, a="{ service { name } }", b="{ service { name } }\n")
    assert check(SCHEMA, directory, write_manifest(directory)) == ["b.graphql: the same document as a.graphql"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert check(SCHEMA, empty, write_manifest(empty)) == ["there is no .graphql file"]


def test_the_committed_documents_and_manifest_pass_the_check() -> None:
    assert check(SCHEMA) == []


def test_a_manifest_whose_id_is_not_its_documents_is_refused(tmp_path: Path) -> None:
    good = {document_id("{ service { name } }"): "{ service { name } }"}
    assert TrustedDocuments(good).text_of(document_id("{ service { name } }")) == "{ service { name } }"
    with pytest.raises(ManifestError, match="not the id of its document"):
        TrustedDocuments({document_id("{ service { name } }"): "{ service { version } }"})
    broken = tmp_path / "manifest.json"
    broken.write_text("[]")
    with pytest.raises(ManifestError):
        TrustedDocuments.load(broken)


def test_a_document_is_trusted_by_its_exact_text_whitespace_around_it_aside() -> None:
    documents = TrustedDocuments({document_id("{ service { name } }"): "{ service { name } }"})
    assert documents.trusted_text("\n{ service { name } }\n") == "{ service { name } }"
    assert documents.trusted_text("{ service  { name } }") is None
    assert documents.trusted_text("{ service { name } } ") == "{ service { name } }"
    assert documents.text_of("sha256:" + "0" * 64) is None


def test_only_production_closes_and_only_the_named_scope_opens_it() -> None:
    documents = TrustedDocuments({})
    explorer, analyst = principal(Scope.API_EXPLORE), principal(Scope.CASES_READ)
    assert Trust(documents, only_trusted=False).open_for(None)
    closed = Trust(documents, only_trusted=True)
    assert not closed.open_for(None)
    assert not closed.open_for(explorer)  # no scope named: nobody
    named = Trust(documents, only_trusted=True, open_to=Scope.API_EXPLORE)
    assert named.open_for(explorer)
    assert not named.open_for(analyst)
    assert not named.open_for(None)


def test_the_setting_takes_a_scope_by_name_or_value_and_production_trusts_only_the_manifest() -> None:
    assert settings_for_tests().arbitrary_documents_scope is None
    assert settings_for_tests(arbitrary_documents_scope="API_EXPLORE").arbitrary_documents_scope is Scope.API_EXPLORE
    assert settings_for_tests(arbitrary_documents_scope="api:explore").arbitrary_documents_scope is Scope.API_EXPLORE
    assert settings_for_tests(arbitrary_documents_scope="").arbitrary_documents_scope is None
    with pytest.raises(ValueError, match="no scope"):
        settings_for_tests(arbitrary_documents_scope="EVERYTHING")
    assert Trust.for_settings(settings_for_tests(environment="production")).only_trusted
    assert not Trust.for_settings(settings_for_tests()).only_trusted
    assert len(Trust.for_settings(settings_for_tests()).documents) == len(sources())


def test_only_an_admin_holds_the_scope_that_opens_production() -> None:
    holders = {role for role in Role if Scope.API_EXPLORE in scopes_for(frozenset({role}))}
    assert holders == {Role.ADMIN}


def test_closed_documents_refuse_introspection_and_suggest_nothing_each_mode_with_its_own_cache() -> None:
    limits = OperationLimits()
    opened, closed = Documents(SCHEMA, limits), Documents(SCHEMA, limits, closed=True)
    typo = "{ mee { agencyId } }"
    assert "Did you mean 'me'?" in opened.get(typo).errors[0].message
    assert opened.get(typo).errors  # cached, and the closed one below is not given it
    (hidden,) = closed.get(typo).errors
    assert "Cannot query field 'mee'" in hidden.message
    assert "Did you mean" not in hidden.message
    introspection = "{ __schema { queryType { name } } }"
    assert opened.get(introspection).errors == []
    assert closed.get(introspection).errors
    assert opened.get(introspection).errors == []


def readme_queries() -> list[str]:
    """The query of every `gql` example in the README (single-quoted, JSON-escaped) and of its curl examples."""
    text = README.read_text()
    found = [json.loads(f'"{query}"') for query in re.findall(r"""^gql "[^"]*" '([^']*)'""", text, re.MULTILINE)]
    found += [json.loads(body)["query"] for body in re.findall(r"""-d '(\{"query"[^']*\})'""", text)]
    return found


def test_every_readme_example_is_a_trusted_document_word_for_word() -> None:
    queries = readme_queries()
    assert len(queries) >= 20
    documents = TrustedDocuments.load()
    untrusted = [query for query in queries if documents.trusted_text(query) is None]
    assert untrusted == [], "add them to gateway/operations/readme/ and run `sett documents --write`"


def test_every_document_id_the_readme_names_is_trusted() -> None:
    documents = TrustedDocuments.load()
    named = re.findall(r"sha256:[0-9a-f]{64}", README.read_text())
    assert named
    assert [identifier for identifier in named if documents.text_of(identifier) is None] == []


def test_the_graphiql_example_and_the_benchmarks_queries_are_trusted_documents() -> None:
    documents = TrustedDocuments.load()
    sent = [DEFAULT_QUERY, reads.CASE, reads.PAGE, links.LINKED, links.LOOKUP, links.PATH, links.SEARCH]
    assert [query for query in sent if documents.trusted_text(query) is None] == []
