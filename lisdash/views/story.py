"""What each slide of the story shows, computed once and laid out by the present page or the deck exporter."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import plotly.graph_objects as go

from lisdash import evidence, metrics, vocabulary
from lisdash.consult.links import link
from lisdash.content import Check, Claim, Content
from lisdash.content.story import Number, Slide, Story
from lisdash.evidence.checks import CheckResult, concentration
from lisdash.evidence.claims import ClaimResult
from lisdash.evidence.report import headline
from lisdash.metrics import Provenance
from lisdash.store import Store
from lisdash.views.common import GeoSource, credits
from lisdash.views.maps import national_view, region_view
from lisdash.views.profile import portfolio_chart, portfolio_note
from lisdash.views.slidemap import SLIDE_FONT, place_shape


@dataclass
class BigNumber:
    """One number on a slide, its generated label and the source it comes from."""

    label: str
    value: str
    source: str


@dataclass
class SlideContent:
    """What a slide shows: computed once, laid out by the page or the exporter."""

    slide: Slide
    number: int
    total: int
    figure: go.Figure | None = None
    map_level: tuple[str, str] | None = None
    map_bounds: tuple[float, float, float, float] | None = None
    map_label: str = ""
    numbers: list[BigNumber] = field(default_factory=list)
    commitment: str = ""
    source: str = ""
    caveat: str = ""
    verdict: ClaimResult | None = None
    evidence: list[ClaimResult] = field(default_factory=list)
    question: str = ""
    respond: dict[str, str | int] = field(default_factory=dict)
    qr_url: str = ""
    notes: str = ""
    labels: list[tuple[str, float, float]] = field(default_factory=list)
    finding: str = ""
    agenda: list[str] = field(default_factory=list)


CHART_HEIGHT = 780  # a chart slide's figure, in pixels: the screen below the slide's title
CHART_WIDTH = 1100  # the narrowest it is drawn at (the exported deck's picture)
SHOWN = {"lq": "location quotient", "rank": "rank", "value": "size", "growth": "growth"}


def _format(result: CheckResult, show: str) -> str:
    if show == "lq":
        return f"{result.lq:.2f}"
    if show == "rank":
        return f"{result.rank} of {result.of}"
    if show == "growth":
        return f"{result.growth_pct:+.1f}%"
    return f"{result.value:,.0f} {vocabulary.unit(result.measure)}"


def _label(result: CheckResult, show: str) -> str:
    what = {"lq": f"location quotient vs {result.benchmark}", "rank": f"rank among {result.rank_among}",
            "value": vocabulary.measure(result.measure).noun, "growth": f"growth {result.start}-{result.year}"}[show]
    span = f"{result.start}-{result.year}" if result.start else str(result.year)
    return f"{result.where}: {result.subject}, {what} ({vocabulary.measure_name(result.measure)}, {span})"


def number_result(store: Store, content: Content, slide: Slide, number: Number,
                  results: dict[str, ClaimResult]) -> CheckResult:
    """The check behind a big number: a claim's check, or the slide's cluster measured in a place."""
    if number.claim:
        claim = results[number.claim]
        index = (number.check - 1) if number.check else (claim.decisive if claim.decisive is not None else 0)
        return claim.checks[index]
    claim = Claim(id=f"{slide.id}-number", claim="", commitment=content.cluster(slide.cluster).commitments[0],
                  cluster=slide.cluster, place=number.place, test="concentration",
                  checks=[Check(measure=number.measure, level=number.level, year=number.year)])
    return concentration(store, content, claim, claim.checks[0], 0)


def verdict_notes(result: ClaimResult) -> str:
    """The computed verdict for the speaker notes (never typed in the story file)."""
    return f"Evidence check ({result.claim}): {result.verdict}. {result.reason}"


def respond_params(content: Content, slide: Slide, number: int) -> dict[str, str | int]:
    """What a slide's "have your say" link tells the response page: its poll, or its cluster and commitment."""
    if slide.kind == "closing":
        return {}
    if slide.kind == "poll":
        return {"poll": slide.id, "slide": number}
    if slide.cluster:
        return {"commitment": content.cluster(slide.cluster).commitments[0], "cluster": slide.cluster,
                "slide": number}
    return {"slide": number}


