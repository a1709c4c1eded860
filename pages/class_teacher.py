"""Live class, the teacher's view (the projector): join code, link and QR code, push an exercise, the
live tally refreshed every second, reveal, end / reopen, export CSV.

Only this session holds the teacher key (st.session_state); no URL carries it and the page never shows it:
"Save the teacher key" downloads it as a small text file.
"""

import html
import json

import streamlit as st

from lessons.figures import class_tally
from pages import class_question as cq
from pages import classroom_ui as cui
from pages import ui


def render() -> None:
    from ops.classroom import ClassroomError

    st.title(ui.t("classui.teacher.title"))
    teacher = st.session_state.get(cui.TEACHER)
    if teacher is None:
        if st.session_state.pop(cui.START, False):
            _create()
            return
        _start_or_resume()
        return
    try:
        _class_view(teacher)
    except ClassroomError as error:
        cui.show_error(error)


def _create() -> None:
    from ops.classroom import ClassroomError
    from ops.errors import UserFacingError

    try:
        code, key = cui.store().create_class(client=cui.client_id())
    except (ClassroomError, UserFacingError) as error:
        cui.show_error(error)
        st.button(ui.t("classui.start"), icon=":material/groups:", key="classui.start_again", on_click=_ask_start)
        return
    st.session_state[cui.TEACHER] = {"code": code, "key": key, "question": None, "following": False}
    st.rerun()


def _ask_start() -> None:
    st.session_state[cui.START] = True


def _start_or_resume() -> None:
    ui.text("class", "teacher_intro")
    from ops import shared_server

    if shared_server.enabled():  # the shared server's limit, in words, before anyone hits it
        limit = shared_server.LIMITS["class"]
        st.caption(ui.t("shared.limits.class", count=limit.count, minutes=round(limit.window_s / 60)))
    st.button(ui.t("classui.start"), icon=":material/groups:", type="primary", key="classui.start_here",
              on_click=_ask_start)
    with st.expander(ui.t("classui.resume"), icon=":material/history:"):
        with st.form("classui.resume_form"):
            code = st.text_input(ui.t("classui.code"), max_chars=16, key="classui.resume_code")
            key = st.text_input(ui.t("classui.teacher_key"), type="password", max_chars=64, key="classui.resume_key")
            if st.form_submit_button(ui.t("classui.resume_button")):
                _resume(code.strip().upper(), key.strip())


def _resume(code: str, key: str) -> None:
    from ops.classroom import ClassroomError

    try:
        cui.store().export_csv(code, key)  # read-only: checks the class exists and the key is its teacher's
        current = cui.store().state(code).question
    except ClassroomError as error:
        cui.show_error(error)
        return
    question = current.id if current is not None else None
    st.session_state[cui.TEACHER] = {"code": code, "key": key, "question": question, "following": False}
    st.rerun()


def _class_view(teacher: dict) -> None:
    code, key = teacher["code"], teacher["key"]
    store = cui.store()
    state = store.state(code)
    link = cui.student_link(code)

    question = teacher.get("question")
    qinfo = state.question if question is not None and state.question and state.question.id == question else None
    big = qinfo is None  # while a question runs, the code makes room for the tally (still readable at the back)
    left, right = st.columns([3, 2] if big else [4, 1])
    with left:
        st.caption(ui.t("classui.join_with_code"))
        size = "4.5rem" if big else "2.6rem"
        st.markdown(f'<div class="pixelwise-code" style="font-size:{size};font-weight:700;letter-spacing:0.2em;'
                    f'font-family:monospace;line-height:1.1">{html.escape(code)}</div>', unsafe_allow_html=True)
        st.caption(ui.t("classui.or_open_link"))
        st.code(link, language=None, wrap_lines=True)
        if state.ended:
            st.warning(ui.t("classui.ended_teacher"), icon=":material/block:")
    with right:
        st.image(cui.qr_png(link), width=300 if big else 170, caption=ui.t("classui.scan"))

    if qinfo is not None:
        st.divider()
        ex = cui.exercise_of(qinfo)
        cq.show_question(ex, key="classui.teacher_question", large=True,
                         picture=not (qinfo.revealed and ex.answer_type == "cell"))  # the solution draws it
        # answers close at the reveal: from then on the numbers are final and need no polling
        (_tally if qinfo.revealed else _live_tally)(code, key, question, qinfo)
        if not qinfo.revealed:
            st.button(ui.t("classui.reveal"), icon=":material/visibility:", type="primary", key="classui.reveal",
                      on_click=_reveal, args=(code, key, question))
    if not state.ended:
        st.divider()
        _push_form(teacher)
        _follow_toggle(teacher)
    st.divider()
    _class_controls(teacher, state)


def _push_form(teacher: dict) -> None:
    from ops import exercises
    from ops.exercises.registry import MAX_SEED

    lessons = cui.exercise_lessons()
    last = st.session_state.get(cui.LAST_LESSON)
    with st.form("classui.push_form", border=True):
        st.subheader(ui.t("classui.push_title"))
        a, b, c = st.columns([3, 1, 1])
        lesson = a.selectbox(ui.t("classui.lesson"), lessons, index=lessons.index(last) if last in lessons else 0,
                             format_func=ui.lesson_title, key="classui.push_lesson")
        level = b.selectbox(ui.t("classui.level"), list(exercises.LEVELS), key="classui.push_level",
                            format_func=lambda v: ui.t(f"classui.level.{v}"))
        seed = c.number_input(ui.t("classui.seed"), min_value=0, max_value=MAX_SEED, step=1,
                              value=st.session_state.get("classui.push_seed_next", 1))
        if st.form_submit_button(ui.t("classui.push"), icon=":material/send:", type="primary"):
            from ops.classroom import ClassroomError

            try:
                teacher["question"] = cui.store().push(teacher["code"], teacher["key"], lesson, int(seed), level)
            except ClassroomError as error:
                cui.show_error(error)
            else:
                st.session_state["classui.push_seed_next"] = int(seed) + 1
                st.rerun()


