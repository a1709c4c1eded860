"""Every lesson's state, declared once: key, default, bounds and how it is written in the URL.

Like TensorFlow Playground's state table, this is the one place that says what a shared link can
carry. A page calls `state.init(slug)` first; its widgets then use the keys (no value=/index=), and
`state.share_state()` at the end writes whatever differs from the defaults into the URL with the encoders
declared here. A bad or hand-edited value in a link falls back to the default with a note on the page.

A default may be a function, for values known only on the running machine (the best device, the
models whose weights are present); a grid whose default depends on another grid (the encoder map of
max unpooling) gets its default from the page, which says so with `default=None`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from ops.device import available_devices, best_device
from ops.instances.inference import SCORE_THRESHOLD
from ops.lab.decoders import DECODERS
from ops.own_network.choices import PROJECT_MODELS, TINY
from ops.own_network.choices import SIZES as OWN_NETWORK_SIZES
from ops.segmentation.samples import SAMPLES
from ops.upsampling import OPERATORS
from ops.upsampling.checks import SCALES
from pages import ui


@dataclass(frozen=True)
class Setting:
    """One value of a lesson that a link can carry."""

    key: str
    default: Any  # a value, a function giving it, or None when the page supplies it
    choices: tuple | Callable | None = None
    lo: float | None = None
    hi: float | None = None
    grid_side: int | None = None  # a grid of numbers, at most this many rows and columns
    stack: bool = False  # a layer stack in its text form (ops.layer_stack.encode_stack)
    integer: bool = False  # a whole number within lo..hi whose default the page supplies (an exercise seed)

    def default_value(self):
        return self.default() if callable(self.default) else self.default

    def allowed(self):
        return tuple(self.choices()) if callable(self.choices) else self.choices

    def encode(self, value) -> str:
        return encode_grid(value) if self.grid_side else str(value)

    def decode(self, text: str):
        """The value a URL's text stands for; ValueError when it is not one this setting accepts."""
        if self.grid_side:
            return decode_grid(text, max_side=self.grid_side)
        if self.integer:
            return parse_plain(text, 0, None, self.lo, self.hi)
        if self.stack:
            from ops.layer_stack import decode_stack, encode_stack

            return encode_stack(decode_stack(text))
        default = self.default_value()
        return parse_plain(text, "" if default is None else default, self.allowed(), self.lo, self.hi)


def _names(table: dict) -> tuple:
    return tuple(table)


def _models_with_weights() -> tuple:
    """The live demo offers the models whose weights are on this machine ("" when there are none)."""
    from ops.segmentation import available_models

    return tuple(spec.name for spec in available_models()) or ("",)


STACK = Setting("stack", None, stack=True)  # shared by the two layer-stack lessons, no page prefix
PRESENT = Setting("present", False)  # presenter mode, on every page

