"""Strategy content authored in lis_data/*.yaml: commitments, clusters, places, claims, the region (validated).

Content is checked on load: links between files, the declared vocabulary (measures, levels) and,
when the store is given, every SIC code and area code. Errors name the file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml
from pydantic import ValidationError

from lisdash import vocabulary
from lisdash.config import content_dir
from lisdash.content.claims import Beyond, Check, Claim
from lisdash.content.strategy import Cluster, Coarse, Commitment, Place, Region
from lisdash.content.yamlfile import ContentError, Loaded, load_yaml, models, validation_problems
from lisdash.sources.industries import subclass_code

__all__ = ["Beyond", "Check", "Claim", "Cluster", "Coarse", "Commitment", "Content", "ContentError", "Place",
           "Region", "area_codes_of", "load_content", "read_region", "sic_known", "validation_problems"]


@dataclass(frozen=True)
class Content:
    """All authored strategy content, validated."""

    commitments: list[Commitment]
    clusters: list[Cluster]
    places: list[Place]
    claims: list[Claim]
    region: Region

    def cluster(self, cluster_id: str) -> Cluster:
        """The cluster with this id."""
        return _by_id(self.clusters, cluster_id, "cluster")

    def commitment(self, commitment_id: str) -> Commitment:
        """The commitment with this id."""
        return _by_id(self.commitments, commitment_id, "commitment")

    def place(self, place_id: str) -> Place:
        """The place with this id."""
        return _by_id(self.places, place_id, "place")

    def claim(self, claim_id: str) -> Claim:
        """The claim with this id."""
        return _by_id(self.claims, claim_id, "claim")

    def clusters_serving(self, commitment_id: str) -> list[Cluster]:
        """The clusters linked to a commitment, in the content's order."""
        return [c for c in self.clusters if commitment_id in c.commitments]

    def label(self, code: str, name: str | None) -> str:
        """An area's unambiguous display name (content labels win over the official name)."""
        return self.region.labels.get(code) or (name if isinstance(name, str) else code)


def _by_id(items: list, item_id: str, what: str):
    found = next((item for item in items if item.id == item_id), None)
    if found is None:
        raise ContentError(f"unknown {what} id '{item_id}'; known: {[i.id for i in items]}")
    return found


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


def _check_links(loaded: Loaded, index: int, owner: str, refs: list[tuple[list[str], set[str], str]]) -> None:
    for ref, known, what in refs:
        dangling = [r for r in ref if r not in known]
        if dangling:
            raise ContentError(f"{loaded.where(index)}: {owner} links unknown {what} ids {dangling}")


def _check_clusters(loaded: Loaded, clusters: list[Cluster], ids: dict[str, set[str]],
                    industries: pd.DataFrame | None) -> None:
    for i, cluster in enumerate(clusters):
        _check_links(loaded, i, f"cluster '{cluster.id}'", [
            (cluster.commitments, ids["commitment"], "commitment"), (cluster.places, ids["place"], "place"),
            ([cluster.parent] if cluster.parent else [], ids["cluster"], "cluster")])
        if industries is None:
            continue
        unknown = [code for code in cluster.sic if not sic_known(code, industries)]
        for level, coarse in cluster.coarse.items():
            table = industries[industries["industry_level"] == level]
            unknown += [f"{level}:{c}" for c in coarse.codes if c not in set(table["code"])]
        if unknown:
            raise ContentError(f"{loaded.where(i)}: cluster '{cluster.id}' has unknown SIC/industry codes {unknown}")


def _check_places(loaded: Loaded, places: list[Place], area_codes: dict[str, set[str]] | None) -> None:
    levels = vocabulary.vocabulary().levels()
    for i, place in enumerate(places):
        bad_levels = [lv for lv in place.areas if lv not in levels]
        if bad_levels:
            raise ContentError(f"{loaded.where(i)}: place '{place.id}' names unknown levels {bad_levels}")
        if area_codes is None:
            continue
        for level, codes in place.areas.items():
            unknown = [c for c in codes if c not in area_codes.get(level, set())]
            if unknown:
                raise ContentError(f"{loaded.where(i)}: place '{place.id}' has unknown {level} codes {unknown}")


