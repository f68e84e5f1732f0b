"""The data release shipped with the code: the built store as one compressed, checksummed file.

`data/release/lisdash-data-<vintage>.tar.xz` holds every file of a built store; the manifest beside
it (`lisdash-data-<vintage>.json`) gives its SHA-256, row counts and the sources it was built from.
A machine without the open-data mirror unpacks it (verified, atomically) instead of building.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from lisdash.config import REPO
from lisdash.pipeline.build import swap_in
from lisdash.sources.files import sha256_of

RELEASE_DIR = REPO / "data" / "release"
PREFIX = "lisdash-data-"


class ReleaseError(RuntimeError):
    """The shipped release is missing, changed or incomplete; the message names the file and the fix."""


def latest(folder: Path = RELEASE_DIR) -> tuple[Path, dict] | None:
    """The newest release file in the folder and its manifest, or None."""
    manifests = sorted(folder.glob(f"{PREFIX}*.json"))
    if not manifests:
        return None
    manifest = json.loads(manifests[-1].read_text(encoding="utf-8"))
    return folder / manifest["file"], manifest


def _tar(store: Path) -> bytes:
    """The store's files as a reproducible tar: sorted names, no times, owners or modes of this machine."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(p for p in store.rglob("*") if p.is_file()):
            info = tarfile.TarInfo(str(path.relative_to(store)))
            info.size, info.mtime, info.mode = path.stat().st_size, 0, 0o644
            with path.open("rb") as fh:
                tar.addfile(info, fh)
    return buffer.getvalue()


def write(store: Path, folder: Path = RELEASE_DIR, vintage: str | None = None) -> Path:
    """Write a new release of a built store (and remove older ones); the path of the release file."""
    import lzma

    built = json.loads((store / "manifest.json").read_text(encoding="utf-8"))
    vintage = vintage or datetime.now(UTC).strftime("%Y-%m-%d")
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{PREFIX}{vintage}.tar.xz"
    data = lzma.compress(_tar(store), preset=9 | lzma.PRESET_EXTREME)
    target = folder / name
    partial = target.with_name(f".{name}.part")
    partial.write_bytes(data)
    manifest = {
        "file": name, "vintage": vintage, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data),
        "store_built_at": built["built_at"], "rows": built["rows"],
        "sources": {sid: meta["sha256"] for sid, meta in built["sources"].items()},
    }
    for old in list(folder.glob(f"{PREFIX}*")):
        old.unlink()
    partial.replace(target)
    (folder / f"{PREFIX}{vintage}.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return target


def unpack(store: Path, folder: Path = RELEASE_DIR) -> dict:
    """Verify the shipped release and unpack it as the store, atomically; its manifest."""
    found = latest(folder)
    if found is None:
        raise ReleaseError(f"{folder}: no data release (lisdash-data-*.json). Fix: set LISDASH_MIRROR to the "
                           "open-data mirror and run `python -m lisdash build`, or restore data/release from git.")
    path, manifest = found
    if not path.exists() or sha256_of(path) != manifest["sha256"]:
        raise ReleaseError(f"{path}: missing or not the released file (expected sha256 {manifest['sha256']}). "
                           "Fix: restore it with `git checkout -- data/release`.")
    store.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{store.name}.tmp-", dir=store.parent))
    try:
        with tarfile.open(path, mode="r:xz") as tar:
            tar.extractall(tmp, filter="data")
        built = json.loads((tmp / "manifest.json").read_text(encoding="utf-8"))
        built["origin"] = {"kind": "release", "file": manifest["file"], "vintage": manifest["vintage"]}
        (tmp / "manifest.json").write_text(json.dumps(built, indent=2), encoding="utf-8")
        swap_in(tmp, store)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return manifest
