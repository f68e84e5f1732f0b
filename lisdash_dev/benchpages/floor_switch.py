"""Floor of the stack for a switch: a drop-down and a one-polygon choropleth_map whose value it sets."""

import plotly.express as px
import streamlit as st

square = {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "a", "geometry": {
    "type": "Polygon", "coordinates": [[[-2, 52], [-1.5, 52], [-1.5, 52.5], [-2, 52.5], [-2, 52]]]}}]}
value = st.selectbox("Value", ["one", "two"])
fig = px.choropleth_map(geojson=square, locations=["a"], color=[1 if value == "one" else 2], map_style="white-bg",
                        center={"lat": 52.25, "lon": -1.75}, zoom=7, range_color=[0, 3])
st.plotly_chart(fig)