def _check_claims(loaded: Loaded, claims: list[Claim], ids: dict[str, set[str]], places: dict[str, Place],
                  commitments: dict[str, Commitment], area_codes: dict[str, set[str]] | None) -> None:
    measures, levels = vocabulary.vocabulary().measures(), vocabulary.vocabulary().levels()
    for i, claim in enumerate(claims):
        owner = f"claim '{claim.id}'"
        _check_links(loaded, i, owner, [([claim.commitment], ids["commitment"], "commitment"),
                                        ([claim.cluster], ids["cluster"], "cluster"),
                                        ([claim.place], ids["place"], "place")])
        for check in claim.checks:
            problems = []
            if check.measure not in measures:
                problems.append(f"measure '{check.measure}'")
            if check.level not in levels:
                problems.append(f"level '{check.level}'")
            if claim.test in ("fastest_growth", "rapid_growth") and check.start is None:
                problems.append("a growth check needs 'start'")
            if area_codes is not None and check.areas:
                problems += [f"{check.level} code '{c}'" for c in check.areas
                             if c not in area_codes.get(check.level, set())]
            if problems:
                raise ContentError(f"{loaded.where(i)}: {owner} has unknown or invalid {', '.join(problems)}")
        if claim.test == "regional_rank" and "itl1" not in places[claim.place].areas:
            raise ContentError(f"{loaded.where(i)}: {owner} ranks regions, so its place needs itl1 areas")
        if claim.seed is not None and not any(_words(claim.seed) in _words(note)
                                              for note in commitments[claim.commitment].evidence):
            raise ContentError(f"{loaded.where(i)}: {owner} quotes {claim.seed!r}, which commitment "
                               f"'{claim.commitment}' does not record in its evidence")


def _words(text: str) -> str:
    """Text reduced to its lower-case words, for comparing quotations."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def read_region(directory: Path | None = None) -> Region:
    """The region the dashboard is about (lis_data/region.yaml), validated on its own."""
    path = (directory or content_dir()) / "region.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Region.model_validate((data or {}).get("region"))
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: cannot read YAML: {exc}") from exc
    except ValidationError as exc:
        raise ContentError(f"{path}:1: invalid region: {validation_problems(exc)}") from exc


def _load_region(path: Path, ids: dict[str, set[str]], area_codes: dict[str, set[str]] | None) -> Region:
    region = read_region(path.parent)
    if region.place not in ids["place"]:
        raise ContentError(f"{path}:1: region links unknown place id '{region.place}'")
    d = region.defaults
    clusters = [d.overview_cluster, d.cluster_map_cluster, d.profile_cluster, *d.trend_clusters]
    unknown = [c for c in clusters if c not in ids["cluster"]]
    unknown += [d.commitment] if d.commitment not in ids["commitment"] else []
    unknown += [d.profile_level] if d.profile_level not in d.profile_area else []
    if area_codes is not None:
        unknown += [c for lv, c in d.profile_area.items() if c not in area_codes.get(lv, set())]
        unknown += [c for c in d.trend_home.values()
                    if not any(c in area_codes.get(lv, set()) for lv in ("itl2", "itl3"))]
    if unknown:
        raise ContentError(f"{path}:1: region defaults name unknown ids or codes {unknown}")
    if area_codes is not None:
        unknown = [c for c in [region.itl1] if c not in area_codes.get("itl1", set())]
        unknown += [c for c in [region.region] if c not in area_codes.get("region", set())]
        if unknown:
            raise ContentError(f"{path}:1: region has unknown area codes {unknown}")
    return region


def load_content(
    directory: Path | None = None,
    industries: pd.DataFrame | None = None,
    area_codes: dict[str, set[str]] | None = None,
) -> Content:
    """Load and validate lis_data/; with the store's industries and areas, check every code."""
    directory = directory or content_dir()
    files = {name: load_yaml(directory / f"{name}.yaml", name) for name in ("commitments", "clusters", "places",
                                                                           "claims")}
    commitments = models(files["commitments"], Commitment)
    clusters = models(files["clusters"], Cluster)
    places = models(files["places"], Place)
    claims = models(files["claims"], Claim)
    ids = {"commitment": {c.id for c in commitments}, "cluster": {c.id for c in clusters},
           "place": {p.id for p in places}}
    _check_clusters(files["clusters"], clusters, ids, industries)
    _check_places(files["places"], places, area_codes)
    _check_claims(files["claims"], claims, ids, {p.id: p for p in places}, {c.id: c for c in commitments},
                  area_codes)
    region = _load_region(directory / "region.yaml", ids, area_codes)
    return Content(commitments, clusters, places, claims, region)


def area_codes_of(areas: pd.DataFrame) -> dict[str, set[str]]:
    """Codes per level in the store, for validating place lists."""
    return {str(level): set(group["code"]) for level, group in areas.groupby("level")}
