"""The "Try it yourself" section in a real Chromium: on every lesson, in English and Chinese, an exercise is
answered by typing and pressing Enter (a pick and Check where the answer is a choice), the verdict
appears, and the section is left as screenshots/practice-<lang>-<slug>.png for a person to look at."""

import pytest

from lessons import i18n
from lessons.catalog import BY_SLUG
from ops import exercises
from tests.browser.conftest import SCREENSHOTS, assert_no_exception, screenshot, settle

SEED = 11
TYPED = {  # lesson -> a kind answered by typing
    "segmentation": "class-pixels",
    "sliding-window": "forward-passes",
    "per-pixel-loss": "pixel-loss",
    "full-resolution-cost": "layer-flops",
    "upsampling": "upsample-cell",
    "receptive-field": "receptive-field",
    "things-and-stuff": "instance-count",
}
PICKED = {"fcn-lab": "checkerboard-decoder", "live-demo": "largest-class"}  # lessons whose kinds are choices


def _seed(slug, kind):
    if kind == "upsample-cell":  # an operator with contributing cells, so the solution has its table
        return next(s for s in range(100) if len(exercises.generate(slug, s, "easy", kind).solution().steps) >= 2)
    return SEED


def _open(page, url, slug, kind, seed, lang):
    page.goto(f"{url}/{BY_SLUG[slug].url_path}?{slug}.ex={seed}&{slug}.kind={kind}&lang={lang}")
    section = page.locator(f".st-key-{slug}-practice")
    section.wait_for(timeout=90_000)
    settle(page, timeout=90_000)
    assert_no_exception(page)
    section.scroll_into_view_if_needed()
    return section


def _verdict_prefix(lang):
    return i18n.t("exercise.verdict.correct", lang, given="\0").split("\0")[0].strip()


# Each lesson in one language, the languages taking turns: both are checked on both kinds of answer, and a
# lesson's section is the same code in either language (tests/test_practice_pages.py covers every lesson in
# both through AppTest).
LESSON_LANGUAGES = [(slug, ("en", "zh")[n % 2]) for n, slug in enumerate([*TYPED, *PICKED])]


@pytest.mark.parametrize("slug, lang", LESSON_LANGUAGES)
def test_exercise_answered_in_the_browser(page, server_url, slug, lang):
    kind = TYPED.get(slug) or PICKED[slug]
    seed = _seed(slug, kind)
    section = _open(page, server_url, slug, kind, seed, lang)
    try:
        ex = exercises.generate(slug, seed, "easy", kind)
    except exercises.ExerciseUnavailable:  # the live demo without weights: the section says so
        section.get_by_text(i18n.t("exercise.unavailable.weights", lang)).wait_for(timeout=30_000)
        screenshot_section(page, section, f"practice-{lang}-{slug}")
        return
    if slug in TYPED:
        box = section.locator("[data-testid='stTextInput'] input").first
        box.fill(str(ex.answer))
        box.press("Enter")
    else:
        label = i18n.t(f"decoder.{ex.answer}", lang) if kind == "checkerboard-decoder" else None
        if label is None:
            from lessons.class_names import display_name

            label = display_name(ex.answer, lang)
        section.get_by_text(label, exact=True).first.click()
        section.get_by_role("button", name=i18n.t("practice.check", lang)).click()
    section.get_by_text(_verdict_prefix(lang)).first.wait_for(timeout=30_000)
    settle(page, timeout=90_000)
    section.get_by_text(i18n.t("practice.show_solution", lang)).first.click()
    settle(page, timeout=90_000)
    assert_no_exception(page)
    screenshot_section(page, section, f"practice-{lang}-{slug}")


def screenshot_section(page, section, name):
    screenshot(page, name.replace("practice-", "practice-page-"))
    path = SCREENSHOTS / f"{name}.png"
    page.set_viewport_size({"width": 1400, "height": 3000})  # the main area scrolls: make room for the section
    settle(page, timeout=90_000)
    section.screenshot(path=str(path))
    page.set_viewport_size({"width": 1400, "height": 1000})
    return path


def test_presenter_mode_reveal(page, server_url):
    slug, kind = "receptive-field", "receptive-field"
    page.goto(f"{server_url}/{BY_SLUG[slug].url_path}?{slug}.ex={SEED}&{slug}.kind={kind}&present=1")
    section = page.locator(f".st-key-{slug}-practice")
    section.wait_for(timeout=90_000)
    settle(page, timeout=90_000)
    answer = i18n.t("practice.answer_is", "en", answer=exercises.generate(slug, SEED, "easy", kind).answer)
    assert section.get_by_text(answer).count() == 0
    section.get_by_role("button", name=i18n.t("practice.reveal", "en")).click()
    section.get_by_text(answer).first.wait_for(timeout=30_000)
    settle(page, timeout=90_000)
    screenshot_section(page, section, "practice-presenter-receptive-field")
