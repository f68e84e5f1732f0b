"""Which menu choices a source can show for a cluster, and a plain reason when it cannot."""

from __future__ import annotations

from lisdash import metrics, vocabulary
from lisdash.content import Cluster, Content
from lisdash.store import Store

DETAIL = {"broad_group": "broad industry groups", "section": "industry sections", "gva_industry": "GVA groups",
          "division": "SIC divisions"}


def reason(store: Store, cluster: Cluster, measure: str, level: str) -> str | None:
    """Why a measure at a level cannot show a cluster, or None when it can."""
    try:
        metrics.resolve(store, cluster, measure, level)
        return None
    except metrics.MetricError:
        facts = store.measure_facts(measure, level)
        levels = sorted({str(lv) for lv in facts["industry_level"].unique()})
        groups = facts.loc[facts["industry_code"] != "TOTAL", "industry_code"].nunique()
        detail = " and ".join(DETAIL.get(lv, lv) for lv in levels)
        return (f"{cluster.name} cannot be shown in {vocabulary.measure_name(measure)} by "
                f"{vocabulary.level_name(level)}: that source has only {groups} {detail}, and none stands in "
                "for this cluster.")


def unavailable(store: Store, content: Content, cluster_id: str, combos: dict[str, tuple[str, str]]) -> dict[str, str]:
    """For each choice (key -> measure, level) the source cannot show the cluster at, why not."""
    cluster = content.cluster(cluster_id)
    found = {key: reason(store, cluster, measure, level) for key, (measure, level) in combos.items()}
    return {key: text for key, text in found.items() if text}


def unavailable_clusters(store: Store, content: Content, measure: str, level: str) -> dict[str, str]:
    """The clusters a measure at a level cannot show, with the reason."""
    found = {c.id: reason(store, c, measure, level) for c in content.clusters}
    return {key: text for key, text in found.items() if text}


def unmeasured_colours(store: Store, content: Content, cluster_id: str, measure: str, level: str) -> dict[str, str]:
    """Colour modes a map may not use for a cluster, with the reason: strength classes and hotspots classify areas,
    so they are given only where the numbers measure the cluster (exactly, or through a group mostly of it)."""
    cluster = content.cluster(cluster_id)
    try:
        res = metrics.resolve(store, cluster, measure, level)
    except metrics.MetricError:
        return {}
    if res.exact or res.proxy is None or res.proxy.stands_in:
        return {}
    why = (f"Strength classes and hotspots are not given for {res.subject}: it is only {res.proxy.share:.0%} "
           f"{cluster.name.lower()}.")
    return {"class": why, "hotspot": why}
