"""View models: everything a page shows, computed without Streamlit (pages only lay them out).

- common: area names, uncertainty marks, subtitles, credits
- maps: the national and regional cluster maps
- profile: an area's cluster mix, trend and peers
- trends: time series and shift-share
"""

from lisdash.views.common import GeoSource, relabel, store_geo, store_origin, with_lq_range
from lisdash.views.maps import (
    BASEMAPS,
    COLOUR_MODES,
    NATIONAL_MEASURES,
    REGION_LEVELS,
    MapView,
    finest_level,
    national_view,
    region_measure,
    region_view,
)
from lisdash.views.methods import MethodsView, methods_view
from lisdash.views.options import unavailable, unavailable_clusters, unmeasured_colours
from lisdash.views.profile import PROFILE_LEVELS, ProfileView, profile_areas, profile_view
from lisdash.views.trends import SHIFT_SHARE_COLUMNS, TREND_SOURCES, comparators, trend_areas, trend_labels, trends_view

__all__ = ["BASEMAPS", "COLOUR_MODES", "GeoSource", "MapView", "MethodsView", "NATIONAL_MEASURES", "PROFILE_LEVELS",
    "ProfileView", "REGION_LEVELS", "SHIFT_SHARE_COLUMNS", "TREND_SOURCES", "finest_level", "methods_view",
    "national_view", "profile_areas", "profile_view", "region_measure", "region_view", "relabel", "store_geo",
    "store_origin", "comparators", "trend_areas", "trend_labels", "trends_view", "unavailable", "unavailable_clusters",
    "unmeasured_colours", "with_lq_range"]
