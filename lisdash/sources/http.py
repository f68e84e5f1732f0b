"""Downloads that survive a flaky publisher: one request read whole, retried with backoff when transient.

A dropped or cut-off connection, a 5xx or a 429 is transient; any other 4xx is final. A caller's
own check of the body (a cut-off CSV page, unreadable JSON) may raise `Transient` to be retried too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import httpx

T = TypeVar("T")


class Transient(RuntimeError):
    """A failure worth trying again."""


class Refused(RuntimeError):
    """The publisher refused the request (HTTP 4xx other than 429): trying again will not help."""


def fetched(client: httpx.Client, url: str, params: dict | None = None) -> httpx.Response:
    """One GET, read whole; transient failures raise `Transient`, refusals `Refused`."""
    try:
        response = client.get(url, params=params)
        response.read()
    except httpx.TransportError as exc:
        raise Transient(f"{type(exc).__name__}: {exc}") from exc
    if response.status_code >= 500 or response.status_code == 429:
        raise Transient(f"HTTP {response.status_code}")
    if response.status_code >= 400:
        raise Refused(f"HTTP {response.status_code}: {response.text[:200]}")
    return response


def with_retries(attempt: Callable[[], T], retries: int = 3, backoff: float = 1.0) -> T:
    """`attempt()`, again after 1, 2, 4... x `backoff` seconds while it raises `Transient`; the last error then."""
    last: Transient | None = None
    for n in range(retries + 1):
        if n:
            time.sleep(backoff * 2 ** (n - 1))
        try:
            return attempt()
        except Transient as exc:
            last = exc
    raise Transient(f"failed after {retries + 1} attempts: {last}")
