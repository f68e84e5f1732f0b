"""Where the store comes from, in order: the built store; a build from the open-data mirror; the shipped release.

One provisioning runs at a time (the build lock); a store another session or process finished
meanwhile is used as it is. The store's manifest records which of the three it came from.
"""

from __future__ import annotations

import logging
from pathlib import Path

from lisdash.config import mirror_dir, store_dir
from lisdash.content import Content, area_codes_of, load_content
from lisdash.pipeline import buildlock, release
from lisdash.pipeline.build import Progress, _build, _quiet
from lisdash.sources.manifest import load_sources
from lisdash.store import STORE_FILES, Store

LOG = logging.getLogger("lisdash")


def complete(store: Path) -> bool:
    """Whether a folder holds every file of a built store."""
    return all((store / name).exists() for name in STORE_FILES)


def mirror_present(mirror: Path | None = None) -> bool:
    """Whether the open-data mirror is there (its first listed file exists)."""
    mirror = mirror or mirror_dir()
    sources = load_sources()
    return mirror.is_dir() and (mirror / sources[0].path).exists()


def obtain(store: Path | None = None, progress: Progress = _quiet, waiting: Progress | None = None) -> str:
    """Make sure a store exists; which way it was found or made ('store', 'build' or 'release')."""
    store = store or store_dir()
    if complete(store):
        return "store"
    with buildlock.exclusive(store, waiting):
        if complete(store):
            return "store"

        def report(label: str, fraction: float) -> None:
            buildlock.publish(store, label, fraction)
            progress(label, fraction)

        if mirror_present():
            _build(store, report)
            return "build"
        LOG.warning("unpacking the shipped data release into %s", store)
        report("Unpacking the shipped data release", 0.5)
        release.unpack(store)
        report("Done", 1.0)
        return "release"


def store_and_content(progress: Progress = _quiet) -> tuple[Store, Content]:
    """The store (built, built from the mirror or unpacked from the release, in that order) and the content
    validated against it: what every command starts from."""
    obtain(progress=progress)
    store = Store.open()
    return store, load_content(industries=store.industries, area_codes=area_codes_of(store.areas))
