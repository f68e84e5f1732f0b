"""The naive way, for comparison: plotly express with the unsimplified source LAD boundaries inline."""

import streamlit as st

from lisdash.content import load_content
from lisdash.store import Store
from lisdash_dev import bench

store, content = Store.open(), load_content()
cluster = st.selectbox("Cluster", [c.id for c in content.clusters], key="cluster", bind="query-params")
st.plotly_chart(bench.naive_figure(store, content, cluster, "national_lad", bench.raw_layer("national_lad")))
