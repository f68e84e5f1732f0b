"""View state in the URL: validate untrusted query parameters against the allowed options."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

MAX_SHOWN = 40


@dataclass(frozen=True)
class Param:
    """One URL parameter: its allowed values (strings) and its default."""

    name: str
    options: Sequence[str]
    default: str


def shown(value: str) -> str:
    """A user-supplied value made safe to echo in a notice: plain characters only, short."""
    return re.sub(r"[^A-Za-z0-9 ._,-]", "?", value)[:MAX_SHOWN]


def parse(params: Mapping[str, str], spec: Sequence[Param]) -> tuple[dict[str, str], list[str]]:
    """Valid values for every parameter in `spec` (defaults where missing), and notices for bad ones."""
    values, notices = {}, []
    for p in spec:
        raw = params.get(p.name)
        if raw is None or raw == "":
            values[p.name] = p.default
        elif raw in p.options:
            values[p.name] = raw
        else:
            values[p.name] = p.default
            instead = f"Showing {p.default} instead." if p.default else f"No {p.name} is used."
            notices.append(f"Ignored {p.name}={shown(raw)}: not a known value. {instead}")
    return values, notices


def parse_list(raw: str | None, options: Sequence[str], limit: int, name: str) -> tuple[list[str], list[str]]:
    """A comma-separated list parameter: known values only, at most `limit`."""
    if not raw:
        return [], []
    items = [x for x in raw.split(",") if x]
    good = [x for x in items if x in options]
    notices = [f"Ignored {name} value {shown(x)}: not known." for x in items if x not in options]
    if len(good) > limit:
        notices.append(f"Showing the first {limit} of {len(good)} {name} values.")
    return list(dict.fromkeys(good))[:limit], notices
