"""Where the ESPNetv2 checkpoints come from, where they are looked for, and how they are fetched safely.

Pixelwise does not ship the weights: on a user's machine they are downloaded on first use from the
EdgeNets repository (github.com/sacmehta/EdgeNets, MIT License, Copyright (c) 2021 Sachin Mehta), their
sha256 is verified, and they are kept in torch's hub cache. Looked for, in order:

1. the folder named by the environment variable PIXELWISE_WEIGHTS (tests and CI: ../shared/weights),
2. torch's hub cache, torch.hub.get_dir()/checkpoints.

    from ops.segmentation.checkpoints import load_espnetv2, find_checkpoint, download_checkpoint
    model = load_espnetv2("espnetv2_s_2.0_pascal_384x384")        # WeightsUnavailable if absent
"""

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import torch

from ops.errors import UserFacingError
from ops.segmentation.download import DownloadFailed, download_verified
from ops.segmentation.espnetv2 import (
    CITYSCAPES_CLASSES,
    PASCAL_VOC_CLASSES,
    ESPNetv2Segmentation,
    espnetv2_city,
    espnetv2_pascal,
)

ENV_VAR = "PIXELWISE_WEIGHTS"
LICENCE = "MIT, Copyright (c) 2021 Sachin Mehta"
BASE_URL = "https://raw.githubusercontent.com/sacmehta/EdgeNets/master/model/segmentation/model_zoo/espnetv2/"
CHUNK = 1 << 16


class WeightsUnavailable(UserFacingError, RuntimeError):
    """A checkpoint is neither on disk nor downloadable (offline, unreachable, wrong hash); key weights.*."""


@dataclass(frozen=True)
class Checkpoint:
    """One released file (spec section 11): what it is, how big, how good."""

    name: str             # the file name without .pth, e.g. "espnetv2_s_2.0_pascal_384x384"
    sha256: str
    bytes: int
    width: float          # the width multiplier s
    dataset: str          # "pascal" (21 classes) or "city" (Cityscapes, 20 outputs)
    train_size: tuple[int, int]   # (width, height) it was trained and evaluated at
    miou: float           # mIoU % on the val set, as the EdgeNets model zoo reports it
    licence: str = LICENCE

    @property
    def filename(self) -> str:
        return self.name + ".pth"

    @property
    def url(self) -> str:
        return BASE_URL + self.filename

    @property
    def classes(self) -> list[str]:
        return PASCAL_VOC_CLASSES if self.dataset == "pascal" else CITYSCAPES_CLASSES

    def build(self) -> ESPNetv2Segmentation:
        """The untrained network this file's weights fit."""
        return (espnetv2_pascal if self.dataset == "pascal" else espnetv2_city)(self.width)


def _ckpt(s, dataset, w, h, miou, nbytes, sha):
    return Checkpoint(f"espnetv2_s_{s}_{dataset}_{w}x{h}", sha, nbytes, s, dataset, (w, h), miou)


# Best first within each dataset (by reported mIoU).
CHECKPOINTS: dict[str, Checkpoint] = {c.name: c for c in [
    _ckpt(2.0, "pascal", 384, 384, 67.01, 3_376_138,
          "bc479586b0ba9254e02589020346931a14d99028ad6bac4817198be6d9e719a6"),
    _ckpt(1.5, "pascal", 384, 384, 63.67, 2_068_823,
          "75f67549659cb5db6a8323a7595e3ce1bc3cbea7f95731105dec7a6d034b516b"),
    _ckpt(2.0, "pascal", 256, 256, 63.36, 3_371_962,
          "e4883abccf8f042d422f2c66d69bd21b7af8d41680335e117eb2ee205f303d32"),
    _ckpt(1.0, "pascal", 384, 384, 60.22, 1_107_734,
          "7ce2df106b62661a4e8e30098398d6b96a2a946b9546d2287500379f984301a8"),
    _ckpt(1.5, "pascal", 256, 256, 59.39, 2_068_823,
          "0a297ec35a29168bef481b2e01a5735122eae5dd10f64c1a02d12f8ae141c727"),
    _ckpt(1.0, "pascal", 256, 256, 54.14, 1_107_734,
          "276d738e38733c136abf5ee9e8a801f5455b2751078c7c1d52a2b485460264be"),
    _ckpt(0.5, "pascal", 384, 384, 47.18, 469_363,
          "3352b32b209e1e6492d1481734f5333876b28d8866f5c1702d01ec70255eb20c"),
    _ckpt(0.5, "pascal", 256, 256, 39.82, 469_363,
          "9c7bebecd73c603a7eb2d8833eb2c54d0627e37e731548b7833291873e0a2e67"),
    _ckpt(2.0, "city", 512, 256, 50.4, 3_376_094,
          "6b6f26b567c82bb4d6624387f24ed505613edafad19222e1707993fbe0d1d8f6"),
]}