LESSON_STATE: dict[str, tuple[Setting, ...]] = {
    "home": (),
    "segmentation": (Setting("segmentation.gap", 3, lo=-2, hi=6),),
    "sliding-window": (
        Setting("sliding-window.image", "pasture", choices=("pasture", "rocket", "astronaut", "chelsea", "coffee")),
        Setting("sliding-window.size", 64, choices=(32, 48, 64, 96, 128, 192, 256)),
        Setting("sliding-window.device", best_device, choices=available_devices),
        Setting("sliding-window.per_call", 1, choices=(1, 16, 256)),
    ),
    "per-pixel-loss": (
        Setting("per-pixel-loss.row", 1, lo=0, hi=7),
        Setting("per-pixel-loss.col", 1, lo=0, hi=7),
        Setting("per-pixel-loss.labels", [[0, 0, 0, 0], [0, 2, 2, 0], [1, 2, 2, 1], [1, 1, 1, 1]], grid_side=8),
        *(Setting(f"per-pixel-loss.logits.{name}", None, grid_side=8) for name in ("sky", "grass", "cow")),
    ),
    "full-resolution-cost": (
        Setting("full-resolution-cost.size", 256, choices=(32, 64, 128, 224, 256, 512, 1024)),
        STACK,
    ),
    "upsampling": (
        Setting("upsampling.op", "bilinear", choices=_names(OPERATORS)),
        Setting("upsampling.scale", 2, choices=tuple(SCALES)),
        Setting("upsampling.align_corners", False),
        Setting("upsampling.stride", 2, lo=1, hi=4),
        Setting("upsampling.padding", 1, lo=0, hi=6),
        Setting("upsampling.output_padding", 1, lo=0, hi=3),
        Setting("upsampling.dilation", 1, lo=1, hi=3),
        Setting("upsampling.row", 0, lo=0, hi=63),
        Setting("upsampling.col", 1, lo=0, hi=63),
        Setting("upsampling.grid", [[1, 2], [3, 4]], grid_side=8),
        Setting("upsampling.kernel", [[1, 1, 1], [1, 1, 1], [1, 1, 1]], grid_side=5),
        Setting("upsampling.encoder", None, grid_side=32),  # (H·s)×(W·s): its default follows the input
    ),
    "receptive-field": (
        Setting("receptive-field.grid", 32, choices=(16, 24, 32, 48, 64)),
        Setting("receptive-field.row", 16, lo=0, hi=63),
        Setting("receptive-field.col", 16, lo=0, hi=63),
        STACK,
    ),
    "things-and-stuff": (
        Setting("things-and-stuff.gap", 0, lo=-2, hi=6),
        Setting("things-and-stuff.scene", 5, lo=0, hi=9999),  # the instance lab's generated scene: two touching discs
        Setting("things-and-stuff.threshold", SCORE_THRESHOLD, lo=0.05, hi=0.95),  # its Mask R-CNN score threshold
    ),
    "live-demo": (
        Setting("live-demo.source", "sample", choices=("sample", "upload", "camera", "video")),
        Setting("live-demo.sample", "astronaut", choices=_names(SAMPLES)),
        Setting("live-demo.model", None, choices=_models_with_weights),  # default: the page's best present model
        Setting("live-demo.device", lambda: available_devices()[0], choices=available_devices),
        Setting("live-demo.half", False),
        Setting("live-demo.opacity", 0.6, lo=0.0, hi=1.0),
    ),
    "fcn-lab": (
        Setting("fcn-lab.train_images", 512, choices=(8, 32, 128, 256, 512, 1024, 2048)),
        Setting("fcn-lab.val_images", 128, choices=(8, 32, 64, 128, 256)),
        Setting("fcn-lab.seed", 0, lo=0, hi=9999),
        Setting("fcn-lab.decoder", "bilinear", choices=_names(DECODERS)),
        Setting("fcn-lab.skips", True),
        Setting("fcn-lab.epochs", 6, lo=1, hi=30),
        Setting("fcn-lab.batch", 32, choices=(8, 16, 32, 64)),
        Setting("fcn-lab.lr", 0.004, choices=(0.001, 0.002, 0.004, 0.008)),
        Setting("fcn-lab.compare_epochs", 3, lo=1, hi=15),
    ),
    "own-network": (
        Setting("own-network.source", "project", choices=("project", "upload")),
        Setting("own-network.model", TINY, choices=PROJECT_MODELS),
        Setting("own-network.size", 256, choices=OWN_NETWORK_SIZES),
    ),
}



def _practice(slug: str) -> tuple[Setting, ...]:
    """The "Try it yourself" section's state: exercise seed (a fresh random one when absent), level, kind."""
    from ops.exercises import LEVELS, kinds
    from ops.exercises.registry import MAX_SEED

    if not kinds(slug):
        return ()
    return (
        Setting(f"{slug}.ex", None, lo=0, hi=MAX_SEED, integer=True),  # pages/practice.py draws a missing one
        Setting(f"{slug}.level", "easy", choices=LEVELS),
        Setting(f"{slug}.kind", "", choices=("", *kinds(slug))),
    )


LESSON_STATE = {slug: table + _practice(slug) for slug, table in LESSON_STATE.items()}

SETTINGS: dict[str, Setting] = {s.key: s for table in LESSON_STATE.values() for s in table} | {"present": PRESENT}


def setting(key: str) -> Setting:
    return SETTINGS[key]


def choices(key: str) -> list:
    """The options a widget offers for this setting (a selectbox's list)."""
    return list(SETTINGS[key].allowed())


def init(slug: str, **defaults) -> None:
    """Give every setting of the lesson its starting value (from the link when valid), before any widget.

    `defaults` supplies the values declared `None` here, e.g. ``init("live-demo", **{"live-demo.model": m})``.
    """
    for item in LESSON_STATE[slug]:
        if item.default is None and item.key not in defaults:
            continue  # initialised where the page knows its default: init_setting, a grid or stack editor
        init_state(item.key, defaults.get(item.key, item.default_value()), decode=item.decode)


