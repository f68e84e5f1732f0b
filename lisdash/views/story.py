"""What each slide of the story shows, computed once and laid out by the present page or the deck exporter."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import plotly.graph_objects as go

from lisdash import evidence, metrics, vocabulary
from lisdash.consult.links import link
from lisdash.content import Check, Claim, Content
from lisdash.content.analysis import load_analysis
from lisdash.content.story import Number, Slide, Story
from lisdash.evidence.checks import CheckResult, concentration
from lisdash.evidence.report import headline, ordinal
from lisdash.evidence.verdicts import ClaimResult
from lisdash.metrics import Provenance
from lisdash.store import Store
from lisdash.views.common import GeoSource, short_words
from lisdash.views.maps import national_view, region_view
from lisdash.views.profile import portfolio_chart, portfolio_note
from lisdash.views.slidemap import SLIDE_FONT, Label, place_shape
from lisdash.views.sourcelines import OS_CREDIT, slide_source_line


@dataclass
class BigNumber:
    """One number on a slide, its generated label (at most 12 words: place, subject, measure, year), its full
    definition (for the footnote and the notes) and the source it comes from."""

    label: str
    value: str
    source: str
    definition: str = ""


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
    labels: list[Label] = field(default_factory=list)
    heading: str = ""  # the slide's title: the finding in words where it shows a claim, else the story's title
    verdict_line: str = ""  # 'Partly supported: LQ 1.70 ... (8th without SIC 29); output (GVA) group rank 5 of 12'
    footnote: str = ""  # what the map and the numbers measure, in one line
    agenda: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # the closing "sources and caveats" slide's source lines


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


def _definition(result: CheckResult, show: str) -> str:
    what = {"lq": f"location quotient vs {result.benchmark}", "rank": f"rank among {result.rank_among}",
            "value": vocabulary.measure(result.measure).noun, "growth": f"growth {result.start}-{result.year}"}[show]
    span = f"{result.start}-{result.year}" if result.start else str(result.year)
    return f"{result.where}: {result.subject}, {what} ({vocabulary.measure_name(result.measure)}, {span})"


def _label(result: CheckResult, show: str) -> str:
    """A big number's subject in at most 12 words: 'West Midlands region: advanced manufacturing LQ vs GB, 2021'."""
    subject = short_words(result.short_subject)
    what = {"lq": f"LQ vs {vocabulary.benchmark_short(result.benchmark)}",
            "rank": f"rank of {result.of} {result.rank_among.split(' (')[0]}".replace(
                f" of {result.benchmark}", f" of {vocabulary.benchmark_short(result.benchmark)}"),
            "value": vocabulary.measure(result.measure).unit,
            "growth": f"growth {result.start}-{result.year}"}[show]
    year = "" if show == "growth" else f", {result.year}"
    return f"{result.where_short}: {subject} {what}{year}"


def the(name: str) -> str:
    """A place's name as a sentence needs it: 'the Black Country', 'the WMCA area', 'South Birmingham'."""
    return f"the {name}" if name.split()[-1] in ("area", "region", "Country", "county", "LEP") else name


def finding(content: Content, result: ClaimResult) -> str:
    """A claim slide's title: what the data say, in words, from its verdict and deciding check."""
    cluster, place = content.cluster(result.cluster), content.place(result.place)
    where = the(place.short)
    if result.decisive is None:
        return f"Open data cannot yet show {cluster.short.lower()} in {where}"
    check = result.checks[result.decisive]
    noun = vocabulary.measure(check.measure).noun
    name = cluster.short.lower()
    if check.area_growth_pct is not None:
        pace = "faster" if check.growth_pct > check.area_growth_pct else "slower"
        return f"{cluster.short} {noun} in {where} grew {pace} than all jobs there, {check.growth_pct:+.0f}%"
    if check.growth_pct is not None:
        if check.rank == 1:
            return f"{cluster.short} is the fastest-growing of {check.of} {check.rank_among.split(' (')[0]} here"
        return (f"{check.rank - 1} of {check.of - 1} {check.rank_among.split(' (')[0]} grew faster than "
                f"{name} in {where}")
    benchmark = check.benchmark
    if check.rank is not None and check.rank_among.startswith("regions"):
        position = "highest" if check.rank == 1 else f"{ordinal(check.rank)} highest"
        return f"{where[:1].upper()}{where[1:]} has {benchmark}'s {position} share of {name} {noun}"
    start = f"{where[:1].upper()}{where[1:]}"
    if check.lq >= 1:
        return f"{start} has {check.lq:.1f} times {benchmark}'s share of {name} {noun}"
    return f"{start} has a smaller share of {name} {noun} than {benchmark}"





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
    """What a slide's "have your say" link tells the response page: its poll, or its slide, from which the page
    takes the slide's cluster and commitment (`slide_topic`), so the address under the code stays short."""
    if slide.kind == "closing":
        return {}
    if slide.kind == "poll":
        return {"poll": slide.id, "slide": number}
    if slide.kind == "opinion":
        return {"statements": slide.conversation}
    return {"slide": number}


