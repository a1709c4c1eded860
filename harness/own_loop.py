"""asyncio.run in a thread of its own, for tests that drive the websocket protocol.

Why: in a pytest worker that has already run a browser test, Playwright keeps an event loop on the main
thread, and asyncio.run there fails ("cannot be called from a running event loop"); a fresh thread has none.
"""

import asyncio
import concurrent.futures


def run_in_own_loop(coroutine):
    """Run `coroutine` to its end on a new event loop in a new thread and return its result."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
