"""The shipped data release: a build from the mirror reproduces it, and a machine without the mirror uses it."""

from __future__ import annotations

import json
import shutil

import geopandas as gpd
import pandas as pd
import pytest

from lisdash.pipeline import provision, release
from lisdash.pipeline.build import build
from lisdash.store import Store

FACT_KEYS = ["source", "level", "area_code", "year", "industry_code"]


def _facts(path) -> pd.DataFrame:
    facts = pd.read_parquet(path)
    for column in facts.select_dtypes("category"):
        facts[column] = facts[column].astype(str)
    return facts.sort_values(FACT_KEYS, ignore_index=True)


def assert_same_store(a, b) -> None:
    """Two stores hold the same data: facts, areas (geometry exactly), industries, cluster values, GeoJSON."""
    pd.testing.assert_frame_equal(_facts(a / "facts.parquet"), _facts(b / "facts.parquet"))
    areas_a, areas_b = gpd.read_parquet(a / "areas.parquet"), gpd.read_parquet(b / "areas.parquet")
    pd.testing.assert_frame_equal(areas_a.drop(columns="geometry"), areas_b.drop(columns="geometry"))
    assert areas_a.geometry.to_wkb().tolist() == areas_b.geometry.to_wkb().tolist()  # exactly the same shapes
    pd.testing.assert_frame_equal(pd.read_parquet(a / "industries.parquet"), pd.read_parquet(b / "industries.parquet"))
    values_a = pd.read_parquet(a / "cluster_values.parquet").astype({"codes": str, "source": str, "measure": str,
                                                                      "level": str})
    values_b = pd.read_parquet(b / "cluster_values.parquet").astype({"codes": str, "source": str, "measure": str,
                                                                      "level": str})
    pd.testing.assert_frame_equal(values_a, values_b)
    names = sorted(p.name for p in (a / "geo").iterdir())
    assert names == sorted(p.name for p in (b / "geo").iterdir())
    for name in names:
        assert json.loads((a / "geo" / name).read_text()) == json.loads((b / "geo" / name).read_text()), name
    manifest_a, manifest_b = (json.loads((s / "manifest.json").read_text()) for s in (a, b))
    assert manifest_a["rows"] == manifest_b["rows"] and manifest_a["sources"] == manifest_b["sources"]


def test_the_release_is_in_the_repository_with_its_manifest():
    path, manifest = release.latest()
    assert path.exists() and path.name == manifest["file"] and path.stat().st_size == manifest["bytes"]
    assert set(manifest) >= {"sha256", "vintage", "rows", "sources", "store_built_at"}
    assert manifest["rows"]["facts"]["bres_itl2_5digit"] == 204120 + 7 * 40


def test_a_build_from_the_mirror_reproduces_the_shipped_release_and_leaves_responses_alone(tmp_path, mirror):
    import hashlib

    from lisdash.consult import db, events

    responses = tmp_path / "data" / "responses.sqlite"  # where the app keeps views, beside the store it rebuilds
    sessions = db.sessions(f"sqlite:///{responses}")
    events.new_event(sessions, "Before the rebuild")
    sessions.kw["bind"].dispose()
    before = hashlib.sha256(responses.read_bytes()).hexdigest()
    build(tmp_path / "data" / "build")
    assert hashlib.sha256(responses.read_bytes()).hexdigest() == before
    assert [e.name for e in events.all_events(sessions)] == ["Before the rebuild"]
    release.unpack(tmp_path / "shipped")
    assert_same_store(tmp_path / "data" / "build", tmp_path / "shipped")


def test_without_a_mirror_the_release_is_unpacked_and_named(tmp_path, monkeypatch, content):
    monkeypatch.setenv("LISDASH_MIRROR", str(tmp_path / "no-mirror"))
    assert provision.obtain(tmp_path / "store") == "release"
    store = Store.open(tmp_path / "store")
    origin = store.manifest["origin"]
    assert origin["kind"] == "release" and origin["vintage"] == release.latest()[1]["vintage"]
    from lisdash import metrics, views

    assert "shipped data release" in views.store_origin(store)
    table = metrics.cluster_table(store, content.cluster("automotive"), "employment", "itl2", 2021)
    assert table.set_index("code").loc["TLG3", "value"] == 28075
    assert provision.obtain(tmp_path / "store") == "store"  # and kept from then on


def test_a_changed_release_is_refused_and_the_old_store_kept(tmp_path, store):
    folder = tmp_path / "release"
    shutil.copytree(release.RELEASE_DIR, folder)
    path, _ = release.latest(folder)
    path.write_bytes(path.read_bytes()[:-100])
    target = tmp_path / "store"
    shutil.copytree(store.path, target)
    before = sorted(p.name for p in target.iterdir())
    with pytest.raises(release.ReleaseError, match="not the released file") as err:
        release.unpack(target, folder)
    assert "git checkout -- data/release" in str(err.value) and str(path) in str(err.value)
    assert sorted(p.name for p in target.iterdir()) == before
    assert not list(tmp_path.glob(".store.tmp-*"))


def test_writing_a_release_round_trips(tmp_path, store):
    path = release.write(store.path, tmp_path / "rel", vintage="test")
    manifest = json.loads((tmp_path / "rel" / "lisdash-data-test.json").read_text())
    assert manifest["file"] == path.name and manifest["vintage"] == "test"
    release.unpack(tmp_path / "unpacked", tmp_path / "rel")
    assert_same_store(store.path, tmp_path / "unpacked")
    again = release.write(store.path, tmp_path / "rel2", vintage="test")
    assert again.read_bytes() == path.read_bytes()  # the same store gives the same release, byte for byte
