"""The "Try it yourself" section of every lesson page (issue 12): predict, check, then see the solution.

    practice.practice_section(SLUG, picture=practice_pictures.upsampling)   # once, before the giveaway figure

The exercise comes from `ops.exercises.generate(slug, seed, level, kind)`: the seed, level and kind live in
the URL (`<slug>.ex`, `<slug>.level`, `<slug>.kind`, declared in pages/state.py), so a teacher's link
gives every student the same exercise. The section is an `st.fragment`: answering reruns it alone.
`picture(ex, shown)` draws the lesson-specific picture of `ex.params` (pages/practice_pictures.py).
"""

import random
from collections.abc import Callable

import streamlit as st

from lessons.class_names import display_name
from ops import exercises
from ops.errors import UserFacingError
from pages import state, ui

SERIES = 5  # exercises in a series; the session's score counts the first readable answer of each
NO_SEED = -1  # the seed's placeholder until a fresh random one is drawn
NAME_KEYS = {"op": "operator", "decoder": "decoder"}  # param name -> catalog prefix of its translated name


def _fresh_seed() -> int:
    return random.SystemRandom().randrange(exercises.registry.MAX_SEED + 1)


def keys(slug: str) -> dict[str, str]:
    """The session_state keys of a lesson's section."""
    return {
        "seed": f"{slug}.ex", "level": f"{slug}.level", "kind": f"{slug}.kind",
        "score": f"{slug}.practice.score", "verdict": f"{slug}.practice.verdict",
        "reveal": f"{slug}.practice.revealed",
    }


def name(param: str, value) -> str:
    """A name inside params or message params (operator, decoder, class) in the chosen language."""
    if param in NAME_KEYS:
        return ui.t(f"{NAME_KEYS[param]}.{value}")
    if param in ("class", "label_name"):
        return display_name(str(value), ui.lang())
    if param == "classes":
        return ", ".join(display_name(c.strip(), ui.lang()) for c in str(value).split(","))
    return value


def shown(params: dict) -> dict:
    """Message params with their names translated."""
    return {k: name(k, v) for k, v in params.items()}


def choice_label(ex, choice: str) -> str:
    """How an option of a choice exercise reads: a decoder, thing/stuff, or a class name."""
    if ex.kind == "checkerboard-decoder":
        return ui.t(f"decoder.{choice}")
    if choice in ("thing", "stuff"):
        return ui.t(f"practice.choice.{choice}")
    return display_name(choice, ui.lang())


def _score(slug: str) -> dict:
    return st.session_state.setdefault(keys(slug)["score"], {"right": 0, "done": 0, "counted": []})


def _exercise_id(ex) -> str:
    return f"{ex.kind}:{ex.seed}:{ex.level}"


def _new_exercise(slug: str) -> None:
    k = keys(slug)
    st.session_state[k["seed"]] = _fresh_seed()
    st.session_state.pop(k["verdict"], None)
    st.session_state.pop(k["reveal"], None)


def _new_series(slug: str) -> None:
    st.session_state[keys(slug)["score"]] = {"right": 0, "done": 0, "counted": []}
    _new_exercise(slug)


def _record(slug: str, ex, verdict) -> None:
    k = keys(slug)
    st.session_state[k["verdict"]] = (_exercise_id(ex), verdict)
    score = _score(slug)
    if verdict.readable and _exercise_id(ex) not in score["counted"] and score["done"] < SERIES:
        score["counted"].append(_exercise_id(ex))
        score["done"] += 1
        score["right"] += int(verdict.correct)


def _write_url(slug: str) -> None:
    """The fragment reruns alone, so it writes its own state into the URL (the page's share_state may not run)."""
    k = keys(slug)
    for key, default in ((k["seed"], None), (k["level"], "easy"), (k["kind"], "")):
        value = st.session_state.get(key)
        if value == default or value is None:
            st.query_params.pop(key, None)
        elif st.query_params.get(key) != str(value):
            st.query_params[key] = str(value)


def practice_section(slug: str, picture: Callable | None = None) -> None:
    """The lesson's "Try it yourself" section: question, picture, answer, verdict, series score, solution."""
    if not exercises.kinds(slug):
        return
    k = keys(slug)
    state.init_setting(k["seed"], NO_SEED)
    if st.session_state.get(k["seed"]) in (None, NO_SEED):
        st.session_state[k["seed"]] = _fresh_seed()  # written into the URL: the link gives this exercise
    _section(slug, picture)


