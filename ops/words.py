"""A phrase for a page to say in the reader's language: a catalog key and its values, no words of its own.

ops/ holds no words, yet some of its facts are phrases (a model's title, a device with its thread count).
It hands them over as Words; lessons.i18n says them, also when they are the value of another message's
placeholder ("Loading {model} …"). `n` is the count of a plural entry (msgid_plural).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Words:
    key: str
    params: dict = field(default_factory=dict, hash=False, compare=True)
    n: int | None = None
