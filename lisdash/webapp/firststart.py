"""The first start: provide the store (built, built from the mirror, or the shipped release) before any page runs."""

from __future__ import annotations

import logging
import threading
import time

import streamlit as st

from lisdash.config import store_dir
from lisdash.pipeline import buildlock
from lisdash.pipeline.provision import obtain
from lisdash.pipeline.release import ReleaseError
from lisdash.sources.files import SourceError
from lisdash.store import Store, StoreMissing

LOG = logging.getLogger("lisdash")
FIRST_BUILD: dict = {"thread": None, "error": None}
_LOCK = threading.Lock()


def ensure_store() -> None:
    """Provide the store on first start, with a visible progress bar; stop with the fix if inputs are bad.

    The work runs in one background thread per process (and one process at a time, by the build
    lock), so a session that reloads or leaves never interrupts it; every session waits and shows
    the same progress, then the app.
    """
    try:
        Store.open()
        return
    except StoreMissing:
        pass
    notice = st.empty()  # the notice and its progress go once the store is ready
    with notice.container():
        st.info("First start: preparing the data store (built from the open-data mirror in about half a minute, "
                "or unpacked from the shipped data release in seconds).")
        bar = st.progress(0.0, text="Starting")
    worker = first_build()
    while worker.is_alive():
        label, fraction = buildlock.read_progress(store_dir())
        bar.progress(min(max(fraction, 0.0), 1.0), text=label)
        time.sleep(0.5)
    if FIRST_BUILD["error"] is not None:
        st.error(f"The data store could not be built: {FIRST_BUILD['error']}")
        st.stop()
    notice.empty()


def first_build() -> threading.Thread:
    """The process's one background provisioning of a missing store (started on first call, again after a failure)."""
    with _LOCK:
        thread = FIRST_BUILD["thread"]
        if thread is None or (not thread.is_alive() and FIRST_BUILD["error"] is not None):
            def run() -> None:
                try:
                    FIRST_BUILD["error"] = None
                    obtain()
                except (SourceError, ReleaseError) as exc:
                    FIRST_BUILD["error"] = str(exc)
                except Exception as exc:  # logged with its traceback; the page shows a short message
                    LOG.exception("first build failed")
                    FIRST_BUILD["error"] = f"unexpected error ({type(exc).__name__}); see the server log"

            thread = threading.Thread(target=run, name="lisdash-first-build", daemon=True)
            FIRST_BUILD["thread"] = thread
            thread.start()
        return thread
