"""Instant grids: what a hand on a small-grid lesson's grid feels, beside its floor, in one run.

Every figure is printed next to the same measure of a trivial Streamlit app that this script writes and
starts itself (one st.data_editor -> one plotly heatmap): this machine's absolute times drift, the ratio
does not. Debian's Chromium through Playwright (never a downloaded browser), servers on loopback started
here (the README's command and the shipped config) and stopped by their pid.

1. Chromium, cell edit -> every figure that shows it redrawn (the page's own clock: keydown of Enter to
   the last DOM change of the drawing, then one animation frame so it is painted).
2. Chromium, page opened -> first figure drawn (navigation start to the first drawn grid / plotly SVG).
3. Server CPU per grid edit: process CPU time (/proc) / edits, while headless tabs edit a cell every 0.6 s.
4. A class: N websocket sessions (bench/ws_session.py, the browser's own protocol) open the lesson's page
   and send the grid's state every few seconds, as the component's debounced push does, for S seconds:
   page opens p50/p95, failures, and the server's CPU share.

    .venv/bin/python bench/bench_instant_grids.py                       # everything, 100 students x 90 s
    .venv/bin/python bench/bench_instant_grids.py --students 30 --seconds 30 --edits 9
    .venv/bin/python bench/bench_instant_grids.py --lesson per-pixel-loss --students 0
    .venv/bin/python bench/bench_instant_grids.py --cpu-only --before /tmp/before   # server CPU per edit only,
        # (--lesson receptive-field | full-resolution-cost: --cpu-only only; their edit steps a kernel)
        # beside the same measure of another checkout (e.g. `git worktree add --detach /tmp/before HEAD~1`)

Server CPU per edit is split in `--cpu-only`: the server's background CPU with the tab open and nobody
editing (ms per second: Streamlit's config-file pollers and uvicorn's tick, the same for any app), and what
each push adds; the counts beside it (websocket frames sent and received, HTTP requests per edit) say what
a push costs the server in messages, not only in time.
"""

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness.chromium import CHROMIUM, CHROMIUM_FLAGS, edit_cell, settle  # noqa: E402
from harness.local_server import ROOT, serve  # noqa: E402
from harness.own_loop import run_in_own_loop  # noqa: E402

FLOOR_APP = textwrap.dedent('''
    """The floor: the least a Streamlit round trip costs for an edited grid redrawn as a figure."""
    import pandas as pd
    import plotly.graph_objects as go
    import streamlit as st

    st.title("Floor")
    # text cells, as the lessons' grids had: whatever is typed reaches the script
    grid = st.data_editor(pd.DataFrame([["1", "2"], ["3", "4"]], columns=["0", "1"]), key="grid")
    values = pd.to_numeric(grid.stack(), errors="coerce").unstack().values
    st.plotly_chart(go.Figure(go.Heatmap(z=values, text=values, texttemplate="%{text}")), key="fig")
''')

# The floor of a state push: the least a Components v2 component's debounced state costs the server (one
# tiny component in a fragment that writes what it hears into the URL).
FLOOR_COMPONENT_APP = textwrap.dedent('''
    """The floor of a push: a tiny Components v2 component in a fragment, its state written into the URL."""
    import streamlit as st

    tiny = st.components.v2.component(
        "floor.tiny",
        js="export default function (c) { c.parentElement.textContent = JSON.stringify(c.data); }",
    )


    @st.fragment
    def part():
        result = tiny(key="tiny", data={"n": 1}, default={"state": None}, on_state_change=lambda: None)
        state = result.state or {}
        st.query_params["grid"] = str(state.get("grid"))


    st.title("Floor")
    part()
''')

class Lesson:
    """A small-grid lesson as the bench drives it: its page, the grids a student types into and reads (their
    ARIA names in English), the digit typed at the n-th edit, and where its state's first cell lives."""

    def __init__(self, page, input_grid, output_grid, digit, component, state_cell):
        self.page, self.digit, self.component, self.state_cell = page, digit, component, state_cell
        self.input = f'[role="grid"][aria-label="{input_grid}"]'
        self.output = f'[role="grid"][aria-label="{output_grid}"]'
        self.ready = self.output  # drawn once the page's component has drawn

    def edit(self, tab, n: int) -> None:
        """The n-th edit of a student: a digit typed into the input grid's first cell, then Enter."""
        tab.locator(f"{self.input} [role='gridcell']").first.focus()
        tab.keyboard.type(self.digit(n))
        tab.keyboard.press("Enter")


