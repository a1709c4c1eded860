"""Upsampling lesson: one output cell of an operator, a transposed convolution's output size, where max
unpooling puts a value, how many stamps reach a cell. Every answer comes from ops.upsampling itself."""

import numpy as np

from ops.exercises.model import CELL, INTEGER, NUMBER, Exercise, Mistake, Solution
from ops.upsampling import OPERATORS, max_pool_with_switches, output_size

OPS = tuple(OPERATORS)


def _ints(rng, shape, lo, hi):
    return rng.integers(lo, hi + 1, size=shape).astype(int).tolist()


def _distinct(rng, shape, lo, hi):
    values = rng.choice(np.arange(lo, hi + 1), size=int(np.prod(shape)), replace=False)
    return values.reshape(shape).astype(int).tolist()


def _settings(op: str, p: dict) -> dict:
    """The keyword settings the operator takes, from the exercise's params."""
    if op == "transposed_conv":
        return {"kernel": np.asarray(p["kernel"], float), "stride": p["stride"], "padding": p["padding"],
                "output_padding": p["output_padding"]}
    if op == "max_unpool":
        return {"scale": p["scale"], "pooled_from": p["pooled_from"]}
    if op in ("bilinear", "bicubic"):
        return {"scale": p["scale"], "align_corners": p["align_corners"]}
    return {"scale": p["scale"]}


def cell_value(p: dict, **override) -> tuple[float, list]:
    """output[row][col] of the operator and its trace's (input cell, weight) pairs."""
    settings = {**_settings(p["op"], p), **override}
    out, trace = OPERATORS[p["op"]](p["grid"], **settings)
    cell = (0, p["row"], p["col"])
    return float(out[cell]), trace.contributions(cell)


def upsample_cell(rng, level):
    op = str(rng.choice(OPS))
    side = 2 if level == "easy" else int(rng.integers(2, 4))
    grid = _ints(rng, (side, side), 0 if level == "easy" else -3, 9)
    p = {"op": op, "grid": grid, "scale": 2 if level == "easy" else int(rng.integers(2, 4)),
         "align_corners": bool(rng.integers(0, 2)) if op in ("bilinear", "bicubic") else False}
    if op == "max_unpool":
        p["scale"] = 2
        p["pooled_from"] = _distinct(rng, (2 * side, 2 * side), 0, 40)
    if op == "transposed_conv":
        k = int(rng.integers(2, 4))
        p.update(kernel=_ints(rng, (k, k), 0, 2), stride=2, padding=int(rng.integers(0, 2)),
                 output_padding=int(rng.integers(0, 2)))
        p["scale"] = p["stride"]
    out, trace = OPERATORS[op](grid, **_settings(op, p))
    h, w = out.shape[1:]
    if op == "max_unpool" and rng.random() < 0.6:  # mostly ask about a cell a value lands on
        p["row"], p["col"] = [int(v) for v in rng.choice([c[1:] for c in trace.sources])]
    else:
        p["row"], p["col"] = int(rng.integers(0, h)), int(rng.integers(0, w))
    answer, pairs = cell_value(p)
    mistakes = []
    if op in ("bilinear", "bicubic"):
        wrong, _ = cell_value(p, align_corners=not p["align_corners"])
        mistakes.append(Mistake("exercise.hint.align_corners", wrong, {"used": not p["align_corners"]}))
    if op == "max_unpool":
        wrong, _ = cell_value({**p, "op": "bed_of_nails"})
        mistakes.append(Mistake("exercise.hint.unpool_switches", wrong))
    if op == "transposed_conv" and p["padding"]:
        wrong, _ = cell_value(p, padding=0)
        mistakes.append(Mistake("exercise.hint.padding_crops", wrong, {"padding": p["padding"]}))
    steps = [{"cell": [i, j], "value": float(np.asarray(grid)[i, j]), "weight": wt,
              "product": wt * float(np.asarray(grid)[i, j])} for (_, i, j), wt in pairs]
    sentences = [("exercise.solution.contributors", {"count": len(steps), "row": p["row"], "col": p["col"]}),
                 ("exercise.solution.sum", {"value": answer})]
    if not steps:
        sentences = [("exercise.solution.nothing_reaches", {"row": p["row"], "col": p["col"]})]
    return Exercise(params=p, answer=answer, answer_type=NUMBER, question="exercise.question.upsample_cell",
                    question_params={"op": op, "row": p["row"], "col": p["col"]}, hint="exercise.hint.upsample_cell",
                    mistakes=mistakes,
                    solution_data=Solution("exercise.formula.weighted_sum", {}, steps, answer, sentences))


