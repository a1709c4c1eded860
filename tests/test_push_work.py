"""What one debounced push of a lesson's browser state costs the server, counted (never timed).

Issue 18's last goal is server CPU per grid edit: a push must rerun only the lesson's fragment, send a
handful of messages (never the lesson's big component again, at most one URL update), and run the PyTorch
check once per state, not once per push (a class sends the same states over and over). These counts fail
when a change makes a push do more, on any machine: the figures themselves come from
bench/bench_instant_grids.py --cpu-only.
"""

import asyncio
import concurrent.futures
import json

import numpy as np
import pytest

from bench.ws_session import Session
from harness.apptest import assert_no_exception, open_page
from harness.local_server import serve
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


def _run(coroutine):
    """asyncio.run in a thread of its own: a browser test's Playwright may hold an event loop on this one."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.mark.slow  # starts `streamlit run app.py` (~10-30 s on 2 cores)
def test_a_push_reruns_the_fragment_with_a_handful_of_messages():
    async def scenario(url):
        session = Session(url, timeout=180)
        await session.connect()
        try:
            await session.open("upsampling_explorer")
            initial = json.loads(session.find("bidi_component", key="upsampling.component").json)["initial"]
            sync = session.find("bidi_component", key="upsampling.sync")
            pushes = []
            for value in (7.0, 8.0):
                initial["grid"][0][0] = value
                pushes.append(await session.set_json(sync, {"state": initial}))
            return pushes, session.query_string
        finally:
            await session.close()

    with serve() as (url, _):
        pushes, query = _run(scenario(url))
    assert "upsampling.grid=8%2C2%3B3%2C4" in query  # the link followed the push
    for push in pushes:
        assert push.exceptions == []
        # the first push may still read the status change of the page's opening; at most one more per push
        kinds = {k: v for k, v in push.kinds.items() if k != "session_status_changed"}
        expected = {k: v for k, v in UPSAMPLING_PUSH.items() if k != "session_status_changed"}
        assert kinds == expected, kinds  # exactly these: never the lesson's component, one URL update
        assert push.kinds["session_status_changed"] <= 2
