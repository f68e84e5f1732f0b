"""Command line: build | fetch | release | table | evidence | info | bench | export-story, and the consultation's
event | responses | admin (lisdash.consult.cli) and serve (lisdash.serving.cli): the same functions the pages call."""

from __future__ import annotations

import argparse
import json
import os
import sys

from lisdash import vocabulary
from lisdash.consult.cli import add_commands, unknown_event
from lisdash.serving import cli as serving_cli
from lisdash.sources.files import SourceError


def _bar(label: str, fraction: float) -> None:
    width = 30
    filled = int(round(fraction * width))
    print(f"[{'#' * filled}{'.' * (width - filled)}] {fraction:4.0%} {label}", file=sys.stderr, flush=True)


def _build(args: argparse.Namespace) -> int:
    from lisdash.pipeline.build import build

    manifest = build(progress=_bar)
    print(f"Built the store in {manifest['build_seconds']} s: "
          f"{sum(manifest['rows']['facts'].values())} facts, "
          f"{sum(manifest['rows']['areas'].values())} areas.")
    return 0


def _fetch_official(args: argparse.Namespace) -> int:
    from pathlib import Path

    from lisdash.config import mirror_dir
    from lisdash.pipeline.build import all_sources
    from lisdash.pipeline.provision import mirror_present
    from lisdash.sources.official import fetch_all

    root = Path(args.root)
    endpoints = {k: v for k, v in (("arcgis", args.arcgis), ("nomis", args.nomis)) if v}
    mirror = mirror_dir() if mirror_present() else None
    done = fetch_all(all_sources(), root, args.only, report=lambda line: print(line, file=sys.stderr),
                     mirror=mirror, **endpoints)
    print(f"Fetched {len(done)} sources into {root} (manifest: {root / 'fetch-manifest.json'}). "
          f"Build from it with: LISDASH_MIRROR={root} python -m lisdash build")
    return 0


def _release(args: argparse.Namespace) -> int:
    from lisdash.config import store_dir
    from lisdash.pipeline import release

    path = release.write(store_dir(), vintage=args.vintage)
    print(f"Wrote {path} ({path.stat().st_size / 2**20:.1f} MB); commit data/release/ to ship it.")
    return 0


def _fetch(args: argparse.Namespace) -> int:
    from pathlib import Path

    from lisdash.sources.nomis import BresQuery, fetch_bres, industry_preset

    years = tuple(int(y) for y in args.years.split(","))
    industry = args.industry
    if industry in ("division", "class"):
        industry = industry_preset(industry, _sic_table())
    extra = {"uid": args.uid, "recordlimit": str(args.page_rows)} if args.uid else {}
    query = BresQuery(geography=args.geography, industry=industry, years=years,
                      level=args.level, industry_level=args.industry_level, extra=extra)
    path = fetch_bres(query, args.name, Path(args.root) if args.root else None, base_url=args.base_url)
    print(f"Wrote {path} (run `python -m lisdash build` to use it)")
    return 0


def _sic_table():
    """The SIC 2007 hierarchy read from the mirror's classification files (no store needed)."""
    from lisdash.sources import industries, readers
    from lisdash.sources.files import locate
    from lisdash.sources.manifest import load_sources

    by_id = {s.id: s for s in load_sources()}
    structure = readers.read_sic_structure(locate(by_id["sic_structure"]), by_id["sic_structure"])
    lookup = readers.read_sic_lookup(locate(by_id["sic_lookup"]), by_id["sic_lookup"])
    return industries.sic_table(structure, lookup)


def _open():
    """The store and the content, with a progress bar while a first build runs."""
    from lisdash.pipeline.provision import store_and_content

    return store_and_content(progress=_bar)


def _table(args: argparse.Namespace) -> int:
    from lisdash.views.tables import area_table

    store, content = _open()
    problem = _table_problem(store, args.level, args.measure, args.year)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    table = area_table(store, content, args.cluster, args.level, args.measure, args.year, args.region)
    if args.format == "json":
        print(table.to_json(orient="records", double_precision=6))
    else:
        table.to_csv(sys.stdout, index=False)
    return 0


