"""The tiny component that hands the server what a lesson's big browser component announces.

A lesson's component lives outside any fragment and never sends its state itself: a send reruns the
fragment the sender lives in, and that rerun would resend the whole component (script, words, data). It
announces its debounced state on a window event instead (state_sync.js), and this component, alone in the
lesson's fragment with what the server adds, passes it on. A rerun then resends a few hundred bytes.
"""

from pages.components import register


def state_sync(channel: str, *, key: str, name: str = "state", on_change) -> object:
    """Mount the sync for `channel` (in the lesson's fragment); `on_change` runs when state `name` arrives,
    which is then in st.session_state[key][name]. Returns that last value (None before the first edit)."""
    mount = register("state_sync", ("state_sync.js",))
    result = mount(key=key, data={"channel": channel}, default={name: None}, **{f"on_{name}_change": on_change})
    return result.get(name) if hasattr(result, "get") else getattr(result, name, None)
