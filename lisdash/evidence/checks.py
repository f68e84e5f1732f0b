"""One check of a claim: its numbers, whether it can test the claim (eligibility), and its own verdict."""

from __future__ import annotations

from dataclasses import dataclass, field

from lisdash import metrics, vocabulary
from lisdash.content import Check, Claim, Cluster, Content
from lisdash.evidence.geography import check_areas, place_codes
from lisdash.evidence.rules import RULES, Verdict, capped
from lisdash.metrics import industrygrowth
from lisdash.sources.readers import TOTAL
from lisdash.store import Store

AGAINST_ORDER = ["divisions", "sections", "clusters"]  # the finest comparison of a growth claim decides


@dataclass
class CheckResult:
    """A check's numbers and reading. `verdict` is None when the check cannot test the claim."""

    index: int
    measure: str
    level: str
    year: int
    start: int | None
    where: str
    areas: list[str]
    subject: str
    exact: bool
    proxy_share: float | None
    source: str
    benchmark: str
    eligible: bool
    eligibility: str
    verdict: Verdict | None = None
    reason: str = ""
    value: float | None = None
    value_low: float | None = None
    value_high: float | None = None
    lq: float | None = None
    lq_low: float | None = None
    lq_high: float | None = None
    uncertain: bool = False
    rank: int | None = None
    of: int | None = None
    rank_among: str = ""
    growth_pct: float | None = None
    benchmark_growth_pct: float | None = None
    area_growth_pct: float | None = None  # all industries in the same areas
    rank_by_start: dict[int, int] = field(default_factory=dict)
    without: list[str] = field(default_factory=list)  # SIC divisions left out in the sensitivity test
    without_rank: int | None = None
    comparators: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    specificity: tuple = ()
    where_short: str = ""  # the areas in a few words (a slide's card)
    short_subject: str = ""  # what is measured in a few words


def _industry_eligibility(prov: metrics.Provenance, cluster: Cluster) -> tuple[bool, str]:
    if prov.exact or prov.proxy is None:
        return True, ""
    if RULES.proxy_eligible(prov.proxy.share):
        return True, ""
    return False, (f"{prov.subject} is only {prov.proxy.share:.0%} {cluster.name.lower()} (share of its Great "
                   f"Britain employment, BRES {prov.proxy.year}), below the {RULES.proxy_min_share:.0%} a "
                   "stand-in needs")


def _base(store: Store, content: Content, claim: Claim, check: Check, index: int,
          prov: metrics.Provenance) -> CheckResult:
    cluster = content.cluster(claim.cluster)
    areas = check_areas(store, content, claim, check)
    industry_ok, industry_reason = _industry_eligibility(prov, cluster)
    reasons = [r for r in (areas.reason, industry_reason) if r]
    share = prov.proxy.share if prov.proxy else None
    return CheckResult(
        index=index, measure=check.measure, level=check.level, year=check.year, start=check.start,
        where=areas.where, areas=areas.codes, subject=prov.label, exact=prov.exact, where_short=areas.short,
        short_subject=prov.short_subject,
        proxy_share=share, source=prov.source, benchmark=prov.benchmark_name,
        eligible=areas.own and industry_ok, eligibility=vocabulary.sentence_case("; ".join(reasons)),
        specificity=(0 if prov.exact else 1, metrics.INDUSTRY_PREFERENCE.index(prov.industry_level),
                     -(share or 1.0), -check.year, AGAINST_ORDER.index(check.against)))


def _lq_sentence(result: CheckResult, noun: str, measure_name: str) -> str:
    subject = result.subject.lower() if result.exact else result.subject
    return (f"LQ {result.lq:.2f} ({result.lq_low:.2f} to {result.lq_high:.2f}): the share of {noun} in "
            f"{result.where} that are in {subject} is {result.lq:.2f} times the same share in {result.benchmark} "
            f"({measure_name}, {result.year})")


def _position(store: Store, content: Content, claim: Claim, table, result: CheckResult) -> None:
    """Rank like with like: one area among its level, a region among regions; a combined place is not ranked."""
    place = content.place(claim.place)
    if claim.test == "regional_rank" and result.eligible is not False and "itl1" in place.areas \
            and sorted(result.areas) == sorted(place_codes(store, place, result.level)):
        regions = metrics.rollup(table, store.layer(result.level)).set_index("code")
        code = place.areas["itl1"][0]
        result.rank, result.of = int(regions.loc[code, "rank"]), len(regions)
        result.rank_among = f"regions of {result.benchmark}"
    elif len(result.areas) == 1:
        row = table.set_index("code").loc[result.areas[0]]
        result.rank, result.of = int(row["rank"]), int(table["lq"].notna().sum())
        result.rank_among = f"{vocabulary.level_name(result.level)} of {result.benchmark}"


