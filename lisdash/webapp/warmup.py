"""Warm a server process: compute what the first visitors will ask for before they ask."""

from __future__ import annotations

import gc
import logging
import os
import threading
import time
from collections.abc import Callable

from lisdash import metrics
from lisdash.content import Content
from lisdash.pipeline.precompute import combinations
from lisdash.store import Store
from lisdash.views.maps import NATIONAL_MEASURES, REGION_LEVELS, national_view, region_view
from lisdash.views.profile import PROFILE_LEVELS, profile_areas

LOG = logging.getLogger("lisdash")
# The warm-up runs while the first visitors' browsers draw their maps on the same cores: it yields to them.
NICENESS = 19
THREAD_NAME = "lisdash-warmup"


def warm(store: Store, content: Content, hotspots: bool = True) -> float:
    """Every cluster's latest table at every measure and level, peers' share matrices, profile areas and
    (with `hotspots`) the latest Gi* hotspots of every national and regional map; seconds taken."""
    started = time.monotonic()
    for measure, level in combinations(store):
        metrics.industry_shares(store, measure, level)
        for cluster in content.clusters:
            try:
                metrics.cluster_table(store, cluster, measure, level)
            except metrics.MetricError:
                continue
    for level in PROFILE_LEVELS:
        profile_areas(store, level)
    if hotspots:
        for cluster in content.clusters:
            for measure in NATIONAL_MEASURES:
                _quietly(national_view, store, content, cluster.id, measure, None, "hotspot", _no_geo)
            for level in REGION_LEVELS:
                _quietly(region_view, store, content, cluster.id, level, None, "hotspot", _no_geo)
    return time.monotonic() - started


def _no_geo(level: str, extent: str) -> str:
    return ""


def _quietly(view, *args) -> None:
    try:
        view(*args)
    except metrics.MetricError:
        pass


def warm_in_background(store: Store, content: Content, then: Callable[[], object] = lambda: None) -> threading.Thread:
    """Start `warm`, then `then` (views built on the warmed tables, such as the claims' evidence a projector's
    first slide needs), in a daemon thread at the lowest CPU priority (errors are logged, never raised into a
    page)."""
    def run() -> None:
        lower_priority()
        try:
            seconds = warm(store, content)
            then()
            LOG.info("warm-up done in %.1f s (tables in %.1f s)", time.monotonic() - started, seconds)
        except Exception:
            LOG.exception("warm-up failed")
        # The store and the warmed caches live as long as the process: keep them out of every later
        # garbage collection, so a full collection never walks them while visitors wait.
        gc.collect()
        gc.freeze()

    started = time.monotonic()
    thread = threading.Thread(target=run, name=THREAD_NAME, daemon=True)
    thread.start()
    return thread


def lower_priority() -> None:
    """Give the calling thread the lowest CPU priority, where the system allows it per thread (Linux)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICENESS)
    except (AttributeError, OSError) as error:
        LOG.info("warm-up keeps its CPU priority: %s", error)
