"""One app process behind the proxy: warm the process, then let Streamlit listen.

The proxy sends a visitor to any process that answers its health check, and Streamlit answers as soon
as it listens. A process started cold (a restart after a crash, a rolling restart) would then take the
projector or a room of phones while it loads the store and computes every table and the claims'
evidence (tens of seconds on a busy machine). Warming first means a process only ever joins the
rotation ready. `streamlit run app.py` stays the laptop's way, warming in the background instead.
"""

from __future__ import annotations

import logging
import sys
import threading
import time

from lisdash import serverlog
from lisdash.webapp.warmup import THREAD_NAME, lower_priority

LOG = logging.getLogger("lisdash")
# Streamlit warns that its caches are used before its runtime starts: here that is the point.
NO_RUNTIME_YET = ("streamlit.runtime.caching.cache_data_api", "streamlit.runtime.scriptrunner_utils.script_run_context")


def warm_before_listening() -> float:
    """Load the store and content through the pages' own caches, wait for the warm-up to finish its tables
    and the claims' evidence; seconds taken."""
    from lisdash.webapp.cache import content

    started = time.monotonic()
    quiet = [logging.getLogger(name) for name in NO_RUNTIME_YET]
    levels = [log.level for log in quiet]
    for log in quiet:
        log.setLevel(logging.ERROR)
    try:
        # The other processes serve visitors meanwhile (a restart after a crash): all of it at low priority.
        first = threading.Thread(target=_load_at_low_priority, args=(content,), name="lisdash-load")
        first.start()
        first.join()
        for thread in threading.enumerate():
            if thread.name == THREAD_NAME:  # started by content(); it ends with the evidence
                thread.join()
    finally:
        for log, level in zip(quiet, levels, strict=True):
            log.setLevel(level)
    return time.monotonic() - started


def _load_at_low_priority(load) -> None:
    """Run `load` at the lowest CPU priority; a failure (no store yet: the first page builds it) is logged and
    the process listens anyway."""
    lower_priority()
    try:
        load()
    except Exception:
        LOG.exception("app process listens unwarmed")


def main(streamlit_args: list[str]) -> None:
    """Warm, then run `streamlit run app.py` with `streamlit_args` in this process."""
    serverlog.configure()
    LOG.info("app process warming before it listens")
    LOG.info("app process warm in %.1f s", warm_before_listening())
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", "app.py", *streamlit_args]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
