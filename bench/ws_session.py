"""One headless Streamlit session speaking the browser's own protocol on /_stcore/stream.

Why: AppTest runs the script in-process and skips the server (websocket, message queue, post-run GC,
file watcher), so its timings are script time, not what a student waits for. This client does what the
frontend does: GET the page (XSRF cookie), open the websocket with the subprotocols
["streamlit", <xsrf token>], send BackMsg.rerun_script (page_name, query_string, widget_states) and
read ForwardMsgs until script_finished. Times are measured on this side of the socket.

    session = Session("http://127.0.0.1:8501", cookies={"PIXELWISE": "r1"})  # cookies: e.g. a proxy's affinity
    await session.connect()
    opened = await session.open("upsampling_explorer")          # RunResult(seconds, exceptions, status)
    grid = session.find("dataframe", key="upsampling.grid.editor")
    edited = await session.edit_cell(grid, row=0, col="0", value="7")
    await session.close()

Widget states are kept per session like the frontend's WidgetStateManager: every state this client
has set is sent again with each rerun. Values of widgets it never touched are not sent; the server then
keeps their previous value (SessionState keeps old widget values), which is what a browser's value is.
Message caching is off (no cached_message_hashes), so the server sends every delta in full.
"""

import asyncio
import collections
import json
import time
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import websockets
import websockets.exceptions  # not loaded by `import websockets` alone: a run without it fails on a refused connection
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

XSRF_COOKIE = "_streamlit_xsrf"
FINISHED_OK = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


class SessionError(Exception):
    """A session that could not connect or whose run did not finish; `key` names the failure."""

    def __init__(self, message_key: str, /, **params):
        super().__init__(f"{message_key} {params}")
        self.key, self.params = message_key, params


@dataclass
class RunResult:
    """One script run seen from the client: request sent -> script_finished received."""

    seconds: float
    exceptions: list[str] = field(default_factory=list)  # "Type: message" of each Exception element shown
    status: int = ForwardMsg.FINISHED_SUCCESSFULLY
    messages: int = 0
    bytes: int = 0
    texts: list[str] = field(default_factory=list)  # bodies of alerts (st.info / warning) and markdown drawn
    kinds: collections.Counter = field(default_factory=collections.Counter)  # ForwardMsgs by kind (message_kind)


def message_kind(fwd: ForwardMsg) -> str:
    """A ForwardMsg's kind as a count's key: "new_session", "page_info_changed", "delta:add_block",
    "delta:new_element:code", ... (what a run costs in messages, counted by tests and benches)."""
    kind = fwd.WhichOneof("type")
    if kind != "delta":
        return kind
    delta = fwd.delta.WhichOneof("type")
    if delta == "new_element":
        return f"delta:new_element:{fwd.delta.new_element.WhichOneof('type')}"
    return f"delta:{delta}"


def _index_cookies(base_url: str, timeout: float, sent: dict[str, str]) -> dict[str, str]:
    """GET / with the cookies this client holds, as a browser would before opening the socket; returns the
    cookies the answer sets (Streamlit's XSRF cookie, a proxy's affinity cookie)."""
    request = urllib.request.Request(base_url + "/")
    if sent:
        request.add_header("Cookie", "; ".join(f"{name}={value}" for name, value in sent.items()))
    got = {}
    with urllib.request.urlopen(request, timeout=timeout) as response:
        for header in response.headers.get_all("Set-Cookie") or []:
            got.update({name: morsel.value for name, morsel in SimpleCookie(header).items()})
    return got


