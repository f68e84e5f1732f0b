"""`fetch official` against local servers that answer as the publishers do (Nomis API, ONS FeatureServer,
release files), including paging, server errors, cut-off bodies and empty answers; and a build from
the fetched folder equal to the build from the mirror."""

from __future__ import annotations

import io
import json
from urllib.parse import parse_qs, urlparse

import geopandas as gpd
import httpx
import pandas as pd
import pytest

from lisdash.pipeline.build import all_sources, build
from lisdash.sources import readers
from lisdash.sources.manifest import load_sources
from lisdash.sources.official import FetchError, arcgis_features, fetch_all, fetch_source
from tests.conftest import requires_mirror

SOURCES = {s.id: s for s in load_sources()}


def nomis_body(frame: pd.DataFrame, offset: int, size: int) -> bytes:
    """A page of a Nomis CSV answer (every field quoted, RECORD_OFFSET/RECORD_COUNT last)."""
    page = frame.iloc[offset: offset + size].copy()
    page["RECORD_OFFSET"] = range(offset, offset + len(page))
    page["RECORD_COUNT"] = len(frame)
    return page.to_csv(index=False, quoting=1, lineterminator="\n").encode()


def nomis_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """Rows of the mirror's BRES file as the Nomis API gives them (OBS_VALUE, OBS_STATUS)."""
    return pd.DataFrame({"DATE": raw["DATE"], "GEOGRAPHY_NAME": raw["GEOGRAPHY_NAME"],
                         "GEOGRAPHY_CODE": raw["GEOGRAPHY_CODE"], "INDUSTRY_NAME": raw["INDUSTRY_NAME"],
                         "INDUSTRY_CODE": raw["INDUSTRY_CODE"],
                         "OBS_VALUE": raw["COUNT"].map(lambda v: "" if pd.isna(v) else str(int(v))),
                         "OBS_STATUS": "A"})


def nomis_handler(frame: pd.DataFrame, faults: dict | None = None):
    faults = faults or {}

    def answer(raw_path: str):
        offset = int(parse_qs(urlparse(raw_path).query)["recordoffset"][0])
        pending = faults.get(offset, [])
        if pending:
            return pending.pop(0)
        return 200, nomis_body(frame, offset, 25_000)

    return answer


def arcgis_handler(collection: dict, faults: dict | None = None, calls: list | None = None):
    """An ArcGIS FeatureServer query endpoint: pages of GeoJSON by resultOffset/resultRecordCount."""
    faults = faults or {}

    def answer(raw_path: str):
        params = parse_qs(urlparse(raw_path).query)
        assert params["f"] == ["geojson"] and params["outSR"] == ["4326"] and params["where"] == ["1=1"]
        offset, count = int(params["resultOffset"][0]), int(params["resultRecordCount"][0])
        if calls is not None:
            calls.append(offset)
        pending = faults.get(offset, [])
        if pending:
            return pending.pop(0)
        features = collection["features"][offset: offset + count]
        body = {"type": "FeatureCollection", "features": features}
        if offset + count < len(collection["features"]):
            body["properties"] = {"exceededTransferLimit": True}
        return 200, json.dumps(body).encode()

    return answer


def as_arcgis(path, code_field: str, name_field: str, new_code: str, new_name: str) -> dict:
    """A mirror boundary file's features as the FeatureServer serves them (GeoJSON, its own field names)."""
    gdf = gpd.read_file(path)
    gdf = gdf.set_crs(4326, allow_override=True) if gdf.crs is None else gdf.to_crs(4326)
    renamed = gdf.rename(columns={code_field: new_code, name_field: new_name})
    return json.loads(renamed.to_json())


@pytest.fixture()
def client():
    with httpx.Client(timeout=30) as c:
        yield c


