"""The admin page's "What we heard" tab, laid out: the theme model, the analyst's changes, agreement with its
uncertainty, the response profile and the report."""

from __future__ import annotations

import streamlit as st

from lisdash.consult import themestore
from lisdash.heard.charts import share_agreeing
from lisdash.webapp.adminheard import ANALYST, AdminHeard, rules
from lisdash.webapp.cache import content
from lisdash.webapp.widgets import chart, file_download

MIME = {"html": "text/html", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pdf": "application/pdf"}


def heard_tab(heard: AdminHeard, event_code: str | None) -> None:
    """The tab's widgets."""
    st.caption("Themes are proposed by a model (TF-IDF and NMF, fixed seed) and approved by analysts. Approved "
               "themes are kept when the model runs again; new comments are then tagged against them. An "
               "analyst's tag always wins over the model's, and both are kept.")
    st.text_input("Your name or initials (recorded with each change)", max_chars=60, key=ANALYST)
    if st.button("Propose themes, or tag new comments", key="heard-run"):
        tagged = heard.run_model()
        st.success(f"The model tagged {sum(tagged.values()):,} comment(s).")
    commitments = {c.id: f"{c.number}. {c.title}" for c in content().commitments}
    chosen = st.selectbox("Commitment", list(commitments), format_func=commitments.get, key="heard-commitment")
    themes = heard.themes(chosen)
    if themes.empty:
        st.info("No themes for this commitment yet: run the model once comments have arrived.")
    else:
        _theme_tools(heard, themes)
    _agreement(heard, event_code, chosen)
    _downloads(heard, event_code)
    st.subheader("Changes made by analysts")
    st.dataframe(heard.changes(), hide_index=True, width="stretch")


def _theme_tools(heard: AdminHeard, themes) -> None:
    labels = {int(t.id): f"{t.label} ({int(t.comments)} comments{', approved' if t.approved else ''})"
              for t in themes.itertuples()}
    st.dataframe(themes.rename(columns={"label": "Theme", "terms": "Top terms", "approved": "Approved",
                                        "origin": "Made by", "comments": "Comments", "analyst": "Analyst tags"})
                 [["id", "Theme", "Top terms", "Approved", "Made by", "Comments", "Analyst tags"]],
                 hide_index=True, width="stretch")
    theme = st.selectbox("Theme", list(labels), format_func=labels.get, key="heard-theme")
    act = st.columns(3)
    if act[0].button("Approve", key="heard-approve") and heard.change(themestore.approve, theme):
        st.rerun()
    with act[1].form("heard-rename", border=False):
        name = st.text_input("New name", max_chars=80)
        if st.form_submit_button("Rename") and heard.change(themestore.rename, theme, name):
            st.rerun()
    with act[2].form("heard-merge", border=False):
        others = [t for t in labels if t != theme]
        into = st.selectbox("Merge into", others, format_func=labels.get, index=None)
        if st.form_submit_button("Merge") and into is not None and heard.change(themestore.merge, theme, into):
            st.rerun()
    comments = heard.comments(themes["commitment"].iloc[0])
    examples = themes.loc[themes["id"] == theme, "examples"].iloc[0]
    st.caption("Most representative comments (the model's choice):")
    for text in comments.set_index("id").reindex(examples)["Comment"].dropna():
        st.text(text)  # as typed: plain text, never Markdown
    members = comments[(comments["Analyst theme"].fillna(comments["Machine theme"]) == theme)]
    named = {int(t.id): t.label for t in themes.itertuples()}
    st.dataframe(members.drop(columns="id").assign(**{c: members[c].map(named.get, na_action="ignore")
                                                      for c in ("Machine theme", "Analyst theme")}),
                 hide_index=True, width="stretch")
    with st.form("heard-split"):
        picked = st.multiselect("Split these comments off (by reference)", list(members["Reference"]))
        name = st.text_input("Name of the new theme", max_chars=80)
        if st.form_submit_button("Split") and picked:
            ids = members.loc[members["Reference"].isin(picked), "id"].astype(int).tolist()
            if heard.change(themestore.split, theme, ids, name):
                st.rerun()
    with st.form("heard-move"):
        reference = st.selectbox("Move the comment with reference", list(comments["Reference"]), index=None)
        target = st.selectbox("to theme", list(labels), format_func=labels.get, index=None)
        if st.form_submit_button("Move") and reference and target is not None:
            view = int(comments.loc[comments["Reference"] == reference, "id"].iloc[0])
            if heard.change(themestore.move, view, target):
                st.rerun()


def _agreement(heard: AdminHeard, event_code: str | None, commitment: str) -> None:
    summary = heard.summary(event_code)
    question = next(q for q in summary.commitments if q.id == commitment)
    st.subheader("Agreement, as published")
    for split in question.splits:
        if len(split.table) > 1:
            chart(share_agreeing(split.table, f"{question.title}: by {split.title.lower()}", rules().confidence),
                  f"heard-{split.title}")
            if split.note:
                st.caption(split.note)
    if question.reweighted:
        st.caption(question.reweighted.caveat)


def _downloads(heard: AdminHeard, event_code: str | None) -> None:
    st.subheader("The report")
    formats, missing = heard.formats()
    cols = st.columns(len(formats))
    for col, fmt in zip(cols, formats, strict=True):
        with col:
            file_download(f"Download report ({fmt.upper()})", lambda f=fmt: heard.report(event_code, f),
                          f"what-we-heard.{fmt}", MIME[fmt], f"heard-report-{fmt}")
    if missing:
        st.caption(missing)
