"""Errors an exercise reports to the student: a message key and its params, never text in a language."""


class ExerciseError(ValueError):
    """Bad input to the exercise engine (unknown lesson, kind, level or seed); the page shows t(key, **params)."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


class AnswerError(ExerciseError):
    """A typed answer that is not a usable number, cell or choice (empty, text, NaN, too long, ...)."""


class ExerciseUnavailable(ExerciseError):
    """This kind cannot be generated here (e.g. the live demo's weights are absent); the page says why."""
