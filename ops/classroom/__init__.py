"""Live class: a teacher pushes exercises, students answer on their own devices, the projector tallies.

    from ops.classroom import ClassStore
    store = ClassStore()                      # $PIXELWISE_DATABASE_URL, else SQLite in the data directory
    code, key = store.create_class()
    student = store.join(code, name="Ada")
    q = store.push(code, key, "upsampling", seed=3)
    store.submit(code, student, q, "1.5")
    store.tally(code, key, q).answered

No streamlit here: pages call these and translate the error keys.
"""

from ops.classroom.errors import (
                                  AnswersClosed,
                                  AnswerTooLong,
                                  BadExercise,
                                  ClassEnded,
                                  ClassroomError,
                                  EmptyAnswer,
                                  FollowTooLong,
                                  NameTooLong,
                                  NotRevealed,
                                  RateLimited,
                                  StoreUnavailable,
                                  UnknownClass,
                                  UnknownQuestion,
                                  UnknownStudent,
                                  ValueTooLarge,
                                  WrongTeacherKey,
)
from ops.classroom.store import ClassState, ClassStore, QuestionInfo, Verdict
from ops.classroom.tally_views import Distribution, Tally, WrongAnswer

__all__ = [
    "AnswerTooLong", "AnswersClosed", "BadExercise", "ClassEnded", "ClassState", "ClassStore", "ClassroomError",
    "Distribution", "EmptyAnswer", "FollowTooLong", "NameTooLong", "NotRevealed", "QuestionInfo", "RateLimited",
    "StoreUnavailable", "Tally", "UnknownClass", "UnknownQuestion", "UnknownStudent", "Verdict", "WrongAnswer",
    "ValueTooLarge", "WrongTeacherKey",
]
