"""A client for the Nomis API (BRES, dataset NM_189_1): paged, retried, checked, written to the mirror.

Nomis answers at most 25,000 rows per request to guests (more with a registered `uid` and
`recordlimit`); larger queries are paged with `recordoffset`, advancing by however many rows each
page holds. Every page is checked against the RECORD_OFFSET/RECORD_COUNT columns Nomis returns
(contiguous offsets, one total), so a truncated body is caught and fetched again, never written.
OBS_STATUS, the reason a cell is empty, is kept beside each value.

Industry presets: `section` (the 21 SIC sections), and `division` and `class`, whose Nomis codes
are 146800640 + the division number and 138412032 + the class number, built from the SIC 2007
hierarchy. No selector for 5-digit subclasses could be verified: copy one from a Nomis query-builder
URL (the `industry=` parameter of a NM_189_1 download) and pass it as `--industry`.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pandas as pd

from lisdash.config import downloads_dir, mirror_dir
from lisdash.sources.files import sha256_of
from lisdash.sources.http import Refused, Transient, fetched, with_retries
from lisdash.sources.manifest import Source

NOMIS_API = "https://www.nomisweb.co.uk/api/v01/dataset"
DATASET = "NM_189_1"
PAGE_ROWS = 25_000  # the guest page size; a `recordlimit` in the query's extra parameters overrides it
COLUMNS = ["DATE", "GEOGRAPHY_NAME", "GEOGRAPHY_CODE", "INDUSTRY_NAME", "INDUSTRY_CODE", "OBS_VALUE", "OBS_STATUS"]
PAGING = ["RECORD_OFFSET", "RECORD_COUNT"]
# Nomis industry selections known to hold for NM_189_1; any other Nomis selector may be passed as is.
INDUSTRY_PRESETS = {"section": "150994945...150994965"}
DIVISION_BASE, CLASS_BASE = 146800640, 138412032


def industry_preset(name: str, industries: pd.DataFrame) -> str:
    """A Nomis industry selector for every SIC division or class of the SIC 2007 hierarchy."""
    if name in INDUSTRY_PRESETS:
        return INDUSTRY_PRESETS[name]
    base = {"division": DIVISION_BASE, "class": CLASS_BASE}[name]
    codes = industries.loc[industries["industry_level"] == name, "code"]
    return ",".join(str(base + int(code.replace(".", ""))) for code in sorted(set(codes)))


class NomisError(RuntimeError):
    """The Nomis API did not give a complete, well-formed answer."""


@dataclass(frozen=True)
class BresQuery:
    """One BRES download: which areas, industries and years."""

    geography: str
    industry: str
    years: tuple[int, ...]
    level: str
    industry_level: str
    employment_status: int = 4  # 4 = employment (employees + working owners), as the mirror's files
    extra: dict[str, str] = field(default_factory=dict)

    def params(self, offset: int) -> dict[str, str]:
        """Query parameters for the page starting at `offset`."""
        return {
            "geography": self.geography,
            "industry": INDUSTRY_PRESETS.get(self.industry, self.industry),
            "date": ",".join(str(y) for y in self.years),
            "employment_status": str(self.employment_status),
            "measure": "1",
            "measures": "20100",
            "select": ",".join(COLUMNS + PAGING),
            "recordoffset": str(offset),
            **self.extra,
        }


def _page(client: httpx.Client, url: str, params: dict[str, str], offset: int, page_rows: int,
          retries: int, backoff: float) -> tuple[pd.DataFrame, int]:
    """One page as a frame and the query's total row count, retrying transient failures."""
    def attempt() -> tuple[pd.DataFrame, int]:
        text = fetched(client, url, params).text
        try:
            return _parse(text, offset, page_rows)
        except NomisError as exc:
            raise Transient(str(exc)) from exc

    try:
        return with_retries(attempt, retries, backoff)
    except Refused as exc:
        raise NomisError(f"Nomis rejected the query ({exc})") from exc
    except Transient as exc:
        raise NomisError(f"Nomis query at offset {offset} {exc}") from exc


