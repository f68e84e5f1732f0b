"""Strategy content authored in lis_data/*.yaml: commitments, clusters, places (validated)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from lisdash.config import content_dir
from lisdash.industries import subclass_code

CoarseLevel = Literal["division", "gva_industry", "broad_group", "section"]


class ContentError(ValueError):
    """Invalid strategy content; the message names the file and line."""


def validation_problems(exc: ValidationError) -> str:
    """pydantic's errors as one line: field: message; ..."""
    return "; ".join((".".join(str(p) for p in e["loc"]) + ": " if e["loc"] else "") + e["msg"]
                     for e in exc.errors())


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Commitment(_Model):
    """One LIS commitment, quoted from the strategy."""

    id: str
    title: str
    text: str
    evidence: list[str] = []


class Coarse(_Model):
    """How a cluster is approximated in a source without SIC detail."""

    codes: list[str]
    caveat: str


class Cluster(_Model):
    """A cluster: SIC definition, coarse approximations, places and commitments it serves."""

    id: str
    name: str
    sic: list[str]
    coarse: dict[CoarseLevel, Coarse] = {}
    places: list[str] = []
    commitments: list[str]
    source: str
    parent: str | None = None


class Place(_Model):
    """A named group of areas, as explicit code lists per level."""

    id: str
    name: str
    areas: dict[str, list[str]]
    note: str = ""


@dataclass(frozen=True)
class Content:
    """All authored strategy content, validated."""

    commitments: list[Commitment]
    clusters: list[Cluster]
    places: list[Place]
    claims: list = field(default_factory=list)

    def cluster(self, cluster_id: str) -> Cluster:
        """The cluster with this id."""
        return _by_id(self.clusters, cluster_id, "cluster")

    def commitment(self, commitment_id: str) -> Commitment:
        """The commitment with this id."""
        return _by_id(self.commitments, commitment_id, "commitment")

    def place(self, place_id: str) -> Place:
        """The place with this id."""
        return _by_id(self.places, place_id, "place")


def _by_id(items: list, item_id: str, what: str):
    found = next((item for item in items if item.id == item_id), None)
    if found is None:
        raise ContentError(f"unknown {what} id '{item_id}'; known: {[i.id for i in items]}")
    return found


@dataclass(frozen=True)
class _Loaded:
    path: Path
    items: list[dict]
    lines: list[int]

    def where(self, index: int) -> str:
        return f"{self.path}:{self.lines[index]}"


def _load_list(path: Path, key: str) -> _Loaded:
    """A YAML file's top-level list under `key`, with each item's line number."""
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: cannot read YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise ContentError(f"{path}:1: expected a top-level list '{key}:'")
    node = next(v for k, v in root.value if k.value == key)
    return _Loaded(path, data[key], [item.start_mark.line + 1 for item in node.value])


def _models(loaded: _Loaded, model: type[_Model]) -> list:
    out, seen = [], {}
    for i, item in enumerate(loaded.items):
        try:
            obj = model(**item) if isinstance(item, dict) else model.model_validate(item)
        except ValidationError as exc:
            problems = validation_problems(exc)
            raise ContentError(f"{loaded.where(i)}: invalid {model.__name__.lower()}: {problems}") from exc
        if obj.id in seen:
            raise ContentError(f"{loaded.where(i)}: duplicate id '{obj.id}' (first at line {seen[obj.id]})")
        seen[obj.id] = loaded.lines[i]
        out.append(obj)
    return out


def sic_known(code: str, industries: pd.DataFrame) -> bool:
    """Whether a cluster SIC code (division, class or UK subclass) exists in SIC 2007."""
    if re.fullmatch(r"\d{2}", code):
        level, key = "division", code
    elif re.fullmatch(r"\d{2}\.\d{2}", code):
        level, key = "class", code
    elif re.fullmatch(r"\d{2}\.\d{2}/\d", code):
        level, key = "subclass", subclass_code(code)
    else:
        return False
    table = industries[industries["industry_level"] == level]
    return key in set(table["code"])


def load_content(
    directory: Path | None = None,
    industries: pd.DataFrame | None = None,
    area_codes: dict[str, set[str]] | None = None,
) -> Content:
    """Load and validate lis_data/; with the store's industries and areas, check every code."""
    directory = directory or content_dir()
    commitments_file = _load_list(directory / "commitments.yaml", "commitments")
    clusters_file = _load_list(directory / "clusters.yaml", "clusters")
    places_file = _load_list(directory / "places.yaml", "places")
    commitments = _models(commitments_file, Commitment)
    clusters = _models(clusters_file, Cluster)
    places = _models(places_file, Place)
    commitment_ids = {c.id for c in commitments}
    cluster_ids = {c.id for c in clusters}
    place_ids = {p.id for p in places}
    for i, cluster in enumerate(clusters):
        where = clusters_file.where(i)
        for ref, known, what in [
            (cluster.commitments, commitment_ids, "commitment"),
            (cluster.places, place_ids, "place"),
            ([cluster.parent] if cluster.parent else [], cluster_ids, "cluster"),
        ]:
            dangling = [r for r in ref if r not in known]
            if dangling:
                raise ContentError(f"{where}: cluster '{cluster.id}' links unknown {what} ids {dangling}")
        if industries is not None:
            unknown = [code for code in cluster.sic if not sic_known(code, industries)]
            for level, coarse in cluster.coarse.items():
                table = industries[industries["industry_level"] == level]
                unknown += [f"{level}:{c}" for c in coarse.codes if c not in set(table["code"])]
            if unknown:
                raise ContentError(f"{where}: cluster '{cluster.id}' has unknown SIC/industry codes {unknown}")
    if area_codes is not None:
        for i, place in enumerate(places):
            for level, codes in place.areas.items():
                unknown = [c for c in codes if c not in area_codes.get(level, set())]
                if unknown:
                    raise ContentError(
                        f"{places_file.where(i)}: place '{place.id}' has unknown {level} codes {unknown}"
                    )
    claims = _load_claims(directory / "claims.yaml", commitment_ids, cluster_ids, place_ids)
    return Content(commitments, clusters, places, claims)


def _load_claims(path: Path, commitment_ids: set[str], cluster_ids: set[str], place_ids: set[str]) -> list:
    from lisdash.evidence import Claim

    loaded = _load_list(path, "claims")
    claims = _models(loaded, Claim)
    for i, claim in enumerate(claims):
        refs = [(claim.commitment, commitment_ids, "commitment"), (claim.cluster, cluster_ids, "cluster")]
        refs += [(c.place, place_ids, "place") for c in claim.checks if c.place]
        for ref, known, what in refs:
            if ref not in known:
                raise ContentError(f"{loaded.where(i)}: claim '{claim.id}' links unknown {what} id '{ref}'")
    return claims


def area_codes_of(areas: pd.DataFrame) -> dict[str, set[str]]:
    """Codes per level in the store, for validating place lists."""
    return {str(level): set(group["code"]) for level, group in areas.groupby("level")}
