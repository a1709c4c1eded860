"""Upsampling explorer speed: server-side time to re-render the page after one edit of an 8×8 grid.

AppTest runs the whole script (app.py's navigation + the page) exactly as a server rerun would,
without the browser, so its run time is a fair proxy for what a student waits for after an edit.
For every operator at scale ×4 (32×32 outputs, the heaviest case) and ×2, a cell of the 8×8 input is
edited and the page re-rendered; the median and the fastest of the repeats are printed. Side by side
in the same run: the lecture-map page's rerun (the floor every page pays: navigation, AppTest) and
the pieces of one explorer rerun (numpy operator, PyTorch check, figures), so ratios compare like
with like on a shared machine. Load average is printed before and after. Goal: under 150 ms.

--deferred-html also times every rerun with the slide export's HTML built only when its download
button is clicked (st.download_button accepts a callable), as proposed for pages/ui.py: today
ui.export_buttons renders the standalone HTML (plotly.js inlined, megabytes) on every rerun.

    .venv/bin/python bench/bench_explorer.py [--repeats 7] [--deferred-html] [--recompile]
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

import tests.conftest  # noqa: E402,F401  (AppTest behaves like a warm server, as in the test suite)
from ops.upsampling import OPERATORS  # noqa: E402
from tests.apptest import open_page  # noqa: E402

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


def warm_script_cache() -> None:
    """Compile each script once, as a running server does (its Runtime keeps one ScriptCache);
    AppTest makes a fresh cache, so it would recompile app.py and the page on every run."""
    import streamlit.testing.v1.app_test as app_test
    import streamlit.testing.v1.local_script_runner as local_runner
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    shared = ScriptCache()
    app_test.ScriptCache = local_runner.ScriptCache = lambda: shared


def deferred_html(enabled: bool) -> None:
    """Simulate ui.export_buttons passing a callable to st.download_button: no HTML is built on a rerun."""
    from lessons.figures import export

    if not hasattr(export, "_eager_to_html"):
        export._eager_to_html = export.to_html
    export.to_html = (lambda fig, title="Pixelwise": b"") if enabled else export._eager_to_html


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--deferred-html", action="store_true", help="also time reruns with the HTML export deferred")
    parser.add_argument("--recompile", action="store_true",
                        help="AppTest's default: compile app.py and the page again on every run")
    args = parser.parse_args()
    if not args.recompile:
        warm_script_cache()
    compiled = "compiled again on every run (AppTest)" if args.recompile else "compiled once, as on a running server"
    print(f"{os.cpu_count()} CPU cores, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}, "
          f"load average {load()}; scripts {compiled}")

    floor = timed_reruns(open_page("home"), args.repeats, edit=False)
    floor_ms = statistics.median(floor)
    print(f"lecture map rerun (floor: app.py + AppTest): median {floor_ms:.0f} ms, fastest {min(floor):.0f} ms\n")
    deferred_header = f"{'deferred html':>15}" if args.deferred_html else ""
    print(f"{'operator':<18}{'scale':>6}{'median ms':>11}{'fastest ms':>12}{'× floor':>9}{'goal':>7}"
          f"{deferred_header}{'numpy ms':>10}{'torch ms':>10}{'anim ms':>9}")
    medians, deferred_medians = [], []
    for scale in (4, 2):
        for name in OPERATORS:
            at = open_page("upsampling", query=explorer_query(name, scale))
            times = timed_reruns(at, args.repeats, edit=True)
            median = statistics.median(times)
            medians.append(median)
            deferred = ""
            if args.deferred_html:  # the same session, same edits, right after: side by side
                deferred_html(True)
                other = statistics.median(timed_reruns(at, args.repeats, edit=True))
                deferred_html(False)
                deferred_medians.append(other)
                deferred = f"{other:>9.0f} ({other / median:.2f}×)"
            deferred = f"{deferred:>15}" if args.deferred_html else ""
            part = pieces(name, scale, args.repeats)
            print(f"{name:<18}{'×' + str(scale):>6}{median:>11.0f}{min(times):>12.0f}{median / floor_ms:>9.1f}"
                  f"{'ok' if median < GOAL_MS else 'over':>7}{deferred}{part['numpy']:>10.1f}"
                  f"{part['torch']:>10.1f}{part['animation']:>9.1f}")
    print(f"\nworst median {max(medians):.0f} ms, best {min(medians):.0f} ms (goal < {GOAL_MS} ms)")
    if deferred_medians:
        print(f"with the HTML export deferred: worst median {max(deferred_medians):.0f} ms, "
              f"best {min(deferred_medians):.0f} ms")
    print(f"load average {load()}")


if __name__ == "__main__":
    main()
