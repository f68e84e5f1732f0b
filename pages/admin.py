"""Consultation admin: counts, agreement charts, comments with moderation, exports, contact deletion, events."""

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
tabs = st.tabs(["Counts", "Agreement", "Comments and moderation", "Export", "Contact details", "Events"])
with tabs[0]:
    columns = st.columns(3)
    for i, (title, table) in enumerate(view.counts.items()):
        with columns[i % 3]:
            st.subheader(title)
            st.dataframe(table, hide_index=True, width="stretch")
with tabs[1]:
    for i, figure in enumerate(view.charts):
        st.plotly_chart(figure, key=f"agreement-{i}")
    if not view.charts:
        st.info("No views yet.")
with tabs[2]:
    st.caption("Comments are shown exactly as typed, as plain text. Tick Hidden to keep a view out of counts and "
               "off the screen, Flagged to mark it for review (flagged comments are not shown on slides). "
               "'Repeats view' names an earlier view with the same answer from the same device, or the same "
               "comment from the same network: it is kept, not removed.")
    edited = st.data_editor(view.comments, hide_index=True, width="stretch", key="moderation",
                            disabled=[c for c in view.comments.columns if c not in ("Hidden", "Flagged")])
    if st.button("Save moderation", type="primary"):
        changed = inbox.moderate(view.comments, edited)
        st.success(f"Saved {changed} change(s).")
with tabs[3]:
    with_contacts = st.checkbox("Include contact details (only for following up people who asked)")
    for fmt in ("csv", "xlsx"):
        webapp.file_download(f"Download {fmt.upper()}", lambda f=fmt: inbox.export(event_code, f, with_contacts),
                             f"lis-views.{fmt}", None, f"export-{fmt}")
    st.caption("Cells that a spreadsheet could run as a formula (starting with =, +, -, @) get a leading "
               "apostrophe, so they open as the text that was typed.")
with tabs[4]:
    st.write(f"Contact details held: {inbox.contact_count():,}. They are deleted after "
             f"{webapp.consultation().retention_days} days (`python -m lisdash responses purge-contacts`).")
    with st.form("delete-contact"):
        email = st.text_input("Delete the contact details given with this email")
        receipt = st.text_input("or with this view reference")
        if st.form_submit_button("Delete"):
            st.success(f"Deleted {inbox.delete_contacts(email, receipt)} contact record(s).")
with tabs[5]:
    with st.form("new-event"):
        name = st.text_input("New event's name", max_chars=120, placeholder="Birmingham, 3 December")
        if st.form_submit_button("Start event") and name:
            created = inbox.new_event(name)
            if created:
                st.success(f"Event {created.code} started.")
    for line in inbox.event_links():
        st.text(line)
webapp.footer()
