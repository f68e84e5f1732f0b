"""Cluster metrics over the store: values, shares, location quotients, change, shift-share, classes.

Every result is a DataFrame whose `attrs` carry its provenance (source, measure, level, year,
industry detail, caveat), so figures and tables can credit it without retyping anything.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lisdash.content import Cluster
from lisdash.sources.readers import TOTAL
from lisdash.store import Store

# Finest first: a cluster is measured at the most detailed industry level a source offers.
INDUSTRY_PREFERENCE = ["subclass", "class", "division", "gva_industry", "section", "broad_group"]
NON_ADDITIVE = {"gva_cvm"}
CLASS_RULE = (
    "US Cluster Mapping rule: strong = LQ at or above the 75th percentile of areas, LQ >= 1 "
    "and size above the bottom quartile of areas; specialised = LQ >= 1 otherwise."
)


class MetricError(ValueError):
    """The requested cluster, measure, level or year is not in the store."""


@dataclass(frozen=True)
class Resolution:
    """Which source and industry codes measure a cluster at a level."""

    source: str
    industry_level: str
    codes: list[str]
    caveat: str | None


def cluster_codes(
    cluster: Cluster, industry_level: str, industries: pd.DataFrame
) -> tuple[list[str], str | None] | None:
    """Industry codes for a cluster at an industry level, and the caveat when approximate."""
    if industry_level in ("subclass", "class"):
        sub = industries[industries["industry_level"] == "subclass"]
        picked = set()
        for code in cluster.sic:
            if len(code) == 2:
                picked |= set(sub.loc[sub["division"] == code, "code"])
            elif "/" in code:
                picked.add(code[:2] + code[3:5] + code[6])
            else:
                picked |= set(sub.loc[sub["class"] == code, "code"])
        if industry_level == "class":
            picked = {f"{c[:2]}.{c[2:4]}" for c in picked}
        return sorted(picked), None
    coarse = cluster.coarse.get(industry_level)
    if coarse is None:
        return None
    return list(coarse.codes), coarse.caveat


def resolve(store: Store, cluster: Cluster, measure: str, level: str, source: str | None = None) -> Resolution:
    """The finest source of `measure` at `level` that can show the cluster."""
    facts = store.measure_facts(measure, level)
    if facts.empty:
        raise MetricError(f"no {measure} data at level {level}; available: {store.levels_for(measure)}")
    options = facts[["source", "industry_level"]].drop_duplicates()
    options = options[options["industry_level"].astype(str).isin(INDUSTRY_PREFERENCE)]
    if source:
        options = options[options["source"] == source]
    ranked = sorted(options.itertuples(index=False),
                    key=lambda r: INDUSTRY_PREFERENCE.index(str(r.industry_level)))
    for row in ranked:
        found = cluster_codes(cluster, str(row.industry_level), store.industries)
        if found:
            return Resolution(str(row.source), str(row.industry_level), found[0], found[1])
    raise MetricError(f"{measure} at level {level} has no industry detail that can show cluster '{cluster.id}'")


def _values(facts: pd.DataFrame, res: Resolution, year: int) -> pd.DataFrame:
    rows = facts[(facts["source"] == res.source) & (facts["year"] == year)]
    if rows.empty:
        raise MetricError(f"{res.source} has no data for {year}")
    cluster = rows[rows["industry_code"].isin(res.codes)]
    value = cluster.groupby("area_code")["value"].sum(min_count=1)
    suppressed = cluster.groupby("area_code")["suppressed"].any()
    total = rows[rows["industry_code"] == TOTAL].set_index("area_code")["value"]
    out = pd.DataFrame({"total": total}).join(value.rename("value")).join(suppressed)
    out["source_name"] = rows.drop_duplicates("area_code").set_index("area_code")["area_name"]
    out["suppressed"] = out["suppressed"].astype("boolean").fillna(False).astype(bool)
    return out


def latest_year(store: Store, measure: str, level: str, source: str) -> int:
    """Most recent year a source publishes."""
    facts = store.measure_facts(measure, level)
    return int(facts.loc[facts["source"] == source, "year"].max())


def cluster_table(store: Store, cluster: Cluster, measure: str, level: str,
                  year: int | None = None, source: str | None = None) -> pd.DataFrame:
    """Value, share of the area's total, LQ and national rank of a cluster in every area of a level.

    LQ = (e_ic / e_i) / (E_c / E), where E sums every area of the level in the same source.
    """
    res = resolve(store, cluster, measure, level, source)
    year = year or latest_year(store, measure, level, res.source)
    data = _values(store.measure_facts(measure, level), res, year)
    additive = measure not in NON_ADDITIVE
    national_value = data["value"].sum() if additive else np.nan
    national_total = data["total"].sum() if additive else np.nan
    data["share"] = data["value"] / data["total"] if additive else np.nan
    data["lq"] = data["share"] / (national_value / national_total) if additive else np.nan
    data["rank"] = data["lq"].rank(ascending=False, method="min")
    names = store.areas.drop_duplicates(["level", "code"])
    names = names[names["level"] == level].set_index("code")["name"]
    data.insert(0, "name", data.index.to_series().map(names).fillna(data.pop("source_name")))
    data.index.name = "code"
    table = data.reset_index().sort_values("lq", ascending=False, na_position="last", ignore_index=True)
    src = store.sources.get(res.source)
    table.attrs = {
        "cluster": cluster.id, "measure": measure, "level": level, "year": year,
        "source": res.source, "industry_level": res.industry_level, "codes": res.codes,
        "caveat": res.caveat, "national_value": float(national_value),
        "national_total": float(national_total),
        "source_title": src.title if src else res.source,
        "source_caveats": src.caveats if src else None,
        "unit": (src.unit if src and src.unit else None),
    }
    return strength(table)


def strength(table: pd.DataFrame) -> pd.DataFrame:
    """Add the cluster strength class (US Cluster Mapping rule, named in attrs['class_rule'])."""
    lq, value = table["lq"], table["value"]
    strong = (lq >= lq.quantile(0.75)) & (lq >= 1) & (value > value.quantile(0.25))
    klass = np.where(strong, "strong", np.where(lq >= 1, "specialised", "not specialised"))
    out = table.assign(**{"class": np.where(lq.isna(), "no data", klass)})
    out.attrs = {**table.attrs, "class_rule": CLASS_RULE}
    return out


def change_table(store: Store, cluster: Cluster, measure: str, level: str,
                 start: int, end: int, source: str | None = None) -> pd.DataFrame:
    """Absolute and percentage change of the cluster's value between two years, per area."""
    res = resolve(store, cluster, measure, level, source)
    facts = store.measure_facts(measure, level)
    a, b = _values(facts, res, start), _values(facts, res, end)
    out = pd.DataFrame({"value_start": a["value"], "value_end": b["value"]})
    out["change"] = out["value_end"] - out["value_start"]
    out["change_pct"] = 100 * out["change"] / out["value_start"].replace(0, np.nan)
    out.index.name = "code"
    out = out.reset_index()
    out.attrs = {"cluster": cluster.id, "measure": measure, "level": level, "start": start,
                 "end": end, "source": res.source, "caveat": res.caveat}
    return out


