"""A small CNN that classifies the patch around one pixel: convolutions without padding, then a 1×1
convolution to class scores.

Without padding, a P×P patch shrinks to a 1×1 output: one class-score vector for its centre pixel.
The very same weights applied to a bigger image give one score vector per P×P window of it, which
is the whole point of the sliding-window lesson. Trained briefly (seeded, cached) on generated
pastures so the labels a student sees mean something: sky, grass, cow.
"""

from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from ops.memo import shared
from ops.patches.pasture import CLASSES, pasture

# (kernel, output channels) of each 3×3 convolution; a 1×1 convolution to the class scores follows
DEFAULT_LAYERS = ((3, 16), (3, 24), (3, 32), (3, 32))


class PatchClassifier(nn.Module):
    """Valid (unpadded) convolutions + ReLU, ending in a 1×1 convolution to `num_classes` scores."""

    def __init__(self, num_classes: int = len(CLASSES), layers=DEFAULT_LAYERS, in_channels: int = 3):
        super().__init__()
        convs, channels = [], in_channels
        for kernel, out_channels in layers:
            convs += [nn.Conv2d(channels, out_channels, kernel), nn.ReLU()]
            channels = out_channels
        convs.append(nn.Conv2d(channels, num_classes, 1))
        self.body = nn.Sequential(*convs)
        self.classes = CLASSES[:num_classes] if num_classes <= len(CLASSES) else tuple(
            f"class {k}" for k in range(num_classes))

    @property
    def convs(self) -> list[nn.Conv2d]:
        return [m for m in self.body if isinstance(m, nn.Conv2d)]

    @property
    def patch_size(self) -> int:
        """Side of the square patch that gives exactly one output: 1 + Σ(k − 1)."""
        return 1 + sum(conv.kernel_size[0] - 1 for conv in self.convs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)


def pad_for_patches(images: torch.Tensor, patch_size: int) -> torch.Tensor:
    """Extend N×3×H×W images by (P−1)/2 pixels on every side (edge pixels repeated), so that every
    pixel, borders included, has a full P×P patch around it."""
    if patch_size % 2 == 0:
        raise ValueError("the patch size must be odd, so that a patch has a centre pixel")
    half = patch_size // 2
    return F.pad(images, (half, half, half, half), mode="replicate")


@dataclass(frozen=True)
class TrainingReport:
    steps: int
    final_loss: float
    pixel_accuracy: float  # on held-out pastures


def train_patch_classifier(seed: int = 0, steps: int = 200, size: int = 48, batch: int = 6,
                           learning_rate: float = 0.01) -> tuple[PatchClassifier, TrainingReport]:
    """Train a PatchClassifier fully convolutionally with per-pixel cross-entropy on generated pastures.

    A few seconds on a laptop CPU; seeded, so the same seed gives the same network.
    """
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    net = PatchClassifier()
    scenes = [pasture(size, seed=1000 * seed + k) for k in range(batch * 4)]
    images = torch.stack([torch.from_numpy(s.image).permute(2, 0, 1) for s in scenes])
    labels = torch.stack([torch.from_numpy(s.labels) for s in scenes])
    padded = pad_for_patches(images, net.patch_size)
    weights = 1 / torch.bincount(labels.ravel(), minlength=len(CLASSES)).clamp(min=1).float()
    weights = weights / weights.sum() * len(CLASSES)  # cows are few: weigh classes evenly
    optimiser = torch.optim.Adam(net.parameters(), lr=learning_rate)
    loss = torch.tensor(0.0)
    for _ in range(steps):
        chosen = torch.randperm(len(scenes), generator=generator)[:batch]
        loss = F.cross_entropy(net(padded[chosen]), labels[chosen], weight=weights)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    net.eval()
    held_out = [pasture(size, seed=1000 * seed + 999 - k) for k in range(4)]
    with torch.no_grad():
        test_images = torch.stack([torch.from_numpy(s.image).permute(2, 0, 1) for s in held_out])
        predicted = net(pad_for_patches(test_images, net.patch_size)).argmax(1)
    truth = torch.stack([torch.from_numpy(s.labels) for s in held_out])
    accuracy = (predicted == truth).float().mean().item()
    return net, TrainingReport(steps, float(loss.item()), accuracy)


CHECKPOINTS = Path(__file__).parent / "weights"


def checkpoint_path(seed: int) -> Path:
    """Where the shipped weights of `seed` live (made by `python -m ops.patches.make_checkpoint`)."""
    return CHECKPOINTS / f"patch_classifier_seed{seed}.pt"


def load_patch_classifier(path: Path) -> PatchClassifier:
    """A PatchClassifier from a bare state_dict (loaded weights_only: no pickled code), in eval mode."""
    net = PatchClassifier()
    net.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    return net.eval()


@shared(maxsize=4)  # single flight: the warm-up thread and a first request never both load or train
def trained_patch_classifier(seed: int = 0) -> PatchClassifier:
    """The lesson's classifier (read only: eval mode, no grads): the shipped checkpoint of `seed` when there
    is one, else trained here once per process and seed (a few seconds on an idle CPU)."""
    path = checkpoint_path(seed)
    net = load_patch_classifier(path) if path.is_file() else train_patch_classifier(seed)[0]
    for parameter in net.parameters():
        parameter.requires_grad_(False)
    return net
