// The upsampling lesson drawn in the browser: settings, the editable input grid, the output heat map, the
// step-through, max unpooling's switches, "compare all six", the notes' tables, the checkerboard counts and
// the transposed views. Every number comes from UpsamplingMath (upsampling_math.js, checked against
// PyTorch); every word from data.words (the message catalogs). The server hears the state 500 ms after the
// last change, never once per keystroke, through the small state_sync.js component of the lesson's fragment
// (a `pixelwise:state` window event): this component itself never sends, so no rerun ever resends it.

const APPS = new WeakMap();
const SYNC_MS = 500;
const NOTES_INPUT = [[1, 2], [3, 4]];
const NOTES_ENCODER = [[1, 2, 6, 3], [3, 5, 2, 1], [1, 2, 2, 1], [7, 3, 4, 8]];
const OPS = ["bed_of_nails", "nearest", "bilinear", "bicubic", "max_unpool", "transposed_conv"];

const { el, fmt, gFormat, markdown, makeScale } = ViewKit;

function range(grids) {
  let lo = Infinity, hi = -Infinity;
  for (const g of grids) for (const row of g) for (const v of row) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  return [lo, hi];
}

// How a number is written in a drawn cell: 2 decimals, compact when large.
function num(v) {
  if (Object.is(v, -0) || Math.abs(v) < 0.005) return "0";
  if (Math.abs(v) >= 1e4) return gFormat(v, 3);
  const s = v.toFixed(2);
  return s.replace(/\.?0+$/, "");
}

// A heat map: a read-only ARIA grid of coloured cells with their numbers. marks[r][c]: "hot" (the cell being
// explained), "src" (a contributor), or an extra small label under the number (a weight).
function heatmap({ values, colour, label, title, marks, notes, onPick, active, decimals, cellClass }) {
  const cols = values[0] ? values[0].length : 0;
  const grid = el("div", { class: "pw-grid", role: "grid", "aria-label": label, style: `--cols:${cols}` });
  values.forEach((row, r) => {
    const line = el("div", { role: "row", class: "pw-row" });
    row.forEach((v, c) => {
      const mark = marks && marks[r] ? marks[r][c] : null;
      const note = notes && notes[r] ? notes[r][c] : null;
      const cell = el("div", {
        role: "gridcell", class: `pw-cell${mark ? ` pw-${mark}` : ""}${cellClass ? ` ${cellClass(r, c) || ""}` : ""}`,
        "data-row": r, "data-col": c, tabindex: onPick ? (active && active[0] === r && active[1] === c ? 0 : -1) : null,
        "aria-selected": onPick && active && active[0] === r && active[1] === c ? "true" : null,
      });
      const shown = decimals === 0 ? String(Math.round(v)) : num(v);
      cell.append(el("span", { class: "pw-value", text: shown }));
      if (note !== null && note !== undefined) cell.append(el("span", { class: "pw-note", text: note }));
      if (colour) {
        const c2 = colour(v);
        cell.style.background = c2.background;
        cell.style.color = c2.color;
      }
      line.append(cell);
    });
    grid.append(line);
  });
  if (onPick) {
    grid.addEventListener("click", e => {
      const cell = e.target.closest("[role=gridcell]");
      if (cell) onPick(Number(cell.dataset.row), Number(cell.dataset.col), false);
    });
    grid.addEventListener("keydown", e => {
      const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
      if (!moves[e.key] || !active) return;
      e.preventDefault();
      const r = Math.max(0, Math.min(values.length - 1, active[0] + moves[e.key][0]));
      const c = Math.max(0, Math.min(cols - 1, active[1] + moves[e.key][1]));
      onPick(r, c, true);
    });
  }
  return el("figure", { class: "pw-panel" }, title ? el("figcaption", { text: title }) : null, grid);
}

function section(title, ...children) {
  return el("section", { class: "pw-section" }, title ? el("h3", { text: title }) : null, ...children);
}

