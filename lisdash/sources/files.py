"""Find a raw file in the mirror (or fetch it from its official URL) and verify its checksum."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx

from lisdash.config import downloads_dir, mirror_dir
from lisdash.sources.manifest import Source

MANIFEST = "fetch-manifest.json"


def fetched_file(mirror: Path, source_id: str) -> tuple[Path, str] | None:
    """The path and checksum of a source a `fetch official` folder holds, if it holds it."""
    import json

    manifest_path = mirror / MANIFEST
    if not manifest_path.exists():
        return None
    entry = json.loads(manifest_path.read_text(encoding="utf-8")).get(source_id)
    return (mirror / entry["path"], entry["sha256"]) if entry else None


class SourceError(RuntimeError):
    """A raw input is missing, truncated or changed; the message names the file and the fix."""


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _check(path: Path, expected: str, source: Source) -> None:
    actual = sha256_of(path)
    if actual != expected:
        raise SourceError(
            f"{path}: checksum mismatch for source '{source.id}' (expected sha256 {expected}, "
            f"got {actual}). The file is truncated or not the published version. Fix: restore the "
            f"original file from {source.url}, or, if the publisher has released a new version on "
            f"purpose, review it and update sha256 for '{source.id}' in data/sources.toml."
        )


def _download(url: str, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_suffix(dest.suffix + ".part")
    with httpx.stream("GET", url, follow_redirects=True, timeout=60) as response:
        response.raise_for_status()
        with partial.open("wb") as fh:
            for chunk in response.iter_bytes():
                fh.write(chunk)
    partial.replace(dest)


def locate(source: Source, mirror: Path | None = None, downloads: Path | None = None) -> Path:
    """Path of a verified copy of the source's file (and its companions, e.g. shapefile parts).

    A mirror made by `fetch official` holds the publishers' files under its own names: they are
    verified against its fetch manifest rather than against the pinned checksums of sources.toml.
    """
    mirror = mirror or mirror_dir()
    downloads = downloads or downloads_dir()
    fetched = fetched_file(mirror, source.id)
    if fetched is not None:
        path, expected = fetched
        if not path.exists():
            raise SourceError(f"{path}: missing (source '{source.id}', listed in {mirror / MANIFEST}). Fix: run "
                              f"`python -m lisdash fetch official --only {source.id}` again.")
        actual = sha256_of(path)
        if actual != expected:
            raise SourceError(f"{path}: checksum mismatch for source '{source.id}' against {mirror / MANIFEST} "
                              f"(expected {expected}, got {actual}). Fix: fetch it again.")
        return path
    candidates = [mirror / source.path, downloads / source.path]
    path = next((p for p in candidates if p.exists()), None)
    if path is None:
        if not source.download:
            raise SourceError(
                f"{mirror / source.path}: missing (source '{source.id}'). Fix: put the file "
                f"there (set LISDASH_MIRROR to the folder holding the open-data mirror) or get it "
                f"from {source.url}."
            )
        path = downloads / source.path
        try:
            _download(source.download, path)
        except httpx.HTTPError as exc:
            raise SourceError(
                f"{mirror / source.path}: missing, and downloading it from {source.download} "
                f"failed ({exc}). Fix: connect to the internet or set LISDASH_MIRROR to a "
                f"folder holding the file."
            ) from exc
    _check(path, source.sha256, source)
    for suffix, expected in source.companions.items():
        companion = path.with_suffix(suffix)
        if not companion.exists():
            raise SourceError(
                f"{companion}: missing companion file of source '{source.id}'. Fix: restore the "
                f"whole file set from {source.url}."
            )
        _check(companion, expected, source)
    return path
