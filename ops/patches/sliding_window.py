"""Two ways to label every pixel with the same patch classifier, and what each costs.

Sliding window: cut the P×P patch around every pixel and run the network on it, one forward pass
per pixel. Neighbouring patches overlap almost entirely, so most of that work is repeated.
Fully convolutional: run the same weights once on the whole (padded) image; every intermediate value
is computed once and shared by all the windows that contain it. Both give the same scores.
"""

import copy
import time
from collections.abc import Callable
from dataclasses import dataclass

import torch

from ops.device import best_device, synchronize
from ops.patches.patch_network import PatchClassifier, pad_for_patches


@dataclass(frozen=True)
class Prediction:
    scores: torch.Tensor  # C×H×W class scores (logits), on the CPU
    forward_passes: int  # patches the network was run on (1 for the fully convolutional pass)
    calls: int  # times the network was called
    seconds: float  # wall time on `device`, data transfer to it excluded
    device: str

    @property
    def labels(self) -> torch.Tensor:
        """H×W predicted class per pixel."""
        return self.scores.argmax(0)

    def accuracy(self, truth) -> float:
        """Share of pixels whose predicted class is the true one (for generated scenes, which have labels)."""
        truth = torch.as_tensor(truth)
        if truth.shape != self.labels.shape:
            raise ValueError("the true labels must have the image's size")
        return float((self.labels == truth).double().mean())


def _as_batch(image: torch.Tensor, network: PatchClassifier) -> torch.Tensor:
    """1×3×H×W in the network's dtype (float32 normally; float64 for exact comparisons)."""
    if not isinstance(image, torch.Tensor) or image.ndim != 3 or image.shape[0] != 3:
        raise ValueError("the image must be a 3×H×W tensor")
    if image.shape[1] < 1 or image.shape[2] < 1:
        raise ValueError("the image is empty")
    return image.to(next(network.parameters()).dtype).unsqueeze(0)


def _on(network: PatchClassifier, device: str) -> PatchClassifier:
    """The network on `device`; a copy when it lives elsewhere, so a shared cached network never moves."""
    here, there = next(network.parameters()).device, torch.device(device)
    if here.type == there.type and there.index in (None, here.index):
        return network
    return copy.deepcopy(network).to(device)


def fully_conv_predict(network: PatchClassifier, image: torch.Tensor, device: str | None = None) -> Prediction:
    """One forward pass on the whole image, padded by (P−1)/2 pixels: C×H×W scores."""
    device = device or best_device()
    net = _on(network, device)
    padded = pad_for_patches(_as_batch(image, network), network.patch_size).to(device)
    with torch.inference_mode():
        synchronize(device)
        start = time.perf_counter()
        scores = net(padded)[0]
        synchronize(device)
        seconds = time.perf_counter() - start
    return Prediction(scores.cpu(), 1, 1, seconds, device)


