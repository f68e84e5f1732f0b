"""The admin page's "What we heard" tab: the theme model run on demand, analysts' changes to themes (each
kept with the analyst's name), agreement with its uncertainty, and the report to download."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session, sessionmaker

from lisdash.consult import reporting, themestore
from lisdash.consult.voting import report_sections
from lisdash.content.analysis import AnalysisRules, load_analysis
from lisdash.heard.render import FORMATS, chromium
from lisdash.heard.summary import Summary
from lisdash.webapp.cache import content, evidence, store, story
from lisdash.webapp.consultation import consultation, database
from lisdash.webapp.statementcard import statements

ANALYST = "admin-analyst"


@cache
def rules() -> AnalysisRules:
    """The analysis rules (lis_data/analysis.yaml), read once per process."""
    return load_analysis()


def analyst() -> str | None:
    """The name the analyst gave for the record of their changes (None until given)."""
    name = " ".join(str(st.session_state.get(ANALYST) or "").split())
    return name[:60] or None


@dataclass
class AdminHeard:
    """What the signed-in team can read and change about themes and the summary."""

    sessions: sessionmaker[Session]

    def summary(self, event_code: str | None) -> Summary:
        """The summary of all views or one event's, as the report prints it (made again only when the database
        has changed: every rerun of the admin page would otherwise recompute it)."""
        return _summary(self, str(self.sessions.kw["bind"].url), event_code, themestore.version(self.sessions))

    def run_model(self) -> dict[str, int]:
        """Propose themes, or tag new comments against approved ones."""
        return themestore.run_model(self.sessions, rules())

    def themes(self, commitment: str) -> pd.DataFrame:
        """The commitment's themes with how many comments each holds, by tag source."""
        themes = themestore.themes(self.sessions)
        themes = themes[themes["commitment"] == commitment]
        tags = themestore.tags(self.sessions)
        tags = tags[tags["commitment"] == commitment]
        counts = tags.groupby("theme_id").agg(comments=("id", "size"), analyst=(themestore.HUMAN, "count"))
        return themes.join(counts, on="id").fillna({"comments": 0, "analyst": 0})

    def comments(self, commitment: str) -> pd.DataFrame:
        """The commitment's comments: reference, text, campaign group, may be quoted, and their tags."""
        rows = _commented(self, str(self.sessions.kw["bind"].url), themestore.version(self.sessions))
        rows = rows[rows["commitment"] == commitment]
        tags = themestore.tags(self.sessions)
        tags = tags[tags["commitment"] == commitment].set_index("id")
        size = rows["campaign"].map(rows["campaign"].value_counts())
        return pd.DataFrame({"id": rows["id"], "Reference": rows["receipt"], "Comment": rows["comment"],
                             "Campaign size": size, "May be quoted": rows["quote_ok"].astype(bool),
                             "Machine theme": rows["id"].map(tags[themestore.MACHINE]) if len(tags) else pd.NA,
                             "Analyst theme": rows["id"].map(tags[themestore.HUMAN]) if len(tags) else pd.NA})

    def change(self, action, *args) -> bool:
        """Make an analyst's change (approve, rename, merge, split, move) in their name; a refusal is shown."""
        who = analyst()
        if who is None:
            st.error("Give your name or initials first: every change is recorded with who made it.")
            return False
        try:
            action(self.sessions, *args, who)
        except themestore.ThemeRefused as exc:
            st.error(str(exc))
            return False
        return True

    def report(self, event_code: str | None, fmt: str) -> bytes:
        """The report file in one of `formats()`."""
        opinion = report_sections(self.sessions, statements(), rules().opinion, event_code)
        return reporting.report(self.summary(event_code), fmt, opinion)

    @staticmethod
    def formats() -> tuple[list[str], str | None]:
        """The report formats this machine can make, and why any other cannot (None when all can)."""
        if chromium() is None:
            return ["html", "docx"], "PDF needs Chromium on the server (apt-get install chromium)."
        return list(FORMATS), None

    def changes(self) -> pd.DataFrame:
        """Every analyst change, newest first, with readable headings."""
        return themestore.changes(self.sessions).rename(columns={
            "changed_at": "When (UTC)", "changed_by": "Who", "action": "Change", "theme_id": "Theme id",
            "detail": "Detail"})


@st.cache_resource(max_entries=8, show_spinner=False)
def _summary(_heard: AdminHeard, database_url: str, event_code: str | None, version: tuple) -> Summary:
    return reporting.summary(_heard.sessions, store(), content(), consultation(), story(), rules(), evidence(),
                             event_code)


@st.cache_resource(max_entries=4, show_spinner=False)
def _commented(_heard: AdminHeard, database_url: str, version: tuple) -> pd.DataFrame:
    return themestore.commented(_heard.sessions, rules())


def forget_summaries() -> None:
    """Drop the summaries this process keeps (a database emptied and filled again can repeat a version)."""
    _summary.clear()
    _commented.clear()


def admin_heard() -> AdminHeard:
    """The signed-in team's themes and summary."""
    return AdminHeard(database())
