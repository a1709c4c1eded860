"""Shared bits of the live-class pages (teacher and student): the store, errors, the link, questions.

The class lives in ops.classroom.ClassStore (one per server, per database URL). The teacher key lives only
in the teacher's st.session_state, never in a URL; a student's link carries only the join code.
Everything a student typed (names, answers) is shown with st.text / st.dataframe, never as Markdown.
"""

import io
import json
import os
import uuid

import streamlit as st

from lessons.catalog import BY_SLUG
from ops.errors import UserFacingError
from pages import ui

TEACHER = "classui.teacher"  # session_state: {"code", "key", "question", "following", "followed"}
STUDENT = "classui.student"  # session_state: {"code", "id", "name"}
START = "classui.start"  # session_state: the sidebar / presenter bar asked for a new class
LAST_LESSON = "classui.last_lesson"  # session_state: the lesson the teacher showed last, and its URL state
LAST_QUERY = "classui.last_query"
TEACHER_PATH, STUDENT_PATH = "class_teacher", "class_student"  # the files' stems: deep links on a fresh server


# -- pages --------------------------------------------------------------------------------------------
def _body(module: str):
    def body() -> None:
        import importlib

        importlib.import_module(module).render()

    body.__name__ = module.rsplit(".", 1)[-1]
    return body


def teacher_page() -> st.Page:
    return st.Page(_body("pages.class_teacher"), title=ui.t("classui.teacher.title"), icon=":material/groups:",
                   url_path=TEACHER_PATH, visibility="hidden")


def student_page() -> st.Page:
    return st.Page(_body("pages.class_student"), title=ui.t("classui.student.title"), icon=":material/how_to_reg:",
                   url_path=STUDENT_PATH, visibility="hidden")


def request(which: str) -> None:
    """A sidebar button's callback: remember which class page to open (after st.navigation ran)."""
    st.session_state["classui.open"] = which


def open_requested() -> None:
    """Open the class page a sidebar button asked for; called by the shell right after st.navigation."""
    which = st.session_state.pop("classui.open", None)
    if which == "teacher":
        start_class()
    elif which == "student":
        st.switch_page(student_page())


def start_class() -> None:
    """What "Start a class" does (sidebar, presenter bar): open the teacher's view, which creates the class."""
    if TEACHER not in st.session_state:
        st.session_state[START] = True
    carried = {k: v for k, v in st.query_params.to_dict().items() if k in ("lang", "present")}  # no lesson state
    st.switch_page(teacher_page(), query_params=carried or None)


# -- the store ----------------------------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def _store(url: str | None):
    from ops.classroom import ClassStore

    return ClassStore(url)


def store():
    """The server's ClassStore for the configured database (StoreUnavailable when it cannot be opened)."""
    from ops.classroom import StoreUnavailable

    try:
        return _store(os.environ.get("PIXELWISE_DATABASE_URL") or None)
    except Exception as error:  # a malformed URL or a missing driver: the class pages say the database is out
        raise StoreUnavailable() from error


@st.cache_resource(show_spinner=False)
def _recent_states(url: str | None):
    from ops.classroom.recent_states import RecentStates

    return RecentStates(_store(url))


def recent_states():
    """The class as the students' watchers see it: one database read per class per half second, shared by every
    session of this process (ops/classroom/recent_states.py); StoreUnavailable as store() says it."""
    from ops.classroom import StoreUnavailable

    try:
        return _recent_states(os.environ.get("PIXELWISE_DATABASE_URL") or None)
    except Exception as error:  # as store(): a malformed URL or a missing driver
        raise StoreUnavailable() from error


def client_id() -> str:
    """The device a request comes from, as the shared server's rate limits count it (ops.shared_server)."""
    from ops import shared_server

    try:
        headers, address = st.context.headers, st.context.ip_address  # every X-Forwarded-For line (get_all)
    except Exception:  # noqa: BLE001  (no request context): one shared bucket, never one per session
        headers, address = {}, None
    return shared_server.client_of(headers, address)


def caller_id() -> str:
    """This browser session's id: failed joins are rate-limited per caller."""
    return st.session_state.setdefault("classui.caller", uuid.uuid4().hex)


