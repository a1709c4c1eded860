"""Live class, a student's view: join with the code (from the link /class?code=... or typed), optional name,
the current question with an answer box (Enter submits), the own verdict after the teacher's reveal, and
the lesson the teacher shows when the class follows the teacher.

A student is one student: once joined, their own link carries their token (?code=...&me=...), so a reload
or a phone that slept and lost its session comes back as the same student, not a new one.

A watcher fragment polls the class once a second and redraws the page only when something changed
(a new question, the reveal, following, the end), so a half-typed answer is never wiped.
"""

import streamlit as st

from pages import classroom_ui as cui
from pages import ui

CODE_CHARS = 16  # a join code is 8 symbols; room for spaces a person types
ME = "me"  # the query parameter of the student's own token (never in the projector's link)


def render() -> None:
    from ops.classroom import ClassroomError

    st.title(ui.t("classui.student.title"))
    wanted = (st.query_params.get("code") or "").strip().upper()[:CODE_CHARS]
    me = st.session_state.get(cui.STUDENT)
    if me is None or (wanted and wanted != me["code"]):
        me = _come_back(wanted)
    if me is None or (wanted and wanted != me["code"]):
        _join_form(wanted)
        return
    try:
        _class_view(me)
    except ClassroomError as error:
        cui.show_error(error)


def _come_back(code: str) -> dict | None:
    """The student whose token is in this link (a reload, a new session after sleep), or None: join."""
    from ops.classroom import StoreUnavailable, UnknownClass, UnknownStudent

    token = st.query_params.get(ME)
    if not code or not token:
        return None
    try:
        name = cui.store().rejoin(code, token)
    except (UnknownClass, UnknownStudent):  # an old or edited link: join again
        st.query_params.pop(ME, None)
        return None
    except StoreUnavailable as error:
        cui.show_error(error)
        st.stop()
    me = {"code": code, "id": token, "name": name}
    st.session_state[cui.STUDENT] = me
    return me


def _join_form(code: str) -> None:
    from ops.classroom import ClassroomError
    from ops.classroom.models import NAME_LIMIT

    with st.form("classui.join_form"):
        typed = st.text_input(ui.t("classui.code"), value=code, max_chars=CODE_CHARS, key="classui.join_code")
        name = st.text_input(ui.t("classui.name"), max_chars=NAME_LIMIT, key="classui.join_name",
                             help=ui.t("classui.name_help"))
        joined = st.form_submit_button(ui.t("classui.join"), icon=":material/login:", type="primary")
    if not joined:
        return
    typed = "".join(typed.split()).upper()
    try:
        student = cui.store().join(typed, name or None, caller=cui.caller_id())
    except ClassroomError as error:
        cui.show_error(error)
        return
    st.session_state[cui.STUDENT] = {"code": typed, "id": student, "name": name.strip() or None}
    st.query_params["code"] = typed  # the student's own link: the join code and their token, nothing else
    st.query_params[ME] = student
    st.rerun()


def _signature(state) -> tuple:
    question = state.question
    return (state.ended, question and question.id, question and question.revealed, state.follow_lesson,
            str(state.follow_query))


def _class_view(me: dict) -> None:
    state = cui.store().state(me["code"])
    st.session_state["classui.seen"] = _signature(state)
    top, leave = st.columns([4, 1])
    with top:
        st.caption(ui.t("classui.student.in_class", code=me["code"]))
        if me.get("name"):
            st.text(ui.t("classui.student.as_name", name=me["name"]))  # st.text: a name is never Markdown
    if leave.button(ui.t("classui.student.leave"), icon=":material/logout:", key="classui.leave_class"):
        st.session_state.pop(cui.STUDENT, None)
        st.query_params.pop("code", None)
        st.query_params.pop(ME, None)
        st.rerun()
    _watch(me["code"])
    if state.ended:
        st.info(ui.t("classroom.state.ended"), icon=":material/celebration:")
        return
    if state.follow_lesson:
        cui.follow_link(state.follow_lesson, state.follow_query)
    if state.question is None:
        st.info(ui.t("classroom.state.waiting"), icon=":material/hourglass_top:")
        return
    question = state.question
    ex = cui.exercise_of(question)
    cui.show_question(ex)
    if question.revealed:
        _verdict(me, question, ex, state)
    else:
        _answer_form(me, question)


def _answer_form(me: dict, question) -> None:
    from ops.classroom import ClassroomError
    from ops.classroom.models import ANSWER_LIMIT

    sent = st.session_state.setdefault("classui.sent", {})
    if question.id not in sent:  # a reload or a new session: what this student already sent is still theirs
        earlier = cui.store().own_answer(me["code"], me["id"], question.id)
        if earlier is not None:
            sent[question.id] = earlier
    with st.form(f"classui.answer_form.{question.id}", clear_on_submit=False):
        text = st.text_input(ui.t("classui.your_answer"), max_chars=ANSWER_LIMIT, key=f"classui.answer.{question.id}",
                             placeholder=ui.t("classui.answer_placeholder"))
        submitted = st.form_submit_button(ui.t("classui.send"), icon=":material/send:", type="primary")
    if submitted:
        try:
            verdict = cui.store().submit(me["code"], me["id"], question.id, text)
        except ClassroomError as error:
            cui.show_error(error)
        else:
            sent[question.id] = verdict.text
    if question.id in sent:
        st.success(ui.t("classui.received"), icon=":material/check:")
        st.text(sent[question.id])  # the student's own text, as text
        st.caption(ui.t("classui.verdict_after_reveal"))


def _verdict(me: dict, question, ex, state) -> None:
    verdict = cui.store().verdict_for(me["code"], me["id"], question.id)
    if verdict is None:
        st.info(ui.t("classui.not_answered"), icon=":material/help:")
    else:
        st.text(ui.t("classui.you_answered", text=verdict.text))
        if verdict.message == "classroom.verdict.unreadable":
            message, hint = ui.t(verdict.message), None
        else:
            message, hint = cui.verdict_text(ex, verdict.text)
        (st.success if verdict.correct else st.error)(message, icon=":material/check_circle:" if verdict.correct
                                                      else ":material/cancel:")
        if hint and not verdict.correct:
            st.info(hint, icon=":material/lightbulb:")
    if state.answered:
        st.caption(ui.t("classroom.tally.correct", correct=state.correct,
                        share=round(100 * state.correct / state.answered)))
    cui.show_solution(ex)


@st.fragment(run_every=1)
def _watch(code: str) -> None:
    """Poll the class once a second; redraw the page only when what it shows has changed."""
    from ops.classroom import ClassroomError, StoreUnavailable

    try:
        state = cui.store().state(code)
    except StoreUnavailable:
        st.caption(ui.t("classui.store_retrying"))
        return
    except ClassroomError:
        return
    if _signature(state) != st.session_state.get("classui.seen"):
        st.rerun(scope="app")


if __name__ == "__main__":  # Streamlit ran this file as a page of its own (a fresh server): hand over to app.py
    from pages.shell import run_app

    run_app()
