// The class question's grids on a phone (pages/class_question.py): every grid of the exercise drawn as cells
// with their values, side by side where the width allows; in the grid a cell question asks about, each cell is a
// button a finger can hit (at least 44 px), named "row r, column c: value" for screen readers. A tap sends the
// cell to the server (trigger "cell": {grid, row, col}); the server answers with the picked cell outlined.
// No state of its own: every mount draws what the server sent. Words come in `data.words` (the catalogs).
const AnswerTap = (() => {
  const { el, fmt, makeScale } = ViewKit;

  function show(v, decimals) {
    return Number(v).toFixed(decimals).replace("-", "\u2212");
  }

  function gridOf(spec, index, data, send) {
    const rows = spec.values.length;
    const cols = rows ? spec.values[0].length : 0;
    const flat = spec.values.flat();
    const colour = makeScale(data.palette, Math.min(...flat), Math.max(...flat));
    const same = (cell, r, c) => Array.isArray(cell) && cell[0] === r && cell[1] === c;
    const rowIndex = spec.rowIndex !== false;
    const cells = [];
    if (rowIndex) cells.push(el("span", { class: "at-index", "aria-hidden": "true" }));
    for (let c = 0; c < cols; c++) cells.push(el("span", { class: "at-index", "aria-hidden": "true", text: String(c) }));
    for (let r = 0; r < rows; r++) {
      if (rowIndex) cells.push(el("span", { class: "at-index", "aria-hidden": "true", text: String(r) }));
      for (let c = 0; c < cols; c++) {
        const v = spec.values[r][c];
        const name = fmt(data.words.cell, { row: r, col: c, value: show(v, spec.decimals) });
        const { background, color } = colour(v);
        const marks = [same(spec.mark, r, c) && "at-mark", same(spec.picked, r, c) && "at-picked",
          same(spec.right, r, c) && "at-right"].filter(Boolean).join(" ");
        const attrs = { class: `at-cell ${marks}`, style: `background:${background};color:${color}`,
          "data-row": r, "data-col": c, text: show(v, spec.decimals) };
        if (spec.tap && !data.disabled) {
          cells.push(el("button", { ...attrs, type: "button", "aria-label": name,
            "aria-pressed": same(spec.picked, r, c) ? "true" : "false",
            onclick: () => send("cell", { grid: index, row: r, col: c }) }));
        } else {
          cells.push(el("div", { ...attrs, role: "img", "aria-label": name }));
        }
      }
    }
    const columns = `${rowIndex ? "auto " : ""}repeat(${cols}, var(--at-cell))`;
    const body = el("div", { class: `at-grid${spec.tap && !data.disabled ? " at-tap" : ""}`,
      role: "group", "aria-label": spec.title, style: `grid-template-columns:${columns}` }, cells);
    return el("figure", { class: "at-figure" }, el("figcaption", { text: spec.title }), body);
  }

  function draw(root, data, send) {
    const parts = data.grids.map((spec, i) => gridOf(spec, i, data, send));
    if (data.hint) parts.push(el("p", { class: "at-hint", text: data.hint }));
    root.replaceChildren(...parts);
    root.classList.toggle("kit-present", Boolean(data.presenting));
  }

  return { draw };
})();

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let root = parentElement.querySelector(".at-root");
  if (!root) {
    root = ViewKit.el("div", { class: "kit-root at-root" });
    parentElement.appendChild(root);
  }
  AnswerTap.draw(root, data, setTriggerValue);
}
