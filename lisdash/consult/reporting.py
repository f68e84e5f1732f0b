"""The summary of what we heard, assembled from the database, the store and the content, in a chosen format."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session, sessionmaker

from lisdash.consult import events, inbox, themestore
from lisdash.content import Content
from lisdash.content.analysis import AnalysisRules
from lisdash.content.form import Consultation
from lisdash.content.story import Story
from lisdash.heard.campaigns import campaign_groups
from lisdash.heard.counting import counted
from lisdash.heard.document import OpinionSection, blocks
from lisdash.heard.regionmix import place_mix, sector_mix
from lisdash.heard.render import render
from lisdash.heard.summary import Heard, Summary, summarise
from lisdash.store import Store

TITLE = "What we heard: West Midlands Local Industrial Strategy consultation"


def gather(sessions: sessionmaker[Session], store: Store, content: Content, form: Consultation, story: Story,
           rules: AnalysisRules, evidence: list, event_code: str | None = None) -> Heard:
    """Everything the summary is made from (every view's campaign group is found among all views)."""
    everything = inbox.responses_frame(sessions, with_ids=True)
    commented = counted(everything)
    commented = commented[commented["comment"] != ""].set_index("id")["comment"]
    views = everything if event_code is None else everything[everything["event"] == event_code]
    lads = store.areas[store.areas["level"] == "lad"]
    return Heard(
        views=views, tags=themestore.tags(sessions), themes=themestore.themes(sessions),
        campaigns=campaign_groups(commented, rules.campaign), sector_mix=sector_mix(store, content.region),
        place_mix=place_mix(store, content.region), evidence=evidence,
        commitment_titles={c.id: f"{c.number}. {c.title}" for c in content.commitments},
        poll_titles={p.id: p.title for p in story.polls().values()},
        respondent_labels={c.id: c.label for c in form.respondent_types},
        place_labels=dict(zip(lads["code"], lads["name"], strict=False)),
        event_names={e.code: f"{e.code}: {e.name}" for e in events.all_events(sessions)})


def summary(sessions: sessionmaker[Session], store: Store, content: Content, form: Consultation, story: Story,
            rules: AnalysisRules, evidence: list, event_code: str | None = None) -> Summary:
    """The summary of every view, or of one event's."""
    heard = gather(sessions, store, content, form, story, rules, evidence, event_code)
    scope = "All views" if event_code is None else f"Views given at event {heard.event_names[event_code]}"
    return summarise(heard, rules, scope)


def report(found: Summary, fmt: str, opinion: Sequence[OpinionSection] = ()) -> bytes:
    """The summary (and where the rooms stand on the statements) as html, docx or pdf."""
    return render(blocks(found, opinion), TITLE, fmt)