def map_labels(store: Store, content: Content, slide: Slide,
               claim: ClaimResult | None) -> list[tuple[str, float, float]]:
    """The places a map slide names: on the UK map the region and the place of the slide's claim; inside the
    region the places the cluster is outlined in."""
    if slide.kind == "national_map":
        ids = [content.region.place] + ([claim.place] if claim and claim.place != content.region.place else [])
    else:
        ids = content.cluster(slide.cluster).places
    shaped = [(p.name, shape) for p in map(content.place, ids) if (shape := place_shape(store, p.areas)) is not None]
    points = [(name, shape.representative_point()) for name, shape in sorted(shaped, key=lambda s: s[1].area)]
    return [(name, point.x, point.y) for name, point in points]


def slide_content(store: Store, content: Content, story: Story, index: int, geo: GeoSource,
                  results: list[ClaimResult], map_height: int = 640, base: str | None = None,
                  event: str | None = None) -> SlideContent:
    """Everything slide `index` (0-based) shows, from the store and the evidence results.

    With `base` (an address phones can reach), the slide's QR link opens the response page there,
    for `event` if one is being presented.
    """
    slide = story.slides[index]
    by_id = {r.id: r for r in results}
    out = SlideContent(slide, index + 1, len(story.slides), notes=slide.notes,
                       respond=respond_params(content, slide, index + 1))
    if base:
        out.qr_url = link(base, "/respond", event=event, **out.respond)
    if slide.claim:
        out.verdict = by_id[slide.claim]
        out.notes = f"{slide.notes}\n\n{verdict_notes(out.verdict)}".strip()
        out.finding = f"{str(out.verdict.verdict).capitalize()}: {headline(out.verdict)}"
    if slide.kind == "title":
        out.agenda = [s.title for s in story.slides[1:]]
    sources: list[str] = []
    if slide.kind in ("national_map", "region_map"):
        if slide.kind == "national_map":
            view = national_view(store, content, slide.cluster, slide.measure, None, "lq", geo)
            out.map_level = (view.level, "national")
        else:
            view = region_view(store, content, slide.cluster, slide.level, None, "lq", geo, map_height)
            out.map_level = (view.level, "regional")
        out.figure, out.caveat, out.map_bounds = view.figure, view.caveat, view.bounds
        out.labels = map_labels(store, content, slide, out.verdict)
        out.map_label = f"Map: {view.provenance.label} ({vocabulary.measure_name(view.measure)}, {view.year})"
        sources.append(view.source)
        out.commitment = " ".join(f"Serves commitment {c.number}: {c.text}" for c in view.commitments)
        for number in slide.numbers:
            result = number_result(store, content, slide, number, by_id)
            line = credits(store, Provenance(result.source, result.measure, result.level, result.year,
                                             result.start, result.year), maps=False)[0]
            out.numbers.append(BigNumber(_label(result, number.show), _format(result, number.show), line))
            sources.append(line)
    elif slide.kind == "portfolio":
        layer = store.layer(slide.level)
        codes = layer.loc[layer["itl1"] == content.region.itl1, "code"].drop_duplicates().tolist()
        folio, out.figure, line = portfolio_chart(store, content, slide.measure, slide.level, codes,
                                                  content.region.name, font_size=SLIDE_FONT, height=CHART_HEIGHT,
                                                  width=CHART_WIDTH, bare=True)
        prov = metrics.provenance_of(folio)
        out.map_label = re.sub(r"\s*<br>\s*", " ", portfolio_note(slide.measure, prov))  # said under the chart
        sources.append(line)
        out.caveat = prov.caveat or ""
    elif slide.kind == "evidence":
        out.evidence = results
        sources += [credits(store, Provenance(c.source, c.measure, c.level, c.year), maps=False)[0]
                    for r in results for c in r.checks if c.index == (r.decisive or 0)]
        out.caveat = "Verdict rules: " + " ".join(evidence.RULES.text())
    elif slide.kind == "poll":
        out.question = slide.question
        commitment = content.commitment(slide.commitment)
        out.commitment = f"Commitment {commitment.number}: {commitment.text}"
    kept: list[str] = []
    for line in sources:
        if not any(line.removesuffix(".") in other for other in kept):
            kept.append(line)
    out.source = " ".join(kept)
    return out


def all_slides(store: Store, content: Content, story: Story, geo: GeoSource, base: str | None = None,
               event: str | None = None) -> list[SlideContent]:
    """Every slide's content, in order (for the exported deck)."""
    results = evidence.evaluate(store, content)
    return [slide_content(store, content, story, i, geo, results, base=base, event=event)
            for i in range(len(story.slides))]
