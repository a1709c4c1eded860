"""The browser's second implementation of the upsampling operators agrees with PyTorch.

pages/components/upsampling_math.js is loaded alone into a blank Chromium page; one `page.evaluate` runs
every seeded random case (grids 1×1 to 8×8, all six operators and their options, stride larger than the
kernel, output_padding, dilation, values up to ±1e6) and each output is compared with torch in float64.
A planted wrong answer proves the comparison can fail.
"""

import json
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from ops.upsampling import OPERATORS, tied_windows
from tests.browser.conftest import script_page

pytestmark = pytest.mark.browser

MATH = Path(__file__).resolve().parents[2] / "pages" / "components" / "upsampling_math.js"
CASES = 600
TOLERANCE = {"rtol": 1e-9, "atol": 1e-6}  # float64 on both sides; values reach 1e6

RUN_ALL = """cases => cases.map(c => {
    const M = UpsamplingMath;
    try {
        if (c.view === "zero_insertion") {
            const v = M.zeroInsertionView(c.x, c.kernel, c.stride, c.padding, c.output_padding, c.dilation, c.oneD);
            return {output: v.output};
        }
        if (c.view === "matrix") {
            return {output: M.transposedViaMatrix(c.x, c.kernel, c.stride, c.padding, c.output_padding, c.dilation,
                                                  c.oneD).output};
        }
        if (c.view === "round_trip") {
            const t = M.roundTrip(c.x, c.kernel, c.stride, c.padding, c.dilation, c.oneD);
            return {output: t.down, back: t.back};
        }
        const r = M.run(c.op, c.x, c.settings);
        const cell = [r.output.length - 1, r.output[0].length - 1];
        return {output: r.output, formula: M.formulaTerms(c.x, r.sources, cell[0], cell[1]), cell,
                pool: c.op === "max_unpool" ? M.maxPoolWithSwitches(c.settings.pooled_from, c.settings.scale) : null};
    } catch (e) {
        return {error: e.key || String(e)};
    }
})"""


def random_grid(rng, h, w):
    kind = rng.integers(4)
    if kind == 0:
        return rng.integers(-9, 10, size=(h, w)).astype(float)  # small integers: many ties
    if kind == 1:
        return rng.uniform(-1e6, 1e6, size=(h, w))
    if kind == 2:
        return np.round(rng.normal(0, 3, size=(h, w)), 2)
    return rng.choice([0.0, 1.0, 1e6, -1e6, 0.5], size=(h, w))