def from_browser(items) -> tuple[dict, list[str]]:
    """What a lesson's browser component sent, read as a link would be (the browser is not trusted): `items`
    are (name, setting key, value); returns ({setting key: value} a link may carry, [names refused])."""
    values, refused = {}, []
    for name, key, value in items:
        setting = SETTINGS[key]
        try:
            values[key] = setting.decode(setting.encode(value))
        except (ValueError, TypeError, OverflowError):
            refused.append(name)
    return values, refused


def init_setting(key: str, default=None) -> None:
    """One setting, for a page that knows its default only now (e.g. the encoder grid, which follows the input)."""
    item = SETTINGS[key]
    init_state(key, item.default_value() if default is None else default, decode=item.decode)


# ---------------------------------------------------------------------------
# Lesson state in the URL (TensorFlow Playground style): a teacher shares a preset by link.
#
# What a lesson's link can carry is declared once, in the table above. Pattern for a page:
#     state.init(SLUG)                                                    # first thing
#     st.selectbox(ui.t("upsampling.operator"), options, key="upsampling.op")  # no value= / index=
#     ...
#     state.share_state()                                                    # at the end of the page
# A bad or hand-edited value in the URL falls back to the default with a note on the page.

_SHARED = "_url_keys"  # session_state: keys that live in the URL
_BAD = "_url_bad"  # session_state: URL values that were refused, shown once


def parse_plain(raw: str, default, choices=None, lo=None, hi=None):
    """A URL's text as a value of the default's type (bool, int, float, str) within choices or bounds."""
    if isinstance(default, bool):
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError(raw)
    if isinstance(default, int):
        value = int(raw)
    elif isinstance(default, float):
        value = float(raw)
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(raw)
    else:
        value = raw
    if choices is not None and value not in choices:
        raise ValueError(raw)
    if lo is not None and value < lo or hi is not None and value > hi:
        raise ValueError(raw)
    return value


def init_state(key: str, default, *, choices=None, lo=None, hi=None, decode=None):
    """Give a widget (or any lesson value) its starting value: from the URL if valid, else `default`.

    `decode` turns the URL string into a value (raise ValueError when it is not usable), for
    values that are not plain str/int/float/bool, such as grids (see encode_grid/decode_grid).
    """
    st.session_state.setdefault(_SHARED, {})[key] = default
    if key in st.session_state:
        return st.session_state[key]
    value = default
    raw = st.query_params.get(key)
    if raw is not None:
        try:
            value = decode(raw) if decode else parse_plain(raw, default, choices, lo, hi)
        except (ValueError, TypeError, OverflowError):
            st.session_state.setdefault(_BAD, []).append(key)
    st.session_state[key] = value
    return value


def encode_grid(values) -> str:
    """A 2-D grid as URL text: rows split by ';', cells by ','. [[1,2],[3,4]] -> '1,2;3,4'."""
    return ";".join(",".join(f"{float(v):g}" for v in row) for row in values)


def decode_grid(text: str, max_side: int = 16) -> list[list[float]]:
    """Inverse of encode_grid; raises ValueError for ragged, empty, non-finite or oversized grids."""
    rows = [[float(cell) for cell in row.split(",")] for row in text.split(";")]
    if not rows or not rows[0] or any(len(r) != len(rows[0]) for r in rows):
        raise ValueError("grid must be rectangular")
    if len(rows) > max_side or len(rows[0]) > max_side:
        raise ValueError("grid too large")
    if any(v != v or abs(v) > 1e6 for r in rows for v in r):
        raise ValueError("grid values must be finite numbers")
    return rows


def share_state() -> None:
    """Write the lesson state that differs from its defaults into the URL; note refused URL values.

    It runs on every debounced push of a lesson's browser component, so it reads the URL once and writes
    all changed keys with one update (one message to the browser), never one write per key."""
    session = st.session_state
    page = session.get("_page_slug")
    in_url = st.query_params.to_dict()
    changed, dropped = {}, []
    for key, default in session.get(_SHARED, {}).items():
        scope = key.split(".")[0] if "." in key else None
        if scope is not None and scope != page or key not in session:
            continue  # another page's state stays out of this page's link
        encode = SETTINGS[key].encode if key in SETTINGS else str
        text = encode(session[key])
        if text == encode(default):  # defaults stay out of the link: short URLs for the usual case
            if key in in_url:
                dropped.append(key)
        elif in_url.get(key) != text:
            changed[key] = text
    for key in dropped:
        del st.query_params[key]
    if changed:
        st.query_params.update(changed)
    bad = st.session_state.pop(_BAD, [])
    if bad:
        st.info(ui.t("ui.some_settings_link_could_not") + ", ".join(sorted(set(bad))), icon=":material/link_off:")