def _table_problem(store, level: str, measure: str | None, year: int | None) -> str | None:
    """What is wrong with a table's level, measure and year in this store, in one line listing what would do."""
    from lisdash.views.maps import region_measure

    measures = [m for m in vocabulary.vocabulary().measures() if level in store.levels_for(m)]
    if not measures:
        return f"no data at level {level}; levels with data: {', '.join(_levels_with_data(store))}"
    if measure is not None and measure not in measures:
        return f"no {measure} data at level {level}; measures there: {', '.join(measures)}"
    measure = measure or region_measure(store, level)
    years = store.years_for(measure, level)
    if year is not None and year not in years:
        return f"no {measure} data for {year} at level {level}; years: {', '.join(map(str, years))}"
    return None


def _levels_with_data(store) -> list[str]:
    return [lv for lv in vocabulary.vocabulary().levels() if any(lv in store.levels_for(m)
                                                                   for m in vocabulary.vocabulary().measures())]


def _participants_by_statements(text: str) -> tuple[int, int]:
    """`200x60`: participants and statements, each a whole number from 10 and 2."""
    try:
        participants, statements = (int(n) for n in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give participants x statements, e.g. 200x60") from None
    if participants < 10 or statements < 2:
        raise argparse.ArgumentTypeError(f"{text!r}: at least 10 participants and 2 statements, e.g. 200x60")
    return participants, statements


def _info(args: argparse.Namespace) -> int:
    from lisdash.views.methods import store_summary

    store, content = _open()
    info = store_summary(store, content)
    if args.json:
        print(json.dumps(info, indent=2))
    else:
        print("Areas by level")
        for level, counts in info["levels"].items():
            print(f"  {level:8s} {counts}")
        print("Sources: id, measure, level, years")
        for source_id, meta in ((i, m) for i, m in info["sources"].items() if "rows" in m):
            print(f"  {source_id:30s} {meta['measure']:14s} {meta['level']} {meta['years'][0]}-{meta['years'][-1]}")
    return 0


def _export_story(args: argparse.Namespace) -> int:
    from pathlib import Path

    from lisdash import views
    from lisdash.consult.links import base_url
    from lisdash.content.story import load_story
    from lisdash.views import deck
    from lisdash.views.story import all_slides

    if args.event:
        from lisdash.consult import db

        if unknown_event(db.sessions(), args.event):
            return 1
    store, content = _open()
    geo = views.store_geo(store)
    base = base_url(args.port)
    if base is None:
        print("warning: no network address found, so the deck has no QR codes (set LISDASH_PUBLIC_URL)",
              file=sys.stderr)
    contents = all_slides(store, content, load_story(content), geo, base=base, event=args.event)
    out = Path(args.out)
    out.write_bytes(deck.export(contents, geo, args.format))
    print(f"Wrote {out} ({len(contents)} slides, {args.format})")
    return 0


def _evidence(args: argparse.Namespace) -> int:
    from lisdash.evidence import evaluate
    from lisdash.evidence.report import records, rows

    store, content = _open()
    results = evaluate(store, content)
    if args.format == "json":
        print(json.dumps(records(results), indent=2))
    else:
        rows(results).to_csv(sys.stdout, index=False)
    return 0


def _bench(args: argparse.Namespace) -> int:
    try:
        from lisdash_dev.bench import main as bench_main
    except ImportError:  # the benchmarks live in a clone, not in the installed package
        print("error: the benchmarks run from a clone of the repository (lisdash_dev is not installed)",
              file=sys.stderr)
        return 1

    if args.room < 0 or args.votes < 0:
        print("error: --room and --votes take a number of phones, e.g. 50", file=sys.stderr)
        return 1
    if args.room_minutes <= 0 or args.kill_seconds <= 0 or args.outage_seconds < 0:
        print("error: --room-minutes and --kill-seconds take a positive number, --outage-seconds zero or more "
              f"(given {args.room_minutes:g}, {args.kill_seconds:g}, {args.outage_seconds:g})", file=sys.stderr)
        return 1
    if args.room or args.votes:
        url = args.db_url or os.environ.get("LISDASH_BENCH_DB_URL")
        if not url or not url.startswith("postgresql"):
            print("error: the room benchmarks need a PostgreSQL URL: --db-url postgresql+psycopg://USER:PW@HOST/DB "
                  "(or LISDASH_BENCH_DB_URL); they add an event named '... benchmark ...' there", file=sys.stderr)
            return 1
        if args.votes:
            from lisdash_dev.votebench import votes

            print(json.dumps(votes(url, args.votes, args.room_minutes, outage_seconds=args.outage_seconds), indent=2))
            return 0
        from lisdash_dev.roombench import room

        print(json.dumps(room(url, args.room, args.room_minutes, args.kill_seconds,
                              outage_seconds=args.outage_seconds, through_proxy=args.through_proxy), indent=2))
        return 0

    if args.heard is not None:
        from lisdash_dev.heardbench import heard_bench

        if args.heard < 1:
            print("error: --heard takes a number of views, e.g. 10000", file=sys.stderr)
            return 1
        print(json.dumps(heard_bench(args.heard), indent=2))
        return 0

    if args.opinion is not None:
        from lisdash_dev.opinionbench import opinion_bench

        print(json.dumps(opinion_bench(*args.opinion), indent=2))
        return 0

    if args.against:
        from lisdash_dev.benchcompare import compare

        print(json.dumps(compare(args.against, args.rounds, not args.no_browser), indent=2))
        return 0

    try:
        users = [int(n) for n in args.load.split(",")] if args.load else None
        workers = [int(n) for n in args.workers.split(",")] if args.through_proxy else None
    except ValueError:
        print("error: --load and --workers take whole numbers, e.g. 10,20,40", file=sys.stderr)
        return 1
    if args.rerun_cpu < 0:
        print("error: --rerun-cpu takes a number of rounds, e.g. 10", file=sys.stderr)
        return 1
    if args.through_proxy and not users:
        print("error: --through-proxy measures a load: give --load too, e.g. --load 10,20,40,80", file=sys.stderr)
        return 1
    _open()  # a fresh clone benches the store its app would provision
    text = bench_main(with_browser=not args.no_browser, load=users, duration=args.duration, notes=args.notes,
                      compare_gc=args.compare_gc, proxied_workers=workers, rerun_rounds=args.rerun_cpu)
    print(text if args.json else text.replace('"', ""))
    return 0


def parser() -> argparse.ArgumentParser:
    """The lisdash command-line interface."""
    p = argparse.ArgumentParser(prog="python -m lisdash", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="build data/build/ from the raw files").set_defaults(func=_build)

    fetch = sub.add_parser("fetch", help="download raw data from an official API")
    fetch_sub = fetch.add_subparsers(dest="api", required=True)
    nomis = fetch_sub.add_parser("nomis", help="BRES employment (NM_189_1) from the Nomis API")
    nomis.add_argument("--geography", default="TYPE424",
                       help="Nomis geography selector (default TYPE424, local authority districts)")
    nomis.add_argument("--industry", required=True,
                       help="Nomis industry selector, or a preset: 'section' (21 SIC sections), 'division' "
                            "(88 SIC divisions) or 'class' (SIC 4-digit classes); for 5-digit subclasses copy the "
                            "selector from a Nomis query-builder URL")
    nomis.add_argument("--uid", help="a registered Nomis user id, which allows larger pages")
    nomis.add_argument("--page-rows", type=int, default=100_000, help="rows per page with --uid (default 100000)")
    nomis.add_argument("--years", required=True, help="comma-separated years, e.g. 2019,2020,2021")
    nomis.add_argument("--level", default="lad", help="lisdash level of the geography (default lad)")
    nomis.add_argument("--industry-level", default="subclass",
                       help="SIC level of the industries (section, division, class, subclass)")
    nomis.add_argument("--name", default="bres_lad", help="file name under <root>/nomis/")
    nomis.add_argument("--root", help="mirror folder to write into (default data/downloads)")
    nomis.add_argument("--base-url", default="https://www.nomisweb.co.uk/api/v01/dataset")
    nomis.set_defaults(func=_fetch)
    official = fetch_sub.add_parser("official", help="every source from its publisher, into a mirror folder")
    official.add_argument("--only", nargs="+", metavar="SOURCE_ID", help="only these sources (ids in sources.toml)")
    official.add_argument("--root", default="data/downloads/official", help="the mirror folder to fill")
    official.add_argument("--arcgis", help="ONS Open Geography Portal services URL (default: the ONS one)")
    official.add_argument("--nomis", help="Nomis API dataset URL (default: the one in each source's url)")
    official.set_defaults(func=_fetch_official)

    rel = sub.add_parser("release", help="write the data release (data/release/) from the current store")
    rel.add_argument("--vintage", help="release name, default today's date")
    rel.set_defaults(func=_release)

    table = sub.add_parser("table", help="one row per area for a cluster")
    table.add_argument("--cluster", required=True)
    table.add_argument("--level", required=True, choices=list(vocabulary.vocabulary().levels()))
    table.add_argument("--measure", choices=list(vocabulary.vocabulary().measures()))
    table.add_argument("--year", type=int)
    table.add_argument("--format", choices=["csv", "json"], default="csv")
    table.add_argument("--region", action="store_true", help="only the region's areas (as the cluster map)")
    table.set_defaults(func=_table)

    ev = sub.add_parser("evidence", help="every claim's verdict, its checks, their numbers and eligibility")
    ev.add_argument("--format", choices=["json", "csv"], default="json")
    ev.set_defaults(func=_evidence)

    bench = sub.add_parser("bench", help="payload, server and browser timings of the main map views")
    bench.add_argument("--json", action="store_true")
    bench.add_argument("--no-browser", action="store_true", help="server figures only")
    bench.add_argument("--load", help="virtual users driving the app's websocket, e.g. 40 or 5,10,20,40")
    bench.add_argument("--duration", type=float, default=60, help="seconds of load per step (default 60)")
    bench.add_argument("--notes", type=int, default=0, help="also measure N speaker-notes windows")
    bench.add_argument("--rerun-cpu", type=int, default=0, metavar="ROUNDS",
                       help="also measure each page's server CPU per rerun of a choice already shown (ROUNDS each)")
    bench.add_argument("--room", type=int, default=0,
                       help="instead: N phones answering a poll on two app processes sharing PostgreSQL (e.g. 50)")
    bench.add_argument("--votes", type=int, default=0,
                       help="instead: N phones voting on statements on two app processes sharing PostgreSQL, the "
                            "projector showing where the room stands (e.g. 50, with --room-minutes 3)")
    bench.add_argument("--room-minutes", type=float, default=5,
                       help="minutes of the room's no-fault phase (or of the voting room)")
    bench.add_argument("--outage-seconds", type=float, default=60,
                       help="seconds of the room's third phase (the voting room's second), with PostgreSQL "
                            "stopped for 20 s of them; 0 skips it")
    bench.add_argument("--kill-seconds", type=float, default=90,
                       help="seconds of the room's second phase, with kill -9 of one server halfway")
    bench.add_argument("--db-url", help="PostgreSQL URL for --room (default LISDASH_BENCH_DB_URL)")
    bench.add_argument("--heard", type=int, metavar="VIEWS",
                       help="instead: the theme model and the What we heard report on VIEWS synthetic views "
                            "(e.g. 10000), time and peak memory")
    bench.add_argument("--opinion", type=_participants_by_statements, metavar="PxS",
                       help="instead: the opinion map's analysis on P synthetic participants x S statements "
                            "(e.g. 200x60), time beside its floor")
    bench.add_argument("--against", metavar="REV",
                       help="instead: bench this checkout and commit REV (e.g. HEAD~1) in the same run, "
                            "interleaved, and print both medians and their ratio")
    bench.add_argument("--rounds", type=int, default=2, help="rounds of each tree for --against (default 2)")
    bench.add_argument("--compare-gc", action="store_true",
                       help="also run the load with Streamlit's per-run garbage collection on")
    bench.add_argument("--through-proxy", action="store_true",
                       help="with --load: the app and the floor page behind HAProxy, as `serve` runs them; with "
                            "--room: the phones and the presenter through HAProxy")
    bench.add_argument("--workers", default="2", help="with --through-proxy: app processes, e.g. 2 or 1,2")
    bench.set_defaults(func=_bench)

    export = sub.add_parser("export-story", help="the consultation story as a PPTX deck or PDF handout")
    export.add_argument("--format", choices=["pptx", "pdf"], required=True)
    export.add_argument("--out", required=True)
    export.add_argument("--event", help="the event code the QR codes answer for (from `event new`)")
    export.add_argument("--port", type=int, default=8501, help="the app's port, for the QR codes' address")
    export.set_defaults(func=_export_story)

    info = sub.add_parser("info", help="what the store holds")
    info.add_argument("--json", action="store_true")
    info.set_defaults(func=_info)
    add_commands(sub)
    serving_cli.add_commands(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run one command; known failures print a one-line message and exit 1."""
    args = parser().parse_args(argv)
    from lisdash.consult.backup import BackupError
    from lisdash.consult.responses import Refused
    from lisdash.content import ContentError
    from lisdash.metrics import MetricError
    from lisdash.pipeline.release import ReleaseError
    from lisdash.serving.supervise import ServeError
    from lisdash.sources.nomis import NomisError
    from lisdash.sources.official import FetchError
    from lisdash.store import StoreMissing

    try:
        return args.func(args)
    except (SourceError, ContentError, MetricError, NomisError, StoreMissing, ReleaseError, FetchError,
            Refused, BackupError, ServeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