def shift_share(store: Store, cluster: Cluster, measure: str, level: str,
                start: int, end: int, source: str | None = None) -> pd.DataFrame:
    """Classic shift-share of the cluster's change in each area between two years.

    national growth = e0 * G; industry mix = e0 * (g_c - G); local = e0 * (r_ic - g_c), where G is
    national growth of all industries, g_c national growth of the cluster and r_ic the area's
    own cluster growth. The three parts add up to the actual change.
    """
    if measure in NON_ADDITIVE:
        raise MetricError(f"{measure} is not additive: shift-share needs an additive measure")
    res = resolve(store, cluster, measure, level, source)
    facts = store.measure_facts(measure, level)
    a, b = _values(facts, res, start), _values(facts, res, end)
    big_g = b["total"].sum() / a["total"].sum() - 1
    g_c = b["value"].sum() / a["value"].sum() - 1
    e0 = a["value"]
    r = (b["value"] / e0.replace(0, np.nan) - 1).fillna(0)
    out = pd.DataFrame({
        "value_start": e0, "value_end": b["value"],
        "national_growth": e0 * big_g, "industry_mix": e0 * (g_c - big_g), "local": e0 * (r - g_c),
    })
    out["change"] = out["value_end"] - out["value_start"]
    out.index.name = "code"
    out = out.reset_index()
    out.attrs = {"cluster": cluster.id, "measure": measure, "level": level, "start": start,
                 "end": end, "source": res.source, "national_rate": big_g, "cluster_rate": g_c}
    return out


