"""The load script's headless session against a real server: it opens a page and its edits reach the script.

No mock: `streamlit run app.py` on loopback (bench/local_server.py), Streamlit's own websocket protocol.
An edit is checked by what the page then sends back (the result figure's spec), never by a timing.
"""

import asyncio
import concurrent.futures

import pytest

from bench.ws_session import Session, SessionError
from harness.local_server import free_port, serve


def run(coroutine):
    """asyncio.run in a thread of its own: the browser tests' Playwright keeps an event loop on this one."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()

pytestmark = pytest.mark.slow  # starts `streamlit run app.py` once for the module (~10-30 s on 2 cores)


@pytest.fixture(scope="module")
def server_url():
    with serve("shipped") as (url, _):
        yield url


def _spec(session: Session, key: str) -> str:
    return session.find("plotly_chart", key=key).spec


def test_grid_edits_reach_the_per_pixel_loss_page(server_url):
    """The upsampling explorer edits in the browser now; the per-pixel loss page still reruns per edit."""
    async def scenario():
        session = Session(server_url, timeout=180)
        await session.connect()
        try:
            opened = await session.open("per_pixel_loss")
            assert opened.exceptions == [] and opened.messages > 10
            before = _spec(session, "per-pixel-loss.map")
            grid = session.find("dataframe", key="per-pixel-loss.labels.editor")
            edited = await session.edit_cell(grid, 0, "0", "2")
            assert edited.exceptions == []
            after = _spec(session, "per-pixel-loss.map")
            assert after != before  # the new label changed the loss map
            await session.edit_cell(grid, 0, "0", "0")  # the example's labels again
            assert _spec(session, "per-pixel-loss.map") == before
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


def test_a_slider_inside_a_fragment_reruns_only_its_fragment(server_url):
    """per_pixel_loss's pixel row is drawn in an st.fragment: the browser asks for a fragment run, so must we."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    async def scenario():
        session = Session(server_url, timeout=300)
        await session.connect()
        try:
            await session.open("per_pixel_loss")
            before = _spec(session, "per-pixel-loss.map")
            state = WidgetState(id=session.find("number_input", key="per-pixel-loss.row").id, int_value=0)
            moved = await session.set_state(state)  # an int number_input: the browser sends an int
            assert moved.status == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
            assert moved.exceptions == []
            assert _spec(session, "per-pixel-loss.map") != before
        finally:
            await session.close()

    run(scenario())
