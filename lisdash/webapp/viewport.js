// The presenting screen's size, reported to the server on load and after a resize (debounced), so slides are
// laid out to fit it: nothing on a slide scrolls.
export default function ({ setStateValue }) {
  const report = () => setStateValue("size", [window.innerWidth, window.innerHeight]);
  if (!window.lisdashViewport) {
    window.lisdashViewport = true;
    let pending = null;
    window.addEventListener("resize", () => {
      clearTimeout(pending);
      pending = setTimeout(report, 250);
    });
  }
  report();
}
