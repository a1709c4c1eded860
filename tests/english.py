"""The English a student reads for an error or a note from ops: ops holds message keys, the catalog the words."""

from lessons import i18n


def english(message, params: dict | None = None) -> str:
    """An exception with `key` and `params`, or a (key, params) note, as lessons/en/messages.po words it."""
    if isinstance(message, tuple):
        message, params = message
    if isinstance(message, BaseException):
        assert hasattr(message, "key"), f"{type(message).__name__} carries no message key: {message}"
        message, params = message.key, message.params
    assert message in i18n.messages("en"), f"no English text for {message!r}"
    return i18n.t(message, "en", **(params or {}))