@st.fragment
def _section(slug: str, picture: Callable | None) -> None:
    k = keys(slug)
    with st.container(border=True, key=f"{slug}-practice"):
        st.subheader(ui.t("practice.title"), anchor="try-it-yourself")
        settings = st.columns([2, 3, 2])
        settings[0].segmented_control(
            ui.t("practice.level"), list(exercises.LEVELS), key=k["level"],
            format_func=lambda level: ui.t(f"practice.level.{level}"), on_change=_forget_answer, args=(slug,),
        )
        if st.session_state.get(k["level"]) is None:  # a segmented control can be clicked off
            st.session_state[k["level"]] = "easy"
        settings[1].selectbox(
            ui.t("practice.kind"), state.choices(k["kind"]), key=k["kind"],
            format_func=lambda kind: ui.t(f"practice.kind.{kind}") if kind else ui.t("practice.kind.any"),
            on_change=_forget_answer, args=(slug,),
        )
        settings[2].button(ui.t("practice.new"), icon=":material/casino:", key=f"{slug}.practice.new",
                           on_click=_new_exercise, args=(slug,))
        _write_url(slug)
        try:
            ex = exercises.generate(slug, st.session_state[k["seed"]], st.session_state[k["level"]],
                                    st.session_state[k["kind"]] or None)
        except UserFacingError as error:  # no weights, a busy or unreachable model server, ...
            st.info(ui.error_text(error), icon=":material/info:")
            return
        series = st.container()  # filled after the answer is checked, so the score counts it
        question = ui.t(ex.question, **shown(ex.question_params))
        st.markdown(f"### {question}" if ui.presenting() else f"**{question}**")
        if picture is not None:
            try:
                picture(ex)
            except (ValueError, exercises.ExerciseError) as error:
                ui.bad_input(error)
        _answer(slug, ex)
        with series:
            _series_line(slug)
        _verdict(slug, ex)
        _solution(slug, ex)


def _forget_answer(slug: str) -> None:
    st.session_state.pop(keys(slug)["verdict"], None)
    st.session_state.pop(keys(slug)["reveal"], None)


def _series_line(slug: str) -> None:
    score = _score(slug)
    left, right = st.columns([3, 1])
    if score["done"] >= SERIES:
        left.success(ui.t("practice.series_done", right=score["right"], total=SERIES), icon=":material/flag:")
        right.button(ui.t("practice.new_series"), key=f"{slug}.practice.new_series",
                     on_click=_new_series, args=(slug,))
    else:
        left.caption(ui.t("practice.series", number=score["done"] + 1, total=SERIES, right=score["right"],
                          done=score["done"]))


def _answer(slug: str, ex) -> None:
    exid = _exercise_id(ex)
    if ex.answer_type in ("number", "integer", "cell"):
        with st.form(key=f"{slug}.practice.form.{exid}", enter_to_submit=True, border=False):
            label = ui.t(f"practice.answer.{ex.answer_type}")
            text = st.text_input(label, key=f"{slug}.practice.text.{exid}", max_chars=400,
                                 placeholder=ui.t(f"practice.placeholder.{ex.answer_type}"))
            if st.form_submit_button(ui.t("practice.check"), icon=":material/check:"):
                _record(slug, ex, ex.check(text))
        if ex.answer_type == "cell":
            with st.form(key=f"{slug}.practice.cellform.{exid}", border=False):
                st.caption(ui.t("practice.or_pick_cell"))
                row_col, col_col, go = st.columns([1, 1, 1], vertical_alignment="bottom")
                row = row_col.number_input(ui.t("practice.row"), min_value=0, max_value=63, step=1,
                                           key=f"{slug}.practice.row.{exid}")
                col = col_col.number_input(ui.t("practice.col"), min_value=0, max_value=63, step=1,
                                           key=f"{slug}.practice.col.{exid}")
                if go.form_submit_button(ui.t("practice.check_cell"), icon=":material/grid_on:"):
                    _record(slug, ex, ex.check_cell(int(row), int(col)))
    elif ex.answer_type == "choice":
        with st.form(key=f"{slug}.practice.form.{exid}", border=False):
            pick = st.radio(ui.t("practice.answer.choice"), list(ex.choices), index=None, horizontal=True,
                            format_func=lambda c: choice_label(ex, c), key=f"{slug}.practice.pick.{exid}")
            if st.form_submit_button(ui.t("practice.check"), icon=":material/check:"):
                _record(slug, ex, ex.check("" if pick is None else pick))
    else:  # choices: one control per class (thing or stuff)
        with st.form(key=f"{slug}.practice.form.{exid}", border=False):
            picks = [
                st.radio(display_name(cls, ui.lang()), list(ex.choices), index=None, horizontal=True,
                         format_func=lambda c: choice_label(ex, c), key=f"{slug}.practice.pick.{exid}.{i}")
                for i, cls in enumerate(ex.params["classes"])
            ]
            if st.form_submit_button(ui.t("practice.check"), icon=":material/check:"):
                _record(slug, ex, ex.check(", ".join(p or "" for p in picks)))


