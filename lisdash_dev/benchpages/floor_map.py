"""Floor of the stack: a page with a one-polygon choropleth_map (white background, offline)."""

import plotly.express as px
import streamlit as st

square = {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "a", "geometry": {
    "type": "Polygon", "coordinates": [[[-2, 52], [-1.5, 52], [-1.5, 52.5], [-2, 52.5], [-2, 52]]]}}]}
fig = px.choropleth_map(geojson=square, locations=["a"], color=[1], map_style="white-bg",
                        center={"lat": 52.25, "lon": -1.75}, zoom=7)
st.plotly_chart(fig)
