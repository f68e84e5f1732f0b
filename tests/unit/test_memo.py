"""The metrics' one cache (`metrics.memo.per_build`): keyed by the store's build and the arguments, content
objects passed through as they are, DataFrames handed out as copies. Stores here are test stand-ins."""

from __future__ import annotations

import pandas as pd

from lisdash.content.strategy import Cluster
from lisdash.metrics.memo import per_build


class StandInStore:
    """A store with nothing but its build stamp."""

    def __init__(self, built_at: str):
        self.manifest = {"built_at": built_at}


CLUSTER = Cluster(id="demo", name="Demo", sic=["29100"], commitments=["advanced-manufacturing"], source="fixture")


def test_a_result_is_kept_per_build_and_arguments_and_the_cluster_arrives_as_itself():
    calls = []

    @per_build(8)
    def table(store, cluster, year=None):
        calls.append((cluster, year))
        return pd.DataFrame({"year": [year]})

    old, new = StandInStore("2026-01-01"), StandInStore("2026-02-01")
    first = table(old, CLUSTER, 2021)
    assert calls[0][0] is CLUSTER  # never rebuilt from text
    assert table(old, CLUSTER, year=2021).equals(first) and len(calls) == 1  # keyword or positional: one key
    same_definition = CLUSTER.model_copy()
    table(old, same_definition, 2021)
    assert len(calls) == 1
    table(new, CLUSTER, 2021)
    table(old, CLUSTER.model_copy(update={"sic": ["29200"]}), 2021)
    assert len(calls) == 3


def test_a_kept_frame_is_handed_out_as_a_copy_and_the_bound_holds():
    @per_build(2)
    def frame(store, n):
        return pd.DataFrame({"n": [n]})

    store = StandInStore("b")
    handed = frame(store, 1)
    handed["n"] = 99
    assert frame(store, 1)["n"].tolist() == [1]
    computed = []

    @per_build(2)
    def counted(store, n):
        computed.append(n)
        return n

    for n in (1, 2, 3, 1):
        counted(store, n)
    assert computed == [1, 2, 3, 1]  # 1 was the oldest when 3 came in
