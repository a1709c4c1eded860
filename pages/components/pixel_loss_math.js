// The per-pixel loss lesson's arithmetic, as F.cross_entropy does it: class scores (C×H×W) → log-softmax at
// every pixel by the log-sum-exp trick (scores up to ±1e6 do not overflow) → −log p(true class) per pixel →
// their mean (reduction "mean", no class weights, no ignore index: the lesson uses none). Float64 throughout.
// No DOM: tests load this file alone into Chromium and compare every function with torch.
const PixelLossMath = (() => {
  class LossError extends Error {
    constructor(key, params = {}) {
      super(key);
      this.key = key; // a message-catalog key (loss.error.*), filled with params by the view
      this.params = params;
    }
  }

  /** C class probabilities and log-probabilities of one pixel's scores (max subtracted before exp). */
  function logSoftmax(scores) {
    let top = -Infinity;
    for (const s of scores) top = Math.max(top, s);
    let sum = 0;
    for (const s of scores) sum += Math.exp(s - top);
    const logSum = top + Math.log(sum);
    return scores.map(s => s - logSum);
  }

  function softmax(scores) {
    return logSoftmax(scores).map(Math.exp);
  }

  /** Labels as whole class indices 0..classes−1, or LossError naming what is wrong (as ops' validate_labels). */
  function checkLabels(labels, classes) {
    if (!Array.isArray(labels) || !labels.length || !Array.isArray(labels[0]) || !labels[0].length
        || labels.some(row => !Array.isArray(row) || row.length !== labels[0].length)) throw new LossError("loss.error.labels_shape");
    for (const row of labels) {
      for (const v of row) {
        if (typeof v !== "number" || Number.isNaN(v)) throw new LossError("loss.error.labels_not_numbers");
        if (!Number.isFinite(v)) throw new LossError("loss.error.labels_not_finite");
        if (v !== Math.round(v)) throw new LossError("loss.error.labels_not_whole");
        if (v < 0 || v >= classes) throw new LossError("loss.error.labels_range", { top: classes - 1 });
      }
    }
  }

  /** Scores as C×H×W finite numbers with C ≥ 2, or LossError (as ops' validate_logits). */
  function checkScores(scores) {
    if (!Array.isArray(scores) || !scores.length || !Array.isArray(scores[0]) || !scores[0].length
        || !Array.isArray(scores[0][0]) || !scores[0][0].length) throw new LossError("loss.error.scores_shape");
    const h = scores[0].length, w = scores[0][0].length;
    if (scores.some(g => g.length !== h || g.some(row => row.length !== w))) throw new LossError("loss.error.scores_shape");
    if (scores.length < 2) throw new LossError("loss.error.scores_too_few_classes");
    for (const g of scores) for (const row of g) for (const v of row) {
      if (typeof v !== "number" || Number.isNaN(v)) throw new LossError("loss.error.scores_not_numbers");
      if (!Number.isFinite(v)) throw new LossError("loss.error.scores_not_finite");
    }
  }

  /** The whole lesson: {lossMap H×W, probabilities C×H×W, mean, sum}; LossError for grids it cannot use. */
  function crossEntropy(scores, labels) {
    checkScores(scores);
    checkLabels(labels, scores.length);
    const classes = scores.length, h = scores[0].length, w = scores[0][0].length;
    if (labels.length !== h || labels[0].length !== w) {
      throw new LossError("loss.error.size_mismatch", { label_h: labels.length, label_w: labels[0].length, score_h: h, score_w: w });
    }
    const lossMap = [], probabilities = scores.map(() => []);
    let sum = 0;
    for (let r = 0; r < h; r++) {
      const lossRow = [];
      probabilities.forEach(p => p.push([]));
      for (let c = 0; c < w; c++) {
        const logP = logSoftmax(scores.map(g => g[r][c]));
        const loss = -logP[labels[r][c]];
        lossRow.push(loss);
        sum += loss;
        for (let k = 0; k < classes; k++) probabilities[k][r].push(Math.exp(logP[k]));
      }
      lossMap.push(lossRow);
    }
    return { lossMap, probabilities, mean: sum / (h * w), sum };
  }

  /** One pixel's class probabilities, C numbers (LossError when the pixel is outside the grid). */
  function softmaxAt(result, row, col) {
    const h = result.lossMap.length, w = result.lossMap[0].length;
    if (!(row >= 0 && row < h && col >= 0 && col < w)) throw new LossError("loss.error.pixel_outside", { row, col, height: h, width: w });
    return result.probabilities.map(p => p[row][col]);
  }

  return { LossError, logSoftmax, softmax, checkLabels, checkScores, crossEntropy, softmaxAt };
})();
