"""A live class against one store: N students join and answer within a few seconds, a projector polls.

Threads, not browsers: this measures the store (and its database), not Streamlit. Each student joins at a
random moment of the first 40 % of the run, polls the class state once a second like a student page, and
answers once at a random moment before the end. A projector thread polls the tally as fast as it can.
Printed: answers acknowledged vs rows in the database (must be equal), errors, the submit time, and the
time from a submit to the projector's count including it (p50 / p95). Load average before and after.

    .venv/bin/python bench/bench_classroom.py [--students 300] [--seconds 10] [--url postgresql://...]

Without --url: a SQLite file in a temporary folder; --postgres uses $PIXELWISE_TEST_POSTGRES_URL.
"""

import argparse
import bisect
import os
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text

from ops.classroom import ClassroomError, ClassStore


def exercise_engine():
    """(generator, lesson): the real exercises (ClassStore's default generator) of the upsampling lesson."""
    return None, "upsampling"


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def run(url: str, students: int, seconds: float, seed: int = 0) -> dict:
    generator, lesson = exercise_engine()
    rng = random.Random(seed)
    store = ClassStore(url, generator=generator)
    code, key = store.create_class()
    question = store.push(code, key, lesson, seed=1)
    start = time.perf_counter() + 0.5
    stop = threading.Event()
    acks, errors, seen, lock = [], Counter(), [], threading.Lock()

    def projector():
        while not stop.is_set():
            answered = store.tally(code, key, question).answered
            seen.append((time.perf_counter(), answered))

    def student(i, join_at, answer_at):
        try:
            time.sleep(max(0.0, start + join_at - time.perf_counter()))
            me = store.join(code, name=f"student {i}", caller=f"session-{i}")
            while time.perf_counter() < start + answer_at:
                store.state(code)
                time.sleep(min(1.0, max(0.0, start + answer_at - time.perf_counter())))
            sent = time.perf_counter()
            store.submit(code, me, question, str(i % 7))
            with lock:
                acks.append((sent, time.perf_counter()))
        except ClassroomError as error:
            errors[type(error).__name__] += 1

    threads = [threading.Thread(target=projector)]
    for i in range(students):
        join_at = rng.uniform(0, 0.4 * seconds)
        threads.append(threading.Thread(target=student, args=(i, join_at, rng.uniform(join_at + 0.2, seconds))))
    for t in threads:
        t.start()
    for t in threads[1:]:
        t.join()
    time.sleep(0.3)
    stop.set()
    threads[0].join()
    elapsed = time.perf_counter() - start

    # the k-th acknowledged answer is on the projector at the first poll that counts at least k answers
    seen_times, seen_counts = [t for t, _ in seen], [n for _, n in seen]
    running_max = [max(seen_counts[: i + 1]) for i in range(len(seen_counts))] if seen_counts else []
    visible = []
    for rank, (sent, _acked) in enumerate(sorted(acks, key=lambda a: a[1]), start=1):
        index = bisect.bisect_left(running_max, rank)
        if index < len(seen_times):
            visible.append(seen_times[index] - sent)
    engine = create_engine(store.url)
    with engine.connect() as conn:
        rows = conn.execute(text(  # this run's class only: a reused database may hold other classes' answers
            "SELECT count(*) FROM answers JOIN questions ON questions.id = answers.question_id "
            "JOIN classes ON classes.id = questions.class_id WHERE classes.code = :code"), {"code": code}).scalar_one()
    engine.dispose()
    store.close()
    submit = [acked - sent for sent, acked in acks]
    return {"students": students, "elapsed": elapsed, "acknowledged": len(acks), "rows": rows,
            "errors": dict(errors), "polls": len(seen), "submit_p50": percentile(submit, 0.5),
            "submit_p95": percentile(submit, 0.95), "visible_p50": percentile(visible, 0.5),
            "visible_p95": percentile(visible, 0.95), "visible_max": max(visible, default=float("nan"))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--url", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--postgres", action="store_true", help="use $PIXELWISE_TEST_POSTGRES_URL")
    args = parser.parse_args()
    url = os.environ["PIXELWISE_TEST_POSTGRES_URL"] if args.postgres else args.url
    with tempfile.TemporaryDirectory() as folder:
        url = url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        result = run(url, args.students, args.seconds)
    print(f"backend: {url.split(':')[0]}, {result['students']} students over {result['elapsed']:.1f} s, "
          f"{result['polls']} projector polls")
    print(f"answers acknowledged: {result['acknowledged']}, rows in the database: {result['rows']}, "
          f"errors: {result['errors'] or 'none'}")
    print(f"submit: p50 {result['submit_p50'] * 1000:.0f} ms, p95 {result['submit_p95'] * 1000:.0f} ms")
    print(f"submit -> projector count: p50 {result['visible_p50'] * 1000:.0f} ms, "
          f"p95 {result['visible_p95'] * 1000:.0f} ms, max {result['visible_max'] * 1000:.0f} ms")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0 if result["acknowledged"] == result["rows"] and not result["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