def sliding_window_predict(network: PatchClassifier, image: torch.Tensor, device: str | None = None,
                           patches_per_call: int = 1,
                           progress: Callable[[int, int], None] | None = None) -> Prediction:
    """Run the network on the P×P patch around every pixel, in raster order: C×H×W scores.

    `patches_per_call` > 1 stacks that many patches into one call (a batch): the same forward passes
    and FLOPs, less per-call overhead. `progress(done, total)` is called whenever a call finishes an image row.
    """
    if patches_per_call < 1:
        raise ValueError("patches_per_call must be at least 1")
    device = device or best_device()
    net = _on(network, device)
    size = network.patch_size
    batch = _as_batch(image, network)
    height, width = batch.shape[2:]
    padded = pad_for_patches(batch, size).to(device)[0]
    total = height * width
    scores = torch.empty(total, network.convs[-1].out_channels, device=device, dtype=padded.dtype)
    # every patch as a view: windows[r, c] is the P×P patch centred on pixel (r, c), no copy
    windows = padded.unfold(1, size, 1).unfold(2, size, 1)  # 3×H×W×P×P
    calls = 0
    with torch.inference_mode():
        synchronize(device)
        start = time.perf_counter()
        for first in range(0, total, patches_per_call):  # pixels in raster order, a chunk per call
            last = min(first + patches_per_call, total)
            pieces, index = [], first
            while index < last:  # the chunk's patches, row by row (a chunk may span rows)
                row, col = divmod(index, width)
                stop = min(last - index, width - col)
                pieces.append(windows[:, row, col:col + stop].permute(1, 0, 2, 3))  # n×3×P×P
                index += stop
            patches = pieces[0] if len(pieces) == 1 else torch.cat(pieces)
            scores[first:last] = net(patches)[:, :, 0, 0]
            calls += 1
            if progress is not None and (last // width > first // width or last == total):
                progress(last, total)  # at least once per finished image row
        synchronize(device)
        seconds = time.perf_counter() - start
    return Prediction(scores.T.reshape(-1, height, width).cpu(), total, calls, seconds, device)


# ----------------------------------------------------------------------------------------------- cost
@dataclass(frozen=True)
class SlidingWindowCost:
    """What the two methods compute, counted analytically (FLOPs = 2 × multiply–adds of the convs,
    the convention of torch.utils.flop_counter; biases and ReLUs are not counted)."""

    height: int
    width: int
    patch_size: int
    forward_passes: int  # sliding window: one per pixel
    flops_per_patch: int  # one forward pass on one P×P patch
    sliding_flops: int  # forward_passes × flops_per_patch
    fully_conv_flops: int  # one pass on the (H+P−1)×(W+P−1) padded image
    neighbour_overlap: float  # share of one patch's work that the next patch (one pixel right) repeats
    input_overlap: float  # share of one patch's pixels that the next patch also reads: (P−1)/P

    @property
    def flop_ratio(self) -> float:
        """Theoretical speed-up of the fully convolutional pass: sliding FLOPs / fully-conv FLOPs."""
        return self.sliding_flops / self.fully_conv_flops

    @property
    def repeated_share(self) -> float:
        """Share of all the sliding window's work that recomputes a value another window computed."""
        return 1 - self.fully_conv_flops / self.sliding_flops


def sliding_window_cost(network: PatchClassifier, height: int, width: int) -> SlidingWindowCost:
    """Count both methods' FLOPs layer by layer from the conv shapes."""
    if height < 1 or width < 1:
        raise ValueError("the image must have at least one pixel")
    size = network.patch_size
    patch_side, full_h, full_w = size, height + size - 1, width + size - 1
    per_patch = full = shared_with_next = 0
    for conv in network.convs:
        k = conv.kernel_size[0]
        per_position = 2 * conv.in_channels * conv.out_channels * k * k  # FLOPs of one output value's channels
        patch_side, full_h, full_w = patch_side - k + 1, full_h - k + 1, full_w - k + 1
        per_patch += per_position * patch_side * patch_side
        full += per_position * full_h * full_w
        shared_with_next += per_position * patch_side * (patch_side - 1)
    passes = height * width
    return SlidingWindowCost(height, width, size, passes, per_patch, passes * per_patch, full,
                             shared_with_next / per_patch, (size - 1) / size)


# ------------------------------------------------------------------------------------------ comparison
@dataclass(frozen=True)
class Comparison:
    """The real sliding window against the fully convolutional pass, on the same image and device."""

    sliding: Prediction
    fully_conv: Prediction  # seconds: the median of several passes (one pass is too short to time alone)
    cost: SlidingWindowCost

    @property
    def max_difference(self) -> float:
        """Largest |score difference| over all pixels and classes: float32 rounding only."""
        return float((self.sliding.scores - self.fully_conv.scores).abs().max())

    @property
    def measured_speedup(self) -> float:
        return self.sliding.seconds / max(self.fully_conv.seconds, 1e-9)


def compare_methods(network: PatchClassifier, image: torch.Tensor, device: str | None = None,
                    patches_per_call: int = 1, repeats: int = 5,
                    progress: Callable[[int, int], None] | None = None) -> Comparison:
    """Run both methods (fully convolutional `repeats` times, the first one a warm-up) and compare."""
    device = device or best_device()
    runs = [fully_conv_predict(network, image, device) for _ in range(max(repeats, 1) + 1)][1:]
    seconds = sorted(run.seconds for run in runs)[len(runs) // 2]
    fast = Prediction(runs[0].scores, 1, 1, seconds, device)
    slow = sliding_window_predict(network, image, device, patches_per_call, progress)
    height, width = image.shape[1:]
    return Comparison(slow, fast, sliding_window_cost(network, height, width))
