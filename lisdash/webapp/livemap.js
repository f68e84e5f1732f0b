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

// Plotly.js removes and re-adds, on every update, the MapLibre layers of every map part that shares its place in
// the layer order (`below`) with another part, re-tiling the areas. So no two parts share a place. A lisdash map
// has the areas (a choroplethmap trace, first), perhaps uncertainty dots (a scattermap trace) and at most one
// layout layer (outlines). On the plain white background each gets a place of its own: two transparent layers
// over the white mark where the dots and the outlines go, so the areas lie under the dots, the dots under the
// outlines, and the outlines on top. (A street-map background keeps plotly's own order.) The style is plotly's
// "white-bg" plus those two layers, its glyphs address included (never fetched: no map text is drawn), so that
// MapLibre can turn one into the other by adding layers.
const PLACES_STYLE = {
  version: 8, sources: {}, glyphs: "https://fonts.openmaptiles.org/{fontstack}/{range}.pbf", layers: [
    { id: "white-bg", type: "background", paint: { "background-color": "#FFFFFF" }, minzoom: 0, maxzoom: 22 },
    { id: "lisdash-dots", type: "background", paint: { "background-opacity": 0 } },
    { id: "lisdash-outlines", type: "background", paint: { "background-opacity": 0 } },
  ],
};

function ownPlaces(figure) {
  const map = figure.layout.map;
  if (!map || map.style !== "white-bg") return figure;
  const [areas, dots] = figure.data;
  map.style = PLACES_STYLE;
  areas.below = "lisdash-dots";
  if (dots) dots.below = "lisdash-outlines";
  (map.layers || []).forEach((layer) => { layer.below = ""; });
  return figure;
}

// Plotly.js resizes the map on every update, and resizing a canvas, even to its own size, clears it (MapLibre
// then draws the old areas once more: a wasted frame, costly under software rendering on a venue laptop). The map
// is resized only when its box has changed.
function resizedOnlyWhenChanged(chart) {
  const map = mapOf(chart);
  if (map.lisdashResize) return;
  const resize = map.resize.bind(map);
  map.lisdashResize = true;
  map.resize = (eventData) => {
    const canvas = map.getCanvas();
    const box = map.getContainer();
    const same = canvas.style.width === box.clientWidth + "px" && canvas.style.height === box.clientHeight + "px";
    return same ? map : resize(eventData);
  };
}

const NO_BACKGROUND = "The street map could not be loaded (it needs an internet connection), so this map is drawn "
  + "without it.";

// Draw `figure` into the chart. When its street-map background cannot be loaded (offline at a venue), draw it on
// the plain background instead and say so; any other failure is left to the caller. A figure on another background
// than the chart's gets a new map: plotly.js would keep the outline layer the old background took away with it.
function drawn(Plotly, chart, figure, config, say) {
  const draw = (fig) => {
    // the chart's own height is the figure's: a responsive chart takes its box's size, and a box needs a height of
    // its own or the chart collapses under the caption below it
    chart.style.height = fig.layout.height ? fig.layout.height + "px" : "";
    const style = JSON.stringify(fig.layout.map && fig.layout.map.style);
    if (chart.lisdashStyle !== undefined && chart.lisdashStyle !== style) {
      Plotly.purge(chart);
      chart.lisdashClicks = false;
    }
    chart.lisdashStyle = style;
    const before = mapOf(chart);
    if (before) updatesOf(before).hold();
    const drawing = Plotly.react(chart, fig.data, fig.layout, config);
    const made = !before && mapOf(chart);
    if (made) updatesOf(made);  // a map made just now, before plotly.js adds its sources
    return drawing;
  };
  return draw(figure).then(() => say(""), (error) => {
    const map = figure.layout.map || {};
    if (typeof map.style !== "string" || map.style === "white-bg") throw error;
    say(NO_BACKGROUND);
    return draw(ownPlaces({ data: figure.data, layout: { ...figure.layout, map: { ...map, style: "white-bg" } } }));
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
  const figure = ownPlaces(JSON.parse(data.figure));
  chart.lisdashQueue = (chart.lisdashQueue || Promise.resolve())
    .then(() => Promise.all([plotlyLoaded(data.plotly), layersLoaded(figure)]))
    .then(([Plotly]) => drawn(Plotly, chart, figure, data.config, say))
    .then(() => {
      resizedOnlyWhenChanged(chart);
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
