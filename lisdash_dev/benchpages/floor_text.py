"""Floor of the stack: a page with one line of text."""

import streamlit as st

st.write("lisdash benchmark floor: one line of text")
