"""Warm the server's caches in the background, once per process, so the first student waits for nothing.

What is warmed (the slow first-request work of each page, measured in docs/notes/perfa.md):
- the sliding-window patch classifier (loaded from its committed checkpoint) and the one fully
  convolutional pass over the default picture that the browser animates;
- the receptive-field effective field of the default stack and the width-against-depth points (autograd).
The small-grid figures are drawn by the browser (pages/components/) and need no warming.

When: Streamlit runs no project code when the server starts; the earliest hook it offers is the first
script run, i.e. the first import of pages/shell.py (app.py imports it). `run_app()` calls `start()` there
with one line; the thread runs beside that first request, which is the home page and needs none of this.

Thread safety: everything the thread fills is a process-wide ops.memo cache (single flight: a student
asking for a value the thread is building waits for it instead of building a second copy), exactly what
the pages read. No st.cache_* is called from here
(Streamlit warns from a thread without a script run). PIXELWISE_WARMUP=0 turns it off: tests/conftest.py
sets it, so AppTest runs in pytest do not train in the background (tests/test_warmup.py runs it directly).
"""

import logging
import os
import threading
import time

log = logging.getLogger(__name__)
_started = False
_lock = threading.Lock()
done = threading.Event()  # set when run() has finished (tests and the bench can wait on it)
report: dict[str, float] = {}  # step -> seconds it took, for the notes and the log


def steps() -> list:
    """(name, callable) of each warm-up step, in the order a class meets them (cheap ones first).

    Only computations from ops/ and the data lessons/figures makes for the browser: no lesson page is
    imported here (the figures a page draws from these values take milliseconds)."""
    from lessons.figures.sliding_window_sweep import sweep
    from ops.layer_stack import DEFAULT_PRESET, STACK_PRESETS, encode_stack
    from ops.layer_stack.measured import TRIALS, measured_depth_growth, measured_effective_field
    from ops.patches import trained_patch_classifier
    from pages import state

    image = state.setting("sliding-window.image").default
    size = state.setting("sliding-window.size").default
    stack = encode_stack(list(STACK_PRESETS[DEFAULT_PRESET].layers))
    return [
        ("patch classifier", trained_patch_classifier),
        ("sliding-window pass", lambda: sweep(image, size)),
        ("effective field", lambda: measured_effective_field(stack, TRIALS)),
        ("depth growth", lambda: measured_depth_growth(16, TRIALS)),
    ]


def run() -> dict[str, float]:
    """Every step, in this thread; a step that fails is logged and skipped (the page computes it itself)."""
    for name, step in steps():
        began = time.perf_counter()
        try:
            step()
        except Exception:  # noqa: BLE001 - warm-up must never take the server down; the page will say what is wrong
            log.exception("warm-up step %r failed", name)
            continue
        report[name] = time.perf_counter() - began
    done.set()
    log.info("warm-up done: %s", ", ".join(f"{k} {v:.1f} s" for k, v in report.items()))
    return report


def start() -> bool:
    """Start the warm-up thread once per process (True when this call started it)."""
    global _started
    if os.environ.get("PIXELWISE_WARMUP", "1") == "0":
        return False
    with _lock:
        if _started:
            return False
        _started = True
    threading.Thread(target=run, name="pixelwise-warmup", daemon=True).start()
    return True
