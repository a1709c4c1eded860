"""What a student changes on each lesson page, as widget edits a headless session can send.

One list per page (url path); the load script cycles through it, so consecutive reruns really change
something (a cell 1 -> 2 -> 3, a slider back and forth, the next operator). A page without an entry is
rerun with its widgets unchanged (what pressing R does).
"""

import itertools
import json

from bench.ws_session import Session


async def slider(session: Session, key: str, values: list[float], n: int):
    return await session.set_slider(session.find("slider", key=key), values[n % len(values)])


async def select_slider(session: Session, key: str, options: list[str], n: int):
    return await session.set_select_slider(session.find("slider", key=key), options[n % len(options)])


async def next_option(session: Session, key: str, n: int):
    """A selectbox moved to the option after the n-th: every operator in turn."""
    box = session.find("selectbox", key=key)
    return await session.choose(box, box.options[(n + 1) % len(box.options)])


async def lesson_push(session: Session, lesson: str, grid: str, values: list, n: int):
    """What a small-grid lesson's component sends after a student's edit (debounced): its whole state, with
    `grid`'s top-left cell changed. The browser has already drawn it; this is the server's share. The lesson's
    component announces the state in the browser and the small state_sync component of its fragment sends it."""
    state = json.loads(session.find("bidi_component", key=f"{lesson}.component").json)["initial"]
    state[grid][0][0] = values[n % len(values)]
    return await session.set_json(session.find("bidi_component", key=f"{lesson}.sync"), {"state": state})


async def layer_stack_push(session: Session, slug: str, change: dict, n: int):
    """What the layer-stack component sends after an edit (debounced): the stack and the lesson's values."""
    component = session.find("bidi_component", key=f"{slug}.layer_stack")
    sync = session.find("bidi_component", key=f"{slug}.layer_stack.sync")  # the fragment's sender
    data = json.loads(component.json)
    edit = {"stack": data["stack"], **{name: data[name] for name in ("grid", "row", "col", "size")
                                      if data.get(name) is not None}}
    edit.update({name: values[n % len(values)] for name, values in change.items()})
    return await session.set_json(sync, {"edit": edit})


async def rerun(session: Session, n: int):
    return await session.rerun()


EDITS = {
    "upsampling_explorer": [("state push", lambda s, n: lesson_push(s, "upsampling", "grid", [5.0, 6.0, 7.0, 8.0], n))],
    "per_pixel_loss": [("state push", lambda s, n: lesson_push(s, "per-pixel-loss", "labels", [2, 0, 1], n))],
    "sliding_window": [("slider", lambda s, n: select_slider(s, "sliding-window.size", ["48", "64"], n))],
    "receptive_field": [("state push", lambda s, n: layer_stack_push(s, "receptive-field", {"row": [3, 5, 7]}, n))],
    "full_resolution_cost": [("state push", lambda s, n: layer_stack_push(s, "full-resolution-cost",
                                                                          {"size": [128, 256]}, n))],
    "segmentation_basics": [("slider", lambda s, n: slider(s, "segmentation.gap", [1, 3], n))],
    "things_and_stuff": [("slider", lambda s, n: slider(s, "things-and-stuff.gap", [1, 3], n))],
}


def edits_for(page: str):
    """An endless cycle of (name, edit) for a page; `edit(session, n)` returns a RunResult."""
    return itertools.cycle(EDITS.get(page, [("rerun", rerun)]))
