"""Images and decks for download, rendered once per build (cached on disk: rendercache), within a per-visitor budget."""

from __future__ import annotations

import io

import plotly.graph_objects as go
import streamlit as st

from lisdash.figures.images import figure_png
from lisdash.webapp.cache import content, exports, map_geo, store, story
from lisdash.webapp.publish import build_id
from lisdash.webapp.rendercache import allow, key_of

BUSY = "Too many new exports from this browser in the last minute: please try again in a minute."


def _within_budget() -> bool:
    """Whether this visitor may start another render (a few a minute; cached exports are free)."""
    allowed, history = allow(st.session_state.get("_exports", []))
    st.session_state["_exports"] = history
    return allowed


def cached_export(key: str, suffix: str, make) -> bytes:
    """An export from the cache, rendered once if new and the visitor's budget allows; else a short note."""
    if (exports().root / f"{key}{suffix}").exists() or _within_budget():
        return exports().get(key, suffix, make)
    return busy_note(suffix)


def busy_note(suffix: str) -> bytes:
    """What an over-budget export returns: the note as an image for PNGs, as text otherwise."""
    if suffix != ".png":
        return BUSY.encode()
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (900, 120), "white")
    ImageDraw.Draw(image).text((20, 50), BUSY, fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _build_id() -> str:
    return build_id(store())


def deck_bytes(fmt: str) -> bytes:
    """The story as a PPTX deck or PDF handout (rendered once per build and story: about half a minute)."""
    from lisdash import views
    from lisdash.views import deck
    from lisdash.views.story import all_slides

    def make() -> bytes:
        geo = views.store_geo(store())
        return deck.export(all_slides(store(), content(), story(), geo), geo, fmt)

    return cached_export(key_of(_build_id(), story().model_dump_json(), fmt), f".{fmt}", make)


def png_bytes(fig: go.Figure, geo: tuple[str, str] | None) -> bytes:
    """A figure as PNG, rendered once per build and figure."""
    return cached_export(key_of(_build_id(), fig.to_json()), ".png",
                         lambda: figure_png(fig, map_geo(*geo) if geo else None))
