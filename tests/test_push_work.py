"""What one debounced push of a lesson's browser state costs the server, counted (never timed).

Issue 18's last goal is server CPU per grid edit: a push must rerun only the lesson's fragment, send a
handful of messages (never the lesson's big component again, at most one URL update), and run the PyTorch
check once per state, not once per push (a class sends the same states over and over). These counts fail
when a change makes a push do more, on any machine: the figures themselves come from
bench/bench_instant_grids.py --cpu-only.
"""

import json

import numpy as np
import pytest

from bench.ws_session import Session
from harness.apptest import assert_no_exception, open_page
from harness.local_server import serve
from harness.own_loop import run_in_own_loop as _run
from ops.memo import SharedCache
from ops.upsampling import Operator, explorer

# A fragment rerun of the upsampling page, message by message (bench_instant_grids --cpu-only counts the
# frames a Chromium tab receives): new_session and the two status changes are Streamlit's own for any run; the
# heading above the check is outside the fragment.
UPSAMPLING_PUSH = {"new_session": 1, "session_status_changed": 1, "delta:add_block": 1,
                   "delta:new_element:bidi_component": 1, "delta:new_element:alert": 1,
                   "delta:new_element:markdown": 1, "delta:new_element:code": 1, "page_info_changed": 1,
                   "script_finished": 1}


def _count_torch_checks(monkeypatch) -> list:
    calls = []
    original = Operator.check_against_torch

    def counted(self, *args, **kwargs):
        calls.append(self.name)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Operator, "check_against_torch", counted)
    return calls


def test_a_state_is_checked_against_pytorch_once_however_often_it_is_pushed(monkeypatch):
    calls = _count_torch_checks(monkeypatch)
    grid = np.random.default_rng().integers(-99, 99, size=(3, 3)).astype(float).tolist()  # new to this process
    at = open_page("upsampling")
    checks_on_open = len(calls)
    at.session_state["upsampling.grid"] = grid  # what absorb() keeps from a push
    at.run()
    assert_no_exception(at)
    assert len(calls) == checks_on_open + 1  # a new state: one check
    for _ in range(2):  # the same state pushed again (the debounce's echo, a student typing 5, 6, 5 ...)
        at.run()
    assert len(calls) == checks_on_open + 1
    other = open_page("upsampling")  # another student's session with that state: the check is shared
    other.session_state["upsampling.grid"] = grid
    other.run()
    assert_no_exception(other)
    assert len(calls) == checks_on_open + 1
    assert any("matches torch.nn.functional.interpolate" in s.value for s in other.success)


def test_a_wrong_check_is_not_hidden_by_the_memo(monkeypatch):
    """The memo keeps PyTorch's verdict, whatever it is: a planted disagreement shows as one."""
    monkeypatch.setattr(Operator, "check_against_torch", lambda self, *a, **k: 0.5)
    monkeypatch.setattr(explorer, "_LIVE_CHECKS", SharedCache())  # the planted verdict stays in this test
    at = open_page("upsampling")
    at.session_state["upsampling.grid"] = np.random.default_rng().integers(-99, 99, size=(2, 3)).tolist()
    at.run()
    assert_no_exception(at)
    assert at.error and not any("✓" in s.value for s in at.success)




@pytest.fixture(scope="module")
def server_url():
    with serve() as (url, _):
        yield url


async def _pushes(url: str, page: str, component: str, sync: str, states) -> tuple[list, str]:
    """Open `page` in a websocket session and push each of `states` (made from the component's data) through
    the fragment's sync component, as the debounced browser does; the runs and the URL they left."""
    session = Session(url, timeout=180)
    await session.connect()
    try:
        await session.open(page)
        data = json.loads(session.find("bidi_component", key=component).json)
        pushes = [await session.set_json(session.find("bidi_component", key=sync), state(data)) for state in states]
        return pushes, session.query_string
    finally:
        await session.close()


def _grid_state(value: float):
    def state(data):
        data["initial"]["grid"][0][0] = value
        return {"state": data["initial"]}
    return state


@pytest.mark.slow  # starts `streamlit run app.py` once for the module (~10-30 s on 2 cores)
def test_a_push_reruns_the_fragment_with_a_handful_of_messages(server_url):
    pushes, query = _run(_pushes(server_url, "upsampling_explorer", "upsampling.component", "upsampling.sync",
                                 [_grid_state(7.0), _grid_state(8.0)]))
    assert "upsampling.grid=8%2C2%3B3%2C4" in query  # the link followed the push
    for push in pushes:
        assert push.exceptions == []
        # the first push may still read the status change of the page's opening; at most one more per push
        kinds = {k: v for k, v in push.kinds.items() if k != "session_status_changed"}
        expected = {k: v for k, v in UPSAMPLING_PUSH.items() if k != "session_status_changed"}
        assert kinds == expected, kinds  # exactly these: never the lesson's component, one URL update
        assert push.kinds["session_status_changed"] <= 2


@pytest.mark.slow
@pytest.mark.parametrize("page, slug", [("receptive_field", "receptive-field"),
                                        ("full_resolution_cost", "full-resolution-cost")])
def test_a_layer_stack_push_resends_no_figure_and_no_prose(server_url, page, slug):
    """The width-against-depth chart and the lessons' prose are the same for every stack: they stay outside
    the fragment, so a push of a stack whose effective field is not measured sends no figure and no text."""
    def kernel_5(data):
        first, _, rest = data["stack"].partition("-")
        return {"edit": {"stack": "-".join([first.replace("c3", "c5", 1), rest])}}

    [push], query = _run(_pushes(server_url, page, f"{slug}.layer_stack", f"{slug}.layer_stack.sync", [kernel_5]))
    assert push.exceptions == [] and "stack=c5" in query
    assert push.kinds["delta:new_element:plotly_chart"] == 0, push.kinds
    assert push.kinds["delta:new_element:page_link"] == 1  # the link to the other lesson follows the stack
    prose = push.kinds["delta:new_element:markdown"]
    assert prose <= (3 if slug == "receptive-field" else 0), push.kinds  # the effective section's own words
