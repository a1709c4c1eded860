// What every lesson view draws with, written once: elements (HTML and SVG), the catalogs' format fields, the
// little Markdown the lessons' words use, and the app's heat-map colours. One namespace, loaded before a
// component's view file (pages/components/*.py name it in their JS list).
const ViewKit = (() => {
  const SVG = "http://www.w3.org/2000/svg";

  // An element: el("div", {class, text, html, style, onclick, ...attributes}, ...children); "svg:rect" for SVG.
  function el(tag, attrs, ...children) {
    const svg = tag.startsWith("svg:");
    const node = svg ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class" && !svg) node.className = v;
      else if (k === "html") node.innerHTML = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
      else if (k === "style" && !svg) node.style.cssText = v;
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) node.append(child);
    return node;
  }

  // Python's %g, as the catalogs' {name:g} and {name:.3g} write a number.
  function gFormat(v, precision) {
    if (v === 0) return "0";
    const exp = Math.floor(Math.log10(Math.abs(v)));
    if (exp < -4 || exp >= precision) {
      const [m, e] = v.toExponential(Math.max(precision - 1, 0)).split("e");
      const n = parseInt(e, 10);
      return `${m.includes(".") ? m.replace(/\.?0+$/, "") : m}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
    }
    const fixed = v.toFixed(Math.max(0, precision - 1 - exp));
    return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
  }

  // The catalogs' Python format fields: {name}, {name:.2f}, {name:g}, {name:.3g}; unknown names stay as written.
  function fmt(template, params) {
    return String(template).replace(/\{([A-Za-z_][A-Za-z0-9_]*)(?::([^{}]*))?\}/g, (whole, name, spec) => {
      if (!params || !(name in params)) return whole;
      const v = params[name];
      if (!spec || typeof v !== "number") return String(v);
      let m = /^\.(\d+)f$/.exec(spec);
      if (m) return v.toFixed(Number(m[1]));
      m = /^(?:\.(\d+))?g$/.exec(spec);
      if (m) return gFormat(v, m[1] === undefined ? 6 : Number(m[1]));
      return String(v);
    });
  }

  const escapeHtml = s => String(s).replace(/[&<>"']/g, ch => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]);

  // The little Markdown the lessons' words use: paragraphs, lists, **bold**, *italic*, `code`, $math$ as text.
  function markdown(text) {
    const inline = s => escapeHtml(s)
      .replace(/`([^`]+)`/g, "<code>$1</code>")
      .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
      .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, "$1<em>$2</em>")
      .replace(/\$([^$]+)\$/g, "<span class=\"pw-math\">$1</span>");
    return String(text || "").trim().split(/\n\s*\n/).map(block => {
      const lines = block.split("\n");
      if (lines.every(l => /^\s*([-*]|\d+\.)\s/.test(l))) {
        return `<ul>${lines.map(l => `<li>${inline(l.replace(/^\s*([-*]|\d+\.)\s/, ""))}</li>`).join("")}</ul>`;
      }
      return `<p>${inline(lines.join(" "))}</p>`;
    }).join("");
  }

  function hexToRgb(hex) {
    const h = hex.replace("#", "");
    return [0, 2, 4].map(i => parseInt(h.slice(i, i + 2), 16));
  }

  // Dark text on a light colour, white on a dark one.
  const readable = rgb => (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2] > 140 ? "#111" : "#fff");

  // The app's heat-map scale (cividis, lessons/figures/palette.py) from lo to hi: v -> {background, color}.
  function makeScale(stops, lo, hi) {
    const rgb = stops.map(hexToRgb);
    return v => {
      const t = hi > lo ? Math.min(1, Math.max(0, (v - lo) / (hi - lo))) : 0.5;
      const x = t * (rgb.length - 1);
      const i = Math.min(rgb.length - 2, Math.floor(x));
      const c = rgb[i].map((a, k) => Math.round(a + (rgb[i + 1][k] - a) * (x - i)));
      return { background: `rgb(${c.join(",")})`, color: readable(c) };
    };
  }

  // A lesson's state on its way to the server: sent `ms` after the last change, and only when it differs from
  // what the server was last sent. `knows(text)` tells a server's state the student already has (an echo of
  // one of the last 30 sent) from a new one (a link, a preset), which `holds(text)` then records.
  function stateSender(send, ms, first) {
    const sent = [first];
    let timer = null;
    const remember = text => { sent.push(text); if (sent.length > 30) sent.shift(); };
    return {
      schedule(current) {
        clearTimeout(timer);
        timer = setTimeout(() => {
          const text = JSON.stringify(current());
          if (sent[sent.length - 1] === text) return; // back where the server already is
          remember(text);
          send("state", JSON.parse(text));
        }, ms);
      },
      cancel() { clearTimeout(timer); },
      knows: text => sent.includes(text),
      holds: remember,
    };
  }

  // How a lesson's component hands its state to the server: a `pixelwise:state` window event on its channel,
  // which the lesson fragment's state_sync.js passes on with setStateValue (state_sync.js says why).
  const announcer = channel => (name, value) => window.dispatchEvent(
    new CustomEvent("pixelwise:state", { detail: { channel, name, value } }));

  // The component's entry: the first mount creates the app, a rerun hands it the server's new data (the
  // student's own state stays unless the server's is new), unmounting destroys it.
  function mountApp(apps, component, create) {
    const { data, parentElement } = component;
    const app = apps.get(parentElement);
    if (app) {
      app.update(data);
      return undefined;
    }
    const created = create(parentElement, data);
    apps.set(parentElement, created);
    return () => { created.destroy(); apps.delete(parentElement); };
  }

  return { el, gFormat, fmt, escapeHtml, markdown, hexToRgb, readable, makeScale, stateSender, announcer, mountApp };
})();
