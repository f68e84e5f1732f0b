"""The sources manifest, data/sources.toml, as typed records."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from lisdash.config import SOURCES_TOML


class Fetch(BaseModel):
    """Where `fetch official` gets a source from its publisher.

    kind `nomis`: the API query in the source's `url` (`industry_digits` keeps 2- or 5-digit codes);
    `arcgis`: an ONS Open Geography Portal FeatureServer `service`; `file`: a release file at `url`.
    `path` is where the download goes in the mirror folder (default: the source's own path);
    `code_field`/`name_field` are the publisher's field names where the mirror's file differs.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["nomis", "arcgis", "file"]
    service: str | None = None
    url: str | None = None
    path: str | None = None
    industry_digits: int | None = None
    sheet: str | None = None
    code_field: str | None = None
    name_field: str | None = None


class Source(BaseModel):
    """One raw dataset: what it is, where it comes from and how to read it.

    A lookup or classification has a `role` (what the build uses it for) and the `columns` it must have.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    kind: Literal["facts", "industries", "lookup", "boundary"]
    title: str
    publisher: str
    licence: str
    url: str
    path: str
    sha256: str
    reader: str | None = None
    download: str | None = None
    sheet: str | None = None
    measure: str | None = None
    level: str | None = None
    industry_level: str | None = None
    years: str | None = None
    geography: str | None = None
    unit: str | None = None
    caveats: str | None = None
    rounding: Literal["bres", "nearest-5", "nearest-1", "exact"] | None = None
    benchmark: str | None = None
    total_excludes: list[str] = []
    extent: Literal["national", "regional"] | None = None
    code_field: str | None = None
    name_field: str | None = None
    lad_field: str | None = None
    overlapping: bool = False
    companions: dict[str, str] = {}
    retrieved: str | None = None
    fetch: Fetch | None = None
    role: str | None = None
    columns: list[str] = []


def load_sources(path: Path = SOURCES_TOML) -> list[Source]:
    """Read and validate every source in the manifest."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    defaults = raw.get("defaults", {})
    sources = [Source(**{**defaults, **entry}) for entry in raw["source"]]
    ids = [s.id for s in sources]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"{path}: duplicate source ids {dupes}")
    return sources
