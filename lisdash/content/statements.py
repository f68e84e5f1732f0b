"""Statements the room votes on (lis_data/statements.yaml): conversations of seed statements, the longest own
statement a participant may add, and how many votes one phone may send."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import Field, ValidationError, model_validator

from lisdash.config import content_dir
from lisdash.content.form import Limit
from lisdash.content.yamlfile import ContentError, Model, validation_problems

STRATEGY = "strategy"  # the conversation about the whole strategy; any other is a commitment's id
MAX_CHARS = 200  # the database's column


class Statement(Model):
    """A seed statement: a stable id and its text."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]{0,39}$")
    text: str = Field(min_length=10, max_length=MAX_CHARS)


class Conversation(Model):
    """The statements of one conversation."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]{0,19}$")
    title: str
    statements: list[Statement] = Field(min_length=1)


class Statements(Model):
    """Every conversation, and the rules for participants' own statements and votes."""

    own_chars: int = Field(ge=20, le=MAX_CHARS)
    votes_per_device: Limit
    votes_per_address: Limit
    conversations: list[Conversation] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Statements:
        conversations = [c.id for c in self.conversations]
        statements = [s.id for c in self.conversations for s in c.statements]
        for kind, ids in (("conversation", conversations), ("statement", statements)):
            twice = sorted({i for i in ids if ids.count(i) > 1})
            if twice:
                raise ValueError(f"{kind} ids used twice: {', '.join(twice)}")
        return self

    def conversation(self, conversation_id: str) -> Conversation | None:
        """The conversation with this id (None if there is none)."""
        return next((c for c in self.conversations if c.id == conversation_id), None)


def load_statements(commitments: set[str], path: Path | None = None) -> Statements:
    """Load and validate lis_data/statements.yaml against the commitments' ids; errors name the file."""
    path = path or content_dir() / "statements.yaml"
    try:
        loaded = Statements.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: cannot read YAML: {exc}") from exc
    except ValidationError as exc:
        raise ContentError(f"{path}: {validation_problems(exc)}") from exc
    unknown = [c.id for c in loaded.conversations if c.id != STRATEGY and c.id not in commitments]
    if unknown:
        raise ContentError(f"{path}: conversations must be '{STRATEGY}' or a commitment id, not {', '.join(unknown)}")
    return loaded