class StackLesson:
    """A layer-stack lesson (receptive field, full-resolution cost): a student steps layer 1's kernel with the
    arrow keys (3 -> 5 -> 3 ...); its fragment's sync sends the stack as `edit`."""

    def __init__(self, page, slug):
        self.page, self.slug = page, slug
        self.ready = ".ls-table"
        self.component = f"{slug}.layer_stack"

    def edit(self, tab, n: int) -> None:
        kernel = tab.get_by_label("Layer 1: kernel k")
        kernel.focus()
        kernel.press("ArrowUp" if n % 2 else "ArrowDown")


LESSONS = {
    "upsampling": Lesson("upsampling_explorer", "Input grid", "Output grid", lambda n: str(5 + n % 4),
                         "upsampling", ("grid", 5.0)),
    "per-pixel-loss": Lesson("per_pixel_loss", "Input grid: true label per pixel", "Output grid: loss per pixel",
                             lambda n: str((n + 1) % 3), "per-pixel-loss", ("labels", 0)),
    "receptive-field": StackLesson("receptive_field", "receptive-field"),
    "full-resolution-cost": StackLesson("full_resolution_cost", "full-resolution-cost"),
}
LESSON = LESSONS["upsampling"]  # --lesson changes it
# The component's drawings live in its shadow root; these find them from the page.
DEEP = """
window.__deepAll = (selector) => {
    const found = [];
    const walk = (root) => {
        found.push(...root.querySelectorAll(selector));
        for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
    };
    walk(document);
    return found;
};
"""
PLOTLY = '[data-testid="stPlotlyChart"] .main-svg'

# Records the time of the last DOM change under any observed root (the document and every shadow root).
OBSERVE = DEEP + """
window.__changed = 0;
window.__observe = () => {
    const observer = new MutationObserver(() => { window.__changed = performance.now(); });
    const roots = [document.body];
    for (const el of document.querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
    for (const root of roots)
        observer.observe(root, {subtree: true, childList: true, attributes: true, characterData: true});
};
window.__enterAt = 0;
document.addEventListener('keydown', e => { if (e.key === 'Enter') window.__enterAt = performance.now(); }, true);
"""
# Resolves when no DOM change has happened for `quiet` ms (or after `limit` ms), then one frame later.
SETTLED = """([quiet, limit]) => new Promise(resolve => {
    const began = performance.now();
    const poll = () => {
        const now = performance.now();
        if ((window.__changed && now - window.__changed >= quiet) || now - began > limit)
            requestAnimationFrame(() => resolve(window.__changed));
        else setTimeout(poll, 5);
    };
    poll();
})"""


def _cpu_seconds(pid: int) -> float:
    """CPU time of a process, all its threads (the finished script-run threads too), in nanoseconds from the
    kernel's clock of that process (Linux: MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED)); /proc's user +
    system time counts in 10 ms ticks, too coarse for a few ms per edit, and is the fallback."""
    try:
        return time.clock_gettime((~pid << 3) | 2)
    except OSError:
        pass
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_idle(pid: int, share: float = 0.03, window: float = 2.0, limit: float = 600.0) -> float:
    """Wait until the server uses under `share` of a core over `window` seconds (its warm-up thread has
    finished: a class opens the app minutes before the lesson), so CPU per edit counts only the edits.
    Returns the seconds waited."""
    began = time.perf_counter()
    while time.perf_counter() - began < limit:
        before = _cpu_seconds(pid)
        time.sleep(window)
        if (_cpu_seconds(pid) - before) / window < share:
            break
    return time.perf_counter() - began


def _browser(pw):
    return pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)


def time_open(browser, url: str, selector: str, repeats: int) -> list[float]:
    """ms from navigation start to the first `selector` drawn (a figure: a grid the component drew, or a
    plotly chart, whichever comes first), in a fresh tab each time."""
    times = []
    for _ in range(repeats):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        tab = context.new_page()
        try:
            tab.add_init_script(DEEP)
            tab.goto(url)
            tab.wait_for_function(f"() => window.__deepAll({json.dumps(selector)}).length > 0", timeout=120_000)
            times.append(tab.evaluate("performance.now()"))
        finally:
            context.close()
    return times


