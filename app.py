"""lisdash: the West Midlands Local Industrial Strategy cluster dashboard (Streamlit entry point)."""

import streamlit as st

from lisdash import serverlog, webapp

st.set_page_config(page_title="lisdash: West Midlands clusters", page_icon="🗺️", layout="wide")
serverlog.configure()

PRESENT = st.Page("pages/present.py", title="Present", url_path="present")
PAGES = [
    st.Page("pages/overview.py", title="UK heat map", default=True),
    st.Page("pages/cluster.py", title="Cluster map", url_path="cluster"),
    st.Page("pages/commitments.py", title="Commitments", url_path="commitments"),
    st.Page("pages/profile.py", title="Area profile", url_path="profile"),
    st.Page("pages/trends.py", title="Trends and compare", url_path="trends"),
    st.Page("pages/methods.py", title="Data and methods", url_path="methods"),
    PRESENT,
    st.Page("pages/respond.py", title="Have your say", url_path="respond"),
    st.Page("pages/admin.py", title="Consultation admin", url_path="admin", visibility="hidden"),
]
presenting = st.query_params.get("mode") == "present"
page = st.navigation(PAGES, position="hidden" if presenting else "top")  # before the first start's wait
webapp.ensure_store()
webapp.prepare_database()
webapp.styles("base")
if not presenting:
    webapp.styles("dashboard")
if presenting and page.url_path != "present":
    st.switch_page(PRESENT, query_params=st.query_params.to_dict())
webapp.run_safely(page)
