"""The declared vocabulary (data/vocabulary.toml): measures and area levels, read by every other module."""

from __future__ import annotations

import tomllib
from functools import cache

from pydantic import BaseModel, ConfigDict

from lisdash.config import REPO

VOCABULARY_TOML = REPO / "data" / "vocabulary.toml"


class Measure(BaseModel):
    """A measure the store holds: its name, what it counts (for sentences), unit, additivity, small-count minimum."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    name: str
    noun: str
    unit: str
    additive: bool
    min_count: float
    national_map: bool = False
    sample_survey: bool = False  # its year-to-year swings carry sampling noise that no published range shows


class Level(BaseModel):
    """An area level: plural name for captions and a singular form for sentences."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    name: str
    singular: str
    detail: int | None = None
    region_map: str | None = None
    profile: str | None = None
    small: bool = False
    parent: bool = False
    joined: bool = False


class Vocabulary(BaseModel):
    """Every measure and level, in their declared order."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    measure: list[Measure]
    level: list[Level]

    def measures(self) -> dict[str, Measure]:
        """Measures by id."""
        return {m.id: m for m in self.measure}

    def levels(self) -> dict[str, Level]:
        """Levels by id."""
        return {lv.id: lv for lv in self.level}


@cache
def vocabulary() -> Vocabulary:
    """The vocabulary, read and validated once per process."""
    return Vocabulary(**tomllib.loads(VOCABULARY_TOML.read_text(encoding="utf-8")))


def finest_first() -> list[str]:
    """Levels a national map can use, finest first (MSOA, LAD, ITL3, ITL2)."""
    ranked = [lv for lv in vocabulary().level if lv.detail is not None]
    return [lv.id for lv in sorted(ranked, key=lambda lv: lv.detail)]


def region_map_levels() -> dict[str, str]:
    """The levels the regional cluster map offers, with their menu labels."""
    return {lv.id: lv.region_map for lv in vocabulary().level if lv.region_map}


def profile_levels() -> dict[str, str]:
    """The levels the area profile offers, coarsest first, with their menu labels."""
    return {lv.id: lv.profile for lv in sorted((lv for lv in vocabulary().level if lv.profile),
                                              key=lambda lv: -(lv.detail or 0))}


def national_measures() -> list[str]:
    """The measures the UK heat map offers, in order of preference."""
    return [m.id for m in vocabulary().measure if m.national_map]


def additive_measures() -> list[str]:
    """Additive measures in order of preference (the first published at a level is that level's measure)."""
    return [m.id for m in vocabulary().measure if m.additive]


def level_ids(flag: str) -> list[str]:
    """The ids of levels with a flag set (`small`, `parent` or `joined`), in declared order."""
    return [lv.id for lv in vocabulary().level if getattr(lv, flag)]


def measure(measure_id: str) -> Measure:
    """One measure by id (KeyError names the unknown id)."""
    return vocabulary().measures()[measure_id]


def level_name(level_id: str) -> str:
    """A level's plural name, or the id itself for a level not in the vocabulary."""
    found = vocabulary().levels().get(level_id)
    return found.name if found else level_id


def measure_name(measure_id: str) -> str:
    """A measure's display name, or the id itself."""
    found = vocabulary().measures().get(measure_id)
    return found.name if found else measure_id


def sentence_case(text: str) -> str:
    """Text with its first letter capitalised and the rest untouched (names stay as written)."""
    return text[:1].upper() + text[1:]


def unit(measure_id: str) -> str:
    """A measure's unit ('jobs', '£m', ...), or '' for an unknown measure."""
    found = vocabulary().measures().get(measure_id)
    return found.unit if found else ""


BENCHMARK_SHORT = {"Great Britain": "GB", "United Kingdom": "UK", "the United Kingdom": "UK"}


def benchmark_short(name: str) -> str:
    """A benchmark's name short enough for a card or a chart's corner: 'GB', 'UK' ('England and Wales' as is)."""
    return BENCHMARK_SHORT.get(name, name)
