"""A minimal protocol-level Streamlit load client: websocket sessions without a browser.

Each session does what a browser tab does on the wire: GET / (HAProxy's affinity cookie and Streamlit's
XSRF cookie), open /_stcore/stream with the same cookies, send a BackMsg rerun_script for a lesson page,
and read ForwardMsgs until script_finished; then think, and rerun. A dropped connection is reopened
(as the browser does) and the time until the lesson is back is recorded. Loopback only, bounded by
`duration`. Counts reruns finished, exceptions shown on the page, and reconnect gaps.
"""

import asyncio
import time
import urllib.request
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

LESSON_PAGES = ("segmentation_basics", "upsampling_explorer", "full_resolution_cost", "receptive_field")
RERUN_TIMEOUT_S = 60.0


@dataclass
class SessionStats:
    reruns: list[float] = field(default_factory=list)  # seconds per finished rerun
    finished_at: list[float] = field(default_factory=list)  # monotonic time of each finished rerun
    exceptions: int = 0  # st.exception elements or failed script runs seen
    exception_messages: set[str] = field(default_factory=set)  # what they said (type: message)
    reconnect_gaps: list[float] = field(default_factory=list)  # drop -> lesson shown again, seconds
    connect_gaps: list[float] = field(default_factory=list)  # drop -> a replica accepted the session again
    failures: int = 0  # reconnect attempts that did not get the page back


def _cookies(base: str) -> str:
    with urllib.request.urlopen(f"{base}/", timeout=10) as response:
        jar = [header.split(";")[0] for header in response.headers.get_all("Set-Cookie") or []]
    return "; ".join(jar)


def _xsrf(cookie_header: str) -> str:
    for part in cookie_header.split("; "):
        if part.startswith("_streamlit_xsrf="):
            return part.split("=", 1)[1]
    return ""


def _rerun(page: str, query: str) -> bytes:
    message = BackMsg()
    message.rerun_script.query_string = query
    message.rerun_script.page_name = page
    return message.SerializeToString()


async def _one_rerun(socket, page: str, query: str, stats: SessionStats) -> None:
    start = time.monotonic()
    await socket.send(_rerun(page, query))
    while True:
        data = await asyncio.wait_for(socket.recv(), RERUN_TIMEOUT_S)
        message = ForwardMsg()
        message.ParseFromString(data)
        kind = message.WhichOneof("type")
        if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            if message.delta.new_element.WhichOneof("type") == "exception":
                stats.exceptions += 1
                shown = message.delta.new_element.exception
                stats.exception_messages.add(f"{shown.type}: {shown.message[:200]}")
        elif kind == "script_finished":
            if message.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                stats.exceptions += 1
            if message.script_finished in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR):
                now = time.monotonic()
                stats.reruns.append(now - start)
                stats.finished_at.append(now)
                return


async def session(base: str, page: str, until: float, think_s: float, stats: SessionStats, query: str = "",
                  max_reruns: int | None = None) -> None:
    """One student on one lesson until `until` (monotonic), reconnecting when the connection drops."""
    host = base.split("://", 1)[1]
    dropped_at = None
    while time.monotonic() < until:
        try:
            cookies = await asyncio.to_thread(_cookies, base)
            protocols = ["streamlit"] + ([_xsrf(cookies)] if _xsrf(cookies) else [])
            async with connect(f"ws://{host}/_stcore/stream", subprotocols=protocols,
                               additional_headers={"Cookie": cookies}, origin=base, max_size=None,
                               open_timeout=10) as socket:
                if dropped_at is not None:
                    stats.connect_gaps.append(time.monotonic() - dropped_at)
                while time.monotonic() < until:
                    await _one_rerun(socket, page, query, stats)
                    if max_reruns is not None and len(stats.reruns) >= max_reruns:
                        return
                    if dropped_at is not None:
                        stats.reconnect_gaps.append(time.monotonic() - dropped_at)
                        dropped_at = None
                    await asyncio.sleep(think_s)
        except Exception:  # noqa: BLE001 (any drop: reconnect, as a browser would)
            if dropped_at is None:
                dropped_at = time.monotonic()
            elif time.monotonic() - dropped_at > 30:
                stats.failures += 1
                dropped_at = time.monotonic()
            await asyncio.sleep(0.5)


async def classroom(base: str, sessions: int, duration_s: float, think_s: float) -> list[SessionStats]:
    """`sessions` students spread over the lesson pages, all for `duration_s` seconds."""
    until = time.monotonic() + duration_s
    stats = [SessionStats() for _ in range(sessions)]
    await asyncio.gather(*(session(base, LESSON_PAGES[i % len(LESSON_PAGES)], until, think_s, stats[i])
                           for i in range(sessions)))
    return stats
