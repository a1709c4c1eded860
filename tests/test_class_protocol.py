"""The class pages driven over the browser's protocol (bench/class_protocol.py), as the replica bench does.

One real server for the module, its own SQLite class store. A student joins by the link and answers
through the form; the page's acknowledgement, the projector's count and the database agree; a new tab on
the student's own link is the same student; the teacher continues the class in a new session with the key
file's key. Marked slow: a server start and about twenty script runs.
"""

import pytest

from bench.class_protocol import Student, Teacher
from harness.local_server import serve
from harness.own_loop import run_in_own_loop
from harness.stored import rows

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class-protocol")
    database = f"sqlite:///{folder / 'classroom.sqlite3'}"
    with serve(extra_env={"PIXELWISE_DATABASE_URL": database}) as (url, _process):
        yield url, database


def _rows(database: str) -> dict[str, int]:
    return dict(rows(database, "SELECT student_id, question_id FROM answers"))


def test_answers_sent_through_the_pages_are_acknowledged_counted_and_stored(server):
    url, database = server

    async def scenario():
        teacher = await Teacher.start(url)
        teacher.save_key()
        await teacher.push()
        assert teacher.count() == (0, 0)
        students = [await Student.join(url, teacher.code, f"Student {n}") for n in range(2)]
        acknowledged = [await student.answer(student.choices()[0]) for student in students]
        shown = await teacher.tick()
        again = students[0]
        await again.come_back(url)  # a new tab on their own link: the same student, the answer still theirs
        repeated = await again.answer(again.choices()[-1])
        resumed = await Teacher.resume(url, teacher.code, teacher.key)
        counts = resumed.count()
        for one in [*students, teacher, resumed]:
            await one.session.close()
        return students, acknowledged, shown, repeated, counts

    students, acknowledged, shown, repeated, counts = run_in_own_loop(scenario())
    assert [ok for ok, _ in acknowledged] == [True, True] and repeated[0]
    assert shown == (2, 2) and counts == (2, 2)  # one student is one student, in a new session too
    assert set(_rows(database)) == {student.token for student in students}


def test_an_answer_the_page_refuses_is_not_counted_as_acknowledged(server):
    """A tap on a page drawn before the reveal, sent after it: the page says answers are closed, no ack."""
    url, database = server

    async def scenario():
        teacher = await Teacher.start(url)
        await teacher.push()
        student = await Student.join(url, teacher.code, "Too late")
        await teacher.reveal()
        verdict = await student.answer(student.choices()[0])
        for one in (student, teacher):
            await one.session.close()
        return student, verdict

    student, (acknowledged, _) = run_in_own_loop(scenario())
    assert not acknowledged and student.token not in _rows(database)
