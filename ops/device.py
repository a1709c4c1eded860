"""Which torch device to compute on: cuda > mps > cpu, chosen once, overridable."""

import torch


def available_devices() -> list[str]:
    """Devices usable in this process, best first (always ends with 'cpu')."""
    devices = []
    if torch.cuda.is_available():
        devices.append("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        devices.append("mps")
    devices.append("cpu")
    return devices


def best_device() -> str:
    """The fastest device present: cuda, then Apple's mps, then cpu."""
    return available_devices()[0]


def device_name(device: str) -> str:
    """A human name for a device string, e.g. 'NVIDIA H100 80GB HBM3' or 'CPU (2 threads)'."""
    if device.startswith("cuda"):
        return torch.cuda.get_device_name(torch.device(device))
    if device == "mps":
        return "Apple GPU (MPS)"
    return f"CPU ({torch.get_num_threads()} threads)"


def synchronize(device: str) -> None:
    """Wait for queued GPU work so a timer measures the work, not the launch."""
    if device.startswith("cuda"):
        torch.cuda.synchronize(torch.device(device))
    elif device == "mps":
        torch.mps.synchronize()