def _parse(text: str, offset: int, page_rows: int) -> tuple[pd.DataFrame, int]:
    """One page's rows and the query's total; any sign of a cut-off body is an error (and a retry)."""
    if not text.strip():
        return pd.DataFrame(columns=COLUMNS + PAGING), 0
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, ValueError) as exc:
        raise NomisError(f"unreadable page at offset {offset} (cut off?): {exc}") from exc
    missing = [c for c in COLUMNS + PAGING if c not in frame.columns]
    if missing:
        raise NomisError(f"answer lacks columns {missing}")
    if frame.empty:
        return frame, 0
    counts = frame["RECORD_COUNT"]
    if not counts.str.fullmatch(r"\d+").all() or counts.nunique() != 1:
        raise NomisError(f"incomplete page at offset {offset}: RECORD_COUNT is not one number on every row")
    total = int(counts.iloc[0])
    offsets = frame["RECORD_OFFSET"]
    expected = [str(i) for i in range(offset, offset + len(frame))]
    if offsets.tolist() != expected or len(frame) > min(page_rows, total - offset):
        raise NomisError(f"incomplete page at offset {offset}: {len(frame)} rows, offsets not contiguous "
                         f"or more than the {min(page_rows, total - offset)} expected")
    return frame, total


def fetch_rows(client: httpx.Client, url: str, params: dict[str, str], retries: int = 3,
               backoff: float = 1.0) -> pd.DataFrame:
    """Every row of a Nomis query (its own parameters plus the columns and paging lisdash needs)."""
    base = {**params, "select": ",".join(COLUMNS + PAGING)}
    page_rows = int(params.get("recordlimit", PAGE_ROWS))
    pages, offset, total = [], 0, None
    while total is None or offset < total:
        frame, count = _page(client, url, {**base, "recordoffset": str(offset)}, offset, page_rows, retries, backoff)
        if total is not None and count != total:
            raise NomisError(f"the query's row count changed from {total} to {count} between pages")
        total = count if total is None else total
        if total == 0:
            raise NomisError("the query returned no rows: check the geography, industry and years")
        pages.append(frame)
        offset += len(frame)
    return pd.concat(pages, ignore_index=True)[COLUMNS]


def fetch_bres(query: BresQuery, name: str, root: Path | None = None, *, base_url: str = NOMIS_API,
               client: httpx.Client | None = None, retries: int = 3, backoff: float = 1.0) -> Path:
    """Download every page of a BRES query into <root>/nomis/<name>.csv with a manifest beside it."""
    root = root or downloads_dir()
    url = f"{base_url}/{DATASET}.data.csv"
    own = client is None
    client = client or httpx.Client(timeout=120, follow_redirects=True)
    try:
        params = {k: v for k, v in query.params(0).items() if k not in ("recordoffset", "select")}
        data = fetch_rows(client, url, params, retries, backoff)
    finally:
        if own:
            client.close()
    out_dir = root / "nomis"
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path = out_dir / f"{name}.csv"
    partial = csv_path.with_suffix(".csv.part")
    data.to_csv(partial, index=False, lineterminator="\n")
    partial.replace(csv_path)
    manifest = {
        "dataset": DATASET,
        "query": str(httpx.URL(url, params={k: v for k, v in query.params(0).items() if k != "recordoffset"})),
        "retrieved": datetime.now(UTC).isoformat(timespec="seconds"),
        "sha256": sha256_of(csv_path),
        "rows": len(data),
        "level": query.level,
        "industry_level": query.industry_level,
        "years": list(query.years),
    }
    (out_dir / f"{name}.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return csv_path


def downloaded_sources(roots: list[Path] | None = None) -> list[Source]:
    """Nomis downloads found under <mirror>/nomis and <downloads>/nomis, as extra fact sources."""
    roots = roots or [mirror_dir(), downloads_dir()]
    found: dict[str, Source] = {}
    for root in roots:
        for manifest_path in sorted((root / "nomis").glob("*.json")):
            name = manifest_path.stem
            meta = json.loads(manifest_path.read_text(encoding="utf-8"))
            years = meta.get("years") or []
            found.setdefault(name, Source(
                id=f"nomis_{name}", kind="facts", reader="bres_nomis",
                title=f"Business Register and Employment Survey (Nomis {meta['dataset']}), {name}",
                publisher="Office for National Statistics (Nomis)",
                licence="Open Government Licence v3.0", url=meta["query"],
                path=f"nomis/{name}.csv", sha256=meta["sha256"], measure="employment",
                level=meta["level"], industry_level=meta["industry_level"],
                years=f"{min(years)}-{max(years)}" if years else None,
                retrieved=meta.get("retrieved"), rounding="bres", benchmark="Great Britain",
                caveats="BRES open-access values are rounded for disclosure control.",
            ))
    return list(found.values())
