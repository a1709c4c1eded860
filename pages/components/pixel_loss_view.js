// The per-pixel loss lesson drawn in the browser: the editable label grid and one score grid per class
// (grid_widget.js), the loss map with its numbers, the mean loss, the chosen pixel's softmax, and the presets.
// Every number comes from PixelLossMath (pixel_loss_math.js, checked against PyTorch); every word from
// data.words (the message catalogs). The server hears the state 500 ms after the last change, only when it
// differs from what it holds (a `pixelwise:state` event that the fragment's state_sync.js passes on, so no
// push resends this component); "Use the patch classifier's scores" asks it for the
// real scores (setTriggerValue "preset"), since the classifier lives on the server.

const APPS = new WeakMap();
const SYNC_MS = 500;

const { el, fmt, markdown, hexToRgb, readable, makeScale } = ViewKit;

// How a loss is written in its cell: 2 decimals, compact when huge (a confident wrong pixel reaches 1e6).
function num(v, decimals = 2) {
  if (Math.abs(v) >= 1e4) return v.toExponential(2).replace("e+", "e");
  return v.toFixed(decimals);
}

const copy = value => JSON.parse(JSON.stringify(value));

function createApp(root, first, setStateValue, setTriggerValue) {
  let data = first;
  const w = key => (data.words[key] !== undefined ? data.words[key] : key);
  const t = (key, params) => fmt(w(key), params);
  const M = PixelLossMath;
  const classes = data.classes; // [{name, colour}]

  let state = copy(first.initial); // {labels H×W, logits C×H×W, row, col}
  const sender = ViewKit.stateSender(setStateValue, SYNC_MS, JSON.stringify(state)); // debounced, never twice
  let stamp = first.stamp; // bumped by the server when it replaces the grids (a preset it computed)

  const shell = el("div", { class: "kit-root pl-root" });
  shell.style.setProperty("--pl-highlight", data.palette.highlight);
  root.append(shell);

  // ------------------------------------------------------------------ built once: presets, grids, outputs
  const classifierButton = el("button", { type: "button", class: "pl-preset", "data-preset": "classifier",
    title: w("per_pixel_loss.4_4_crop_generated_pasture"), text: w("per_pixel_loss.use_patch_classifier_s_scores") });
  const resetButton = el("button", { type: "button", class: "pl-preset", "data-preset": "example", text: w("per_pixel_loss.reset_example") });
  const waiting = el("span", { class: "pl-caption", role: "status", "aria-live": "polite" });
  const legend = classes.map((c, k) => `${k} = ${c.name}`).join(", ");
  const labelHost = el("div", { class: "pl-grid-host" });
  const scoreHosts = classes.map(() => el("div", { class: "pl-grid-host" }));
  const inputNote = el("div", { class: "pl-warning", role: "status", "aria-live": "polite" });
  const outputs = el("div", { class: "pl-outputs" });

  shell.append(
    el("div", { class: "pl-presets" }, classifierButton, resetButton, waiting),
    el("h3", { text: w("per_pixel_loss.input_true_labels_class_scores") }),
    el("div", { class: "pl-panel" }, el("div", { class: "pl-label", text: t("per_pixel_loss.input_1_true_label_per", { legend }) }), labelHost),
    el("div", { class: "pl-prose", html: markdown(w("per_pixel_loss.input_2_class_scores_logits")) }),
    el("div", { class: "pl-scores" }, classes.map((c, k) => el("div", { class: "pl-panel" },
      el("div", { class: "pl-label" }, el("span", { class: "pl-swatch", style: `background:${c.colour}` }), t("per_pixel_loss.score", { name: c.name })),
      scoreHosts[k]))),
    el("p", { class: "pl-caption", text: w("per_pixel_loss.js.editor_help") }),
    inputNote, outputs);

  const labelColour = v => {
    const c = classes[v];
    return c ? { background: c.colour, color: readable(hexToRgb(c.colour)) } : null;
  };
  const gridOptions = extra => Object.assign({ words: data.words, format: fmt, maxSide: 8, resizable: false, buttons: false }, extra);
  const labelGrid = GridWidget.create(labelHost, gridOptions({
    label: w("per_pixel_loss.js.label_grid"), values: state.labels, colour: labelColour,
    onChange: v => edited({ labels: v }, labelGrid),
  }));
  const scoreGrids = classes.map((c, k) => GridWidget.create(scoreHosts[k], gridOptions({
    label: t("per_pixel_loss.score", { name: c.name }), values: state.logits[k],
    onChange: v => { const logits = state.logits.map(g => g.map(r => [...r])); logits[k] = v; edited({ logits }, scoreGrids[k]); },
  })));

  // An edit the loss cannot use (a label 7, 1.5) is named under the grids and undone; the rest is drawn.
  function edited(change, grid) {
    const next = Object.assign({}, state, change);
    try {
      M.crossEntropy(next.logits, next.labels);
    } catch (error) {
      if (!error.key) throw error;
      inputNote.textContent = t("per_pixel_loss.js.cell_refused", { error: t(error.key, error.params) });
      inputNote.hidden = false;
      grid.set(grid === labelGrid ? state.labels : state.logits[scoreGrids.indexOf(grid)]);
      return;
    }
    inputNote.hidden = true;
    state = next;
    changed();
  }

  function pick(row, col, focusMap = true) {
    state.row = row;
    state.col = col;
    changed();
    const cell = outputs.querySelector(`.pl-map [data-row="${row}"][data-col="${col}"]`);
    if (cell && focusMap) cell.focus();
  }

  resetButton.addEventListener("click", () => { inputNote.hidden = true; replace(copy(data.presets.example)); changed(); });
  classifierButton.addEventListener("click", () => {
    sender.cancel(); // an edit still waiting to be sent must not arrive after the preset
    waiting.textContent = w("per_pixel_loss.js.loading_classifier");
    setTriggerValue("preset", "classifier");
  });

  // ------------------------------------------------------------------ drawing what the grids give
  function heatmap(values, colour, label, chosen) {
    const grid = el("div", { class: "pl-grid pl-map", role: "grid", "aria-label": label, style: `--cols:${values[0].length}` });
    values.forEach((row, r) => grid.append(el("div", { role: "row", class: "pl-row" }, row.map((v, c) => {
      const here = chosen[0] === r && chosen[1] === c;
      const style = colour(v);
      return el("div", { role: "gridcell", class: `pl-cell${here ? " pl-hot" : ""}`, "data-row": r, "data-col": c,
        "data-value": String(v), tabindex: here ? 0 : -1, "aria-selected": here ? "true" : null,
        style: `background:${style.background};color:${style.color}`, text: num(v) });
    }))));
    grid.addEventListener("click", e => {
      const cell = e.target.closest("[role=gridcell]");
      if (cell) pick(Number(cell.dataset.row), Number(cell.dataset.col));
    });
    grid.addEventListener("keydown", e => {
      const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
      if (!moves[e.key]) return;
      e.preventDefault();
      pick(Math.max(0, Math.min(values.length - 1, chosen[0] + moves[e.key][0])),
        Math.max(0, Math.min(values[0].length - 1, chosen[1] + moves[e.key][1])));
    });
    return grid;
  }

  function bars(probabilities, trueClass, title) {
    const chart = el("div", { class: "pl-bars", role: "list", "aria-label": title });
    probabilities.forEach((p, k) => {
      const name = k === trueClass ? `${classes[k].name} (${w("per_pixel_loss.true_class")})` : classes[k].name;
      chart.append(el("div", { class: `pl-bar${k === trueClass ? " pl-true" : ""}`, role: "listitem", "data-class": k, "data-value": String(p) },
        el("span", { class: "pl-bar-track" }, el("span", { class: "pl-bar-value", text: p.toFixed(3) }),
          el("span", { class: "pl-bar-fill", style: `height:calc(${p.toFixed(4)} * var(--bar-h));background:${classes[k].colour}` })),
        el("span", { class: "pl-bar-name", text: name })));
    });
    return el("figure", { class: "pl-figure" }, el("figcaption", { class: "pl-softmax-title", text: title }),
      el("div", { class: "pl-axis", text: w("per_pixel_loss.probability") }), chart);
  }

  function pixelField(key, value, limit, set) {
    const input = el("input", { type: "number", min: 0, max: limit, step: 1, value, "data-key": key });
    input.addEventListener("change", () => {
      const n = Math.round(Number(input.value));
      if (input.value !== "" && Number.isFinite(n)) set(Math.max(0, Math.min(limit, n)));
    });
    return el("label", { class: "pl-number" }, el("span", { text: w(key) }), input);
  }

  function render() { // a drawing that fails says why instead of leaving the lesson blank
    try {
      draw();
    } catch (error) {
      outputs.replaceChildren(el("div", { class: "pl-warning", role: "alert",
        text: t("per_pixel_loss.these_grids_cannot_compared_press", { error: error.key ? t(error.key, error.params) : String(error) }) }));
    }
  }

  function draw() {
    const started = performance.now();
    const result = M.crossEntropy(state.logits, state.labels); // the grids are checked before they are kept
    const h = state.labels.length, wd = state.labels[0].length;
    const parts = [el("h3", { text: w("per_pixel_loss.output_loss_every_pixel") }),
      el("div", { class: "pl-prose", html: markdown(data.texts.loss) })];
    let [row, col] = [state.row, state.col];
    if (row >= h || col >= wd) {
      parts.push(el("div", { class: "pl-warning", text: t("per_pixel_loss.pixel_outside_grid_showing_last", { row, col, height: h, width: wd }) }));
      row = Math.min(row, h - 1);
      col = Math.min(col, wd - 1);
    }
    parts.push(el("div", { class: "pl-pick" },
      pixelField("per_pixel_loss.chosen_pixel_row", row, h - 1, r => pick(r, col, false)),
      pixelField("per_pixel_loss.chosen_pixel_column", col, wd - 1, c => pick(row, c, false)),
      el("div", { class: "pl-metric", title: w("per_pixel_loss.number_training_minimises_nats_natural") },
        el("div", { class: "pl-metric-label", text: w("per_pixel_loss.mean_loss_over_all_pixels") }),
        el("div", { class: "pl-metric-value", "data-value": String(result.mean), text: result.mean.toFixed(4) }),
        el("div", { class: "pl-caption", text: w("per_pixel_loss.number_training_minimises_nats_natural") }))));
    const top = Math.max(1, ...result.lossMap.flat());
    const title = w("per_pixel_loss.output_per_pixel_loss_log");
    const probabilities = M.softmaxAt(result, row, col);
    const trueClass = state.labels[row][col];
    parts.push(el("div", { class: "pl-figures" },
      el("figure", { class: "pl-figure" }, el("figcaption", { text: title }),
        heatmap(result.lossMap, makeScale(data.palette.heatmap, 0, top), w("per_pixel_loss.js.loss_grid"), [row, col]),
        el("p", { class: "pl-caption", text: w("per_pixel_loss.js.pick_help") })),
      bars(probabilities, trueClass, t("per_pixel_loss.softmax_pixel_row_col_loss", { row, col,
        probabilities_true_class: probabilities[trueClass], row_col: result.lossMap[row][col] }))));
    outputs.replaceChildren(...parts);
    const scale = makeScale(data.palette.heatmap, ...range(state.logits));
    scoreGrids.forEach(g => g.recolour(scale));
    shell.dataset.drawnMs = (performance.now() - started).toFixed(2);
  }

  function range(grids) {
    let lo = Infinity, hi = -Infinity;
    for (const g of grids) for (const r of g) for (const v of r) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    return [lo, hi];
  }

  // ------------------------------------------------------------------ the state goes to the server, debounced
  function changed() {
    render();
    sender.schedule(() => state);
  }

  function replace(next) {
    state = next;
    labelGrid.set(state.labels);
    state.logits.forEach((g, k) => scoreGrids[k].set(g));
    labelGrid.recolour(labelColour);
  }

  function adopt(next) { // the server's state (a link, its preset): replaces the student's only when it is new
    const text = JSON.stringify(next.initial);
    const fresh = next.stamp !== stamp;
    stamp = next.stamp;
    if (!fresh && (sender.knows(text) || text === JSON.stringify(state))) return false;
    sender.cancel();
    sender.holds(text); // the server holds this one now
    inputNote.hidden = true;
    replace(copy(next.initial));
    return true;
  }

  const api = {
    update(next) {
      data = next;
      shell.classList.toggle("pl-present", !!data.presenting);
      shell.classList.toggle("kit-present", !!data.presenting);
      if (waiting.textContent && next.stamp !== stamp) waiting.textContent = "";
      if (next.presetError) waiting.textContent = next.presetError;
      if (adopt(next)) render();
    },
    destroy() { sender.cancel(); },
  };
  shell.classList.toggle("pl-present", !!data.presenting);
  shell.classList.toggle("kit-present", !!data.presenting);
  inputNote.hidden = true;
  render();
  return api;
}

export default function (component) {
  return ViewKit.mountApp(APPS, component, (root, data) =>
    createApp(root, data, ViewKit.announcer("per-pixel-loss"), component.setTriggerValue));
}
