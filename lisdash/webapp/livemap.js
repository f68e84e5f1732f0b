// A plotly map drawn once and then updated in place: each new figure goes through Plotly.react on the
// same chart, so a cluster switch keeps its MapLibre map instead of building a new one.
function plotlyLoaded(src) {
  if (!window.lisdashPlotly) {
    window.lisdashPlotly = new Promise((resolve, reject) => {
      if (window.Plotly) { resolve(window.Plotly); return; }
      const script = document.createElement("script");
      script.src = src;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => reject(new Error("plotly.js did not load from " + src));
      document.head.appendChild(script);
    });
  }
  return window.lisdashPlotly;
}

// The figure's GeoJSON layers (same-origin URLs), fetched while plotly.js loads into the cache plotly
// reads them from (window.PlotlyGeoAssets), so that drawing does not wait for a second download.
function layersLoaded(figure) {
  const assets = (window.PlotlyGeoAssets = window.PlotlyGeoAssets || { topojson: {} });
  const pending = (window.lisdashLayers = window.lisdashLayers || {});
  const urls = new Set(figure.data.map((trace) => trace.geojson).filter((g) => typeof g === "string"));
  return Promise.all([...urls].map((url) => {
    if (!pending[url]) {
      pending[url] = fetch(url)
        .then((response) => {
          if (!response.ok) throw new Error("the map layer " + url + " did not load (HTTP " + response.status + ")");
          return response.json();
        })
        .then((layer) => { assets[url] = layer; })
        .catch((error) => { delete pending[url]; throw error; });
    }
    return pending[url];
  }));
}

const NO_BACKGROUND = "The street map could not be loaded (it needs an internet connection), so this map is drawn "
  + "without it.";

// Draw `figure` into the chart. When its street-map background cannot be loaded (offline at a venue), draw it on
// the plain background instead and say so; any other failure is left to the caller.
function drawn(Plotly, chart, figure, config, say) {
  return Plotly.react(chart, figure.data, figure.layout, config).then(() => say(""), (error) => {
    const map = figure.layout.map || {};
    if (!map.style || map.style === "white-bg") throw error;
    say(NO_BACKGROUND);
    return Plotly.react(chart, figure.data, { ...figure.layout, map: { ...map, style: "white-bg" } }, config);
  });
}

export default function ({ data, parentElement, setTriggerValue }) {
  let chart = parentElement.querySelector(".lisdash-map");
  if (!chart) {
    chart = document.createElement("div");
    chart.className = "lisdash-map";
    chart.style.width = "100%";
    parentElement.appendChild(chart);
  }
  const say = (text) => {  // a line above the map (plain text), or none
    let note = parentElement.querySelector(".lisdash-map-note");
    if (!text) { if (note) note.remove(); return; }
    if (!note) {
      note = document.createElement("p");
      note.className = "lisdash-map-note";
      note.setAttribute("role", "status");
      parentElement.insertBefore(note, chart);
    }
    note.textContent = text;
  };
  const figure = JSON.parse(data.figure);
  chart.lisdashQueue = (chart.lisdashQueue || Promise.resolve())
    .then(() => Promise.all([plotlyLoaded(data.plotly), layersLoaded(figure)]))
    .then(([Plotly]) => drawn(Plotly, chart, figure, data.config, say))
    .then(() => {
      if (!chart.lisdashClicks) {
        chart.lisdashClicks = true;
        chart.on("plotly_click", (event) => {
          const point = event && event.points && event.points[0];
          if (point && point.location) setTriggerValue("location", String(point.location));
        });
      }
    })
    .catch((error) => say("The map could not be drawn: " + error.message));
}
