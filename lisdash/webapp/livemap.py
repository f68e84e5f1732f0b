"""A clickable plotly map that stays one chart across reruns: new figures are drawn into it in place.

A map keeps its chart across choices: the component's key is its identity, and each new figure is
handed to `Plotly.react`, which redraws the existing MapLibre map (with `st.plotly_chart` the figure is
part of the element's id, so each choice would build a new map). It loads plotly.js's map bundle (`mapbundle`) from the
app's own origin, and the figure's GeoJSON layers at the same time.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from lisdash.webapp.publish import publish_plotly

LIVE_MAP_JS = "\n".join((Path(__file__).parent / name).read_text(encoding="utf-8")
                        for name in ("mapupdates.js", "livemap.js"))
_live_map = st.components.v2.component("lisdash_live_map", js=LIVE_MAP_JS, isolate_styles=False)


@st.cache_resource
def plotly_url() -> str:
    """The same-origin URL of plotly.js's map bundle, published once per server process."""
    return publish_plotly()


def live_map(figure_json: str, key: str, config: dict) -> str | None:
    """Show a figure (as plotly JSON) in the chart under `key`; the code of the area just clicked, if any."""
    result = _live_map(key=key, data={"figure": figure_json, "config": {**config, "responsive": True},
                                      "plotly": plotly_url()},
                       on_location_change=lambda: None)
    location = result.location
    return location if isinstance(location, str) else None

