"""A class question on a 390×844 phone, for every exercise kind: how it sits and how fast a tap is heard.

One server (a SQLite class in a temporary folder), one Chromium phone that joins; each exercise kind (seed 2,
level harder: the larger pictures; --levels easy,harder for both) is pushed through the class store the
server shares. Printed per kind and level: the page's widest scroll width (px, the phone is 390), the
smallest visible button (px, a finger needs 44), the bottom edge of the way to answer (px, the first screen
ends at 844: the first tap cell's row for a cell question, the choice buttons, or Send), the push → question
on the phone time (the page polls once a second), and for taps (a cell, a choice) the tap → "Your answer is
in" time. Load average before and after.

    .venv/bin/python bench/bench_class_phones.py [--levels harder]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness.chromium import CHROMIUM, launch, settle  # noqa: E402
from harness.local_server import serve  # noqa: E402
from harness.phone_fit import PHONE, bottom, fit  # noqa: E402
from lessons import i18n  # noqa: E402
from ops import exercises  # noqa: E402
from ops.classroom import ClassStore  # noqa: E402


def kinds():
    done = set()
    for lesson, table in exercises.LESSON_KINDS.items():
        for kind in table:
            if lesson != "live-demo" and kind not in done:  # the live demo's exercise needs segmentation weights
                done.add(kind)
                yield lesson, kind


def words(ex) -> tuple[str, str]:
    """The question and its first choice as the English page writes them."""
    from pages import class_question, ui

    with ui.as_viewer("en"):
        first = class_question.choice_label(ex, ex.choices[0]) if ex.choices else ""
        return class_question.question_text(ex), first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="harder", help="comma-separated: easy,harder")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"needs Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    received, waiting = i18n.t("classui.received", "en"), i18n.t("classroom.state.waiting", "en")
    rows, taps, pushes = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        url_db = f"sqlite:///{Path(folder) / 'class.sqlite3'}"
        with serve(extra_env={"PIXELWISE_DATABASE_URL": url_db}) as (url, _), sync_playwright() as pw:
            store = ClassStore(url_db)
            code, key = store.create_class()
            browser = launch(pw)
            phone = browser.new_context(**PHONE).new_page()
            phone.goto(url + f"/class_student?code={code}")
            phone.get_by_role("button", name=i18n.t("classui.join", "en"), exact=True).click(timeout=120_000)
            phone.get_by_text(waiting).wait_for(timeout=60_000)
            for lesson, kind in kinds():
                for level in args.levels.split(","):
                    ex = exercises.generate(lesson, 2, level=level, kind=kind)
                    start = time.perf_counter()
                    store.push(code, key, lesson, 2, level, kind)
                    question, first_choice = words(ex)
                    phone.get_by_text(question).first.wait_for(timeout=60_000)
                    pushes.append(time.perf_counter() - start)
                    settle(phone)
                    measured = fit(phone)
                    if ex.answer_type == "cell":
                        way = phone.locator(".at-tap button").first
                    elif ex.answer_type == "choice":
                        way = phone.get_by_role("button", name=first_choice, exact=True)
                    else:
                        way = phone.get_by_role("button", name=i18n.t("classui.send", "en"))
                    edge = bottom(way)
                    tap = None
                    if ex.answer_type in ("cell", "choice"):
                        start = time.perf_counter()
                        way.tap()
                        phone.get_by_text(received).wait_for(timeout=60_000)
                        tap = time.perf_counter() - start
                        taps.append(tap)
                    rows.append((f"{lesson}/{kind}", level, ex.answer_type, measured["wide"], measured["smallest"],
                                 edge, pushes[-1], tap))
            browser.close()
    print(f"{'exercise kind':42} {'level':7} {'answer':8} {'width':>6} {'button':>7} {'answer at':>10} "
          f"{'push→shown':>11} {'tap→heard':>10}")
    for name, level, answer, wide, smallest, edge, push, tap in rows:
        print(f"{name:42} {level:7} {answer:8} {wide:6.0f} {smallest or 0:7.1f} {edge or float('nan'):10.0f} "
              f"{push * 1000:9.0f}ms {'' if tap is None else f'{tap * 1000:8.0f}ms':>10}")
    print(f"widest page {max(r[3] for r in rows):.0f} px of 390; smallest button {min(r[4] for r in rows):.1f} px "
          f"(44 needed); lowest way to answer {max(r[5] for r in rows):.0f} px of 844")
    print(f"push → question on the phone: median {statistics.median(pushes) * 1000:.0f} ms "
          f"(max {max(pushes) * 1000:.0f}); tap → answer heard: median {statistics.median(taps) * 1000:.0f} ms "
          f"(max {max(taps) * 1000:.0f}) over {len(taps)} taps")
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