function createApp(root, first, setStateValue) {
  let data = first;
  const words = () => data.words;
  const w = key => (words()[key] !== undefined ? words()[key] : key);
  const t = (key, params) => fmt(w(key), params);
  const M = UpsamplingMath;

  let state = JSON.parse(JSON.stringify(first.initial));
  const sender = ViewKit.stateSender(setStateValue, SYNC_MS, JSON.stringify(state)); // debounced, never twice
  let playing = null;
  let stampCount = null; // how many stamps the transposed-convolution animation has added
  let viewsTab = "zero_insertion";
  let zeroCell = 0;
  let oneD = null; // {row, kernel} as text

  const shell = el("div", { class: "kit-root pw-root" });
  shell.style.setProperty("--pw-highlight", first.palette.highlight);
  shell.style.setProperty("--pw-contributor", first.palette.contributor);
  root.append(shell);

  // ------------------------------------------------------------------ settings (built once, kept)
  const opSelect = el("select", { "aria-label": w("upsampling.operator") },
    OPS.map(name => el("option", { value: name, text: w(`operator.${name}`) })));
  const scaleGroup = el("div", { class: "pw-segmented", role: "radiogroup", "aria-label": w("upsampling.scale_each_side_s") },
    M.SCALES.map(s => el("button", { type: "button", role: "radio", "data-scale": s, text: `×${s}` })));
  const alignBox = el("input", { type: "checkbox" });
  const alignLabel = el("label", { class: "pw-toggle", title: w("upsampling.corner_cells_input_output_coincide") }, alignBox, el("code", { text: "align_corners" }));
  const numberField = (key, lo, hi) => {
    const input = el("input", { type: "number", min: lo, max: hi, step: 1, "data-key": key });
    return { input, label: el("label", { class: "pw-number" }, el("span", { text: w(`upsampling.${key}`) }), input) };
  };
  const fields = { stride: numberField("stride", 1, 4), padding: numberField("padding", 0, 6),
    output_padding: numberField("output_padding", 0, 3), dilation: numberField("dilation", 1, 3) };
  fields.output_padding.label.title = w("upsampling.must_smaller_than_stride_or");

  const opText = el("div", { class: "pw-prose" });
  const inputHost = el("div", { class: "pw-input" });
  const kernelHost = el("div", { class: "pw-kernel" });
  const encoderHost = el("div", { class: "pw-encoder" });
  const settingsNote = el("div", { class: "pw-warning", role: "status" });
  const results = el("div", { class: "pw-results" });

  const scaleRow = el("div", { class: "pw-field" }, el("span", { class: "pw-label", text: w("upsampling.scale_each_side_s") }), scaleGroup);
  const transposedRow = el("div", { class: "pw-fields" }, Object.values(fields).map(f => f.label));
  const kernelTitle = el("div", { class: "pw-label", text: w("upsampling.kernel_learnable_weights") });
  const encoderTitle = el("div", { class: "pw-label" });
  shell.append(
    el("div", { class: "pw-top" },
      el("div", { class: "pw-editor" }, el("div", { class: "pw-label", text: w("upsampling.input_grid") }), inputHost,
        el("p", { class: "pw-caption", text: w("upsampling.js.editor_help") })),
      el("div", { class: "pw-settings" },
        el("label", { class: "pw-field" }, el("span", { class: "pw-label", text: w("upsampling.operator") }), opSelect),
        opText, scaleRow, alignLabel, transposedRow,
        el("div", { class: "pw-kernel-box" }, kernelTitle, kernelHost),
        el("div", { class: "pw-encoder-box" }, encoderTitle, encoderHost))),
    settingsNote, results);

  const gridOptions = extra => Object.assign({ words: words(), format: fmt, onChange: () => {} }, extra);
  const inputGrid = GridWidget.create(inputHost, gridOptions({
    label: w("upsampling.input_grid"), values: state.grid, maxSide: 8, low: 0, high: 9, name: "grid",
    onChange: v => { state.grid = v; fitEncoder(); changed(); },
  }));
  const kernelGrid = GridWidget.create(kernelHost, gridOptions({
    label: w("upsampling.kernel_learnable_weights"), values: state.kernel, maxSide: 5, square: true, low: -2, high: 3,
    onChange: v => { state.kernel = v; changed(); },
  }));
  let encoderGrid = null;

  function defaultEncoder(h, wd, s) {
    if (h === 2 && wd === 2 && s === 2) return NOTES_ENCODER.map(r => [...r]);
    return GridWidget.randomGrid(h * s, wd * s, 0, 9, h * 100 + wd * 10 + s);
  }

  function fitEncoder() { // the encoder grid is (H·s)×(W·s): its default follows the input and the scale
    const want = [state.grid.length * state.scale, state.grid[0].length * state.scale];
    if (!state.encoder || state.encoder.length !== want[0] || state.encoder[0].length !== want[1]) {
      state.encoder = defaultEncoder(state.grid.length, state.grid[0].length, state.scale);
      if (encoderGrid) encoderGrid.set(state.encoder);
    }
  }

  function buildEncoderGrid() {
    encoderHost.replaceChildren();
    encoderGrid = GridWidget.create(encoderHost, gridOptions({
      label: w("upsampling.max_pooling_input_encoder_grid"), values: state.encoder, maxSide: 32, resizable: false, low: 0, high: 9,
      onChange: v => { state.encoder = v; changed(); },
    }));
  }

  opSelect.addEventListener("change", () => { state.op = opSelect.value; stopPlaying(); changed(); });
  scaleGroup.addEventListener("click", e => {
    const b = e.target.closest("[data-scale]");
    if (!b) return;
    state.scale = Number(b.dataset.scale);
    fitEncoder();
    changed();
  });
  alignBox.addEventListener("change", () => { state.align_corners = alignBox.checked; changed(); });
  for (const [key, f] of Object.entries(fields)) {
    f.input.addEventListener("input", () => {
      const n = Math.round(Number(f.input.value));
      if (f.input.value === "" || !Number.isFinite(n)) return;
      state[key] = Math.max(Number(f.input.min), Math.min(Number(f.input.max), n));
      changed();
    });
  }

  function syncControls() {
    opSelect.value = state.op;
    scaleGroup.querySelectorAll("[data-scale]").forEach(b => b.setAttribute("aria-checked", String(Number(b.dataset.scale) === state.scale)));
    alignBox.checked = !!state.align_corners;
    const limit = Math.max(state.stride, state.dilation) - 1;
    state.output_padding = Math.min(state.output_padding, limit);
    fields.output_padding.input.max = limit;
    fields.output_padding.input.disabled = limit === 0;
    for (const [key, f] of Object.entries(fields)) if (document.activeElement !== f.input && root.activeElement !== f.input) f.input.value = state[key];
    const tc = state.op === "transposed_conv";
    scaleRow.hidden = tc;
    alignLabel.hidden = !(state.op === "bilinear" || state.op === "bicubic");
    transposedRow.hidden = !tc;
    kernelTitle.parentElement.hidden = !tc;
    encoderTitle.parentElement.hidden = state.op !== "max_unpool";
    encoderTitle.textContent = t("upsampling.encoder_grid_was_max_pooled", { h_scale: state.grid.length * state.scale, w_scale: state.grid[0].length * state.scale });
    opText.innerHTML = markdown(data.texts[`op-${state.op}`]);
  }

  // ------------------------------------------------------------------ the state goes to the server, debounced
  function changed() {
    syncControls();
    render();
    sender.schedule(() => state);
  }

  function adopt(next) { // the server's state (a link, a preset): replaces the student's only when it is new
    const text = JSON.stringify(next.initial);
    if (sender.knows(text) || text === JSON.stringify(state)) return false;
    state = JSON.parse(text);
    sender.holds(text); // the server holds this one now
    inputGrid.set(state.grid);
    kernelGrid.set(state.kernel);
    fitEncoder();
    if (encoderGrid) encoderGrid.set(state.encoder);
    return true;
  }

  // ------------------------------------------------------------------ computing: the student's settings, else the last that worked
  let lastGood = null;
  function compute() {
    const settings = {
      scale: state.scale, align_corners: state.align_corners, pooled_from: state.encoder, kernel: state.kernel,
      stride: state.stride, padding: state.padding, output_padding: state.output_padding, dilation: state.dilation,
    };
    try {
      const result = M.run(state.op, state.grid, settings);
      lastGood = { op: state.op, settings };
      return { result, settings, refused: null };
    } catch (error) {
      const fallbacks = [];
      if (lastGood && lastGood.op === state.op) fallbacks.push(lastGood.settings);
      fallbacks.push(Object.assign({}, settings, { scale: 2, kernel: [[1, 1, 1], [1, 1, 1], [1, 1, 1]], stride: 2, padding: 1, output_padding: 1, dilation: 1, pooled_from: null }));
      for (const candidate of fallbacks) {
        try {
          return { result: M.run(state.op, state.grid, candidate), settings: candidate, refused: error };
        } catch (_) { /* try the next */ }
      }
      throw error;
    }
  }

  function errorText(error) {
    return error && error.key ? t(error.key, error.params) : String(error);
  }

  // ------------------------------------------------------------------ drawing everything that follows from the state
  function render() {
    try {
      draw();
    } catch (error) { // never a blank lesson: say what could not be drawn, keep the settings usable
      settingsNote.textContent = t("upsampling.these_settings_cannot_used_showing", { error: errorText(error) });
      settingsNote.hidden = false;
    }
  }

  function draw() {
    const focusedOutput = root.activeElement && root.activeElement.closest && root.activeElement.closest(".pw-pick");
    const { result, settings, refused } = compute();
    settingsNote.textContent = refused ? t("upsampling.these_settings_cannot_used_showing", { error: errorText(refused) }) : "";
    settingsNote.hidden = !refused;
    const x = state.grid;
    const out = result.output;
    const [lo, hi] = range([x, out]);
    const colour = makeScale(data.palette.heatmap, lo, hi);
    inputGrid.recolour(colour);
    const rows = out.length, cols = out[0].length;
    state.row = Math.min(state.row, rows - 1);
    state.col = Math.min(state.col, cols - 1);
    const row = state.row, col = state.col;
    const step = M.trace(x, result.sources, row, col);
    const opName = w(`operator.${state.op}`);

    const blocks = [];
    // input → output
    const outMarks = out.map((r, i) => r.map((_, j) => (i === row && j === col ? "hot" : null)));
    const pick = (r, c, keyboard) => { stopPlaying(); state.row = r; state.col = c; changed(); if (keyboard) refocus(); };
    blocks.push(section(t("upsampling.input_output", { op_title_name: opName }),
      el("p", { class: "pw-caption", text: t("upsampling.input_output_values_2_decimals", { h: x.length, w: x[0].length, out_shape: rows, out_shape2: cols }) }),
      el("div", { class: "pw-pair" },
        heatmap({ values: x, colour, label: w("upsampling.input"), title: `${w("upsampling.input")} (${x.length}×${x[0].length})` }),
        el("div", { class: "pw-arrow", "aria-hidden": "true", text: "→" }),
        el("div", { class: "pw-pick" }, heatmap({ values: out, colour, label: w("upsampling.js.output_grid"), title: `${w("upsampling.output")} (${rows}×${cols})`, marks: outMarks, onPick: pick, active: [row, col] }))),
      el("p", { class: "pw-caption", text: w("upsampling.colour_shows_value_one_scale") })));

    if (state.op === "transposed_conv") {
      const k = settings.kernel.length, s = settings.stride, p = settings.padding, q = settings.output_padding, d = settings.dilation;
      blocks.push(el("div", { class: "pw-prose", html: markdown(w("upsampling.output_size_same_formula_rows")) }),
        el("p", { class: "pw-formula", text: `H_out = (H_in − 1)·s − 2p + d·(k − 1) + output_padding + 1 = (${x.length} − 1)·${s} − 2·${p} + ${d}·(${k} − 1) + ${q} + 1 = ${M.outputSize(x.length, k, s, p, q, d)}` }));
    }
    if (state.op === "max_unpool") blocks.push(switchesSection(settings, colour));
    blocks.push(stepSection(x, out, result, step, settings, colour, pick));
    if (state.op === "transposed_conv") blocks.push(viewsSection(x, settings, out));
    blocks.push(compareSection(x, settings, result));
    blocks.push(staticSections());
    results.replaceChildren(...blocks);
    if (focusedOutput) refocus();
  }

  function refocus() {
    const cell = results.querySelector(".pw-pick [tabindex='0']");
    if (cell) cell.focus();
  }

  function switchesSection(settings, colour) {
    const s = settings.scale;
    let pool;
    try { pool = M.maxPoolWithSwitches(state.encoder, s); } catch (e) { return el("p", { class: "pw-warning", text: errorText(e) }); }
    const encColour = makeScale(data.palette.heatmap, ...range([state.encoder]));
    const marks = state.encoder.map(r => r.map(() => null));
    pool.switches.forEach(line => line.forEach(([r, c]) => { marks[r][c] = "src"; }));
    const tiedText = pool.tied.length
      ? el("p", { class: "pw-info", text: t("upsampling.tied_windows", { count: pool.tied.length, windows: pool.tied.map(([i, j]) => `(${i}, ${j})`).join(w("list.separator")) }) })
      : null;
    return section(null, el("div", { class: "pw-prose", html: markdown(data.texts["tie-rule"]) }), tiedText,
      el("p", { class: "pw-caption", text: t("upsampling.switches_remembered_maximum_each_window", { scale: s }) }),
      el("div", { class: "pw-pair" },
        heatmap({ values: state.encoder, colour: encColour, marks, label: w("upsampling.max_pooling_input_encoder_grid"), title: `${w("upsampling.max_pooling_input_encoder_grid")} (${state.encoder.length}×${state.encoder[0].length})`, cellClass: (r, c) => ((Math.floor(r / s) + Math.floor(c / s)) % 2 ? "pw-window-odd" : "") }),
        heatmap({ values: pool.pooled, colour: encColour, label: w("upsampling.max_pooling_output"), title: w("upsampling.max_pooling_output") })));
  }

  function stepSection(x, out, result, step, settings, colour, pick) {
    const row = state.row, col = state.col;
    const notes = x.map(r => r.map(() => null));
    const marks = x.map(r => r.map(() => null));
    step.cells.forEach(([i, j], n) => { marks[i][j] = "src"; notes[i][j] = `×${gFormat(step.weights[n], 4)}`; });
    const formula = step.terms.length
      ? t("upsampling.formula_sum", { row, col, terms: step.terms.join(" + "), total: step.total })
      : t("upsampling.formula_nothing", { row, col });
    const table = step.cells.length ? el("table", { class: "pw-table" },
      el("thead", {}, el("tr", {}, [w("upsampling.input_cell"), w("upsampling.js.value"), w("upsampling.js.weight"), w("upsampling.js.product")].map(h => el("th", { text: h })))),
      el("tbody", {}, step.cells.map(([i, j], n) => el("tr", {},
        el("td", { text: `(${i}, ${j})` }), el("td", { text: gFormat(step.values[n], 4) }), el("td", { text: gFormat(step.weights[n], 4) }), el("td", { text: gFormat(step.products[n], 4) }))))) : null;
    const rowsN = out.length, colsN = out[0].length;
    const move = delta => {
      const index = Math.max(0, Math.min(rowsN * colsN - 1, row * colsN + col + delta));
      pick(Math.floor(index / colsN), index % colsN, false);
    };
    const playButton = el("button", { type: "button", class: "pw-play", text: playing ? w("upsampling.pause") : w("upsampling.play"), onclick: () => togglePlay(rowsN, colsN) });
    const children = [
      el("div", { class: "pw-stepper" },
        el("button", { type: "button", "aria-label": w("upsampling.js.previous"), text: "◀", onclick: () => { stopPlaying(); move(-1); } }),
        playButton,
        el("button", { type: "button", "aria-label": w("upsampling.js.next"), text: "▶", onclick: () => { stopPlaying(); move(1); } }),
        el("span", { class: "pw-where", text: `${w("upsampling.output_cell")} (${row}, ${col})` })),
      el("div", { class: "pw-formula pw-prose", "data-testid": "pw-formula", html: markdown(formula) }),
      settings.kernel && state.op === "transposed_conv" && step.terms.length > 1 ? el("p", { class: "pw-caption", text: t("upsampling.stamps_overlap_cell", { n_terms: step.terms.length }) }) : null,
      el("div", { class: "pw-pair" },
        heatmap({ values: x, colour, marks, notes, label: w("upsampling.input"), title: w("upsampling.input") }),
        el("div", { class: "pw-arrow", "aria-hidden": "true", text: "→" }),
        heatmap({ values: out, colour, marks: out.map((r, i) => r.map((_, j) => (i === row && j === col ? "hot" : null))), label: w("upsampling.output"), title: w("upsampling.output") })),
      table,
      el("p", { class: "pw-caption", text: w("upsampling.js.step_legend") }),
    ];
    if (state.op === "transposed_conv") children.push(stampsBlock(x, out, result, colour));
    return section(w("upsampling.step_step"), ...children);
  }

  // The stamps, one input cell at a time: "output so far" after n stamps, the n-th one outlined.
  function stampsBlock(x, out, result, colour) {
    const h = x.length, wd = x[0].length, total = h * wd;
    const n = stampCount === null ? total : Math.min(stampCount, total);
    const sofar = out.map(r => r.map(() => 0));
    for (let k = 0; k < n; k++) {
      const i = Math.floor(k / wd), j = k % wd;
      for (const [y, c, weight] of result.stamps[i][j]) sofar[y][c] += weight * x[i][j];
    }
    const marks = out.map(r => r.map(() => null));
    const inMarks = x.map(r => r.map(() => null));
    let caption = "";
    if (n > 0) {
      const i = Math.floor((n - 1) / wd), j = (n - 1) % wd;
      inMarks[i][j] = "hot";
      for (const [y, c] of result.stamps[i][j]) marks[y][c] = "src";
      caption = t("upsampling.stamp_input_adds_kernel", { row: i, col: j, value: num(x[i][j]) });
    }
    const slider = el("input", { type: "range", min: 0, max: total, step: 1, value: n, "aria-label": w("upsampling.js.stamps_added") });
    slider.addEventListener("input", () => { stampCount = Number(slider.value); render(); });
    return el("div", { class: "pw-stamps" },
      el("h4", { text: w("upsampling.views.stamps.title") }),
      el("p", { class: "pw-caption", text: w("upsampling.each_frame_adds_one_input") }),
      el("label", { class: "pw-slider" }, el("span", { text: t("upsampling.js.stamps_count", { count: n, total }) }), slider),
      el("p", { class: "pw-caption", text: caption }),
      el("div", { class: "pw-pair" },
        heatmap({ values: x, colour, marks: inMarks, label: w("upsampling.input"), title: w("upsampling.input") }),
        heatmap({ values: sofar, colour, marks, label: w("upsampling.output_so_far"), title: w("upsampling.output_so_far") })));
  }

  function stopPlaying() {
    if (playing) clearInterval(playing);
    playing = null;
  }

  function togglePlay(rowsN, colsN) {
    if (playing) { stopPlaying(); render(); return; }
    playing = setInterval(() => {
      const index = (state.row * colsN + state.col + 1) % (rowsN * colsN);
      state.row = Math.floor(index / colsN);
      state.col = index % colsN;
      render();
    }, data.presenting ? 1400 : 900);
    render();
  }

  function compareSection(x, settings, chosenResult) {
    const panels = [];
    const all = [];
    for (const name of OPS) {
      let result;
      if (name === state.op) result = chosenResult;
      else {
        const s = name === "transposed_conv"
          ? Object.assign({}, settings, { stride: state.scale, padding: 1, output_padding: state.scale - 1, dilation: 1, kernel: state.kernel })
          : Object.assign({}, settings, { scale: state.scale, pooled_from: state.encoder });
        try { result = M.run(name, x, s); } catch (_) { continue; }
      }
      all.push(result.output);
      panels.push([name, result.output]);
    }
    const colour = makeScale(data.palette.heatmap, ...range([x, ...all]));
    return section(w("upsampling.compare_all_six"),
      el("div", { class: "pw-prose", html: markdown(data.texts.compare) }),
      el("p", { class: "pw-caption", text: t("upsampling.input_grid_above_six_outputs", { h: x.length, w: x[0].length, scale: state.scale }) }),
      el("div", { class: "pw-gallery" }, panels.map(([name, o]) => heatmap({ values: o, colour, label: w(`operator.${name}`), title: `${w(`operator.${name}`)} (${o.length}×${o[0].length})` }))));
  }

  let staticCache = null;
  function staticSections() { // the notes' tables and the checkerboard: depend on nothing the student edits
    if (staticCache) return staticCache;
    const notes = ["bed_of_nails", "nearest", "bilinear", "bicubic"].map(name => [name, M.run(name, NOTES_INPUT, { scale: 2 }).output]);
    const colour = makeScale(data.palette.heatmap, ...range(notes.map(([, o]) => o)));
    const ones = [[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]];
    const counts = [3, 4].map(k => M.overlapCounts(M.transposedConv(ones, Array.from({ length: k }, () => new Array(k).fill(1)), 2).sources));
    const countColour = makeScale(data.palette.heatmap, ...range(counts));
    staticCache = el("div", {},
      section(w("upsampling.lecture_s_tables"), el("div", { class: "pw-prose", html: markdown(data.texts.notes) }),
        el("p", { class: "pw-caption", text: w("upsampling.input_1_2_3_4") }),
        el("div", { class: "pw-gallery" }, notes.map(([name, o]) => heatmap({ values: o, colour, label: w(`operator.${name}`), title: w(`operator.${name}`) })))),
      section(w("upsampling.checkerboard_effect"), el("div", { class: "pw-prose", html: markdown(data.texts.checkerboard) }),
        el("p", { class: "pw-caption", text: w("upsampling.input_4_4_ones_all") }),
        el("div", { class: "pw-gallery" },
          heatmap({ values: counts[0], colour: countColour, decimals: 0, label: w("upsampling.kernel_3_stride_2_1"), title: w("upsampling.kernel_3_stride_2_1") }),
          heatmap({ values: counts[1], colour: countColour, decimals: 0, label: w("upsampling.kernel_4_stride_2_even"), title: w("upsampling.kernel_4_stride_2_even") }))));
    return staticCache;
  }

  // ------------------------------------------------------------------ why it is called transposed
  function viewsSection(x, settings, stamps) {
    const tabs = [["zero_insertion", "upsampling.views.tab.zero_insertion"], ["matrix", "upsampling.views.tab.matrix"], ["one_d", "upsampling.views.tab.one_d"]];
    const bar = el("div", { class: "pw-tabs", role: "tablist" }, tabs.map(([name, key]) => el("button", {
      type: "button", role: "tab", "aria-selected": String(viewsTab === name), text: w(key),
      onclick: () => { viewsTab = name; render(); },
    })));
    let body;
    try {
      body = viewsTab === "zero_insertion" ? zeroInsertionView(x, settings, stamps)
        : viewsTab === "matrix" ? matrixView(x, settings, stamps) : oneDView(x, settings);
    } catch (error) {
      body = el("p", { class: "pw-warning", text: errorText(error) });
    }
    return section(w("upsampling.views.section"), el("div", { class: "pw-prose", html: markdown(data.texts["views-intro"]) }),
      bar, el("div", { role: "tabpanel", class: "pw-tabpanel" }, body),
      el("p", { class: "pw-caption", text: w("upsampling.js.gradient_on_server") }));
  }

  function match(values, stamps) {
    const d = M.maxAbsDifference(values, stamps);
    return el("p", { class: d < 1e-9 ? "pw-success" : "pw-warning", text: t(d < 1e-9 ? "upsampling.views.same_as_stamps" : "upsampling.views.differs_from_stamps", { difference: d.toExponential(1) }) });
  }

  function zeroInsertionView(x, st, stamps) {
    const v = M.zeroInsertionView(x, st.kernel, st.stride, st.padding, st.output_padding, st.dilation);
    const rows = v.output.length, cols = v.output[0].length;
    zeroCell = Math.min(zeroCell, rows * cols - 1);
    const r = Math.floor(zeroCell / cols), c = zeroCell % cols;
    const [lo, hi] = range([v.padded, v.output, v.flipped]);
    const colour = makeScale(data.palette.heatmap, lo, hi);
    const padMarks = v.padded.map(line => line.map(() => null));
    for (let a = 0; a < v.flipped.length; a++) for (let b = 0; b < v.flipped[0].length; b++) padMarks[r + a * v.dilation][c + b * v.dilation] = "src";
    const landed = new Set(v.positions.map(([pr, pc]) => `${pr},${pc}`)); // where the input cells sit: a dot
    const window = v.window(r, c);
    const terms = [];
    window.forEach((line, a) => line.forEach((val, b) => { if (val !== 0) terms.push(`${gFormat(val, 6)}·${gFormat(v.flipped[a][b], 6)}`); }));
    const slider = el("input", { type: "range", min: 0, max: rows * cols - 1, value: zeroCell, "aria-label": t("upsampling.views.zero_insertion.step", { cells: rows * cols }) });
    slider.addEventListener("input", () => { zeroCell = Number(slider.value); render(); });
    return el("div", {},
      el("h4", { text: w("upsampling.views.zero_insertion.title") }),
      el("div", { class: "pw-prose", html: markdown(data.texts["views-zero-insertion"]) }),
      rows * cols > 1 ? el("label", { class: "pw-slider" }, el("span", { text: t("upsampling.views.zero_insertion.step", { cells: rows * cols }) }), slider) : null,
      el("ol", { class: "pw-steps" }, [
        t("upsampling.views.zero_insertion.inserted", { zeros: st.stride - 1 }),
        t("upsampling.views.zero_insertion.padded", { border: v.border, output_padding: v.outputPadding }),
        w("upsampling.views.zero_insertion.flipped"),
        t("upsampling.views.zero_insertion.slide", { row: r, col: c, value: v.output[r][c].toFixed(2) }),
      ].map(s => el("li", { text: s.replace(/^\d\.\s*/, "") }))),
      el("div", { class: "pw-gallery" },
        heatmap({ values: v.inserted, colour, label: "1", title: t("upsampling.views.zero_insertion.short.inserted", { rows: v.inserted.length, cols: v.inserted[0].length }) }),
        heatmap({ values: v.padded, colour, marks: padMarks, cellClass: (pr, pc) => (landed.has(`${pr},${pc}`) ? "pw-dot" : ""), label: "2", title: t("upsampling.views.zero_insertion.short.padded", { rows: v.padded.length, cols: v.padded[0].length }) }),
        heatmap({ values: v.flipped, colour, label: "3", title: w("upsampling.views.zero_insertion.short.flipped") }),
        heatmap({ values: v.output, colour, marks: v.output.map((line, i) => line.map((_, j) => (i === r && j === c ? "hot" : null))), label: "4", title: t("upsampling.views.zero_insertion.short.output", { rows, cols }) })),
      el("div", { class: "pw-prose", html: markdown(t("upsampling.views.zero_insertion.sum", { row: r, col: c, terms: terms.join(" + ") || "0", value: v.output[r][c].toFixed(2) })) }),
      el("p", { class: "pw-caption", text: w("upsampling.views.zero_insertion.legend") }),
      match(v.output, stamps));
  }

  function matrixPair(matrix) {
    const rows = matrix.length, cols = matrix[0].length;
    const transposed = matrix[0].map((_, j) => matrix.map(line => line[j]));
    const colour = makeScale(data.palette.heatmap, ...range([matrix]));
    const blank = (r, c, m) => (m[r][c] === 0 ? "pw-blank" : "");
    return el("div", {},
      el("ul", {}, el("li", { text: t("upsampling.views.matrix.c", { rows, cols }) }), el("li", { text: t("upsampling.views.matrix.ct", { rows, cols }) })),
      el("div", { class: "pw-gallery pw-matrices" },
        heatmap({ values: matrix, colour, decimals: 1, cellClass: (r, c) => blank(r, c, matrix), label: t("upsampling.views.matrix.c_short", { rows, cols }), title: t("upsampling.views.matrix.c_short", { rows, cols }) }),
        heatmap({ values: transposed, colour, cellClass: (r, c) => blank(r, c, transposed), label: t("upsampling.views.matrix.ct_short", { rows, cols }), title: t("upsampling.views.matrix.ct_short", { rows, cols }) })));
  }

  function matrixView(x, st, stamps) {
    const cells = stamps.length * stamps[0].length;
    const applied = M.transposedViaMatrix(x, st.kernel, st.stride, st.padding, st.output_padding, st.dilation);
    const parts = [el("h4", { text: w("upsampling.views.matrix.title") }), el("div", { class: "pw-prose", html: markdown(data.texts["views-matrix"]) })];
    if (cells > data.maxMatrixCells) parts.push(el("p", { class: "pw-info", text: t("upsampling.views.matrix.too_large", { cells, limit: data.maxMatrixCells }) }));
    else parts.push(matrixPair(applied.matrix), el("p", { class: "pw-caption", text: w("upsampling.views.matrix.legend") }));
    const a = applied.output;
    parts.push(el("p", { class: "pw-caption", text: w("upsampling.views.matrix.applied_title") }),
      el("div", { class: "pw-gallery" },
        heatmap({ values: x, colour: makeScale(data.palette.heatmap, ...range([x])), label: "y", title: t("upsampling.views.matrix.y", { rows: x.length, cols: x[0].length }) }),
        heatmap({ values: a, colour: makeScale(data.palette.heatmap, ...range([a])), label: "Cᵀy", title: t("upsampling.views.matrix.applied", { rows: a.length, cols: a[0].length }) })),
      match(a, stamps));
    const shape = [stamps.length, stamps[0].length];
    const fixed = GridWidget.randomGrid(shape[0], shape[1], 0, 9, shape[0] * 100 + shape[1]);
    const trip = M.roundTrip(fixed, st.kernel, st.stride, st.padding, st.dilation);
    parts.push(el("h4", { text: w("upsampling.views.matrix.trip_title") }),
      el("p", { class: "pw-caption", text: w("upsampling.views.matrix.trip_caption") }),
      el("div", { class: "pw-gallery" },
        heatmap({ values: trip.input, colour: makeScale(data.palette.heatmap, ...range([trip.input])), label: "x", title: t("upsampling.views.matrix.trip_x", { rows: shape[0], cols: shape[1] }) }),
        heatmap({ values: trip.down, colour: makeScale(data.palette.heatmap, ...range([trip.down])), label: "Cx", title: t("upsampling.views.matrix.trip_down", { rows: trip.down.length, cols: trip.down[0].length }) }),
        heatmap({ values: trip.back, colour: makeScale(data.palette.heatmap, ...range([trip.back])), label: "CᵀCx", title: t("upsampling.views.matrix.trip_back", { rows: shape[0], cols: shape[1] }) })),
      el("p", { class: "pw-info", text: t("upsampling.views.matrix.not_inverse", { error: trip.maxError.toFixed(2) }) }));
    return el("div", {}, parts);
  }

  function oneDView(x, st) {
    if (!oneD) oneD = { row: x[0].map(v => GridWidget.show(v)).join(", "), kernel: st.kernel[Math.floor(st.kernel.length / 2)].map(v => GridWidget.show(v)).join(", ") };
    const parse = text => text.replace(/;/g, ",").split(/[\s,]+/).filter(Boolean).map(item => GridWidget.parseNumber(item));
    const rowInput = el("input", { type: "text", value: oneD.row, "aria-label": w("upsampling.views.one_d.input") });
    const kernelInput = el("input", { type: "text", value: oneD.kernel, "aria-label": w("upsampling.views.one_d.kernel") });
    const apply = () => { oneD = { row: rowInput.value, kernel: kernelInput.value }; render(); };
    [rowInput, kernelInput].forEach(input => input.addEventListener("keydown", e => { if (e.key === "Enter") apply(); }));
    const form = el("div", { class: "pw-fields" },
      el("label", { class: "pw-text" }, el("span", { text: w("upsampling.views.one_d.input") }), rowInput),
      el("label", { class: "pw-text" }, el("span", { text: w("upsampling.views.one_d.kernel") }), kernelInput),
      el("button", { type: "button", text: w("upsampling.views.one_d.apply"), onclick: apply }));
    const parts = [el("h4", { text: w("upsampling.views.one_d.title") }), el("div", { class: "pw-prose", html: markdown(data.texts["views-one-d"]) }), form];
    const y = parse(oneD.row), k = parse(oneD.kernel);
    if (!y.length || !k.length || y.length > 16 || k.length > 7 || [...y, ...k].some(p => p.error)) {
      parts.push(el("p", { class: "pw-warning", text: t("upsampling.views.error.not_numbers", { name: w("upsampling.js.row_and_kernel") }) }));
      return el("div", {}, parts);
    }
    const yr = [y.map(p => p.value)], kr = [k.map(p => p.value)];
    const view = M.zeroInsertionView(yr, kr, st.stride, st.padding, st.output_padding, st.dilation, true);
    const viaMatrix = M.transposedViaMatrix(yr, kr, st.stride, st.padding, st.output_padding, st.dilation, true);
    const lines = [
      [w("upsampling.views.one_d.row_input"), yr[0]],
      [t("upsampling.views.one_d.row_inserted", { zeros: st.stride - 1 }), view.inserted[0]],
      [t("upsampling.views.one_d.row_padded", { border: view.border }), view.padded[0]],
      [w("upsampling.views.one_d.row_flipped"), view.flipped[0]],
      [w("upsampling.views.one_d.row_output"), view.output[0]],
      [w("upsampling.views.one_d.row_matrix"), viaMatrix.output[0]],
    ];
    const colour = makeScale(data.palette.heatmap, ...range(lines.map(([, r]) => [r])));
    parts.push(el("div", { class: "pw-lines" }, lines.map(([label, r]) => el("div", { class: "pw-line" }, el("span", { class: "pw-line-label", text: label }), heatmap({ values: [r], colour, label })))));
    const d = M.maxAbsDifference(view.output, viaMatrix.output);
    parts.push(el("p", { class: d < 1e-9 ? "pw-success" : "pw-warning", text: t("upsampling.js.one_d_match", { difference: d.toExponential(1) }) }));
    if (view.output[0].length <= 16) parts.push(matrixPair(viaMatrix.matrix));
    return el("div", {}, parts);
  }

  // ------------------------------------------------------------------ the component's lifecycle
  const api = {
    update(next) {
      data = next;
      shell.classList.toggle("pw-present", !!data.presenting);
      shell.classList.toggle("kit-present", !!data.presenting);
      if (adopt(next)) { stopPlaying(); syncControls(); render(); }
    },
    destroy() { stopPlaying(); sender.cancel(); },
  };
  shell.classList.toggle("pw-present", !!data.presenting);
  shell.classList.toggle("kit-present", !!data.presenting);
  fitEncoder();
  buildEncoderGrid();
  syncControls();
  render();
  return api;
}

export default function (component) {
  return ViewKit.mountApp(APPS, component, (root, data) => createApp(root, data, ViewKit.announcer("upsampling")));
}
