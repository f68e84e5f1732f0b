"""Where things live: repository paths, the raw-data mirror and the built store."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCES_TOML = REPO / "data" / "sources.toml"
CONTENT_DIR = REPO / "lis_data"


def mirror_dir() -> Path:
    """The read-only raw-data mirror (env LISDASH_MIRROR, default ../shared/opendata)."""
    return Path(os.environ.get("LISDASH_MIRROR", REPO.parent / "shared" / "opendata")).resolve()


def downloads_dir() -> Path:
    """Where files fetched from official URLs go (env LISDASH_DOWNLOADS, default data/downloads)."""
    return Path(os.environ.get("LISDASH_DOWNLOADS", REPO / "data" / "downloads")).resolve()


def store_dir() -> Path:
    """The built store (env LISDASH_STORE, default data/build)."""
    return Path(os.environ.get("LISDASH_STORE", REPO / "data" / "build")).resolve()


def content_dir() -> Path:
    """The strategy content folder (env LISDASH_CONTENT, default lis_data/)."""
    return Path(os.environ.get("LISDASH_CONTENT", CONTENT_DIR)).resolve()
