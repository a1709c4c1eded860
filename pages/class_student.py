"""Live class, a student's view: join with the code (from the link /class?code=... or typed), optional name,
the current question with an answer box (Enter submits), the own verdict after the teacher's reveal, and
the lesson the teacher shows when the class follows the teacher.

A student is one student: once joined, their own link carries their token (?code=...&me=...), so a reload
or a phone that slept and lost its session comes back as the same student, not a new one.

A watcher fragment polls the class once a second and redraws the page only when something changed
(a new question, the reveal, following, the end), so a half-typed answer is never wiped.
"""

import streamlit as st

from lessons.class_names import display_name
from pages import class_question as cq
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
    cui.phone_css()
    st.caption(ui.t("classui.student.in_class", code=me["code"]))
    if me.get("name"):
        st.text(ui.t("classui.student.as_name", name=me["name"]))  # st.text: a name is never Markdown
    _watch(me["code"])
    if state.ended:
        st.info(ui.t("classroom.state.ended"), icon=":material/celebration:")
    elif state.follow_lesson:
        cui.follow_link(state.follow_lesson, state.follow_query)
    if not state.ended and state.question is None:
        st.info(ui.t("classroom.state.waiting"), icon=":material/hourglass_top:")
    elif not state.ended:
        _question(me, state)
    _leave_button()


def _leave_button() -> None:
    """At the bottom: on a phone the question and its answer come first."""
    st.divider()
    if st.button(ui.t("classui.student.leave"), icon=":material/logout:", key="classui.leave_class"):
        st.session_state.pop(cui.STUDENT, None)
        st.query_params.pop("code", None)
        st.query_params.pop(ME, None)
        st.rerun()


def _question(me: dict, state) -> None:
    """The question drawn; before the reveal the ways to answer it, after it the verdict and the solution."""
    question = state.question
    ex = cui.exercise_of(question)
    sent = _sent(me, question)
    key = f"classui.q{question.id}"
    picked = _cell(ex, sent)
    if question.revealed:
        cq.show_question(ex, key=key, picked=picked, picture=ex.answer_type != "cell")  # the solution draws it
        _verdict(me, question, ex, state)
        return
    on_tap = (lambda: _tapped(me, question, key)) if ex.answer_type == "cell" else None
    cq.show_question(ex, key=key, on_tap=on_tap, picked=picked)
    _answer(me, question, ex, sent)


def _sent(me: dict, question) -> str | None:
    """What this student sent for the question, also after a reload or in a new session."""
    sent = st.session_state.setdefault("classui.sent", {})
    if question.id not in sent:
        earlier = cui.store().own_answer(me["code"], me["id"], question.id)
        if earlier is not None:
            sent[question.id] = earlier
    return sent.get(question.id)


def _cell(ex, text: str | None):
    """The cell a cell question's answer names (to outline it), or None."""
    if ex.answer_type != "cell" or text is None:
        return None
    from ops.exercises import answers
    from ops.exercises.errors import AnswerError

    try:
        return answers.parse_cell(text)
    except AnswerError:
        return None


def _submit(me: dict, question, text: str) -> None:
    """Send an answer (a later one replaces the earlier); a refusal is told in the page."""
    from ops.classroom import ClassroomError

    try:
        verdict = cui.store().submit(me["code"], me["id"], question.id, text)
    except ClassroomError as error:
        st.session_state["classui.answer_error"] = error
    else:
        st.session_state.setdefault("classui.sent", {})[question.id] = verdict.text


def _tapped(me: dict, question, key: str) -> None:
    """A tap on a cell of the answer grid: that cell is the answer."""
    cell = (st.session_state.get(f"{key}.grids") or {}).get("cell")
    if isinstance(cell, dict) and "row" in cell and "col" in cell:
        _submit(me, question, f"{int(cell['row'])}, {int(cell['col'])}")