def show_error(error: Exception) -> None:
    """A class error in words; the database being out gets its message and a retry every 2 s."""
    from ops.classroom import StoreUnavailable

    if isinstance(error, StoreUnavailable):
        st.error(ui.t("classui.store_retrying"), icon=":material/cloud_off:")
        _retry()
    else:
        st.error(ui.error_text(error), icon=":material/error:")


@st.fragment(run_every=2)
def _retry() -> None:
    """While the database is out, try it every 2 s and redraw the whole page once it answers."""
    from ops.classroom import StoreUnavailable, UnknownClass

    try:
        store().state("0" * 8)
    except UnknownClass:  # the database answered
        st.rerun(scope="app")
    except StoreUnavailable:
        st.caption(ui.t("classui.still_retrying"))


# -- link and QR code ---------------------------------------------------------------------------------
def student_link(code: str) -> str:
    """The student's URL: this server's address, the student page and the join code (nothing else)."""
    here = (st.context.url or "http://localhost:8501/").split("?")[0].split("#")[0]
    base = here.rsplit("/", 1)[0] if here.count("/") > 2 else here.rstrip("/")
    return f"{base}/{STUDENT_PATH}?code={code}"


def qr_png(text: str) -> bytes:
    """A QR code of `text` as PNG bytes, made in memory (segno, pure Python)."""
    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=10, border=2)
    return buffer.getvalue()


# -- questions ----------------------------------------------------------------------------------------
def exercise_lessons() -> list[str]:
    """The lessons that have exercises, in teaching order."""
    from lessons.catalog import LESSONS
    from ops import exercises

    return [lesson.slug for lesson in LESSONS if lesson.slug in exercises.LESSON_KINDS and exercises.kinds(lesson.slug)]


def exercise_of(question):
    """The exercise of a pushed question, re-generated from its lesson, seed, level and kind."""
    from ops import exercises

    try:
        return exercises.generate(question.lesson, question.seed, level=question.level, kind=question.kind)
    except UserFacingError as error:  # e.g. the live demo's exercise where no weights are
        st.info(ui.error_text(error), icon=":material/info:")
        st.stop()


PHONE_CSS = """<style>
/* the class pages on a phone (issue 20): touch targets of at least 44 px, no room lost around the question */
[data-testid="stMain"] button, [data-testid="stMain"] [data-testid="stTextInputRootElement"] { min-height: 2.75rem; }
/* Streamlit's own "Press Enter to submit form" is English in every language; the label says it from the catalog */
[data-testid="stMain"] [data-testid="InputInstructions"] { display: none; }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding: 3.25rem 0.9rem 2rem 0.9rem; }
  [data-testid="stMain"] h1 { font-size: 1.6rem; padding: 0.25rem 0; }
  [data-testid="stMain"] h3 { font-size: 1.2rem; }
}
</style>"""


def phone_css() -> None:
    """The class pages' few layout rules for phones (a style element only: nothing is drawn)."""
    st.html(PHONE_CSS)


# -- "students follow me" -----------------------------------------------------------------------------
def remember_lesson(slug: str) -> None:
    """Called by the shell after a lesson page ran: when the teacher's class follows, send lesson + settings."""
    query = {k: v for k, v in st.query_params.to_dict().items() if k not in ("present",)}
    st.session_state[LAST_LESSON], st.session_state[LAST_QUERY] = slug, query
    teacher = st.session_state.get(TEACHER)
    if not teacher or not teacher.get("following"):
        return
    sent = json.dumps([slug, query], sort_keys=True)
    if teacher.get("followed") == sent:
        return
    from ops.classroom import ClassroomError

    try:
        store().follow(teacher["code"], teacher["key"], slug, query)
        teacher["followed"] = sent
    except ClassroomError as error:  # the lesson keeps working; the teacher sees why students do not follow
        st.toast(ui.error_text(error), icon=":material/cloud_off:")


def follow_link(lesson: str, query: dict | None) -> None:
    """The student's way to the lesson the teacher shows, with the teacher's settings."""
    if lesson not in BY_SLUG:
        return
    from pages.navigation import lesson_page

    st.info(ui.t("classui.student.following", lesson=ui.lesson_title(lesson)), icon=":material/cast:")
    st.page_link(lesson_page(lesson), label=ui.t("classui.student.open_lesson", lesson=ui.lesson_title(lesson)),
                 icon=BY_SLUG[lesson].icon, query_params={k: str(v) for k, v in (query or {}).items()} or None)
