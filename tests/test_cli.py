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


def test_info_and_the_methods_page_read_one_summary(capsys, store, content):
    """`lisdash info` and the Data and methods page show the same store: one function computes both."""
    from lisdash.views.methods import methods_view

    info = json.loads(run(capsys, "info", "--json"))
    view = methods_view(store, content)
    assert set(view.sources["id"]) == {s for s, meta in info["sources"].items() if "title" in meta}
    areas = dict(zip(view.levels["id"], view.levels["areas"], strict=True))
    assert {lv: sum(n.values()) for lv, n in info["levels"].items()} == {lv: n for lv, n in areas.items() if n}
    assert list(view.clusters["id"]) == list(info["clusters"])
    assert view.clusters.set_index("id").loc["creative", "SIC 2007 codes"].count(",") + 1 == 31


def test_unknown_cluster_is_a_clear_error(capsys):
    assert main(["table", "--cluster", "nope", "--level", "itl2"]) == 1
    assert "unknown cluster id 'nope'" in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "said"), [
    (["table", "--cluster", "automotive", "--level", "itl2", "--year", "1900"],
     "no employment data for 1900 at level itl2; years: 2015, 2016"),
    (["table", "--cluster", "automotive", "--level", "msoa11", "--measure", "gva"],
     "no gva data at level msoa11; measures there: workplace_pop"),
    (["table", "--cluster", "automotive", "--level", "ward"], "no data at level ward; levels with data: uk, gb"),
    (["export-story", "--format", "pdf", "--out", "x.pdf", "--event", "NOPE-1"], "no event with code 'NOPE-1'"),
    (["bench", "--heard", "0"], "--heard takes a number of views"),
    (["bench", "--load", "many"], "--load and --workers take whole numbers"),
    (["bench", "--votes", "5"], "the room benchmarks need a PostgreSQL URL"),
    (["bench", "--votes", "-3"], "--room and --votes take a number of phones"),
    (["bench", "--votes", "5", "--outage-seconds", "-1"], "--outage-seconds zero or more (given 5, 90, -1)"),
    (["bench", "--room", "5", "--room-minutes", "0"], "--room-minutes and --kill-seconds take a positive number"),
    (["responses", "backup", "--out", "/no/such/folder/x.bak"], "the folder /no/such/folder does not exist"),
    (["responses", "report", "--event", "NOPE-1"], "no event with code 'NOPE-1'"),
])
def test_bad_values_get_one_line_naming_them_and_what_would_do(capsys, argv, said):
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err and err.count("\n") == 1


@pytest.mark.parametrize(("argv", "said"), [
    (["table", "--cluster", "automotive", "--level", "itl2", "--measure", "gdp"],
     "argument --measure: invalid choice: 'gdp' (choose from 'employment'"),
    (["table", "--cluster", "automotive", "--level", "itl9"], "argument --level: invalid choice: 'itl9'"),
    (["responses", "report", "--format", "odt"], "argument --format: invalid choice: 'odt'"),
    (["serve", "--workers", "abc"], "not a whole number: 'abc'"),
    (["nonsense"], "invalid choice: 'nonsense'"),
    (["bench", "--opinion", "lots"], "'lots': give participants x statements, e.g. 200x60"),
    (["bench", "--opinion", "5x60"], "'5x60': at least 10 participants and 2 statements"),
])
def test_unknown_choices_are_refused_by_name_with_the_choices_listed(capsys, argv, said):
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and said in err and "Traceback" not in err


def test_the_opinion_bench_times_the_analysis_beside_its_floor(capsys):
    assert main(["bench", "--opinion", "30x8"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["participants"] == 30 and found["statements"] == 8
    assert sum(found["groups"]) + found["left_out"] == 30
    assert found["analysis_ms"]["median"] > found["floor_vote_matrix_ms"]["median"] > 0
