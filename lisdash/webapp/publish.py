"""Files published for the browser: the store's GeoJSON copied once into static/geo/<build id>/, and
plotly.js (its map bundle where fetched: `mapbundle`) into static/js/ for the maps that are updated in place.

Streamlit serves static/ from the app's own origin, so browsers fetch each layer once and cache it.
Publishing happens when a store is provided or first opened, into a temporary folder renamed into
place, so a request never sees half a layer; folders of older builds are removed.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

from lisdash.config import REPO
from lisdash.store import GEO_DIR, Store
from lisdash.webapp.mapbundle import MANIFEST, served_script

STATIC_GEO = REPO / "static" / "geo"
STATIC_JS = REPO / "static" / "js"
URL_PREFIX = "app/static/geo"


def build_id(store: Store) -> str:
    """A short id of a build (from its time stamp): the folder and URL part of its published layers."""
    return hashlib.sha1(store.manifest["built_at"].encode()).hexdigest()[:10]


def publish(store: Store, root: Path = STATIC_GEO) -> Path:
    """Publish the store's layers (once per build); the folder they are in."""
    target = root / build_id(store)
    if target.is_dir():
        return target
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".publish-", dir=root))
    try:
        for path in sorted((store.path / GEO_DIR).glob("*.geojson")):
            shutil.copyfile(path, tmp / path.name)
        try:
            tmp.rename(target)
        except OSError:
            if not target.is_dir():  # another process published it first: fine; anything else is an error
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for old in root.iterdir():
        if old.is_dir() and old.name != target.name and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)
    return target


def url(store: Store, level: str, extent: str) -> str:
    """The same-origin URL of one published layer."""
    return f"{URL_PREFIX}/{build_id(store)}/{level}_{extent}.geojson"


def publish_plotly(root: Path = STATIC_JS, manifest: Path = MANIFEST) -> str:
    """Publish the live maps' plotly.js once (named by bundle and version: `mapbundle.served_script`),
    removing earlier ones; its same-origin URL."""
    script = served_script(manifest)
    name = script.name
    if not (root / name).is_file():
        root.mkdir(parents=True, exist_ok=True)
        with (script.path.open("rb") as src,
              tempfile.NamedTemporaryFile(dir=root, prefix=".publish-", delete=False) as tmp):
            shutil.copyfileobj(src, tmp)
        Path(tmp.name).replace(root / name)
    for old in root.glob("plotly*.min.js"):
        if old.name != name:
            old.unlink(missing_ok=True)
    return f"app/static/js/{name}"
