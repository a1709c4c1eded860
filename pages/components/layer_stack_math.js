// Layer-stack arithmetic in the browser: the second implementation of ops/layer_stack (layers.py,
// receptive_field.py, cost.py), so an edit of the stack is answered within a frame. No DOM here: the tests
// load this file alone into Chromium and compare every function with ops and with PyTorch.
// Errors are thrown as {key, params}: the message keys of ops (stack.*), translated by the page.
const LayerStackMath = (() => {
  const CONV = "conv", MAX_POOL = "max-pool", AVG_POOL = "avg-pool", TCONV = "tconv";
  const NEAREST = "up-nearest", BILINEAR = "up-bilinear", BICUBIC = "up-bicubic", NAILS = "up-nails", UNPOOL = "up-unpool";
  const UPSAMPLERS = [NEAREST, BILINEAR, BICUBIC, NAILS, UNPOOL];
  const KINDS = [CONV, MAX_POOL, AVG_POOL, TCONV, ...UPSAMPLERS];
  const PARAMETERS = {
    [CONV]: ["kernel", "stride", "dilation", "padding", "channels"],
    [MAX_POOL]: ["kernel", "stride", "padding"],
    [AVG_POOL]: ["kernel", "stride", "padding"],
    [TCONV]: ["kernel", "stride", "padding", "channels"],
  };
  const LIMITS = { kernel: [1, 64], stride: [1, 32], dilation: [1, 16], padding: [0, 64], channels: [1, 4096] };
  const MAX_LAYERS = 40, MAX_SIZE = 4096, MAX_PROBE = 1024, BYTES_PER_VALUE = 4;
  const GROWTH_SIZES = [64, 128, 256, 512, 1024];

  function fail(key, params = {}) {
    throw { key, params };
  }

  const isUpsampling = (layer) => UPSAMPLERS.includes(layer.kind) || layer.kind === TCONV;
  const span = (layer) => layer.dilation * (layer.kernel - 1) + 1;
  const factor = (layer) => (layer.kind === TCONV ? layer.stride : UPSAMPLERS.includes(layer.kind) ? 2 : 1);
  const isPairedPool = (layer) => layer.kind === MAX_POOL && layer.kernel === 2 && layer.stride === 2 && layer.padding === 0;

  function layer(kind, kernel = 1, stride = 1, dilation = 1, padding = 0, channels = null) {
    return { kind, kernel, stride, dilation, padding, channels };
  }

  /** The numbers of a layer after its kind's name, as ops' Layer.settings(): '3×3 s1 p1 → 64'. */
  function settings(l) {
    const k = `${l.kernel}×${l.kernel}`;
    if (l.kind === CONV) return `${k} s${l.stride}${l.dilation !== 1 ? ` d${l.dilation}` : ""} p${l.padding} → ${l.channels}`;
    if (l.kind === MAX_POOL || l.kind === AVG_POOL) return `${k} s${l.stride}` + (l.padding ? ` p${l.padding}` : "");
    if (l.kind === TCONV) return `${k} s${l.stride} p${l.padding} → ${l.channels}`;
    return "";
  }

  const SHORT = { [CONV]: "conv", [MAX_POOL]: "max pool", [AVG_POOL]: "avg pool", [TCONV]: "transposed conv",
    [NEAREST]: "up ×2 nearest", [BILINEAR]: "up ×2 bilinear", [BICUBIC]: "up ×2 bicubic",
    [NAILS]: "up ×2 bed of nails", [UNPOOL]: "up ×2 max unpool" };
  /** ops' Layer.describe(): the English name and the numbers (used inside ops' error messages). */
  const describe = (l) => `${SHORT[l.kind]} ${settings(l)}`.trim();

  function normalise(l) {
    const used = PARAMETERS[l.kind] || [];
    const up = UPSAMPLERS.includes(l.kind);
    return layer(l.kind,
      used.includes("kernel") ? l.kernel : (up ? 2 : 1),
      used.includes("stride") ? l.stride : (up ? 2 : 1),
      used.includes("dilation") ? l.dilation : 1,
      used.includes("padding") ? l.padding : 0,
      used.includes("channels") ? l.channels : null);
  }

  function whole(value, name, index, kind) {
    const [lo, hi] = LIMITS[name];
    if (value === null || value === undefined || (typeof value === "number" && Number.isNaN(value))
        || (typeof value === "string" && value.trim() === "")) {
      fail("stack.value_empty", { layer: index, kind, name, lo, hi });
    }
    const number = typeof value === "number" ? value : Number(String(value).trim().replace(/^\+/, ""));
    if (Number.isNaN(number)) fail("stack.value_not_a_number", { layer: index, kind, name, value: `'${value}'` });
    if (!Number.isFinite(number) || number !== Math.trunc(number)) {
      fail("stack.value_not_whole", { layer: index, kind, name, lo, hi, value: typeof value === "string" ? `'${value}'` : String(value) });
    }
    if (number < lo || number > hi) fail("stack.value_out_of_range", { layer: index, kind, name, lo, hi, value: number });
    return number;
  }

  /** ops' check_layer: clean whole-number parameters, or an error naming the layer. */
  function checkLayer(l, i) {
    if (!KINDS.includes(l.kind)) fail("stack.unknown_kind", { layer: i + 1, kind: `'${l.kind}'`, kinds: KINDS.join(", ") });
    const clean = { ...l };
    for (const name of PARAMETERS[l.kind] || []) clean[name] = whole(l[name], name, i + 1, l.kind);
    const out = normalise(clean);
    if ((out.kind === MAX_POOL || out.kind === AVG_POOL) && 2 * out.padding > out.kernel) {
      fail("stack.pool_padding", { layer: i + 1, kind: out.kind, most: Math.floor(out.kernel / 2), padding: out.padding });
    }
    return out;
  }

  /** Side of every layer's output for a square input of `size` (index 0 the input): ops' output_sizes. */
  function outputSizes(layers, size) {
    const sizes = [size], pools = [];
    layers.forEach((l, i) => {
      const n = sizes[sizes.length - 1];
      let out;
      if (l.kind === CONV) out = Math.floor((n + 2 * l.padding - span(l)) / l.stride) + 1;
      else if (l.kind === MAX_POOL || l.kind === AVG_POOL) {
        out = Math.floor((n + 2 * l.padding - l.kernel) / l.stride) + 1;
        if (isPairedPool(l)) pools.push([n, out]);
      } else if (l.kind === TCONV) out = (n - 1) * l.stride - 2 * l.padding + l.kernel;
      else if (l.kind === UNPOOL) {
        if (!pools.length) fail("stack.unpool_without_pool", { layer: i + 1 });
        const [poolIn, poolOut] = pools.pop();
        if (poolOut !== n) fail("stack.unpool_size_mismatch", { layer: i + 1, n, pooled: poolOut });
        out = poolIn;
      } else out = 2 * n;
      if (out < 1) fail("stack.outputs_nothing", { layer: i + 1, layer_text: describe(l), n, out, size });
      if (out > MAX_SIZE) fail("stack.output_too_large", { layer: i + 1, layer_text: describe(l), out, most: MAX_SIZE });
      sizes.push(out);
    });
    return sizes;
  }

  function channelsAfter(layers, inChannels = 3) {
    const channels = [inChannels];
    for (const l of layers) channels.push(l.kind === CONV || l.kind === TCONV ? l.channels : channels[channels.length - 1]);
    return channels;
  }

  function checkUnpoolChannels(layers) {
    const channels = channelsAfter(layers, 0), pools = [];
    layers.forEach((l, i) => {
      if (isPairedPool(l)) pools.push(channels[i]);
      else if (l.kind === UNPOOL) {
        if (!pools.length) fail("stack.unpool_without_pool", { layer: i + 1 });
        const pooled = pools.pop();
        if (pooled && channels[i] !== pooled) fail("stack.unpool_channels", { layer: i + 1, channels: channels[i], pooled });
      }
    });
  }

  /** ops' check_stack: the whole stack valid (and runnable at `size` when given), else an error. */
  function checkStack(layers, size = null) {
    if (!layers.length) fail("stack.empty");
    if (layers.length > MAX_LAYERS) fail("stack.too_many_layers", { count: layers.length, most: MAX_LAYERS });
    const clean = layers.map(checkLayer);
    checkUnpoolChannels(clean);
    if (size !== null && size !== undefined) outputSizes(clean, size);
    return clean;
  }

  // ------------------------------------------------------------------ the URL text (ops' encode/decode_stack)
  const UP_CODES = { [NEAREST]: "un", [BILINEAR]: "ub", [BICUBIC]: "uc", [NAILS]: "uz", [UNPOOL]: "uu" };
  const UP_KINDS = Object.fromEntries(Object.entries(UP_CODES).map(([k, c]) => [c, k]));
  const TOKEN = /^(?:c(\d+)s(\d+)d(\d+)p(\d+)n(\d+)|([ma])(\d+)s(\d+)p(\d+)|t(\d+)s(\d+)p(\d+)n(\d+)|(u[nbczu]))$/;

  function encode(layers) {
    return layers.map((l) => {
      if (l.kind === CONV) return `c${l.kernel}s${l.stride}d${l.dilation}p${l.padding}n${l.channels}`;
      if (l.kind === MAX_POOL || l.kind === AVG_POOL) return `${l.kind[0]}${l.kernel}s${l.stride}p${l.padding}`;
      if (l.kind === TCONV) return `t${l.kernel}s${l.stride}p${l.padding}n${l.channels}`;
      return UP_CODES[l.kind];
    }).join("-");
  }

  function decode(text) {
    if (typeof text !== "string" || !text.trim()) fail("stack.text_empty");
    const layers = [];
    const tokens = text.trim().split("-");
    for (let i = 0; i < tokens.length; i++) {
      const g = TOKEN.exec(tokens[i]);
      if (!g) fail("stack.token_unreadable", { layer: i + 1, token: `'${tokens[i].slice(0, 20)}'` });
      const n = (v) => parseInt(v, 10);
      if (g[1]) layers.push(layer(CONV, n(g[1]), n(g[2]), n(g[3]), n(g[4]), n(g[5])));
      else if (g[6]) layers.push(layer(g[6] === "m" ? MAX_POOL : AVG_POOL, n(g[7]), n(g[8]), 1, n(g[9])));
      else if (g[10]) layers.push(layer(TCONV, n(g[10]), n(g[11]), 1, n(g[12]), n(g[13])));
      else layers.push(layer(UP_KINDS[g[14]], 2, 2));
      if (layers.length > MAX_LAYERS) break;
    }
    return checkStack(layers);
  }

  // ------------------------------------------------------------------ exact fractions for the jump
  const gcd = (a, b) => (b ? gcd(b, a % b) : Math.abs(a));
  function frac(n, d = 1) {
    const g = gcd(n, d) || 1;
    return { n: n / g, d: d / g, value: n / d };
  }

  /** (size, jump, start) per layer by the recurrence, index 0 the input; null from the first upsampling on. */
  function recurrence(layers) {
    const rows = [{ size: 1, jump: 1, start: 0 }];
    for (const l of layers) {
      const prev = rows[rows.length - 1];
      if (prev === null || isUpsampling(l)) { rows.push(null); continue; }
      rows.push({ size: prev.size + (span(l) - 1) * prev.jump, jump: prev.jump * l.stride,
        start: prev.start + ((span(l) - 1) / 2 - l.padding) * prev.jump });
    }
    return rows;
  }

  function jumps(layers) {
    const result = [frac(1)];
    for (const l of layers) {
      const j = result[result.length - 1];
      result.push(isUpsampling(l) ? frac(j.n, j.d * factor(l)) : frac(j.n * l.stride, j.d));
    }
    return result;
  }

  function bound(layers) {
    let r = 1, j = 1, worst = 1;
    for (const l of layers) {
      if (UPSAMPLERS.includes(l.kind)) { r += 3 * j; j /= 2; }
      else if (l.kind === TCONV) { r += Math.ceil(l.kernel / l.stride) * j; j /= l.stride; }
      else { r += (span(l) - 1) * j; j *= l.stride; }
      worst = Math.max(worst, r);
    }
    return worst;
  }

  function downsampling(layers) {
    return layers.reduce((f, l) => (isUpsampling(l) ? f : f * l.stride), 1);
  }

  /** Sides in ops' probe network, where a max unpool is nearest upsampling (×2, even after an odd pool). */
  function probeSides(layers, size) {
    const sides = outputSizes(layers, size);
    for (let i = 0; i < layers.length; i++) {
      const n = sides[i], l = layers[i];
      if (l.kind === UNPOOL) sides[i + 1] = 2 * n;
      else if (l.kind === CONV) sides[i + 1] = Math.floor((n + 2 * l.padding - span(l)) / l.stride) + 1;
      else if (l.kind === MAX_POOL || l.kind === AVG_POOL) sides[i + 1] = Math.floor((n + 2 * l.padding - l.kernel) / l.stride) + 1;
      else if (l.kind === TCONV) sides[i + 1] = (n - 1) * l.stride - 2 * l.padding + l.kernel;
      else sides[i + 1] = 2 * n;
    }
    return sides;
  }

  function tryOutputSizes(layers, n) {
    try { outputSizes(layers, n); return true; } catch (e) { if (e && e.key) return false; throw e; }
  }

  /** ops' probe_size: an input a little larger than any layer's field, that the stack accepts. */
  function probeSize(layers, atLeast = 1) {
    const step = Math.min(downsampling(layers), MAX_PROBE);
    const want = Math.max(atLeast, Math.trunc(bound(layers)) + 8);
    for (let n = Math.ceil(want / step) * step; n <= MAX_PROBE; n += step) if (tryOutputSizes(layers, n)) return n;
    fail("stack.field_too_large_for_probe", { most: MAX_PROBE });
  }

  // ------------------------------------------------------------------ the geometry probe along one axis
  // ops' probe (network.py, probe=True): all weights 1, no bias, no ReLU, max pool → average pool, max
  // unpool → nearest. Every layer is separable, so the gradient of unit (r, c) is g_r ⊗ g_c: one vector
  // per axis, pulled back layer by layer. A pixel is in the field where the product is > 0.
  const A = -0.75;
  const cubic1 = (x) => ((A + 2) * x - (A + 3)) * x * x + 1;
  const cubic2 = (x) => ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;

  /** [[input index, weight], ...] that output `o` of layer `l` reads, its input `n` long (one axis). */
  function taps(l, o, n) {
    const list = [];
    if (l.kind === CONV) {
      for (let t = 0; t < l.kernel; t++) {
        const i = o * l.stride - l.padding + t * l.dilation;
        if (i >= 0 && i < n) list.push([i, 1]);
      }
    } else if (l.kind === MAX_POOL || l.kind === AVG_POOL) {
      for (let t = 0; t < l.kernel; t++) {
        const i = o * l.stride - l.padding + t;
        if (i >= 0 && i < n) list.push([i, 1 / l.kernel]);
      }
    } else if (l.kind === TCONV) {
      for (let t = 0; t < l.kernel; t++) {
        const shifted = o + l.padding - t;
        if (shifted % l.stride === 0) {
          const i = shifted / l.stride;
          if (i >= 0 && i < n) list.push([i, 1]);
        }
      }
    } else if (l.kind === NEAREST || l.kind === UNPOOL) list.push([Math.floor(o / 2), 1]);
    else if (l.kind === NAILS) { if (o % 2 === 0) list.push([o / 2, 1]); }
    else if (l.kind === BILINEAR) {
      const real = Math.max(0.5 * (o + 0.5) - 0.5, 0);
      const i0 = Math.trunc(real), offset = i0 < n - 1 ? 1 : 0;
      const l1 = Math.min(Math.max(real - i0, 0), 1);
      list.push([i0, 1 - l1], [i0 + offset, l1]);
    } else if (l.kind === BICUBIC) {
      const real = 0.5 * (o + 0.5) - 0.5;
      const i = Math.min(Math.max(Math.floor(real), 0), n - 1);
      const t = Math.min(Math.max(real - i, 0), 1);
      const w = [cubic2(t + 1), cubic1(t), cubic1(1 - t), cubic2(2 - t)];
      for (let k = 0; k < 4; k++) list.push([Math.min(Math.max(i - 1 + k, 0), n - 1), w[k]]);
    }
    return list;
  }

  /** The gradient of unit `unit` of layer `index` (1-based) with respect to the input, along one axis. */
  function pullBack(layers, sides, index, unit) {
    let g = new Float64Array(sides[index]);
    g[unit] = 1;
    for (let k = index - 1; k >= 0; k--) {
      const back = new Float64Array(sides[k]);
      for (let o = 0; o < g.length; o++) {
        if (g[o] === 0) continue;
        for (const [i, w] of taps(layers[k], o, sides[k])) back[i] += w * g[o];
      }
      g = back;
    }
    return g;
  }

  /** Input pixels (row-major booleans, size×size) with a positive gradient of unit (row, col) of layer `index`. */
  function support(layers, sides, index, row, col) {
    const size = sides[0], mask = new Uint8Array(size * size);
    if (index === 0) { mask[row * size + col] = 1; return mask; }
    const gr = pullBack(layers, sides, index, row), gc = row === col ? gr : pullBack(layers, sides, index, col);
    for (let r = 0; r < size; r++) {
      if (gr[r] === 0) continue;
      for (let c = 0; c < size; c++) if (gr[r] * gc[c] > 0) mask[r * size + c] = 1;
    }
    return mask;
  }

  /** Columns of the field of unit (u, u): where g ≠ 0 (g[c]·g[c] > 0 with row c; no size×size mask needed). */
  function diagonalExtent(layers, sides, index, unit) {
    const g = pullBack(layers, sides, index, unit);
    let first = -1, last = -1;
    for (let c = 0; c < g.length; c++) if (g[c] * g[c] > 0) { if (first < 0) first = c; last = c; }
    return first < 0 ? null : [first, last];
  }

  function measuredField(layers, sides, index, jump) {
    const side = sides[index], size = sides[0];
    let best = { size: 0, start: NaN, clipped: false };
    for (const unit of [Math.floor(side / 2), Math.min(side - 1, Math.floor(side / 2) + 1)]) {
      const extent = diagonalExtent(layers, sides, index, unit);
      if (extent && extent[1] - extent[0] + 1 > best.size) {
        best = { size: extent[1] - extent[0] + 1, start: (extent[0] + extent[1]) / 2 - unit * jump.value,
          clipped: extent[0] === 0 || extent[1] === size - 1 };
      }
    }
    return best;
  }

  let lastProbe = null; // the last stack's autograd-probe fields: the table and the pixel's growth share them

  /** ops' receptive_field: per layer {side, jump, start, size, measured, growth}, the input first. */
  function receptiveField(layers, size = null) {
    layers = checkStack(layers, size);
    const exact = recurrence(layers), jump = jumps(layers);
    let measured = {}, probe = null;
    const key = encode(layers);
    if (lastProbe && lastProbe.key === key) ({ measured, probe } = lastProbe);
    else if (exact.some((row) => row === null)) {
      let atLeast = 1;
      for (;;) {
        probe = probeSize(layers, atLeast);
        const sides = probeSides(layers, probe);
        measured = {};
        exact.forEach((row, i) => { if (row === null) measured[i] = measuredField(layers, sides, i, jump[i]); });
        if (!Object.values(measured).some((m) => m.clipped)) break;
        if (2 * probe > MAX_PROBE) fail("stack.field_too_large");
        atLeast = 2 * probe;
      }
      lastProbe = { key, measured, probe };
    }
    const sides = outputSizes(layers, size ? size : (probe !== null ? probe : 1024));
    return exact.map((row, i) => {
      const field = row !== null ? { size: row.size, start: row.start, measured: false }
        : { size: measured[i].size, start: measured[i].start, measured: true };
      return { layer: i ? layers[i - 1] : null, side: sides[i], jump: jump[i].value, jumpText: jump[i].d === 1
        ? String(jump[i].n) : `${jump[i].n}/${jump[i].d}`, ...field };
    }).map((row, i, rows) => ({ ...row, growth: i ? row.size - rows[i - 1].size : 0 }));
  }

  function roundHalfEven(x) {
    const f = Math.floor(x), d = x - f;
    return d < 0.5 ? f : d > 0.5 ? f + 1 : (f % 2 === 0 ? f : f + 1);
  }

  /** ops' field_growth: the unit over input pixel (row, col) in every layer on a size×size input, and
   * the input pixels it sees. `joined[p]`: the first layer whose unit saw pixel p (-1: never). */
  function fieldGrowth(layers, size, pixel) {
    layers = checkStack(layers, size);
    const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), hi);
    const [row, col] = pixel.map((v) => clamp(Math.trunc(v), 0, size - 1));
    const table = receptiveField(layers, size), sides = probeSides(layers, size);
    const joined = new Int16Array(size * size).fill(-1), masks = [], units = [];
    table.forEach((entry, i) => {
      const start = Number.isNaN(entry.start) ? 0 : entry.start;
      const unit = [row, col].map((p) => clamp(roundHalfEven((p - start) / entry.jump), 0, entry.side - 1));
      const mask = support(layers, sides, i, unit[0], unit[1]);
      for (let p = 0; p < mask.length; p++) if (mask[p] && joined[p] < 0) joined[p] = i;
      masks.push(mask);
      units.push(unit);
    });
    return { masks, joined, units, sides: table.map((e) => e.side), rows: table, size };
  }

  // ------------------------------------------------------------------ cost (ops' cost.py) and parameters
  /** Per layer: output channels and side, FLOPs (2 per multiply-add, FlopCounterMode's count), activation
   * bytes (float32) and learned parameters (weights and bias; nn.Conv2d / nn.ConvTranspose2d's own count). */
  function layerCosts(layers, size, inChannels = 3) {
    layers = checkStack(layers, size);
    const sides = outputSizes(layers, size), channels = channelsAfter(layers, inChannels);
    return layers.map((l, i) => {
      const cIn = channels[i], cOut = channels[i + 1], side = sides[i + 1];
      const taps = 2 * cIn * cOut * l.kernel * l.kernel;
      const flops = l.kind === CONV ? taps * side * side : l.kind === TCONV ? taps * sides[i] * sides[i] : 0;
      const params = l.kind === CONV || l.kind === TCONV ? cIn * cOut * l.kernel * l.kernel + cOut : 0;
      return { layer: l, channels: cOut, side, flops, bytes: cOut * side * side * BYTES_PER_VALUE, params };
    });
  }

  function totals(layers, size, inChannels = 3) {
    const costs = layerCosts(layers, size, inChannels);
    return { size, flops: costs.reduce((s, c) => s + c.flops, 0), bytes: costs.reduce((s, c) => s + c.bytes, 0),
      params: costs.reduce((s, c) => s + c.params, 0) };
  }

  function costGrowth(layers, sizes = GROWTH_SIZES, inChannels = 3) {
    const rows = [];
    for (const size of sizes) {
      try { rows.push(totals(layers, size, inChannels)); } catch (e) { if (!(e && e.key)) throw e; }
    }
    return rows;
  }

  /** A message template of the catalogs with its {fields} filled in ('{value:.2f}' and '{value:g}' too). */
  function format(template, params = {}) {
    return String(template).replace(/\{(\w+)(?::(?:\.(\d+)f|(g)))?\}/g, (whole, name, digits, general) => {
      if (!(name in params)) return whole;
      const v = params[name];
      if (digits !== undefined) return Number(v).toFixed(Number(digits));
      if (general) return String(Number(Number(v).toPrecision(6)));
      return String(v);
    });
  }

  return { KINDS, UPSAMPLERS, PARAMETERS, LIMITS, MAX_LAYERS, GROWTH_SIZES, layer, settings, describe, normalise,
    checkLayer, checkStack, outputSizes, channelsAfter, encode, decode, recurrence, jumps, probeSize, support,
    pullBack, probeSides, receptiveField, fieldGrowth, layerCosts, totals, costGrowth, format, isUpsampling, span };
})();
