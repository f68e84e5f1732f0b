"""Which source and industry codes measure a cluster at a level, and whether they are the cluster itself.

A source without SIC detail shows a cluster through a broader group (a proxy). Such a group is
named as itself, never as the cluster, and its purity is measured: the cluster's share of the
group's Great Britain employment in BRES 5-digit data (the finest jobs data in the store).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lisdash.content import Cluster
from lisdash.metrics.memo import per_build
from lisdash.metrics.provenance import Proxy
from lisdash.sources.readers import TOTAL
from lisdash.store import Store

# Finest first: a cluster is measured at the most detailed industry level a source offers.
INDUSTRY_PREFERENCE = ["subclass", "class", "division", "gva_industry", "section", "broad_group"]
SCHEME_NAMES = {"division": "SIC divisions", "gva_industry": "ONS GVA groups", "section": "SIC sections",
                "broad_group": "business-count broad groups"}


class MetricError(ValueError):
    """The requested cluster, measure, level or year is not in the store."""


@dataclass(frozen=True)
class Resolution:
    """The source and codes that measure a cluster, and what they really measure (`subject`).

    `exact` is true when the codes cover exactly the cluster's subclasses. Otherwise the codes are
    a proxy, and `proxy` measures its purity: the cluster's share of the proxy's GB jobs and the
    share of the cluster's GB jobs inside the proxy (BRES 5-digit).
    """

    source: str
    industry_level: str
    codes: list[str]
    caveat: str | None
    cluster: str
    cluster_name: str
    subject: str
    exact: bool
    proxy: Proxy | None = None
    short_subject: str = ""

    @property
    def label(self) -> str:
        """What the numbers measure: the cluster; or a group standing in for it (the group named first); or a
        group too little of the cluster to stand in for it, named as itself with the cluster's share."""
        if self.exact:
            return self.subject
        if self.proxy is not None and not self.proxy.stands_in:
            return f"{self.subject}, of which {self.proxy.share:.0%} is {self.cluster_name.lower()}"
        return f"{self.subject}, standing in for {self.cluster_name.lower()}"


def cluster_subclasses(cluster: Cluster, industries: pd.DataFrame) -> list[str]:
    """The 5-digit subclasses a cluster's SIC list stands for (divisions, classes or UK subclasses)."""
    sub = industries[industries["industry_level"] == "subclass"]
    known = set(sub["code"])
    picked: set[str] = set()
    for code in cluster.sic:
        if len(code) == 2:
            found = set(sub.loc[sub["division"] == code, "code"])
        elif "/" in code:
            found = {code[:2] + code[3:5] + code[6]} & known
        else:
            found = set(sub.loc[sub["class"] == code, "code"])
        if not found:
            raise MetricError(f"cluster '{cluster.id}': SIC code {code} matches no subclass in SIC 2007")
        picked |= found
    return sorted(picked)


def cluster_codes(cluster: Cluster, industry_level: str, industries: pd.DataFrame
                  ) -> tuple[list[str], str | None] | None:
    """Industry codes for a cluster at an industry level, and the caveat when approximate."""
    if industry_level in ("subclass", "class"):
        picked = cluster_subclasses(cluster, industries)
        if industry_level == "class":
            picked = sorted({f"{c[:2]}.{c[2:4]}" for c in picked})
        return picked, None
    coarse = cluster.coarse.get(industry_level)
    if coarse is None:
        return None
    return list(coarse.codes), coarse.caveat


def proxy_divisions(industry_level: str, codes: list[str], industries: pd.DataFrame) -> list[str]:
    """The SIC divisions a proxy's groups cover."""
    if industry_level == "division":
        return list(codes)
    rows = industries[(industries["industry_level"] == industry_level) & industries["code"].isin(codes)]
    return sorted({d for text in rows["divisions"].dropna() for d in text.split(",")})


def proxy_subclasses(industry_level: str, codes: list[str], industries: pd.DataFrame) -> list[str]:
    """The subclasses inside a proxy's groups, through the SIC divisions each group covers."""
    divisions = proxy_divisions(industry_level, codes, industries)
    sub = industries[industries["industry_level"] == "subclass"]
    return sorted(sub.loc[sub["division"].isin(divisions), "code"])


def division_ranges(divisions: list[str]) -> str:
    """Divisions as compact ranges: 28, 29, 30, 31, 32, 33 -> '28-33'; 30, 33 -> '30, 33'."""
    numbers = sorted({int(d) for d in divisions})
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]:02d}-{r[-1]:02d}" if len(r) > 1 else f"{r[0]:02d}" for r in runs)