def concentration(store: Store, content: Content, claim: Claim, check: Check, index: int,
                  cluster: Cluster | None = None) -> CheckResult:
    """The place's combined LQ (with interval) and its position; verdict by the concentration or rank rule."""
    cluster = cluster or content.cluster(claim.cluster)
    table = metrics.cluster_table(store, cluster, check.measure, check.level, check.year)
    result = _base(store, content, claim, check, index, metrics.provenance_of(table))
    if not result.areas:
        result.reason = result.eligibility
        return result
    place = metrics.place_total(table, result.areas, metrics.year_tables(store, cluster, check.measure, check.level))
    result.value, result.value_low, result.value_high = place["value"], place["value_low"], place["value_high"]
    result.lq, result.lq_low, result.lq_high, result.uncertain = place["lq"], place["lq_low"], place["lq_high"], \
        place["uncertain"]
    _position(store, content, claim, table, result)
    info = vocabulary.measure(check.measure)
    sentences = [_lq_sentence(result, info.noun, info.name)]
    if result.rank is not None:
        sentences.append(f"ranks {result.rank} of {result.of} {result.rank_among}")
    elif len(result.areas) > 1:  # like with like only: no rank or percentile of a combined place among single areas
        sentences.append(f"a place of {len(result.areas)} {vocabulary.level_name(check.level)} is not ranked among "
                         "single areas")
    if claim.test == "regional_rank" and result.rank_among.startswith("regions"):
        verdict = RULES.regional_rank(result.rank)
    else:
        verdict = RULES.concentration(result.lq)
    if result.uncertain:
        verdict = capped(verdict)
        result.notes.append("the LQ moves more from year to year than its rounding range (median change "
                            f"{place['lq_movement']:.2f}), so it is unstable" if place["unstable"] else
                            "the LQ's rounding interval includes 1 or the count is below the minimum")
    if not result.exact:
        verdict = capped(verdict)
        result.notes.append(f"measured through a broader group, {result.proxy_share:.0%} of which is the cluster")
    result.verdict = verdict if result.eligible else None
    result.reason = "; ".join(sentences + result.notes) + "."
    return result


def without_divisions(cluster: Cluster, divisions: list[str]) -> Cluster:
    """The cluster with some SIC divisions left out (a sensitivity test)."""
    kept = [code for code in cluster.sic if code[:2] not in divisions]
    return cluster.model_copy(update={"id": f"{cluster.id}-without-{'-'.join(divisions)}", "sic": kept, "coarse": {}})


def regional_rank(store: Store, content: Content, claim: Claim, check: Check, index: int) -> CheckResult:
    """The region's rank by LQ among the regions, its sensitivity, and its rank among its own clusters."""
    result = concentration(store, content, claim, check, index)
    if result.rank is None or not result.rank_among.startswith("regions"):
        return result
    extra = []
    if check.without:
        reduced = without_divisions(content.cluster(claim.cluster), check.without)
        other = concentration(store, content, claim, check, index, reduced)
        if other.rank is not None:
            result.without, result.without_rank = list(check.without), other.rank
            extra.append(f"without SIC {', '.join(check.without)} it ranks {other.rank} of {other.of}")
    mix, unmeasured = [], []
    for cluster in content.clusters:
        try:
            other = concentration(store, content, claim, check, index, cluster)
        except metrics.MetricError:
            continue
        if other.exact or RULES.proxy_eligible(other.proxy_share or 0.0):
            mix.append((other.lq, cluster.name))
        else:  # a group mostly of other industries measures no cluster: it is not ranked under one's name
            unmeasured.append(cluster.name)
    mix.sort(reverse=True)
    names = [name for _, name in mix]
    mine = content.cluster(claim.cluster).name
    if mine in names:
        higher = [f"{name} {lq:.2f}" for lq, name in mix[: names.index(mine)]]
        extra.append(f"among the {len(mix)} clusters this source measures in the region it ranks "
                     f"{names.index(mine) + 1} by LQ" + (f" (higher: {', '.join(higher)})" if higher else ""))
    if unmeasured:
        extra.append(f"{len(unmeasured)} clusters are not measured by this source (its groups for them are mostly "
                     f"other industries): {', '.join(unmeasured)}")
    result.reason = result.reason.rstrip(".") + "; " + "; ".join(extra) + "."
    return result


