"""What the explorer page shows comes from ops.upsampling.explorer: fallbacks, compare-all, torch check."""

import numpy as np
import torch
import torch.nn.functional as F

from ops.upsampling import OPERATORS
from ops.upsampling.explorer import ExplorerSettings, compare_all, params_for, run_with_fallback, torch_check

GRID = [[1.0, 2.0], [3.0, 4.0]]


def test_impossible_settings_fall_back_and_say_why():
    settings = ExplorerSettings(padding=6, stride=1, output_padding=0)  # empties a 2×2 input's output
    run = run_with_fallback("transposed_conv", GRID, params_for("transposed_conv", settings))
    assert run.refused is not None
    assert run.params["padding"] == 1 and run.output.shape == (1, 4, 4)


def test_the_last_settings_that_worked_come_before_the_safe_ones():
    last = {"kernel": np.ones((2, 2)), "stride": 3, "padding": 0, "output_padding": 0, "dilation": 1}
    bad = dict(last, padding=6)
    run = run_with_fallback("transposed_conv", GRID, bad, last_valid=last)
    assert run.params is last and run.output.shape == (1, 5, 5)  # (2 - 1)·3 + 2


def test_good_settings_are_used_as_they_are():
    params = params_for("bicubic", ExplorerSettings(scale=3, align_corners=True))
    run = run_with_fallback("bicubic", GRID, params)
    expected = F.interpolate(torch.tensor([[GRID]], dtype=torch.float64), scale_factor=3, mode="bicubic",
                             align_corners=True)[0].numpy()
    assert run.refused is None and np.allclose(run.output, expected)


def test_compare_all_gives_every_operator_the_same_scale():
    settings = ExplorerSettings(scale=2)
    chosen = run_with_fallback("bilinear", GRID, params_for("bilinear", settings))
    compared = dict(compare_all(GRID, settings, "bilinear", chosen))
    assert list(compared) == list(OPERATORS)
    assert all(out.shape == (1, 4, 4) for out in compared.values())
    assert compared["bilinear"] is chosen.output


def test_torch_check_measures_the_real_difference():
    check = torch_check("nearest", GRID, {"scale": 2})
    assert check.matches and check.max_difference == 0.0
    assert check.torch_function.startswith("torch.nn.functional")
