"""The one YAML loader for authored content: a top-level list or mapping, with each item's line number."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError


class ContentError(ValueError):
    """Invalid strategy content; the message names the file and line."""


class Model(BaseModel):
    """Base of every content model: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def validation_problems(exc: ValidationError) -> str:
    """pydantic's errors as one line: field: message; ..."""
    return "; ".join((".".join(str(p) for p in e["loc"]) + ": " if e["loc"] else "") + e["msg"]
                     for e in exc.errors())


@dataclass(frozen=True)
class Loaded:
    """A YAML file's top-level mapping, and the items of its main list with their line numbers."""

    path: Path
    data: dict
    items: list
    lines: list[int]

    def where(self, index: int | None = None) -> str:
        """file:line of item `index` (or of the file's first line)."""
        return f"{self.path}:{1 if index is None else self.lines[index]}"


def load_yaml(path: Path, key: str) -> Loaded:
    """A YAML file whose top level is a mapping holding a non-empty list under `key`."""
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: cannot read YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise ContentError(f"{path}:1: expected a top-level list '{key}:'")
    node = next(v for k, v in root.value if k.value == key)
    return Loaded(path, data, data[key], [item.start_mark.line + 1 for item in node.value])


def models(loaded: Loaded, model: type[Model], what: str | None = None) -> list:
    """Validate every item of a loaded list as `model`; ids must be unique. Errors name file and line."""
    out, seen = [], {}
    what = what or model.__name__.lower()
    for i, item in enumerate(loaded.items):
        name = item.get("id", "?") if isinstance(item, dict) else "?"
        try:
            obj = model.model_validate(item)
        except ValidationError as exc:
            raise ContentError(f"{loaded.where(i)}: invalid {what} '{name}': {validation_problems(exc)}") from exc
        if obj.id in seen:
            raise ContentError(f"{loaded.where(i)}: duplicate id '{obj.id}' (first at line {seen[obj.id]})")
        seen[obj.id] = loaded.lines[i]
        out.append(obj)
    return out
