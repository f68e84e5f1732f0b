"""Tiny Streamlit scripts the benchmark serves: the stack's floor and the naive map."""
