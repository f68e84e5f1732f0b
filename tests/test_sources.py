"""The sources manifest and what happens when a raw input is missing, truncated, changed or malformed."""

from __future__ import annotations

import fnmatch
import hashlib
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from lisdash.config import REPO
from lisdash.pipeline import build as build_mod
from lisdash.pipeline.build import build
from lisdash.sources.files import SourceError, locate, sha256_of
from lisdash.sources.manifest import load_sources
from tests.conftest import requires_mirror

SOURCES = load_sources()


def test_every_readme_dataset_is_in_the_manifest(mirror):
    """Every data file in the mirror README's table is a source (boundaries by folder)."""
    readme = (mirror / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("| `")]
    table_paths = [p for row in rows for p in re.findall(r"`((?:employment|boundaries)/[^`*]+?)`", row)]
    assert len(table_paths) >= 10
    paths = {s.path for s in SOURCES}
    for path in table_paths:
        if path.endswith("/"):
            continue
        pattern = path.replace("...", "*").rstrip("*") + "*"
        assert any(fnmatch.fnmatch(p, pattern) for p in paths), path
    for folder in ("boundaries/lad/", "boundaries/higher_geographies/", "boundaries/small_areas/",
                   "boundaries/derived/", "boundaries/lookups/"):
        assert any(p.startswith(folder) for p in paths), folder


@requires_mirror
def test_manifest_fields_and_checksums_match_the_mirror():
    for source in SOURCES:
        assert source.url.startswith("https://"), source.id
        assert "Open Government Licence" in source.licence
        if source.kind == "facts":
            assert source.measure and source.level and source.industry_level and source.years, source.id
        assert sha256_of(locate(source)) == source.sha256


def _mirror_with(tmp_path: Path, mirror: Path, rel: str, content: bytes | None) -> Path:
    """A mirror of symlinks to the real files, with one file replaced (or removed when None)."""
    fake = tmp_path / "mirror"
    for source in SOURCES:
        for p in [source.path, *[str(Path(source.path).with_suffix(s)) for s in source.companions]]:
            target = fake / p
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists() and not target.is_symlink():
                target.symlink_to(mirror / p)
    (fake / rel).unlink()
    if content is not None:
        (fake / rel).write_bytes(content)
    return fake


def _snapshot(store: Path) -> dict[str, str]:
    return {str(p.relative_to(store)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(store.rglob("*")) if p.is_file()}


@pytest.fixture()
def previous_store(tmp_path, store):
    """A copy of the built store standing in for the one a failed build must leave alone."""
    target = tmp_path / "store"
    shutil.copytree(store.path, target)
    return target


@pytest.mark.parametrize("source", SOURCES, ids=[s.id for s in SOURCES])
@pytest.mark.parametrize("damage", ["missing", "truncated", "changed"])
def test_bad_input_fails_clearly_and_keeps_store(tmp_path, monkeypatch, mirror, previous_store, source, damage):
    original = (mirror / source.path).read_bytes()
    content = {"missing": None, "truncated": original[: len(original) // 2],
               "changed": original.replace(b"1", b"2", 1)}[damage]
    fake = _mirror_with(tmp_path, mirror, source.path, content)
    monkeypatch.setenv("LISDASH_MIRROR", str(fake))
    monkeypatch.setenv("LISDASH_DOWNLOADS", str(tmp_path / "downloads"))
    before = _snapshot(previous_store)
    with pytest.raises(SourceError) as err:
        build(previous_store)
    message = str(err.value)
    assert source.path in message
    assert ("missing" in message) if damage == "missing" else ("checksum mismatch" in message)
    assert "Fix:" in message
    assert _snapshot(previous_store) == before
    assert not list(previous_store.parent.glob(".store.tmp-*"))


def _rename_columns(data: bytes) -> bytes:
    head, _, rest = data.partition(b"\n")
    return b",".join(b"WRONG" + field for field in head.split(b",")) + b"\n" + rest


def _rename_xlsx_header(data: bytes, sheet: str | None, row: int) -> bytes:
    """The workbook with every header cell of one row prefixed WRONG."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book[sheet] if sheet else book.worksheets[0]
    for cell in ws[row]:
        if isinstance(cell.value, str):
            cell.value = "WRONG" + cell.value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Every source whose columns can be damaged in place: CSVs, GeoJSON/TopoJSON fields, Excel headers
# (the .xls SIC structure and the shapefile's .dbf are covered by their checksum tests only).
WRONG_COLUMNS = [s for s in SOURCES if s.path.endswith((".csv", ".json", ".geojson", ".xlsx"))]


@pytest.mark.parametrize("source", WRONG_COLUMNS, ids=[s.id for s in WRONG_COLUMNS])
def test_wrong_columns_fail_clearly_and_keep_store(tmp_path, monkeypatch, mirror, previous_store, source):
    original = (mirror / source.path).read_bytes()
    if source.path.endswith((".geojson", ".json")):
        bad = original.replace(f'"{source.code_field}"'.encode(), b'"WRONG"')
    elif source.path.endswith(".xlsx"):
        bad = _rename_xlsx_header(original, source.sheet, 6 if source.sheet else 1)
    else:
        bad = _rename_columns(original)
    fake = _mirror_with(tmp_path, mirror, source.path, bad)
    patched = [s.model_copy(update={"sha256": hashlib.sha256(bad).hexdigest()}) if s.path == source.path else s
               for s in SOURCES]
    monkeypatch.setattr(build_mod, "all_sources", lambda: patched)
    monkeypatch.setenv("LISDASH_MIRROR", str(fake))
    before = _snapshot(previous_store)
    with pytest.raises(SourceError) as err:
        build(previous_store)
    assert source.path in str(err.value)
    assert "WRONG" in str(err.value) or "lacks" in str(err.value)
    assert _snapshot(previous_store) == before


@requires_mirror
def test_failure_while_writing_keeps_previous_store(tmp_path, monkeypatch, previous_store):
    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("pandas.DataFrame.to_parquet", boom)
    before = _snapshot(previous_store)
    with pytest.raises(OSError):
        build(previous_store)
    assert _snapshot(previous_store) == before
    assert not list(previous_store.parent.glob(".store.tmp-*"))


def test_missing_file_is_downloaded_from_its_official_url(tmp_path, monkeypatch, mirror, file_server):
    source = next(s for s in SOURCES if s.id == "msoa_lookup")
    body = (mirror / source.path).read_bytes()
    url = file_server({"/msoa.csv": body})
    remote = source.model_copy(update={"download": url + "/msoa.csv"})
    got = locate(remote, mirror=tmp_path / "empty", downloads=tmp_path / "dl")
    assert got == tmp_path / "dl" / source.path and got.read_bytes() == body
    changed = source.model_copy(update={"download": url + "/msoa.csv", "sha256": "0" * 64})
    with pytest.raises(SourceError, match="checksum mismatch"):
        locate(changed, mirror=tmp_path / "empty", downloads=tmp_path / "dl2")


def test_build_manifest_records_checksums(store):
    manifest = json.loads((store.path / "manifest.json").read_text())
    assert set(manifest["sources"]) >= {s.id for s in SOURCES}
    assert manifest["sources"]["bres_itl2_5digit"]["sha256"].startswith("eacdf7ab")
    assert manifest["rows"]["facts"]["bres_itl2_5digit"] == 204120 + 7 * 40  # cells + derived totals
    assert REPO / "data" / "build" != store.path or (REPO / ".gitignore").read_text().count("data/build/")
