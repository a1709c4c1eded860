"""The building blocks of ESPNetv2 (Mehta et al., "ESPNetv2: A Light-weight, Power Efficient, and General
Purpose Convolutional Neural Network", CVPR 2019), written from the project's specification
../shared/models/ESPNETV2.md (sections 1, 3, 4 and 6).

Attribute names are data, not style: they become the state-dict keys of the released checkpoints, which
use two naming styles for the same conv/BN/PReLU idea. The encoder style keeps named children
(`conv`, `bn`, `act`); the decoder style wraps an `nn.Sequential` in a child called `cbr` or `br`.
Every conv is bias-free unless stated, padding is always dilation·(k−1)/2, and every resampling is
bilinear with align_corners=True.
"""

import math

import torch
import torch.nn.functional as F
from torch import nn

BRANCHES = 4  # parallel dilated branches in every EESP unit (also the group count of its 1x1 convs)
PYRAMID_SCALES = (2.0, 1.5, 1.0, 0.5, 0.1)  # efficient pyramid pooling, in concatenation order
PYRAMID_MIN_SIDE = 5
# Device types whose adaptive_avg_pool2d may refuse sizes that do not divide each other (Apple's MPS did,
# pytorch issue #143864): there the pyramid pooling uses the equivalent pooling matrices instead.
POOL_WITH_MATRICES_ON = {"mps"}


def conv(a: int, b: int, k: int, stride: int = 1, dilation: int = 1, groups: int = 1,
         bias: bool = False) -> nn.Conv2d:
    """A k×k conv that keeps the size at stride 1 (padding dilation·(k−1)/2), bias-free by default."""
    return nn.Conv2d(a, b, k, stride=stride, padding=dilation * (k - 1) // 2, dilation=dilation,
                     groups=groups, bias=bias)


