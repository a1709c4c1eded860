"""The things & stuff page's score threshold, as a student's hand moves it, beside its floor in one run.

Over Streamlit's own websocket protocol (bench/ws_session.py), one session opens the page on a crowded scene
and moves the threshold slider through every step (0.05 ... 0.95: each value new, so the page computes the
kept boxes, the panoptic map and its figures), then through them again (what the page has cached). The floor
is a trivial app started in the same run: one slider that filters the boxes drawn on one 64×64 picture.
Both servers are started here on loopback (the shipped config) and stopped by their pid.

    .venv/bin/python bench/bench_instance_threshold.py
    .venv/bin/python bench/bench_instance_threshold.py --scene 126 --rounds 2
"""

import argparse
import statistics
import sys
import tempfile
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness.local_server import serve  # noqa: E402
from harness.own_loop import run_in_own_loop  # noqa: E402

STEPS = [round(0.05 * k, 2) for k in range(1, 20)]  # the page's slider: 0.05 to 0.95 by 0.05

FLOOR_APP = textwrap.dedent('''
    """The floor: one slider, one picture whose boxes it filters (the least such a rerun costs)."""
    import numpy as np
    import plotly.graph_objects as go
    import streamlit as st

    rng = np.random.default_rng(0)
    image = (rng.random((64, 64, 3)) * 255).astype(np.uint8)
    boxes, scores = rng.uniform(0, 48, (20, 2)), rng.random(20)
    threshold = st.slider("threshold", 0.05, 0.95, 0.2, step=0.05, key="threshold")
    fig = go.Figure(go.Image(z=image))
    for (x, y), s in zip(boxes, scores):
        if s >= threshold:
            fig.add_shape(type="rect", x0=x, y0=y, x1=x + 16, y1=y + 16)
    st.plotly_chart(fig, key="fig")
''')


async def _moves(url: str, page: str, query: str, key: str, rounds: int) -> list[list[float]]:
    """Seconds per slider move (request sent -> run finished), one list per pass through STEPS."""
    from bench.ws_session import Session

    session = Session(url, timeout=120)
    await session.connect()
    try:
        opened = await session.open(page, query)
        if opened.exceptions:
            raise SystemExit(f"{page}: {opened.exceptions}")
        passes = []
        for _ in range(rounds):
            seconds = []
            for value in STEPS:
                result = await session.set_slider(session.find("slider", key=key), value)
                if result.exceptions:
                    raise SystemExit(f"{page} at {value}: {result.exceptions}")
                seconds.append(result.seconds * 1000)
            passes.append(seconds)
        return passes
    finally:
        await session.close()


def _stats(ms: list[float]) -> str:
    ordered = sorted(ms)
    return f"p50 {statistics.median(ordered):6.1f}  p95 {ordered[int(0.95 * (len(ordered) - 1))]:6.1f}  " \
           f"max {ordered[-1]:6.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scene", type=int, default=126, help="a seed 0 test scene (126: a crowd of squares)")
    parser.add_argument("--rounds", type=int, default=2, help="passes through the 19 steps (1st: new values)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        floor_script = Path(folder) / "floor_app.py"
        floor_script.write_text(FLOOR_APP)
        with serve(script=floor_script) as (floor_url, _), serve() as (url, _):
            floor = run_in_own_loop(_moves(floor_url, "", "", "threshold", args.rounds))
            page = run_in_own_loop(_moves(url, "things_and_stuff", f"things-and-stuff.scene={args.scene}",
                                          "things-and-stuff.threshold", args.rounds))
    print(f"score threshold moved through {len(STEPS)} steps, {args.rounds} passes; websocket, request -> run "
          "finished")
    for n in range(args.rounds):
        label = "new values" if n == 0 else f"pass {n + 1} (cached)"
        print(f"  {label:<18} things & stuff (scene {args.scene}) {_stats(page[n])}   floor {_stats(floor[n])}")


if __name__ == "__main__":
    main()
