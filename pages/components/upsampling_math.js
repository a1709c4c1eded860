// The six upsampling operators of the lecture, in plain JavaScript, so the browser answers within a frame.
// A second implementation next to ops/upsampling (numpy): tests/browser/test_upsampling_math_vs_torch.py
// loads this file alone into Chromium and compares every function with PyTorch. No DOM, no export:
// one global namespace object. Grids are arrays of rows (H×W, one channel); every operator returns
// {output, sources} where sources[r][c] lists the [inputRow, inputCol, weight] behind output (r, c), in
// the order ops/upsampling/trace.py records them, so the step-through writes the same formula.
const UpsamplingMath = (() => {
  const SCALES = [2, 3, 4];
  const A = -0.75; // Keys' cubic, as PyTorch and OpenCV

  const zeros = (h, w) => Array.from({ length: h }, () => new Array(w).fill(0));
  const emptySources = (h, w) => Array.from({ length: h }, () => Array.from({ length: w }, () => []));

  // What an input cannot be: the caller shows the message under the key (words live in the catalogs).
  class SettingsError extends Error {
    constructor(key, params) {
      super(key);
      this.key = key;
      this.params = params || {};
    }
  }

  function checkGrid(x) {
    if (!Array.isArray(x) || !x.length || !Array.isArray(x[0]) || !x[0].length) {
      throw new SettingsError("upsampling.error.input_shape", { shape: "?" });
    }
    for (const row of x) for (const v of row) if (!Number.isFinite(v)) throw new SettingsError("upsampling.error.input_not_finite");
    return [x.length, x[0].length];
  }

  function checkScale(s) {
    if (!SCALES.includes(s)) throw new SettingsError("upsampling.error.scale", { scales: SCALES.join(", "), scale: s });
    return s;
  }

  // Every output value is Σ weight × input in the recorded order (trace.value): output and formula agree.
  function valueOf(x, pairs) {
    let total = 0;
    for (const [i, j, w] of pairs) total += w * x[i][j];
    return total;
  }

  function fromSources(x, sources) {
    return { output: sources.map(row => row.map(pairs => valueOf(x, pairs))), sources };
  }

  function bedOfNails(x, scale = 2) {
    const [h, w] = checkGrid(x);
    const s = checkScale(scale);
    const sources = emptySources(h * s, w * s);
    for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) sources[i * s][j * s].push([i, j, 1]);
    return fromSources(x, sources);
  }

  function nearest(x, scale = 2) {
    const [h, w] = checkGrid(x);
    const s = checkScale(scale);
    const sources = emptySources(h * s, w * s);
    for (let y = 0; y < h * s; y++) for (let c = 0; c < w * s; c++) sources[y][c].push([Math.floor(y / s), Math.floor(c / s), 1]);
    return fromSources(x, sources);
  }

  // Where output index `o` lands on the input axis, in input-cell units (PyTorch's rule).
  function sourcePosition(o, inSize, s, alignCorners) {
    const outSize = inSize * s;
    if (alignCorners) return outSize > 1 ? (o * (inSize - 1)) / (outSize - 1) : 0;
    return (o + 0.5) / s - 0.5;
  }

  const tent = d => Math.max(0, 1 - Math.abs(d));

  function keysCubic(distance) {
    const d = Math.abs(distance);
    if (d <= 1) return ((A + 2) * d - (A + 3)) * d * d + 1;
    if (d < 2) return ((A * d - 5 * A) * d + 8 * A) * d - 4 * A;
    return 0;
  }

  // [(input index, weight)] along one axis; past the border the edge cell repeats, weights on one cell add up.
  function axisWeights(o, inSize, s, alignCorners, kernel, reach, clampNegative) {
    let position = sourcePosition(o, inSize, s, alignCorners);
    if (clampNegative) position = Math.max(position, 0);
    const base = Math.floor(position);
    const merged = new Map();
    for (let k = base - reach + 1; k <= base + reach; k++) {
      const weight = kernel(position - k);
      if (weight !== 0) {
        const i = Math.min(Math.max(k, 0), inSize - 1);
        merged.set(i, (merged.get(i) || 0) + weight);
      }
    }
    return [...merged.entries()];
  }

  function separable(x, scale, alignCorners, kernel, reach, clampNegative) {
    const [h, w] = checkGrid(x);
    const s = checkScale(scale);
    const rows = Array.from({ length: h * s }, (_, y) => axisWeights(y, h, s, alignCorners, kernel, reach, clampNegative));
    const cols = Array.from({ length: w * s }, (_, c) => axisWeights(c, w, s, alignCorners, kernel, reach, clampNegative));
    const sources = rows.map(rw => cols.map(cw => {
      const pairs = [];
      for (const [i, wy] of rw) for (const [j, wx] of cw) pairs.push([i, j, wy * wx]);
      return pairs;
    }));
    return fromSources(x, sources);
  }

  const bilinear = (x, scale = 2, alignCorners = false) => separable(x, scale, !!alignCorners, tent, 1, true);
  const bicubic = (x, scale = 2, alignCorners = false) => separable(x, scale, !!alignCorners, keysCubic, 2, false);

  // size×size max pooling, stride size: the maximum of each window and where it was (the first one in
  // row-major order on a tie, PyTorch's rule: only a strictly greater value replaces it).
  function maxPoolWithSwitches(x, size = 2) {
    const h = x.length, w = x[0].length;
    const ph = Math.floor(h / size), pw = Math.floor(w / size);
    if (ph < 1 || pw < 1) throw new SettingsError("upsampling.error.grid_smaller_than_window", { h, w, size });
    const pooled = zeros(ph, pw);
    const switches = Array.from({ length: ph }, () => new Array(pw));
    const tied = [];
    for (let i = 0; i < ph; i++) for (let j = 0; j < pw; j++) {
      let best = [i * size, j * size];
      let count = 0;
      for (let y = i * size; y < (i + 1) * size; y++) for (let c = j * size; c < (j + 1) * size; c++) {
        if (x[y][c] > x[best[0]][best[1]]) best = [y, c];
      }
      const top = x[best[0]][best[1]];
      for (let y = i * size; y < (i + 1) * size; y++) for (let c = j * size; c < (j + 1) * size; c++) if (x[y][c] === top) count++;
      pooled[i][j] = top;
      switches[i][j] = best;
      if (count > 1) tied.push([i, j]);
    }
    return { pooled, switches, tied };
  }

  // Value (i, j) goes where the maximum of window (i, j) of the encoder grid was; zeros elsewhere.
  function maxUnpool(x, scale = 2, pooledFrom = null) {
    const [h, w] = checkGrid(x);
    const s = checkScale(scale);
    const source = pooledFrom || zeros(h * s, w * s);
    if (source.length !== h * s || source.some(row => row.length !== w * s)) {
      throw new SettingsError("upsampling.error.pooled_from_shape", {
        want: `1×${h * s}×${w * s}`, input: `1×${h}×${w}`, scale: s, got: `1×${source.length}×${(source[0] || []).length}`,
      });
    }
    for (const row of source) for (const v of row) if (!Number.isFinite(v)) throw new SettingsError("upsampling.error.pooled_from_not_finite");
    const { switches } = maxPoolWithSwitches(source, s);
    const sources = emptySources(h * s, w * s);
    for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) {
      const [y, c] = switches[i][j];
      sources[y][c].push([i, j, 1]);
    }
    return fromSources(x, sources);
  }

  // H_out = (H_in - 1)·s - 2p + d·(k - 1) + output_padding + 1
  function outputSize(size, kernel, stride, padding, outputPadding = 0, dilation = 1) {
    return (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1;
  }

  function checkTransposed(kernel, stride, padding, outputPadding, dilation) {
    if (!Array.isArray(kernel) || !kernel.length || kernel.length > 7 || kernel.some(r => r.length < 1 || r.length > 7)) {
      throw new SettingsError("upsampling.error.kernel_size", { most: 7 });
    }
    for (const row of kernel) for (const v of row) if (!Number.isFinite(v)) throw new SettingsError("upsampling.error.kernel_not_finite");
    if (!(stride >= 1 && stride <= 4)) throw new SettingsError("upsampling.error.stride", { most: 4, stride });
    if (dilation < 1 || padding < 0 || outputPadding < 0) throw new SettingsError("upsampling.error.negative_settings");
    if (outputPadding >= Math.max(stride, dilation)) {
      throw new SettingsError("upsampling.error.output_padding", { most: Math.max(stride, dilation), output_padding: outputPadding });
    }
  }

  // F.conv_transpose2d, bias-free: each input cell stamps value × kernel with its top-left corner at
  // (i·s − p, j·s − p), taps `dilation` apart; overlapping stamps add up; padding crops the border.
  function transposedConv(x, kernel, stride = 2, padding = 0, outputPadding = 0, dilation = 1) {
    const [h, w] = checkGrid(x);
    checkTransposed(kernel, stride, padding, outputPadding, dilation);
    const kh = kernel.length, kw = kernel[0].length;
    const hOut = outputSize(h, kh, stride, padding, outputPadding, dilation);
    const wOut = outputSize(w, kw, stride, padding, outputPadding, dilation);
    if (hOut < 1 || wOut < 1) throw new SettingsError("upsampling.error.empty_output", { h: hOut, w: wOut });
    const sources = emptySources(hOut, wOut);
    for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) {
      for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) {
        const y = i * stride - padding + ky * dilation;
        const c = j * stride - padding + kx * dilation;
        if (y >= 0 && y < hOut && c >= 0 && c < wOut) sources[y][c].push([i, j, kernel[ky][kx]]);
      }
    }
    const result = fromSources(x, sources);
    // the stamps in the order they were made: result.stamps[i][j] = [[outRow, outCol, weight], ...]
    result.stamps = Array.from({ length: h }, () => Array.from({ length: w }, () => []));
    sources.forEach((row, y) => row.forEach((pairs, c) => pairs.forEach(([i, j, wt]) => result.stamps[i][j].push([y, c, wt]))));
    return result;
  }

  // One name → function, with the parameters each takes from a settings object.
  function run(name, x, settings) {
    const st = settings || {};
    const scale = st.scale ?? 2;
    switch (name) {
      case "bed_of_nails": return bedOfNails(x, scale);
      case "nearest": return nearest(x, scale);
      case "bilinear": return bilinear(x, scale, st.align_corners);
      case "bicubic": return bicubic(x, scale, st.align_corners);
      case "max_unpool": return maxUnpool(x, scale, st.pooled_from || null);
      case "transposed_conv":
        return transposedConv(x, st.kernel, st.stride ?? 2, st.padding ?? 0, st.output_padding ?? 0, st.dilation ?? 1);
      default: throw new SettingsError("upsampling.error.unknown_operator", { name });
    }
  }

  // How many input cells reach each output cell (the checkerboard's cause).
  function overlapCounts(sources) {
    return sources.map(row => row.map(pairs => new Set(pairs.map(([i, j]) => `${i},${j}`)).size));
  }

  // Python's format(v, ".4g"): 4 significant digits, trailing zeros dropped, exponent form outside 1e-4..1e4.
  function g4(v) {
    if (v === 0) return Object.is(v, -0) ? "-0" : "0";
    if (!Number.isFinite(v)) return String(v).replace("Infinity", "inf").replace("NaN", "nan");
    const [mantissa, expText] = v.toExponential(3).split("e");
    const exp = parseInt(expText, 10);
    if (exp < -4 || exp >= 4) {
      const m = mantissa.replace(/\.?0+$/, "");
      return `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
    }
    const fixed = v.toFixed(Math.max(0, 3 - exp));
    return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
  }

  // The sum for one output cell as text terms "weight × value" and its total (trace.formula_terms).
  function formulaTerms(x, sources, row, col) {
    const pairs = sources[row][col];
    const terms = pairs.map(([i, j, w]) => {
      const v = x[i][j];
      const shownWeight = w >= 0 ? g4(w) : `(${g4(w)})`;
      const shownValue = v >= 0 ? g4(v) : `(${g4(v)})`;
      return `${shownWeight} × ${shownValue}`;
    });
    return { terms, total: valueOf(x, pairs) };
  }

  // Everything the step-through shows for one output cell: inputs, weights, products, formula.
  function trace(x, sources, row, col) {
    const pairs = sources[row][col];
    const { terms, total } = formulaTerms(x, sources, row, col);
    return {
      cells: pairs.map(([i, j]) => [i, j]),
      weights: pairs.map(([, , w]) => w),
      values: pairs.map(([i, j]) => x[i][j]),
      products: pairs.map(([i, j, w]) => w * x[i][j]),
      terms,
      total,
    };
  }

  // --- transposed convolution three more ways (ops/upsampling/zero_insert.py, conv_matrix.py), 2-D or 1-D.
  // A 1-D row is a 1×L grid here: the same functions serve both.

  const convOutputSide = (n, k, s, p, d) => Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1;

  function zeroInsert(x, stride) {
    const h = x.length, w = x[0].length;
    const out = zeros((h - 1) * stride + 1, (w - 1) * stride + 1);
    for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) out[i * stride][j * stride] = x[i][j];
    return out;
  }

  // Zeros (positive counts) or crop (negative counts) at both ends of one axis of a list.
  function padOrCrop(list, before, after, filler) {
    let out = [...Array.from({ length: Math.max(before, 0) }, filler), ...list, ...Array.from({ length: Math.max(after, 0) }, filler)];
    out = out.slice(Math.max(-before, 0), out.length - Math.max(-after, 0));
    return out;
  }

  // zero insertion → a border of d·(k−1)−p zeros (+ output_padding at the end) → stride-1 correlation with
  // the flipped kernel. oneD: the row axis is left alone (a 1×L grid with a 1×k kernel).
  function zeroInsertionView(y, kernel, stride = 1, padding = 0, outputPadding = 0, dilation = 1, oneD = false) {
    checkTransposed(kernel, stride, padding, outputPadding, dilation);
    const inserted = zeroInsert(y, stride);
    const border = dilation * (kernel[0].length - 1) - padding;
    if (!oneD && dilation * (kernel.length - 1) - padding !== border) throw new SettingsError("upsampling.views.error.square_kernel");
    const rowBorder = oneD ? 0 : border, rowAfter = oneD ? 0 : border + outputPadding;
    const widened = inserted.map(row => padOrCrop(row, border, border + outputPadding, () => 0));
    const width = widened[0] ? widened[0].length : 0;
    const padded = padOrCrop(widened, rowBorder, rowAfter, () => new Array(width).fill(0));
    const flipped = kernel.map(row => [...row].reverse()).reverse();
    const spanH = dilation * (kernel.length - 1) + 1, spanW = dilation * (kernel[0].length - 1) + 1;
    const outH = padded.length - spanH + 1, outW = width - spanW + 1;
    if (outH < 1 || outW < 1) throw new SettingsError("upsampling.views.error.empty", { shape: `(${outH}, ${outW})` });
    const output = zeros(outH, outW);
    for (let r = 0; r < outH; r++) for (let c = 0; c < outW; c++) {
      let total = 0;
      for (let a = 0; a < kernel.length; a++) for (let b = 0; b < kernel[0].length; b++) {
        total += flipped[a][b] * padded[r + a * dilation][c + b * dilation];
      }
      output[r][c] = total;
    }
    // where each input cell sits in the padded grid (cropped ones left out), for highlighting
    const positions = [];
    for (let i = 0; i < y.length; i++) for (let j = 0; j < y[0].length; j++) {
      const pr = i * stride + rowBorder, pc = j * stride + border;
      if (pr >= 0 && pr < padded.length && pc >= 0 && pc < width) positions.push([pr, pc]);
    }
    const window = (r, c) => flipped.map((row, a) => row.map((_, b) => padded[r + a * dilation][c + b * dilation]));
    return { input: y, inserted, border, outputPadding, padded, kernel, flipped, dilation, output, positions, window };
  }

  // Dense C (H_out·W_out × H·W): F.conv2d(x, kernel, stride, padding, dilation) == C @ x.ravel().
  // oneD: no padding along the row axis (a 1×L row with a 1×k kernel is conv1d).
  function convMatrix(inH, inW, kernel, stride = 1, padding = 0, dilation = 1, oneD = false) {
    const pr = oneD ? 0 : padding;
    const outH = convOutputSide(inH, kernel.length, stride, pr, dilation);
    const outW = convOutputSide(inW, kernel[0].length, stride, padding, dilation);
    if (outH < 1 || outW < 1) throw new SettingsError("upsampling.views.error.empty", { shape: `(${outH}, ${outW})` });
    const matrix = zeros(outH * outW, inH * inW);
    for (let r = 0; r < outH; r++) for (let c = 0; c < outW; c++) {
      for (let a = 0; a < kernel.length; a++) for (let b = 0; b < kernel[0].length; b++) {
        const y = r * stride - pr + a * dilation, x = c * stride - padding + b * dilation;
        if (y >= 0 && y < inH && x >= 0 && x < inW) matrix[r * outW + c][y * inW + x] += kernel[a][b];
      }
    }
    return { matrix, outH, outW };
  }

  // Cᵀ y with C the strided convolution from the transposed output's shape back to y's: conv_transpose2d(y).
  function transposedViaMatrix(y, kernel, stride = 1, padding = 0, outputPadding = 0, dilation = 1, oneD = false) {
    checkTransposed(kernel, stride, padding, outputPadding, dilation);
    const outH = oneD ? 1 : outputSize(y.length, kernel.length, stride, padding, outputPadding, dilation);
    const outW = outputSize(y[0].length, kernel[0].length, stride, padding, outputPadding, dilation);
    if (outH < 1 || outW < 1) throw new SettingsError("upsampling.views.error.empty", { shape: `(${outH}, ${outW})` });
    const c = convMatrix(outH, outW, kernel, stride, padding, dilation, oneD);
    const flat = new Array(c.outH * c.outW).fill(0); // y padded with zeros to C's row count
    for (let i = 0; i < y.length; i++) for (let j = 0; j < y[0].length; j++) if (i < c.outH && j < c.outW) flat[i * c.outW + j] = y[i][j];
    const out = zeros(outH, outW);
    for (let col = 0; col < outH * outW; col++) {
      let total = 0;
      for (let row = 0; row < flat.length; row++) total += c.matrix[row][col] * flat[row];
      out[Math.floor(col / outW)][col % outW] = total;
    }
    return { output: out, matrix: c.matrix };
  }

  // x, C x, Cᵀ C x: the transposed convolution does not undo the convolution.
  function roundTrip(x, kernel, stride = 1, padding = 0, dilation = 1, oneD = false) {
    const h = x.length, w = x[0].length;
    const c = convMatrix(h, w, kernel, stride, padding, dilation, oneD);
    const flat = x.flat();
    const downFlat = c.matrix.map(row => row.reduce((t, v, k) => t + v * flat[k], 0));
    const backFlat = flat.map((_, k) => c.matrix.reduce((t, row, r) => t + row[k] * downFlat[r], 0));
    const down = Array.from({ length: c.outH }, (_, r) => downFlat.slice(r * c.outW, (r + 1) * c.outW));
    const back = Array.from({ length: h }, (_, r) => backFlat.slice(r * w, (r + 1) * w));
    let maxError = 0;
    back.forEach((row, r) => row.forEach((v, k) => { maxError = Math.max(maxError, Math.abs(v - x[r][k])); }));
    return { input: x, down, back, matrix: c.matrix, maxError };
  }

  const maxAbsDifference = (a, b) => {
    let d = 0;
    a.forEach((row, r) => row.forEach((v, c) => { d = Math.max(d, Math.abs(v - b[r][c])); }));
    return d;
  };

  return {
    SCALES, SettingsError, bedOfNails, nearest, bilinear, bicubic, maxUnpool, maxPoolWithSwitches, transposedConv,
    outputSize, run, overlapCounts, formulaTerms, trace, g4, zeroInsert, zeroInsertionView, convMatrix,
    transposedViaMatrix, roundTrip, maxAbsDifference, keysCubic, sourcePosition,
  };
})();
