"""Errors a person can fix, told in the page in their language.

ops/ holds no words: an error that a page shows carries a message key of lessons/<lang>/messages.po and
the values for its placeholders. `str(error)` is the key and values, for logs and tracebacks.
"""


class UserFacingError(Exception):
    """Raised for input or circumstances a student can act on; pages translate `key` with `params`."""

    def __init__(self, key: str, **params):
        super().__init__(f"{key} {params}" if params else key)
        self.key = key
        self.params = params