def _no_overlap(store: Store, target: Cluster, others: list[Cluster]) -> list[Cluster]:
    """Clusters sharing no SIC subclass with the target or each other, the most specific first."""
    industries = store.industries
    taken = set(metrics.cluster_subclasses(target, industries))
    chosen = []
    for cluster in sorted(others, key=lambda c: len(metrics.cluster_subclasses(c, industries))):
        codes = set(metrics.cluster_subclasses(cluster, industries))
        if not codes & taken:
            chosen.append(cluster)
            taken |= codes
    return chosen


def _growth_in(store: Store, cluster: Cluster, check: Check, start: int, codes: list[str]) -> tuple[float, float]:
    change = metrics.change_table(store, cluster, check.measure, check.level, start, check.year)
    local = change[change["code"].isin(codes)]
    return metrics.growth(local), float(local["value_start"].sum(min_count=1))


def _growth_base(store: Store, content: Content, claim: Claim, check: Check, index: int
                 ) -> tuple[CheckResult, Cluster, metrics.Resolution]:
    cluster = content.cluster(claim.cluster)
    table = metrics.cluster_table(store, cluster, check.measure, check.level, check.year)
    result = _base(store, content, claim, check, index, metrics.provenance_of(table))
    return result, cluster, metrics.resolve(store, cluster, check.measure, check.level)


def _own_growth(store: Store, res: metrics.Resolution, check: Check, areas: list[str], start: int,
                name: str) -> industrygrowth.Growth | None:
    return industrygrowth.growth(store, res.source, check.measure, check.level, areas, list(res.codes), name, start,
                                 check.year)


def _range(g: industrygrowth.Growth) -> str:
    return f"{g.pct:+.1f}% ({g.low:+.1f}% to {g.high:+.1f}%)"


def against_industries(store: Store, content: Content, claim: Claim, check: Check, index: int) -> CheckResult:
    """The cluster's growth against every SIC section or division of the economy in the same areas and years, each
    without the cluster's own subclasses, with 95% ranges from rounding, from every start year."""
    result, cluster, res = _growth_base(store, content, claim, check, index)
    if not result.areas or res.industry_level != "subclass":
        result.reason = result.eligibility or "this source has no SIC subclasses to take the cluster out of"
        return result
    mine = _own_growth(store, res, check, result.areas, check.start, cluster.name)
    rest = industrygrowth.rest_of_economy(store.industries, check.against[:-1], list(res.codes))
    scheme = {"divisions": "SIC divisions", "sections": "SIC sections"}[check.against]
    starts = [y for y in store.years_for(check.measure, check.level) if y < check.year]
    rivals: dict[int, list[industrygrowth.Growth]] = {}
    for start in starts:
        grown = industrygrowth.growths(store, res.source, check.measure, check.level, result.areas,
                                       {f"{code} {name}": codes for code, (name, codes) in rest.items()},
                                       start, check.year)
        rivals[start] = [g for g in grown.values() if g is not None and g.start >= RULES.growth_min_start]
        own = _own_growth(store, res, check, result.areas, start, cluster.name)
        result.rank_by_start[start] = 1 + sum(bool(g.pct > own.pct) for g in rivals[start])
    compared = rivals[check.start]
    result.growth_pct, result.value = mine.pct, mine.end
    result.rank, result.of = result.rank_by_start[check.start], len(compared) + 1
    result.rank_among = f"{scheme} (each without {possessive(cluster.name.lower())} own subclasses)"
    faster = sorted((g for g in compared if g.pct > mine.pct), key=lambda g: -g.pct)
    clearly = [g for g in faster if g.low > mine.high]
    result.comparators = [f"{g.name} {_range(g)}" for g in faster[:5]]
    first_from = [str(y) for y, r in result.rank_by_start.items() if r == 1]
    verdict = (Verdict.NOT_SUPPORTED if clearly else
               RULES.fastest_growth(result.rank, len(first_from) == len(starts), True))
    result.verdict = verdict if result.eligible else None
    unit = vocabulary.measure(check.measure).unit
    result.reason = (
        f"{cluster.name} {vocabulary.measure(check.measure).noun} in {result.where} grew {_range(mine)} in "
        f"{check.start}-{check.year}; it ranks {result.rank} of {result.of} among {scheme} with at least "
        f"{RULES.growth_min_start:,.0f} {unit} there at the start, each taken without "
        f"{possessive(cluster.name.lower())} own subclasses so no job counts twice; {len(clearly)} of them grew "
        "faster beyond the rounding ranges"
        + (f" (fastest: {'; '.join(result.comparators[:3])})" if faster else "")
        + f"; it ranks first when counted from {', '.join(first_from) if first_from else 'no start year'} of "
        f"{starts[0]}-{starts[-1]}.")
    return result


