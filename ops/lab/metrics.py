"""How good a segmentation is, and how much checkerboard a decoder leaves.

Pixel accuracy is the share of pixels labelled right; it flatters a model that paints everything sky
and grass (most pixels are stuff). Mean IoU averages, over classes, |prediction ∩ truth| / |prediction
∪ truth|, so a small class (triangles) counts as much as a big one. Both come from one confusion matrix.
"""

import torch


def confusion_matrix(prediction: torch.Tensor, target: torch.Tensor, num_classes: int) -> torch.Tensor:
    """K×K counts: row = true class, column = predicted class."""
    prediction, target = prediction.reshape(-1).long(), target.reshape(-1).long()
    if prediction.shape != target.shape:
        raise ValueError("prediction and target must have the same number of pixels")
    index = target.cpu() * num_classes + prediction.cpu()
    return torch.bincount(index, minlength=num_classes * num_classes).reshape(num_classes, num_classes)


def iou_per_class(confusion: torch.Tensor) -> torch.Tensor:
    """IoU of each class; NaN for a class absent from both prediction and truth."""
    confusion = confusion.double()
    hits = confusion.diag()
    union = confusion.sum(0) + confusion.sum(1) - hits
    return torch.where(union > 0, hits / union.clamp(min=1), torch.full_like(hits, float("nan")))


def mean_iou(confusion: torch.Tensor) -> float:
    """Mean IoU over the classes that occur (in the truth or the prediction)."""
    ious = iou_per_class(confusion)
    present = ~torch.isnan(ious)
    return float(ious[present].mean()) if present.any() else float("nan")


def pixel_accuracy(confusion: torch.Tensor) -> float:
    total = confusion.sum()
    return float(confusion.diag().sum().double() / total) if total else float("nan")


FLAT_BORDER = 8  # pixels trimmed from each side: zero padding makes borders differ for every decoder


@torch.no_grad()
def checkerboard_score(model: torch.nn.Module, colour=(0.45, 0.62, 0.92), size: int = 64,
                       device: str = "cpu") -> tuple[float, torch.Tensor]:
    """How uneven the logits are on a perfectly flat input (a patch of plain sky colour).

    A translation-invariant network would answer a constant image with constant logits away from the
    border. What spread remains is mostly the decoder's periodic stamp: uneven kernel overlap (transposed
    conv k3 s2), zero-filled nails, or unpooling switches that all point to the same corner of their
    window (ties on a flat input). Nearest and bilinear leave only a faint, slow drift from the zero
    padding far away, which the network's large receptive field still sees.
    Returns (score, unevenness map h×w on the cpu): the map is each interior pixel's root-mean-square
    deviation, over classes, of its logits from that class's mean logit; the score is the mean of its
    square, i.e. the variance of each class's logit over the interior, averaged over classes.
    """
    was_training = model.training
    model.eval()
    flat = torch.tensor(colour, dtype=torch.float32, device=device).view(1, 3, 1, 1).expand(1, 3, size, size)
    logits = model(flat.contiguous())[0, :, FLAT_BORDER:-FLAT_BORDER, FLAT_BORDER:-FLAT_BORDER].double().cpu()
    model.train(was_training)
    deviation = logits - logits.mean(dim=(1, 2), keepdim=True)
    unevenness = deviation.pow(2).mean(0)
    return float(unevenness.mean()), unevenness.sqrt().float()