def _follow_toggle(teacher: dict) -> None:
    on = st.toggle(ui.t("classui.follow"), value=bool(teacher.get("following")), key="classui.follow_toggle",
                   help=ui.t("classui.follow_help"))
    if on == bool(teacher.get("following")):
        return
    store = cui.store()
    if on:
        lesson = st.session_state.get(cui.LAST_LESSON, "home")
        query = st.session_state.get(cui.LAST_QUERY, {})
        store.follow(teacher["code"], teacher["key"], lesson, query)
        teacher["followed"] = json.dumps([lesson, query], sort_keys=True)
    else:
        store.follow(teacher["code"], teacher["key"], None)
        teacher["followed"] = None
    teacher["following"] = on


def _tally(code: str, key: str, question: int, qinfo) -> None:
    """The projector's numbers: answered, the spread; after the reveal the share correct, the solution and
    the most common wrong answers with the mistake each corresponds to."""
    from ops.classroom import ClassroomError

    try:
        tally = cui.store().tally(code, key, question)
    except ClassroomError as error:
        cui.show_error(error)
        return
    ex = cui.exercise_of(qinfo)
    answered, correct = st.columns(2)
    answered.metric(ui.t("classui.answers"), ui.t("classroom.tally.answered", answered=tally.answered,
                                                   joined=tally.joined))
    if tally.revealed and tally.answered:
        share = round(100 * tally.correct / tally.answered)
        correct.metric(ui.t("classui.correct"), ui.t("classroom.tally.correct", correct=tally.correct, share=share))
    _distribution(tally, ex)
    if tally.revealed:
        cq.show_solution(ex, key="classui.teacher_solution", large=True)
        if tally.common_wrong:
            st.subheader(ui.t("classroom.tally.common_wrong"))
            for wrong in tally.common_wrong:
                st.text(ui.tn("classroom.tally.wrong_answer_count", wrong.count,
                              text=cq.answer_words(ex, wrong.text)))
                _, hint = cq.verdict_words(ex, wrong.text)
                if hint:
                    st.caption(hint)


_live_tally = st.fragment(_tally, run_every=1)  # refreshed every second without reloading the page


def _distribution(tally, ex) -> None:
    """The spread of the answers, as class_tally.figure draws it (sized by the exercise, never by an answer)."""
    dist = tally.distribution
    labels = {"title": ui.t("classroom.tally.distribution"), "count": ui.t("classui.count"),
              "row": ui.t("classui.row"), "col": ui.t("classui.col")}
    if tally.answered == 0:
        st.caption(ui.t("classui.no_answers_yet"))
        return
    fig = class_tally.figure(dist, labels, tally.solution if tally.revealed else None,
                             lambda lo, hi: ui.t("classroom.tally.bin", low=f"{lo:.4g}", high=f"{hi:.4g}"),
                             choice_name=lambda choice: cq.answer_words(ex, choice))
    if fig is not None:
        ui.chart(fig, key="classui.tally_chart")
    if dist.other:
        st.caption(ui.t("classroom.tally.not_an_answer", count=dist.other))


def _reveal(code: str, key: str, question: int) -> None:
    from ops.classroom import ClassroomError

    try:
        cui.store().reveal(code, key, question)
    except ClassroomError as error:
        st.session_state["classui.error"] = ui.error_text(error)


def _class_controls(teacher: dict, state) -> None:
    from ops.classroom import ClassroomError

    problem = st.session_state.pop("classui.error", None)
    if problem:
        st.error(problem, icon=":material/error:")
    code, key = teacher["code"], teacher["key"]
    end, export, forget = st.columns(3)
    if state.ended:
        if end.button(ui.t("classui.reopen"), icon=":material/replay:", key="classui.reopen"):
            _act(lambda: cui.store().reopen(code, key))
    elif end.button(ui.t("classui.end"), icon=":material/stop_circle:", key="classui.end"):
        _act(lambda: cui.store().end(code, key))
    try:
        data = cui.store().export_csv(code, key)
    except ClassroomError as error:
        cui.show_error(error)
    else:
        export.download_button(ui.t("classui.export"), data, file_name=f"class-{code}.csv", mime="text/csv",
                               icon=":material/download:", key="classui.export", on_click="ignore")
    if forget.button(ui.t("classui.leave"), icon=":material/logout:", key="classui.forget"):
        st.session_state.pop(cui.TEACHER, None)
        st.rerun()
    # the key is never drawn on the projector: the teacher saves it as a file to continue elsewhere
    st.download_button(ui.t("classui.save_key"), ui.t("classui.key_file", code=code, teacher_key=key),
                       file_name=f"class-{code}-teacher-key.txt", mime="text/plain", icon=":material/key:",
                       key="classui.save_key", on_click="ignore", help=ui.t("classui.keep_key_help"))


def _act(action) -> None:
    from ops.classroom import ClassroomError

    try:
        action()
    except ClassroomError as error:
        cui.show_error(error)
        return
    st.rerun()


if __name__ == "__main__":  # Streamlit ran this file as a page of its own (a fresh server): hand over to app.py
    from pages.shell import run_app

    run_app()