def rapid_growth(store: Store, content: Content, claim: Claim, check: Check, index: int) -> CheckResult:
    """The cluster's growth against all industries in the same areas and against the cluster across the benchmark,
    with 95% ranges from rounding."""
    result, cluster, res = _growth_base(store, content, claim, check, index)
    if not result.areas:
        result.reason = result.eligibility
        return result
    mine = _own_growth(store, res, check, result.areas, check.start, cluster.name)
    every = industrygrowth.growth(store, res.source, check.measure, check.level, result.areas, [TOTAL],
                                  "all industries", check.start, check.year)
    areas = [c for c in store.measure_facts(check.measure, check.level)["area_code"].unique()]
    national = _own_growth(store, res, check, [str(a) for a in areas], check.start,
                           f"{cluster.name} across {result.benchmark}")
    result.growth_pct, result.benchmark_growth_pct, result.value = mine.pct, national.pct, mine.end
    result.area_growth_pct = every.pct
    others = (every, national)
    clearly = sum(bool(mine.low > other.high) for other in others)
    faster = sum(bool(mine.pct > other.pct) for other in others)
    result.verdict = RULES.rapid_growth(clearly, faster) if result.eligible else None
    result.comparators = [f"{g.name} {_range(g)}" for g in others]
    result.reason = (
        f"{cluster.name} {vocabulary.measure(check.measure).noun} in {result.where} grew {_range(mine)} in "
        f"{check.start}-{check.year}, against {_range(every)} for all industries there and {_range(national)} "
        f"for {cluster.name.lower()} across {result.benchmark} (95% ranges from rounding): faster than {faster} "
        f"of the two, {clearly} of them beyond both ranges.")
    return result


def possessive(name: str) -> str:
    """'automotive's', 'creative industries''."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def fastest_growth(store: Store, content: Content, claim: Claim, check: Check, index: int) -> CheckResult:
    """Growth against the cluster's own benchmark and against non-overlapping clusters, from every start year; or,
    with `against: sections | divisions`, against every part of the economy (`against_industries`)."""
    if check.against != "clusters":
        return against_industries(store, content, claim, check, index)
    cluster = content.cluster(claim.cluster)
    table = metrics.cluster_table(store, cluster, check.measure, check.level, check.year)
    result = _base(store, content, claim, check, index, metrics.provenance_of(table))
    if not result.areas:
        result.reason = result.eligibility
        return result
    mine, start_value = _growth_in(store, cluster, check, check.start, result.areas)
    national = metrics.change_table(store, cluster, check.measure, check.level, check.start, check.year)
    result.growth_pct, result.benchmark_growth_pct = mine, metrics.growth(national)
    result.value = float(table[table["code"].isin(result.areas)]["value"].sum(min_count=1))
    big = []
    for other in content.clusters:
        if other.id == cluster.id:
            continue
        try:
            _, size = _growth_in(store, other, check, check.start, result.areas)
        except metrics.MetricError:
            continue
        if size >= RULES.growth_min_start:
            big.append(other)
    comparators = _no_overlap(store, cluster, big)
    result.comparators = [c.name for c in comparators]
    starts = [y for y in store.years_for(check.measure, check.level) if y < check.year]
    for start in starts:
        own = _growth_in(store, cluster, check, start, result.areas)[0]
        rivals = [_growth_in(store, c, check, start, result.areas)[0] for c in comparators]
        result.rank_by_start[start] = 1 + sum(g > own for g in rivals)
    result.rank, result.of = result.rank_by_start[check.start], len(comparators) + 1
    result.rank_among = "non-overlapping clusters"
    first_from = [str(y) for y, r in result.rank_by_start.items() if r == 1]
    beats = mine > result.benchmark_growth_pct
    verdict = RULES.fastest_growth(result.rank, len(first_from) == len(starts), beats)
    result.verdict = verdict if result.eligible else None
    unit = vocabulary.measure(check.measure).unit
    result.reason = (
        f"{cluster.name} {vocabulary.measure(check.measure).noun} in {result.where} grew {mine:+.1f}% in "
        f"{check.start}-{check.year} (from "
        f"{start_value:,.0f}), against {result.benchmark_growth_pct:+.1f}% for {cluster.name.lower()} across "
        f"{result.benchmark}; it ranks {result.rank} of {result.of} against {', '.join(result.comparators)} "
        f"(clusters with at least {RULES.growth_min_start:,.0f} {unit} there that share no SIC code with it or "
        f"each other); it ranks first when counted from "
        f"{', '.join(first_from) if first_from else 'no start year'} of {starts[0]}-{starts[-1]}.")
    return result


TESTS = {"concentration": concentration, "regional_rank": regional_rank, "fastest_growth": fastest_growth,
         "rapid_growth": rapid_growth}
