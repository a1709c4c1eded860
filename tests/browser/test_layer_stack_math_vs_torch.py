"""The browser's layer-stack arithmetic (pages/components/layer_stack_math.js) against ops and PyTorch.

The file is loaded alone into a blank Chromium page and evaluated on 600 seeded random stacks in one
`page.evaluate`; every answer is then compared with ops/layer_stack and with torch itself: the output
sides of a real nn.Conv2d / nn.MaxPool2d / nn.AvgPool2d stack, the receptive field as the input pixels
whose gradient is non-zero for one output pixel (all-ones weights, pools averaged: a max pool's gradient
goes to one winner), parameters and FLOPs (FlopCounterMode). A planted wrong answer must be caught.
"""

import json
import random
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from ops.layer_stack import (
    STACK_PRESETS,
    Layer,
    StackError,
    check_stack,
    decode_stack,
    encode_stack,
    field_growth,
    layer_costs,
    output_sizes,
    receptive_field,
)
from tests.browser.conftest import script_page

MATH = Path(__file__).resolve().parents[2] / "pages" / "components" / "layer_stack_math.js"
CASES = 600
TORCH_FIELD_CASES = 150  # the autograd field on the quick ones (input ≤ 48 pixels)


def random_layer(rng: random.Random) -> Layer:
    kind = rng.choice(["conv", "conv", "max-pool", "avg-pool"])
    kernel = rng.randint(1, 7)
    stride = rng.randint(1, 4)  # stride > kernel happens (kernel 1 or 2, stride 3 or 4)
    if kind == "conv":
        dilation = rng.randint(1, 3)
        return Layer("conv", kernel, stride, dilation, rng.randint(0, 3), rng.randint(1, 4))
    return Layer(kind, kernel, stride, 1, rng.randint(0, kernel // 2))


def random_cases(seed: int = 18) -> list[dict]:
    rng = random.Random(seed)
    cases = []
    while len(cases) < CASES:
        layers = [random_layer(rng) for _ in range(rng.randint(1, 8))]
        size = rng.randint(8, 64)
        try:
            output_sizes(layers, size)
        except StackError:
            continue
        pixel = (rng.randrange(size), rng.randrange(size))
        cases.append({"text": encode_stack(layers), "layers": layers, "size": size, "pixel": pixel})
    return cases


# every upsampler and the presets, through ops' autograd probe (the recurrence stops at upsampling)
UPSAMPLING_TEXTS = [encode_stack(list(p.layers)) for p in STACK_PRESETS.values()] + [
    "c3s1d1p1n4-m2s2p0-c3s1d1p1n4-uu-c3s1d1p1n4",
    "c3s2d1p1n4-ub-c3s1d1p1n4", "c3s2d1p1n4-uc-c3s1d1p1n4", "c3s2d1p1n4-un", "c3s2d1p1n4-uz-c3s1d1p1n4",
    "c5s2d2p2n4-t4s2p1n4-c3s1d1p1n4", "a3s3p1-t3s3p0n2-ub", "m2s2p0-c3s1d2p2n2-uu-uc",
]

EVALUATE = """(cases) => cases.map(({text, size, pixel}) => {
  const M = LayerStackMath;
  try {
    const layers = M.decode(text);
    const rf = M.receptiveField(layers, size);
    const growth = M.fieldGrowth(layers, size, pixel);
    return {
      encoded: M.encode(layers), sides: M.outputSizes(layers, size),
      field: rf.map(r => [r.size, r.jump, Number.isNaN(r.start) ? null : r.start, r.measured, r.growth]),
      units: growth.units, joined: Array.from(growth.joined),
      masks: growth.masks.map(m => Array.from(m).reduce((s, v, p) => v ? s.concat([p]) : s, [])),
      costs: M.layerCosts(layers, size).map(c => [c.channels, c.side, c.flops, c.bytes, c.params]),
    };
  } catch (e) { return {error: e && e.key ? e.key : String(e)}; }
})"""


@pytest.fixture(scope="module")
def math_page(browser):
    with script_page(browser, MATH) as page:
        yield page


def run_js(page, cases) -> list[dict]:
    payload = [{"text": c["text"], "size": c["size"], "pixel": list(c["pixel"])} for c in cases]
    return page.evaluate(EVALUATE, payload)


def torch_sides(layers, size) -> list[int]:
    """Output sides of the real modules on a real tensor (max pools as max pools)."""
    x, sides = torch.zeros(1, 1, size, size), [size]
    with torch.no_grad():
        for layer in layers:
            x = module(layer, probe=False)(x)
            sides.append(x.shape[-1])
    return sides


def module(layer: Layer, probe: bool) -> nn.Module:
    if layer.kind == "conv":
        conv = nn.Conv2d(1, 1, layer.kernel, layer.stride, layer.padding, layer.dilation, bias=False)
        nn.init.ones_(conv.weight)
        return conv
    if layer.kind == "avg-pool" or probe:
        return nn.AvgPool2d(layer.kernel, layer.stride, layer.padding)
    return nn.MaxPool2d(layer.kernel, layer.stride, layer.padding)


def torch_field(layers, size, unit) -> set[int]:
    """Input pixels (row·size + col) whose gradient of output `unit` is non-zero, all-ones weights."""
    x = torch.ones(1, 1, size, size, dtype=torch.float64, requires_grad=True)
    out = x
    for layer in layers:
        out = module(layer, probe=True).double()(out)
    (grad,) = torch.autograd.grad(out[0, 0, unit[0], unit[1]], x)
    return set(np.flatnonzero(grad[0, 0].numpy().ravel() != 0).tolist())


def compare(case: dict, got: dict) -> list[str]:
    """What the browser got wrong for one case (empty: agrees with ops and torch)."""
    layers, size, pixel = case["layers"], case["size"], case["pixel"]
    problems = []
    if "error" in got:
        return [f"the browser raised {got['error']}"]
    clean = check_stack(layers, size)
    if got["encoded"] != encode_stack(clean) or decode_stack(got["encoded"]) != clean:
        problems.append(f"encoding {got['encoded']} != {encode_stack(clean)}")
    if got["sides"] != output_sizes(clean, size):
        problems.append(f"sides {got['sides']} != ops {output_sizes(clean, size)}")
    if case.get("torch") and all(layer.kind in ("conv", "max-pool", "avg-pool") for layer in clean):
        if got["sides"] != torch_sides(clean, size):
            problems.append(f"sides {got['sides']} != torch {torch_sides(clean, size)}")
    rows = receptive_field(clean, size)
    expected = [[r.size, r.jump_value, r.start if r.start == r.start else None, r.measured] for r in rows]
    if [f[:4] for f in got["field"]] != expected:
        problems.append(f"field {got['field']} != ops {expected}")
    if [f[4] for f in got["field"]][1:] != [b.size - a.size for a, b in zip(rows, rows[1:])]:
        problems.append("growth per layer")
    frames = field_growth(clean, size, pixel)
    if [list(u) for u in got["units"]] != [list(map(int, u)) for u in frames.units]:
        problems.append(f"followed units {got['units']} != ops {frames.units}")
    if got["joined"] != frames.joined.ravel().tolist():
        problems.append("joined layers differ from ops")
    for i, mask in enumerate(frames.masks):
        if got["masks"][i] != np.flatnonzero(mask.ravel()).tolist():
            problems.append(f"field of layer {i} differs from ops")
            break
    if case.get("torch"):
        last = len(clean)
        if set(got["masks"][last]) != torch_field(clean, size, tuple(got["units"][last])):
            problems.append("last layer's field differs from torch's gradient support")
    costs = [[c.channels, c.side, c.flops, c.activation_bytes] for c in layer_costs(clean, size)]
    if [c[:4] for c in got["costs"]] != costs:
        problems.append(f"costs {got['costs']} != ops {costs}")
    return problems


def test_random_stacks_agree_with_ops_and_torch(math_page):
    cases = random_cases()
    for case in cases[:TORCH_FIELD_CASES]:
        case["torch"] = case["size"] <= 48
    results = run_js(math_page, cases)
    assert len(results) == CASES >= 500
    assert sum(bool(c.get("torch")) for c in cases) >= 80
    assert any(layer.stride > layer.kernel for c in cases for layer in c["layers"])
    assert any(layer.dilation > 1 for c in cases for layer in c["layers"])
    failures = {c["text"] + f" @ {c['size']} {c['pixel']}": p for c, r in zip(cases, results) if (p := compare(c, r))}
    assert not failures, json.dumps(dict(list(failures.items())[:5]), indent=1)


def test_upsampling_and_presets_agree_with_the_autograd_probe(math_page):
    cases = [{"text": t, "layers": decode_stack(t), "size": s, "pixel": p}
             for t in UPSAMPLING_TEXTS for s, p in ((32, (16, 16)), (48, (3, 40)))]
    cases = [c for c in cases if _runs(c)]
    assert len(cases) >= 12
    results = run_js(math_page, cases)
    failures = {c["text"] + f" @ {c['size']}": p for c, r in zip(cases, results) if (p := compare(c, r))}
    assert not failures, json.dumps(failures, indent=1)


def _runs(case) -> bool:
    try:
        output_sizes(case["layers"], case["size"])
        return True
    except StackError:
        return False


def test_a_planted_wrong_answer_is_caught(math_page):
    case = random_cases()[0]
    good = run_js(math_page, [case])[0]
    assert compare(case, good) == []
    for field, wrong in (("sides", lambda v: v[:-1] + [v[-1] + 1]),
                         ("field", lambda v: v[:-1] + [[v[-1][0] + 1] + v[-1][1:]]),
                         ("masks", lambda v: v[:-1] + [v[-1][1:]]),
                         ("costs", lambda v: [[c[0], c[1], c[2] * 2, c[3], c[4]] for c in v])):
        planted = dict(good, **{field: wrong(good[field])})
        assert compare(dict(case, torch=True), planted), field


def test_parameters_and_flops_agree_with_torch(math_page):
    """Learned parameters per layer (the modules' own count) and FLOPs (FlopCounterMode) of real networks."""
    cases = [(encode_stack(list(p.layers)), 32) for p in STACK_PRESETS.values()][:2]
    cases += [(c["text"], c["size"]) for c in random_cases()[:40]]
    got = math_page.evaluate("""(cases) => cases.map(([t, size]) => LayerStackMath.layerCosts(LayerStackMath.decode(t),
        size).map(c => [c.params, c.flops]))""", cases)
    from ops.layer_stack import build_stack

    for (text, size), costs in zip(cases, got):
        layers = decode_stack(text)
        net = build_stack(layers, in_channels=3, relu=False, seed=0)
        assert [c[0] for c in costs] == [sum(p.numel() for p in block.parameters()) for block in net.blocks], text
        with torch.no_grad(), FlopCounterMode(display=False) as counter:
            net(torch.randn(1, 3, size, size))
        assert sum(c[1] for c in costs) == counter.get_total_flops(), text


def test_bad_stacks_give_the_message_keys_of_ops(math_page):
    bad = ["", "c3s1d1p1n64-zz", "c0s1d1p0n4", "m3s1p2", "uu", "c3s1d99p1n4", "-".join(["c1s1d1p0n1"] * 41)]
    got = math_page.evaluate("""(texts) => texts.map(t => { try { LayerStackMath.decode(t); return null; }
        catch (e) { return e.key; } })""", bad)
    expected = []
    for text in bad:
        try:
            decode_stack(text)
            expected.append(None)
        except StackError as error:
            expected.append(error.key)
    assert got == expected and None not in got
