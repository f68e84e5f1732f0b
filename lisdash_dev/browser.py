"""Drive the app in headless Chromium: run it on loopback, wait for maps to paint (tests and benchmark)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from lisdash.config import REPO
from lisdash.serving.supervise import answers_health

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = REPO / "tests" / "artifacts"
MAP_CANVAS = ".js-plotly-plot .maplibregl-canvas"
# a clickable map's title: shown above it as page text, and kept in its figure's meta (`lisdash.figures.heading`)
TITLE_JS = "() => document.querySelector('.js-plotly-plot')._fullLayout.meta.title"
# Streamlit's own record of the script run: 'initial', 'running', 'notRunning' (its status widget never shows here)
SCRIPT_STATE_JS = "document.querySelector('[data-testid=\"stApp\"]').getAttribute('data-test-script-state')"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, seconds: float = 60, proc: subprocess.Popen | None = None) -> None:
    """Wait until a Streamlit server answers its health check."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the Streamlit server at {base} exited with code {proc.returncode}")
        if answers_health(base):
            return
        time.sleep(0.3)
    raise RuntimeError(f"the Streamlit server at {base} did not start within {seconds:.0f} s")


@contextmanager
def serve(script: Path = REPO / "app.py", env: dict[str, str] | None = None, cwd: Path = REPO,
          port: int | None = None, wait: float = 60, log: Path | None = None):
    """A Streamlit server for a script on 127.0.0.1; yields its base URL and process id (output to `log`)."""
    port = port or free_port()
    full_env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", **(env or {})}
    output = log.open("w") if log else subprocess.DEVNULL
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=cwd, env=full_env, stdout=output, stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, wait, proc)
        yield base, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        if log:
            output.close()


@contextmanager
def app_server(script: Path = REPO / "app.py", env: dict[str, str] | None = None):
    """A Streamlit server for the app on 127.0.0.1; yields its base URL."""
    with serve(script, env) as (base, _):
        yield base


def offline_page(browser, base: str, blocked: list[str], width: int = 1400, height: int = 1000):
    """A page that aborts (and records) every request to any host but the app's own."""
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    page = context.new_page()

    def route(r):
        if r.request.url.startswith(base) or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return page


def wait_for_map(page, timeout: float = 60_000) -> None:
    """Wait until a map canvas is on screen and plotly has finished drawing its areas.

    Streamlit's `st.plotly_chart` draws a new chart twice: hidden at plotly's own size, then at its column's
    width (which it writes into the layout); only the second drawing is shown, so only it counts. A live map
    (`webapp.livemap`) is drawn once, at its column's width.
    """
    page.wait_for_selector(MAP_CANVAS, timeout=timeout)
    page.wait_for_function(
        """() => [...document.querySelectorAll('.js-plotly-plot')].some(p =>
               p.layout && (p.classList.contains('lisdash-map') || p.layout.width !== undefined) &&
               p._fullLayout && p._fullLayout.map && p._fullLayout.map._subplot &&
               p._fullLayout.map._subplot.map && p._fullLayout.map._subplot.map.loaded() &&
               p._fullLayout.map._subplot.map.areTilesLoaded())""",
        timeout=timeout,
    )


def map_title(page) -> str:
    """The title of the first plotly map on the page."""
    return page.evaluate(TITLE_JS)


def red_pixels(png: bytes) -> int:
    """How many pixels of a screenshot are map reds (the LQ >= 1 classes)."""
    from io import BytesIO

    import numpy as np
    from PIL import Image

    rgb = np.asarray(Image.open(BytesIO(png)).convert("RGB")).astype(int)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    return int(((r > 150) & (g < 160) & (b < 150) & (r - g > 60)).sum())


def project(page, lon: float, lat: float) -> tuple[float, float]:
    """Screen position of a longitude/latitude on the first map."""
    box = page.locator(MAP_CANVAS).first.bounding_box()
    x, y = page.evaluate(
        "([lon, lat]) => { const m = document.querySelector('.js-plotly-plot')._fullLayout.map._subplot.map;"
        " const p = m.project([lon, lat]); return [p.x, p.y]; }", [lon, lat])
    return box["x"] + x, box["y"] + y


def settle(page, timeout: float = 60_000) -> None:
    """Wait until the page's script run has finished and what it drew has stopped changing."""
    page.wait_for_selector('[data-testid="stMain"] [data-testid="stElementContainer"]', timeout=timeout)
    page.wait_for_function(f"() => {SCRIPT_STATE_JS} === 'notRunning'", timeout=timeout)
    page.wait_for_timeout(1500)


