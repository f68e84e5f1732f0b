// A live count under a text box ("1,234 / 2,000 characters"), in red, saying how much to cut, once over the limit.
// The box itself takes whatever is typed or pasted: nothing is cut or dropped in the browser.
const FORMAT = new Intl.NumberFormat("en-GB");

function counted(box, limit) {
  const length = [...box.value.trim()].length;
  const over = length - limit;
  return {
    text: over > 0
      ? `${FORMAT.format(length)} / ${FORMAT.format(limit)} characters: ${FORMAT.format(over)} over the limit`
      : `${FORMAT.format(length)} / ${FORMAT.format(limit)} characters`,
    over: over > 0,
  };
}

function attach(box, limit) {
  let line = box.lisdashCount;
  if (!line) {
    line = document.createElement("p");
    line.className = "lisdash-count";
    line.setAttribute("aria-live", "polite");
    box.closest('[data-testid="stTextArea"]').appendChild(line);
    box.lisdashCount = line;
    box.addEventListener("input", () => attach(box, limit));
  }
  const { text, over } = counted(box, limit);
  line.textContent = text;
  line.classList.toggle("lisdash-count-over", over);
}

export default function ({ data }) {
  const find = (tries) => {
    const box = document.querySelector(`.st-key-${data.key} textarea`);
    if (box) attach(box, data.limit);
    else if (tries > 0) requestAnimationFrame(() => find(tries - 1));
  };
  find(120);
}
