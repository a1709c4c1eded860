"""The live-class pages in AppTest: a teacher session and student sessions on one SQLite file.

start, join, push, answer, tally, reveal, verdict, export, end; a wrong code; a student cannot reach the
teacher controls; a dead database gives the message, never an exception (and the lessons keep working).
"""

import os

import pytest
from streamlit.testing.v1 import AppTest

from harness.apptest import APP, assert_no_exception, open_page
from lessons import i18n
from ops import exercises
from ops.classroom import ClassStore

PUSH = "FormSubmitter:classui.push_form-Push to the class"
JOIN = "FormSubmitter:classui.join_form-Join"


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path, monkeypatch):
    """The class database the pages use: a SQLite file in tmp_path; PostgreSQL too when
    $PIXELWISE_TEST_POSTGRES_URL names a server (.ci/postgres.sh start sets it)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'class.sqlite3'}"
    else:
        url = os.environ.get("PIXELWISE_TEST_POSTGRES_URL")
        if not url:
            pytest.skip("PostgreSQL: set PIXELWISE_TEST_POSTGRES_URL (eval \"$(.ci/postgres.sh start)\")")
    monkeypatch.setenv("PIXELWISE_DATABASE_URL", url)
    return url


def teacher_session() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("pages/class_teacher.py")
    at.run()
    assert_no_exception(at)
    return at


def student_session(query: dict | None = None) -> AppTest:
    """A student's browser opening the link /class_student (?code=...)."""
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.switch_page("pages/class_student.py")
    at.run()
    assert_no_exception(at)
    assert [t.value for t in at.title] == ["Join the class"]
    return at


def test_the_sidebar_offers_start_and_join(database):
    at = open_page("home")
    at.button(key="classui.sidebar_join").click().run()
    assert_no_exception(at)
    assert [t.value for t in at.title] == ["Join the class"]
    at = open_page("segmentation")
    at.button(key="classui.sidebar_start").click().run()
    assert_no_exception(at)
    assert [t.value for t in at.title] == ["Live class"] and at.session_state["classui.teacher"]["code"]


def test_presenter_mode_has_a_class_button(database):
    at = open_page("upsampling", query={"present": "1"})
    at.button(key="present.class").click().run()
    assert_no_exception(at)
    assert [t.value for t in at.title] == ["Live class"] and at.session_state["classui.teacher"]["code"]
    assert at.session_state["present"] and at.button(key="present.next"), "still presenting, from the lesson shown"


def join(at: AppTest, code: str, name: str = "") -> AppTest:
    at.text_input(key="classui.join_code").set_value(code)
    at.text_input(key="classui.join_name").set_value(name)
    at.button(key=JOIN).click().run()
    assert_no_exception(at)
    return at


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "text", "caption", "info", "success", "error", "warning", "subheader")
             for e in getattr(at, kind)]
    parts += [f"{m.label}: {m.value}" for m in at.metric]
    return "\n".join(str(p) for p in parts)


def start_class(at: AppTest) -> tuple[str, str]:
    at.button(key="classui.start_here").click().run()
    assert_no_exception(at)
    teacher = at.session_state["classui.teacher"]
    return teacher["code"], teacher["key"]


def push(at: AppTest, lesson="upsampling", seed=3, level="easy") -> int:
    at.selectbox(key="classui.push_lesson").set_value(lesson)
    at.selectbox(key="classui.push_level").set_value(level)
    at.number_input[0].set_value(seed)
    at.button(key=PUSH).click().run()
    assert_no_exception(at)
    question = at.session_state["classui.teacher"]["question"]
    assert question is not None
    return question


def answer(at: AppTest, question: int, text: str) -> AppTest:
    at.text_input(key=f"classui.answer.{question}").set_value(text)
    at.button(key=f"FormSubmitter:classui.answer_form.{question}-Send").click().run()
    assert_no_exception(at)
    return at


