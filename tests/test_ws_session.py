"""The load script's headless session against a real server: it opens a page and its edits reach the script.

No mock: `streamlit run app.py` on loopback (bench/local_server.py), Streamlit's own websocket protocol.
An edit is checked by what the page then sends back (the result figure's spec), never by a timing.
"""

import json

import pytest

from bench.ws_session import Session, SessionError
from harness.local_server import free_port, serve
from harness.own_loop import run_in_own_loop as run

pytestmark = pytest.mark.slow  # starts `streamlit run app.py` once for the module (~10-30 s on 2 cores)


@pytest.fixture(scope="module")
def server_url():
    with serve("shipped") as (url, _):
        yield url


def _initial(session: Session) -> dict:
    """The state the per-pixel loss page last handed its browser component."""
    return json.loads(session.find("bidi_component", key=COMPONENT).json)["initial"]


COMPONENT = "per-pixel-loss.component"
SYNC = "per-pixel-loss.sync"  # the fragment's small component that sends what the lesson's component announces


def test_a_state_push_reaches_the_per_pixel_loss_page(server_url):
    """The lesson edits in the browser; what its component sends (debounced) is what the script keeps."""
    async def scenario():
        session = Session(server_url, timeout=180)
        await session.connect()
        try:
            opened = await session.open("per_pixel_loss")
            assert opened.exceptions == [] and opened.messages > 10
            state = _initial(session)
            assert state["labels"][0][0] == 0
            state["labels"][0][0] = 2
            pushed = await session.set_json(session.find("bidi_component", key=SYNC), {"state": state})
            assert pushed.exceptions == []
            await session.rerun()
            assert _initial(session)["labels"][0][0] == 2  # kept: a reload starts from it
            state["labels"][0][0] = 7  # a label the loss cannot use is not kept
            await session.set_json(session.find("bidi_component", key=SYNC), {"state": state})
            await session.rerun()
            assert _initial(session)["labels"][0][0] == 2
        finally:
            await session.close()

    run(scenario())


def test_a_widget_that_is_not_on_the_page_is_a_clear_error(server_url):
    async def scenario():
        session = Session(server_url, timeout=180)
        await session.connect()
        try:
            await session.open("lecture_map")
            with pytest.raises(SessionError) as error:
                session.find("dataframe", key="upsampling.grid.editor")
            assert error.value.key == "bench.error.no_widget"
        finally:
            await session.close()

    run(scenario())


def test_no_server_is_a_failed_connection():
    session = Session(f"http://127.0.0.1:{free_port()}", timeout=5)
    with pytest.raises(SessionError) as error:
        run(session.connect())
    assert error.value.key == "bench.error.connect"


def test_a_component_inside_a_fragment_reruns_only_its_fragment(server_url):
    """per_pixel_loss's state_sync component is drawn in an st.fragment: the browser asks for a fragment run,
    so must we; the run resends that fragment only, not the lesson's big component."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    async def scenario():
        session = Session(server_url, timeout=300)
        await session.connect()
        try:
            await session.open("per_pixel_loss")
            state = dict(_initial(session), row=3, col=0)
            moved = await session.set_json(session.find("bidi_component", key=SYNC), {"state": state})
            assert moved.status == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
            assert moved.exceptions == [] and moved.bytes < 20_000  # the big component was not resent
            await session.rerun()
            assert (_initial(session)["row"], _initial(session)["col"]) == (3, 0)
        finally:
            await session.close()

    run(scenario())
