"""Which address a request is counted against: X-Forwarded-For is believed only from trusted proxies."""

from __future__ import annotations

from ipaddress import ip_address, ip_network

import pytest

from gateway.auth.client_address import client_address, parse_address
from gateway.settings import Settings

PROXIES = (ip_network("10.0.0.0/8"), ip_network("2001:db8:ffff::/48"))


def client(peer: str | None, *forwarded_for: str) -> str | None:
    found = client_address(peer, forwarded_for, PROXIES)
    return str(found) if found is not None else None


def test_the_peer_is_the_client_when_no_proxy_is_trusted() -> None:
    assert str(client_address("127.0.0.1", ["203.0.113.9"], ())) == "127.0.0.1"


def test_forwarded_for_from_a_peer_that_is_not_a_trusted_proxy_is_ignored() -> None:
    assert client("198.51.100.7", "203.0.113.9") == "198.51.100.7"


def test_from_a_trusted_proxy_the_rightmost_hop_that_is_no_proxy_is_the_client() -> None:
    assert client("10.0.0.2", "203.0.113.9") == "203.0.113.9"
    # the client wrote the leftmost value itself; the proxy appended what it saw
    assert client("10.0.0.2", "6.6.6.6, 203.0.113.9") == "203.0.113.9"
    # a chain of trusted proxies, in one header or in several
    assert client("10.0.0.2", "6.6.6.6, 203.0.113.9, 10.1.1.1") == "203.0.113.9"
    assert client("10.0.0.2", "6.6.6.6", "203.0.113.9", "10.1.1.1") == "203.0.113.9"


def test_a_trusted_proxy_without_forwarded_for_or_only_proxies_in_it() -> None:
    assert client("10.0.0.2") == "10.0.0.2"
    assert client("10.0.0.2", "10.3.3.3, 10.1.1.1") == "10.3.3.3"


def test_something_that_is_no_address_counts_against_the_last_known_hop() -> None:
    assert client("10.0.0.2", "203.0.113.9, 10.1.1.1, unknown") == "10.0.0.2"
    assert client("10.0.0.2", "203.0.113.9, garbage, 10.1.1.1") == "10.1.1.1"


def test_ipv6_ports_and_mapped_addresses() -> None:
    assert client("2001:db8:ffff::1", "[2001:db8:1::5]:4711") == "2001:db8:1::5"
    assert client("::ffff:10.0.0.2", "203.0.113.9:443") == "203.0.113.9"
    assert parse_address("::ffff:192.0.2.1") == ip_address("192.0.2.1")
    assert parse_address("[::1") is None
    assert client(None, "203.0.113.9") is None


def test_trusted_proxies_are_read_from_a_comma_separated_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SETT_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7 ,2001:db8::/32")
    assert Settings().trusted_proxies == (
        ip_network("10.0.0.0/8"),
        ip_network("192.0.2.7/32"),
        ip_network("2001:db8::/32"),
    )
    monkeypatch.setenv("SETT_TRUSTED_PROXIES", "")
    assert Settings().trusted_proxies == ()
    monkeypatch.delenv("SETT_TRUSTED_PROXIES")
    assert Settings().trusted_proxies == ()


def test_a_trusted_proxy_that_is_no_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SETT_TRUSTED_PROXIES", "10.0.0.0/8,proxy.internal")
    with pytest.raises(ValueError, match="trusted_proxies"):
        Settings()
