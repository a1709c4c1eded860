"""What a student changes on each lesson page, as widget edits a headless session can send.

One list per page (url path); the load script cycles through it, so consecutive reruns really change
something (a cell 1 -> 2 -> 3, a slider back and forth, the next operator). A page without an entry is
rerun with its widgets unchanged (what pressing R does).
"""

import itertools

from bench.ws_session import Session


async def grid_cell(session: Session, key: str, values: list[str], n: int):
    """Type the n-th value into cell (0, "0") of the data editor drawn for grid `key`."""
    return await session.edit_cell(session.find("dataframe", key=key), 0, "0", values[n % len(values)])


async def slider(session: Session, key: str, values: list[float], n: int):
    return await session.set_slider(session.find("slider", key=key), values[n % len(values)])


async def select_slider(session: Session, key: str, options: list[str], n: int):
    return await session.set_select_slider(session.find("slider", key=key), options[n % len(options)])


async def next_option(session: Session, key: str, n: int):
    """A selectbox moved to the option after the n-th: every operator in turn."""
    box = session.find("selectbox", key=key)
    return await session.choose(box, box.options[(n + 1) % len(box.options)])


async def rerun(session: Session, n: int):
    return await session.rerun()


EDITS = {
    "upsampling_explorer": [
        ("grid cell", lambda s, n: grid_cell(s, "upsampling.grid.editor", ["5", "6", "7", "8"], n)),
        ("operator", lambda s, n: next_option(s, "upsampling.op", n)),
    ],
    "per_pixel_loss": [("grid cell", lambda s, n: grid_cell(s, "per-pixel-loss.labels.editor", ["2", "0", "1"], n))],
    "sliding_window": [("slider", lambda s, n: select_slider(s, "sliding-window.size", ["48", "64"], n))],
    "receptive_field": [("slider", lambda s, n: slider(s, "receptive-field.row", [3, 5, 7], n))],
    "full_resolution_cost": [("slider", lambda s, n: select_slider(s, "full-resolution-cost.size",
                                                                   ["128", "256"], n))],
    "segmentation_basics": [("slider", lambda s, n: slider(s, "segmentation.gap", [1, 3], n))],
    "things_and_stuff": [("slider", lambda s, n: slider(s, "things-and-stuff.gap", [1, 3], n))],
}


def edits_for(page: str):
    """An endless cycle of (name, edit) for a page; `edit(session, n)` returns a RunResult."""
    return itertools.cycle(EDITS.get(page, [("rerun", rerun)]))