def floor_edits(browser, url: str, edits: int, pid: int | None = None, pause_ms: int = 0) -> tuple[list, float]:
    """Trivial app: ms from Enter in cell (0, 0) to the heatmap's last redraw, and the server's CPU seconds
    spent during the edits (from the first edit to 1 s after the last; the page's opening is not counted)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    times = []
    try:
        tab.add_init_script(OBSERVE)
        tab.goto(url)
        tab.wait_for_selector(PLOTLY, timeout=60_000)
        settle(tab)
        tab.evaluate("window.__observe()")
        cpu = _cpu_seconds(pid) if pid else 0.0
        for n in range(edits):
            # edit_cell types, presses Enter and waits for the page to settle; the observer saw the redraw
            edit_cell(tab, 0, 0, str(5 + n % 4))
            tab.evaluate(SETTLED, [300, 5000])
            times.append(tab.evaluate("window.__changed - window.__enterAt"))
            if pause_ms:
                tab.wait_for_timeout(pause_ms)
        tab.wait_for_timeout(1000)
        cpu = _cpu_seconds(pid) - cpu if pid else 0.0
    finally:
        context.close()
    return times, cpu


def grid_edits(browser, url: str, edits: int, pid: int | None = None, pause_ms: int = 0) -> tuple[list, float]:
    """The lesson's page: ms from Enter in input cell (0, 0) to the drawing's last change, painted; and the
    server's CPU seconds during the edits (the component's debounced pushes; the page's opening not counted)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    times = []
    try:
        tab.add_init_script(OBSERVE)
        tab.goto(f"{url}/{LESSON.page}")
        tab.wait_for_function(f"() => window.__deepAll({json.dumps(LESSON.output)}).length > 0", timeout=120_000)
        settle(tab)
        tab.evaluate("window.__observe()")
        cell = tab.locator(f"{LESSON.input} [role='gridcell']").first
        cpu = _cpu_seconds(pid) if pid else 0.0
        for n in range(edits):
            cell.focus()
            tab.keyboard.type(LESSON.digit(n))
            tab.evaluate("window.__changed = 0")
            tab.keyboard.press("Enter")
            last = tab.evaluate(SETTLED, [100, 3000])
            times.append(last - tab.evaluate("window.__enterAt"))
            if pause_ms:
                tab.wait_for_timeout(pause_ms)
        tab.wait_for_timeout(1000)  # the last debounced push
        cpu = _cpu_seconds(pid) - cpu if pid else 0.0
    finally:
        context.close()
    return times, cpu