def _given(ex, value):
    if ex.answer_type == "choice":
        return choice_label(ex, value)
    if ex.answer_type == "choices" and isinstance(value, list):
        return ", ".join(choice_label(ex, v) for v in value)
    if ex.answer_type == "cell" and isinstance(value, list):
        return f"({value[0]}, {value[1]})"
    return value


def _verdict(slug: str, ex) -> None:
    stored = st.session_state.get(keys(slug)["verdict"])
    if not stored or stored[0] != _exercise_id(ex):
        return
    verdict = stored[1]
    params = dict(verdict.message_params)
    if "given" in params:
        params["given"] = _given(ex, params["given"])
    message = ui.t(verdict.message, **shown(params))
    if not verdict.readable:
        ui.bad_input(message)
    elif verdict.correct:
        st.success(message, icon=":material/check_circle:")
    else:
        st.error(message, icon=":material/cancel:")
    if verdict.hint:
        st.info(ui.t("practice.hint") + " " + ui.t(verdict.hint, **shown(verdict.hint_params)),
                icon=":material/lightbulb:")


def _solution(slug: str, ex) -> None:
    k = keys(slug)
    if ui.presenting():  # the answer stays off the projector until the teacher reveals it
        if st.session_state.get(k["reveal"]) != _exercise_id(ex):
            st.button(ui.t("practice.reveal"), icon=":material/visibility:", key=f"{slug}.practice.reveal",
                      on_click=st.session_state.__setitem__, args=(k["reveal"], _exercise_id(ex)))
            return
        _solution_body(ex)
        return
    with st.expander(ui.t("practice.show_solution"), icon=":material/menu_book:"):
        _solution_body(ex)


def _cell_text(column: str, value):
    if isinstance(value, float):
        return round(value, 4)
    if column == "decoder":
        return ui.t(f"decoder.{value}")
    if column == "name":
        return ui.t(f"practice.step.{value}")
    if column in ("class", "answer") and isinstance(value, str):
        return ui.t(f"practice.choice.{value}") if value in ("thing", "stuff") else display_name(value, ui.lang())
    if isinstance(value, list | tuple):
        return str(tuple(value)) if not value or not isinstance(value[0], list) else str(value)
    return value


def _column_label(column: str) -> str:
    text = ui.t(f"practice.col.{column}")
    return display_name(column, ui.lang()) if text.startswith("practice.col.") else text


def _solution_body(ex) -> None:
    import pandas as pd

    solution = ex.solution()
    st.markdown(f"**{ui.t('practice.answer_is', answer=_answer_text(ex))}**")
    st.markdown(f"`{ui.t(solution.formula, **shown(solution.formula_params))}`")
    if solution.steps:
        rows = [{_column_label(c): _cell_text(c, v) for c, v in step.items()} for step in solution.steps]
        st.dataframe(pd.DataFrame(rows).astype(str), hide_index=True, width="content")
    for key, params in solution.sentences:
        st.markdown(ui.t(key, **shown(params)))


def _answer_text(ex) -> str:
    answer = ex.answer
    if ex.answer_type == "number":
        return str(int(answer)) if float(answer).is_integer() else f"{answer:.4f}".rstrip("0")
    if ex.answer_type == "cell":
        return f"({answer[0]}, {answer[1]})"
    if ex.answer_type == "choice":
        return choice_label(ex, answer)
    if ex.answer_type == "choices":
        return ", ".join(choice_label(ex, a) for a in answer)
    return str(answer)
