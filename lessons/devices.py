"""A compute device named in the reader's language ("CPU (1 thread)", "CPU（2 个线程）", the GPU's own name).

ops.device.describe says which device it is as a message key and values; the words are the catalogs'.
"""

from lessons import i18n
from ops.device import describe


def device_text(device: str, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    key, params = describe(device)
    if "n" in params:
        return i18n.tn(key, params.pop("n"), lang, **params)
    return i18n.t(key, lang, **params)
