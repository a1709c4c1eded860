"""The slow receptive-field measurements (autograd over trials × inputs), once per server.

Process-wide single-flight caches (ops.memo), so the warm-up thread (pages/warmup.py) and the pages read
the same values and never compute one twice. Keyed by the stack's URL text; read only once stored.
"""

from ops.layer_stack.effective_field import depth_growth, effective_field
from ops.layer_stack.layers import decode_stack
from ops.memo import shared

TRIALS = 8  # random initialisations averaged by the lesson: enough for a smooth map, measured in seconds


@shared(maxsize=32, ignore=("progress",))
def measured_effective_field(stack_text: str, trials: int = TRIALS, progress=None):
    """effective_field of the stack `stack_text` (raises StackError for a stack that cannot run)."""
    return effective_field(decode_stack(stack_text), trials=trials, progress=progress)


@shared(maxsize=4, ignore=("progress",))
def measured_depth_growth(max_depth: int = 16, trials: int = TRIALS, progress=None):
    return depth_growth(max_depth, trials, progress=progress)