def _answer(me: dict, question, ex, sent: str | None) -> None:
    """Choices as large buttons (a tap sends), one row of buttons per part of a multi-part choice, and the typed
    form for numbers and cells (kept for keyboards and screen readers)."""
    if ex.answer_type == "choice":
        with st.container(horizontal=True, key="classui.choice_buttons"):
            for choice in ex.choices:
                st.button(cq.choice_label(ex, choice), key=f"classui.choice.{question.id}.{choice}",
                          type="primary" if sent == choice else "secondary", width="stretch",
                          on_click=_submit, args=(me, question, choice))
    elif ex.answer_type == "choices":
        _choices_form(me, question, ex, sent)
    else:
        _typed_form(me, question, ex)
    problem = st.session_state.pop("classui.answer_error", None)
    if problem is not None:
        cui.show_error(problem)
    if sent is not None:
        st.success(ui.t("classui.received"), icon=":material/check:")
        st.text(ui.t("classui.you_sent", text=cq.answer_words(ex, sent)))  # the student's own text, as text
        st.caption(ui.t("classui.verdict_after_reveal"))


def _typed_form(me: dict, question, ex) -> None:
    from ops.classroom.models import ANSWER_LIMIT

    label = ui.t("classui.or_type_cell") if ex.answer_type == "cell" else ui.t("classui.your_answer")
    key = f"classui.answer.{question.id}"
    with st.form(f"classui.answer_form.{question.id}", clear_on_submit=False, border=False):
        st.text_input(label, max_chars=ANSWER_LIMIT, key=key,
                      placeholder=ui.t(f"practice.placeholder.{ex.answer_type}"))
        st.form_submit_button(ui.t("classui.send"), icon=":material/send:", type="primary", width="stretch",
                              on_click=_send_typed, args=(me, question, key))


def _send_typed(me: dict, question, key: str) -> None:
    """Send (a callback: the page then draws with the answer already in, the tapped cell outlined)."""
    _submit(me, question, st.session_state.get(key) or "")


def _choices_form(me: dict, question, ex, sent: str | None) -> None:
    """Thing or stuff, for each class: one segmented control each, then Send."""
    before = [part.strip() for part in (sent or "").split(",")]
    with st.form(f"classui.choices_form.{question.id}", border=False):
        picks = []
        for i, name in enumerate(ex.params["classes"]):
            earlier = before[i] if i < len(before) and before[i] in ex.choices else None
            picks.append(st.segmented_control(
                display_name(name, ui.lang()), list(ex.choices), default=earlier,
                format_func=lambda c: cq.choice_label(ex, c), key=f"classui.pick.{question.id}.{i}"))
        st.form_submit_button(ui.t("classui.send"), icon=":material/send:", type="primary", width="stretch",
                              on_click=_send_picks, args=(me, question, len(picks)))


def _send_picks(me: dict, question, parts: int) -> None:
    picks = [st.session_state.get(f"classui.pick.{question.id}.{i}") for i in range(parts)]
    _submit(me, question, ", ".join(p or "" for p in picks))


def _verdict(me: dict, question, ex, state) -> None:
    verdict = cui.store().verdict_for(me["code"], me["id"], question.id)
    if verdict is None:
        st.info(ui.t("classui.not_answered"), icon=":material/help:")
    else:
        st.text(ui.t("classui.you_answered", text=cq.answer_words(ex, verdict.text)))
        if verdict.message == "classroom.verdict.unreadable":
            message, hint = ui.t(verdict.message), None
        else:
            message, hint = cq.verdict_words(ex, verdict.text)
        (st.success if verdict.correct else st.error)(message, icon=":material/check_circle:" if verdict.correct
                                                      else ":material/cancel:")
        if hint and not verdict.correct:
            st.info(ui.t("practice.hint") + " " + hint, icon=":material/lightbulb:")
    if state.answered:
        st.caption(ui.t("classroom.tally.correct", correct=state.correct,
                        share=round(100 * state.correct / state.answered)))
    cq.show_solution(ex, key=f"classui.q{question.id}", picked=_cell(ex, verdict.text if verdict else None))


@st.fragment(run_every=1)
def _watch(code: str) -> None:
    """Poll the class once a second; redraw the page only when what it shows has changed. The poll reads the
    process's shared recent state, so a class of students costs the database one read per half second."""
    from ops.classroom import ClassroomError, StoreUnavailable

    try:
        state = cui.recent_states().state(code)
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
