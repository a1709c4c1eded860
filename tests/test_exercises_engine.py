"""The exercise engine: every kind accepts its answer in each spelling and rejects a wrong one (200 seeds),
recognises the usual mistakes recomputed here the wrong way, reproduces from (lesson, kind, seed, level),
keeps its params JSON-able, and has every message key in both catalogs with the same placeholders."""

import json
import math
import re
from dataclasses import asdict
from fractions import Fraction
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from lessons.catalog import LESSONS
from ops import exercises
from ops.exercises.model import CELL, CHOICE, CHOICES, INTEGER, NUMBER

ROOT = Path(__file__).resolve().parent.parent
SEEDS = range(200)
KINDS = [(lesson, kind) for lesson in exercises.LESSON_KINDS if lesson != "live-demo"  # live demo: see vs_torch
         for kind in exercises.kinds(lesson)]


def exercise(lesson, kind, seed):
    return exercises.generate(lesson, seed, exercises.LEVELS[seed % 2], kind)


def spellings(ex) -> list[str]:
    a = ex.answer
    if ex.answer_type == INTEGER:
        return [str(a), f" {a} ", f"{a}.0", f"{2 * a}/2", str(a).replace("-", "\u2212")]
    if ex.answer_type == NUMBER:
        text = repr(float(a))
        forms = [text, text.replace(".", ","), f"  {text} ", text.replace("-", "\u2212"), f"{a:.6g}"]
        simple = Fraction(a).limit_denominator(64)
        if math.isclose(float(simple), a, abs_tol=1e-12):
            forms.append(f"{simple.numerator}/{simple.denominator}".replace("-", "\u2212"))
        return forms
    if ex.answer_type == CELL:
        r, c = a
        return [f"{r},{c}", f"({r}, {c})", f"{r} {c}", f"[{r};{c}]"]
    if ex.answer_type == CHOICE:
        return [a, a.upper(), f" {a} ", a.replace("_", " ")]
    return [", ".join(a), " ".join(a), ";".join(x.upper() for x in a)]


def wrong(ex):
    a = ex.answer
    if ex.answer_type == INTEGER:
        return str(a + 1)
    if ex.answer_type == NUMBER:
        return repr(a + max(1.0, abs(a)))
    if ex.answer_type == CELL:
        return f"{a[0] + 1},{a[1]}"
    if ex.answer_type == CHOICE:
        others = [c for c in ex.choices if c != a]
        return others[0] if others else None
    flipped = ["stuff" if a[0] == "thing" else "thing"] + list(a[1:])
    return ", ".join(flipped)


@pytest.mark.parametrize("lesson, kind", KINDS)
def test_every_spelling_is_accepted_and_a_wrong_answer_rejected(lesson, kind):
    for seed in SEEDS:
        ex = exercise(lesson, kind, seed)
        for text in spellings(ex):
            verdict = ex.check(text)
            assert verdict.correct, (seed, text, ex.answer, verdict)
            assert verdict.message == "exercise.verdict.correct"
        if (text := wrong(ex)) is not None:
            verdict = ex.check(text)
            assert not verdict.correct and verdict.message == "exercise.verdict.wrong", (seed, text, ex.answer)
            assert verdict.hint and verdict.hint.startswith("exercise.hint.")
        if ex.answer_type == CELL:
            assert ex.check_cell(*ex.answer).correct and not ex.check_cell(ex.answer[0] + 1, ex.answer[1]).correct
        if ex.answer_type in (CHOICE, CHOICES):
            assert ex.check_choice(ex.answer).correct


# ------------------------------------------------------------------ hints, from the mistake recomputed here
def hint_of(ex, text):
    verdict = ex.check(text)
    assert not verdict.correct
    return verdict.hint


def test_align_corners_the_other_way_gets_its_hint():
    seen = 0
    for seed in SEEDS:
        ex = exercise("upsampling", "upsample-cell", seed)
        p = ex.params
        if p["op"] not in ("bilinear", "bicubic"):
            continue
        other = F.interpolate(torch.tensor(p["grid"], dtype=torch.float64)[None, None], scale_factor=p["scale"],
                              mode=p["op"], align_corners=not p["align_corners"])[0, 0, p["row"], p["col"]]
        if abs(float(other) - ex.answer) > 0.02:
            assert hint_of(ex, f"{float(other):.4f}") == "exercise.hint.align_corners"
            seen += 1
    assert seen > 10


