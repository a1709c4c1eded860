"""Layer specs for a plain (single-path) layer stack: what each layer is, checked before anything runs.

A stack is a list of `Layer`s. The same list drives the analytic cost, the receptive-field recurrence,
the torch network the tests measure against, and a compact text form that fits in a URL, so a teacher's
link carries the whole stack. It is checked once where it enters (decode_stack, the editor's check_stack)
and passed on as a CheckedStack, which the functions below trust instead of checking it again.
"""

import re
from dataclasses import dataclass, replace

from ops.errors import UserFacingError

CONV, MAX_POOL, AVG_POOL, TCONV = "conv", "max-pool", "avg-pool", "tconv"
# upsampling by a factor 2 with a fixed (not learned) operator
NEAREST, BILINEAR, BICUBIC, NAILS, UNPOOL = "up-nearest", "up-bilinear", "up-bicubic", "up-nails", "up-unpool"
UPSAMPLERS = (NEAREST, BILINEAR, BICUBIC, NAILS, UNPOOL)
KINDS = (CONV, MAX_POOL, AVG_POOL, TCONV) + UPSAMPLERS

# which parameters each kind uses (the others are ignored and shown blank)
PARAMETERS = {
    CONV: ("kernel", "stride", "dilation", "padding", "channels"),
    MAX_POOL: ("kernel", "stride", "padding"),
    AVG_POOL: ("kernel", "stride", "padding"),
    TCONV: ("kernel", "stride", "padding", "channels"),
}
LIMITS = {"kernel": (1, 64), "stride": (1, 32), "dilation": (1, 16), "padding": (0, 64),
          "channels": (1, 4096)}
MAX_LAYERS = 40
MAX_SIZE = 4096  # largest feature map side we agree to reason about


class StackError(UserFacingError, ValueError):
    """A stack that cannot run; its message key (stack.*) is written for the student and shown on the page."""


@dataclass(frozen=True)
class Layer:
    kind: str
    kernel: int = 1
    stride: int = 1
    dilation: int = 1
    padding: int = 0
    channels: int | None = None  # output channels (conv, tconv); other layers keep their input's

    @property
    def is_upsampling(self) -> bool:
        return self.kind in UPSAMPLERS or self.kind == TCONV

    @property
    def span(self) -> int:
        """Input pixels one window covers along an axis: the effective kernel d·(k-1)+1."""
        return self.dilation * (self.kernel - 1) + 1

    @property
    def factor(self) -> int:
        """How much the layer enlarges (upsampling) the feature map: 2 for ×2, s for a transposed conv."""
        return self.stride if self.kind == TCONV else 2 if self.kind in UPSAMPLERS else 1

    def settings(self) -> str:
        """The layer's numbers without its kind's name, e.g. '3×3 s1 p1 → 64' (pages put the name before)."""
        return self.describe().removeprefix(self.short_name()).strip()

    def short_name(self) -> str:
        """The English words describe() starts with: 'conv', 'max pool', 'up ×2 nearest', ..."""
        if self.kind in (MAX_POOL, AVG_POOL):
            return f"{self.kind.split('-')[0]} pool"
        return {CONV: "conv", TCONV: "transposed conv", NEAREST: "up ×2 nearest", BILINEAR: "up ×2 bilinear",
                BICUBIC: "up ×2 bicubic", NAILS: "up ×2 bed of nails", UNPOOL: "up ×2 max unpool"}[self.kind]

    def describe(self) -> str:
        """Short readable name, e.g. 'conv 3×3 s1 p1 → 64'."""
        k = f"{self.kernel}×{self.kernel}"
        if self.kind == CONV:
            dil = f" d{self.dilation}" if self.dilation != 1 else ""
            return f"conv {k} s{self.stride}{dil} p{self.padding} → {self.channels}"
        if self.kind in (MAX_POOL, AVG_POOL):
            return f"{self.kind.split('-')[0]} pool {k} s{self.stride}" + (f" p{self.padding}" if self.padding else "")
        if self.kind == TCONV:
            return f"transposed conv {k} s{self.stride} p{self.padding} → {self.channels}"
        return {NEAREST: "up ×2 nearest", BILINEAR: "up ×2 bilinear", BICUBIC: "up ×2 bicubic",
                NAILS: "up ×2 bed of nails", UNPOOL: "up ×2 max unpool"}[self.kind]


def conv(kernel=3, channels=64, stride=1, padding=None, dilation=1) -> Layer:
    """A conv layer; padding defaults to 'same' (d·(k-1)/2) for odd kernels."""
    if padding is None:
        padding = dilation * (kernel - 1) // 2
    return Layer(CONV, kernel, stride, dilation, padding, channels)


