"""Floor of the stack for a submitted view: a one-question form whose submit shows a thank-you."""

import streamlit as st

with st.form("floor"):
    st.radio("How far do you agree?", ["Disagree", "Agree"], index=None)
    st.radio("You are answering as", ["A business", "A resident"], index=None)
    sent = st.form_submit_button("Send my view")
if sent:
    st.success("Thank you: your view is recorded. Reference FLOOR.")
