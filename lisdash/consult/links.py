"""Addresses that phones in the room can reach: LISDASH_PUBLIC_URL, the address the browser used, or the LAN.

Never `localhost`: a QR code for the presenter's own machine opens nothing on a phone. On a
laptop's hotspot with no internet the LAN address still works (finding it sends no packet).
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Mapping
from urllib.parse import urlencode, urlsplit

LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


def is_local(host: str) -> bool:
    """Whether a host name or address means 'this machine only'."""
    host = host.strip("[]").lower()
    if host in LOCAL_NAMES:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def lan_address() -> str | None:
    """This machine's address on its network (the default route's interface), or None with no network at all."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # a UDP 'connect' picks the interface and sends nothing
        found = probe.getsockname()[0]
    except OSError:
        found = None
    finally:
        probe.close()
    if found and not is_local(found):
        return found
    try:
        candidates = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    except OSError:
        return None
    return next((a for a in sorted(candidates) if not is_local(a)), None)


def base_url(port: int, browser_url: str | None = None, env: Mapping[str, str] = os.environ) -> str | None:
    """The address to print and encode: LISDASH_PUBLIC_URL; else the browser's own address unless it is local;
    else http://<LAN address>:<port>; None when there is no network to be reached on."""
    if env.get("LISDASH_PUBLIC_URL"):
        return env["LISDASH_PUBLIC_URL"].rstrip("/")
    if browser_url:
        parts = urlsplit(browser_url)
        if parts.scheme in ("http", "https") and parts.hostname and not is_local(parts.hostname):
            return f"{parts.scheme}://{parts.netloc}"
    lan = lan_address()
    return f"http://{lan}:{port}" if lan else None


def link(base: str, path: str, **params: str | int | None) -> str:
    """An absolute link to a page with its query parameters (None values left out)."""
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return f"{base}{path}" + (f"?{query}" if query else "")