def max_pool(kernel=2, stride=None, padding=0) -> Layer:
    return Layer(MAX_POOL, kernel, stride or kernel, 1, padding)


def avg_pool(kernel=2, stride=None, padding=0) -> Layer:
    return Layer(AVG_POOL, kernel, stride or kernel, 1, padding)


def tconv(kernel=4, channels=64, stride=2, padding=1) -> Layer:
    return Layer(TCONV, kernel, stride, 1, padding, channels)


def up(mode: str) -> Layer:
    """Upsampling ×2; mode is nearest, bilinear, bicubic, nails or unpool."""
    kind = mode if mode.startswith("up-") else f"up-{mode}"
    return Layer(kind, kernel=2, stride=2)


def normalise(layer: Layer) -> Layer:
    """Blank out the parameters a kind does not use, so equal stacks compare equal."""
    used = PARAMETERS.get(layer.kind, ())
    return Layer(layer.kind,
                 kernel=layer.kernel if "kernel" in used else (2 if layer.kind in UPSAMPLERS else 1),
                 stride=layer.stride if "stride" in used else (2 if layer.kind in UPSAMPLERS else 1),
                 dilation=layer.dilation if "dilation" in used else 1,
                 padding=layer.padding if "padding" in used else 0,
                 channels=layer.channels if "channels" in used else None)


def _whole(value, name: str, layer: int, kind: str) -> int:
    lo, hi = LIMITS[name]
    if value is None or (isinstance(value, float) and value != value):
        raise StackError("stack.value_empty", layer=layer, kind=kind, name=name, lo=lo, hi=hi)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise StackError("stack.value_not_a_number", layer=layer, kind=kind, name=name, value=repr(value)) from None
    if number != number or number in (float("inf"), float("-inf")) or number != int(number):
        raise StackError("stack.value_not_whole", layer=layer, kind=kind, name=name, lo=lo, hi=hi, value=repr(value))
    if not lo <= number <= hi:
        raise StackError("stack.value_out_of_range", layer=layer, kind=kind, name=name, lo=lo, hi=hi,
                         value=int(number))
    return int(number)


def check_layer(layer: Layer, index: int) -> Layer:
    """The layer with clean whole-number parameters, or a StackError naming the layer and the problem."""
    if layer.kind not in KINDS:
        raise StackError("stack.unknown_kind", layer=index + 1, kind=repr(layer.kind), kinds=", ".join(KINDS))
    used = PARAMETERS.get(layer.kind, ())
    values = {name: _whole(getattr(layer, name), name, index + 1, layer.kind) for name in used}
    layer = normalise(replace(layer, **values))
    if layer.kind in (MAX_POOL, AVG_POOL) and 2 * layer.padding > layer.kernel:
        raise StackError("stack.pool_padding", layer=index + 1, kind=layer.kind, most=layer.kernel // 2,
                         padding=layer.padding)
    return layer


def output_sizes(layers: list[Layer], size: int) -> list[int]:
    """Side of every layer's output for a square input of `size` pixels (index 0 is the input).

    Raises StackError where a layer would produce nothing (side < 1) or a max unpool has no pool to undo.
    """
    sizes = [size]
    pools = []  # (input side, output side) of 2×2 stride-2 max pools not yet undone, innermost last
    for i, layer in enumerate(layers):
        n = sizes[-1]
        if layer.kind == CONV:
            out = (n + 2 * layer.padding - layer.span) // layer.stride + 1
        elif layer.kind in (MAX_POOL, AVG_POOL):
            out = (n + 2 * layer.padding - layer.kernel) // layer.stride + 1
            if layer.kind == MAX_POOL and layer.kernel == 2 and layer.stride == 2 and layer.padding == 0:
                pools.append((n, out))
        elif layer.kind == TCONV:
            out = (n - 1) * layer.stride - 2 * layer.padding + layer.kernel
        elif layer.kind == UNPOOL:
            if not pools:
                raise StackError("stack.unpool_without_pool", layer=i + 1)
            pool_in, pool_out = pools.pop()
            if pool_out != n:
                raise StackError("stack.unpool_size_mismatch", layer=i + 1, n=n, pooled=pool_out)
            out = pool_in
        else:
            out = 2 * n
        if out < 1:
            raise StackError("stack.outputs_nothing", layer=i + 1, layer_text=layer.describe(), n=n, out=out,
                             size=size)
        if out > MAX_SIZE:
            raise StackError("stack.output_too_large", layer=i + 1, layer_text=layer.describe(), out=out,
                             most=MAX_SIZE)
        sizes.append(out)
    return sizes


class CheckedStack(tuple):
    """A stack that check_stack has validated, layer by layer and as a whole: what the functions below
    receive and trust. A tuple, so it cannot change after the check; only check_stack makes one."""

    __slots__ = ()