def test_output_padding_forgotten_gets_its_hint():
    seen = 0
    for seed in SEEDS:
        ex = exercise("upsampling", "tconv-size", seed)
        p = ex.params
        if p["output_padding"]:
            forgot = F.conv_transpose2d(torch.zeros(1, 1, p["size"], p["size"]),
                                        torch.zeros(1, 1, p["kernel"], p["kernel"]), stride=p["stride"],
                                        padding=p["padding"], dilation=p["dilation"]).shape[-1]
            assert hint_of(ex, str(forgot)) == "exercise.hint.output_padding"
            seen += 1
    assert seen > 10


def test_two_l_instead_of_one_plus_two_l_gets_its_hint():
    seen = 0
    for seed in SEEDS:
        ex = exercise("receptive-field", "receptive-field", seed)
        layers = ex.params["layers"]
        if all(s == {"kind": "conv", "kernel": 3, "stride": 1, "dilation": 1} for s in layers):
            assert ex.answer == 1 + 2 * len(layers)
            assert hint_of(ex, str(2 * len(layers))) == "exercise.hint.one_plus"
            seen += 1
    assert seen > 5


def test_stride_not_multiplied_into_the_jump_gets_its_hint():
    seen = 0
    for seed in SEEDS:
        ex = exercise("receptive-field", "receptive-field", seed)
        layers = ex.params["layers"]
        flat = 1 + sum(s["dilation"] * (s["kernel"] - 1) for s in layers)  # every jump left at 1
        if flat != ex.answer and flat != ex.answer - 1:
            assert hint_of(ex, str(flat)) == "exercise.hint.stride_jump"
            seen += 1
    assert seen > 10


def test_log2_for_the_loss_gets_its_hint():
    for seed in range(40):
        ex = exercise("per-pixel-loss", "pixel-loss", seed)
        scores = torch.tensor([ex.params["scores"]], dtype=torch.float64)
        in_bits = float(F.cross_entropy(scores, torch.tensor([ex.params["label"]]))) / math.log(2)
        if abs(in_bits - ex.answer) > 0.02:
            verdict = ex.check(f"{in_bits:.3f}")
            assert verdict.hint == "exercise.hint.log_base" and verdict.hint_params == {"base": 2}


def test_strides_added_instead_of_multiplied_get_their_hint():
    for seed in SEEDS:
        ex = exercise("receptive-field", "jump", seed)
        added = sum(s["stride"] for s in ex.params["layers"])
        if added != ex.answer and ex.answer != 1:
            assert hint_of(ex, str(added)) == "exercise.hint.jump_multiplies"


def test_an_unrecognised_wrong_answer_gets_the_kinds_general_hint():
    ex = exercises.generate("upsampling", 3, kind="tconv-size")
    assert hint_of(ex, str(ex.answer + 1000)) == "exercise.hint.tconv_size"


# ------------------------------------------------------------------------- reproducible, JSON-able data
@pytest.mark.parametrize("lesson, kind", KINDS)
def test_seeds_reproduce_and_params_survive_json(lesson, kind):
    answers = set()
    for seed in range(0, 200, 5):
        ex = exercise(lesson, kind, seed)
        again = exercises.rebuild(json.loads(json.dumps(ex.to_dict())))
        assert (again.params, again.answer, again.kind, again.lesson) == (ex.params, ex.answer, kind, lesson)
        assert json.loads(json.dumps(ex.params)) == ex.params
        solution = ex.solution()
        json.dumps(asdict(solution))
        answers.add(json.dumps(ex.answer))
    assert len(answers) > 1  # new numbers each time


def test_upsampling_solution_steps_add_up_to_the_answer():
    for seed in SEEDS:
        ex = exercise("upsampling", "upsample-cell", seed)
        steps = ex.solution().steps
        assert sum(s["product"] for s in steps) == pytest.approx(ex.answer, abs=1e-9)
        for s in steps:
            assert s["product"] == pytest.approx(s["weight"] * ex.params["grid"][s["cell"][0]][s["cell"][1]])


def test_without_seed_a_kind_is_chosen_by_the_seed_and_home_has_none():
    for lesson in LESSONS:
        names = exercises.kinds(lesson.slug)
        assert (names == []) == (lesson.slug == "home")
    assert {exercises.generate("upsampling", s).kind for s in range(8)} == set(exercises.kinds("upsampling"))
    assert set(exercises.kinds("upsampling")) >= {"upsample-cell", "tconv-size", "unpool-cell", "stamp-count"}


