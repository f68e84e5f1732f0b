"""The command-line view of the same numbers."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from lisdash import metrics
from lisdash.cli import main


def run(capsys, *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_table_csv_matches_metrics(capsys, store, content):
    out = pd.read_csv(io.StringIO(run(capsys, "table", "--cluster", "automotive", "--level", "itl2")))
    assert list(out.columns) == ["code", "name", "subject", "value", "value_low", "value_high", "share", "lq",
                                 "lq_low", "lq_high", "uncertain", "small", "missing_cells", "class", "change_pct",
                                 "change_from", "change_to", "change_basis", "benchmark", "source", "vintage"]
    assert len(out) == 40
    wm = out.set_index("code").loc["TLG3"]
    expected = metrics.cluster_table(store, content.cluster("automotive"), "employment", "itl2", 2021)
    assert wm["lq"] == pytest.approx(expected.set_index("code").loc["TLG3", "lq"])
    assert wm["lq_low"] < wm["lq"] < wm["lq_high"]
    assert wm["name"] == "West Midlands met county (WMCA area)"
    assert wm["change_pct"] == pytest.approx(100 * (28075 - 29060) / 29060)
    assert (wm["change_from"], wm["change_to"], wm["change_basis"]) == (2015, 2021, "jobs")
    assert wm["vintage"] == 2021 and wm["source"] == "bres_itl2_5digit" and wm["benchmark"] == "Great Britain"


def test_table_json_for_gva(capsys):
    rows = json.loads(run(capsys, "table", "--cluster", "aerospace", "--level", "itl3", "--measure", "gva",
                          "--year", "2021", "--format", "json"))
    assert len(rows) == 179 and all(r["vintage"] == "2021" for r in rows)
    assert {(r["change_from"], r["change_basis"]) for r in rows} == {(1998, "nominal (current prices)")}
    assert {r["subject"] for r in rows} == {"Manufacture of machinery and transport equipment + Other manufacturing, "
                                           "repair and installation (SIC 28-33), of which 12% is aerospace"}


def test_info_json(capsys):
    info = json.loads(run(capsys, "info", "--json"))
    assert info["levels"]["lad"] == {"national": 374, "regional": 30}
    assert info["sources"]["gva_itl3_current"]["years"][0] == 1998
    assert info["sources"]["bres_itl2_5digit"]["industry_detail"] == ["subclass"]
    assert info["clusters"]["aerospace"]["commitments"] == ["c7"]
    assert info["clusters"]["creative"]["sic_codes"] == 31
    assert "built_at" in info["manifest"]


def test_unknown_cluster_is_a_clear_error(capsys):
    assert main(["table", "--cluster", "nope", "--level", "itl2"]) == 1
    assert "unknown cluster id 'nope'" in capsys.readouterr().err
