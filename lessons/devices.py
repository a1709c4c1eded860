"""A compute device named in the reader's language ("CPU (1 thread)", "CPU（2 个线程）", the GPU's own name).

ops.device.describe says which device it is as Words (a key and values); the words are the catalogs'.
"""

from lessons import i18n
from ops.device import describe


def device_text(device: str, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    return i18n.say(describe(device), lang)