def test_nomis_pages_retries_and_checks(tmp_path, file_server, client, mirror):
    raw = pd.read_csv(mirror / SOURCES["bres_itl2_5digit"].path, dtype={"INDUSTRY_CODE": str}).head(60_000)
    frame = nomis_frame(raw)
    cut = nomis_body(frame, 25_000, 25_000)
    base = file_server({"/NM_189_1.data.csv": nomis_handler(frame, {0: [(503, b"busy")],
                                                                   25_000: [(200, cut[: len(cut) // 2])]})})
    fetched = fetch_source(SOURCES["bres_itl2_5digit"], tmp_path, client, nomis=base, backoff=0)
    written = pd.read_csv(tmp_path / fetched.path, dtype={"INDUSTRY_CODE": str})
    assert len(written) == 60_000 and list(written.columns)[-2:] == ["OBS_VALUE", "OBS_STATUS"]
    assert written["INDUSTRY_CODE"].tolist() == raw["INDUSTRY_CODE"].tolist()  # every page, once, in order
    empty = file_server({"/NM_189_1.data.csv": (200, nomis_body(frame.iloc[0:0], 0, 10))})
    with pytest.raises(FetchError, match="no rows"):
        fetch_source(SOURCES["bres_itl2_5digit"], tmp_path / "e", client, nomis=empty, backoff=0)
    assert not (tmp_path / "e").exists()


def test_the_same_bres_rows_in_both_formats_give_the_same_facts(tmp_path, mirror):
    source = SOURCES["bres_itl2_5digit"]
    raw = pd.read_csv(mirror / source.path, dtype={"INDUSTRY_CODE": str})
    sample = raw[raw["GEOGRAPHY_CODE"].isin(["UKG3", "UKM5"])]
    (tmp_path / "mirror.csv").write_text(sample.to_csv(index=False))
    (tmp_path / "api.csv").write_bytes(nomis_body(nomis_frame(sample), 0, len(sample)))
    a = readers.read_bres_nomis(tmp_path / "mirror.csv", source).drop(columns="status")
    b = readers.read_bres_nomis(tmp_path / "api.csv", source)
    assert set(b["status"]) == {"A"}
    pd.testing.assert_frame_equal(a, b.drop(columns="status"))
    assert a["suppressed"].sum() == 3  # 01000 in UKM5, 2015-2017: missing, in both formats


def test_arcgis_pages_by_offset_and_survives_errors(file_server, client, mirror):
    source = SOURCES["bnd_lad21_buc"]
    collection = as_arcgis(mirror / source.path, "AREACD", "AREANM", "LAD21CD", "LAD21NM")
    calls: list[int] = []
    faults = {100: [(502, b"bad gateway"), (200, b'{"type": "FeatureCollection", "feat')]}
    path = f"/{source.fetch.service}/FeatureServer/0/query"
    base = file_server({path: arcgis_handler(collection, faults, calls)})
    got = arcgis_features(client, source.fetch.service, base, page=100, backoff=0)
    assert got["features"] == collection["features"] and len(got["features"]) == 374
    assert calls == [0, 100, 100, 100, 200, 300]  # the bad gateway and the cut-off page were asked again
    empty = file_server({path: (200, b'{"type": "FeatureCollection", "features": []}')})
    with pytest.raises(FetchError, match="no features"):
        arcgis_features(client, source.fetch.service, empty, backoff=0)
    refused = file_server({path: (400, b'{"error": "Invalid URL"}')})
    with pytest.raises(FetchError, match="refused"):
        arcgis_features(client, source.fetch.service, refused, backoff=0)


def test_the_same_boundaries_in_both_formats_give_the_same_areas(tmp_path, mirror):
    from lisdash.pipeline.geography import read_boundary

    source = SOURCES["bnd_lad21_buc"]
    collection = as_arcgis(mirror / source.path, "AREACD", "AREANM", "LAD21CD", "LAD21NM")
    (tmp_path / "lad.geojson").write_text(json.dumps(collection))
    a = read_boundary(mirror / source.path, source)
    b = read_boundary(tmp_path / "lad.geojson", source)
    pd.testing.assert_frame_equal(a.drop(columns="geometry"), b.drop(columns="geometry"))
    assert a.geometry.geom_equals_exact(b.geometry, tolerance=1e-9).all()


def test_release_files_are_downloaded_whole_or_not_at_all(tmp_path, file_server, client, mirror):
    source = SOURCES["business_counts_local_units"]
    body = (mirror / source.path).read_bytes()
    tries = {"n": 0}

    def flaky(_path):
        tries["n"] += 1
        return (500, b"oops") if tries["n"] == 1 else (200, body)

    name = urlparse(source.fetch.url).path
    base = file_server({name: flaky})
    spec = source.fetch.model_copy(update={"url": base + name})
    fetched = fetch_source(source.model_copy(update={"fetch": spec}), tmp_path, client, backoff=0)
    assert (tmp_path / fetched.path).read_bytes() == body and fetched.sha256 == source.sha256 and tries["n"] == 2
    empty = file_server({name: (200, b"")})
    with pytest.raises(FetchError, match="empty"):
        fetch_source(source.model_copy(update={"fetch": spec.model_copy(update={"url": empty + name})}),
                     tmp_path / "x", client, backoff=0)
    assert not (tmp_path / "x" / source.path).exists()


def gva_workbook(mirror) -> bytes:
    """The two GVA tables as sheets of one workbook, with notes above each header as ONS publishes them."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for sid, sheet in (("gva_itl3_current", "Table 3c"), ("gva_itl3_cvm", "Table 3b")):
            table = pd.read_csv(mirror / SOURCES[sid].path, encoding="utf-8-sig", thousands=",")
            notes = pd.DataFrame([[f"{sheet}: regional gross value added (balanced) by industry"], ["Source: ONS"]])
            notes.to_excel(writer, sheet_name=sheet, index=False, header=False)
            table.to_excel(writer, sheet_name=sheet, index=False, startrow=3)
    return buffer.getvalue()


def test_the_gva_workbook_and_its_csv_export_give_the_same_facts(tmp_path, mirror):
    source = SOURCES["gva_itl3_current"]
    (tmp_path / "gva.xlsx").write_bytes(gva_workbook(mirror))
    from_csv = readers.read_gva_itl3(mirror / source.path, source)
    from_xlsx = readers.read_gva_itl3(tmp_path / "gva.xlsx", source)
    pd.testing.assert_frame_equal(from_csv, from_xlsx)


def route_of(url: str) -> str:
    """One local path per publisher file URL (ONS file URLs differ only in their query)."""
    import hashlib

    return hashlib.sha256(url.encode()).hexdigest()[:16]


def publisher(mirror, file_server) -> dict[str, str]:
    """One local server answering every publisher endpoint with the mirror's own data in the publishers' formats."""
    bres = pd.concat([nomis_frame(pd.read_csv(mirror / SOURCES[s].path, dtype={"INDUSTRY_CODE": str}))
                      for s in ("bres_itl2_5digit", "bres_itl2_2digit")], ignore_index=True)
    routes = {"/nomis/NM_189_1.data.csv": nomis_handler(bres)}
    workbook = gva_workbook(mirror)
    for source in SOURCES.values():
        spec = source.fetch
        if spec is None or spec.kind == "nomis":
            continue
        if spec.kind == "arcgis":
            fields = (source.code_field, source.name_field, spec.code_field, spec.name_field)
            routes[f"/arcgis/{spec.service}/FeatureServer/0/query"] = arcgis_handler(
                as_arcgis(mirror / source.path, *fields))
        else:
            routes[f"/files/{route_of(spec.url)}"] = workbook if source.id.startswith("gva") \
                else (mirror / source.path).read_bytes()
    base = file_server(routes)
    return {"arcgis": base + "/arcgis", "nomis": base + "/nomis", "files": base + "/files"}


@requires_mirror
def test_a_build_from_the_fetched_folder_equals_the_build_from_the_mirror(tmp_path, file_server, mirror, store,
                                                                         monkeypatch):
    endpoints = publisher(mirror, file_server)
    files = endpoints.pop("files")
    sources = [s if s.fetch is None or s.fetch.kind != "file" else s.model_copy(update={"fetch": s.fetch.model_copy(
        update={"url": f"{files}/{route_of(s.fetch.url)}"})}) for s in all_sources()]
    done = fetch_all(sources, tmp_path / "official", mirror=mirror, **endpoints)
    manifest = json.loads((tmp_path / "official" / "fetch-manifest.json").read_text())
    assert set(manifest) == {s.id for s in sources} and len(done) == len(sources)
    assert manifest["bnd_lad21_buc"]["path"].endswith("Local_Authority_Districts_December_2021_UK_BUC_2022.geojson")
    assert manifest["census2011_workplace"]["url"].startswith("copied from the mirror")
    monkeypatch.setenv("LISDASH_MIRROR", str(tmp_path / "official"))
    monkeypatch.setattr("lisdash.pipeline.build.all_sources", lambda: sources)
    build(tmp_path / "store")
    from tests.test_release import _facts

    fetched, mirrored = _facts(tmp_path / "store" / "facts.parquet"), _facts(store.path / "facts.parquet")
    cells = fetched["source"].str.startswith("bres_itl2") & (fetched["industry_code"] != "TOTAL")
    assert set(fetched.loc[cells, "status"]) == {"A"}  # the API's OBS_STATUS, kept
    pd.testing.assert_frame_equal(fetched.drop(columns="status"), mirrored.drop(columns="status"))
    areas = gpd.read_parquet(tmp_path / "store" / "areas.parquet")
    pd.testing.assert_frame_equal(areas.drop(columns="geometry"), store.areas.drop(columns="geometry"))
    shapes = areas.geometry.notna()
    assert (shapes == store.areas.geometry.notna()).all()
    assert areas.geometry[shapes].geom_equals_exact(store.areas.geometry[shapes], tolerance=1e-6).all()
