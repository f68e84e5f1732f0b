"""Serving a room: one build at a time, errors without tracebacks, presenters kept apart, exports made once."""

from __future__ import annotations

import threading
import time

from streamlit.testing.v1 import AppTest

from lisdash.config import REPO
from lisdash.pipeline import build as build_mod
from lisdash.pipeline import buildlock
from lisdash.store import STORE_FILES
from lisdash.webapp.rendercache import ExportCache
from tests.test_pages import presenting

APP = str(REPO / "app.py")


def test_one_build_at_a_time_and_waiters_see_its_progress(tmp_path, monkeypatch):
    store = tmp_path / "store"
    calls, seen = [], []

    def fake_build(target, progress):
        calls.append(threading.get_ident())
        progress("Reading sources", 0.5)
        time.sleep(1.0)
        target.mkdir()
        for name in STORE_FILES:
            (target / name).write_text("{}")
        return {"built_at": "now"}

    monkeypatch.setattr(build_mod, "_build", fake_build)
    threads = [threading.Thread(target=build_mod.build, args=(store,),
                                kwargs={"if_missing": True, "waiting": lambda label, f: seen.append(label)})
               for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1  # the two others waited, then found the store built
    assert "Reading sources" in seen
    assert buildlock.read_progress(store) == ("Reading sources", 0.5)


def test_builds_use_their_own_temporary_folders(tmp_path):
    import tempfile

    first = tempfile.mkdtemp(prefix=".store.tmp-", dir=tmp_path)
    second = tempfile.mkdtemp(prefix=".store.tmp-", dir=tmp_path)
    assert first != second  # as build.write_store names them: never shared between processes


def test_an_unexpected_error_shows_a_reference_not_a_traceback():
    def app():
        import streamlit as st

        from lisdash import webapp

        class Broken:
            url_path = "broken"

            def run(self):
                raise KeyError("/secret/server/path.py")

        webapp.run_safely(Broken())
        st.write("after")

    at = AppTest.from_function(app, default_timeout=60).run()
    assert not at.exception
    message = at.error[0].value
    assert message.startswith("Something went wrong showing this view (reference ")
    assert "secret" not in message and "KeyError" not in message
    assert at.markdown[0].value == "after"


def test_error_details_are_off_and_no_gc_after_every_run():
    import tomllib

    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"
    assert config["runner"]["postScriptGC"] is False
    assert config["server"]["fileWatcherType"] == "none"


def test_bad_slide_number_gives_a_notice():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"mode": "present", "slide": "abc"})
    at.run()
    assert any(w.value.startswith("Ignored slide=abc") for w in at.warning)
    assert any(m.value.startswith("**1 /") for m in at.markdown)


def _notes_links(at: AppTest) -> list[str]:
    return [b.proto.url for b in at.get("link_button") if "view=notes" in b.proto.url]


def test_speaker_notes_are_for_presenters_and_presenters_are_kept_apart():
    from lisdash.consult import db, events

    event = events.new_event(db.sessions(), "Walsall")
    a, b = presenting(event.code, "2", event.presenter_code), presenting(event.code, "3", event.presenter_code)
    (link_a,), (link_b,) = _notes_links(a), _notes_links(b)
    assert link_a != link_b and "token=" in link_a
    assert any(d.label.startswith("Download deck with speaker notes") for d in a.get("download_button"))

    def notes(link: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        for part in link.split("?", 1)[1].split("&"):
            key, value = part.split("=", 1)
            at.query_params[key] = value
        return at.run()

    a.query_params["slide"] = "5"
    a.run()
    assert "slide 5 of" in notes(link_a).title[0].value
    assert "slide 3 of" in notes(link_b).title[0].value  # A moving did not move B's notes
    # a visitor presenting without the presenter code gets no notes, nor the deck that carries them
    stranger = presenting(event.code, "9", None)
    assert _notes_links(stranger) == [] and not any("PPTX" in d.label for d in stranger.get("download_button"))
    wrong = presenting(event.code, "9", "NOT-THE-CODE")
    assert _notes_links(wrong) == [] and any("not this event's presenter code" in e.value for e in wrong.error)
    no_event = AppTest.from_file(APP, default_timeout=120)
    no_event.query_params.update({"mode": "present", "slide": "4"})
    assert _notes_links(no_event.run()) == []
    assert "slide 5 of" in notes(link_a).title[0].value  # visitors presenting move only their own screens
    for peek in (notes("?mode=present&view=notes"), notes("?mode=present&view=notes&token=" + "A" * 24)):
        assert peek.title[0].value == "Speaker notes" and not any("slide" in t.value for t in peek.title[1:])
        assert any("Speaker notes are for presenters" in i.value for i in peek.info)


def test_png_export_is_cached_per_build_and_figure(store, content, monkeypatch, tmp_path):
    from lisdash import views
    from lisdash.webapp import renders

    drawn = []
    monkeypatch.setattr(renders, "figure_png", lambda fig, geo=None: drawn.append(1) or b"png")
    monkeypatch.setattr(renders, "exports", lambda: ExportCache(tmp_path))
    monkeypatch.setattr(renders, "_build_id", lambda: "build-1")
    monkeypatch.setattr(renders, "_within_budget", lambda: True)
    figure = views.national_view(store, content, "automotive", "employment", None, "lq", lambda *a: "x").figure
    assert renders.png_bytes(figure, None) == b"png" and renders.png_bytes(figure, None) == b"png"
    assert len(drawn) == 1
