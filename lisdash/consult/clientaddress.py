"""Which network address a view came from, behind a reverse proxy.

The proxy's own address is every visitor's peer address; the visitor's is the one the proxy adds to
X-Forwarded-For. That header is believed only from a trusted proxy (LISDASH_TRUSTED_PROXIES, a comma-separated
list of networks; none by default), and only its last untrusted entry: anything before it the visitor could
have typed.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(setting: str | None) -> tuple[Network, ...]:
    """The networks in a LISDASH_TRUSTED_PROXIES value; ValueError names a bad entry."""
    networks = []
    for part in (setting or "").split(","):
        if part.strip():
            try:
                networks.append(ipaddress.ip_network(part.strip(), strict=False))
            except ValueError:
                raise ValueError(f"LISDASH_TRUSTED_PROXIES: not a network: {part.strip()!r}") from None
    return tuple(networks)


def _trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(peer: str | None, forwarded_for: str | None, trusted: Sequence[Network]) -> str:
    """The visitor's address: the peer's, or (from a trusted proxy) the last untrusted X-Forwarded-For entry."""
    if not peer or not forwarded_for or not _trusted(peer, trusted):
        return peer or "unknown"
    for entry in reversed([e.strip() for e in forwarded_for.split(",")]):
        if not _trusted(entry, trusted):
            try:
                return str(ipaddress.ip_address(entry))
            except ValueError:
                return peer
    return peer
