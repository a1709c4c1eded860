"""What a translated word costs: lessons.i18n.t for a plain message and for a plural entry chosen by its
count, tn, and say (ops' Words), in microseconds per call, side by side; every page asks for hundreds.

    .venv/bin/python bench/bench_i18n.py [--calls 200000]

The plural check in t (is the key a plural entry? only when a count is passed) must not make a plain
word dearer: compare 't plain' with 't plain + count param' and the plural rows.
"""

import argparse
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lessons import i18n  # noqa: E402
from ops.words import Words  # noqa: E402


def t_before(key: str, lang: str = "en", **params) -> str:
    """i18n.t as it was before plural entries (commit 544bb66): the reference the plural check is measured
    against."""
    text = i18n.messages(lang).get(key) or i18n.messages("en").get(key) or key
    return i18n.fill(text, params)


CASES = {
    "t before plurals, plain": lambda: t_before("app.presenter_mode", "zh"),
    "t plain (no params)": lambda: i18n.t("app.presenter_mode", "zh"),
    "t before, + count param": lambda: t_before("shared.limits.class", "zh", count=3, minutes=10),
    "t plain + count param": lambda: i18n.t("shared.limits.class", "zh", count=3, minutes=10),
    "t plain, 3 params": lambda: i18n.t("figure.hover.cell_value", "zh", row=1, col=2, value="x"),
    "t plural by count=": lambda: i18n.t("classroom.tally.wrong_answer", "zh", text="cow", count=2),
    "tn plural": lambda: i18n.tn("classroom.tally.wrong_answer", 2, "en", text="cow"),
    "say Words (plural)": lambda: i18n.say(Words("device.cpu", n=2), "zh"),
    "t with a Words param": lambda: i18n.t("live_video.semantic_only", "zh", model=Words("model.fcn_resnet50")),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200_000)
    args = parser.parse_args()
    for call in CASES.values():
        call()  # the catalogs are read once per process
    print(f"{'case':<26} µs/call (best of 5 × {args.calls:,} calls)")
    for name, call in CASES.items():
        best = min(timeit.repeat(call, number=args.calls, repeat=5)) / args.calls * 1e6
        print(f"{name:<26} {best:6.2f}")


if __name__ == "__main__":
    main()
