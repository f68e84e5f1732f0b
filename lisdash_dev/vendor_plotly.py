"""`python -m lisdash_dev.vendor_plotly`: plotly.js's map bundle for the installed plotly package.

Without arguments (after upgrading plotly): reads the plotly.js version the plotly package draws with,
downloads that release of plotly.js from the npm registry, checks the tarball against the registry's
integrity hash, and writes its `dist/plotly-map.min.js` and the provenance (`plotly-map.toml`, tracked)
into lisdash/vendor/.

`--fetch` (an install step, run by CI): downloads the release plotly-map.toml records and writes its
bundle (git-ignored) after checking it is, byte for byte, the recorded one.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import sys
import tarfile

import httpx

from lisdash.mapbundle import MANIFEST, REFRESH, VENDOR, map_bundle
from lisdash.sources.http import fetched, with_retries

REGISTRY = "https://registry.npmjs.org/plotly.js"
MEMBER = "package/dist/plotly-map.min.js"
INDEX = "package/lib/index-map.js"
FILE = "plotly-map.min.js"


def bundle_traces(index_js: str) -> list[str]:
    """The trace types a plotly.js bundle index registers (`require('./<trace>')` under `// traces`)."""
    traces = index_js.split("// traces", 1)[1].split("// components", 1)[0]
    return re.findall(r"require\('\./(\w+)'\)", traces)


def verified_tarball(version: str) -> tuple[bytes, str, str]:
    """The release tarball, its URL and its registry integrity string, after checking the bytes against it."""
    with httpx.Client(timeout=120, follow_redirects=True) as client:
        dist = with_retries(lambda: fetched(client, f"{REGISTRY}/{version}")).json()["dist"]
        data = with_retries(lambda: fetched(client, dist["tarball"])).content
    algorithm, expected = dist["integrity"].split("-", 1)
    if algorithm != "sha512" or base64.b64encode(hashlib.sha512(data).digest()).decode() != expected:
        raise SystemExit(f"{dist['tarball']} does not match the registry's integrity {dist['integrity']}")
    return data, dist["tarball"], dist["integrity"]


def release_bundle(tarball: bytes) -> tuple[bytes, list[str]]:
    """The map bundle in a plotly.js release tarball, and the trace types it registers."""
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        return tar.extractfile(MEMBER).read(), bundle_traces(tar.extractfile(INDEX).read().decode())


def mismatch(recorded_integrity: str, recorded_sha256: str, upstream: bytes, integrity: str) -> str | None:
    """Why the release's bundle is not the one plotly-map.toml records (None when it is)."""
    if recorded_integrity != integrity:
        return f"plotly-map.toml records integrity {recorded_integrity}, the registry gives {integrity}"
    digest = hashlib.sha256(upstream).hexdigest()
    if digest != recorded_sha256:
        return (f"the release's bundle ({len(upstream):,} bytes) has sha256 {digest[:12]}…, "
                f"plotly-map.toml records {recorded_sha256[:12]}…")
    return None


def fetch() -> None:
    """Write the bundle plotly-map.toml records, downloaded and checked byte for byte; exit non-zero otherwise."""
    from plotly.offline import get_plotlyjs_version

    bundle = map_bundle()
    if bundle.version != get_plotlyjs_version():
        raise SystemExit(f"{MANIFEST} records plotly.js {bundle.version}, but the installed plotly package draws "
                         f"with plotly.js {get_plotlyjs_version()}: run `{REFRESH}`")
    data, tarball, integrity = verified_tarball(bundle.version)
    upstream = release_bundle(data)[0]
    problem = mismatch(bundle.integrity, bundle.sha256, upstream, integrity)
    if problem:
        raise SystemExit(f"{tarball}: {problem}: run `{REFRESH}`")
    partial = bundle.path.with_name(f".{bundle.path.name}.part")
    partial.write_bytes(upstream)
    partial.replace(bundle.path)
    print(f"{bundle.path}: {tarball}'s {MEMBER} ({len(upstream):,} bytes), as plotly-map.toml records",
          file=sys.stderr)


def manifest_text(version: str, tarball: str, integrity: str, sha256: str, traces: list[str]) -> str:
    """plotly-map.toml: where the vendored bundle came from and what it holds."""
    return (f"# Written by `python -m lisdash_dev.vendor_plotly`; do not edit.\n"
            f"# plotly.js's official map bundle (MIT; it bundles MapLibre GL JS, BSD-3-Clause) for the live maps.\n"
            f'file = "{FILE}"\nversion = "{version}"\ntarball = "{tarball}"\nintegrity = "{integrity}"\n'
            f'member = "{MEMBER}"\nsha256 = "{sha256}"\n'
            f"traces = {json.dumps(traces)}\n")


def main() -> None:
    from plotly.offline import get_plotlyjs_version

    version = get_plotlyjs_version()
    data, tarball, integrity = verified_tarball(version)
    bundle, traces = release_bundle(data)
    sha256 = hashlib.sha256(bundle).hexdigest()
    VENDOR.mkdir(exist_ok=True)
    (VENDOR / FILE).write_bytes(bundle)
    MANIFEST.write_text(manifest_text(version, tarball, integrity, sha256, traces), encoding="utf-8")
    print(f"vendored plotly.js {version} map bundle ({len(bundle):,} bytes, traces {', '.join(traces)}) "
          f"into {VENDOR}", file=sys.stderr)


if __name__ == "__main__":
    if sys.argv[1:] == ["--fetch"]:
        fetch()
    elif not sys.argv[1:]:
        main()
    else:
        raise SystemExit("usage: python -m lisdash_dev.vendor_plotly [--fetch]")