def test_a_class_end_to_end(database):
    teacher = teacher_session()
    code, key = start_class(teacher)
    assert len(code) == 8
    assert key not in str(teacher.query_params), "the teacher key never goes into a URL"
    assert code in texts(teacher) and f"/class_student?code={code}" in " ".join(c.value for c in teacher.code)
    assert teacher.image, "the QR code is on the projector"

    ex = exercises.generate("upsampling", 3, level="easy")
    question = push(teacher, "upsampling", 3, "easy")
    assert "0 of 0 answered" in texts(teacher) or "No answers yet" in texts(teacher)

    link = student_session({"code": code})  # the link fills the code in; the student only presses Join
    assert link.text_input(key="classui.join_code").value == code
    ada = join(student_session(), code, "Ada <b>*bold*</b>")
    assert "Your name: Ada <b>*bold*</b>" in [t.value for t in ada.text], texts(ada)  # as text, not Markdown
    bob = join(student_session(), code)
    shown = texts(ada)  # the question of the practice engine, its settings in words (issue 20: no raw keys)
    assert i18n.t(ex.question, "en", **ex.question_params) in shown, shown
    assert "input 2×2, kernel 3×3, stride 2, padding 0" in shown and "'padding'" not in shown
    right = ex.answer if not isinstance(ex.answer, (list, tuple)) else ", ".join(map(str, ex.answer))
    wrong = "12"  # a wrong answer to this question (a number far outside its range would be "other")
    answer(ada, question, wrong)
    assert "Your answer is in" in texts(ada)
    assert "wrong" not in texts(ada).lower() and "correct" not in texts(ada).lower(), "no verdict before the reveal"
    answer(bob, question, str(right))

    teacher.run()
    assert_no_exception(teacher)
    assert "2 of 2 answered" in texts(teacher)
    assert teacher.get("plotly_chart"), "the distribution is drawn"

    teacher.button(key="classui.reveal").click().run()
    assert_no_exception(teacher)
    shown = texts(teacher)
    assert "1 correct (50 %)" in shown and "Solution" in shown and "Most common wrong answers" in shown
    assert f"{wrong} (1 student)" in shown  # issue 20: plurals from the catalog

    ada.run()
    assert_no_exception(ada)
    assert [e.value for e in ada.error], "Ada sees her own verdict: wrong"
    bob.run()
    assert [e.value for e in bob.success], "Bob sees his own verdict: right"

    assert teacher.get("download_button"), "Export CSV is offered"
    csv = ClassStore(database).export_csv(code, key)
    assert csv.count("\n") == 3 and "Ada" in csv

    teacher.button(key="classui.end").click().run()
    assert_no_exception(teacher)
    assert "This class has ended" in texts(teacher)
    bob.run()
    assert "This class has ended. Thank you!" in texts(bob)
    teacher.button(key="classui.reopen").click().run()
    assert_no_exception(teacher)
    assert "This class has ended" not in texts(teacher)

    # another session of the teacher continues the class with the code and the key
    later = teacher_session()
    later.text_input(key="classui.resume_code").set_value(code.lower())
    later.text_input(key="classui.resume_key").set_value(key)
    later.button(key="FormSubmitter:classui.resume_form-Continue this class").click().run()
    assert_no_exception(later)
    assert "2 of 2 answered" in texts(later) and "1 correct (50 %)" in texts(later)
    wrong_key = teacher_session()
    wrong_key.text_input(key="classui.resume_code").set_value(code)
    wrong_key.text_input(key="classui.resume_key").set_value("guess")
    wrong_key.button(key="FormSubmitter:classui.resume_form-Continue this class").click().run()
    assert "Only the teacher's session can do this." in texts(wrong_key)


def test_a_wrong_code_is_refused_with_its_message(database):
    at = join(student_session(), "ZZZZZZZZ")
    assert any("There is no class with the code ZZZZZZZZ" in e.value for e in at.error)
    assert "classui.student" not in at.session_state


def test_a_student_session_cannot_see_the_teacher_controls(database):
    teacher = teacher_session()
    code, _ = start_class(teacher)
    push(teacher)
    student = join(student_session(), code)
    keys = {b.key for b in student.button}
    assert not keys & {PUSH, "classui.reveal", "classui.end", "classui.reopen"}
    assert not student.get("download_button")
    # a student typing the teacher page's address (a new session, even with the code): no key, no controls
    other = AppTest.from_file(APP, default_timeout=120)
    other.query_params["code"] = code
    other.switch_page("pages/class_teacher.py")
    other.run()
    assert_no_exception(other)
    assert [t.value for t in other.title] == ["Live class"] and other.button(key="classui.start_here")
    assert code not in texts(other)
    assert not {b.key for b in other.button} & {PUSH, "classui.reveal", "classui.end"}


def test_a_dead_database_gives_the_message_and_no_exception(tmp_path, monkeypatch):
    monkeypatch.setenv("PIXELWISE_DATABASE_URL", f"sqlite:///{tmp_path / 'missing' / 'folder' / 'class.sqlite3'}")
    teacher = teacher_session()
    teacher.button(key="classui.start_here").click().run()
    assert_no_exception(teacher)
    assert any("cannot be reached, retrying" in e.value for e in teacher.error)
    student = join(student_session(), "ABCDEFGH")
    assert any("cannot be reached, retrying" in e.value for e in student.error)
    lesson = open_page("segmentation")
    assert_no_exception(lesson)
    assert lesson.title


