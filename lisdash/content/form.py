"""The consultation form's content (lis_data/consultation.yaml): choices, scale, limits, privacy notice."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import Field, ValidationError

from lisdash.config import content_dir
from lisdash.content.yamlfile import ContentError, Model, validation_problems


class Choice(Model):
    """One option of a form question: a stable id and the label people read."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,29}$")
    label: str


class Limit(Model):
    """At most `count` responses per `minutes`."""

    count: int = Field(gt=0)
    minutes: int = Field(gt=0)


class Limits(Model):
    """How often one device or one network address may answer, and the comment's length."""

    per_device: Limit
    per_client: Limit
    comment_chars: int = Field(gt=0, le=10000)


class Consultation(Model):
    """What the response form offers and promises."""

    respondent_types: list[Choice] = Field(min_length=1)
    org_sizes: list[Choice]
    agreement: list[str] = Field(min_length=5, max_length=5)
    retention_days: int = Field(gt=0)
    limits: Limits
    privacy: str

    @property
    def privacy_notice(self) -> str:
        """The privacy notice with the retention period filled in."""
        return self.privacy.replace("{retention_days}", str(self.retention_days))

    def respondent_label(self, type_id: str) -> str:
        """The label of a respondent type id."""
        return {c.id: c.label for c in self.respondent_types}.get(type_id, type_id)


def load_consultation(path: Path | None = None) -> Consultation:
    """Load and validate lis_data/consultation.yaml; errors name the file."""
    path = path or content_dir() / "consultation.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Consultation.model_validate(data)
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: cannot read YAML: {exc}") from exc
    except ValidationError as exc:
        raise ContentError(f"{path}: {validation_problems(exc)}") from exc
