"""Three stacks to start from: the notes' bunch of convs, an encoder–decoder, and U-Net's outline."""

from dataclasses import dataclass

from ops.layer_stack.layers import Layer, conv, max_pool, tconv, up


@dataclass(frozen=True)
class Preset:
    layers: tuple[Layer, ...]


def _all_conv() -> tuple[Layer, ...]:
    """'Design a network as a bunch of conv layers': seven 3×3 convs, all at full resolution, then class
    scores. The same widths as the encoder–decoder below, so the two compare fairly."""
    return (conv(3, 64), conv(3, 128), conv(3, 256), conv(3, 256), conv(3, 128), conv(3, 64), conv(3, 64),
            conv(1, 21))


def _down_up() -> tuple[Layer, ...]:
    """The same widths, but downsample twice (a max pool, a strided conv) before the wide layers, then
    upsample twice (a transposed conv, a max unpool) back to full size."""
    return (conv(3, 64), max_pool(2), conv(3, 128), conv(3, 256, stride=2), conv(3, 256),
            tconv(4, 128, stride=2, padding=1), conv(3, 64), up("unpool"), conv(3, 64), conv(1, 21))


def _unet() -> tuple[Layer, ...]:
    """U-Net's outline (Ronneberger et al. 2015) with 'same' padding and without its skip connections:
    two 3×3 convs per level, four 2×2 max pools, channels 64→1024, four 2×2 up-convolutions back."""
    layers = []
    widths = [64, 128, 256, 512]
    for _i, width in enumerate(widths):
        layers += [conv(3, width), conv(3, width), max_pool(2)]
    layers += [conv(3, 1024), conv(3, 1024)]
    for width in reversed(widths):
        layers += [tconv(2, width, stride=2, padding=0), conv(3, width), conv(3, width)]
    layers.append(conv(1, 2))
    return tuple(layers)


STACK_PRESETS = {
    "all-conv": Preset(_all_conv()),
    "down-up": Preset(_down_up()),
    "unet": Preset(_unet()),
}
DEFAULT_PRESET = "all-conv"
