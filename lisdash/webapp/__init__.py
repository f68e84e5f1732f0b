"""Streamlit glue for the pages: what pages call, and nothing they should compute themselves.

- firststart: provide the store before any page runs
- cache: the store, the content and every view, once per choice
- urlstate: every choice kept in the URL and validated
- widgets: map controls, clickable maps, tables, badges, credits, downloads, the error boundary
- exports: PNG images and decks, rendered once within a per-visitor budget
"""

from lisdash.webapp.cache import (
    area_table,
    blocked_clusters,
    blocked_levels,
    blocked_measures,
    content,
    evidence,
    levels_and_years,
    methods,
    national,
    national_measures,
    presentations,
    profile,
    profile_areas,
    region,
    region_measure,
    slide,
    store,
    story,
    trend_areas,
    trend_labels,
    trends,
)
from lisdash.webapp.exports import deck_bytes, png_bytes
from lisdash.webapp.firststart import ensure_store
from lisdash.webapp.urlstate import WIDGET_CHANGE, choose, choose_many, run_done, url_choices
from lisdash.webapp.widgets import (
    NOTES_REFRESH,
    clickable_map,
    credit,
    downloads,
    footer,
    lq_table,
    map_controls,
    run_safely,
    stand_in_warning,
    store_credit_line,
    store_origin_line,
    styles,
    verdict_badge,
)

__all__ = [
    "NOTES_REFRESH", "WIDGET_CHANGE", "area_table", "blocked_clusters", "blocked_levels", "blocked_measures",
    "choose", "choose_many", "clickable_map", "content", "credit", "deck_bytes", "downloads", "ensure_store",
    "evidence", "footer", "levels_and_years", "lq_table", "map_controls", "methods", "national",
    "national_measures", "png_bytes", "presentations", "profile", "profile_areas", "region", "region_measure",
    "run_done", "run_safely", "slide", "stand_in_warning", "store", "store_credit_line", "store_origin_line", "story",
    "styles", "trend_areas", "trend_labels", "trends", "url_choices", "verdict_badge",
]
