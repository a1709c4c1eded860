"""The browser's sliding-window arithmetic (pages/components/sliding_window_math.js) against torch: the
float32 scores it decodes, each pixel's label (torch.argmax) and probability (torch.softmax), and the
window of every pass, on random score maps (ties, large and negative scores included) and on the lesson's
own fully convolutional pass. A planted wrong answer must be caught."""

from pathlib import Path

import numpy as np
import pytest
import torch

from lessons.figures.sliding_window_sweep import sweep_data
from tests.browser.conftest import script_page

MATH = Path(__file__).resolve().parents[2] / "pages" / "components" / "sliding_window_math.js"

EVALUATE = """(cases) => cases.map(({scores, classes, height, width, half}) => {
  const M = SlidingWindowMath;
  const decoded = M.decodeScores(scores);
  const {label, probability} = M.labels(decoded, classes, height, width);
  const passes = [0, width - 1, width, height * width - 1].map(i => M.pass(i, width, half));
  return {decoded: Array.from(decoded), label: Array.from(label), probability: Array.from(probability), passes};
})"""


@pytest.fixture(scope="module")
def math_page(browser):
    with script_page(browser, MATH) as page:
        yield page


def random_cases(count: int = 60, seed: int = 18) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    cases = []
    for k in range(count):
        classes, height, width = int(rng.integers(1, 6)), int(rng.integers(1, 17)), int(rng.integers(1, 17))
        scale = [1, 30, 1e4][k % 3]
        scores = (rng.standard_normal((classes, height, width)) * scale).astype(np.float32)
        if k % 4 == 0:
            scores = np.round(scores)  # ties: the first largest wins, as torch.argmax
        cases.append(scores)
    return cases


def problems(scores: np.ndarray, got: dict, half: int) -> list[str]:
    found = []
    tensor = torch.from_numpy(scores)
    if not np.array_equal(np.array(got["decoded"], dtype=np.float32), scores.ravel()):
        found.append("decoded scores")
    if got["label"] != tensor.argmax(0).ravel().tolist():
        found.append("labels")
    expected = torch.softmax(tensor.double(), 0).max(0).values.ravel().numpy()
    if not np.allclose(got["probability"], expected, rtol=0, atol=1e-9):
        found.append("probabilities")
    _, height, width = scores.shape
    for index, step in zip([0, width - 1, width, height * width - 1], got["passes"]):
        row, col = divmod(index, width)
        if (step["row"], step["col"], step["top"], step["left"], step["side"]) != (row, col, row - half, col - half,
                                                                                 2 * half + 1):
            found.append(f"pass {index}")
    return found


def run(page, cases, half=4):
    payload = [sweep_data(np.zeros((*s.shape[1:], 3), np.uint8), s, 2 * half + 1) for s in cases]
    return page.evaluate(EVALUATE, payload)


def test_random_score_maps_agree_with_torch(math_page):
    cases = random_cases()
    results = run(math_page, cases)
    failures = {i: p for i, (s, r) in enumerate(zip(cases, results)) if (p := problems(s, r, 4))}
    assert not failures, failures


def test_the_lessons_own_pass_agrees_with_torch(math_page):
    from ops.patches.lesson_pass import picture_and_scores

    _, scores, _ = picture_and_scores("pasture", 32)
    (got,) = run(math_page, [scores])
    assert problems(scores, got, 4) == []


def test_a_planted_wrong_answer_is_caught(math_page):
    scores = next(s for s in random_cases() if s.shape[0] > 1)
    (good,) = run(math_page, [scores])
    assert problems(scores, good, 4) == []
    flipped = dict(good, label=[(v + 1) % scores.shape[0] if i == 0 else v for i, v in enumerate(good["label"])])
    assert "labels" in problems(scores, flipped, 4)
    assert "probabilities" in problems(scores, dict(good, probability=[p * 0.99 for p in good["probability"]]), 4)
    assert "pass 0" in problems(scores, dict(good, passes=[dict(good["passes"][0], left=1)] + good["passes"][1:]), 4)