def place_total(table: pd.DataFrame, codes: list[str]) -> dict[str, float]:
    """A place's combined value, total, share and LQ from a cluster table of its member areas."""
    rows = table[table["code"].isin(codes)]
    value, total = rows["value"].sum(min_count=1), rows["total"].sum(min_count=1)
    national = table.attrs["national_value"] / table.attrs["national_total"]
    share = value / total if total else np.nan
    return {"value": float(value), "total": float(total), "share": float(share), "lq": float(share / national)}


def rollup(table: pd.DataFrame, layer: pd.DataFrame, parent: str = "itl1") -> pd.DataFrame:
    """A cluster table summed to parent areas (e.g. ITL1 regions), with LQ and rank among them."""
    parents = layer.drop_duplicates("code").set_index("code")[parent]
    rows = table.assign(parent=table["code"].map(parents)).dropna(subset=["parent"])
    out = rows.groupby("parent")[["value", "total"]].sum(min_count=1)
    national = table.attrs["national_value"] / table.attrs["national_total"]
    out["share"] = out["value"] / out["total"]
    out["lq"] = out["share"] / national
    out["rank"] = out["lq"].rank(ascending=False, method="min")
    out.index.name = "code"
    result = out.reset_index().sort_values("rank", ignore_index=True)
    result.attrs = {**table.attrs, "level": parent}
    return result


def cluster_mix(store: Store, clusters: list[Cluster], measure: str, level: str, code: str,
                year: int | None = None) -> pd.DataFrame:
    """One area's value and LQ for every cluster the source can show."""
    rows = []
    for cluster in clusters:
        try:
            table = cluster_table(store, cluster, measure, level, year)
        except MetricError:
            continue
        match = table[table["code"] == code]
        if not match.empty:
            row = match.iloc[0]
            rows.append({"cluster": cluster.id, "cluster_name": cluster.name, "value": row["value"],
                         "share": row["share"], "lq": row["lq"], "rank": row["rank"], "class": row["class"],
                         "areas": len(table), "caveat": table.attrs["caveat"]})
            attrs = table.attrs
    out = pd.DataFrame(rows)
    out.attrs = attrs if rows else {}
    return out


def industry_shares(store: Store, measure: str, level: str, year: int | None = None) -> pd.DataFrame:
    """Area x industry share matrix at the finest industry detail of the measure (for peers)."""
    facts = store.measure_facts(measure, level)
    ranked = sorted(facts["industry_level"].astype(str).unique(),
                    key=lambda lv: INDUSTRY_PREFERENCE.index(lv) if lv in INDUSTRY_PREFERENCE else 99)
    rows = facts[facts["industry_level"] == ranked[0]]
    year = year or int(rows["year"].max())
    rows = rows[(rows["year"] == year) & (rows["industry_code"] != TOTAL)]
    matrix = rows.pivot_table(index="area_code", columns="industry_code", values="value", aggfunc="sum").fillna(0)
    return matrix.div(matrix.sum(axis=1).replace(0, np.nan), axis=0).fillna(0)


def peers(store: Store, measure: str, level: str, code: str, n: int = 5, year: int | None = None) -> pd.DataFrame:
    """The areas whose industrial mix is most similar (cosine similarity of industry shares)."""
    shares = industry_shares(store, measure, level, year)
    if code not in shares.index:
        raise MetricError(f"no {measure} data for area {code} at level {level}")
    vectors = shares.to_numpy()
    norms = np.linalg.norm(vectors, axis=1)
    target = shares.loc[code].to_numpy()
    similarity = vectors @ target / (norms * np.linalg.norm(target))
    out = pd.DataFrame({"code": shares.index, "similarity": similarity})
    return out[out["code"] != code].sort_values("similarity", ascending=False).head(n).reset_index(drop=True)


def series(store: Store, cluster: Cluster, measure: str, level: str, codes: list[str]) -> pd.DataFrame:
    """The cluster's value in each area for every year the source publishes."""
    res = resolve(store, cluster, measure, level)
    facts = store.measure_facts(measure, level)
    rows = facts[(facts["source"] == res.source) & facts["industry_code"].isin(res.codes)
                 & facts["area_code"].isin(codes)]
    out = rows.groupby(["area_code", "year"], as_index=False)["value"].sum(min_count=1)
    out = out.rename(columns={"area_code": "code"})
    out["year"] = out["year"].astype(int)
    out.attrs = {"cluster": cluster.id, "measure": measure, "level": level, "source": res.source,
                 "caveat": res.caveat, "start": int(out["year"].min()), "end": int(out["year"].max())}
    return out