def make_cases(seed: int = 18) -> list[dict]:
    rng = np.random.default_rng(seed)
    cases = []
    for index in range(CASES):
        h, w = (int(v) for v in rng.integers(1, 9, size=2))
        x = random_grid(rng, h, w)
        op = ["bed_of_nails", "nearest", "bilinear", "bicubic", "max_unpool", "transposed_conv"][index % 6]
        case = {"op": op, "x": x.tolist()}
        if index % 10 == 9:  # the transposed-convolution views, 2-D or 1-D
            op = "transposed_conv"
            case["op"] = op
        scale = int(rng.choice([2, 3, 4]))
        settings = {"scale": scale, "align_corners": bool(rng.integers(2))}
        if op == "max_unpool":
            pooled = rng.integers(0, 4, size=(h * scale, w * scale)).astype(float)  # ties in most windows
            if rng.integers(2):
                pooled = rng.uniform(-1e6, 1e6, size=pooled.shape)
            settings["pooled_from"] = pooled.tolist()
        if op == "transposed_conv":
            k = int(rng.integers(1, 6))
            stride = int(rng.integers(1, 5))  # often larger than the kernel
            dilation = int(rng.integers(1, 4))
            padding = int(rng.integers(0, 4))
            output_padding = int(rng.integers(0, max(stride, dilation)))
            settings.update(kernel=np.round(rng.uniform(-3, 3, size=(k, k)), 3).tolist(), stride=stride,
                            padding=padding, output_padding=output_padding, dilation=dilation)
            if index % 10 == 9:
                view = ["zero_insertion", "matrix", "round_trip"][(index // 10) % 3]
                one_d = bool(rng.integers(2))
                if one_d:
                    case["x"] = x[:1].tolist()
                    settings["kernel"] = settings["kernel"][:1]
                case.update(view=view, oneD=one_d, kernel=settings["kernel"], stride=stride, padding=padding,
                            output_padding=output_padding, dilation=dilation)
        case["settings"] = settings
        cases.append(case)
    return cases


def torch_output(case) -> np.ndarray | None:
    """What PyTorch gives for the case (None where PyTorch refuses the settings too)."""
    x = torch.tensor(case["x"], dtype=torch.float64)[None, None]
    s = case["settings"]
    op = case["op"]
    view = case.get("view")
    if view == "round_trip":  # C x is conv2d / conv1d; Cᵀ C x is its transpose
        k = torch.tensor(case["kernel"], dtype=torch.float64)
        if case["oneD"]:
            conv = lambda t: F.conv1d(t, k[None], stride=case["stride"], padding=case["padding"],  # noqa: E731
                                      dilation=case["dilation"])
            source = x[0]
        else:
            conv = lambda t: F.conv2d(t, k[None, None], stride=case["stride"], padding=case["padding"],  # noqa: E731
                                      dilation=case["dilation"])
            source = x
        try:
            down = conv(source)
        except RuntimeError:
            return None
        return down.reshape(-1, down.shape[-1]).numpy()
    if op == "transposed_conv" or view:
        k = torch.tensor(s["kernel"], dtype=torch.float64)
        options = dict(stride=s["stride"], padding=s["padding"], output_padding=s["output_padding"],
                       dilation=s["dilation"])
        try:
            if view and case["oneD"]:
                out = F.conv_transpose1d(x[0], k[None], **options)
            else:
                out = F.conv_transpose2d(x, k[None, None], **options)
        except RuntimeError:
            return None
        if out.numel() == 0:
            return None
        return out.reshape(-1, out.shape[-1]).numpy()
    scale = s["scale"]
    if op == "bed_of_nails":
        nail = torch.zeros(1, 1, scale, scale, dtype=torch.float64)
        nail[..., 0, 0] = 1
        out = F.conv_transpose2d(x, nail, stride=scale)
    elif op == "nearest":
        out = F.interpolate(x, scale_factor=scale, mode="nearest")
    elif op in ("bilinear", "bicubic"):
        out = F.interpolate(x, scale_factor=scale, mode=op, align_corners=s["align_corners"])
    else:
        pooled = torch.tensor(s["pooled_from"], dtype=torch.float64)[None, None]
        _, switches = F.max_pool2d(pooled, scale, return_indices=True)
        out = F.max_unpool2d(x, switches, scale)
    return out[0, 0].numpy()


@pytest.fixture(scope="module")
def math_page(browser):
    with script_page(browser, MATH) as page:
        yield page


def compare(cases, results) -> dict:
    """Every case against torch; returns counts by operator and view. Raises on the first disagreement."""
    counted: dict[str, int] = {}
    for case, result in zip(cases, results):
        expected = torch_output(case)
        label = case.get("view") or case["op"]
        where = f"{label} case {json.dumps({k: v for k, v in case.items() if k != 'x'})[:300]} x={case['x']}"
        if expected is None:
            assert "error" in result, f"PyTorch refuses, the browser does not: {where}"
            continue
        assert "error" not in result, f"the browser refused ({result.get('error')}): {where}"
        torch.testing.assert_close(torch.tensor(result["output"], dtype=torch.float64),
                                   torch.tensor(expected, dtype=torch.float64), msg=where, **TOLERANCE)
        if case.get("view") == "round_trip":  # Cᵀ C x: the gradient of <conv(x), C x> with respect to x
            k = torch.tensor(case["kernel"], dtype=torch.float64)
            x = torch.tensor(case["x"], dtype=torch.float64, requires_grad=True)
            options = dict(stride=case["stride"], padding=case["padding"], dilation=case["dilation"])
            down = (F.conv1d(x[None], k[None], **options) if case["oneD"]
                    else F.conv2d(x[None, None], k[None, None], **options))
            down.backward(down.detach())
            torch.testing.assert_close(torch.tensor(result["back"], dtype=torch.float64), x.grad, msg=where,
                                       **TOLERANCE)
        counted[label] = counted.get(label, 0) + 1
    return counted


def test_every_operator_agrees_with_torch_in_the_browser(math_page):
    cases = make_cases()
    results = math_page.evaluate(RUN_ALL, cases)
    counted = compare(cases, results)
    assert sum(counted.values()) >= 500, counted
    for name in [*OPERATORS, "zero_insertion", "matrix", "round_trip"]:
        assert counted.get(name, 0) >= 10, (name, counted)
    # the step-through's words are those of ops/upsampling/trace.py's formula_terms
    for case, result in zip(cases, results):
        if case.get("view") or "error" in result:
            continue
        params = dict(case["settings"])
        if case["op"] != "transposed_conv":
            params.pop("kernel", None)
        params = {k: v for k, v in params.items() if k in OPERATORS[case["op"]].params}
        _, trace = OPERATORS[case["op"]](case["x"], **params)
        terms, total = trace.formula_terms(np.asarray(case["x"], dtype=float)[None], (0, *result["cell"]))
        assert result["formula"]["terms"] == terms, case["op"]
        assert result["formula"]["total"] == pytest.approx(total, rel=1e-12, abs=1e-9)


def test_the_switches_follow_torchs_tie_rule(math_page):
    """Ties everywhere: the first maximum in row-major order is remembered, as F.max_pool2d does."""
    encoder = [[1, 1, 0, 2], [1, 1, 2, 2], [5, 3, 4, 4], [3, 5, 4, 4]]
    result = math_page.evaluate("e => UpsamplingMath.maxPoolWithSwitches(e, 2)", encoder)
    _, indices = F.max_pool2d(torch.tensor(encoder, dtype=torch.float64)[None, None], 2, return_indices=True)
    expected = [[divmod(int(i), 4) for i in row] for row in indices[0, 0]]
    assert [[tuple(cell) for cell in row] for row in result["switches"]] == expected
    assert result["tied"] == [[i, j] for _, i, j in tied_windows(encoder, 2)] == [[0, 0], [0, 1], [1, 0], [1, 1]]


def test_the_comparison_catches_a_wrong_answer(math_page):
    """A planted mistake (bilinear with the other align_corners, one cell nudged) must fail the comparison."""
    cases = [c for c in make_cases() if c["op"] == "bilinear" and len(c["x"]) > 1 and len(c["x"][0]) > 1][:3]
    results = math_page.evaluate(RUN_ALL, cases)
    wrong = json.loads(json.dumps(results))
    wrong[0]["output"][0][1] += 1e-3
    with pytest.raises(AssertionError):
        compare(cases, wrong)
    flipped = [dict(c, settings=dict(c["settings"], align_corners=not c["settings"]["align_corners"])) for c in cases]
    with pytest.raises(AssertionError):
        compare(cases, math_page.evaluate(RUN_ALL, flipped))
    compare(cases, results)  # and the honest answers pass
