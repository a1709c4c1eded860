"""Downsample/upsample and receptive-field lessons: a layer's FLOPs and activation memory, how they grow
when the input side doubles, the receptive field and jump of a stack; all from ops.layer_stack."""

from ops.exercises.model import INTEGER, NUMBER, Exercise, Mistake, Solution
from ops.layer_stack import conv, layer_costs, max_pool, receptive_field, totals
from ops.layer_stack.receptive_field import jumps


def cost_layers(spec: list) -> list:
    return [conv(s["kernel"], s["channels"], s["stride"]) if s["kind"] == "conv" else max_pool(s["kernel"])
            for s in spec]


def _cost_stack(rng, level):
    spec = []
    for _ in range(int(rng.integers(1, 3 if level == "easy" else 4))):
        if spec and rng.random() < 0.3:
            spec.append({"kind": "pool", "kernel": 2, "stride": 2, "channels": None})
        else:
            spec.append({"kind": "conv", "kernel": int(rng.choice([1, 3])), "channels": int(rng.choice([4, 8, 16])),
                         "stride": int(rng.choice([1, 2])) if level != "easy" else 1})
    if spec[-1]["kind"] != "conv":
        spec.append({"kind": "conv", "kernel": 3, "channels": 8, "stride": 1})
    return spec, int(rng.choice([8, 16, 32] if level == "easy" else [16, 32, 64, 128]))


def layer_flops(rng, level):
    spec, size = _cost_stack(rng, level)
    costs = layer_costs(cost_layers(spec), size)
    last, c_in = costs[-1], (costs[-2].channels if len(costs) > 1 else 3)
    k = spec[-1]["kernel"]
    terms = {"c_in": c_in, "c_out": last.channels, "kernel": k, "side": last.side}
    mistakes = [Mistake("exercise.hint.flops_two_per_mac", last.flops / 2),
                Mistake("exercise.hint.input_channels", last.flops / c_in)]
    return Exercise(params={"layers": spec, "size": size}, answer=float(last.flops), answer_type=NUMBER,
                    question="exercise.question.layer_flops", question_params={"size": size},
                    hint="exercise.hint.layer_flops", mistakes=mistakes, abs_tol=0.0, rel_tol=0.01,
                    solution_data=Solution("exercise.formula.conv_flops", terms, [terms], last.flops,
                                           [("exercise.solution.sum", {"value": last.flops})]))


def activation_memory(rng, level):
    spec, size = _cost_stack(rng, level)
    last = layer_costs(cost_layers(spec), size)[-1]
    terms = {"channels": last.channels, "side": last.side, "bytes": 4}
    mistakes = [Mistake("exercise.hint.bytes_per_value", last.activation_bytes / 4),
                Mistake("exercise.hint.channels", last.activation_bytes / last.channels)]
    return Exercise(params={"layers": spec, "size": size}, answer=float(last.activation_bytes), answer_type=NUMBER,
                    question="exercise.question.activation_memory", question_params={"size": size},
                    hint="exercise.hint.activation_memory", mistakes=mistakes, abs_tol=0.0, rel_tol=0.01,
                    solution_data=Solution("exercise.formula.activation_bytes", terms, [terms], last.activation_bytes,
                                           [("exercise.solution.sum", {"value": last.activation_bytes})]))


def size_grows(rng, level):
    spec, size = _cost_stack(rng, level)
    quantity = str(rng.choice(["flops", "memory"]))
    factor = 2 if level == "easy" else int(rng.integers(2, 5))
    before, after = totals(cost_layers(spec), size), totals(cost_layers(spec), factor * size)
    pick = (lambda t: t.flops) if quantity == "flops" else (lambda t: t.activation_bytes)
    answer = pick(after) / pick(before)
    steps = [{"size": size, "value": pick(before)}, {"size": factor * size, "value": pick(after)}]
    return Exercise(params={"layers": spec, "size": size, "factor": factor, "quantity": quantity}, answer=answer,
                    answer_type=NUMBER, question=f"exercise.question.size_grows_{quantity}",
                    question_params={"size": size, "factor": factor}, hint="exercise.hint.size_grows",
                    mistakes=[Mistake("exercise.hint.area_grows_squared", float(factor), {"factor": factor})],
                    abs_tol=0.0, rel_tol=0.02,
                    solution_data=Solution("exercise.formula.area_ratio", {}, steps, answer,
                                           [("exercise.solution.ratio", {"value": answer})]))


def field_layers(spec: list) -> list:
    """The exercise's layers as the lesson's Layer specs (padding 0: it moves the field, not its size)."""
    return [conv(s["kernel"], 1, s["stride"], 0, s["dilation"]) if s["kind"] == "conv"
            else max_pool(s["kernel"], s["stride"]) for s in spec]


def _field_stack(rng, level):
    spec = []
    for _ in range(int(rng.integers(2, 5 if level == "easy" else 7))):
        if level == "easy":
            spec.append({"kind": "conv", "kernel": 3, "stride": 1, "dilation": 1} if rng.random() < 0.75
                        else {"kind": "pool", "kernel": 2, "stride": 2, "dilation": 1})
        elif rng.random() < 0.7:
            spec.append({"kind": "conv", "kernel": int(rng.choice([1, 3, 5])), "stride": int(rng.choice([1, 1, 2])),
                         "dilation": int(rng.choice([1, 1, 2]))})
        else:
            k = int(rng.choice([2, 3]))
            spec.append({"kind": "pool", "kernel": k, "stride": 2, "dilation": 1})
    return spec


def _no_stride_field(spec) -> int:
    return 1 + sum(s["dilation"] * (s["kernel"] - 1) for s in spec)


def receptive_field_size(rng, level):
    spec = _field_stack(rng, level)
    rows = receptive_field(field_layers(spec))
    answer = rows[-1].size
    steps = [{"layer": i, "size": row.size, "jump": int(row.jump)} for i, row in enumerate(rows)]
    mistakes = [Mistake("exercise.hint.one_plus", answer - 1),
                Mistake("exercise.hint.stride_jump", _no_stride_field(spec)),
                Mistake("exercise.hint.dilation_span",
                        receptive_field(field_layers([{**s, "dilation": 1} for s in spec]))[-1].size)]
    return Exercise(params={"layers": spec}, answer=answer, answer_type=INTEGER,
                    question="exercise.question.receptive_field", question_params={"layers": len(spec)},
                    hint="exercise.hint.receptive_field", mistakes=mistakes,
                    solution_data=Solution("exercise.formula.field_recurrence", {}, steps, answer,
                                           [("exercise.solution.field", {"size": answer})]))


def jump(rng, level):
    spec = _field_stack(rng, level)
    values = jumps(field_layers(spec))
    answer = int(values[-1])
    steps = [{"layer": i, "jump": int(v)} for i, v in enumerate(values)]
    mistakes = [Mistake("exercise.hint.jump_multiplies", sum(s["stride"] for s in spec)),
                Mistake("exercise.hint.stride_jump", 1)]
    return Exercise(params={"layers": spec}, answer=answer, answer_type=INTEGER, question="exercise.question.jump",
                    question_params={"layers": len(spec)}, hint="exercise.hint.jump", mistakes=mistakes,
                    solution_data=Solution("exercise.formula.jump_product", {}, steps, answer,
                                           [("exercise.solution.jump", {"jump": answer})]))


FULL_RESOLUTION_COST = {"layer-flops": layer_flops, "activation-memory": activation_memory,
                        "size-grows": size_grows}
RECEPTIVE_FIELD = {"receptive-field": receptive_field_size, "jump": jump}