def up(x: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    """The network's only interpolation: bilinear with align_corners=True."""
    return F.interpolate(x, size=size, mode="bilinear", align_corners=True)


def pool3s2(x: torch.Tensor) -> torch.Tensor:
    """3×3 average pool, stride 2, padding 1, zeros counted: the side becomes ⌈side/2⌉."""
    return F.avg_pool2d(x, kernel_size=3, stride=2, padding=1)


def pooling_matrix(n_in: int, n_out: int, dtype, device) -> torch.Tensor:
    """The n_out×n_in matrix of 1-D adaptive average pooling: row i averages the inputs
    ⌊i·n_in/n_out⌋ … ⌈(i+1)·n_in/n_out⌉−1 (PyTorch's bins; they overlap when n_out > n_in)."""
    i = torch.arange(n_out, device=device)
    start = (i * n_in) // n_out
    end = ((i + 1) * n_in + n_out - 1) // n_out
    j = torch.arange(n_in, device=device)
    inside = (j >= start[:, None]) & (j < end[:, None])
    return inside.to(dtype) / (end - start)[:, None].to(dtype)


def apool(x: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    """adaptive_avg_pool2d(x, size); as two matrix products on devices that cannot pool any size.
    Both agree to float rounding: an adaptive bin is a rectangle, so its mean is separable."""
    if x.device.type not in POOL_WITH_MATRICES_ON:
        return F.adaptive_avg_pool2d(x, size)
    rows = pooling_matrix(x.shape[2], size[0], x.dtype, x.device)
    cols = pooling_matrix(x.shape[3], size[1], x.dtype, x.device)
    return rows @ x @ cols.T


# --- encoder ("attribute") style, section 1.1 ------------------------------------------------------

class CBR(nn.Module):
    """Conv → BN → per-channel PReLU, children named conv/bn/act (encoder style)."""

    def __init__(self, a: int, b: int, k: int, stride: int = 1, groups: int = 1):
        super().__init__()
        self.conv = conv(a, b, k, stride=stride, groups=groups)
        self.bn = nn.BatchNorm2d(b)
        self.act = nn.PReLU(b)

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class CB(nn.Module):
    """Conv → BN without activation (encoder style)."""

    def __init__(self, a: int, b: int, k: int, groups: int = 1):
        super().__init__()
        self.conv = conv(a, b, k, groups=groups)
        self.bn = nn.BatchNorm2d(b)

    def forward(self, x):
        return self.bn(self.conv(x))


class BR(nn.Module):
    """BN → PReLU (encoder style)."""

    def __init__(self, c: int):
        super().__init__()
        self.bn = nn.BatchNorm2d(c)
        self.act = nn.PReLU(c)

    def forward(self, x):
        return self.act(self.bn(x))


class DilatedDepthwise(nn.Module):
    """Depthwise 3×3 conv with a dilation: one EESP branch; the conv sits in a child named `conv`."""

    def __init__(self, c: int, stride: int, dilation: int):
        super().__init__()
        self.conv = conv(c, c, 3, stride=stride, dilation=dilation, groups=c)

    def forward(self, x):
        return self.conv(x)


def branch_dilations(r_lim: int) -> list[int]:
    """Dilations of the four EESP branches: effective kernels 3,5,7,9 clipped to 3 above r_lim, sorted.

    13, 11, 9 → (1, 2, 3, 4); 7 → (1, 1, 2, 3); 5 → (1, 1, 1, 2). Sorting moves clipped branches first.
    """
    sizes = sorted(3 + 2 * i if 3 + 2 * i <= r_lim else 3 for i in range(BRANCHES))
    return [(e - 1) // 2 for e in sizes]


class EESP(nn.Module):
    """Extremely Efficient Spatial Pyramid unit (paper section 3.2; spec section 3).

    A grouped 1×1 reduction, four depthwise dilated 3×3 branches fused hierarchically (each adds the
    already-fused previous branch, which removes gridding artefacts), BN+PReLU on their concatenation,
    a grouped 1×1 expansion. At stride 1 an identity residual and a PReLU follow; at stride 2 (inside a
    down-sampler) the unit returns before them, although `module_act` still exists for strict loading.
    """

    def __init__(self, a: int, o: int, stride: int, r_lim: int):
        super().__init__()
        if a % BRANCHES or o % BRANCHES:
            raise ValueError(f"EESP needs channel counts divisible by {BRANCHES}, got {a}→{o}")
        if stride == 1 and a != o:
            raise ValueError(f"a stride-1 EESP adds its input back, so it needs a == o, got {a}→{o}")
        n = o // BRANCHES
        self.stride = stride
        self.proj_1x1 = CBR(a, n, 1, groups=BRANCHES)
        self.spp_dw = nn.ModuleList(DilatedDepthwise(n, stride, d) for d in branch_dilations(r_lim))
        self.conv_1x1_exp = CB(o, o, 1, groups=BRANCHES)
        self.br_after_cat = BR(o)
        self.module_act = nn.PReLU(o)

    def forward(self, x):
        p = self.proj_1x1(x)
        fused = [self.spp_dw[0](p)]
        for branch in self.spp_dw[1:]:
            fused.append(branch(p) + fused[-1])
        y = self.conv_1x1_exp(self.br_after_cat(torch.cat(fused, 1)))
        if self.stride == 2:
            return y
        return self.module_act(y + x)


class DownSampler(nn.Module):
    """Strided EESP beside an average pool, plus input reinforcement from the image (spec section 4).

    Output channels: the pooled input (a) followed by the strided EESP's (o − a). The RGB image, pooled
    down from full resolution to this level's size, is projected to o channels and added: it gives the
    deep levels back the spatial detail that strided convs lose.
    """

    def __init__(self, a: int, o: int, r_lim: int):
        super().__init__()
        self.eesp = EESP(a, o - a, stride=2, r_lim=r_lim)
        self.avg = nn.AvgPool2d(3, stride=2, padding=1)
        self.inp_reinf = nn.Sequential(CBR(3, 3, 3), CB(3, o, 1))
        self.act = nn.PReLU(o)

    def forward(self, f, img):
        z = torch.cat([self.avg(f), self.eesp(f)], 1)
        rho = pool3s2(img)
        while rho.shape[2] != z.shape[2]:
            if rho.shape[2] < z.shape[2]:
                raise ValueError(f"input reinforcement cannot reach height {z.shape[2]} from image "
                                 f"height {img.shape[2]}")
            rho = pool3s2(rho)
        return self.act(z + self.inp_reinf(rho))


# --- decoder ("sequential") style, section 1.2 -----------------------------------------------------

class SeqCBR(nn.Module):
    """Conv → BN → PReLU held in an nn.Sequential named `cbr` (decoder style)."""

    def __init__(self, a: int, b: int, k: int, groups: int = 1):
        super().__init__()
        self.cbr = nn.Sequential(conv(a, b, k, groups=groups), nn.BatchNorm2d(b), nn.PReLU(b))

    def forward(self, x):
        return self.cbr(x)


class SeqBR(nn.Module):
    """BN → PReLU held in an nn.Sequential named `br` (decoder style)."""

    def __init__(self, c: int):
        super().__init__()
        self.br = nn.Sequential(nn.BatchNorm2d(c), nn.PReLU(c))

    def forward(self, x):
        return self.br(x)


class ChannelShuffle(nn.Module):
    """Interleave channel groups: output channel groups·j + g is input channel g·(C/groups) + j."""

    def __init__(self, groups: int):
        super().__init__()
        self.groups = groups

    def forward(self, x):
        n, c, h, w = x.shape
        return x.view(n, self.groups, c // self.groups, h, w).transpose(1, 2).reshape(n, c, h, w)


def pyramid_size(h: int, w: int, scale: float) -> tuple[int, int]:
    """Side lengths of one pyramid level: ⌈side·scale⌉, at least 5."""
    return max(math.ceil(h * scale), PYRAMID_MIN_SIDE), max(math.ceil(w * scale), PYRAMID_MIN_SIDE)


class PyramidPooling(nn.Module):
    """Efficient pyramid pooling (EPP), the `bu_dec_l*` decoder blocks (spec section 6.1).

    Project to P channels, look at the map at five scales (2, 1.5, 1, 0.5, 0.1) with one depthwise 3×3
    conv each, bring every scale back to the map's size, then fuse the five views of each channel with a
    grouped conv after a channel shuffle and expand to `o` channels. The last block (`final`) outputs
    raw class scores: its 1×1 conv has a bias and no BN/PReLU follows.
    """

    def __init__(self, a: int, o: int, p: int, final: bool = False):
        super().__init__()
        k = len(PYRAMID_SCALES)
        self.final = final
        self.stages = nn.ModuleList(conv(p, p, 3, groups=p) for _ in range(k))
        self.projection_layer = SeqCBR(a, p, 1)
        self.merge_layer = nn.Sequential(SeqBR(k * p), ChannelShuffle(k), SeqCBR(k * p, p, 3, groups=p),
                                         conv(p, o, 1, bias=final))
        if not final:
            self.br = SeqBR(o)

    def forward(self, x):
        z = self.projection_layer(x)
        h, w = z.shape[2:]
        views = []
        for stage, scale in zip(self.stages, PYRAMID_SCALES):
            size = pyramid_size(h, w, scale)
            if scale > 1:
                views.append(apool(stage(up(z, size)), (h, w)))
            elif scale == 1:
                views.append(stage(z))
            else:
                views.append(up(stage(apool(z, size)), (h, w)))
        m = self.merge_layer(torch.cat(views, 1))
        return m if self.final else self.br(m)


class GatedProjection(nn.Module):
    """The `merge_enc_dec_l*` blocks (spec section 6.2): an encoder map, expanded by a grouped 3×3
    CBR, scaled per channel by a sigmoid gate computed from the global average of the same input."""

    def __init__(self, a: int, o: int):
        super().__init__()
        self.wt_layer = nn.Sequential(nn.AdaptiveAvgPool2d(1), conv(a, o, 1), nn.Sigmoid())
        self.expansion_layer = SeqCBR(a, o, 3, groups=math.gcd(a, o))

    def forward(self, x):
        return self.expansion_layer(x) * self.wt_layer(x)
