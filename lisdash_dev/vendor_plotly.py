"""`python -m lisdash_dev.vendor_plotly`: plotly.js's map bundle, tracked in lisdash/vendor/.

`--fetch` (maintainers, after upgrading plotly): downloads the npm release of the plotly.js version the
installed plotly package draws with, checks the tarball against the registry's integrity hash, and writes
its `dist/plotly-map.min.js`, the licences of plotly.js and of the MapLibre GL JS it bundles
(`plotly-map.LICENSE.txt`) and the provenance (`plotly-map.toml`). All three are committed.

`--check` (run by CI): downloads the recorded release again and fails unless the tracked bundle and licence
file are, byte for byte, the release's: the tracked bundle is upstream's, never an edited copy.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import sys
import tarfile
from dataclasses import dataclass

import httpx

from lisdash.sources.http import fetched, with_retries
from lisdash.webapp.mapbundle import LICENCE, MANIFEST, REFRESH, VENDOR, MapBundle, map_bundle

REGISTRY = "https://registry.npmjs.org"
MEMBER = "package/dist/plotly-map.min.js"
INDEX = "package/lib/index-map.js"
PACKAGE = "package/package.json"
PLOTLY_LICENCE = "package/LICENSE"
MAPLIBRE_LICENCE = "package/LICENSE.txt"
FILE = "plotly-map.min.js"
USAGE = "usage: python -m lisdash_dev.vendor_plotly --fetch | --check"


@dataclass(frozen=True)
class Release:
    """What a plotly.js release gives the vendor folder."""

    tarball: str
    integrity: str
    bundle: bytes
    traces: list[str]
    licence: str


def bundle_traces(index_js: str) -> list[str]:
    """The trace types a plotly.js bundle index registers (`require('./<trace>')` under `// traces`)."""
    traces = index_js.split("// traces", 1)[1].split("// components", 1)[0]
    return re.findall(r"require\('\./(\w+)'\)", traces)


def verified_tarball(client: httpx.Client, package: str, version: str) -> tuple[bytes, str, str]:
    """An npm release tarball, its URL and its registry integrity string, after checking the bytes against it."""
    dist = with_retries(lambda: fetched(client, f"{REGISTRY}/{package}/{version}")).json()["dist"]
    data = with_retries(lambda: fetched(client, dist["tarball"])).content
    algorithm, expected = dist["integrity"].split("-", 1)
    if algorithm != "sha512" or base64.b64encode(hashlib.sha512(data).digest()).decode() != expected:
        raise SystemExit(f"{dist['tarball']} does not match the registry's integrity {dist['integrity']}")
    return data, dist["tarball"], dist["integrity"]


def member(tarball: bytes, name: str) -> bytes:
    """One file of a release tarball."""
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        return tar.extractfile(name).read()


def licence_text(plotly_licence: str, maplibre_version: str, maplibre_licence: str) -> str:
    """plotly-map.LICENSE.txt: plotly.js's licence, then that of the MapLibre GL JS release it bundles."""
    return (f"plotly-map.min.js is plotly.js's map bundle. It is distributed under plotly.js's licence:\n\n"
            f"{plotly_licence.strip()}\n\n"
            f"It bundles MapLibre GL JS {maplibre_version}, distributed under this licence:\n\n"
            f"{maplibre_licence.strip()}\n")


def release(version: str) -> Release:
    """The plotly.js release `version`: its map bundle, the traces it registers and the licence file's text."""
    with httpx.Client(timeout=120, follow_redirects=True) as client:
        data, tarball, integrity = verified_tarball(client, "plotly.js", version)
        maplibre = json.loads(member(data, PACKAGE))["dependencies"]["maplibre-gl"]
        maplibre_data = verified_tarball(client, "maplibre-gl", maplibre)[0]
    licence = licence_text(member(data, PLOTLY_LICENCE).decode(), maplibre,
                           member(maplibre_data, MAPLIBRE_LICENCE).decode())
    return Release(tarball, integrity, member(data, MEMBER), bundle_traces(member(data, INDEX).decode()), licence)


def mismatch(record: MapBundle, tracked: bytes, tracked_licence: str, upstream: Release) -> str | None:
    """Why the tracked files are not the recorded release's (None when they are)."""
    if record.integrity != upstream.integrity:
        return f"plotly-map.toml records integrity {record.integrity}, the registry gives {upstream.integrity}"
    digest = hashlib.sha256(upstream.bundle).hexdigest()
    if digest != record.sha256:
        return (f"the release's bundle ({len(upstream.bundle):,} bytes) has sha256 {digest[:12]}…, "
                f"plotly-map.toml records {record.sha256[:12]}…")
    if tracked != upstream.bundle:
        return (f"the tracked bundle ({len(tracked):,} bytes, sha256 {hashlib.sha256(tracked).hexdigest()[:12]}…) "
                f"differs from the release's ({len(upstream.bundle):,} bytes, {digest[:12]}…)")
    if tracked_licence != upstream.licence:
        return f"{LICENCE.name} differs from the licences of the release and of the MapLibre GL JS it bundles"
    return None


def manifest_text(version: str, tarball: str, integrity: str, sha256: str, traces: list[str]) -> str:
    """plotly-map.toml: where the vendored bundle came from and what it holds."""
    return (f"# Written by `{REFRESH} --fetch`; do not edit.\n"
            f"# plotly.js's official map bundle (MIT; it bundles MapLibre GL JS, BSD-3-Clause: both licences are in "
            f"{LICENCE.name}) for the live maps.\n"
            f'file = "{FILE}"\nversion = "{version}"\ntarball = "{tarball}"\nintegrity = "{integrity}"\n'
            f'member = "{MEMBER}"\nsha256 = "{sha256}"\n'
            f"traces = {json.dumps(traces)}\n")


def check() -> None:
    """Exit non-zero unless the tracked bundle and licence file are the recorded release's, byte for byte."""
    record = map_bundle()
    problem = mismatch(record, record.path.read_bytes(), LICENCE.read_text(encoding="utf-8"), release(record.version))
    if problem:
        raise SystemExit(f"{record.path}: {problem} ({record.tarball}): run `{REFRESH} --fetch`")
    print(f"{record.path} is {record.tarball}'s {MEMBER}, byte for byte, with its licences", file=sys.stderr)


def fetch() -> None:
    """Vendor the map bundle of the plotly.js version the installed plotly package draws with."""
    from plotly.offline import get_plotlyjs_version

    version = get_plotlyjs_version()
    upstream = release(version)
    VENDOR.mkdir(exist_ok=True)
    (VENDOR / FILE).write_bytes(upstream.bundle)
    LICENCE.write_text(upstream.licence, encoding="utf-8")
    MANIFEST.write_text(manifest_text(version, upstream.tarball, upstream.integrity,
                                      hashlib.sha256(upstream.bundle).hexdigest(), upstream.traces), encoding="utf-8")
    print(f"vendored plotly.js {version} map bundle ({len(upstream.bundle):,} bytes, traces "
          f"{', '.join(upstream.traces)}) into {VENDOR}: commit it", file=sys.stderr)


if __name__ == "__main__":
    commands = {"--fetch": fetch, "--check": check}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        raise SystemExit(USAGE)
    commands[sys.argv[1]]()
