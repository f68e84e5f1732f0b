"""Streamlit glue for the pages: what pages call, and nothing they should compute themselves.

- firststart: provide the store before any page runs
- cache: the store, the content and every view, once per choice
- urlstate: every choice kept in the URL and validated
- widgets: map controls, clickable maps, tables, badges, credits, downloads, the error boundary
- renders: PNG images and decks for download, rendered once within a per-visitor budget
- consultation, viewform, signin, admininbox: the consultation's database and links, the response form,
  the admin gate and the admin page's actions
- adminheard, heardtab: the admin page's "What we heard" tab (themes, agreement, the report)
- statementcard, statementtab: the phone's statement card (vote; add one's own) and the admin page's statements
  (moderation, the opinion map)
- navigation: pages served through app.py's st.navigation, even on a deep link to a fresh server
"""

from lisdash.webapp.adminheard import admin_heard
from lisdash.webapp.admininbox import admin_inbox, moderation_list, moderation_saved, reload_moderation
from lisdash.webapp.cache import (
    blocked_clusters,
    blocked_colours,
    blocked_levels,
    blocked_measures,
    comparators,
    content,
    evidence,
    geo_url,
    levels_and_years,
    national_measures,
    profile_areas,
    region_measure,
    slide,
    slide_topic,
    store,
    story,
    trend_areas,
    trend_labels,
    view,
)
from lisdash.webapp.consultation import (
    TALLY_REFRESH,
    consultation,
    database,
    event_from_url,
    live_tally,
    place_labels,
    prepare_database,
    public_base,
    qr_image,
    screen_comment,
    tally_figure,
)
from lisdash.webapp.firststart import ensure_store
from lisdash.webapp.heardtab import heard_tab
from lisdash.webapp.navigation import declared_page
from lisdash.webapp.presenting import follow, notes_slide, presenter_token, speaker_notes, unlock_form
from lisdash.webapp.renders import deck_bytes, png_bytes
from lisdash.webapp.screen import screen
from lisdash.webapp.signin import sign_out, signed_in
from lisdash.webapp.slides import show as show_slide
from lisdash.webapp.statementcard import statement_card, statements
from lisdash.webapp.statementtab import statement_tab
from lisdash.webapp.urlstate import WIDGET_CHANGE, choose, choose_many, run_done, url_choices
from lisdash.webapp.viewform import share_view, view_form
from lisdash.webapp.widgets import (
    NOTES_REFRESH,
    chart,
    clickable_map,
    credit,
    data_table,
    downloads,
    file_download,
    footer,
    map_controls,
    run_safely,
    stand_in_warning,
    store_credit_line,
    store_origin_line,
    styles,
    verdict_badge,
)

__all__ = [
    "admin_heard", "admin_inbox", "blocked_clusters", "blocked_colours", "blocked_levels", "blocked_measures",
    "chart", "choose", "choose_many", "clickable_map", "comparators", "consultation", "content", "credit",
    "data_table", "database", "deck_bytes", "declared_page", "downloads", "ensure_store", "event_from_url",
    "evidence", "file_download", "follow", "footer", "geo_url", "heard_tab", "levels_and_years", "live_tally",
    "map_controls", "moderation_list", "moderation_saved", "national_measures", "NOTES_REFRESH", "notes_slide",
    "place_labels", "png_bytes", "prepare_database", "presenter_token", "profile_areas", "public_base", "qr_image",
    "region_measure", "reload_moderation", "run_done", "run_safely", "screen", "screen_comment", "share_view",
    "show_slide", "sign_out", "signed_in", "slide", "slide_topic", "speaker_notes", "stand_in_warning",
    "statement_card", "statement_tab", "statements", "store", "store_credit_line", "store_origin_line", "story",
    "styles", "tally_figure", "TALLY_REFRESH", "trend_areas", "trend_labels", "unlock_form", "url_choices",
    "verdict_badge", "view", "view_form", "WIDGET_CHANGE"
]