def check_stack(layers, size: int | None = None) -> CheckedStack:
    """Validate a whole stack (and, given an input size, that every layer outputs at least 1×1)."""
    layers = list(layers)
    if not layers:
        raise StackError("stack.empty")
    if len(layers) > MAX_LAYERS:
        raise StackError("stack.too_many_layers", count=len(layers), most=MAX_LAYERS)
    layers = [check_layer(layer, i) for i, layer in enumerate(layers)]
    _check_unpool_channels(layers)
    if size is not None:
        output_sizes(layers, size)
    return CheckedStack(layers)


def checked(layers, size: int | None = None) -> CheckedStack:
    """The stack as a CheckedStack: trusted as it is when it already is one (only the input size, if given,
    is checked against it), else checked now (a list built in a notebook or a test)."""
    if isinstance(layers, CheckedStack):
        if size is not None:
            output_sizes(layers, size)
        return layers
    return check_stack(layers, size)


def _check_unpool_channels(layers: list[Layer]) -> None:
    """A max unpool puts values back where its pool found them, channel by channel: the counts must agree."""
    channels = channels_after(layers, 0)
    pools = []
    for i, layer in enumerate(layers):
        if layer.kind == MAX_POOL and layer.kernel == 2 and layer.stride == 2 and layer.padding == 0:
            pools.append(channels[i])
        elif layer.kind == UNPOOL:
            if not pools:
                raise StackError("stack.unpool_without_pool", layer=i + 1)
            pooled = pools.pop()
            if pooled and channels[i] != pooled:
                raise StackError("stack.unpool_channels", layer=i + 1, channels=channels[i], pooled=pooled)


def channels_after(layers: list[Layer], in_channels: int = 3) -> list[int]:
    """Channels of every layer's output (index 0 is the input)."""
    channels = [in_channels]
    for layer in layers:
        channels.append(layer.channels if layer.kind in (CONV, TCONV) else channels[-1])
    return channels


# ------------------------------------------------------------------ compact text for the URL
# conv: c<k>s<s>d<d>p<p>n<channels>   pools: m/a<k>s<s>p<p>   transposed conv: t<k>s<s>p<p>n<channels>
# upsampling ×2: un (nearest), ub (bilinear), uc (bicubic), uz (bed of nails: zeros), uu (max unpool)
# layers joined by '-'. Example: c3s1d1p1n64-m2s2p0-ub
_UP_CODES = {NEAREST: "un", BILINEAR: "ub", BICUBIC: "uc", NAILS: "uz", UNPOOL: "uu"}
_UP_KINDS = {code: kind for kind, code in _UP_CODES.items()}
_TOKEN = re.compile(r"^(?:c(\d+)s(\d+)d(\d+)p(\d+)n(\d+)|([ma])(\d+)s(\d+)p(\d+)|t(\d+)s(\d+)p(\d+)n(\d+)|(u[nbczu]))$")


def encode_stack(layers: list[Layer]) -> str:
    """The stack as URL-safe text (see the format above)."""
    tokens = []
    for layer in layers:
        if layer.kind == CONV:
            tokens.append(f"c{layer.kernel}s{layer.stride}d{layer.dilation}p{layer.padding}n{layer.channels}")
        elif layer.kind in (MAX_POOL, AVG_POOL):
            tokens.append(f"{layer.kind[0]}{layer.kernel}s{layer.stride}p{layer.padding}")
        elif layer.kind == TCONV:
            tokens.append(f"t{layer.kernel}s{layer.stride}p{layer.padding}n{layer.channels}")
        else:
            tokens.append(_UP_CODES[layer.kind])
    return "-".join(tokens)


def decode_stack(text: str) -> CheckedStack:
    """Inverse of encode_stack; raises StackError (a ValueError) for text that is not a valid stack."""
    if not isinstance(text, str) or not text.strip():
        raise StackError("stack.text_empty")
    layers = []
    for i, token in enumerate(text.strip().split("-")):
        match = _TOKEN.match(token)
        if not match:
            raise StackError("stack.token_unreadable", layer=i + 1, token=repr(token[:20]))
        g = match.groups()
        if g[0]:
            layers.append(Layer(CONV, int(g[0]), int(g[1]), int(g[2]), int(g[3]), int(g[4])))
        elif g[5]:
            layers.append(Layer(MAX_POOL if g[5] == "m" else AVG_POOL, int(g[6]), int(g[7]), 1, int(g[8])))
        elif g[9]:
            layers.append(Layer(TCONV, int(g[9]), int(g[10]), 1, int(g[11]), int(g[12])))
        else:
            layers.append(up(_UP_KINDS[g[13]]))
        if len(layers) > MAX_LAYERS:
            break
    return check_stack(layers)
