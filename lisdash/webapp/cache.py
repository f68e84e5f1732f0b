"""What a server process keeps: the store, the content, and every view, computed once per choice.

Views are cached with cache_resource, not cache_data: a map figure unpickled afresh on every run
loses its click selection in the browser (seen with Streamlit 1.67), and nothing mutates a view.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

import streamlit as st

from lisdash import views
from lisdash.content import Content, area_codes_of, load_content
from lisdash.store import Store
from lisdash.webapp.publish import build_id, publish, url
from lisdash.webapp.rendercache import ExportCache
from lisdash.webapp.warmup import warm_in_background

EXPORTS = "data/exports"
View = TypeVar("View")


@st.cache_resource
def store() -> Store:
    """The store, loaded once per server process (its map layers published for the browser)."""
    loaded = Store.open()
    _ = loaded.facts, loaded.areas, loaded._by_measure_level, loaded.precomputed_values()
    publish(loaded)
    return loaded


@st.cache_resource
def content() -> Content:
    """The strategy content, validated against the store once per server process (which it then warms, up to
    the claims' evidence)."""
    s = store()
    loaded = load_content(industries=s.industries, area_codes=area_codes_of(s.areas))
    warm_in_background(s, loaded, then=evidence)
    return loaded


def geo_url(level: str, extent: str) -> str:
    """The same-origin URL of a published layer (fetched once by the browser, then cached)."""
    return url(store(), level, extent)


def map_geo(level: str, extent: str) -> dict:
    """A layer's GeoJSON as data (for image export, where the browser's copy is not available)."""
    return views.store_geo(store())(level, extent)


def view(builder: Callable[..., View], *args: Hashable, **kwargs: Hashable) -> View:
    """What a page shows for one choice: `builder(store, content, *args, **kwargs)` from a view module, built
    once per choice per process. A page needs nothing else here (README, "Where to change what")."""
    key = (_named(builder), *map(_named, args), *((k, _named(v)) for k, v in sorted(kwargs.items())))
    return _built(key, builder, args, kwargs)


def _named(value: object) -> Hashable:
    """A function by its qualified name (Streamlit's cache keys cannot hold functions); anything else as it is."""
    return f"{value.__module__}.{value.__qualname__}" if callable(value) else value


@st.cache_resource(max_entries=1024, show_spinner=False)
def _built(key: tuple, _builder: Callable[..., View], _args: tuple, _kwargs: dict) -> View:
    return _builder(store(), content(), *_args, **_kwargs)


@st.cache_resource(show_spinner=False)
def national_measures() -> list[str]:
    """The UK heat map's measures that the store holds."""
    return [m for m in views.NATIONAL_MEASURES if store().levels_for(m)]


@st.cache_resource(show_spinner=False)
def levels_and_years(measure: str) -> tuple[str, list[int]]:
    """The finest level of a national measure and its years."""
    level = views.finest_level(store(), measure)
    return level, store().years_for(measure, level)


@st.cache_resource(show_spinner=False)
def region_measure(level: str) -> tuple[str, list[int]]:
    """The measure a regional level shows and its years."""
    measure = views.region_measure(store(), level)
    return measure, store().years_for(measure, level)


@st.cache_resource(show_spinner=False)
def blocked_measures(cluster: str) -> dict[str, str]:
    """National-map measures that cannot show a cluster, with the reason."""
    return views.unavailable(store(), content(), cluster,
                             {m: (m, views.finest_level(store(), m)) for m in national_measures()})


@st.cache_resource(show_spinner=False)
def blocked_levels(cluster: str) -> dict[str, str]:
    """Regional-map levels whose source cannot show a cluster, with the reason."""
    return views.unavailable(store(), content(), cluster,
                             {lv: (views.region_measure(store(), lv), lv) for lv in views.REGION_LEVELS})


@st.cache_resource(show_spinner=False)
def blocked_colours(cluster: str, measure: str, level: str) -> dict[str, str]:
    """Colour modes a map may not use for a cluster's numbers at a measure and level, with the reason."""
    return views.unmeasured_colours(store(), content(), cluster, measure, level)


@st.cache_resource(show_spinner=False)
def blocked_clusters(level: str) -> dict[str, str]:
    """Clusters a profile level's source cannot show, with the reason."""
    return views.unavailable_clusters(store(), content(), views.region_measure(store(), level), level)


@st.cache_resource(max_entries=32, show_spinner=False)
def profile_areas(level: str) -> dict[str, str]:
    """Areas with a profile at a level, by code, labelled 'Name (code)' for the search box."""
    areas = views.profile_areas(store(), level)
    return {code: f"{content().label(code, name)} ({code})" for code, name in zip(areas["code"], areas["name"],
                                                                                  strict=True)}


@st.cache_resource
def trend_labels() -> dict[str, str]:
    """The trend sources named with their years, from the store."""
    return views.trend_labels(store())


@st.cache_resource
def comparators(key: str) -> tuple[list[str], str]:
    """The default comparison set of a trend source (the home area and areas like it), with its method."""
    return views.comparators(store(), content(), key, content().region.defaults.trend_home[key])


@st.cache_resource
def trend_areas(key: str) -> dict[str, str]:
    """Areas with data for a trend source, by code, with their display names."""
    return views.trend_areas(store(), content(), key)


@st.cache_resource(show_spinner=False)
def evidence():
    """The evidence check of the strategy's claims: one result per claim (computed once per process)."""
    from lisdash.evidence import evaluate

    return evaluate(store(), content())


@st.cache_resource
def story():
    """The consultation story, validated against the content and the store."""
    from lisdash.content.story import load_story

    return load_story(content())


@st.cache_resource(max_entries=256, show_spinner=False)
def slide(index: int, base: str | None = None, event: str | None = None):
    """What slide `index` (0-based) shows, its QR link opening the response page at `base` for `event`."""
    from lisdash.views.story import slide_content

    return slide_content(store(), content(), story(), index, geo_url, evidence(), base=base, event=event)


@st.cache_resource(max_entries=16, show_spinner=False)
def portfolio_figure(index: int, width: int, height: int):
    """Slide `index`'s portfolio chart drawn for a screen's chart size (its labels placed for it)."""
    from lisdash.views.story import portfolio_slide

    return portfolio_slide(store(), content(), story().slides[index], width, height)[1]


def slide_topic(number: int) -> tuple[str | None, str | None]:
    """The cluster and commitment of story slide `number` (counted from 1)."""
    from lisdash.views.story import slide_topic as topic

    return topic(content(), story().slides[number - 1])


@st.cache_resource
def exports() -> ExportCache:
    """Rendered images and decks for this build, on disk (shared by every session and process)."""
    from lisdash.config import REPO

    return ExportCache(REPO / EXPORTS / build_id(store()))
