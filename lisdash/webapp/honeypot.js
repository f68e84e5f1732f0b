// A field only form-filling robots see: off-screen from its very first frame (its own inline style, not a style
// sheet that arrives later), skipped by the keyboard and by screen readers. Anything typed into it marks the
// session, whose sends are then refused.
export default function ({ parentElement, setStateValue }) {
  if (parentElement.querySelector("input")) return;
  const field = document.createElement("input");
  field.type = "text";
  field.name = "website";
  field.autocomplete = "off";
  field.tabIndex = -1;
  field.setAttribute("aria-hidden", "true");
  field.style.cssText = "position:absolute;left:-10000px;top:0;width:1px;height:1px;overflow:hidden;";
  field.addEventListener("input", () => setStateValue("filled", field.value.length > 0));
  parentElement.appendChild(field);
}
