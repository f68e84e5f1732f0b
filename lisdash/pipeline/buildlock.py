"""One build at a time across sessions and processes: a file lock beside the store, and shared progress.

The builder writes its progress to a small JSON file beside the lock, so sessions (or processes)
that wait for the lock can show the same progress bar, then find the store built.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

Progress = Callable[[str, float], None]


def lock_path(store: Path) -> Path:
    """The lock file of a store folder (beside it, so it survives the store's swap)."""
    return store.with_name(f".{store.name}.lock")


def status_path(store: Path) -> Path:
    """The progress file a build writes for the sessions that wait for it."""
    return store.with_name(f".{store.name}.progress.json")


def publish(store: Path, label: str, fraction: float) -> None:
    """Record the build's progress (atomically, so a reader never sees half a file)."""
    path = status_path(store)
    tmp = path.with_name(f"{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps({"label": label, "fraction": fraction}), encoding="utf-8")
    tmp.replace(path)


def read_progress(store: Path) -> tuple[str, float]:
    """The last progress a build published, or a waiting note."""
    try:
        data = json.loads(status_path(store).read_text(encoding="utf-8"))
        return str(data["label"]), float(data["fraction"])
    except (OSError, ValueError, KeyError):
        return "Waiting for the build to start", 0.0


@contextmanager
def exclusive(store: Path, waiting: Progress | None = None, poll: float = 0.5) -> Iterator[None]:
    """Hold the store's build lock; while another process or session holds it, report its progress."""
    store.parent.mkdir(parents=True, exist_ok=True)
    with lock_path(store).open("a") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if waiting is not None:
                    waiting(*read_progress(store))
                time.sleep(poll)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
