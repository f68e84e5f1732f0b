"""`python -m lisdash fetch official`: every source downloaded from its publisher into a mirror folder.

Three kinds of publisher endpoint, each paged or checked, retried on transient errors, and never
written half: the Nomis API (BRES, the query in the source's `url`), the ONS Open Geography Portal
ArcGIS FeatureServer (boundaries as GeoJSON in WGS84, paged by `resultOffset`), and release files
(GVA and business-count workbooks, lookups). Each file's URL, retrieval time and SHA-256 go into
`fetch-manifest.json` in the folder; `build` reads such a folder as its mirror, verifying each file
against that manifest (review a refresh before pinning its checksums in data/sources.toml).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx

from lisdash.sources.files import MANIFEST, locate, sha256_of
from lisdash.sources.http import Refused, Transient, fetched, with_retries
from lisdash.sources.manifest import Source
from lisdash.sources.nomis import NomisError, fetch_rows

ARCGIS = "https://services1.arcgis.com/ESMARspQHYMw9BZ9/arcgis/rest/services"
ARCGIS_PAGE = 2000


class FetchError(RuntimeError):
    """A publisher did not give a complete, well-formed answer."""


@dataclass(frozen=True)
class Fetched:
    """One downloaded source: where it went and what it came from."""

    source: str
    path: str
    url: str
    sha256: str
    retrieved: str


def _retried(attempt, url: str, retries: int, backoff: float):
    """`attempt()`, retried on transient failures (lisdash.sources.http); a refusal or exhaustion: a FetchError."""
    try:
        return with_retries(attempt, retries, backoff)
    except Refused as exc:
        raise FetchError(f"{url} refused the request ({exc})") from exc
    except Transient as exc:
        raise FetchError(f"{url} {exc}") from exc


def _page(client: httpx.Client, url: str, params: dict, offset: int) -> dict:
    """One FeatureServer page as GeoJSON; a cut-off or unreadable body is transient (asked again)."""
    try:
        body = fetched(client, url, params).json()
    except ValueError as exc:
        raise Transient(f"unreadable page at offset {offset} (cut off?): {exc}") from exc
    if "error" not in body and not isinstance(body.get("features"), list):
        raise Transient(f"page at offset {offset} has no feature list")
    return body


def arcgis_features(client: httpx.Client, service: str, base: str = ARCGIS, page: int = ARCGIS_PAGE,
                    retries: int = 3, backoff: float = 1.0) -> dict:
    """Every feature of a FeatureServer layer as one GeoJSON FeatureCollection (WGS84), page by page."""
    url = f"{base}/{service}/FeatureServer/0/query"
    features: list[dict] = []
    offset = 0
    while True:
        params = {"where": "1=1", "outFields": "*", "outSR": "4326", "f": "geojson",
                  "resultOffset": str(offset), "resultRecordCount": str(page)}
        body = _retried(lambda p=params, o=offset: _page(client, url, p, o), url, retries, backoff)
        if "error" in body:
            raise FetchError(f"{url}: the service answered an error: {body['error']}")
        batch = body["features"]
        features += batch
        more = body.get("properties", {}).get("exceededTransferLimit") or body.get("exceededTransferLimit")
        if not batch or (len(batch) < page and not more):
            break
        offset += len(batch)
    if not features:
        raise FetchError(f"{url}: the query returned no features: check the service name")
    return {"type": "FeatureCollection", "features": features}


def _write(root: Path, relative: str, data: bytes) -> Path:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.part")
    partial.write_bytes(data)
    partial.replace(target)
    return target


def fetch_source(source: Source, root: Path, client: httpx.Client, *, arcgis: str = ARCGIS,
                 nomis: str | None = None, retries: int = 3, backoff: float = 1.0) -> Fetched:
    """Download one source from its publisher into `root`, whole or not at all."""
    spec = source.fetch
    if spec is None:
        raise FetchError(f"source '{source.id}' names no publisher endpoint (`fetch` in data/sources.toml)")
    if spec.kind == "nomis":
        parts = urlsplit(source.url)
        base = nomis or f"{parts.scheme}://{parts.netloc}/api/v01/dataset"
        params = dict(parse_qsl(parts.query))
        try:
            frame = fetch_rows(client, f"{base}/{parts.path.rsplit('/', 1)[-1]}", params, retries, backoff)
        except NomisError as exc:
            raise FetchError(f"Nomis, source '{source.id}': {exc}") from exc
        if spec.industry_digits:
            frame = frame[frame["INDUSTRY_CODE"].str.fullmatch(rf"\d{{{spec.industry_digits}}}")]
        relative, url = spec.path or source.path, source.url
        data = frame.to_csv(index=False, lineterminator="\n").encode()
    elif spec.kind == "arcgis":
        collection = arcgis_features(client, spec.service, arcgis, retries=retries, backoff=backoff)
        relative = spec.path or str(Path(source.path).parent / f"{spec.service}.geojson")
        url, data = f"{arcgis}/{spec.service}/FeatureServer/0/query", json.dumps(collection).encode()
    else:
        url = spec.url
        response = _retried(lambda: fetched(client, url), url, retries, backoff)
        if not response.content:
            raise FetchError(f"{url}: empty file for source '{source.id}'")
        relative, data = spec.path or source.path, response.content
    path = _write(root, relative, data)
    return Fetched(source.id, relative, url, sha256_of(path), datetime.now(UTC).isoformat(timespec="seconds"))


def copy_from_mirror(source: Source, root: Path, mirror: Path) -> Fetched:
    """A source with no publisher endpoint, copied (verified) from the existing mirror with its companions."""
    path = locate(source, mirror=mirror, downloads=mirror)
    for suffix in ["", *source.companions]:
        origin = path.with_suffix(suffix) if suffix else path
        _write(root, str(Path(source.path).with_suffix(suffix)) if suffix else source.path, origin.read_bytes())
    return Fetched(source.id, source.path, f"copied from the mirror at {mirror}", source.sha256,
                   datetime.now(UTC).isoformat(timespec="seconds"))


def fetch_all(sources: list[Source], root: Path, only: list[str] | None = None,
              client: httpx.Client | None = None, report: Callable[[str], None] = lambda _: None,
              mirror: Path | None = None, **endpoints) -> list[Fetched]:
    """Fetch every source from its publisher (or only the named ones) into `root`, recording each in the
    folder's manifest; sources with no endpoint are copied from `mirror` when it is given."""
    unknown = sorted(set(only or []) - {s.id for s in sources})
    if unknown:
        raise FetchError(f"unknown source ids {unknown}")
    chosen = [s for s in sources if not only or s.id in only]
    own = client is None
    client = client or httpx.Client(timeout=180, follow_redirects=True)
    done = []
    try:
        for source in chosen:
            if source.fetch is not None:
                report(f"Fetching {source.id}")
                done.append(fetch_source(source, root, client, **endpoints))
            elif mirror is not None:
                report(f"Copying {source.id} from the mirror (no publisher endpoint)")
                done.append(copy_from_mirror(source, root, mirror))
    finally:
        if own:
            client.close()
    manifest_path = root / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    for item in done:
        manifest[item.source] = {"path": item.path, "url": item.url, "sha256": item.sha256,
                                 "retrieved": item.retrieved}
    root.mkdir(parents=True, exist_ok=True)
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return done