def slide_topic(content: Content, slide: Slide) -> tuple[str | None, str | None]:
    """The cluster and commitment a slide is about (None where it is about none)."""
    if not slide.cluster:
        return None, slide.commitment
    return slide.cluster, slide.commitment or content.cluster(slide.cluster).commitments[0]


def map_labels(store: Store, content: Content, slide: Slide, claim: ClaimResult | None) -> list[Label]:
    """The places a map slide names (name, a point inside, outline bounds): on the UK map the region and the place
    of the slide's claim; inside the region the places the cluster is outlined in. Smallest first."""
    if slide.kind == "national_map":
        ids = [content.region.place] + ([claim.place] if claim and claim.place != content.region.place else [])
    else:
        ids = content.cluster(slide.cluster).places
    shaped = [(p.short, shape) for p in map(content.place, ids) if (shape := place_shape(store, p.areas)) is not None]
    out = []
    for name, shape in sorted(shaped, key=lambda s: s[1].area):
        point = shape.representative_point()
        out.append((name, point.x, point.y, tuple(shape.bounds)))
    return out


@dataclass(frozen=True)
class Making:
    """What a slide's content is made from."""

    store: Store
    content: Content
    story: Story
    slide: Slide
    geo: GeoSource
    results: list[ClaimResult]
    map_height: int


def slide_content(store: Store, content: Content, story: Story, index: int, geo: GeoSource,
                  results: list[ClaimResult], map_height: int = 640, base: str | None = None,
                  event: str | None = None) -> SlideContent:
    """Everything slide `index` (0-based) shows, from the store and the evidence results.

    A slide says one thing: a claim's slide is titled with its finding, its verdict line under it, at most two
    big numbers with short subjects, one footnote saying what they and the map measure, and one source line.
    Definitions, caveats and the commitment's text go to the speaker notes (and caveats to the closing
    "sources and caveats" slide). With `base` (an address phones can reach), the slide's QR link opens the
    response page there, for `event` if one is being presented.
    """
    slide = story.slides[index]
    out = SlideContent(slide, index + 1, len(story.slides), notes=slide.notes, heading=slide.title,
                       respond=respond_params(content, slide, index + 1))
    if base:
        out.qr_url = link(base, "/respond", event=event, **out.respond)
    if slide.claim:
        out.verdict = {r.id: r for r in results}[slide.claim]
        out.heading = finding(content, out.verdict)
        out.verdict_line = f"{str(out.verdict.verdict).capitalize()}: {headline(out.verdict)}"
    out.source = one_source_line(CONTENT[slide.kind](Making(store, content, story, slide, geo, results,
                                                            map_height), out))
    out.notes = "\n\n".join(x for x in (
        slide.notes, verdict_notes(out.verdict) if out.verdict else "",
        "The numbers: " + "; ".join(f"{n.value}: {n.definition}" for n in out.numbers) if out.numbers else "",
        f"How to read it: {out.map_label}" if slide.kind == "portfolio" else "",
        f"The code's address: {out.qr_url}" if out.qr_url else "",
        out.commitment if slide.kind != "poll" else "", f"Caveats: {out.caveat}" if out.caveat else "") if x)
    return out


def _title(made: Making, out: SlideContent) -> list[str]:
    out.agenda = [s.title for s in made.story.slides[1:] if s.rules.data]
    return []


def _map(made: Making, out: SlideContent) -> list[str]:
    store, content, slide = made.store, made.content, made.slide
    if slide.kind == "national_map":
        view = national_view(store, content, slide.cluster, slide.measure, None, "lq", made.geo)
        out.map_level = (view.level, "national")
    else:
        view = region_view(store, content, slide.cluster, slide.level, None, "lq", made.geo, made.map_height)
        out.map_level = (view.level, "regional")
    out.figure, out.caveat, out.map_bounds = view.figure, view.caveat, view.bounds
    out.labels = map_labels(store, content, slide, out.verdict)
    out.map_label = f"Map: {view.provenance.label} ({vocabulary.measure_name(view.measure)}, {view.year})"
    sources = [slide_credit(store, view.provenance)]
    out.commitment = " ".join(f"Serves commitment {c.number}: {c.text}" for c in view.commitments)
    by_id = {r.id: r for r in made.results}
    for number in slide.numbers:
        result = number_result(store, content, slide, number, by_id)
        prov = Provenance(result.source, result.measure, result.level, result.year, result.start, result.year)
        line = slide_credit(store, prov, maps=False)
        out.numbers.append(BigNumber(_label(result, number.show), _format(result, number.show), line,
                                     _definition(result, number.show)))
        sources.append(line)
    prov = view.provenance
    dots = " Dots: uncertain areas." if view.table["uncertain"].any() else ""
    out.footnote = (f"Map and numbers: {short_words(prov.short_subject)}, {vocabulary.measure_name(view.measure)} "
                    f"{view.year}" + (f" ({prov.subject})" if not prov.exact and prov.measures_cluster and
                                      len(prov.subject) < 60 else "") + f".{dots}")
    return sources


