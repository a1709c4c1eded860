"""What the upsampling explorer shows, computed here so the page only lays it out.

A student's settings may be impossible (padding that empties the output, an encoder map of the wrong
size): `run_with_fallback` then shows the last settings that worked, else settings that always work,
and says why. `compare_all` runs every operator on the same grid with comparable settings, and
`torch_check` is the live check against PyTorch that the page prints; `live_check` is what the page's
fragment shows for one state (the run, that check and the PyTorch code), built once per state and process.
"""

from dataclasses import dataclass, replace

import numpy as np

from ops.memo import SharedCache
from ops.upsampling import OPERATORS
from ops.upsampling.trace import Trace


@dataclass(frozen=True)
class ExplorerSettings:
    """Every widget of the explorer, whatever the operator (each takes only what it needs)."""

    scale: int = 2
    align_corners: bool = False
    pooled_from: object = None  # the encoder grid max unpooling takes its switches from
    kernel: object = ((1, 1, 1), (1, 1, 1), (1, 1, 1))
    stride: int = 2
    padding: int = 1
    output_padding: int = 1
    dilation: int = 1


def params_for(name: str, settings: ExplorerSettings) -> dict:
    """The keyword arguments of operator `name` under these settings."""
    if name == "transposed_conv":
        return {"kernel": np.asarray(settings.kernel, dtype=float), "stride": settings.stride,
                "padding": settings.padding, "output_padding": settings.output_padding,
                "dilation": settings.dilation}
    if name == "max_unpool":
        return {"scale": settings.scale, "pooled_from": settings.pooled_from}
    if name in ("bilinear", "bicubic"):
        return {"scale": settings.scale, "align_corners": settings.align_corners}
    return {"scale": settings.scale}


def safe_params(name: str, scale: int) -> dict:
    """Settings of operator `name` that work for any input grid."""
    if name == "transposed_conv":
        return params_for(name, ExplorerSettings())
    if name == "max_unpool":
        return {"scale": scale, "pooled_from": None}  # switches from the input itself
    return {"scale": 2}


@dataclass(frozen=True)
class Run:
    output: np.ndarray  # C×H×W
    trace: Trace
    params: dict  # the settings actually used
    refused: ValueError | None  # why the student's own settings could not be used, if they could not


def run_with_fallback(name: str, grid, params: dict, last_valid: dict | None = None) -> Run:
    """Run the operator with the student's settings, else the last that worked, else safe ones."""
    op = OPERATORS[name]
    refused = None
    for candidate in [params] + ([last_valid] if last_valid else []) + [safe_params(name, params.get("scale", 2))]:
        try:
            output, trace = op(grid, **candidate)
        except ValueError as error:
            refused = refused or error
            continue
        return Run(output, trace, candidate, refused)
    raise refused


def compare_params(name: str, settings: ExplorerSettings, chosen: str) -> dict:
    """Settings for the compare-all panel: the same scale for all; a transposed convolution that the
    student is not exploring uses stride = scale, padding 1 and output_padding scale − 1, which also
    multiplies each side by the scale."""
    if name == "transposed_conv" and chosen != "transposed_conv":
        return {"kernel": np.asarray(settings.kernel, dtype=float), "stride": settings.scale, "padding": 1,
                "output_padding": settings.scale - 1}
    return params_for(name, settings)


def compare_all(grid, settings: ExplorerSettings, chosen: str, chosen_run: Run) -> list[tuple[str, np.ndarray]]:
    """(operator name, C×H×W output) for every operator that accepts these settings, in registry order."""
    results = []
    for name, op in OPERATORS.items():
        if name == chosen:
            results.append((name, chosen_run.output))
            continue
        try:
            results.append((name, op(grid, **compare_params(name, settings, chosen))[0]))
        except ValueError:
            continue
    return results


@dataclass(frozen=True)
class TorchCheck:
    torch_function: str  # e.g. "torch.nn.functional.interpolate"
    max_difference: float  # max |numpy − torch|

    @property
    def matches(self) -> bool:
        return self.max_difference <= 1e-6


def torch_check(name: str, grid, params: dict) -> TorchCheck:
    """The page's live check: this operator's numpy output against PyTorch's, for these settings."""
    op = OPERATORS[name]
    return TorchCheck(op.torch_function, op.check_against_torch(grid, **params))


@dataclass(frozen=True)
class LiveCheck:
    """What the page prints under the browser's explorer for one state: the settings used, PyTorch's verdict
    on them and the ready-to-copy PyTorch code."""

    params: dict
    check: TorchCheck
    code: str


# Why a process-wide memo: each debounced push of a student reruns the page's fragment, and a class sends the
# same states again and again (the teacher says "set the top-left cell to 5"; a student types 5, then 6, then 5).
_LIVE_CHECKS = SharedCache(maxsize=1024)


def _frozen(values):
    """A grid, kernel or number as a hashable key (nested tuples of floats)."""
    if values is None:
        return None
    array = np.asarray(values, dtype=float)
    return (array.shape, tuple(array.ravel().tolist()))


def live_check(name: str, grid, settings: ExplorerSettings) -> LiveCheck:
    """The run (with its fallback), the PyTorch check and code for one state of the explorer, memoised by
    that state; values are shared between sessions: read only."""
    key = (name, _frozen(grid), settings.scale, bool(settings.align_corners), _frozen(settings.pooled_from),
           _frozen(settings.kernel), settings.stride, settings.padding, settings.output_padding, settings.dilation)

    def build() -> LiveCheck:
        grid_array = np.asarray(grid, dtype=float)
        encoder = None if settings.pooled_from is None else np.asarray(settings.pooled_from, dtype=float)
        run = run_with_fallback(name, grid_array, params_for(name, replace(settings, pooled_from=encoder)))
        return LiveCheck(run.params, torch_check(name, grid_array, run.params),
                         OPERATORS[name].torch_code(grid_array, **run.params))

    return _LIVE_CHECKS.get(key, build)


# The classic max-unpooling example: for the notes' input at scale 2 the switches are not all top-left.
NOTES_ENCODER_MAP = [[1, 2, 6, 3], [3, 5, 2, 1], [1, 2, 2, 1], [7, 3, 4, 8]]


def default_encoder_map(h: int, w: int, scale: int) -> list[list[float]]:
    """The encoder grid whose max pooling gives max unpooling's switches must be (H·s)×(W·s): the notes'
    example for their 2×2 input at scale 2, else small whole numbers seeded by the size (the same every time,
    so a link that names no encoder grid opens the same one)."""
    if (h, w, scale) == (2, 2, 2):
        return [[float(v) for v in row] for row in NOTES_ENCODER_MAP]
    rng = np.random.default_rng(h * 100 + w * 10 + scale)
    return rng.integers(0, 10, size=(h * scale, w * scale)).astype(float).tolist()
