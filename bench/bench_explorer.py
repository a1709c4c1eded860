"""Upsampling explorer, script time: how long the page's script takes after one edit of an 8×8 grid.

This is AppTest's run time: the script alone, without Streamlit's websocket path, the browser or other
sessions, so it is a floor, not what a student waits for (bench/load_lessons.py measures that, through
the server's real websocket protocol). For every operator at scale ×4 (32×32 outputs, the heaviest
case) and ×2, a cell of the 8×8 input is edited and the page re-run; side by side in the same run: the
lecture map's script time (the floor every page pays) and the pieces of one explorer run (numpy
operator, PyTorch check, figures). Load average is printed before and after.

    .venv/bin/python bench/bench_explorer.py [--repeats 7]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from harness.apptest import open_page  # noqa: E402
from ops.upsampling import OPERATORS  # noqa: E402

GOAL_MS = 150
GRID = [[(3 * r + c) % 7 for c in range(8)] for r in range(8)]
EDITOR = "upsampling.grid.editor"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def timed_reruns(at, repeats: int, edit: bool) -> list[float]:
    times = []
    for k in range(repeats + 2):  # two warm-up runs: first-use imports and caches
        if edit:
            at.session_state[EDITOR] = {"edited_rows": {k % 8: {str(k % 8): str(k % 10)}}, "added_rows": [],
                                        "deleted_rows": []}
        start = time.perf_counter()
        at.run()
        if k >= 2:
            times.append((time.perf_counter() - start) * 1000)
    assert not at.exception, [e.value for e in at.exception]
    return times


def explorer_query(name: str, scale: int) -> dict:
    query = {"upsampling.grid": ";".join(",".join(str(v) for v in row) for row in GRID), "upsampling.op": name}
    if name == "transposed_conv":
        query.update({"upsampling.stride": str(scale), "upsampling.output_padding": str(scale - 1)})
    else:
        query["upsampling.scale"] = str(scale)
    return query


def pieces(name: str, scale: int, repeats: int) -> dict:
    """Milliseconds of the computation alone: the numpy operator (with its trace) and the PyTorch check."""
    from lessons.figures.upsampling_figures import cell_walk_animation, stamp_animation

    op = OPERATORS[name]
    x = np.array(GRID, dtype=float)
    params = ({"kernel": np.ones((3, 3)), "stride": scale, "padding": 1, "output_padding": scale - 1}
              if name == "transposed_conv" else {"scale": scale})
    if name == "max_unpool":
        params["pooled_from"] = np.zeros((8 * scale, 8 * scale))
    labels = {k: k for k in ("input", "output", "kernel", "output_so_far", "play", "pause", "step", "input_step")}
    labels.update(formula_cell="output[{row}, {col}] =", nothing_lands="0", stamp="{row} {col} {value}")

    def numpy_op():
        return op(x, **params)

    def torch_check():
        return op.check_against_torch(x, **params)

    out, trace = numpy_op()

    def animation():
        if op.explained_by_input:
            return stamp_animation(x, params["kernel"], out[0], trace, labels, stamps_shown=[(0, j) for j in range(8)])
        return cell_walk_animation(x, out[0], trace, [(0, c) for c in range(out.shape[2])], labels)

    result = {}
    for label, work in (("numpy", numpy_op), ("torch", torch_check), ("animation", animation)):
        work()
        samples = []
        for _ in range(repeats):
            start = time.perf_counter()
            work()
            samples.append((time.perf_counter() - start) * 1000)
        result[label] = statistics.median(samples)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPU cores, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}, "
          f"load average {load()}; AppTest script time only (no websocket, no browser: see bench/load_lessons.py)")

    floor = timed_reruns(open_page("home"), args.repeats, edit=False)
    floor_ms = statistics.median(floor)
    print(f"lecture map rerun (floor: app.py + AppTest): median {floor_ms:.0f} ms, fastest {min(floor):.0f} ms\n")
    print(f"{'operator':<18}{'scale':>6}{'median ms':>11}{'fastest ms':>12}{'× floor':>9}{'goal':>7}"
          f"{'numpy ms':>10}{'torch ms':>10}{'anim ms':>9}")
    medians = []
    for scale in (4, 2):
        for name in OPERATORS:
            at = open_page("upsampling", query=explorer_query(name, scale))
            times = timed_reruns(at, args.repeats, edit=True)
            median = statistics.median(times)
            medians.append(median)
            part = pieces(name, scale, args.repeats)
            print(f"{name:<18}{'×' + str(scale):>6}{median:>11.0f}{min(times):>12.0f}{median / floor_ms:>9.1f}"
                  f"{'ok' if median < GOAL_MS else 'over':>7}{part['numpy']:>10.1f}"
                  f"{part['torch']:>10.1f}{part['animation']:>9.1f}")
    print(f"\nworst median {max(medians):.0f} ms, best {min(medians):.0f} ms (goal < {GOAL_MS} ms)")
    print(f"load average {load()}")


if __name__ == "__main__":
    main()
