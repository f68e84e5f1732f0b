"""Which slide each presentation shows, so a presenter's notes window follows that presenter only.

Each presenting screen gets a secret token; its notes link carries the token. Nobody without it
can read the notes or move the slide they follow. Entries not touched for a day are forgotten.
"""

from __future__ import annotations

import re
import secrets
import threading
import time

TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
IDLE_SECONDS = 24 * 3600


class Presentations:
    """Slides shown by each open presentation, by token (thread-safe; one per server process)."""

    def __init__(self) -> None:
        self._slides: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def open(self) -> str:
        """A new presentation's secret token, starting at slide 1."""
        token = secrets.token_urlsafe(18)
        self.move(token, 1)
        return token

    def move(self, token: str, slide: int) -> None:
        """Record the slide a presentation shows."""
        now = time.time()
        with self._lock:
            self._slides[token] = (slide, now)
            for old in [t for t, (_, seen) in self._slides.items() if now - seen > IDLE_SECONDS]:
                del self._slides[old]

    def slide(self, token: str | None) -> int | None:
        """The slide a presentation shows, or None for an unknown or malformed token."""
        if not token or not TOKEN.fullmatch(token):
            return None
        with self._lock:
            found = self._slides.get(token)
        return found[0] if found else None