def _portfolio(made: Making, out: SlideContent) -> list[str]:
    folio, out.figure = portfolio_slide(made.store, made.content, made.slide)
    prov = metrics.provenance_of(folio)
    out.map_label = re.sub(r"\s*<br>\s*", " ", portfolio_note(made.slide.measure, prov))  # in the notes
    out.footnote = (f"Bubbles: the {made.content.region.name}'s clusters; right: more concentrated than in "
                    f"{prov.benchmark_name}; up: grew faster than the same cluster there. Hollow: a range crosses "
                    "its line; *: the quadrant changes with the start year.")
    out.caveat = prov.caveat or ""
    return [slide_credit(made.store, prov.but(year=None), maps=False)]


def _evidence(made: Making, out: SlideContent) -> list[str]:
    out.evidence = [r for r in made.results if r.seed]  # the strategy's own claims (not our context checks)
    out.caveat = "Verdict rules: " + " ".join(evidence.RULES.text())
    return [slide_credit(made.store, Provenance(c.source, c.measure, c.level, c.year), maps=False)
            for r in out.evidence for c in r.checks if c.index == (r.decisive or 0)]


def _poll(made: Making, out: SlideContent) -> list[str]:
    out.question = made.slide.question
    commitment = made.content.commitment(made.slide.commitment)
    out.commitment = f"Commitment {commitment.number}: {commitment.text}"
    return []


def _room(made: Making, out: SlideContent) -> list[str]:
    rules = load_analysis()
    out.footnote = (f"Each phone's latest answer per poll, with its {rules.confidence:.0%} interval; polls "
                    f"under {rules.min_group} answers not shown. Quotes only with permission. Source: views "
                    "given at this event.")
    return []


def _opinion(made: Making, out: SlideContent) -> list[str]:
    rule = load_analysis().opinion
    out.footnote = (f"Dots: people with {rule.min_votes} or more votes, placed by how alike they vote. Source: votes "
                    "given at this event.")
    return []


def _sources(made: Making, out: SlideContent) -> list[str]:
    listed = story_sources(made.store, made.content, made.story, made.geo, made.results)
    out.sources = [line for line, _ in listed]
    out.caveat = " ".join(f"{heading}: {caveat}" for heading, caveat in listed if caveat)
    return []


def _closing(made: Making, out: SlideContent) -> list[str]:
    return []


CONTENT = {"title": _title, "national_map": _map, "region_map": _map, "portfolio": _portfolio,
           "evidence": _evidence, "poll": _poll, "room": _room, "opinion": _opinion, "sources": _sources,
           "closing": _closing}


def portfolio_slide(store: Store, content: Content, slide: Slide, width: int = CHART_WIDTH,
                    height: int = CHART_HEIGHT) -> tuple:
    """The region's portfolio (its areas at the slide's level summed) and its chart, bare for the slide, drawn for
    a chart `width` by `height` pixels (its labels are placed for that size)."""
    layer = store.layer(slide.level)
    codes = layer.loc[layer["itl1"] == content.region.itl1, "code"].drop_duplicates().tolist()
    folio, figure, _ = portfolio_chart(store, content, slide.measure, slide.level, codes, content.region.name,
                                       font_size=SLIDE_FONT, height=height, width=width, bare=True)
    return folio, figure


def one_source_line(lines: list[str]) -> str:
    """Several source lines as one: each dataset once, the boundaries' credit once at the end."""
    credit = f" {OS_CREDIT}."
    kept = list(dict.fromkeys(line.removesuffix(credit) for line in lines))
    return " ".join(kept) + (credit if any(line.endswith(credit) for line in lines) else "")


def slide_credit(store: Store, prov: Provenance, maps: bool = True) -> str:
    """A slide's short source line, from the result's provenance."""
    return slide_source_line(prov, store.sources.get(prov.source), maps)


def story_sources(store: Store, content: Content, story: Story, geo: GeoSource,
                  results: list[ClaimResult]) -> list[tuple[str, str]]:
    """Each source line of the story's other slides once, with the caveats of the slides that use it (the
    closing "sources and caveats" slide shows the lines, its notes the caveats)."""
    listed: dict[str, list[str]] = {}
    for i, slide in enumerate(story.slides):
        if not slide.rules.data:
            continue
        shown = slide_content(store, content, story, i, geo, results)
        for line in shown.source.split(" Source: "):
            line = line if line.startswith("Source: ") else f"Source: {line}"
            listed.setdefault(line.removesuffix(f" {OS_CREDIT}."), []).append(
                f"{shown.heading}: {shown.caveat}" if shown.caveat else "")
    return [(line, " ".join(dict.fromkeys(c for c in caveats if c))) for line, caveats in listed.items()]


def all_slides(store: Store, content: Content, story: Story, geo: GeoSource, base: str | None = None,
               event: str | None = None) -> list[SlideContent]:
    """Every slide's content, in order (for the exported deck)."""
    results = evidence.evaluate(store, content)
    return [slide_content(store, content, story, i, geo, results, base=base, event=event)
            for i in range(len(story.slides))]
