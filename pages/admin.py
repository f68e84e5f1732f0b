"""Consultation admin: counts, agreement charts, comments with moderation, what we heard, statements and the
opinion map, exports, contact deletion, events."""

import streamlit as st

from lisdash import webapp

webapp.declared_page()  # through app.py, even on a fresh server's first deep link

if not webapp.signed_in():
    webapp.footer()
    st.stop()

inbox = webapp.admin_inbox()
head = st.columns([6, 1], vertical_alignment="center")
head[0].title("Consultation admin")
head[1].button("Sign out", on_click=webapp.sign_out)
events = inbox.events()
event_code = st.selectbox("Event", [None, *events], format_func=lambda c: "All views" if c is None else events[c],
                          key="admin-event")
view = inbox.view(event_code)
st.metric("Views (hidden ones left out)", f"{view.total:,}")
tabs = st.tabs(["Counts", "Agreement", "Comments and moderation", "What we heard", "Statements", "Export",
               "Contact details", "Events"])
with tabs[0]:
    columns = st.columns(3)
    for i, (title, table) in enumerate(view.counts.items()):
        with columns[i % 3]:
            st.subheader(title)
            st.dataframe(table, hide_index=True, width="stretch")
with tabs[1]:
    for i, figure in enumerate(view.charts):
        webapp.chart(figure, f"agreement-{i}")
    if not view.charts:
        st.info("No views yet.")
with tabs[2]:
    st.caption("Comments are shown exactly as typed, as plain text. Tick Hidden to keep a view out of counts and "
               "off the screen, Flagged to mark it for review (flagged comments are not shown on slides). "
               "'Repeats view' names an earlier view with the same answer from the same device, or the same "
               "comment from the same network: it is kept, not removed.")
    listed = webapp.moderation_list(event_code, view.comments)  # held until saved or refreshed
    arrived = len(view.comments) - len(listed.comments)
    if arrived > 0:
        st.info(f"{arrived:,} new view(s) since this list was loaded: save your ticks, or refresh the list.")
    edited = st.data_editor(listed.comments, hide_index=True, width="stretch", key=listed.key,
                            disabled=[c for c in listed.comments.columns if c not in ("Hidden", "Flagged")])
    save, refresh = st.columns([1, 4])
    if save.button("Save moderation", type="primary"):
        webapp.reload_moderation(saved=inbox.moderate(listed.comments, edited))
    if refresh.button("Refresh the list"):
        webapp.reload_moderation(saved=None)
    done = webapp.moderation_saved()
    if done is not None:
        st.success(f"Saved {done} change(s).")
with tabs[3]:
    webapp.heard_tab(webapp.admin_heard(), event_code)
with tabs[4]:
    webapp.statement_tab(event_code)
with tabs[5]:
    with_contacts = st.checkbox("Include contact details (only for following up people who asked)")
    for fmt in ("csv", "xlsx"):
        webapp.file_download(f"Download {fmt.upper()}", lambda f=fmt: inbox.export(event_code, f, with_contacts),
                             f"lis-views.{fmt}", None, f"export-{fmt}")
    st.caption("Cells that a spreadsheet could run as a formula (starting with =, +, -, @) get a leading "
               "apostrophe, so they open as the text that was typed.")
with tabs[6]:
    st.write(f"Contact details are deleted after {webapp.consultation().retention_days} days "
             "(`python -m lisdash responses purge-contacts`), or below on request.")
    with st.form("delete-contact"):
        email = st.text_input("Delete the contact details given with this email")
        receipt = st.text_input("or with this view reference")
        deleted = inbox.delete_contacts(email, receipt) if st.form_submit_button("Delete") else None
    if deleted is not None:
        st.success(f"Deleted {deleted} contact record(s).")
    st.write(f"Contact details held: {inbox.contact_count():,}.")
with tabs[7]:
    with st.form("new-event"):
        name = st.text_input("New event's name", max_chars=120, placeholder="Birmingham, 3 December")
        if st.form_submit_button("Start event") and name:
            created = inbox.new_event(name)
            if created:
                st.success(f"Event {created.code} started.")
    for listed_event in inbox.event_links():
        st.subheader(listed_event.code, anchor=False)
        st.text(f"{listed_event.name}\nPresenter code (opens the speaker notes; keep it to the presenters): "
                f"{listed_event.presenter_code or 'none'}")
        if listed_event.present:
            links = st.columns(2)
            links[0].link_button("Present (projector)", listed_event.present)
            links[1].link_button("Respond (phones)", listed_event.respond)
            st.text(f"Present: {listed_event.present}\nRespond: {listed_event.respond}")
        else:
            st.text("No address phones can reach: join the venue's network or set LISDASH_PUBLIC_URL.")
webapp.footer()
