// The sliding-window animation in the browser: the window sweeps the picture pass by pass and each centre
// pixel gets its label, every label cut from the one fully convolutional pass the server sent once. Play,
// pause and the step slider (arrow keys, Page Up/Down) run here: no server round trip, every pass reachable.
const SlidingWindowView = (() => {
  const M = SlidingWindowMath;
  const HIGHLIGHT = "#D55E00";
  const SLOW_PASSES = 6, SLOW_MS = 450, SWEEP_MS = 12000, TICK_MS = 40;
  const instances = new WeakMap();

  const el = ViewKit.el;
  const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

  class Sweep {
    constructor(host, data) {
      this.host = host;
      this.root = el("div", { class: "sw-root" });
      host.append(this.root);
      this.timer = null;
      this.load(data);
    }

    w(key, params = {}) {
      const words = this.data.words || {};
      const template = key in words ? words[key] : key;
      return String(template).replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
    }

    load(data) {
      this.stop();
      this.data = data;
      const { height, width, classes } = data;
      this.total = height * width;
      const scores = M.decodeScores(data.scores);
      ({ label: this.label, probability: this.probability } = M.labels(scores, classes, height, width));
      this.index = 0;
      this.drawn = -1;
      this.canvas = document.createElement("canvas");
      this.canvas.width = width;
      this.canvas.height = height;
      this.context = this.canvas.getContext("2d");
      this.pixels = this.context.createImageData(width, height);
      this.colours = data.colours.map(rgb);
      this.build();
      this.show(0);
    }

    build() {
      const d = this.data, h = d.half, side = [d.width + 2 * h, d.height + 2 * h];
      const box = `0 0 ${side[0]} ${side[1]}`;
      const svg = (label) => el("svg:svg", { viewBox: box, class: "sw-svg", role: "img", "aria-label": label });
      const input = svg(this.w("sliding_window.input_image_pale_repeated_edge", { size: d.height }));
      input.append(el("svg:image", { href: d.picture, x: 0, y: 0, width: side[0], height: side[1], preserveAspectRatio: "none", class: "sw-pixels" }),
        el("svg:rect", { x: h, y: h, width: d.width, height: d.height, class: "sw-edge" }));
      this.window = el("svg:rect", { class: "sw-window", width: 2 * h + 1, height: 2 * h + 1 });
      this.centreIn = el("svg:rect", { class: "sw-centre", width: 1, height: 1 });
      input.append(this.window, this.centreIn);
      const output = svg(this.w("sliding_window.output_each_centre_pixel_s"));
      this.labels = el("svg:image", { x: h, y: h, width: d.width, height: d.height, preserveAspectRatio: "none", class: "sw-pixels" });
      this.centreOut = el("svg:rect", { class: "sw-centre", width: 1, height: 1 });
      output.append(this.labels, this.centreOut);
      this.caption = el("p", { class: "sw-caption", "aria-live": "polite" });
      this.play = el("button", { type: "button", class: "sw-button", onclick: () => (this.timer ? this.stop() : this.start()) });
      this.slider = el("input", { type: "range", min: 0, max: this.total - 1, step: 1, value: 0, class: "sw-range",
        "aria-label": this.w("sliding_window.forward_pass"),
        oninput: (e) => { this.stop(); this.show(Number(e.target.value)); } });
      const panel = (title, picture) => el("figure", { class: "sw-panel" }, el("figcaption", { text: title }), picture);
      const swatch = (colour, text, cls = "sw-swatch") => el("span", { class: "sw-key" }, el("span", { class: cls, style: `background:${colour}` }), el("span", { text }));
      const legend = el("div", { class: "sw-legend" },
        ...d.class_names.map((name, k) => swatch(d.colours[k], name)), swatch(d.not_yet, this.w("sliding_window.not_computed_yet")),
        swatch(HIGHLIGHT, this.w("sliding_window.window", { patch: d.patch }), "sw-swatch sw-line"),
        swatch("transparent", this.w("sliding_window.image_edge"), "sw-swatch sw-dotted"));
      this.root.className = `sw-root${d.present ? " sw-present" : ""}`;
      this.root.replaceChildren(this.caption,
        el("div", { class: "sw-panels" }, panel(this.w("sliding_window.input_image_pale_repeated_edge", { size: d.height }), input),
          panel(this.w("sliding_window.output_each_centre_pixel_s"), output)),
        el("div", { class: "sw-controls" }, this.play, el("label", { class: "sw-step" },
          el("span", { text: this.w("sliding_window.forward_pass") }), this.slider)), legend);
      this.setPlayLabel();
    }

    setPlayLabel() {
      this.play.textContent = this.timer ? `❚❚ ${this.w("sliding_window.pause")}` : `▶ ${this.w("sliding_window.play")}`;
    }

    /** Draw pass `index`: the window and its centre, and the label map up to and including that pass. */
    show(index) {
      const d = this.data, h = d.half;
      this.index = Math.min(Math.max(index, 0), this.total - 1);
      const { row, col } = M.pass(this.index, d.width, h);
      this.window.setAttribute("x", col);
      this.window.setAttribute("y", row);
      for (const [rect, shift] of [[this.centreIn, h], [this.centreOut, h]]) {
        rect.setAttribute("x", col + shift);
        rect.setAttribute("y", row + shift);
      }
      const px = this.pixels.data, grey = rgb(d.not_yet);
      const from = this.drawn < 0 ? 0 : Math.min(this.drawn, this.index) + 1, to = Math.max(this.drawn, this.index);
      for (let p = this.drawn < 0 ? 0 : from; p <= (this.drawn < 0 ? this.total - 1 : to); p++) {
        const colour = p <= this.index ? this.colours[this.label[p]] : grey;
        px.set([colour[0], colour[1], colour[2], 255], 4 * p);
      }
      this.drawn = this.index;
      this.context.putImageData(this.pixels, 0, 0);
      this.labels.setAttribute("href", this.canvas.toDataURL());
      this.slider.value = String(this.index);
      const p = this.index, format = (n) => n.toLocaleString("en-US");
      this.caption.textContent = this.w("sliding_window.forward_pass_pixel_row_col", { done: format(p + 1), total: format(this.total),
        row, col, label: d.class_names[this.label[p]], p: `${Math.round(100 * this.probability[p])}%` });
      this.caption.dataset.label = String(this.label[p]);
      this.caption.dataset.index = String(p);
    }

    start() {
      if (this.index >= this.total - 1) this.show(0);
      this.caption.setAttribute("aria-live", "off");
      const fast = Math.max(1, Math.round((this.total * TICK_MS) / SWEEP_MS));
      const step = () => {
        if (this.index >= this.total - 1) { this.stop(); return; }
        const slow = this.index < SLOW_PASSES;
        this.show(this.index + (slow ? 1 : fast));
        this.timer = setTimeout(step, slow ? SLOW_MS : TICK_MS);
      };
      this.timer = setTimeout(step, SLOW_MS);
      this.setPlayLabel();
    }

    stop() {
      clearTimeout(this.timer);
      this.timer = null;
      if (this.play) { this.setPlayLabel(); this.caption.setAttribute("aria-live", "polite"); }
    }
  }

  return { Sweep, instances };
})();

export default function (component) {
  const { data, parentElement } = component;
  let sweep = SlidingWindowView.instances.get(parentElement);
  if (!sweep) {
    sweep = new SlidingWindowView.Sweep(parentElement, data);
    SlidingWindowView.instances.set(parentElement, sweep);
  } else if (sweep.data.scores !== data.scores || sweep.data.picture !== data.picture || sweep.data.present !== data.present
             || JSON.stringify(sweep.data.words) !== JSON.stringify(data.words)) {
    sweep.load(data);
  }
  return () => sweep.stop();
}
