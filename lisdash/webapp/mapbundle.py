"""The plotly.js bundle the clickable maps load: plotly.js's official `plotly-map` partial bundle.

It holds the map traces only (scattermap, choroplethmap, densitymap) and evaluates in about 0.6 s in
headless Chromium on the 2-core machine, against 1.5 s for the full bundle the plotly package ships
(see docs). The plotly package does not ship it, so it is tracked in lisdash/vendor/ with its licences and
its provenance (plotly-map.toml), all written by `python -m lisdash_dev.vendor_plotly --fetch` from the npm
release of the plotly.js version the plotly package draws with; nothing here is typed by hand. Where the
file has been deleted, the maps load the full bundle the plotly package ships: the same maps, slower to start.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

VENDOR = Path(__file__).parent.parent / "vendor"
MANIFEST = VENDOR / "plotly-map.toml"
LICENCE = VENDOR / "plotly-map.LICENSE.txt"
REFRESH = "python -m lisdash_dev.vendor_plotly"
FETCH = f"{REFRESH} --fetch"
RESTORE = f"`git checkout -- lisdash/vendor/` (or `{FETCH}`)"


class BundleError(RuntimeError):
    """The vendored map bundle is missing, altered, or of another plotly.js version than the plotly package."""


@dataclass(frozen=True)
class MapBundle:
    """The vendored bundle and where it came from."""

    version: str
    tarball: str
    integrity: str
    member: str
    sha256: str
    traces: tuple[str, ...]
    path: Path


def map_bundle(manifest: Path = MANIFEST) -> MapBundle:
    """The vendored bundle's provenance (lisdash/vendor/plotly-map.toml)."""
    try:
        meta = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BundleError(f"{manifest} is missing: restore it with {RESTORE}") from exc
    return MapBundle(meta["version"], meta["tarball"], meta["integrity"], meta["member"], meta["sha256"],
                     tuple(meta["traces"]), manifest.parent / meta["file"])


def checked_bundle(plotlyjs_version: str | None = None, manifest: Path = MANIFEST) -> MapBundle:
    """The vendored bundle, checked: its bytes are the recorded ones and its plotly.js version is the one the
    installed plotly package writes figures for. Raises BundleError naming the file and the fix."""
    from plotly.offline import get_plotlyjs_version

    bundle = map_bundle(manifest)
    wanted = plotlyjs_version or get_plotlyjs_version()
    if bundle.version != wanted:
        raise BundleError(f"{bundle.path} is plotly.js {bundle.version}, but the installed plotly package draws "
                          f"with plotly.js {wanted}: run `{FETCH}` and commit lisdash/vendor/")
    try:
        digest = hashlib.sha256(bundle.path.read_bytes()).hexdigest()
    except FileNotFoundError as exc:
        raise BundleError(f"{bundle.path} is missing: restore it with {RESTORE}") from exc
    if digest != bundle.sha256:
        raise BundleError(f"{bundle.path} is not the file {manifest.name} records (sha256 {digest[:12]}…, "
                          f"expected {bundle.sha256[:12]}…): restore it with {RESTORE}")
    return bundle


@dataclass(frozen=True)
class ServedScript:
    """The plotly.js file the live maps load, and the name it is published under."""

    name: str
    path: Path


def served_script(manifest: Path = MANIFEST) -> ServedScript:
    """The tracked map bundle (checked: `checked_bundle`), else, where it has been deleted, the full plotly.js
    the plotly package ships, of the version it writes figures for."""
    import plotly
    from plotly.offline import get_plotlyjs_version

    bundle = map_bundle(manifest)
    if bundle.path.is_file():
        checked = checked_bundle(manifest=manifest)
        return ServedScript(f"plotly-map-{checked.version}.min.js", checked.path)
    return ServedScript(f"plotly-{get_plotlyjs_version()}.min.js",
                        Path(plotly.__file__).parent / "package_data" / "plotly.min.js")
