"""The class question's grids (answer_tap.js): drawn as cells a phone can tap; what the browser sends back.

    tap_grids(grids, key=..., on_tap=callback, words={"cell": ...})

`grids` is a list of {"title", "values", "decimals", "tap", "mark", "picked", "right"}; a tap on a cell of a grid
with "tap" True reaches `on_tap` (st.session_state[key]["cell"] is then {"grid", "row", "col"}).
"""

from plotly.colors import sequential

from pages import ui
from pages.components import register

JS = ("view_kit.js", "answer_tap.js")
CSS = ("view_kit.css", "answer_tap.css")
PALETTE = list(sequential.Cividis)


def tap_grids(grids: list[dict], *, key: str, on_tap=None, hint: str | None = None, large: bool = False):
    """Mount the grids; without `on_tap` they are drawn without buttons; `large`: cells for the projector."""
    mount = register("answer_tap", JS, CSS)
    data = {"grids": grids, "words": {"cell": ui.t("classq.cell_name")}, "palette": PALETTE, "hint": hint,
            "disabled": on_tap is None, "presenting": ui.presenting() or large}
    return mount(key=key, data=data, on_cell_change=on_tap or (lambda: None), height="content")
