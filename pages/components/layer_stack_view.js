// The layer-stack lessons in the browser: an editable layer list and everything drawn from it (field, jump
// and growth per layer, the field of a picked pixel over the input grid; or the cost of every layer), all
// recomputed by LayerStackMath on every edit. The server hears the stack only debounced (setStateValue
// "edit", ≈ 500 ms after the last change) for the share link and the effective field it measures.
// A value that makes no valid stack gets a message; the drawings keep the last valid stack.
const LayerStackView = (() => {
  const M = LayerStackMath;
  const CIVIDIS = ["#00224e", "#123570", "#3b496c", "#575d6d", "#707173", "#8a8678", "#a59c74", "#c3b369", "#e1cc55", "#fee838"];
  const HIGHLIGHT = "#D55E00", CONTRIBUTOR = "#56B4E9", PRIMARY = "#0072B2";
  const SERIES = ["#E69F00", "#56B4E9", "#009E73", "#D55E00", "#CC79A7"];
  const FIELDS = ["kernel", "stride", "dilation", "padding", "channels"];
  const FIELD_WORDS = { kernel: "stack_editor.kernel_k", stride: "stack_editor.stride_s", dilation: "stack_editor.dilation_d",
    padding: "stack_editor.padding_p", channels: "stack_editor.channels_out" };
  const DEBOUNCE_MS = 500;
  const instances = new WeakMap();

  const el = ViewKit.el;
  const svgEl = (tag, attrs, ...children) => el(`svg:${tag}`, attrs, ...children);

  function cividis(t) {
    const x = Math.min(Math.max(t, 0), 1) * (CIVIDIS.length - 1), i = Math.floor(x);
    return CIVIDIS[Math.min(i + (x - i >= 0.5 ? 1 : 0), CIVIDIS.length - 1)];
  }
  const inkOn = (colour) => (parseInt(colour.slice(1, 3), 16) * 0.3 + parseInt(colour.slice(3, 5), 16) * 0.59
    + parseInt(colour.slice(5, 7), 16) * 0.11 > 140 ? "#000" : "#fff");

  const num = (v, digits = 2) => Number(v).toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  /** 1.2e9 FLOPs → '1.20 GFLOPs'; bytes in binary prefixes: the cost page's old si(). */
  function si(value, unit) {
    if (unit === "B") {
      for (const [p, s] of [["GiB", 2 ** 30], ["MiB", 2 ** 20], ["KiB", 2 ** 10]]) if (value >= s) return `${num(value / s)} ${p}`;
      return `${num(value, 0)} B`;
    }
    for (const [p, s] of [["T", 1e12], ["G", 1e9], ["M", 1e6], ["k", 1e3]]) if (value >= s) return `${num(value / s)} ${p}${unit}`;
    return `${num(value, 0)} ${unit}`;
  }
  const jumpText = (v) => String(Math.round(v * 1e6) / 1e6);

  // ------------------------------------------------------------------ one mounted component
  class Lesson {
    constructor(host, data, send) {
      this.host = host;
      this.send = send;
      this.data = data;
      this.rows = [];
      this.valid = [];
      this.problem = null;
      this.layerShown = null;
      this.playing = null;
      this.sendTimer = null;
      this.lastSent = null;
      this.root = el("div", { class: "ls-root" });
      host.append(this.root);
      this.adopt(data, true);
      this.build();
    }

    w(key, params = {}) {
      const words = this.data.words || {};
      return M.format(key in words ? words[key] : key, params);
    }

    errorText(e) {
      return e && e.key ? this.w(e.key, e.params) : String(e);
    }

    name(layer) {
      return `${this.w(`layer_short.${layer.kind}`)} ${M.settings(layer)}`.trim();
    }

    /** The server's values: taken at mount, and later only where the server changed them itself (a
     * link, another lesson), never the echo of what this component sent: typing is not reset. */
    adopt(data, first) {
      const echo = this.lastSent && data.stack === this.lastSent.stack;
      if (first || (data.stack !== this.serverStack && !echo)) {
        try {
          this.setRows(M.decode(data.stack));
        } catch (e) {
          this.setRows(M.decode(data.default_stack));
        }
      }
      this.serverStack = data.stack;
      if (first) {
        this.grid = data.grid; this.pixel = [data.row, data.col]; this.size = data.size;
      }
      this.data = data;
    }

    setRows(layers) {
      this.rows = layers.map((l) => ({ ...l }));
      this.valid = layers;
      this.problem = null;
      this.layerShown = null;
    }

    /** New data from the server (a fragment rerun): rebuilt only where the server changed something itself;
     * its echo of the student's own edit leaves the list, the focus and the caret alone. */
    update(data) {
      const before = this.serverStack, words = JSON.stringify(this.data.words), present = this.data.present;
      const echo = this.lastSent && data.stack === this.lastSent.stack;
      this.adopt(data, false);
      if ((data.stack !== before && !echo) || words !== JSON.stringify(data.words) || present !== data.present) this.build();
    }

    // ---------------------------------------------------------------- edits
    edited(structural) {
      try {
        const layers = this.rows.map((r) => ({ kind: r.kind, kernel: r.kernel, stride: r.stride, dilation: r.dilation,
          padding: r.padding, channels: r.channels }));
        this.valid = M.checkStack(layers);
        this.problem = null;
      } catch (e) {
        if (!(e && e.key)) throw e;
        this.problem = e;
      }
      if (structural) this.renderEditor();
      this.renderPresets();
      this.renderResults();
      this.schedule();
    }

    /** Tell the server, once the student pauses (≈ 500 ms): the share link and the effective field. */
    schedule() {
      clearTimeout(this.sendTimer);
      this.sendTimer = setTimeout(() => {
        const edit = { stack: M.encode(this.valid), grid: this.grid, row: this.pixel[0], col: this.pixel[1], size: this.size };
        if (this.lastSent && JSON.stringify(edit) === JSON.stringify(this.lastSent)) return;
        if (!this.lastSent && edit.stack === this.data.stack && edit.grid === this.data.grid && edit.row === this.data.row
            && edit.col === this.data.col && edit.size === this.data.size) return;
        this.lastSent = edit;
        this.send(edit);
      }, DEBOUNCE_MS);
    }

    // ---------------------------------------------------------------- skeleton
    build() {
      const d = this.data;
      this.root.replaceChildren();
      this.root.className = `ls-root${d.present ? " ls-present" : ""}`;
      this.presets = el("div", { class: "ls-presets", role: "group", "aria-label": this.w("layer_stack.presets") });
      this.editor = el("div", { class: "ls-editor" });
      this.message = el("div", { class: "ls-message", role: "status", "aria-live": "polite" });
      this.results = el("div", { class: "ls-results" });
      this.root.append(el("p", { class: "ls-caption", text: this.w("layer_stack.editor_help") }), this.presets,
        this.editor, this.message, this.results);
      if (d.mode === "cost") this.buildCost(); else this.buildField();
      this.renderPresets();
      this.renderEditor();
      this.renderResults();
    }

    renderPresets() {
      const current = M.encode(this.valid);
      this.presets.replaceChildren(...Object.entries(this.data.presets).map(([name, text]) => el("button", {
        type: "button", class: "ls-button", "aria-pressed": String(text === current), "data-preset": name,
        text: this.w(`preset.${name}`),
        onclick: () => { this.setRows(M.decode(text)); this.edited(true); },
      })));
    }

    // ---------------------------------------------------------------- the layer list
    renderEditor() {
      const focused = this.host.activeElement || document.activeElement;
      const refocus = focused && focused.dataset ? focused.dataset.focusKey : null;
      const head = el("tr", {}, el("th", { scope: "col", text: "#" }), el("th", { scope: "col", text: this.w("stack_editor.layer") }),
        ...FIELDS.map((f) => el("th", { scope: "col", text: this.w(FIELD_WORDS[f]) })), el("th", { scope: "col", text: "" }));
      const body = el("tbody");
      this.rows.forEach((row, i) => body.append(this.layerRow(row, i)));
      const table = el("table", { class: "ls-layers" }, el("thead", {}, head), body);
      const add = el("button", { type: "button", class: "ls-button ls-add", "data-focus-key": "add", text: `+ ${this.w("layer_stack.add_layer")}`,
        onclick: () => {
          const last = this.rows[this.rows.length - 1];
          this.rows.push({ kind: "conv", kernel: 3, stride: 1, dilation: 1, padding: 1, channels: last && last.channels ? last.channels : 64 });
          this.edited(true);
          this.focus(`kind-${this.rows.length - 1}`);
        } });
      this.editor.replaceChildren(el("div", { class: "ls-scroll" }, table), add);
      if (refocus) this.focus(refocus);
    }

    focus(key) {
      const target = this.editor.querySelector(`[data-focus-key="${key}"]`);
      if (target) target.focus();
    }

    layerRow(row, i) {
      const label = (name) => this.w("layer_stack.field_of_layer", { layer: i + 1, name });
      const kind = el("select", { "aria-label": label(this.w("stack_editor.layer")), "data-focus-key": `kind-${i}`,
        onchange: (e) => {
          const chosen = e.target.value, used = M.PARAMETERS[chosen] || [];
          row.kind = chosen;
          const defaults = { kernel: chosen.endsWith("pool") ? 2 : 3, stride: chosen.endsWith("pool") || chosen === "tconv" ? 2 : 1,
            dilation: 1, padding: chosen === "conv" ? 1 : 0, channels: 64 };
          for (const f of FIELDS) if (used.includes(f) && (row[f] === null || row[f] === undefined || row[f] === "")) row[f] = defaults[f];
          this.edited(true);
          this.focus(`kind-${i}`);
        } }, ...M.KINDS.map((k) => el("option", { value: k, selected: k === row.kind, text: this.w(`layer_kind.${k}`) })));
      const cells = FIELDS.map((f) => {
        const used = (M.PARAMETERS[row.kind] || []).includes(f);
        const [lo, hi] = M.LIMITS[f];
        const input = el("input", { type: "text", inputmode: "numeric", class: "ls-number", "aria-label": label(this.w(FIELD_WORDS[f])),
          "data-focus-key": `${f}-${i}`, "data-field": f, value: used ? String(row[f] ?? "") : "", disabled: !used,
          placeholder: used ? "" : "–", title: `${lo}–${hi}`,
          oninput: (e) => { row[f] = e.target.value; this.edited(false); },
          onkeydown: (e) => this.stepNumber(e, row, f) });
        return el("td", { "data-label": this.w(FIELD_WORDS[f]) }, input);
      });
      const move = (to) => {
        if (to < 0 || to >= this.rows.length) return;
        const [r] = this.rows.splice(i, 1);
        this.rows.splice(to, 0, r);
        this.edited(true);
      };
      const buttons = el("td", { class: "ls-row-buttons" },
        el("button", { type: "button", class: "ls-icon", "aria-label": this.w("layer_stack.move_up", { layer: i + 1 }), title: this.w("layer_stack.move_up", { layer: i + 1 }),
          disabled: i === 0, "data-focus-key": `up-${i}`, text: "↑", onclick: () => { move(i - 1); this.focus(`up-${Math.max(i - 1, 0)}`); } }),
        el("button", { type: "button", class: "ls-icon", "aria-label": this.w("layer_stack.move_down", { layer: i + 1 }), title: this.w("layer_stack.move_down", { layer: i + 1 }),
          disabled: i === this.rows.length - 1, "data-focus-key": `down-${i}`, text: "↓", onclick: () => { move(i + 1); this.focus(`down-${Math.min(i + 1, this.rows.length - 1)}`); } }),
        el("button", { type: "button", class: "ls-icon", "aria-label": this.w("layer_stack.remove_layer", { layer: i + 1 }), title: this.w("layer_stack.remove_layer", { layer: i + 1 }),
          "data-focus-key": `remove-${i}`, text: "✕", onclick: () => {
            this.rows.splice(i, 1);
            this.edited(true);
            this.focus(this.rows.length ? `remove-${Math.min(i, this.rows.length - 1)}` : "add");
          } }));
      return el("tr", { "data-layer": i + 1 }, el("td", { class: "ls-index", text: String(i + 1) }),
        el("td", { "data-label": this.w("stack_editor.layer") }, kind), ...cells, buttons);
    }

    /** ArrowUp / ArrowDown step a number by one, like a spin button; Enter keeps the value (already live). */
    stepNumber(e, row, f) {
      if (e.key !== "ArrowUp" && e.key !== "ArrowDown") return;
      const value = Number(e.target.value);
      if (!Number.isFinite(value)) return;
      e.preventDefault();
      const [lo, hi] = M.LIMITS[f];
      const next = Math.min(Math.max(Math.round(value) + (e.key === "ArrowUp" ? 1 : -1), lo), hi);
      e.target.value = String(next);
      row[f] = String(next);
      this.edited(false);
    }

    renderMessage(extra) {
      const parts = [];
      if (this.problem) parts.push(this.w("stack_editor.change_cannot_used_so_page") + this.errorText(this.problem));
      if (extra) parts.push(extra);
      this.message.replaceChildren(...parts.map((text) => el("p", { class: "ls-warning", text })));
      this.message.hidden = !parts.length;
      this.editor.querySelectorAll("tr[data-layer]").forEach((tr) => {
        tr.classList.toggle("ls-bad", Boolean(this.problem && this.problem.params && this.problem.params.layer === Number(tr.dataset.layer)));
      });
    }

    // ---------------------------------------------------------------- the receptive-field lesson
    buildField() {
      this.fieldTable = el("div", { class: "ls-scroll" });
      this.fieldChart = el("div", { class: "ls-chart" });
      this.note = el("p", { class: "ls-caption" });
      const grids = this.data.grids;
      this.gridSelect = el("select", { "aria-label": this.w("receptive_field.input_grid_side_pixels"),
        onchange: (e) => { this.grid = Number(e.target.value); this.layerShown = null; this.renderGrowth(); this.schedule(); } },
        ...grids.map((g) => el("option", { value: g, selected: g === this.grid, text: `${g} × ${g}` })));
      const pixelInput = (axis, key) => el("input", { type: "number", min: 0, max: 63, step: 1, class: "ls-number ls-wide",
        "aria-label": this.w(key), "data-axis": axis, value: this.pixel[axis],
        oninput: (e) => { const v = Number(e.target.value); if (Number.isInteger(v) && v >= 0 && v <= 63) { this.pixel[axis] = v; this.renderGrowth(); this.schedule(); } } });
      this.rowInput = pixelInput(0, "receptive_field.pixel_row");
      this.colInput = pixelInput(1, "receptive_field.pixel_column");
      this.stepInput = el("input", { type: "range", min: 0, max: 1, step: 1, value: 0, class: "ls-range",
        "aria-label": this.w("receptive_field.after_layer"),
        oninput: (e) => { this.stop(); this.layerShown = Number(e.target.value); this.renderGrowth(); } });
      this.playButton = el("button", { type: "button", class: "ls-button", text: `▶ ${this.w("receptive_field.play")}`,
        onclick: () => (this.playing ? this.stop() : this.play()) });
      this.growthTitle = el("p", { class: "ls-growth-title", "aria-live": "polite" });
      this.growthBox = el("div", { class: "ls-grid-box" });
      const labelled = (key, control) => el("label", { class: "ls-control" }, el("span", { text: this.w(key) }), control);
      this.results.append(
        el("h3", { text: this.w("receptive_field.receptive_field_every_layer") }), this.fieldTable, this.note, this.fieldChart,
        el("h3", { text: this.w("receptive_field.watch_one_pixel_s_field") }),
        el("div", { class: "ls-controls" }, labelled("receptive_field.input_grid_side_pixels", this.gridSelect),
          labelled("receptive_field.pixel_row", this.rowInput), labelled("receptive_field.pixel_column", this.colInput)),
        el("div", { class: "ls-controls" }, this.playButton, labelled("receptive_field.after_layer", this.stepInput)),
        this.growthTitle, this.growthBox,
        el("p", { class: "ls-caption", text: this.w("layer_stack.grid_help") }));
    }

    renderField() {
      let rows;
      try {
        rows = M.receptiveField(this.valid);
      } catch (e) {
        this.fieldTable.replaceChildren(el("p", { class: "ls-warning", text: this.errorText(e) }));
        this.fieldChart.replaceChildren();
        return;
      }
      this.fieldRows = rows;
      const how = (m) => this.w(m ? "receptive_field.autograd_gradient_support" : "receptive_field.recurrence");
      const header = ["#", this.w("receptive_field.layer"), this.w("receptive_field.field_r_px"), this.w("layer_stack.growth_px"),
        this.w("receptive_field.jump_j_px"), this.w("receptive_field.start_px"), this.w("receptive_field.computed")];
      const table = el("table", { class: "ls-table", "aria-label": this.w("receptive_field.receptive_field_every_layer") },
        el("thead", {}, el("tr", {}, ...header.map((h) => el("th", { scope: "col", text: h })))),
        el("tbody", {}, ...rows.map((r, i) => el("tr", { "data-row": i },
          el("td", { text: String(i) }), el("td", { class: "ls-name", text: r.layer ? this.name(r.layer) : this.w("receptive_field.input") }),
          el("td", { class: "ls-num", "data-col": "size", text: String(r.size) }),
          el("td", { class: "ls-num", "data-col": "growth", text: i ? `+${r.growth}` : "" }),
          el("td", { class: "ls-num", "data-col": "jump", text: r.jumpText }),
          el("td", { class: "ls-num", "data-col": "start", text: Number.isNaN(r.start) ? "" : jumpText(r.start) }),
          el("td", { text: how(r.measured) })))));
      this.fieldTable.replaceChildren(table);
      this.note.textContent = rows.some((r) => r.measured) ? this.w("receptive_field.upsampling_layers_shrink_jump_how") : "";
      this.note.hidden = !rows.some((r) => r.measured);
      this.fieldChart.replaceChildren(el("p", { class: "ls-growth-title", text: this.w("layer_stack.field_chart_title") }), this.fieldBars(rows));
    }

    /** Field r per layer as bars (the growth of each layer on top, in the highlight colour), the jump under each. */
    fieldBars(rows) {
      const big = this.data.present, font = big ? 18 : 13;
      const room = this.root.clientWidth || 700;  // drawn at the width it is shown: text keeps its size on a phone
      const n = rows.length, width = Math.max(300, Math.min(room, 1100, n * (big ? 90 : 64) + 60)), height = big ? 320 : 240;
      const left = 44, bottom = 46, top = 40, plot = height - bottom - top, bar = (width - left - 8) / n;
      const most = Math.max(...rows.map((r) => r.size), 1);
      const y = (v) => top + plot - (v / most) * plot;
      const svg = svgEl("svg", { viewBox: `0 0 ${width} ${height}`, class: "ls-svg", role: "img",
        "aria-label": this.w("layer_stack.field_chart_title"), style: `max-width:${width}px` });
      for (const tick of [0, most]) {
        svg.append(svgEl("text", { x: left - 6, y: y(tick) + 4, "text-anchor": "end", "font-size": font - 1, class: "ls-svg-text", text: String(tick) }));
        svg.append(svgEl("line", { x1: left, x2: width - 8, y1: y(tick), y2: y(tick), class: "ls-svg-axis" }));
      }
      rows.forEach((r, i) => {
        const x = left + i * bar + bar * 0.15, w = bar * 0.7, before = i ? Math.max(0, r.size - Math.max(r.growth, 0)) : r.size;
        const g = svgEl("g", { "data-layer": i });
        g.append(svgEl("rect", { x, y: y(before), width: w, height: Math.max(0, y(0) - y(before)), fill: PRIMARY },
          svgEl("title", { text: `${this.w("receptive_field.field_r_px")}: ${r.size}` })));
        if (i && r.growth > 0) g.append(svgEl("rect", { x, y: y(r.size), width: w, height: y(before) - y(r.size), fill: "#E69F00" },
          svgEl("title", { text: `${this.w("layer_stack.growth_px")}: +${r.growth}` })));
        g.append(svgEl("text", { x: x + w / 2, y: y(r.size) - 4, "text-anchor": "middle", "font-size": font, class: "ls-svg-text", "data-value": "size", text: String(r.size) }));
        g.append(svgEl("text", { x: x + w / 2, y: height - bottom + 16, "text-anchor": "middle", "font-size": font - 1, class: "ls-svg-text", text: String(i) }));
        g.append(svgEl("text", { x: x + w / 2, y: height - bottom + 32, "text-anchor": "middle", "font-size": font - 1, class: "ls-svg-muted", "data-value": "jump", text: `j ${r.jumpText}` }));
        svg.append(g);
      });
      const legend = [[PRIMARY, this.w("receptive_field.field_r_px")], ["#E69F00", this.w("layer_stack.growth_px")]];
      legend.forEach(([colour, text], k) => {
        const lx = left + k * 150;
        svg.append(svgEl("rect", { x: lx, y: 6, width: 12, height: 12, fill: colour }));
        svg.append(svgEl("text", { x: lx + 16, y: 16, "font-size": font - 1, class: "ls-svg-text", text }));
      });
      return svg;
    }

    play() {
      const last = Number(this.stepInput.max);
      if (this.layerShown === null || this.layerShown >= last) this.layerShown = 0;
      this.playButton.textContent = `■ ${this.w("receptive_field.pause")}`;
      this.renderGrowth();
      this.playing = setInterval(() => {
        if (this.layerShown >= Number(this.stepInput.max)) { this.stop(); return; }
        this.layerShown += 1;
        this.renderGrowth();
      }, 900);
    }

    stop() {
      clearInterval(this.playing);
      this.playing = null;
      if (this.playButton) this.playButton.textContent = `▶ ${this.w("receptive_field.play")}`;
    }

    renderGrowth() {
      const grid = this.grid, [row, col] = this.pixel.map((v) => Math.min(v, grid - 1));
      let frames;
      try {
        frames = M.fieldGrowth(this.valid, grid, [row, col]);
      } catch (e) {
        this.growthTitle.textContent = "";
        this.growthBox.replaceChildren(el("p", { class: "ls-warning", text: this.w("receptive_field.grid_stack_cannot_run", { grid }) + this.errorText(e) }));
        return;
      }
      const last = frames.masks.length - 1;
      if (this.layerShown === null || this.layerShown > last) this.layerShown = last;
      const shown = this.layerShown;
      this.stepInput.max = String(last);
      this.stepInput.value = String(shown);
      const entry = frames.rows[shown], mask = frames.masks[shown];
      let seen = 0;
      for (let c = 0; c < grid; c++) for (let r = 0; r < grid; r++) if (mask[r * grid + c]) { seen += 1; break; }
      this.growthTitle.textContent = this.w("receptive_field.after_layer_sees_pixels_theory", { i: shown, frames_rows: last,
        name: entry.layer ? this.name(entry.layer) : this.w("receptive_field.input_pixel"), seen, size: entry.size, jump_value: entry.jump });
      this.growthTitle.dataset.seen = String(seen);
      if (!this.gridCanvas || !this.growthBox.contains(this.gridCanvas)) this.growthBox.replaceChildren(...this.gridElements());
      this.drawGrid(frames, mask, [row, col], last);
    }

    /** The input grid on a canvas (thousands of cells redrawn per edit stay within a frame): the field of
     * the followed unit coloured by the layer each pixel joined at, numbered up to 32×32, the pixel outlined. */
    drawGrid(frames, mask, pixel, last) {
      const grid = this.grid, numbers = grid <= 32, canvas = this.gridCanvas;
      const cell = Math.max(8, Math.floor((this.data.present ? 900 : 640) / grid)), side = grid * cell + 1;
      const ratio = window.devicePixelRatio || 1;
      if (canvas.width !== Math.round(side * ratio)) {
        canvas.width = Math.round(side * ratio);
        canvas.height = Math.round(side * ratio);
        canvas.style.aspectRatio = "1 / 1";
      }
      canvas.style.maxWidth = `${side}px`;
      canvas.setAttribute("aria-label", this.w("layer_stack.grid_label", { grid, row: pixel[0], col: pixel[1] }));
      canvas.dataset.grid = String(grid);
      const style = getComputedStyle(this.root), g = canvas.getContext("2d");
      g.setTransform(ratio, 0, 0, ratio, 0, 0);
      g.fillStyle = style.getPropertyValue("--ls-panel").trim() || "#f0f2f6";
      g.fillRect(0, 0, side, side);
      g.strokeStyle = style.getPropertyValue("--ls-border").trim() || "rgba(128,128,128,0.35)";
      g.lineWidth = 1;
      g.beginPath();
      for (let k = 0; k <= grid; k++) {
        g.moveTo(k * cell + 0.5, 0); g.lineTo(k * cell + 0.5, side);
        g.moveTo(0, k * cell + 0.5); g.lineTo(side, k * cell + 0.5);
      }
      g.stroke();
      g.font = `${Math.round(cell * 0.58)}px ${style.fontFamily}`;
      g.textAlign = "center";
      g.textBaseline = "middle";
      for (let r = 0; r < grid; r++) {
        for (let c = 0; c < grid; c++) {
          const p = r * grid + c;
          if (!mask[p]) continue;
          const colour = cividis(frames.joined[p] / Math.max(last, 1));
          g.fillStyle = colour;
          g.fillRect(c * cell + 1, r * cell + 1, cell - 1, cell - 1);
          if (numbers) {
            g.fillStyle = inkOn(colour);
            g.fillText(String(frames.joined[p]), c * cell + cell / 2 + 0.5, r * cell + cell / 2 + 1);
          }
        }
      }
      g.strokeStyle = HIGHLIGHT;
      g.lineWidth = Math.max(2, cell / 6);
      g.strokeRect(pixel[1] * cell + 0.5, pixel[0] * cell + 0.5, cell, cell);
      this.gridCell = cell;
      if (this.legendFor !== last) {
        this.legendFor = last;
        this.gridLegend.replaceChildren(el("span", { text: this.w("receptive_field.joined_layer") }),
          ...Array.from({ length: last + 1 }, (_, i) => el("span", { class: "ls-swatch", style: `background:${cividis(i / Math.max(last, 1))};color:${inkOn(cividis(i / Math.max(last, 1)))}`, text: String(i) })));
      }
    }

    /** Follow another pixel: a click or tap on the grid, or the arrow keys while it has the focus. */
    pick(r, c) {
      const grid = this.grid;
      this.pixel = [Math.min(Math.max(r, 0), grid - 1), Math.min(Math.max(c, 0), grid - 1)];
      this.rowInput.value = this.pixel[0];
      this.colInput.value = this.pixel[1];
      this.renderGrowth();
      this.schedule();
    }

    gridElements() {
      const canvas = el("canvas", { class: "ls-grid", tabindex: 0, role: "img" });
      canvas.addEventListener("click", (e) => {
        const box = canvas.getBoundingClientRect(), scale = (this.grid * this.gridCell + 1) / box.width;
        this.pick(Math.floor(((e.clientY - box.top) * scale) / this.gridCell), Math.floor(((e.clientX - box.left) * scale) / this.gridCell));
        canvas.focus();
      });
      canvas.addEventListener("keydown", (e) => {
        const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
        if (!moves[e.key]) return;
        e.preventDefault();
        const [row, col] = this.pixel.map((v) => Math.min(v, this.grid - 1));
        this.pick(row + moves[e.key][0], col + moves[e.key][1]);
      });
      this.gridCanvas = canvas;
      this.gridLegend = el("div", { class: "ls-legend" });
      this.legendFor = null;
      return [canvas, this.gridLegend];
    }

    // ---------------------------------------------------------------- the cost lesson
    buildCost() {
      this.sizeSelect = el("select", { "aria-label": this.w("full_resolution_cost.input_image_side_pixels_square"),
        onchange: (e) => { this.size = Number(e.target.value); this.renderResults(); this.schedule(); } },
        ...this.data.sizes.map((s) => el("option", { value: s, selected: s === this.size, text: `${s} × ${s}` })));
      this.costTitle = el("h3");
      this.metrics = el("div", { class: "ls-metrics" });
      this.costTable = el("div", { class: "ls-scroll" });
      this.costChart = el("div", { class: "ls-chart" });
      this.results.append(el("div", { class: "ls-controls" }, el("label", { class: "ls-control" },
        el("span", { text: this.w("full_resolution_cost.input_image_side_pixels_square") }), this.sizeSelect)),
      this.costTitle, this.metrics, this.costTable,
      el("h3", { text: this.w("full_resolution_cost.image_grows") }), this.costChart);
    }

    renderCost() {
      const size = this.size;
      this.costTitle.textContent = this.w("full_resolution_cost.cost_every_layer_pixels", { size });
      let costs;
      try {
        costs = M.layerCosts(this.valid, size);
      } catch (e) {
        this.metrics.replaceChildren();
        this.costTable.replaceChildren(el("p", { class: "ls-warning", text: this.w("full_resolution_cost.input_size_stack_cannot_run") + this.errorText(e) }));
        this.renderGrowthChart();
        return;
      }
      const flops = costs.reduce((s, c) => s + c.flops, 0), bytes = costs.reduce((s, c) => s + c.bytes, 0);
      const params = costs.reduce((s, c) => s + c.params, 0), last = costs[costs.length - 1];
      const metric = (key, value, name) => el("div", { class: "ls-metric", "data-metric": name },
        el("div", { class: "ls-metric-label", text: this.w(key) }), el("div", { class: "ls-metric-value", text: value }));
      this.metrics.replaceChildren(metric("full_resolution_cost.total_flops_one_image", si(flops, "FLOPs"), "flops"),
        metric("full_resolution_cost.activation_memory_float32", si(bytes, "B"), "memory"),
        metric("layer_stack.parameters_total", params.toLocaleString("en-US"), "params"),
        metric("full_resolution_cost.output_channels_height_width", `${last.channels} × ${last.side} × ${last.side}`, "output"));
      const [unit, scale] = flops >= 1e9 ? ["GFLOPs", 1e9] : ["MFLOPs", 1e6];
      const header = ["#", this.w("full_resolution_cost.layer"), this.w("full_resolution_cost.output_c_h_w"), this.w("layer_stack.parameters"),
        unit, this.w("full_resolution_cost.share_flops"), this.w("full_resolution_cost.activations_mib")];
      this.costTable.replaceChildren(el("table", { class: "ls-table", "aria-label": this.w("full_resolution_cost.cost_every_layer_pixels", { size }) },
        el("thead", {}, el("tr", {}, ...header.map((h) => el("th", { scope: "col", text: h })))),
        el("tbody", {}, ...costs.map((c, i) => {
          const share = flops ? (100 * c.flops) / flops : 0;
          return el("tr", { "data-row": i + 1 }, el("td", { text: String(i + 1) }), el("td", { class: "ls-name", text: this.name(c.layer) }),
            el("td", { class: "ls-num", text: `${c.channels} × ${c.side} × ${c.side}` }),
            el("td", { class: "ls-num", "data-col": "params", text: c.params.toLocaleString("en-US") }),
            el("td", { class: "ls-num", "data-col": "flops", "data-exact": c.flops, text: (c.flops / scale).toFixed(3) }),
            el("td", { class: "ls-share" }, el("span", { class: "ls-share-bar", style: `width:${share.toFixed(1)}%` }), el("span", { text: `${share.toFixed(1)}%` })),
            el("td", { class: "ls-num", "data-col": "memory", "data-exact": c.bytes, text: (c.bytes / 2 ** 20).toFixed(2) }));
        }))));
      this.renderGrowthChart();
    }

    /** Total FLOPs and activation memory against the input side, log–log, for the presets and this stack. */
    renderGrowthChart() {
      const series = Object.entries(this.data.presets).map(([name, text]) => [this.w(`preset.${name}`), M.costGrowth(M.decode(text))]);
      const current = M.encode(this.valid);
      if (!Object.values(this.data.presets).includes(current)) series.push([this.w("full_resolution_cost.your_stack"), M.costGrowth(this.valid)]);
      const charts = [["flops", this.w("full_resolution_cost.total_compute_gflops_log_scale"), 1e9],
        ["bytes", this.w("full_resolution_cost.activation_memory_mib_log_scale"), 2 ** 20]];
      this.costChart.replaceChildren(el("div", { class: "ls-pair" }, ...charts.map(([field, title, scale]) => this.logChart(series, field, title, scale))),
        el("div", { class: "ls-legend" }, ...series.map(([name], k) => el("span", { class: "ls-key" },
          el("span", { class: "ls-swatch", style: `background:${SERIES[k % SERIES.length]}` }), el("span", { text: name })))));
    }

    logChart(series, field, title, scale) {
      const font = this.data.present ? 18 : 14, width = 480, height = 300, left = 56, right = 10, top = 30, bottom = 42;
      const values = series.flatMap(([, rows]) => rows.map((r) => r[field] / scale)).filter((v) => v > 0);
      const lo = Math.floor(Math.log10(Math.min(...values, 1))), hi = Math.ceil(Math.log10(Math.max(...values, 10)));
      const sizes = M.GROWTH_SIZES;
      const x = (s) => left + ((Math.log2(s) - Math.log2(sizes[0])) / (Math.log2(sizes[sizes.length - 1]) - Math.log2(sizes[0]))) * (width - left - right);
      const y = (v) => top + (1 - (Math.log10(v) - lo) / Math.max(hi - lo, 1)) * (height - top - bottom);
      const svg = svgEl("svg", { viewBox: `0 0 ${width} ${height}`, class: "ls-svg", role: "img", "aria-label": title });
      svg.append(svgEl("text", { x: left, y: 18, "font-size": font, class: "ls-svg-title", text: title }));
      for (let e = lo; e <= hi; e++) {
        svg.append(svgEl("line", { x1: left, x2: width - right, y1: y(10 ** e), y2: y(10 ** e), class: "ls-svg-axis" }));
        svg.append(svgEl("text", { x: left - 4, y: y(10 ** e) + 4, "text-anchor": "end", "font-size": font - 2, class: "ls-svg-text", text: e >= 0 ? String(10 ** e) : (10 ** e).toFixed(-e) }));
      }
      for (const s of sizes) svg.append(svgEl("text", { x: x(s), y: height - bottom + 16, "text-anchor": "middle", "font-size": font - 2, class: "ls-svg-text", text: String(s) }));
      svg.append(svgEl("text", { x: (left + width) / 2, y: height - 6, "text-anchor": "middle", "font-size": font - 2, class: "ls-svg-muted", text: this.w("full_resolution_cost.input_side_pixels") }));
      series.forEach(([name, rows], k) => {
        const points = rows.filter((r) => r[field] > 0).map((r) => [x(r.size), y(r[field] / scale)]);
        if (!points.length) return;
        svg.append(svgEl("polyline", { points: points.map((p) => p.join(",")).join(" "), fill: "none", stroke: SERIES[k % SERIES.length], "stroke-width": 2.5 },
          svgEl("title", { text: name })));
        for (const [px, py] of points) svg.append(svgEl("circle", { cx: px, cy: py, r: 3.5, fill: SERIES[k % SERIES.length] }));
      });
      return svg;
    }

    // ---------------------------------------------------------------- everything drawn from the stack
    renderResults() {
      this.renderMessage();
      if (this.data.mode === "cost") this.renderCost();
      else { this.renderField(); this.renderGrowth(); }
    }
  }

  return { Lesson, instances };
})();

export default function (component) {
  // The server hears an edit through the lesson fragment's small state_sync component (state_sync.js says
  // why): this component announces it on a window event and never sends, so no rerun resends it.
  const { data, parentElement } = component;
  const host = parentElement;
  const send = ViewKit.announcer(data.channel);
  const announce = (edit) => send("edit", edit);
  let lesson = LayerStackView.instances.get(host);
  if (!lesson) {
    lesson = new LayerStackView.Lesson(host, data, announce);
    LayerStackView.instances.set(host, lesson);
  } else {
    lesson.send = announce;
    lesson.update(data);
  }
  return () => lesson.stop(); // a pending send stays: the student's last edit still reaches the link
}