@pytest.mark.parametrize("call, key", [
    (lambda: exercises.generate("home", 0), "exercise.error.unknown_lesson"),
    (lambda: exercises.generate("upsampling", -1), "exercise.error.bad_seed"),
    (lambda: exercises.generate("upsampling", "abc"), "exercise.error.bad_seed"),
    (lambda: exercises.generate("upsampling", 2 ** 40), "exercise.error.bad_seed"),
    (lambda: exercises.generate("upsampling", 0, "hard"), "exercise.error.unknown_level"),
    (lambda: exercises.generate("upsampling", 0, kind="pixel-loss"), "exercise.error.unknown_kind"),
])
def test_bad_requests_raise_an_error_with_a_key(call, key):
    with pytest.raises(exercises.ExerciseError) as caught:
        call()
    assert caught.value.key == key


def test_a_seed_from_the_url_can_be_text():
    assert exercises.generate("upsampling", "17").params == exercises.generate("upsampling", 17).params


def test_live_demo_without_weights_says_so(monkeypatch, tmp_path):
    monkeypatch.setenv("PIXELWISE_WEIGHTS", str(tmp_path))
    monkeypatch.setattr(torch.hub, "_hub_dir", str(tmp_path))
    with pytest.raises(exercises.ExerciseUnavailable) as caught:
        exercises.generate("live-demo", 0)
    assert caught.value.key == "exercise.unavailable.weights"


# ------------------------------------------------------------------------------------------- catalogs
def catalog(lang):
    read_po = pytest.importorskip("babel.messages.pofile", reason="reading the .po catalogs needs Babel").read_po
    with open(ROOT / "lessons" / lang / "messages.po", "rb") as f:
        # a plural entry (msgid_plural) by its key and its general form, as lessons.i18n.messages lists it
        return {_key(m.id): m.string if isinstance(m.string, str) else m.string[-1] for m in read_po(f) if m.id}


def _key(msgid) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


FIELD = re.compile(r"\{(\w+)[^}]*\}")


def used_keys():
    """(key, params) of everything the engine can show, over many exercises, errors and bad answers."""
    for lesson, kind in KINDS:
        for seed in range(0, 200, 7):
            ex = exercise(lesson, kind, seed)
            yield ex.question, ex.question_params
            yield ex.hint, {}
            for mistake in ex.mistakes:
                yield mistake.hint, mistake.params
                verdict = ex.judge(mistake.value)
                yield verdict.message, verdict.message_params
            solution = ex.solution()
            yield solution.formula, solution.formula_params
            yield from solution.sentences
            for text in ["", "x", "nan", "inf", "1e99", "9" * 70, "1/0", "1.5", "a,b,c", "2,3", "thing"]:
                verdict = ex.check(text)
                yield verdict.message, verdict.message_params
            verdict = ex.check_cell(0, 0)
            yield verdict.message, verdict.message_params
    for call in (lambda: exercises.generate("home", 0), lambda: exercises.generate("upsampling", -1),
                 lambda: exercises.generate("upsampling", 0, "x"),
                 lambda: exercises.generate("upsampling", 0, kind="x")):
        try:
            call()
        except exercises.ExerciseError as error:
            yield error.key, error.params
    yield "exercise.unavailable.weights", {}


def test_every_key_is_in_both_languages_and_formats_with_its_params():
    en, zh = catalog("en"), catalog("zh")
    for key, params in used_keys():
        for lang, texts in (("en", en), ("zh", zh)):
            assert texts.get(key), f"{key} missing in {lang}"
            texts[key].format(**params)  # every placeholder is given


def test_both_languages_have_the_same_keys_and_placeholders():
    en, zh = catalog("en"), catalog("zh")
    ours = {k for k in en if k.startswith("exercise.")}
    assert ours == {k for k in zh if k.startswith("exercise.")}
    for key in ours:
        assert set(FIELD.findall(en[key])) == set(FIELD.findall(zh[key])), key


def test_no_language_text_in_the_engine():
    for path in (ROOT / "ops" / "exercises").glob("*.py"):
        assert not re.search(r"[\u3000-\u9fff\uff00-\uffef]", path.read_text(encoding="utf-8")), path
