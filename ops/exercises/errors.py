"""Errors an exercise reports to the student: a message key and its params, never text in a language."""

from ops.errors import UserFacingError


class ExerciseError(UserFacingError, ValueError):
    """Bad input to the exercise engine (unknown lesson, kind, level or seed); the page shows t(key, **params).

    Also a ValueError: callers that check values catch it as one."""


class AnswerError(ExerciseError):
    """A typed answer that is not a usable number, cell or choice (empty, text, NaN, too long, ...)."""


class ExerciseUnavailable(ExerciseError):
    """This kind cannot be generated here (e.g. the live demo's weights are absent); the page says why."""
