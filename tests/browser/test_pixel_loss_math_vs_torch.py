"""The browser's second implementation of the per-pixel loss agrees with PyTorch.

pages/components/pixel_loss_math.js is loaded alone into a blank Chromium page; one `page.evaluate` runs
every seeded random case (grids 1×1 to 8×8, 2 to 6 classes, scores from small integers with ties to ±1e6,
where a softmax without the log-sum-exp trick overflows) and compares the loss map, the mean, the sum and
one pixel's softmax with F.cross_entropy and torch.softmax in float64. A planted wrong answer must fail.
"""

import json
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from ops.patches import per_pixel_cross_entropy
from tests.browser.conftest import script_page

pytestmark = pytest.mark.browser

MATH = Path(__file__).resolve().parents[2] / "pages" / "components" / "pixel_loss_math.js"
CASES = 600
TOLERANCE = {"rtol": 1e-9, "atol": 1e-9}  # float64 on both sides

RUN_ALL = """cases => cases.map(c => {
    const M = PixelLossMath;
    try {
        const r = M.crossEntropy(c.scores, c.labels);
        return {lossMap: r.lossMap, mean: r.mean, sum: r.sum, softmax: M.softmaxAt(r, c.row, c.col)};
    } catch (e) {
        return {error: e.key || String(e), params: e.params || null};
    }
})"""


def random_scores(rng, classes, h, w):
    kind = rng.integers(5)
    if kind == 0:
        return rng.integers(-3, 4, size=(classes, h, w)).astype(float)  # ties: equal probabilities
    if kind == 1:
        return rng.uniform(-1e6, 1e6, size=(classes, h, w))  # exp() alone would overflow
    if kind == 2:
        return np.round(rng.normal(0, 3, size=(classes, h, w)), 1)
    if kind == 3:
        return rng.choice([0.0, 1e6, -1e6, 700.0, -745.0, 20.0], size=(classes, h, w))
    return rng.uniform(-50, 50, size=(classes, h, w))


def make_cases(seed: int = 18) -> list[dict]:
    rng = np.random.default_rng(seed)
    cases = []
    for _ in range(CASES):
        h, w = (int(v) for v in rng.integers(1, 9, size=2))
        classes = int(rng.integers(2, 7))
        scores = random_scores(rng, classes, h, w)
        labels = rng.integers(0, classes, size=(h, w))
        cases.append({"scores": scores.tolist(), "labels": labels.tolist(),
                      "row": int(rng.integers(h)), "col": int(rng.integers(w))})
    return cases


def compare(cases, results) -> int:
    """Every case against torch; returns how many were compared. Raises on the first disagreement."""
    for index, (case, result) in enumerate(zip(cases, results)):
        where = f"case {index}: {json.dumps(case)[:400]}"
        assert "error" not in result, f"the browser refused ({result.get('error')}): {where}"
        scores = torch.tensor(case["scores"], dtype=torch.float64)
        labels = torch.tensor(case["labels"], dtype=torch.long)
        expected = F.cross_entropy(scores[None], labels[None], reduction="none")[0]
        got = torch.tensor(result["lossMap"], dtype=torch.float64)
        torch.testing.assert_close(got, expected, msg=where, **TOLERANCE)
        torch.testing.assert_close(torch.tensor(result["mean"], dtype=torch.float64),
                                   F.cross_entropy(scores[None], labels[None]), msg=where, **TOLERANCE)
        torch.testing.assert_close(torch.tensor(result["sum"], dtype=torch.float64),
                                   F.cross_entropy(scores[None], labels[None], reduction="sum"), msg=where,
                                   **TOLERANCE)
        softmax = torch.softmax(scores[:, case["row"], case["col"]], dim=0)
        torch.testing.assert_close(torch.tensor(result["softmax"], dtype=torch.float64), softmax, msg=where,
                                   **TOLERANCE)
    return len(cases)


@pytest.fixture(scope="module")
def math_page(browser):
    with script_page(browser, MATH) as page:
        yield page


def test_every_case_agrees_with_torch_in_the_browser(math_page):
    cases = make_cases()
    results = math_page.evaluate(RUN_ALL, cases)
    assert compare(cases, results) >= 500
    sizes = {(len(c["labels"]), len(c["labels"][0])) for c in cases}
    assert (1, 1) in sizes and (8, 8) in sizes
    assert {len(c["scores"]) for c in cases} == {2, 3, 4, 5, 6}
    huge = [r for c, r in zip(cases, results) if np.max(np.abs(c["scores"])) >= 1e5]
    assert len(huge) > 50 and all(np.all(np.isfinite(r["lossMap"])) for r in huge)


def test_the_lessons_own_example_matches_ops(math_page):
    """ops' numpy implementation (the server's live check) and the browser give the same numbers."""
    case = make_cases(seed=7)[3]
    result = math_page.evaluate(RUN_ALL, [case])[0]
    reference = per_pixel_cross_entropy(case["scores"], case["labels"])
    np.testing.assert_allclose(result["lossMap"], reference.loss_map, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(result["softmax"], reference.softmax_at(case["row"], case["col"]), rtol=1e-12)


@pytest.mark.parametrize("scores, labels, key", [
    ([[[0, 1]], [[1, 0]]], [[0, 3]], "loss.error.labels_range"),
    ([[[0, 1]], [[1, 0]]], [[0, 0.5]], "loss.error.labels_not_whole"),
    ([[[0, 1]]], [[0, 0]], "loss.error.scores_too_few_classes"),
    ([[[0, 1]], [[1, 0]]], [[0], [0]], "loss.error.size_mismatch"),
])
def test_grids_it_cannot_use_are_named_as_ops_names_them(math_page, scores, labels, key):
    result = math_page.evaluate(RUN_ALL, [{"scores": scores, "labels": labels, "row": 0, "col": 0}])[0]
    assert result["error"] == key
    with pytest.raises(ValueError) as error:
        per_pixel_cross_entropy(scores, labels)
    assert error.value.key == key


def test_the_comparison_catches_a_wrong_answer(math_page):
    """A planted mistake (one loss nudged; the log of a softmax computed without the max subtracted) fails."""
    cases = make_cases()[:20]
    results = math_page.evaluate(RUN_ALL, cases)
    wrong = json.loads(json.dumps(results))
    wrong[0]["lossMap"][0][0] += 1e-6
    with pytest.raises(AssertionError):
        compare(cases, wrong)
    naive = """cases => cases.map(c => {
        const lossMap = c.labels.map((row, r) => row.map((y, col) => {
            const e = c.scores.map(g => Math.exp(g[r][col]));
            return -Math.log(e[y] / e.reduce((a, b) => a + b, 0));
        }));
        return {lossMap, mean: 0, sum: 0, softmax: []};
    })"""
    huge = [c for c in make_cases() if np.max(np.abs(c["scores"])) >= 1e5][:5]
    with pytest.raises(AssertionError):
        compare(huge, math_page.evaluate(naive, huge))
    compare(cases, results)  # and the honest answers pass