def short_proxy_subject(industry_level: str, codes: list[str], industries: pd.DataFrame) -> str:
    """A proxy named in a few words, for cards and labels: 'SIC 28-33 group', or '12-division SIC group' where
    its divisions make more than two ranges."""
    divisions = proxy_divisions(industry_level, codes, industries)
    ranges = division_ranges(divisions)
    return f"SIC {ranges} group" if ranges.count(",") <= 1 else f"{len(divisions)}-division SIC group"


def proxy_subject(industry_level: str, codes: list[str], industries: pd.DataFrame) -> str:
    """A proxy's own name, from its groups' published names and the SIC it covers."""
    rows = industries[industries["industry_level"] == industry_level].drop_duplicates("code").set_index("code")
    if industry_level == "division":
        return f"SIC {'division' if len(codes) == 1 else 'divisions'} {division_ranges(codes)}"
    names = " + ".join(str(rows.loc[c, "name"]) if c in rows.index else c for c in codes)
    if industry_level == "section":
        return f"{names} (Census sections {', '.join(codes)})"
    return f"{names} (SIC {division_ranges(proxy_divisions(industry_level, codes, industries))})"


@per_build(4)
def gb_subclass_jobs(store: Store) -> tuple[pd.Series, int]:
    """GB employment by 5-digit subclass in the latest year of the finest BRES source, and that year."""
    facts = store.facts
    rows = facts[(facts["measure"] == "employment") & (facts["industry_level"] == "subclass")
                 & (facts["industry_code"] != TOTAL)]
    if rows.empty:
        raise MetricError("no BRES 5-digit employment in the store: proxy shares cannot be computed")
    level = "itl2" if (rows["level"] == "itl2").any() else str(rows["level"].iloc[0])
    rows = rows[rows["level"] == level]
    year = int(rows["year"].max())
    jobs = rows[rows["year"] == year].groupby("industry_code", observed=True)["value"].sum()
    return jobs, year


def proxy_purity(store: Store, cluster: Cluster, industry_level: str, codes: list[str]
                 ) -> tuple[bool, float, float, int]:
    """Whether a proxy is the cluster exactly, its share that is the cluster, and the cluster's coverage."""
    cluster_set = set(cluster_subclasses(cluster, store.industries))
    proxy_set = set(proxy_subclasses(industry_level, codes, store.industries))
    jobs, year = gb_subclass_jobs(store)
    inside = float(jobs.reindex(sorted(cluster_set & proxy_set)).sum())
    proxy_total = float(jobs.reindex(sorted(proxy_set)).sum())
    cluster_total = float(jobs.reindex(sorted(cluster_set)).sum())
    share = inside / proxy_total if proxy_total else 0.0
    coverage = inside / cluster_total if cluster_total else 0.0
    return cluster_set == proxy_set, share, coverage, year


@per_build(1024)
def resolve(store: Store, cluster: Cluster, measure: str, level: str, source: str | None = None) -> Resolution:
    """The finest source of `measure` at `level` that can show the cluster."""
    facts = store.measure_facts(measure, level)
    if facts.empty:
        raise MetricError(f"no {measure} data at level {level}; available: {store.levels_for(measure)}")
    options = facts[["source", "industry_level"]].drop_duplicates()
    options = options[options["industry_level"].astype(str).isin(INDUSTRY_PREFERENCE)]
    if source:
        options = options[options["source"] == source]
    ranked = sorted(options.itertuples(index=False), key=lambda r: INDUSTRY_PREFERENCE.index(str(r.industry_level)))
    for row in ranked:
        level_name = str(row.industry_level)
        found = cluster_codes(cluster, level_name, store.industries)
        if not found:
            continue
        codes, caveat = found
        if level_name in ("subclass", "class"):
            return Resolution(str(row.source), level_name, codes, None, cluster.id, cluster.name, cluster.name, True,
                              short_subject=cluster.short)
        exact, share, coverage, year = proxy_purity(store, cluster, level_name, codes)
        subject = cluster.name if exact else proxy_subject(level_name, codes, store.industries)
        proxy = Proxy(share, coverage, year)
        short = (cluster.short if exact else f"{cluster.short} (stand-in group)" if proxy.stands_in
                 else short_proxy_subject(level_name, codes, store.industries))
        return Resolution(str(row.source), level_name, codes, caveat, cluster.id, cluster.name, subject, exact,
                          proxy, short)
    raise MetricError(f"{measure} at level {level} has no industry detail that can show cluster '{cluster.id}'")
