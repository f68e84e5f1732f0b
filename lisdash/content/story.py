"""The consultation story (lis_data/story.yaml): validated slides and the numbers each one shows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from lisdash import vocabulary
from lisdash.config import content_dir
from lisdash.content import Content
from lisdash.content.statements import load_statements
from lisdash.content.yamlfile import ContentError, Model, load_yaml, models, validation_problems

SlideKind = Literal["title", "national_map", "region_map", "portfolio", "evidence", "poll", "room", "opinion",
                    "sources", "closing"]
MAX_NUMBERS = 2  # big numbers a slide may show: more would not fit a 1280x720 screen


@dataclass(frozen=True)
class KindRules:
    """What every layer that shows slides reads about a kind. A kind's content (`views.story.CONTENT`), its
    layout in the room (`webapp.slides.LAYOUTS`) and its handout page (`views.deck`) are keyed by the same name;
    tests/test_story.py fails until a new kind is in all of them."""

    needs: tuple[str, ...] = ()  # the story fields it must set
    data: bool = False  # shows the store's data: on the title slide's agenda, its sources on the closing slide
    cover: bool = False  # a title page: its heading and subtitle large, nothing else
    handout_code: bool = False  # the handout prints its QR code: the audience is asked to answer
    live: bool = False  # shows the room's answers as they come: the handout prints where to see it


KINDS: dict[str, KindRules] = {
    "title": KindRules(cover=True),
    "national_map": KindRules(("cluster", "measure"), data=True),
    "region_map": KindRules(("cluster", "level"), data=True),
    "portfolio": KindRules(("measure", "level"), data=True),
    "evidence": KindRules(data=True),
    "poll": KindRules(("question", "commitment"), handout_code=True),
    "room": KindRules(live=True),
    "opinion": KindRules(("conversation",), handout_code=True, live=True),
    "sources": KindRules(),
    "closing": KindRules(cover=True, handout_code=True),
}


class Number(Model):
    """A big number on a slide: a check of a claim (`claim`, `check` counted from 1, default the deciding
    one), or the slide's cluster in a place (`place`, `measure`, `level`, `year`); `show` picks the result."""

    show: Literal["value", "lq", "rank", "growth"]
    claim: str | None = None
    check: int | None = None
    place: str | None = None
    measure: str | None = None
    level: str | None = None
    year: int | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Number:
        if bool(self.claim) == bool(self.place):
            raise ValueError("a number names either a claim or a place")
        if self.place and not (self.measure and self.level and self.year):
            raise ValueError("a place number needs measure, level and year")
        return self


class Slide(Model):
    """One slide of the story. `claim` shows that claim's computed verdict (and adds it to the notes).

    A poll slide asks `question` about a `commitment` (and optionally a cluster) on the 5-point scale;
    phones answer at /respond?poll=<slide id>, and the slide shows the live tally. A room slide shows what the
    event's room has said so far: agreement per poll and the top themes in its comments. A portfolio slide
    shows the region's cluster portfolio for a `measure` at a `level` (its areas summed to the region). An opinion
    slide maps where the room stands on a `conversation`'s statements, which phones vote on at
    /respond?statements=<conversation>.
    """

    id: str
    kind: SlideKind
    title: str
    subtitle: str = ""
    cluster: str | None = None
    measure: str | None = None
    level: str | None = None
    claim: str | None = None
    numbers: list[Number] = Field(default=[], max_length=MAX_NUMBERS)
    question: str = ""
    commitment: str | None = None
    conversation: str | None = None  # the statements an opinion slide maps (lis_data/statements.yaml)
    notes: str = ""

    @property
    def rules(self) -> KindRules:
        """What its kind needs and where it appears."""
        return KINDS[self.kind]

    @model_validator(mode="after")
    def _needs(self) -> Slide:
        missing = [f for f in self.rules.needs if not getattr(self, f)]
        if missing:
            raise ValueError(f"a {self.kind} slide needs {', '.join(missing)}")
        return self


class Story(Model):
    """The whole deck."""

    title: str
    slides: list[Slide]

    def polls(self) -> dict[str, Slide]:
        """The poll slides, by id."""
        return {s.id: s for s in self.slides if s.kind == "poll"}


def _check_links(slide: Slide, content: Content) -> list[str]:
    clusters = {c.id for c in content.clusters}
    claims = {c.id: c for c in content.claims}
    places = {p.id for p in content.places}
    bad = [slide.cluster] if slide.cluster and slide.cluster not in clusters else []
    if slide.commitment and slide.commitment not in {c.id for c in content.commitments}:
        bad.append(f"commitment {slide.commitment}")
    if slide.claim and slide.claim not in claims:
        bad.append(f"claim {slide.claim}")
    for number in slide.numbers:
        if number.claim and number.claim not in claims:
            bad.append(f"claim {number.claim}")
        elif number.claim and number.check and not 1 <= number.check <= len(claims[number.claim].checks):
            bad.append(f"check {number.check} of claim {number.claim}")
        if number.place and number.place not in places:
            bad.append(f"place {number.place}")
        if number.place and not slide.cluster:
            bad.append("place numbers need the slide's cluster")
        if number.measure and number.measure not in vocabulary.vocabulary().measures():
            bad.append(f"measure {number.measure}")
    if slide.kind == "region_map" and slide.level not in vocabulary.region_map_levels():
        bad.append(f"level {slide.level} (use one of {list(vocabulary.region_map_levels())})")
    if slide.kind == "national_map" and slide.measure not in vocabulary.national_measures():
        bad.append(f"measure {slide.measure}")
    if slide.conversation and load_statements({c.id for c in content.commitments}).conversation(
            slide.conversation) is None:
        bad.append(f"conversation {slide.conversation}")
    return bad


def load_story(content: Content, path: Path | None = None) -> Story:
    """Load and validate the story; errors name the file, line and slide."""
    path = path or content_dir() / "story.yaml"
    loaded = load_yaml(path, "slides")
    if not loaded.items:
        raise ContentError(f"{path}:1: expected 'title' and a non-empty list 'slides:'")
    slides = models(loaded, Slide, "slide")
    for i, slide in enumerate(slides):
        bad = _check_links(slide, content)
        if bad:
            raise ContentError(f"{loaded.where(i)}: slide '{slide.id}': unknown {bad}")
    try:
        return Story(title=loaded.data.get("title", ""), slides=slides)
    except ValidationError as exc:
        raise ContentError(f"{path}:1: {validation_problems(exc)}") from exc
