"""Which address a request comes from: the peer, or what trusted proxies say in `X-Forwarded-For`.

`X-Forwarded-For` is believed only when the peer that connected is one of the configured trusted proxies
(`SETT_TRUSTED_PROXIES`; none by default). Each proxy appends the address it was connected from, so the list is
read from the right: trusted proxies are skipped, and the first hop that is not one is the client. Whatever
stands left of that hop was written by the client itself and is ignored, so rotating it gains nothing.

The gateway must see the real peer for this: `sett serve` runs uvicorn with its own proxy-header handling off
(which would otherwise replace the peer with the header's value whenever the peer is 127.0.0.1).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

Address = IPv4Address | IPv6Address
Network = IPv4Network | IPv6Network


def parse_address(text: str) -> Address | None:
    """An IP address as a peer or a proxy writes it (`192.0.2.1`, `192.0.2.1:443`, `2001:db8::1`,
    `[2001:db8::1]:443`); an IPv4 address mapped into IPv6 is taken as the IPv4 address. None if it is not one."""
    text = text.strip()
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ip_address(text)
    except ValueError:
        return None
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def client_address(peer: str | None, forwarded_for: Iterable[str], trusted: Sequence[Network]) -> Address | None:
    """The client's address: the peer's, unless the peer is a trusted proxy; then the rightmost hop of
    `X-Forwarded-For` (all its headers, in order) that is not a trusted proxy. None when the peer is not an IP
    address (a Unix socket)."""
    nearest = parse_address(peer) if peer is not None else None
    if nearest is None or not _trusted(nearest, trusted):
        return nearest
    hops = [hop for value in forwarded_for for hop in value.split(",") if hop.strip()]
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:
            return nearest  # a trusted proxy passed on something that is no address: the last hop we know
        if not _trusted(address, trusted):
            return address
        nearest = address
    return nearest  # nothing but trusted proxies: the request started at the innermost of them


def _trusted(address: Address, trusted: Sequence[Network]) -> bool:
    return any(address.version == network.version and address in network for network in trusted)
