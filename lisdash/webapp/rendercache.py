"""Exports made once: PNG images and decks cached on disk per build and content, one render per key.

Concurrent requests for the same export (threads of one server, or several server processes) wait
for one computation: a per-key file lock, and a re-check once it is held. A small per-visitor
budget (`allow`) keeps any one visitor from starting many renders a minute.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

EXPORTS_PER_MINUTE = 6


def key_of(*parts: str | bytes) -> str:
    """A cache key from the parts an export depends on (build, content, figure JSON...)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:32]


class ExportCache:
    """Rendered exports in a folder, made at most once per key."""

    def __init__(self, root: Path):
        self.root = root
        self.renders = 0
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    def _lock(self, key: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def get(self, key: str, suffix: str, make: Callable[[], bytes]) -> bytes:
        """The cached export for `key`, rendering it with `make` only if nobody has."""
        path = self.root / f"{key}{suffix}"
        if path.exists():
            return path.read_bytes()
        self.root.mkdir(parents=True, exist_ok=True)
        with self._lock(key), (self.root / f"{key}.lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                if path.exists():
                    return path.read_bytes()
                data = make()
                self.renders += 1
                tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}")
                tmp.write_bytes(data)
                tmp.replace(path)
                return data
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def allow(history: list[float], now: float | None = None, limit: int = EXPORTS_PER_MINUTE,
          window: float = 60.0) -> tuple[bool, list[float]]:
    """Whether one more export fits a visitor's budget, and the updated history of its exports."""
    now = time.time() if now is None else now
    recent = [t for t in history if now - t < window]
    if len(recent) >= limit:
        return False, recent
    return True, [*recent, now]
