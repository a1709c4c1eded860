"""An exercise, its verdict and its worked solution: plain data a page renders with t(key, **params).

The answer is computed by the lesson's own ops code when the exercise is built; the exercise keeps the
wrong answers of the usual mistakes (recomputed the wrong way) so that a wrong answer gets a hint aimed
at the mistake it matches.
"""

import math
from dataclasses import dataclass, field

from ops.exercises import answers
from ops.exercises.errors import AnswerError

NUMBER, INTEGER, CELL, CHOICE, CHOICES = "number", "integer", "cell", "choice", "choices"
ROUNDING = 0.005 + 1e-9  # an answer rounded to two decimals still counts


@dataclass(frozen=True)
class Verdict:
    correct: bool
    message: str  # message key: exercise.verdict.correct / .wrong, or an exercise.answer.* parse error
    message_params: dict = field(default_factory=dict)
    hint: str | None = None  # message key aimed at the recognised mistake (or the kind's general hint)
    hint_params: dict = field(default_factory=dict)

    @property
    def readable(self) -> bool:
        """False when the text could not be read as an answer (the page keeps the attempt unscored)."""
        return not self.message.startswith("exercise.answer.")


@dataclass(frozen=True)
class Solution:
    formula: str  # message key of the formula or rule, e.g. exercise.formula.tconv_size
    formula_params: dict
    steps: list  # plain data: dicts such as {"cell": [r, c], "value": v, "weight": w, "product": p}
    result: object  # the answer, JSON-able
    sentences: list  # [(message key, params), ...]: the solution in words


@dataclass(frozen=True)
class Mistake:
    hint: str  # message key
    value: object  # the answer this mistake gives
    params: dict = field(default_factory=dict)


@dataclass
class Exercise:
    params: dict  # plain JSON-able data: what the question shows
    answer: object  # float, int, (row, col), a choice key or a list of choice keys
    answer_type: str
    question: str  # message key of the question; its placeholders are in question_params
    question_params: dict
    hint: str  # general hint key when no mistake is recognised
    mistakes: list = field(default_factory=list)
    choices: tuple = ()
    abs_tol: float = ROUNDING
    rel_tol: float = 0.0
    solution_data: Solution | None = None
    lesson: str = ""  # filled in by registry.generate, with kind, seed and level
    kind: str = ""
    seed: int = 0
    level: str = "easy"

    # ------------------------------------------------------------------ reading and comparing
    def _read(self, text):
        if self.answer_type == NUMBER:
            return answers.parse_number(text)
        if self.answer_type == INTEGER:
            return answers.parse_integer(text)
        if self.answer_type == CELL:
            return answers.parse_cell(text)
        if self.answer_type == CHOICE:
            return answers.parse_choice(text, self.choices)
        return answers.parse_choices(text, self.choices, len(self.answer))

    def matches(self, given, target) -> bool:
        if self.answer_type == NUMBER:
            return math.isclose(given, target, rel_tol=self.rel_tol, abs_tol=self.abs_tol)
        if self.answer_type == CELL:
            return tuple(given) == tuple(target)
        if self.answer_type == CHOICES:
            return list(given) == list(target)
        return given == target

    def judge(self, given) -> Verdict:
        """The verdict for an already-read answer (a number, a cell tuple, a choice key)."""
        shown = list(given) if isinstance(given, tuple) else given
        if self.matches(given, self.answer):
            return Verdict(True, "exercise.verdict.correct", {"given": shown})
        for mistake in self.mistakes:
            if mistake.value is not None and self.matches(given, mistake.value):
                return Verdict(False, "exercise.verdict.wrong", {"given": shown}, mistake.hint, dict(mistake.params))
        return Verdict(False, "exercise.verdict.wrong", {"given": shown}, self.hint, {})

    def check(self, text) -> Verdict:
        """Read the typed text and judge it; unreadable text gives a verdict with the parse error's key."""
        try:
            given = self._read(text)
        except AnswerError as error:
            return Verdict(False, error.key, dict(error.params))
        return self.judge(given)

    def check_cell(self, row: int, col: int) -> Verdict:
        """A clicked cell (grid pickers)."""
        if self.answer_type != CELL:
            return Verdict(False, "exercise.answer.not_expected_cell")
        return self.judge((int(row), int(col)))

    def check_choice(self, choice: str) -> Verdict:
        """A picked option (radio buttons); a list of picks for a multi-part choice."""
        if self.answer_type == CHOICES:
            return self.check(", ".join(choice)) if not isinstance(choice, str) else self.check(choice)
        return self.check(str(choice))

    def solution(self) -> Solution:
        """The worked solution; numbers in its sentences rounded to 4 decimals for reading."""
        data = self.solution_data
        sentences = [(key, {name: round(v, 4) if isinstance(v, float) else v for name, v in params.items()})
                     for key, params in data.sentences]
        return Solution(data.formula, data.formula_params, data.steps, data.result, sentences)

    def to_dict(self) -> dict:
        """What a page or a URL needs to rebuild it: generate(lesson, seed, level, kind) gives it back."""
        return {"lesson": self.lesson, "kind": self.kind, "seed": self.seed, "level": self.level}
