"""The app's server log: one line per event (a traceback is folded onto its line), on standard error.

Lines name a view by its reference, never by what was typed or who typed it.
"""

from __future__ import annotations

import logging
import sys

FORMAT = "%(asctime)s %(levelname)s lisdash %(message)s"


class OneLine(logging.Formatter):
    """A record on one line: its traceback, if any, joined with ' | '."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\n", " | ")


def configure(level: int = logging.INFO) -> logging.Logger:
    """The 'lisdash' logger, writing one line per event to standard error (once per process)."""
    log = logging.getLogger("lisdash")
    if not any(getattr(h, "lisdash", False) for h in log.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(OneLine(FORMAT))
        handler.lisdash = True
        log.addHandler(handler)
        log.setLevel(level)
        log.propagate = False
    return log