def tconv_size(rng, level):
    hard = level != "easy"
    kernel = int(rng.integers(1, 8 if hard else 6))
    stride = int(rng.integers(1, 5 if hard else 4))
    dilation = int(rng.integers(1, 3)) if hard else 1
    size = int(rng.integers(2, 17 if hard else 9))
    out_pad = int(rng.integers(0, max(stride, dilation)))
    padding = int(rng.integers(0, kernel // 2 + 1))
    while output_size(size, kernel, stride, padding, out_pad, dilation) < 1:
        padding -= 1
    p = {"size": size, "kernel": kernel, "stride": stride, "padding": padding, "output_padding": out_pad,
         "dilation": dilation}
    answer = output_size(**p)
    mistakes = [Mistake("exercise.hint.output_padding", answer - out_pad) if out_pad else None,
                Mistake("exercise.hint.padding_twice", answer + padding) if padding else None,
                Mistake("exercise.hint.dilation_span", output_size(size, kernel, stride, padding, out_pad, 1))
                if dilation > 1 else None,
                Mistake("exercise.hint.not_just_stride", size * stride)]
    terms = {"size": size, "stride": stride, "padding": padding, "dilation": dilation, "kernel": kernel,
             "output_padding": out_pad}
    steps = [{"term": "(size - 1) * stride", "value": (size - 1) * stride},
             {"term": "- 2 * padding", "value": -2 * padding},
             {"term": "+ dilation * (kernel - 1)", "value": dilation * (kernel - 1)},
             {"term": "+ output_padding", "value": out_pad}, {"term": "+ 1", "value": 1}]
    return Exercise(params=p, answer=answer, answer_type=INTEGER, question="exercise.question.tconv_size",
                    question_params=terms, hint="exercise.hint.tconv_size", mistakes=[m for m in mistakes if m],
                    solution_data=Solution("exercise.formula.tconv_size", terms, steps, answer,
                                           [("exercise.solution.sum", {"value": answer})]))


def unpool_cell(rng, level):
    side = 2 if level == "easy" else int(rng.integers(2, 4))
    grid = _ints(rng, (side, side), 1, 9)
    if level == "easy":
        pooled = _distinct(rng, (2 * side, 2 * side), 0, 40)
    else:  # small values: ties happen, and the tie rule decides
        pooled = _ints(rng, (2 * side, 2 * side), 0, 4)
    i, j = int(rng.integers(0, side)), int(rng.integers(0, side))
    _, trace = OPERATORS["max_unpool"](grid, scale=2, pooled_from=pooled)
    target = next(cell for cell, pairs in trace.sources.items() if pairs[0][0] == (0, i, j))
    answer = (int(target[1]), int(target[2]))
    window = np.asarray(pooled)[2 * i:2 * i + 2, 2 * j:2 * j + 2]
    last = np.flatnonzero(window.ravel() == window.max())[-1]
    mistakes = [Mistake("exercise.hint.unpool_switches", (2 * i, 2 * j)),
                Mistake("exercise.hint.tie_first", (2 * i + int(last) // 2, 2 * j + int(last) % 2))]
    p = {"grid": grid, "pooled_from": pooled, "scale": 2, "row": i, "col": j}
    steps = [{"window": window.astype(int).tolist(), "top_left": [2 * i, 2 * j], "max": int(window.max()),
              "cell": list(answer)}]
    return Exercise(params=p, answer=answer, answer_type=CELL, question="exercise.question.unpool_cell",
                    question_params={"row": i, "col": j, "value": grid[i][j]}, hint="exercise.hint.unpool_cell",
                    mistakes=mistakes, solution_data=Solution("exercise.formula.unpool_switch", {}, steps, list(answer),
                                                              [("exercise.solution.switch", {"row": answer[0],
                                                                                             "col": answer[1]})]))


def stamp_count(rng, level):
    side = int(rng.integers(2, 4 if level == "easy" else 5))
    kernel, stride = (3, 2) if level == "easy" else (int(rng.integers(2, 6)), int(rng.integers(2, 4)))
    padding = int(rng.integers(0, 2)) if level != "easy" else 0
    while output_size(side, kernel, stride, padding) < 1:
        padding -= 1
    _, trace = OPERATORS["transposed_conv"](np.ones((side, side)), kernel=np.ones((kernel, kernel)), stride=stride,
                                            padding=padding)
    counts = trace.overlap_counts()
    row, col = int(rng.integers(0, counts.shape[0])), int(rng.integers(0, counts.shape[1]))
    answer = int(counts[row, col])
    rows_only = len({i for (_, i, _), _ in trace.contributions((0, row, col))})
    p = {"size": side, "kernel": kernel, "stride": stride, "padding": padding, "row": row, "col": col}
    stamps = sorted({(i, j) for (_, i, j), _ in trace.contributions((0, row, col))})
    return Exercise(params=p, answer=answer, answer_type=INTEGER, question="exercise.question.stamp_count",
                    question_params={"row": row, "col": col}, hint="exercise.hint.stamp_count",
                    mistakes=[Mistake("exercise.hint.count_both_axes", rows_only)],
                    solution_data=Solution("exercise.formula.stamp_count", {}, [{"cell": list(s)} for s in stamps],
                                           answer, [("exercise.solution.stamps", {"count": answer})]))


KINDS = {"upsample-cell": upsample_cell, "tconv-size": tconv_size, "unpool-cell": unpool_cell,
         "stamp-count": stamp_count}
__all__ = ["KINDS", "cell_value", "max_pool_with_switches"]