class Session:
    """A browser tab without a browser: one websocket, one Streamlit session."""

    def __init__(self, base_url: str, timeout: float = 120.0, cookies: dict[str, str] | None = None):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.cookies = dict(cookies or {})  # sent with GET / and the socket; what the server sets is kept
        self.elements: dict[tuple, object] = {}  # delta path -> Element of the current page
        self.states: dict[str, WidgetState] = {}  # widget id -> last state this client set
        self.fragment_of: dict[str, str] = {}  # widget id -> id of the st.fragment it is drawn in
        self.auto_reruns: dict[str, float] = {}  # fragment id -> seconds, of each st.fragment(run_every=...) shown
        self.page_name = ""
        self.page_script_hash = ""  # of the page shown; without it a fragment's st.rerun() lands on the home page
        self.query_string = ""
        self._ws = None

    async def connect(self) -> float:
        """Open the websocket (with the XSRF handshake); returns seconds taken."""
        start = time.perf_counter()
        try:
            self.cookies.update(await asyncio.to_thread(_index_cookies, self.base_url, self.timeout, self.cookies))
            token = self.cookies.get(XSRF_COOKIE)
            ws_url = "ws" + self.base_url[4:] + "/_stcore/stream"
            headers = {"Origin": self.base_url}
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
            protocols = ["streamlit", token] if token else ["streamlit"]
            self._ws = await asyncio.wait_for(
                websockets.connect(ws_url, subprotocols=protocols, additional_headers=headers, max_size=None,
                                   open_timeout=self.timeout, ping_interval=None), self.timeout)
        except (TimeoutError, OSError, websockets.exceptions.WebSocketException) as error:
            raise SessionError("bench.error.connect", url=self.base_url, reason=repr(error)) from error
        return time.perf_counter() - start

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    async def open(self, page_name: str, query_string: str = "") -> RunResult:
        """Open a page by its url path ("upsampling_explorer"), as the address bar does; a fresh widget set."""
        self.page_name, self.query_string = page_name.strip("/"), query_string.lstrip("?")
        self.states.clear()
        self.elements.clear()
        self.page_script_hash = ""
        return await self._rerun()

    async def set_state(self, state: WidgetState) -> RunResult:
        """Send one widget's new value (with every other state this client holds) and wait for the rerun.

        A widget drawn inside an st.fragment reruns only that fragment, as the frontend asks for it.
        """
        self.states[state.id] = state
        return await self._rerun(self.fragment_of.get(state.id, ""))

    async def tick(self, fragment_id: str) -> RunResult:
        """One run of an st.fragment(run_every=...), as the frontend's timer sends it (see auto_reruns)."""
        return await self._rerun(fragment_id, auto=True)

    async def rerun(self) -> RunResult:
        """Rerun the page with the widget states this client holds (what pressing R does)."""
        return await self._rerun()

    async def _rerun(self, fragment_id: str = "", auto: bool = False) -> RunResult:
        msg = BackMsg()
        client = msg.rerun_script
        client.page_name, client.query_string = self.page_name, self.query_string
        client.fragment_id = fragment_id
        client.is_auto_rerun = auto
        client.page_script_hash = self.page_script_hash
        if not fragment_id:  # a full run: the timers it keeps are announced again (auto_rerun)
            self.auto_reruns.clear()
        for state in self.states.values():
            client.widget_states.widgets.append(state)
        start = time.perf_counter()
        try:
            await self._ws.send(msg.SerializeToString())
            result = await asyncio.wait_for(self._read_run(), self.timeout)
        except (TimeoutError, websockets.exceptions.WebSocketException, AttributeError) as error:
            raise SessionError("bench.error.run", page=self.page_name, reason=repr(error)) from error
        result.seconds = time.perf_counter() - start
        return result

    async def _read_run(self) -> RunResult:
        """ForwardMsgs until a run finishes (one that was cut short by our own rerun is skipped)."""
        result = RunResult(0.0)
        seen = set()  # delta paths drawn by this run: after a full run, the others are gone from the page
        while True:
            data = await self._ws.recv()
            result.messages += 1
            result.bytes += len(data)
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            result.kinds[message_kind(fwd)] += 1
            if kind == "delta":
                seen.add(tuple(fwd.metadata.delta_path))
                self._apply_delta(fwd, result)
            elif kind == "page_info_changed":  # st.query_params changed: the address bar, kept for a reload
                self.query_string = fwd.page_info_changed.query_string
            elif kind == "navigation" and fwd.navigation.page_script_hash:
                self.page_script_hash = fwd.navigation.page_script_hash  # sent back as the frontend does
            elif kind == "auto_rerun":
                self.auto_reruns[fwd.auto_rerun.fragment_id] = fwd.auto_rerun.interval
            elif kind == "stop_auto_rerun":
                for fragment_id in fwd.stop_auto_rerun.fragment_ids:
                    self.auto_reruns.pop(fragment_id, None)
            elif kind == "script_finished":
                if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    self.auto_reruns.clear()  # st.rerun(): a full run follows, it announces its own timers
                    seen.clear()
                    continue
                result.status = fwd.script_finished
                if result.status == ForwardMsg.FINISHED_SUCCESSFULLY:  # as the frontend drops stale elements
                    self.elements = {path: e for path, e in self.elements.items() if path in seen}
                return result

    def _apply_delta(self, fwd, result: RunResult) -> None:
        path = tuple(fwd.metadata.delta_path)
        delta = fwd.delta
        if delta.WhichOneof("type") == "new_element":
            element = delta.new_element
            self.elements[path] = element
            widget_id = getattr(getattr(element, element.WhichOneof("type")), "id", "")
            if widget_id:
                self.fragment_of[widget_id] = delta.fragment_id
            if element.WhichOneof("type") == "alert":
                result.texts.append(element.alert.body)
            elif element.WhichOneof("type") == "markdown":
                result.texts.append(element.markdown.body)
            if element.WhichOneof("type") == "exception":
                result.exceptions.append(f"{element.exception.type}: {element.exception.message[:200]}")

    def widgets(self, kind: str | None = None):
        """(kind, proto) of every widget on the page, in page order, optionally of one element kind."""
        for path in sorted(self.elements):
            element = self.elements[path]
            name = element.WhichOneof("type")
            proto = getattr(element, name)
            if getattr(proto, "id", "") and (kind is None or name == kind):
                yield name, proto

    def find(self, kind: str, key: str | None = None, label: str | None = None, index: int = 0):
        """The `index`-th widget of this kind whose id ends with its user key and/or whose label contains text."""
        found = [proto for _, proto in self.widgets(kind)
                 if (key is None or proto.id.endswith("-" + key))
                 and (label is None or label in getattr(proto, "label", ""))]
        if len(found) <= index:
            raise SessionError("bench.error.no_widget", kind=kind, key=key, label=label, page=self.page_name)
        return found[index]

    # One helper per widget kind the lessons use: each builds the WidgetState the frontend would send.

    async def click(self, proto) -> RunResult:
        """st.button: a trigger, sent with this one run only (the frontend resets it afterwards)."""
        state = WidgetState(id=proto.id)
        state.trigger_value = True
        try:
            return await self.set_state(state)
        finally:
            self.states.pop(proto.id, None)

    async def set_number(self, proto, value: float) -> RunResult:
        state = WidgetState(id=proto.id)
        state.double_value = float(value)
        return await self.set_state(state)

    async def set_slider(self, proto, *values: float) -> RunResult:
        """st.slider: one value, or two for a range."""
        state = WidgetState(id=proto.id)
        state.double_array_value.data.extend(float(v) for v in values)
        return await self.set_state(state)

    async def set_select_slider(self, proto, option: str) -> RunResult:
        """st.select_slider: the formatted option string (proto.options)."""
        state = WidgetState(id=proto.id)
        state.string_array_value.data.append(option)
        return await self.set_state(state)

    async def choose(self, proto, option: str) -> RunResult:
        """st.selectbox / st.radio: the formatted option string."""
        state = WidgetState(id=proto.id)
        state.string_value = option
        return await self.set_state(state)

    async def choose_segment(self, proto, *options: str) -> RunResult:
        """st.segmented_control / st.pills (a ButtonGroup): the formatted option strings."""
        state = WidgetState(id=proto.id)
        state.string_array_value.data.extend(options)
        return await self.set_state(state)

    async def edit_cell(self, proto, row: int, col: str, value) -> RunResult:
        """st.data_editor: one cell edit, merged into the editor's edited_rows as the grid component does."""
        old = self.states.get(proto.id)
        edits = json.loads(old.string_value) if old is not None else {"edited_rows": {}, "added_rows": [],
                                                                        "deleted_rows": []}
        edits["edited_rows"].setdefault(str(row), {})[str(col)] = value
        state = WidgetState(id=proto.id)
        state.string_value = json.dumps(edits)
        return await self.set_state(state)

    def type_text(self, proto, text: str) -> None:
        """st.text_input inside a form: the value is held and sent with the form's submit (no rerun now)."""
        state = WidgetState(id=proto.id)
        state.string_value = text
        self.states[proto.id] = state

    async def set_text(self, proto, text: str) -> RunResult:
        """st.text_input outside a form: Enter sends the value and reruns."""
        self.type_text(proto, text)
        return await self._rerun(self.fragment_of.get(proto.id, ""))

    def submit_button(self, form: str):
        """The submit button of the st.form with this key (found by its form, not its words)."""
        for _, proto in self.widgets("button"):
            if proto.is_form_submitter and proto.form_id == form:
                return proto
        raise SessionError("bench.error.no_widget", kind="button", key=form, label=None, page=self.page_name)

    def elements_of(self, kind: str):
        """Every element of one kind on the page (metric, alert, download_button, ...), in page order."""
        for path in sorted(self.elements):
            element = self.elements[path]
            if element.WhichOneof("type") == kind:
                yield getattr(element, kind)

    async def set_json(self, proto, value: dict) -> RunResult:
        """A Components v2 component's state (what its setStateValue sends): every state key, as JSON."""
        state = WidgetState(id=proto.id)
        state.json_value = json.dumps(value)
        return await self.set_state(state)
