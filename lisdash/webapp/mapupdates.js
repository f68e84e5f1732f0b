// How a drawn map takes plotly.js's updates without wasted work in software rendering (a venue laptop without a
// graphics driver spends about 0.15 s on every frame of the national map).
//
// Recolouring in place. A cluster switch changes the areas' colours, not their shapes. Plotly.js hands MapLibre the
// areas anew on every update (setData), and MapLibre cut all of them into tiles again in its worker. Here the areas'
// features are numbered as they are tiled; an update that brings the same shapes in the same order sets the new
// colours as feature state instead (the areas' paint reads the state first), so nothing is tiled again.
//
// One frame per update. While plotly.js updates a drawn map, the map draws nothing until the new data of every
// source it was handed is tiled (at most HOLD_MS): otherwise it drew the new colours with the old uncertainty dots,
// then once more for each step of the dots' arrival. A new map likewise draws once its tiles are all in: the frame
// after plotly.js adds its sources asks for their tiles, and the map then waits for them instead of drawing the
// areas piece by piece as each tile arrives.
const STATE_KEYS = ["fc", "mo", "mo2"];  // plotly.js's per-area fill colour and opacities
const STATE_PAINT = ["fill-color", "fill-opacity", "line-opacity"];
const HOLD_MS = 1500;

function mapOf(chart) {
  const subplot = chart._fullLayout && chart._fullLayout.map && chart._fullLayout.map._subplot;
  return subplot ? subplot.map : null;
}

function isAreas(data) {
  return Boolean(data && data.type === "FeatureCollection" && data.features.length
    && data.features.every((f) => f.properties && typeof f.properties.fc === "string"));
}

function numbered(data) {
  return { type: "FeatureCollection",
    features: data.features.map((f, i) => ({ type: "Feature", id: i, geometry: f.geometry, properties: f.properties })) };
}

// Same shapes in the same order, differing only in what feature state carries (`ct`, the centroid, follows the shape).
function onlyRecoloured(tiled, features) {
  return Boolean(tiled) && tiled.length === features.length && features.every((f, i) => {
    const was = tiled[i];
    const keys = Object.keys(f.properties);
    return f.geometry === was.geometry && keys.length === Object.keys(was.properties).length
      && keys.every((k) => k === "ct" || (STATE_KEYS.includes(k) ? k in was.properties
        : f.properties[k] === was.properties[k]));
  });
}

function statePaint(name, value) {
  return STATE_PAINT.includes(name) && value && value.type === "identity" && STATE_KEYS.includes(value.property)
    ? ["coalesce", ["feature-state", value.property], ["get", value.property]] : value;
}

// The map's repaints, held until the sources handed over meanwhile (`waiting`) are tiled. A source's data goes to
// the worker ("indexing"); a new source then needs one frame to ask for its tiles ("asking"), an updated one has
// its tiles asked for again at once; then its tiles are cut ("tiling"). The hold ends when all are loaded.
function repaintHold(map) {
  const repaint = map.triggerRepaint.bind(map);
  const waiting = new Map();  // source id -> {step, added}
  let held = false;
  let missed = false;
  let timer = null;
  const release = () => {
    held = false;
    waiting.clear();
    clearTimeout(timer);
    if (missed) { missed = false; repaint(); }
  };
  const start = () => {
    if (held) return;
    held = true;
    timer = setTimeout(release, HOLD_MS);
  };
  const settle = () => {
    if ([...waiting].every(([id, w]) => w.step === "tiling" && map.isSourceLoaded(id))) release();
  };
  map.triggerRepaint = () => { if (held) missed = true; else repaint(); };
  map.on("sourcedata", (event) => {
    const w = waiting.get(event.sourceId);
    if (!held || !w) return;
    if (w.step === "indexing" && event.sourceDataType === "content") {
      w.step = w.added ? "asking" : "tiling";
      if (w.added) repaint();
    }
    settle();
  });
  map.on("render", () => {
    if (!held) return;
    waiting.forEach((w) => { if (w.step === "asking") w.step = "tiling"; });
    settle();
  });
  return {
    hold() {  // an update of a drawn map begins
      start();
      // plotly.js updates its sources within the same task; if it handed over none, there is nothing to wait for
      setTimeout(() => { if (!waiting.size) release(); }, 0);
    },
    sent(sourceId, added) {
      if (added) start();
      if (held) waiting.set(sourceId, { step: "indexing", added });
    },
  };
}

function updatesOf(map) {
  if (map.lisdashUpdates) return map.lisdashUpdates;
  const holding = repaintHold(map);
  const tiled = {};  // source id -> the area features last tiled
  const addSource = map.addSource.bind(map);
  map.addSource = (id, spec) => {
    if (spec.type !== "geojson") return addSource(id, spec);
    const areas = isAreas(spec.data);
    holding.sent(id, true);
    addSource(id, areas ? { ...spec, data: numbered(spec.data) } : spec);
    if (areas) tiled[id] = spec.data.features; else delete tiled[id];
    const source = map.getSource(id);
    const setData = source.setData.bind(source);
    source.setData = (data) => {
      const areasNow = isAreas(data);
      if (areasNow && onlyRecoloured(tiled[id], data.features)) {
        data.features.forEach((f, i) => {
          const state = {};
          STATE_KEYS.forEach((k) => { if (k in f.properties) state[k] = f.properties[k]; });
          map.setFeatureState({ source: id, id: i }, state);
        });
        return source;
      }
      if (tiled[id]) map.removeFeatureState({ source: id });
      holding.sent(id, false);
      if (!areasNow) { delete tiled[id]; return setData(data); }
      tiled[id] = data.features;
      return setData(numbered(data));
    };
    return map;
  };
  const addLayer = map.addLayer.bind(map);
  map.addLayer = (layer, before) => {
    if (!layer.paint || !tiled[layer.source]) return addLayer(layer, before);
    const paint = {};
    Object.keys(layer.paint).forEach((name) => { paint[name] = statePaint(name, layer.paint[name]); });
    return addLayer({ ...layer, paint }, before);
  };
  const setPaintProperty = map.setPaintProperty.bind(map);
  map.setPaintProperty = (layerId, name, value, options) => {
    const layer = map.getLayer(layerId);
    return setPaintProperty(layerId, name, layer && tiled[layer.source] ? statePaint(name, value) : value, options);
  };
  map.lisdashUpdates = holding;
  return holding;
}