def checkpoint(name: str) -> Checkpoint:
    """The table entry for a name, with or without '.pth'."""
    key = name[:-4] if name.endswith(".pth") else name
    if key not in CHECKPOINTS:
        raise KeyError(f"unknown ESPNetv2 checkpoint {name!r}; known: {', '.join(CHECKPOINTS)}")
    return CHECKPOINTS[key]


def hub_checkpoint_dir() -> Path:
    """torch's hub cache for weights (honours TORCH_HOME and torch.hub.set_dir)."""
    return Path(torch.hub.get_dir()) / "checkpoints"


def search_dirs() -> list[Path]:
    """The folders looked in, in order: $PIXELWISE_WEIGHTS (when set), then torch's hub cache."""
    dirs = []
    if os.environ.get(ENV_VAR):
        dirs.append(Path(os.environ[ENV_VAR]).expanduser())
    dirs.append(hub_checkpoint_dir())
    return dirs


def find_file(filename: str) -> Path | None:
    """The first existing copy of a weights file in the search folders, or None."""
    for folder in search_dirs():
        path = folder / filename
        if path.is_file():
            return path
    return None


def find_checkpoint(name: str) -> Path | None:
    """The first existing copy of a checkpoint file in the search folders, or None."""
    return find_file(checkpoint(name).filename)


def available_checkpoints(dataset: str | None = "pascal") -> list[str]:
    """Names of the checkpoints present on disk, best first (dataset=None: all datasets)."""
    return [c.name for c in CHECKPOINTS.values()
            if (dataset is None or c.dataset == dataset) and find_checkpoint(c.name) is not None]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def places() -> dict:
    """Both places a weights file may be put, as values for a message: no words, only names and paths."""
    env = os.environ.get(ENV_VAR)
    return {"env_place": f"${ENV_VAR} ({env})" if env else f"${ENV_VAR}", "hub": str(hub_checkpoint_dir())}


def missing_params(name: str, url: str | None = None) -> dict:
    """The values of a weights.espnetv2_* message: which file, both places, where to download it."""
    entry = checkpoint(name)
    return {"file": entry.filename, **places(), "url": url or entry.url, "bytes": entry.bytes,
            "sha256": entry.sha256, "licence": entry.licence}


def download_checkpoint(name: str, progress=None, url: str | None = None) -> Path:
    """Fetch a checkpoint into torch's hub cache, verify its sha256, and return its path.

    Streams into a temporary file in the same folder and renames it only once the hash matches, so a
    failed or interrupted download never leaves a half file under the real name. progress(done_bytes,
    total_bytes) is called after every chunk (total from Content-Length, else the table's size).
    Raises WeightsUnavailable when offline, the URL is unreachable, or the bytes are not the expected ones.
    """
    entry = checkpoint(name)
    url = url or entry.url
    try:
        return download_verified(url, hub_checkpoint_dir() / entry.filename, entry.sha256, entry.bytes, progress)
    except DownloadFailed as error:
        if error.key == "download.wrong_sha256":
            raise WeightsUnavailable("weights.espnetv2_download_wrong_sha256", **missing_params(name, url),
                                     **error.params) from error
        raise WeightsUnavailable("weights.espnetv2_download_failed", **missing_params(name, url),
                                 **error.params) from error


def load_espnetv2(name: str = "espnetv2_s_2.0_pascal_384x384", device: str = "cpu", download: bool = False,
                  progress=None, verify: bool = True) -> ESPNetv2Segmentation:
    """The network with a checkpoint's weights (strict loading), in eval mode, on `device`.

    Uses the first copy found (find_checkpoint); when there is none it downloads one if `download` is
    True, else raises WeightsUnavailable saying what to put where. `verify` checks the file's sha256
    first (about 10 ms for the largest file), so a corrupt copy is refused with a clear message.
    """
    entry = checkpoint(name)
    path = find_checkpoint(name)
    if path is None:
        if not download:
            raise WeightsUnavailable("weights.espnetv2_missing", **missing_params(name))
        path = download_checkpoint(name, progress=progress)
    if verify and sha256_of(path) != entry.sha256:
        raise WeightsUnavailable("weights.espnetv2_copy_wrong_sha256", **missing_params(name), path=str(path))
    model = entry.build()
    model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True), strict=True)
    return model.eval().to(device)
