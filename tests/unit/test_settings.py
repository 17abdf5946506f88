from __future__ import annotations

import pytest

from gateway.settings import Environment, Settings


def test_defaults_are_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NEO4J_URI", "SETT_NEO4J_URI", "SETT_ENVIRONMENT", "SETT_HOST"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.environment is Environment.PRODUCTION
    assert not settings.development
    assert settings.host == "127.0.0.1"
    assert settings.neo4j_uri is None


def test_neo4j_variables_are_read_with_or_without_the_sett_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "neo4j://db.example:7687")
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret-pass")
    monkeypatch.setenv("SETT_ENVIRONMENT", "development")
    settings = Settings()
    assert settings.neo4j_uri == "neo4j://db.example:7687"
    assert settings.neo4j_password is not None
    assert settings.neo4j_password.get_secret_value() == "s3cret-pass"
    assert "s3cret-pass" not in repr(settings)
    assert settings.development


def test_bad_values_are_refused_with_the_setting_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SETT_PORT", "99999")
    with pytest.raises(ValueError, match="port"):
        Settings()


@pytest.mark.parametrize(
    ("given", "origin"),
    [
        ("https://Sett.Example.gov", "https://sett.example.gov"),
        ("https://sett.example.gov:443/", "https://sett.example.gov"),
        ("https://sett.example.gov:8443", "https://sett.example.gov:8443"),
        ("http://10.0.0.7:80", "http://10.0.0.7"),
        ("http://[2001:db8::7]:8000", "http://[2001:db8::7]:8000"),
        ("", None),
    ],
)
def test_the_public_url_is_kept_as_the_origin_a_browser_sends(
    monkeypatch: pytest.MonkeyPatch, given: str, origin: str | None
) -> None:
    monkeypatch.setenv("SETT_PUBLIC_URL", given)
    assert Settings().public_url == origin


@pytest.mark.parametrize(
    "given",
    [
        "sett.example.gov",
        "ftp://sett.example.gov",
        "https://sett.example.gov/sett",
        "https://u:p@sett.example.gov",
        "https://sett.example.gov?x=1",
        "https://sett.example.gov:99999",
        "https://",
    ],
)
def test_a_public_url_that_is_not_an_origin_is_refused(monkeypatch: pytest.MonkeyPatch, given: str) -> None:
    monkeypatch.setenv("SETT_PUBLIC_URL", given)
    with pytest.raises(ValueError, match="public_url"):
        Settings()
