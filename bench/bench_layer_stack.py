"""Layer-stack lessons speed: page re-render after a change, and the autograd measurements behind it.

For each lesson, AppTest opens the page (first run, caches cold), then times reruns after a preset
change: first visit of a preset (its autograd field and effective field computed) and a revisit (served
from st.cache_data). Then the uncached ops, per preset: analytic cost table, receptive-field table (autograd
probe after upsampling), effective field (8 initialisations × 4 inputs) and the √L depth sweep. Times are
medians of --repeat runs, printed side by side with their ratios. Load average is printed: other work on a
shared machine slows every figure.

    .venv/bin/python bench/bench_layer_stack.py [--repeat 3]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ops.layer_stack import STACK_PRESETS, effective_field, layer_costs, receptive_field  # noqa: E402
from ops.layer_stack.effective_field import depth_growth  # noqa: E402


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def timed(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def page_rerenders(repeat: int) -> None:
    from streamlit.testing.v1 import AppTest  # noqa: F401  (import cost kept out of the timings)

    os.environ.setdefault("PIXELWISE_WARMUP", "0")  # AppTest without the warm-up thread, as in the tests
    from harness.apptest import open_page

    print("\nPage re-render after a change (AppTest, seconds)")
    print(f"{'lesson':<24}{'change':<34}{'first visit':>12}{'revisit':>10}{'ratio':>8}")
    for slug in ("full-resolution-cost", "receptive-field"):
        start = time.perf_counter()
        at = open_page(slug, timeout=300)
        print(f"{slug:<24}{'open the page (cold)':<34}{time.perf_counter() - start:>12.2f}")
        for name in ("down-up", "unet", "all-conv"):
            def change():
                at.button(key=f"{slug}.preset.{name}").click().run(timeout=300)
            first = timed(change, 1)  # caches cold for this preset on the first click
            again = timed(lambda: (at.button(key=f"{slug}.preset.all-conv" if name != "all-conv" else
                                             f"{slug}.preset.down-up").click().run(timeout=300), change()), repeat) / 2
            print(f"{'':<24}{'preset → ' + name:<34}{first:>12.2f}{again:>10.2f}{first / again:>8.1f}")
            assert not at.exception, [e.value for e in at.exception]
        def size_change():
            key = f"{slug}.size" if slug == "full-resolution-cost" else f"{slug}.grid"
            widget = at.select_slider(key=key)
            options = list(widget.options)
            widget.set_value(type(widget.value)(options[(options.index(str(widget.value)) + 1) % len(options)]))
            at.run(timeout=300)
        print(f"{'':<24}{'slider step (size / grid)':<34}{timed(size_change, repeat):>12.2f}")


def ops_timings(repeat: int) -> None:
    print("\nThe computations, uncached (seconds, median of %d)" % repeat)
    print(f"{'preset':<12}{'cost table 256 px':>18}{'field table':>13}{'effective field':>17}{'input px':>10}"
          f"{'ERF / table':>13}")
    for name, preset in STACK_PRESETS.items():
        layers = list(preset.layers)
        cost = timed(lambda: layer_costs(layers, 256), repeat)
        table = timed(lambda: receptive_field(layers), repeat)
        result = {}
        erf = timed(lambda: result.setdefault("erf", effective_field(layers, trials=8)), repeat)
        print(f"{name:<12}{cost:>18.4f}{table:>13.3f}{erf:>17.2f}{result['erf'].size:>10}{erf / table:>13.0f}")
    sweep = timed(lambda: depth_growth(16, 8), 1)
    print(f"depth sweep L = 1…16, 8 initialisations each: {sweep:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import torch

    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, load average before: {load()}")
    ops_timings(args.repeat)
    page_rerenders(args.repeat)
    print(f"\nload average after: {load()}")


if __name__ == "__main__":
    main()
