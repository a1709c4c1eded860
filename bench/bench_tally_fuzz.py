"""How long the projector's tally takes whatever a class types: the fuzz test's answers, timed.

Runs the same random and adversarial answers as tests/test_classroom_fuzz.py (tests/classroom_answers.py)
through ClassStore.submit -> tally -> class_tally.figure on a SQLite file, and prints how many answers
were sent, how many tallies ran, and the slowest tally (store read + distribution) and tally + figure, in
wall-clock time and in this thread's CPU time (which other processes on a shared machine do not inflate).
The goal (issue 19): every tally under 50 ms. Run from the project root:

    .venv/bin/python bench/bench_tally_fuzz.py [--examples 130]
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from lessons.figures import class_tally  # noqa: E402
from ops.classroom import ClassStore  # noqa: E402
from tests.classroom_answers import QUESTIONS, answers  # noqa: E402
from tests.test_classroom_fuzz import LABELS  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=130)
    args = parser.parse_args()
    sent, tallies, figures, cpu = [], [], [], []
    with tempfile.TemporaryDirectory() as folder, ClassStore(f"sqlite:///{folder}/bench.sqlite3") as store:

        @settings(max_examples=args.examples, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(question=st.sampled_from(QUESTIONS), texts=st.lists(answers, min_size=70, max_size=100),
               revealed=st.booleans())
        def one_question(question, texts, revealed):
            lesson, kind, level = question
            code, key = store.create_class()
            qid = store.push(code, key, lesson, seed=11, level=level, kind=kind)
            for text in texts:
                try:
                    store.submit(code, store.join(code), qid, text)
                except Exception:  # noqa: BLE001  (empty / too long: refused with a message)
                    pass
            if revealed:
                store.reveal(code, key, qid)
            store.tally(code, key, qid)  # the first tally of a question also builds its exercise: warm it
            start, start_cpu = time.perf_counter(), time.thread_time()
            tally = store.tally(code, key, qid)
            middle = time.perf_counter()
            class_tally.figure(tally.distribution, LABELS, tally.solution)
            end, end_cpu = time.perf_counter(), time.thread_time()
            cpu.append((end_cpu - start_cpu) * 1000)
            sent.append(len(texts))
            tallies.append((middle - start) * 1000)
            figures.append((end - start) * 1000)

        one_question()
    tallies.sort()
    figures.sort()
    print(f"answers sent: {sum(sent)} in {len(tallies)} questions of {len(QUESTIONS)} kinds")
    print(f"tally (store read + distribution): median {tallies[len(tallies) // 2]:.1f} ms, "
          f"slowest {tallies[-1]:.1f} ms")
    print(f"tally + projector figure: median {figures[len(figures) // 2]:.1f} ms, slowest {figures[-1]:.1f} ms")
    over = sum(1 for ms in figures if ms >= 50)
    p99 = figures[int(0.99 * (len(figures) - 1))]
    print(f"p99 tally + figure {p99:.1f} ms; {over} of {len(figures)} at 50 ms or more (wall clock)")
    cpu.sort()
    print(f"CPU time of tally + figure (this thread, blind to other processes): median {cpu[len(cpu) // 2]:.1f} ms, "
          f"slowest {cpu[-1]:.1f} ms")
    print("goal: every tally under 50 ms:", "met" if figures[-1] < 50 else "NOT met")
    print("load average (1, 5, 15 min):", " ".join(f"{v:.2f}" for v in os.getloadavg()))


if __name__ == "__main__":
    main()
