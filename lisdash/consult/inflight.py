"""Views being recorded when the process is told to stop (SIGTERM, e.g. a rolling restart): it waits for them.

Streamlit stops its server on SIGTERM and the interpreter exits; script threads are daemons, so a view in the
middle of its transaction would be cut off. Every recording is counted here, and at exit the process waits (up
to STOP_WAIT_SECONDS, below supervisord's stopwaitsecs) until none is left.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

STOP_WAIT_SECONDS = 25.0
LOG = logging.getLogger("lisdash")
_done = threading.Condition()
_recording = 0


@contextmanager
def recording() -> Iterator[None]:
    """Count one view as being recorded while the block runs."""
    global _recording
    with _done:
        _recording += 1
    try:
        yield
    finally:
        with _done:
            _recording -= 1
            _done.notify_all()


def in_flight() -> int:
    """How many views are being recorded now."""
    with _done:
        return _recording


def wait_for_recordings(limit: float = STOP_WAIT_SECONDS) -> bool:
    """Wait until no view is being recorded (True), or `limit` seconds have passed (False)."""
    with _done:
        if _recording:
            LOG.info("stopping: waiting for %d view(s) being recorded", _recording)
        finished = _done.wait_for(lambda: _recording == 0, timeout=limit)
    if not finished:
        LOG.error("stopped with %d view(s) still being recorded after %.0f s", in_flight(), limit)
    return finished


atexit.register(wait_for_recordings)
