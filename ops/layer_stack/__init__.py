"""Layer stacks: what staying at full resolution costs, and how far each output pixel sees.

    from ops import layer_costs, receptive_field, STACK_PRESETS
    layers = STACK_PRESETS["down-up"].layers
    layer_costs(layers, 256)     # per layer: output shape, FLOPs, activation bytes
    receptive_field(layers)      # per layer: field size, jump, start (measured by autograd after upsampling)
"""

from ops.layer_stack.cost import GROWTH_SIZES, LayerCost, Totals, cost_growth, layer_costs, totals
from ops.layer_stack.effective_field import EffectiveField, depth_growth, effective_field, equal_weight_field
from ops.layer_stack.layers import (
                                             KINDS,
                                             UPSAMPLERS,
                                             CheckedStack,
                                             Layer,
                                             StackError,
                                             avg_pool,
                                             channels_after,
                                             check_stack,
                                             checked,
                                             conv,
                                             decode_stack,
                                             encode_stack,
                                             max_pool,
                                             output_sizes,
                                             tconv,
                                             up,
)
from ops.layer_stack.network import LayerStack, build_stack
from ops.layer_stack.presets import DEFAULT_PRESET, STACK_PRESETS, Preset
from ops.layer_stack.receptive_field import (
                                             FieldRow,
                                             GrowthFrames,
                                             Probe,
                                             field_by_autograd,
                                             field_growth,
                                             probe_size,
                                             receptive_field,
                                             recurrence,
)

__all__ = ["GROWTH_SIZES", "LayerCost", "Totals", "cost_growth", "layer_costs", "totals", "EffectiveField",
           "depth_growth", "effective_field", "equal_weight_field", "KINDS", "UPSAMPLERS", "CheckedStack", "Layer",
           "StackError", "avg_pool", "channels_after", "check_stack", "checked", "conv", "decode_stack",
           "encode_stack", "max_pool", "output_sizes", "tconv", "up", "LayerStack", "build_stack", "DEFAULT_PRESET",
           "STACK_PRESETS", "Preset", "FieldRow", "GrowthFrames", "Probe", "field_by_autograd", "field_growth",
           "probe_size", "receptive_field", "recurrence"]
