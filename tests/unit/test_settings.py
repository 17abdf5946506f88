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