def test_the_teacher_page_in_chinese(database):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "zh"
    at.switch_page("pages/class_teacher.py")
    at.run()
    assert_no_exception(at)
    assert [t.value for t in at.title] == ["课堂互动"]


def _reload(at: AppTest) -> AppTest:
    """The same browser after a reload, or a phone whose session was lost while it slept: a new session
    opening the URL the student's page last showed."""
    again = AppTest.from_file(APP, default_timeout=120)
    for key, value in at.query_params.items():
        again.query_params[key] = value
    again.switch_page("pages/class_student.py")
    again.run()
    assert_no_exception(again)
    if again.get("text_input") and any(t.key == "classui.join_code" for t in again.text_input):
        join(again, again.text_input(key="classui.join_code").value)  # what a student does, seeing the form
    return again


def test_a_reload_is_the_same_student_and_counts_once(database):
    """Issue 19: a reload made a new student; joined and answered went up and the CSV listed them twice."""
    teacher = teacher_session()
    code, key = start_class(teacher)
    question = push(teacher, "upsampling", 3, "easy")
    ada = join(student_session({"code": code}), code, "Ada")
    answer(ada, question, "3")
    assert key not in str(ada.query_params) and ada.query_params.get("code") == code

    for _ in range(2):
        ada = _reload(ada)
        assert "Your name: Ada" in [t.value for t in ada.text], texts(ada)
        assert "Your answer is in" in texts(ada) and "You sent: 3" in [t.value for t in ada.text], "still hers"
    answer(ada, question, "4")
    store = ClassStore(database)
    tally = store.tally(code, key, question)
    assert (tally.joined, tally.answered) == (1, 1)
    rows = store.export_csv(code, key).splitlines()[1:]
    assert len(rows) == 1 and rows[0].split(",")[3] == "4", rows

    forged = student_session({"code": code, "me": "not-a-student-token"})  # an edited link: the join form
    assert forged.text_input(key="classui.join_code").value == code and "me" not in forged.query_params


def _everything_drawn(at: AppTest) -> str:
    """Every element the page sent, as its protobuf text: what a projector could show, expanders included."""
    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            yield str(proto)
        for child in getattr(node, "children", {}).values():
            yield from walk(child)
    return "\n".join(walk(at._tree))


def test_the_teacher_key_is_never_on_the_projector_page(database):
    """Issue 19: the key was one click away (an expander) on the projector; now it is only saved as a file."""
    teacher = teacher_session()
    code, key = start_class(teacher)
    push(teacher, "upsampling", 3, "easy")
    drawn = _everything_drawn(teacher)
    assert code in drawn and key not in drawn
    assert not any(key in c.value for c in teacher.code)
    assert any("classui.save_key" in b.proto.id for b in teacher.get("download_button")), "saved as a file"


def test_a_shared_server_says_its_class_limit_and_refuses_past_it_with_a_message(database, monkeypatch):
    from ops import shared_server

    monkeypatch.setenv(shared_server.ADMIN_TOKEN_ENV, "operator-secret")
    monkeypatch.setattr(shared_server, "RATES", shared_server.RateLimits())
    started = []
    for _ in range(shared_server.LIMITS["class"].count + 1):
        at = teacher_session()
        assert "Shared server: each device can start at most 3 classes per 10 minutes." in texts(at)
        at.button(key="classui.start_here").click().run()
        assert_no_exception(at)
        started.append("classui.teacher" in at.session_state)
    assert started == [True] * shared_server.LIMITS["class"].count + [False]
    assert any("at most 3 classes per 10 minutes" in e.value for e in at.error)


def test_a_choice_is_sent_by_its_button_and_stays_chosen(database):
    """Issue 20: a choice question has one large button per choice; a tap sends, a later tap replaces it."""
    teacher = teacher_session()
    code, key = start_class(teacher)
    ex = exercises.generate("segmentation", 1, level="easy")
    assert ex.answer_type == "choice"
    question = push(teacher, "segmentation", 1, "easy")
    ada = join(student_session({"code": code}), code, "Ada")
    assert not ada.get("text_input") or all(t.key != f"classui.answer.{question}" for t in ada.text_input)
    wrong = next(c for c in ex.choices if c != ex.answer)
    for choice in (wrong, ex.answer):
        ada.button(key=f"classui.choice.{question}.{choice}").click().run()
        assert_no_exception(ada)
        assert f"You sent: {choice}" in [t.value for t in ada.text], texts(ada)
    chosen = [b for b in ada.button if b.key.startswith(f"classui.choice.{question}.")]
    assert [b.key for b in chosen if b.proto.type == "primary"] == [f"classui.choice.{question}.{ex.answer}"]
    assert ClassStore(database).tally(code, key, question).answered == 1, "a later tap replaces the answer"
