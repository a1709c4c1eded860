"""What can go wrong in a live class: each error carries a message key and its params, never text.

Pages translate `error.key` with `ui.t(error.key, **error.params)`; nothing here is shown as a traceback.
"""


class ClassroomError(Exception):
    """Base of every classroom error: `key` names the message in lessons/<lang>/messages.po."""

    key = "classroom.error.generic"

    def __init__(self, **params):
        self.params = params
        super().__init__(f"{self.key} {params}" if params else self.key)


class UnknownClass(ClassroomError):
    key = "classroom.error.unknown_class"  # params: code


class ClassEnded(ClassroomError):
    key = "classroom.error.class_ended"  # params: code


class WrongTeacherKey(ClassroomError):
    key = "classroom.error.wrong_teacher_key"


class UnknownStudent(ClassroomError):
    key = "classroom.error.unknown_student"


class UnknownQuestion(ClassroomError):
    key = "classroom.error.unknown_question"  # params: question


class NotRevealed(ClassroomError):
    key = "classroom.error.not_revealed"  # params: question


class RateLimited(ClassroomError):
    key = "classroom.error.rate_limited"  # params: seconds


class AnswerTooLong(ClassroomError):
    key = "classroom.error.answer_too_long"  # params: limit


class EmptyAnswer(ClassroomError):
    key = "classroom.error.empty_answer"


class NameTooLong(ClassroomError):
    key = "classroom.error.name_too_long"  # params: limit


class BadExercise(ClassroomError):
    key = "classroom.error.bad_exercise"  # params: lesson, level


class StoreUnavailable(ClassroomError):
    key = "classroom.error.store_unavailable"


class AnswersClosed(ClassroomError):
    key = "classroom.error.answers_closed"  # params: question (revealed: no more answers)


class FollowTooLong(ClassroomError):
    key = "classroom.error.follow_too_long"  # params: limit


class ValueTooLarge(ClassroomError):
    key = "classroom.error.value_too_large"  # a number that does not fit where the class stores it
