"""Which torch device to compute on: cuda > mps > cpu, chosen once, overridable."""

import torch

from ops.words import Words


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


def describe(device: str) -> Words:
    """What a page says about a device (ops holds no words): the GPU's own name, Apple's GPU, or the CPU with
    its thread count (`device.cpu` is a plural entry counting the threads)."""
    if device.startswith("cuda"):
        return Words("device.cuda", {"name": torch.cuda.get_device_name(torch.device(device))})
    if device == "mps":
        return Words("device.mps")
    return Words("device.cpu", n=torch.get_num_threads())


def device_name(device: str) -> str:
    """The device in English for the bench scripts' printouts, e.g. 'NVIDIA H100 80GB HBM3' or 'CPU (2 threads)';
    pages say describe(device) in the reader's language (lessons.devices.device_text)."""
    words = describe(device)
    if words.key == "device.cuda":
        return words.params["name"]
    if words.key == "device.mps":
        return "Apple GPU (MPS)"
    return f"CPU ({words.n} threads)"


def synchronize(device: str) -> None:
    """Wait for queued GPU work so a timer measures the work, not the launch."""
    if device.startswith("cuda"):
        torch.cuda.synchronize(torch.device(device))
    elif device == "mps":
        torch.mps.synchronize()
