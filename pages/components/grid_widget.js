// An editable number grid that follows the ARIA grid pattern, for every small-grid lesson in the browser.
// role="grid" named by aria-label; each cell a role="gridcell" holding its value as text. Arrow keys move,
// typing a number then Enter commits, Escape cancels, Tab leaves; a tap (or click) edits. Invalid text gets
// a message under the grid naming the cell, and the last valid grid stays in use. No DOM outside `host`;
// words come in `options.words` (from the message catalogs), formatted by `options.format`.
const GridWidget = (() => {
  const LIMIT = 1e6;

  // "1.25", "1,25", "−1", "5/4" → a number; anything else → null (the caller says why).
  function parseNumber(text) {
    const t = String(text).trim().replace(/\u2212/g, "-").replace(/\s+/g, "");
    if (!t) return { error: "empty" };
    const plain = /^[-+]?(\d+([.,]\d*)?|[.,]\d+)(e[-+]?\d+)?$/i;
    const fraction = /^[-+]?\d+([.,]\d+)?\/[-+]?\d+([.,]\d+)?$/;
    let value;
    if (plain.test(t)) value = Number(t.replace(",", "."));
    else if (fraction.test(t)) {
      const [a, b] = t.split("/").map(part => Number(part.replace(",", ".")));
      value = a / b;
    } else if (/^[-+]?(inf(inity)?|nan)$/i.test(t)) return { error: "not_finite" };
    else return { error: "not_number" };
    if (!Number.isFinite(value)) return { error: "not_finite" };
    if (Math.abs(value) > LIMIT) return { error: "too_large" };
    return { value };
  }

  // How a value is written in a cell: up to 4 decimals, no trailing zeros.
  function show(v) {
    if (Object.is(v, -0)) v = 0;
    const r = Math.round(v * 1e4) / 1e4;
    return String(r);
  }

  // A seeded pseudo-random generator (mulberry32): "Random" gives a fresh grid, tests can repeat one.
  function rng(seed) {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function randomGrid(rows, cols, low, high, seed) {
    const next = rng(seed);
    return Array.from({ length: rows }, () => Array.from({ length: cols }, () => low + Math.floor(next() * (high - low + 1))));
  }

  // options: {label, values, words, format, maxSide, minSide, square, resizable, buttons, low, high,
  //           onChange(values), colour(value) -> {background, color} | null, name}
  function create(host, options) {
    const o = Object.assign({ maxSide: 8, minSide: 1, square: false, resizable: true, buttons: true, low: 0, high: 9 }, options);
    const w = key => o.words[key] || key;
    let values = o.values.map(row => [...row]);
    const initial = o.values.map(row => [...row]);
    let active = [0, 0];
    let editing = null; // {row, col, input}
    let randomSeed = 1;

    const box = document.createElement("div");
    box.className = "pw-grid-box";
    const grid = document.createElement("div");
    grid.className = "pw-grid pw-editable";
    grid.setAttribute("role", "grid");
    grid.setAttribute("aria-label", o.label);
    const message = document.createElement("div");
    message.className = "pw-grid-message";
    message.setAttribute("role", "status");
    message.setAttribute("aria-live", "polite");
    const controls = document.createElement("div");
    controls.className = "pw-grid-controls";
    box.append(grid, message, controls);
    host.appendChild(box);

    function cellAt(r, c) {
      return grid.querySelector(`[data-row="${r}"][data-col="${c}"]`);
    }

    function paint(cell, v) {
      const colours = o.colour ? o.colour(v) : null;
      if (colours) {
        cell.style.background = colours.background;
        cell.style.color = colours.color;
      }
    }

    function draw() {
      grid.replaceChildren();
      grid.style.setProperty("--cols", values[0].length);
      values.forEach((row, r) => {
        const line = document.createElement("div");
        line.setAttribute("role", "row");
        line.className = "pw-row";
        row.forEach((v, c) => {
          const cell = document.createElement("div");
          cell.setAttribute("role", "gridcell");
          cell.className = "pw-cell";
          cell.dataset.row = r;
          cell.dataset.col = c;
          cell.tabIndex = r === active[0] && c === active[1] ? 0 : -1;
          cell.textContent = show(v);
          paint(cell, v);
          line.appendChild(cell);
        });
        grid.appendChild(line);
      });
    }

    function focus(r, c) {
      r = Math.max(0, Math.min(values.length - 1, r));
      c = Math.max(0, Math.min(values[0].length - 1, c));
      const old = cellAt(active[0], active[1]);
      if (old) old.tabIndex = -1;
      active = [r, c];
      const cell = cellAt(r, c);
      if (cell) {
        cell.tabIndex = 0;
        cell.focus();
      }
    }

    function say(text) {
      message.textContent = text || "";
      message.hidden = !text;
    }

    function startEdit(r, c, typed) {
      if (editing) return;
      focus(r, c);
      const cell = cellAt(r, c);
      const input = document.createElement("input");
      input.className = "pw-cell-input";
      input.setAttribute("inputmode", "decimal");
      input.setAttribute("aria-label", o.format(w("grid.row_column"), { r, c }));
      input.value = typed !== undefined ? typed : show(values[r][c]);
      cell.textContent = "";
      cell.appendChild(input);
      editing = { row: r, col: c, input };
      input.focus();
      if (typed === undefined) input.select();
      input.addEventListener("keydown", event => {
        if (event.key === "Enter") {
          event.preventDefault();
          commit();
          focus(r, c);
        } else if (event.key === "Escape") {
          event.preventDefault();
          cancel();
        } else if (event.key === "Tab") {
          commit(); // then the browser moves the focus out of the grid
        }
        event.stopPropagation();
      });
      input.addEventListener("blur", () => { if (editing && editing.input === input) commit(); });
    }

    function finishEdit() {
      const { row, col } = editing;
      editing = null;
      const cell = cellAt(row, col);
      if (cell) {
        cell.textContent = show(values[row][col]);
        paint(cell, values[row][col]);
      }
    }

    function commit() {
      if (!editing) return;
      const { row, col, input } = editing;
      const text = input.value;
      const parsed = parseNumber(text);
      const where = o.format(w("grid.row_column"), { r: row, c: col });
      if (parsed.error) {
        const key = { empty: "grid.empty_every_cell_needs_number", not_number: "grid.not_number",
          not_finite: "grid.not_finite_number", too_large: "grid.too_large_keep_values_within" }[parsed.error];
        const named = o.format(w(key), { where, text: text.trim(), LIMIT });
        say(o.format(w("grid.still_using_last_valid_grid"), { named: named.charAt(0).toUpperCase() + named.slice(1) }));
        finishEdit();
        return;
      }
      say("");
      const changed = values[row][col] !== parsed.value;
      values[row][col] = parsed.value;
      finishEdit();
      if (changed) o.onChange(values.map(r => [...r]));
    }

    function cancel() {
      if (!editing) return;
      const { row, col } = editing;
      finishEdit();
      focus(row, col);
    }

    grid.addEventListener("keydown", event => {
      if (editing) return;
      const [r, c] = active;
      const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
      if (moves[event.key]) {
        event.preventDefault();
        focus(r + moves[event.key][0], c + moves[event.key][1]);
      } else if (event.key === "Home") { event.preventDefault(); focus(r, 0); }
      else if (event.key === "End") { event.preventDefault(); focus(r, values[0].length - 1); }
      else if (event.key === "Enter" || event.key === "F2") { event.preventDefault(); startEdit(r, c); }
      else if (event.key.length === 1 && event.key !== " " && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        startEdit(r, c, event.key);
      }
    });
    grid.addEventListener("focusin", event => { // a cell focused by a tap or a script becomes the active one
      const cell = event.target.closest("[role=gridcell]");
      if (!cell || editing) return;
      const r = Number(cell.dataset.row), c = Number(cell.dataset.col);
      if (r === active[0] && c === active[1]) return;
      const old = cellAt(active[0], active[1]);
      if (old) old.tabIndex = -1;
      active = [r, c];
      cell.tabIndex = 0;
    });
    grid.addEventListener("click", event => {
      const cell = event.target.closest("[role=gridcell]");
      if (cell && !cell.querySelector("input")) startEdit(Number(cell.dataset.row), Number(cell.dataset.col));
    });

    function resize(rows, cols) {
      rows = Math.max(o.minSide, Math.min(o.maxSide, rows));
      cols = Math.max(o.minSide, Math.min(o.maxSide, cols));
      values = Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => (values[r] && values[r][c] !== undefined ? values[r][c] : 0)));
      active = [Math.min(active[0], rows - 1), Math.min(active[1], cols - 1)];
      draw();
      drawControls();
      o.onChange(values.map(r => [...r]));
    }

    function sizeInput(labelKey, value, set) {
      const label = document.createElement("label");
      label.className = "pw-size";
      const span = document.createElement("span");
      span.textContent = w(labelKey);
      const input = document.createElement("input");
      input.type = "number";
      input.min = o.minSide;
      input.max = o.maxSide;
      input.step = 1;
      input.value = value;
      input.addEventListener("change", () => {
        const n = Math.round(Number(input.value));
        if (Number.isFinite(n)) set(n);
      });
      label.append(span, input);
      return label;
    }

    function button(labelKey, action) {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = w(labelKey);
      b.addEventListener("click", action);
      return b;
    }

    function drawControls() {
      controls.replaceChildren();
      if (o.resizable) {
        if (o.square) controls.appendChild(sizeInput("grid.size_rows_columns", values.length, n => resize(n, n)));
        else {
          controls.appendChild(sizeInput("grid.rows", values.length, n => resize(n, values[0].length)));
          controls.appendChild(sizeInput("grid.columns", values[0].length, n => resize(values.length, n)));
        }
      }
      if (o.buttons) {
        controls.appendChild(button("grid.reset", () => { api.set(initial); o.onChange(api.values()); }));
        controls.appendChild(button("grid.random", () => {
          api.set(randomGrid(values.length, values[0].length, o.low, o.high, randomSeed++ * 7919 + Date.now() % 1000));
          o.onChange(api.values());
        }));
      }
    }

    const api = {
      element: box,
      values: () => values.map(r => [...r]),
      set(next) {
        if (editing) { editing = null; }
        values = next.map(r => [...r]);
        active = [Math.min(active[0], values.length - 1), Math.min(active[1], values[0].length - 1)];
        say("");
        draw();
        drawControls();
      },
      recolour(colour) { // restyle the cells in place: the focus and an open edit stay where they are
        o.colour = colour;
        grid.querySelectorAll("[role=gridcell]").forEach(cell => paint(cell, values[cell.dataset.row][cell.dataset.col]));
      },
      isEditing: () => !!editing,
    };
    draw();
    drawControls();
    say("");
    return api;
  }

  return { create, parseNumber, show, randomGrid };
})();