def count_script_runs(page) -> None:
    """From now on, count the script runs the page starts (read with `script_runs`)."""
    page.evaluate(f"""() => {{ window.scriptRuns = 0;
      new MutationObserver(() => {{ if ({SCRIPT_STATE_JS} === 'running') window.scriptRuns++; }})
        .observe(document.querySelector('[data-testid="stApp"]'),
                 {{attributes: true, attributeFilter: ['data-test-script-state']}}); }}""")


def script_runs(page) -> int:
    """How many script runs the page has started since `count_script_runs`."""
    return page.evaluate("() => window.scriptRuns")


def axe_violations(page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """axe-core's violations of the given impacts on the page, one line each (rule, impact, first targets). Read
    once no script runs and nothing is faded as stale (a rerun's faded elements are not the page's colours)."""
    import axe_playwright_python

    page.wait_for_function(f"() => {SCRIPT_STATE_JS} === 'notRunning'"
                           " && !document.querySelector('[data-stale=\"true\"]')", timeout=60_000)
    page.wait_for_timeout(300)  # the fade back to full colour

    page.add_script_tag(path=str(Path(axe_playwright_python.__file__).parent / "axe.min.js"))
    return page.evaluate(
        """(impacts) => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
             .filter(v => impacts.includes(v.impact))
             .map(v => `${v.id} (${v.impact}, ${v.nodes.length}): ${v.nodes.slice(0, 3)
                 .map(n => n.target.join(' ')).join(' | ')}`))""", list(impacts))


TextBox = tuple[str, float, float, float, float]  # text, left, top, right, bottom in page pixels


def annotation_boxes(page, title_part: str = "", timeout: float = 60_000) -> list[TextBox]:
    """The texts written on the first plotly figure whose title holds `title_part`, once it is drawn, their
    lines joined by spaces, with their boxes."""
    find = """(part) => [...document.querySelectorAll('.js-plotly-plot')].find(
        p => p._fullLayout && String((p._fullLayout.meta || {}).title || p._fullLayout.title.text || '').includes(part)
             && p.querySelector('.annotation-text'))"""
    page.wait_for_function(f"(part) => !!({find})(part)", arg=title_part, timeout=timeout)
    return [tuple(box) for box in page.evaluate(
        f"""(part) => [...({find})(part).querySelectorAll('.annotation-text')].map(t => {{
              const lines = [...t.querySelectorAll('tspan.line')].map(l => l.textContent);
              const r = t.getBoundingClientRect();
              return [lines.length ? lines.join(' ') : t.textContent, r.left, r.top, r.right, r.bottom]; }})""",
        title_part)]


def overlapping(boxes: list[TextBox]) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes overlap."""
    return [(a[0], b[0]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]]


CUT_OFF_CANDIDATES = ", ".join(["table td", "table th", '[data-testid="stMetricLabel"]',
                                '[data-testid="stMetricLabel"] *', '[data-testid="stPageLink"] *',
                                '[data-testid="stCaptionContainer"]'])


def clipped_text(page) -> list[str]:
    """Table cells, card labels, page links and captions whose text is wider than its box (cut off, or ending
    in "…"), and a figure's text (titles, source lines, labels) running past the figure's edges, by their text."""
    return page.evaluate(
        f"""() => [...document.querySelectorAll('{CUT_OFF_CANDIDATES}')]
             .filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.innerText.slice(0, 60))
           .concat([...document.querySelectorAll('.js-plotly-plot')].flatMap(p => {{
             const f = p.getBoundingClientRect();
             return [...p.querySelectorAll('svg text')].filter(t => {{ const r = t.getBoundingClientRect();
               return r.width > 0 && (r.right > f.right + 1 || r.left < f.left - 1 || r.top < f.top - 1
                                      || r.bottom > f.bottom + 1); }})
               .map(t => t.textContent.slice(0, 60)); }}))""")


def smallest_text(page) -> list[tuple[float, str]]:
    """The five smallest font sizes (px) of visible text on screen (HTML and plotly's SVG), with the text."""
    return page.evaluate(
        """() => {
          const seen = [];
          const visible = r => r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0
                               && r.left < innerWidth && r.top < innerHeight;
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            const node = walker.currentNode, el = node.parentElement, text = node.textContent.trim();
            if (!text || !el || el.closest('style, script, [aria-hidden="true"]')) continue;
            const style = getComputedStyle(el);
            if (style.visibility === 'hidden' || style.display === 'none' || +style.opacity === 0) continue;
            if (!visible(el.getBoundingClientRect())) continue;
            seen.push([parseFloat(style.fontSize), text.slice(0, 50)]);
          }
          return seen.sort((a, b) => a[0] - b[0]).slice(0, 5);
        }""")
