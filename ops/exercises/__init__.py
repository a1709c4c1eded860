"""Practice: exercises generated from a seed, answered before the figure gives them away, checked by the
lesson's own ops code.

    from ops import exercises
    ex = exercises.generate("upsampling", seed=7, level="easy", kind="tconv-size")
    ex.params                   # plain JSON-able data the question shows
    verdict = ex.check("1,25")  # verdict.correct, verdict.message (+ message_params), verdict.hint (+ hint_params)
    ex.solution()               # formula key, steps (cells, weights, products), result, sentences (key, params)
    exercises.kinds("receptive-field")
"""

from ops.exercises.answers import (
           parse_cell,
           parse_choice,
           parse_choices,
           parse_integer,
           parse_number,
)
from ops.exercises.errors import AnswerError, ExerciseError, ExerciseUnavailable
from ops.exercises.model import Exercise, Mistake, Solution, Verdict
from ops.exercises.registry import LESSON_KINDS, LEVELS, generate, kinds, rebuild

__all__ = [
           "LESSON_KINDS",
           "LEVELS",
           "AnswerError",
           "Exercise",
           "ExerciseError",
           "ExerciseUnavailable",
           "Mistake",
           "Solution",
           "Verdict",
           "generate",
           "kinds",
           "parse_cell",
           "parse_choice",
           "parse_choices",
           "parse_integer",
           "parse_number",
           "rebuild",
]
