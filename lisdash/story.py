"""The consultation story (lis_data/story.yaml): validated slides and what each one shows."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import plotly.graph_objects as go
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from lisdash import evidence, views
from lisdash.config import content_dir
from lisdash.content import Content, ContentError, validation_problems
from lisdash.store import Store


class Number(evidence.Check):
    """A big number on a slide: one evidence test and which of its results to show."""

    show: Literal["value", "lq", "rank", "growth"]
    cluster: str | None = None


class Slide(BaseModel):
    """One slide of the story."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    kind: Literal["title", "national_map", "region_map", "evidence", "closing"]
    title: str
    subtitle: str = ""
    cluster: str | None = None
    measure: str | None = None
    level: str | None = None
    numbers: list[Number] = []
    link: str = "/"
    notes: str = ""

    @model_validator(mode="after")
    def _needs(self) -> Slide:
        needs = {"national_map": ("cluster", "measure"), "region_map": ("cluster", "level")}.get(self.kind, ())
        missing = [f for f in needs if getattr(self, f) is None]
        if missing:
            raise ValueError(f"a {self.kind} slide needs {', '.join(missing)}")
        return self


class Story(BaseModel):
    """The whole deck."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    title: str
    dashboard_url: str
    slides: list[Slide]

    @property
    def public_url(self) -> str:
        """The live dashboard's address (env LISDASH_PUBLIC_URL wins over the YAML)."""
        return os.environ.get("LISDASH_PUBLIC_URL", self.dashboard_url).rstrip("/")


def load_story(content: Content, path: Path | None = None) -> Story:
    """Load and validate the story; errors name the file, line and slide."""
    path = path or content_dir() / "story.yaml"
    try:
        text = path.read_text(encoding="utf-8")
        data, root = yaml.safe_load(text), yaml.compose(text)
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: cannot read YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("slides"), list) or not data["slides"]:
        raise ContentError(f"{path}:1: expected 'title', 'dashboard_url' and a non-empty list 'slides:'")
    nodes = next(v for k, v in root.value if k.value == "slides").value
    slides, seen = [], set()
    for item, node in zip(data["slides"], nodes, strict=True):
        where = f"{path}:{node.start_mark.line + 1}"
        name = item.get("id", "?") if isinstance(item, dict) else "?"
        try:
            slide = Slide.model_validate(item)
        except ValidationError as exc:
            problems = validation_problems(exc)
            raise ContentError(f"{where}: slide '{name}': {problems}") from exc
        if slide.id in seen:
            raise ContentError(f"{where}: slide '{slide.id}': duplicate slide id")
        seen.add(slide.id)
        _check_links(slide, content, where)
        slides.append(slide)
    try:
        return Story(title=data.get("title", ""), dashboard_url=data.get("dashboard_url", ""), slides=slides)
    except ValidationError as exc:
        raise ContentError(f"{path}:1: {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}") from exc


def _check_links(slide: Slide, content: Content, where: str) -> None:
    clusters = {c.id for c in content.clusters}
    places = {p.id for p in content.places}
    refs = [slide.cluster] if slide.cluster else []
    refs += [n.cluster for n in slide.numbers if n.cluster]
    bad = [r for r in refs if r not in clusters]
    bad += [n.place for n in slide.numbers if n.place and n.place not in places]
    if slide.numbers and not slide.cluster:
        bad.append("numbers need the slide's cluster")
    if slide.kind == "region_map" and slide.level not in views.REGION_LEVELS:
        bad.append(f"level {slide.level} (use one of {list(views.REGION_LEVELS)})")
    if slide.kind == "national_map" and slide.measure not in views.NATIONAL_MEASURES:
        bad.append(f"measure {slide.measure}")
    if bad:
        raise ContentError(f"{where}: slide '{slide.id}': unknown {bad}")


@dataclass
class SlideContent:
    """What a slide shows: computed once, laid out by the page or the exporter."""

    slide: Slide
    number: int
    total: int
    figure: go.Figure | None = None
    map_level: tuple[str, str] | None = None
    numbers: list[tuple[str, str]] = field(default_factory=list)
    commitment: str = ""
    source: str = ""
    caveat: str = ""
    evidence: list[dict] = field(default_factory=list)
    qr_url: str = ""


def _format(result: dict, show: str, unit: str) -> str:
    if show == "lq":
        return f"{result['lq']:.2f}"
    if show == "rank":
        return f"{result['rank']} of {result['of']}"
    if show == "growth":
        return f"{result['growth_pct']:+.1f}%"
    return f"{result['value']:,.0f} {unit}".strip()


def slide_content(store: Store, content: Content, story: Story, index: int, geo: views.GeoSource,
                  map_height: int = 640) -> SlideContent:
    """Everything slide `index` (0-based) shows, from the store."""
    from lisdash.provenance import UNITS

    slide = story.slides[index]
    out = SlideContent(slide, index + 1, len(story.slides))
    if slide.kind in ("national_map", "region_map"):
        cluster = content.cluster(slide.cluster)
        if slide.kind == "national_map":
            view = views.national_view(store, content, cluster.id, slide.measure, None, "lq", geo)
            out.map_level = (view.level, "national")
        else:
            view = views.region_view(store, content, cluster.id, slide.level, None, "lq", geo, map_height)
            out.map_level = (view.level, "regional")
        out.figure, out.source, out.caveat = view.figure, view.source, view.caveat
        out.commitment = " ".join(f"Serves commitment {c.id[1:]}: {c.text}" for c in view.commitments)
        for number in slide.numbers:
            result = evidence.TESTS[number.test](store, content, number.cluster or cluster.id, number)
            out.numbers.append((number.label, _format(result, number.show, UNITS.get(number.measure, ""))))
    elif slide.kind == "evidence":
        table = evidence.evaluate(store, content, content.claims)
        out.evidence = table.drop_duplicates("claim_id")[["claim", "claim_verdict"]].to_dict("records")
        out.source = "Source: Office for National Statistics (BRES, regional GVA, Census 2011). " \
                     "Open Government Licence v3.0. Verdict rules: " + table.attrs["rules"]
    elif slide.kind == "closing":
        out.qr_url = story.public_url + slide.link
    return out


def all_slides(store: Store, content: Content, story: Story, geo: views.GeoSource) -> list[SlideContent]:
    """Every slide's content, in order (for the exported deck)."""
    return [slide_content(store, content, story, i, geo) for i in range(len(story.slides))]
