"""The Nomis client against a local server speaking Nomis's CSV format, including failures."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from lisdash.pipeline.build import all_sources
from lisdash.sources.nomis import COLUMNS, PAGE_ROWS, BresQuery, NomisError, downloaded_sources, fetch_bres
from tests.conftest import requires_mirror

HEADER = ",".join(f'"{c}"' for c in COLUMNS + ["RECORD_OFFSET", "RECORD_COUNT"])
QUERY = BresQuery(geography="TYPE424", industry="section", years=(2021,), level="lad", industry_level="section")


def nomis_rows(total: int) -> list[str]:
    """Rows shaped like a Nomis NM_189_1 CSV answer (all fields quoted)."""
    rows = []
    for i in range(total):
        section = "ABCDEFGHIJKLMNOPQRSTU"[i % 21]
        lad = f"E0800{i // 21:04d}"
        rows.append(f'"2021","District {i // 21}","{lad}","{section} : Section {section}","{section}",'
                    f'"{(i % 7) * 5}","A","{i}","{total}"')
    return rows


def paged(total: int, faults: dict[int, list], cap: int | None = None, final_newline: bool = True):
    """A handler answering Nomis pages; faults[offset] lists answers to give before the good one.

    Like Nomis, a page holds `recordlimit` rows when the query has a key (`uid`), else 25,000;
    `cap` is a server-side maximum below the requested size.
    """
    rows = nomis_rows(total)
    calls = []

    def answer(raw_path: str):
        params = parse_qs(urlparse(raw_path).query)
        offset = int(params["recordoffset"][0])
        size = int(params["recordlimit"][0]) if "uid" in params else PAGE_ROWS
        size = min(size, cap) if cap else size
        calls.append(offset)
        pending = faults.get(offset, [])
        if pending:
            return pending.pop(0)
        body = "\n".join([HEADER, *rows[offset: offset + size]]) + ("\n" if final_newline else "")
        return 200, body.encode()

    return answer, calls


def test_pages_through_the_row_limit(tmp_path, file_server):
    total = PAGE_ROWS * 2 + 123
    handler, calls = paged(total, {})
    base = file_server({"/NM_189_1.data.csv": handler})
    path = fetch_bres(QUERY, "bres_test", tmp_path, base_url=base, backoff=0)
    assert calls == [0, PAGE_ROWS, 2 * PAGE_ROWS]
    lines = path.read_text().splitlines()
    assert lines[0] == "DATE,GEOGRAPHY_NAME,GEOGRAPHY_CODE,INDUSTRY_NAME,INDUSTRY_CODE,OBS_VALUE,OBS_STATUS"
    assert len(lines) == total + 1
    manifest = json.loads(path.with_suffix(".json").read_text())
    assert manifest["rows"] == total and manifest["level"] == "lad"
    assert "industry=150994945...150994965" in httpx.URL(manifest["query"]).query.decode().replace("%2C", ",") \
        or "150994945" in manifest["query"]


def test_retries_server_error_and_truncated_body(tmp_path, file_server):
    total = PAGE_ROWS + 10
    good_second = "\n".join([HEADER, *nomis_rows(total)[PAGE_ROWS:]]) + "\n"
    faults = {0: [(503, b"Service Unavailable")], PAGE_ROWS: [(200, good_second[: len(good_second) // 2].encode())]}
    handler, calls = paged(total, faults)
    base = file_server({"/NM_189_1.data.csv": handler})
    path = fetch_bres(QUERY, "bres_retry", tmp_path, base_url=base, backoff=0)
    assert calls == [0, 0, PAGE_ROWS, PAGE_ROWS]
    assert len(path.read_text().splitlines()) == total + 1


def test_gives_up_after_persistent_errors_and_writes_nothing(tmp_path, file_server):
    handler, calls = paged(10, {0: [(500, b"boom")] * 10})
    base = file_server({"/NM_189_1.data.csv": handler})
    with pytest.raises(NomisError, match="HTTP 500"):
        fetch_bres(QUERY, "bres_fail", tmp_path, base_url=base, retries=2, backoff=0)
    assert len(calls) == 3
    assert not (tmp_path / "nomis").exists()


def test_empty_result_is_an_error(tmp_path, file_server):
    base = file_server({"/NM_189_1.data.csv": (200, (HEADER + "\n").encode())})
    with pytest.raises(NomisError, match="no rows"):
        fetch_bres(QUERY, "bres_empty", tmp_path, base_url=base, backoff=0)


def test_client_error_is_not_retried(tmp_path, file_server):
    handler, calls = paged(10, {0: [(400, b"bad geography")]})
    base = file_server({"/NM_189_1.data.csv": handler})
    with pytest.raises(NomisError, match="rejected"):
        fetch_bres(QUERY, "bres_400", tmp_path, base_url=base, backoff=0)
    assert calls == [0]


def test_download_becomes_a_build_source(tmp_path, file_server, monkeypatch):
    handler, _ = paged(42, {})
    base = file_server({"/NM_189_1.data.csv": handler})
    fetch_bres(QUERY, "bres_lad_sections", tmp_path, base_url=base, backoff=0)
    found = downloaded_sources([tmp_path])
    assert [s.id for s in found] == ["nomis_bres_lad_sections"]
    source = found[0]
    assert source.measure == "employment" and source.level == "lad" and source.reader == "bres_nomis"
    monkeypatch.setenv("LISDASH_DOWNLOADS", str(tmp_path))
    assert "nomis_bres_lad_sections" in {s.id for s in all_sources()}
    from lisdash.sources.files import locate
    from lisdash.sources.readers import read_bres_nomis

    facts = read_bres_nomis(locate(source), source)
    assert len(facts) == 42 and set(facts["level"]) == {"lad"}
    assert facts["area_code"].iloc[0] == "E08000000"


@requires_mirror
def test_lad_download_offers_employment_at_lad_level(tmp_path, file_server, monkeypatch):
    """A connected user's LAD download is picked up by build and used by the views with no code change.

    The counts served here only exercise the plumbing (the real ones come from Nomis); no view shows them.
    """
    from lisdash import views
    from lisdash.pipeline.build import build
    from lisdash.store import Store

    lads = ["E08000025", "E08000026", "E08000027"]
    rows = [f'"2021","{code}","{code}","{s} : Section {s}","{s}","{100 + i}","A","{n}","{len(lads) * 21}"'
            for n, (code, (i, s)) in enumerate((c, x) for c in lads for x in enumerate("ABCDEFGHIJKLMNOPQRSTU"))]
    base = file_server({"/NM_189_1.data.csv": (200, ("\n".join([HEADER, *rows]) + "\n").encode())})
    fetch_bres(QUERY, "bres_lad_sections", tmp_path / "downloads", base_url=base, backoff=0)
    monkeypatch.setenv("LISDASH_DOWNLOADS", str(tmp_path / "downloads"))
    build(tmp_path / "store")
    store = Store.open(tmp_path / "store")
    assert "lad" in store.levels_for("employment")
    assert views.finest_level(store, "employment") == "lad"
    assert views.region_measure(store, "lad") == "employment"
    assert "nomis_bres_lad_sections" in store.manifest["sources"]


def test_bigger_pages_with_a_key(tmp_path, file_server):
    """With a Nomis key the page size comes from the request (`recordlimit`); a server cap below it is fine."""
    total = 120_000
    keyed = BresQuery(geography="TYPE424", industry="section", years=(2021,), level="lad", industry_level="section",
                      extra={"uid": "0xabc", "recordlimit": "100000"})
    handler, calls = paged(total, {})
    base = file_server({"/NM_189_1.data.csv": handler})
    path = fetch_bres(keyed, "bres_keyed", tmp_path, base_url=base, backoff=0)
    assert calls == [0, 100_000]
    assert len(path.read_text().splitlines()) == total + 1
    handler, calls = paged(total, {}, cap=50_000)
    base = file_server({"/NM_189_1.data.csv": handler})
    fetch_bres(keyed, "bres_capped", tmp_path, base_url=base, backoff=0)
    assert calls == [0, 50_000, 100_000]


def test_body_without_final_newline_is_accepted(tmp_path, file_server):
    total = PAGE_ROWS + 7
    handler, calls = paged(total, {}, final_newline=False)
    base = file_server({"/NM_189_1.data.csv": handler})
    path = fetch_bres(QUERY, "bres_no_newline", tmp_path, base_url=base, backoff=0)
    assert calls == [0, PAGE_ROWS]
    assert len(path.read_text().splitlines()) == total + 1


def test_obs_status_is_kept_as_a_flag(tmp_path, file_server):
    """OBS_STATUS is selected and reaches the facts as `status`, so the reason a cell is empty is not lost."""
    from lisdash.sources.files import locate
    from lisdash.sources.readers import read_bres_nomis

    rows = nomis_rows(3)
    rows[1] = rows[1].replace('"5","A"', '"","Q"')
    base = file_server({"/NM_189_1.data.csv": (200, ("\n".join([HEADER, *rows]) + "\n").encode())})
    path = fetch_bres(QUERY, "bres_status", tmp_path, base_url=base, backoff=0)
    assert "OBS_STATUS" in parse_qs(urlparse(json.loads(path.with_suffix(".json").read_text())["query"]).query)[
        "select"][0]
    source = downloaded_sources([tmp_path])[0]
    facts = read_bres_nomis(locate(source, mirror=tmp_path, downloads=tmp_path), source)
    assert facts["status"].tolist() == ["A", "Q", "A"]
    assert facts["suppressed"].tolist() == [False, True, False]


def test_division_and_class_presets_from_the_sic_hierarchy(store):
    from lisdash.sources.nomis import industry_preset

    division = industry_preset("division", store.industries).split(",")
    assert len(division) == 88 and "146800669" in division  # 146800640 + 29 (motor vehicles)
    klass = industry_preset("class", store.industries).split(",")
    assert len(klass) == 615 and str(138412032 + 2910) in klass and str(138412032 + 3030) in klass
    assert industry_preset("section", store.industries) == "150994945...150994965"
