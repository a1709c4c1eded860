"""The same operators in PyTorch: the code a student would write, and its result for the live check.

For each operator, `<name>_code(...)` gives ready-to-copy PyTorch code for the current input and
settings, and `<name>_torch(...)` runs PyTorch on the same numbers and returns a numpy C×H×W array.
torch is imported only when a result is asked for, so the numpy operators stay cheap to import.
"""

import numpy as np

HEADER = "import torch\nimport torch.nn.functional as F\n\n"


def _literal(grid) -> str:
    """A grid as a Python nested-list literal with short numbers: [[[1, 2], [3, 4]]]."""
    array = np.asarray(grid, dtype=np.float64)
    if array.ndim == 0:
        return f"{float(array):.10g}"
    return "[" + ", ".join(_literal(part) for part in array) + "]"


def _tensor(name: str, grid) -> str:
    shape = np.shape(grid)
    dims = "×".join(str(d) for d in (1, *shape))
    return f"# {name}: N×C×H×W = {dims}\n{name} = torch.tensor([{_literal(grid)}], dtype=torch.float64)\n"


def _run(function, *tensors, **kwargs) -> np.ndarray:
    import torch

    with torch.no_grad():
        inputs = [torch.as_tensor(np.asarray(t, dtype=np.float64))[None] for t in tensors]
        return function(*inputs, **kwargs)[0].numpy()


# --- interpolation: nearest, bilinear, bicubic -------------------------------------------------------

def interpolate_code(x, scale: int, mode: str, align_corners: bool | None = None) -> str:
    corners = "" if align_corners is None else f", align_corners={align_corners}"
    return (HEADER + _tensor("x", x)
            + f'y = F.interpolate(x, scale_factor={scale}, mode="{mode}"{corners})\n')


def interpolate_torch(x, scale: int, mode: str, align_corners: bool | None = None) -> np.ndarray:
    import torch.nn.functional as F

    return _run(lambda t: F.interpolate(t, scale_factor=scale, mode=mode, align_corners=align_corners), x)


def nearest_code(x, scale: int = 2) -> str:
    return interpolate_code(x, scale, "nearest")


def nearest_torch(x, scale: int = 2) -> np.ndarray:
    return interpolate_torch(x, scale, "nearest")


def bilinear_code(x, scale: int = 2, align_corners: bool = False) -> str:
    return interpolate_code(x, scale, "bilinear", align_corners)


def bilinear_torch(x, scale: int = 2, align_corners: bool = False) -> np.ndarray:
    return interpolate_torch(x, scale, "bilinear", align_corners)


def bicubic_code(x, scale: int = 2, align_corners: bool = False) -> str:
    return interpolate_code(x, scale, "bicubic", align_corners)


def bicubic_torch(x, scale: int = 2, align_corners: bool = False) -> np.ndarray:
    return interpolate_torch(x, scale, "bicubic", align_corners)


# --- bed of nails: a transposed convolution whose kernel is one "nail" ---------------------------------

def bed_of_nails_code(x, scale: int = 2) -> str:
    channels = np.shape(x)[0]
    return (HEADER + _tensor("x", x)
            + f"nail = torch.zeros({channels}, 1, {scale}, {scale}, dtype=torch.float64)\n"
            + "nail[:, :, 0, 0] = 1  # each value goes to the top-left cell of its block\n"
            + f"y = F.conv_transpose2d(x, nail, stride={scale}, groups={channels})\n")


def bed_of_nails_torch(x, scale: int = 2) -> np.ndarray:
    import torch
    import torch.nn.functional as F

    channels = np.shape(x)[0]
    nail = torch.zeros(channels, 1, scale, scale, dtype=torch.float64)
    nail[:, :, 0, 0] = 1
    return _run(lambda t: F.conv_transpose2d(t, nail, stride=scale, groups=channels), x)


# --- max unpooling: the switches come from the encoder's max pooling -----------------------------------

def _encoder_map(x, scale: int, pooled_from) -> np.ndarray:
    from ops.upsampling.max_unpool import default_pooled_from

    source = default_pooled_from(x, scale) if pooled_from is None else np.asarray(pooled_from, dtype=np.float64)
    return source[None] if source.ndim == 2 else source


def max_unpool_code(x, scale: int = 2, pooled_from=None) -> str:
    source = _encoder_map(x, scale, pooled_from)
    return (HEADER + _tensor("encoder_map", source)
            + f"_, switches = F.max_pool2d(encoder_map, {scale}, return_indices=True)  # where each max was\n"
            + _tensor("x", x)
            + f"y = F.max_unpool2d(x, switches, {scale})\n")


def max_unpool_torch(x, scale: int = 2, pooled_from=None) -> np.ndarray:
    import torch.nn.functional as F

    source = _encoder_map(x, scale, pooled_from)

    def unpool(values, encoder_map):
        _, switches = F.max_pool2d(encoder_map, scale, return_indices=True)
        return F.max_unpool2d(values, switches, scale)

    return _run(unpool, x, source)


# --- transposed convolution ----------------------------------------------------------------------------

def transposed_conv_code(x, kernel, stride: int = 2, padding: int = 0, output_padding: int = 0,
                         dilation: int = 1) -> str:
    kernel = np.asarray(kernel, dtype=np.float64)
    if kernel.ndim == 2:
        kernel = kernel[None, None]
    c_in, c_out, kh, kw = kernel.shape
    size = kh if kh == kw else (kh, kw)
    options = f"stride={stride}, padding={padding}, output_padding={output_padding}"
    if dilation != 1:
        options += f", dilation={dilation}"
    return (HEADER + _tensor("x", x)
            + f"layer = torch.nn.ConvTranspose2d({c_in}, {c_out}, {size}, {options}, bias=False).double()\n"
            + "with torch.no_grad():  # the kernel on the page, C_in×C_out×k×k\n"
            + f"    layer.weight.copy_(torch.tensor({_literal(kernel)}))\n"
            + "y = layer(x)\n")


def transposed_conv_torch(x, kernel, stride: int = 2, padding: int = 0, output_padding: int = 0,
                          dilation: int = 1) -> np.ndarray:
    import torch
    import torch.nn.functional as F

    weight = torch.as_tensor(np.asarray(kernel, dtype=np.float64))
    if weight.ndim == 2:
        weight = weight[None, None]
    return _run(lambda t: F.conv_transpose2d(t, weight, stride=stride, padding=padding,
                                             output_padding=output_padding, dilation=dilation), x)