def isolated_edits(browser, url: str, pid: int, edits: int, pause_ms: int, idle_s: float = 5.0) -> dict:
    """One tab on the lesson's page: the server's CPU over `idle_s` with nobody editing, then over `edits` edits
    `pause_ms` apart (each debounced push, or one push for edits typed faster than the debounce), and what the
    browser sent and received meanwhile (websocket frames, HTTP requests)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    seen = {"sent": 0, "received": 0, "requests": 0}
    counting = [False]

    def count(name):
        def on_event(*_):
            if counting[0]:
                seen[name] += 1
        return on_event

    tab.on("websocket", lambda ws: (ws.on("framesent", count("sent")), ws.on("framereceived", count("received"))))
    tab.on("request", count("requests"))
    try:
        tab.add_init_script(OBSERVE)
        tab.goto(f"{url}/{LESSON.page}")
        tab.wait_for_function(f"() => window.__deepAll({json.dumps(LESSON.ready)}).length > 0", timeout=120_000)
        settle(tab)
        wait_idle(pid)
        before, began = _cpu_seconds(pid), time.perf_counter()
        time.sleep(idle_s)
        idle_rate = (_cpu_seconds(pid) - before) / (time.perf_counter() - began)
        counting[0] = True
        before, began = _cpu_seconds(pid), time.perf_counter()
        for n in range(edits):
            LESSON.edit(tab, n + 1)
            tab.wait_for_timeout(pause_ms)
        tab.wait_for_timeout(1000)  # the last debounced push
        spent, elapsed = _cpu_seconds(pid) - before, time.perf_counter() - began
        counting[0] = False
    finally:
        context.close()
    return {"cpu": spent, "elapsed": elapsed, "idle_rate": idle_rate, **seen}


def cpu_breakdown(browser, url: str, pid: int, tabs: int, edits: int, pause_ms: int) -> dict:
    """Server CPU per edit over `tabs` tabs (one after another): in all, the idle background's share, the rest
    (what the pushes cost), and per edit: websocket frames sent (pushes) and received, HTTP requests."""
    runs = [isolated_edits(browser, url, pid, edits, pause_ms) for _ in range(tabs)]
    n = tabs * edits
    cpu = sum(r["cpu"] for r in runs)
    background = sum(r["idle_rate"] * r["elapsed"] for r in runs)
    return {"per_edit": cpu * 1000 / n, "background_per_edit": background * 1000 / n,
            "pushes_per_edit": (cpu - background) * 1000 / n,
            "idle_ms_per_s": 1000 * sum(r["idle_rate"] for r in runs) / tabs,
            "sent": sum(r["sent"] for r in runs) / n, "received": sum(r["received"] for r in runs) / n,
            "requests": sum(r["requests"] for r in runs) / n}


def cpu_only(args) -> None:
    """Server CPU per edit, isolated (1 s apart) and typing (250 ms apart), for this checkout and, with
    --before, another one, served one after the other with the same browser, printed side by side."""
    from playwright.sync_api import sync_playwright

    roots = [("this checkout", None)] + ([("--before " + args.before, Path(args.before) / "app.py")]
                                         if args.before else [])
    results = {}
    with sync_playwright() as pw:
        browser = _browser(pw)
        try:
            for label, script in roots:
                with serve(script=script) as (url, process):
                    push_cost(url, process.pid, LESSON.page, grid_state, 1)  # starts the warm-up thread
                    wait_idle(process.pid)
                    time_open(browser, f"{url}/{LESSON.page}", LESSON.ready, 1)  # warms the page
                    results[label] = {pause: cpu_breakdown(browser, url, process.pid, args.tabs, args.edits, pause)
                                      for pause in (1000, 250)}
                    results[label]["push"] = push_cost(url, process.pid, LESSON.page, grid_state, args.pushes)
        finally:
            browser.close()
    print(f"\nServer CPU per edit on {LESSON.page}, Chromium (Debian's, headless), {args.tabs} tabs x {args.edits} "
          f"edits; load average {os.getloadavg()[0]:.1f} at the end (2 cores)")
    print(f"{'':<52}" + "".join(f"{label[:30]:>32}" for label in results) + "   goal")
    rows = [("in all, per edit", "per_edit", "ms", "<= 5 ms"),
            ("  background (server idle, tab open), per edit", "background_per_edit", "ms", ""),
            ("  the push itself (the rest), per edit", "pushes_per_edit", "ms", ""),
            ("  background CPU, ms per second", "idle_ms_per_s", "ms/s", ""),
            ("  websocket frames sent per edit (pushes)", "sent", "", ""),
            ("  websocket frames received per edit", "received", "", ""),
            ("  HTTP requests per edit", "requests", "", "")]
    for pause, name in ((1000, "isolated edits, 1 s apart"), (250, "typing, edits 250 ms apart")):
        print(name)
        for label, key, unit, goal in rows:
            print(f"  {label:<50}" + "".join(f"{r[pause][key]:>28.2f} {unit:<3}" for r in results.values())
                  + f"   {goal}")
    print(f"{'state push over the websocket (no browser)':<52}"
          + "".join(f"{r['push']:>28.2f} ms " for r in results.values()))


def cpu_per_edit(browser, url: str, pid: int, edit, tabs: int, edits: int, pause_ms: int) -> float:
    """Server CPU ms per edit while `tabs` tabs, one after another, each make `edits` edits `pause_ms` apart."""
    spent = sum(edit(browser, url, edits, pid, pause_ms)[1] for _ in range(tabs))
    return spent * 1000 / max(tabs * edits, 1)


async def _student(url: str, index: int, args, tally: dict, stop_at: float) -> None:
    from bench.ws_session import Session, SessionError

    session = Session(url, timeout=60)
    try:
        await session.connect()
        opened = await session.open(LESSON.page)
        tally["opens"].append(opened.seconds)
        tally["exceptions"] += len(opened.exceptions)
        initial, component = push_target(session)
        n = 0
        while time.perf_counter() < stop_at:
            await asyncio.sleep(args.every)
            n += 1
            result = await session.set_json(component, grid_state(initial, index, n))
            tally["pushes"].append(result.seconds)
            tally["exceptions"] += len(result.exceptions)
    except SessionError as error:
        tally["failed"] += 1
        tally["errors"].append(str(error)[:160])
    finally:
        await session.close()


def push_target(session) -> tuple[dict, object]:
    """(the lesson component's first state, the component that sends to the server): the lesson's component
    announces its state and the small state_sync component sends it; a floor app has one component."""
    from bench.ws_session import SessionError

    if isinstance(LESSON, StackLesson):
        component = session.find("bidi_component", key=LESSON.component)
        return json.loads(component.json), session.find("bidi_component", key=f"{LESSON.component}.sync")
    try:
        lesson = session.find("bidi_component", key=f"{LESSON.component}.component")
        return json.loads(lesson.json)["initial"], session.find("bidi_component", key=f"{LESSON.component}.sync")
    except SessionError:
        return {}, session.find("bidi_component")


def grid_state(initial: dict, index: int, n: int) -> dict:
    """What the component pushes after an edit (debounced): its whole state, here the page's first state with
    the input grid's top-left cell changed."""
    if isinstance(LESSON, StackLesson):  # layer 1's kernel stepped 3 -> 5 -> 3, as the arrow keys do
        first, _, rest = initial["stack"].partition("-")
        return {"edit": {"stack": "-".join([first.replace("c3", f"c{3 + 2 * ((index + n) % 2)}", 1), rest])}}
    state = json.loads(json.dumps(initial))
    name, base = LESSON.state_cell
    state[name][0][0] = type(base)(base + (index + n) % 3)
    return {"state": state}


async def _class(url: str, args, tally: dict) -> None:
    stop_at = time.perf_counter() + args.seconds
    tasks = []
    for index in range(args.students):
        tasks.append(asyncio.create_task(_student(url, index, args, tally, stop_at)))
        await asyncio.sleep(args.ramp / max(args.students, 1))
    await asyncio.gather(*tasks)


def class_load(url: str, pid: int, args) -> dict:
    tally = {"opens": [], "pushes": [], "failed": 0, "exceptions": 0, "errors": []}
    before, began = _cpu_seconds(pid), time.perf_counter()
    asyncio.run(_class(url, args, tally))
    tally["cpu_share"] = (_cpu_seconds(pid) - before) / (time.perf_counter() - began)
    return tally


async def _push_cost(url: str, pid: int, page: str, make_state, pushes: int) -> float:
    """Server CPU ms per component state push over the websocket (what the debounced browser sends)."""
    from bench.ws_session import Session

    session = Session(url, timeout=60)
    await session.connect()
    try:
        await session.open(page)
        initial, component = push_target(session)
        for n in range(3):  # first pushes warm what a push touches
            await session.set_json(component, make_state(initial, 0, n))
        before = _cpu_seconds(pid)
        for n in range(pushes):
            await session.set_json(component, make_state(initial, 0, n + 3))
        return (_cpu_seconds(pid) - before) * 1000 / pushes
    finally:
        await session.close()


def push_cost(url: str, pid: int, page: str, make_state, pushes: int) -> float:
    """In a thread of its own: Playwright's sync API may hold an event loop on this one."""
    return run_in_own_loop(_push_cost(url, pid, page, make_state, pushes))


def _stats(values: list[float]) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"median {statistics.median(ordered):.0f} ms (p95 {p95:.0f}, n={len(ordered)})"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edits", type=int, default=9, help="cell edits per measurement")
    parser.add_argument("--opens", type=int, default=3, help="fresh tabs per page-open measurement")
    parser.add_argument("--tabs", type=int, default=3, help="tabs editing while server CPU is measured")
    parser.add_argument("--lesson", choices=list(LESSONS), default="upsampling")
    parser.add_argument("--pushes", type=int, default=40, help="state pushes per push-cost measurement")
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=90.0)
    parser.add_argument("--every", type=float, default=3.0, help="seconds between a student's pushes")
    parser.add_argument("--ramp", type=float, default=10.0, help="seconds over which the students arrive")
    parser.add_argument("--cpu-only", action="store_true", help="only server CPU per edit, with its breakdown")
    parser.add_argument("--before", help="with --cpu-only: another checkout (its app.py) measured beside this one")
    args = parser.parse_args(argv)
    global LESSON
    LESSON = LESSONS[args.lesson]
    if not Path(CHROMIUM).exists():
        sys.exit(f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    if args.cpu_only:
        return cpu_only(args)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        floor_script = Path(folder) / "floor_app.py"
        floor_script.write_text(FLOOR_APP)
        component_script = Path(folder) / "floor_component_app" / "app.py"
        component_script.parent.mkdir()
        component_script.write_text(FLOOR_COMPONENT_APP)
        for app_folder in (Path(folder), component_script.parent):  # the floors run with the shipped config too
            (app_folder / ".streamlit").mkdir()
            shutil.copy(ROOT / ".streamlit" / "config.toml", app_folder / ".streamlit" / "config.toml")
        with serve(script=component_script) as (tiny_url, tiny_process):
            wait_idle(tiny_process.pid)
            tiny_push = push_cost(tiny_url, tiny_process.pid, "",
                                  lambda initial, i, n: {"state": {"grid": [[float(n)]]}}, args.pushes)
        with serve(script=floor_script) as (floor_url, floor_process), serve() as (url, process):
            push_cost(url, process.pid, LESSON.page, grid_state, 1)  # the first request starts the warm-up thread
            print(f"waited {wait_idle(process.pid):.0f} s for the server's warm-up to finish", flush=True)
            page_push = push_cost(url, process.pid, LESSON.page, grid_state, args.pushes)
            with sync_playwright() as pw:
                browser = _browser(pw)
                try:
                    time_open(browser, floor_url, PLOTLY, 1)  # the first open of each server warms it
                    time_open(browser, f"{url}/{LESSON.page}", LESSON.output, 1)
                    floor_open = time_open(browser, floor_url, PLOTLY, args.opens)
                    page_open = time_open(browser, f"{url}/{LESSON.page}", f"{LESSON.output}, {PLOTLY}", args.opens)
                    floor_edit = floor_edits(browser, floor_url, args.edits)[0]
                    page_edit = grid_edits(browser, url, args.edits)[0]
                    cpu = {pause: (cpu_per_edit(browser, url, process.pid, grid_edits, args.tabs, args.edits, pause),
                                   cpu_per_edit(browser, floor_url, floor_process.pid, floor_edits, args.tabs,
                                                args.edits, pause))
                           for pause in (250, 1000)}
                finally:
                    browser.close()
            load = class_load(url, process.pid, args) if args.students else None

    ratio = statistics.median(page_edit) / statistics.median(floor_edit)
    open_ratio = statistics.median(page_open) / statistics.median(floor_open)
    print("\nInstant grids, Chromium (Debian's, headless), one run; the floor is a trivial Streamlit app "
          "(one data editor -> one plotly heatmap)")
    print(f"{'':<42}{LESSON.page + ' page':>34}{'floor':>34}{'ratio':>8}   goal")
    print(f"{'cell edit -> figures redrawn':<42}{_stats(page_edit):>34}{_stats(floor_edit):>34}{ratio:>8.2f}"
          "   <= 50 ms and <= 0.15x")
    print(f"{'page opened -> first figure':<42}{_stats(page_open):>34}{_stats(floor_open):>34}{open_ratio:>8.2f}"
          "   <= 1.3x")
    for pause, (page_cpu, floor_cpu) in cpu.items():
        label = f"server CPU per edit, edits {pause} ms apart"
        print(f"{label:<42}{page_cpu:>31.1f} ms{floor_cpu:>31.1f} ms{page_cpu / max(floor_cpu, 1e-9):>8.2f}"
              "   <= 5 ms")
    print(f"{'server CPU per state push (websocket)':<42}{page_push:>31.1f} ms{tiny_push:>31.1f} ms"
          f"{page_push / max(tiny_push, 1e-9):>8.2f}   (floor: a tiny component in a fragment)")
    if load:
        print(f"\n{args.students} students on {LESSON.page}, a push every {args.every:g} s for {args.seconds:g} s "
              f"(arriving over {args.ramp:g} s), one server:")
        print(f"  page opens {_stats([s * 1000 for s in load['opens']])}   goal p95 <= 3000 ms")
        print(f"  state pushes {_stats([s * 1000 for s in load['pushes']])}")
        print(f"  failed {load['failed']}, exceptions {load['exceptions']}   goal 0")
        print(f"  server CPU {load['cpu_share']:.2f} of a core   goal < 0.5")
        for error in load["errors"][:5]:
            print(f"  error: {error}")


if __name__ == "__main__":
    main()
