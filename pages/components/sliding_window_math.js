// The sliding-window animation's arithmetic: the scores of the one fully convolutional pass (sent once as
// float32), each pixel's label (argmax) and its softmax probability, and where the window of pass `index`
// lies. No DOM: tests load this file alone into Chromium and compare it with torch.
const SlidingWindowMath = (() => {
  /** base64 of little-endian float32 → Float32Array (C×H×W, row-major). */
  function decodeScores(text) {
    const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
    const view = new DataView(bytes.buffer);
    const out = new Float32Array(bytes.length / 4);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
    return out;
  }

  /** Per pixel: the label (first largest score, as torch.argmax) and its softmax probability. */
  function labels(scores, classes, height, width) {
    const n = height * width, label = new Uint8Array(n), probability = new Float64Array(n);
    for (let p = 0; p < n; p++) {
      let best = 0, top = scores[p];
      for (let c = 1; c < classes; c++) if (scores[c * n + p] > top) { top = scores[c * n + p]; best = c; }
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += Math.exp(scores[c * n + p] - top);
      label[p] = best;
      probability[p] = 1 / sum;
    }
    return { label, probability };
  }

  /** Pass `index` (raster order) centres the window on pixel (row, col); the window covers input rows
   * row − half … row + half (the padded picture starts at −half). */
  function pass(index, width, half) {
    const row = Math.floor(index / width), col = index % width;
    return { row, col, top: row - half, left: col - half, side: 2 * half + 1 };
  }

  return { decodeScores, labels, pass };
})();
