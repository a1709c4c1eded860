"""Issue 19's class figures: N students on 2 replicas sharing PostgreSQL, the teacher's projector on replica 1;
then `kill -9` of that replica in the middle of a question.

Every student is a websocket session speaking the browser's protocol through HAProxy (bench/class_protocol.py):
they join by the link, wait on the page (ticking its watcher every second as the browser's timer does,
unless --no-poll), and answer through the page's own widgets; an answer counts as acknowledged only when
the page says so. Students are pinned alternately to r1 and r2 (HAProxy's affinity cookie); the teacher
to r1. The projector's live tally is ticked every second as the browser does.

1. Question 1: each student answers at a random moment within --window seconds. Printed: rows in
   PostgreSQL vs answers acknowledged, p50/p95/max from pressing Send to the projector showing the count
   that includes it (goal p95 <= 2 s), press -> acknowledgement, CPU of each replica and of the machine.
2. Question 2: pushed from r1; halfway through the answering window r1 is killed with SIGKILL. Students on
   r1 reconnect (HAProxy sends them to r2), come back on their own link and answer again if their answer
   had not been acknowledged; the teacher continues the class on r2 with the saved key file
   ("Continue a class started earlier"). Printed: acknowledged answers missing from the database (goal 0),
   rows vs acknowledged, what the projector shows on r2, kill -> projector back.

Loopback only, bounded (--max-seconds), every process stopped by pid. PostgreSQL: $PIXELWISE_TEST_POSTGRES_URL
or a throwaway cluster of its own.

    .venv/bin/python bench/class_replicas_load.py --students 300
"""

import argparse
import asyncio
import os
import random
import signal
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from bench.class_protocol import AFFINITY_COOKIE, Student, Teacher  # noqa: E402
from bench.replica_cluster import Meter, fresh_database, postgres_server, replica_pid, replicas  # noqa: E402
from bench.ws_session import SessionError  # noqa: E402
from harness.stored import rows, scalar  # noqa: E402

GOAL_P95_S = 2.0


@dataclass
class Pupil:
    """One student of the bench: their client, replica, and what happened to their answers."""

    index: int
    replica: str
    student: Student | None = None
    pressed: dict[int, float] = field(default_factory=dict)  # question -> monotonic time Send was pressed
    acked: dict[int, float] = field(default_factory=dict)  # question -> monotonic time the page acknowledged
    errors: list[str] = field(default_factory=list)
    reconnected: bool = False
    reconnects: int = 0  # dropped connections this student came back from (a new tab on their own link)
    ticks: int = 0  # runs of the page's watcher sent (a browser sends one a second)


def _pct(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


def _ms(values) -> str:
    if not values:
        return "none"
    return (f"p50 {1000 * statistics.median(values):.0f} ms, p95 {1000 * _pct(values, 0.95):.0f} ms, "
            f"max {1000 * max(values):.0f} ms (n={len(values)})")


def _rows(database: str) -> dict[int, set[str]]:
    """question id -> the students with an answer row, read straight from PostgreSQL."""
    answered: dict[int, set[str]] = {}
    for question, student in rows(database, "SELECT question_id, student_id FROM answers"):
        answered.setdefault(question, set()).add(student)
    return answered


class Projector:
    """The teacher's tab: ticks the live tally every second, records (time, answered) of each tick."""

    def __init__(self, teacher: Teacher):
        self.teacher = teacher
        self.seen: list[tuple[float, int]] = []
        self.failed_at: float | None = None
        self.stopped = False  # set, then await the task: a tick is never cut off half-read

    async def run(self, until: float) -> None:
        while time.monotonic() < until and not self.stopped:
            started = time.monotonic()
            try:
                shown = await self.teacher.tick()
            except SessionError:
                self.failed_at = time.monotonic()
                return
            if shown is not None:
                self.seen.append((time.monotonic(), shown[0]))
            await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - started)))

    async def stop(self, task: asyncio.Task) -> None:
        self.stopped = True
        await task

    def gaps(self) -> list[float]:
        """Seconds between the projector's readings (the browser asks every 1 s; a busy server stretches it)."""
        return [b[0] - a[0] for a, b in zip(self.seen, self.seen[1:], strict=False)]

    def latencies(self, pupils: list[Pupil], question: int) -> list[float]:
        """Send pressed -> the first projector reading whose count includes that answer (the k-th
        acknowledged answer is in once the count reaches k, read after its acknowledgement)."""
        acked = sorted((p.acked[question], p.pressed[question]) for p in pupils if question in p.acked)
        out = []
        for k, (ack_time, pressed) in enumerate(acked, start=1):
            seen = next((t for t, n in self.seen if t >= ack_time and n >= k), None)
            if seen is not None:
                out.append(seen - pressed)
        return out


async def _student_life(pupil: Pupil, base: str, code: str, question: int, answer_at: float, done: asyncio.Event,
                        poll: bool, gate: asyncio.Semaphore) -> None:
    """Wait on the page (ticking its watcher), answer at `answer_at`, reconnect and answer again if dropped;
    then keep the page open (its watcher ticking) until `done`."""
    cookies = {AFFINITY_COOKIE: pupil.replica}
    while not done.is_set():
        try:
            if pupil.student is None or pupil.reconnected:
                async with gate:
                    if pupil.student is None:
                        pupil.student = await Student.join(base, code, f"Student {pupil.index}", cookies=cookies)
                    else:
                        await pupil.student.come_back(base, cookies=cookies)
                        pupil.reconnects += 1
                pupil.reconnected = False
            student = pupil.student
            if question in pupil.acked or time.monotonic() < answer_at or student.question_id() != question:
                started = time.monotonic()
                if poll:  # the question arrives through the watcher (a new question reruns the page)
                    await student.watch()
                    pupil.ticks += 1
                elif student.question_id() != question:  # without it, a reload shows it
                    await student.session.rerun()
                if question in pupil.acked and not poll:
                    return
                await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
                continue
            choices = student.choices()
            pupil.pressed[question] = time.monotonic()
            ok, _ = await student.answer(random.choice(choices) if choices else "1")
            if ok:
                pupil.acked[question] = time.monotonic()
            else:
                pupil.errors.append("not acknowledged")
                await asyncio.sleep(1.0)
        except (TimeoutError, SessionError, OSError) as error:
            pupil.errors.append(f"{type(error).__name__}: {str(error)[:120]}")
            pupil.reconnected = pupil.student is not None
            await asyncio.sleep(1.0)


async def _until_answered(pupils: list[Pupil], question: int, until: float) -> None:
    """Wait until every student has an acknowledged answer, or `until`."""
    while time.monotonic() < until and not all(question in p.acked for p in pupils):
        await asyncio.sleep(0.5)



async def run(args, base: str, state: Path, database: str) -> int:
    pids = {"r1": replica_pid(state, 1), "r2": replica_pid(state, 2), "this client": os.getpid()}
    random.seed(args.seed)
    deadline = time.monotonic() + args.max_seconds
    gate = asyncio.Semaphore(args.join_concurrency)
    teacher = await Teacher.start(base, cookies={AFFINITY_COOKIE: "r1"})
    teacher.save_key()
    await teacher.push()
    question_1 = _current_question(database)
    pupils = [Pupil(i, "r1" if i % 2 == 0 else "r2") for i in range(args.students)]

    # -- 1. question 1 ----------------------------------------------------------------------------------
    meter = Meter(pids)
    projector = Projector(teacher)
    start = time.monotonic()
    phase_end = min(deadline, start + args.join_seconds + args.window + 60)
    watching = asyncio.create_task(projector.run(phase_end))
    done_1 = asyncio.Event()
    lives = [asyncio.create_task(_student_life(p, base, teacher.code, question_1,
                                               start + args.join_seconds + random.uniform(0, args.window),
                                               done_1, args.poll, gate)) for p in pupils]
    await _until_answered(pupils, question_1, phase_end)
    acked_1 = [p for p in pupils if question_1 in p.acked]
    last_ack = max((p.acked[question_1] for p in acked_1), default=time.monotonic())
    while time.monotonic() < min(phase_end, last_ack + 10) and (not projector.seen or
                                                                 projector.seen[-1][1] < len(acked_1)):
        await asyncio.sleep(0.5)
    await projector.stop(watching)
    cpu_1, phase_1_s, ticks = meter.report(), time.monotonic() - start, sum(p.ticks for p in pupils)
    done_1.set()
    await asyncio.gather(*lives)
    rows = _rows(database)
    joined = sum(p.student is not None for p in pupils)
    latencies = projector.latencies(pupils, question_1)
    press_ack = [p.acked[question_1] - p.pressed[question_1] for p in acked_1]
    print(f"== 1. {args.students} students on 2 replicas (r1, r2) sharing PostgreSQL, the projector on r1 "
          f"(watchers {'ticking every 1 s' if args.poll else 'off'}) ==")
    print(f"joined {joined}/{args.students}; answers acknowledged {len(acked_1)}; rows in PostgreSQL "
          f"{len(rows.get(question_1, ()))}; acknowledged but not in the database "
          f"{len({p.student.token for p in acked_1} - rows.get(question_1, set()))}; "
          f"projector's last count {projector.seen[-1][1] if projector.seen else 'none'}")
    print(f"Send -> projector count: {_ms(latencies)}; goal p95 <= {GOAL_P95_S:.0f} s: "
          f"{'MET' if latencies and _pct(latencies, 0.95) <= GOAL_P95_S else 'NOT MET'}")
    print(f"Send -> page acknowledged: {_ms(press_ack)}")
    print(f"errors seen by students: {sum(len(p.errors) for p in pupils)} "
          f"({'; '.join(sorted({e for p in pupils for e in p.errors})[:3])})")
    print(f"watcher runs answered: {ticks / phase_1_s:.0f}/s (browsers would send "
          f"{joined}/s); projector refreshed every {_ms(projector.gaps())}")
    print(f"CPU: {cpu_1}")

    # -- 2. kill -9 of the teacher's replica mid-question ------------------------------------------------
    errors_1 = sum(len(p.errors) for p in pupils)
    await teacher.push()
    question_2 = _current_question(database)
    meter = Meter(pids)
    start = time.monotonic()
    phase_end = min(deadline, start + args.window + 90)
    done_2 = asyncio.Event()
    joined_pupils = [p for p in pupils if p.student is not None]
    lives = [asyncio.create_task(_student_life(p, base, teacher.code, question_2,
                                               start + random.uniform(0, args.window), done_2, args.poll, gate))
             for p in joined_pupils]
    projector = Projector(teacher)
    watching = asyncio.create_task(projector.run(phase_end))
    await asyncio.sleep(args.window / 2)
    acked_before = sum(question_2 in p.acked for p in pupils)
    killed_at = time.monotonic()
    os.kill(pids["r1"], signal.SIGKILL)
    await watching
    resumed, back_at, tries, last_error = None, None, 0, ""
    while resumed is None and time.monotonic() < phase_end:
        tries += 1
        try:
            resumed = await Teacher.resume(base, teacher.code, teacher.key, cookies={AFFINITY_COOKIE: "r1"})
            back_at = time.monotonic()
        except (SessionError, OSError) as error:
            last_error = f"{type(error).__name__}: {str(error)[:160]}"
            await asyncio.sleep(1.0)
    await _until_answered(joined_pupils, question_2, phase_end)
    done_2.set()
    await asyncio.gather(*lives)
    acked_2 = [p for p in pupils if question_2 in p.acked]
    shown = None
    if resumed is not None:
        last = time.monotonic() + 15
        while time.monotonic() < min(last, deadline):
            shown = await resumed.tick()
            if shown and shown[0] >= len(acked_2):
                break
            await asyncio.sleep(1.0)
    rows = _rows(database)
    lost = {p.student.token for p in acked_2} - rows.get(question_2, set())
    print(f"== 2. kill -9 of the teacher's replica (r1) halfway through question 2 (question ids {question_1}, "
          f"{question_2}) ==")
    print(f"acknowledged before the kill {acked_before}; acknowledged in all {len(acked_2)} "
          f"(after the kill: {sum(p.acked.get(question_2, 0) > killed_at for p in pupils)}); "
          f"rows in PostgreSQL {len(rows.get(question_2, ()))}; "
          f"acknowledged but lost {len(lost)}")
    if resumed is None:
        print(f"the teacher could NOT continue on the other replica ({tries} tries; last: {last_error})")
    else:
        print(f"the teacher continued on r2 with the saved key {back_at - killed_at:.1f} s after the kill "
              f"({tries} tries); the projector there shows {shown[0] if shown else 'nothing'} answered "
              f"(acknowledged {len(acked_2)})")
    print(f"students who lost their connection and came back on their own link: "
          f"{sum(p.reconnects > 0 for p in pupils)} (on r1: {sum(p.replica == 'r1' for p in joined_pupils)}); "
          f"errors seen by students {sum(len(p.errors) for p in pupils) - errors_1}")
    print(f"CPU: {meter.report()}")
    ok = (not lost and resumed is not None and len(rows.get(question_1, ())) == len(acked_1)
          and len(rows.get(question_2, ())) >= len(acked_2))
    for pupil in pupils:
        if pupil.student is not None:
            await pupil.student.session.close()
    for one in (teacher, resumed):
        if one is not None:
            await one.session.close()
    return 0 if ok else 1


def _current_question(database: str) -> int:
    return scalar(database, "SELECT max(id) FROM questions")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--window", type=float, default=30.0, help="seconds over which students answer")
    parser.add_argument("--join-seconds", type=float, default=60.0, help="time given to join before answering")
    parser.add_argument("--join-concurrency", type=int, default=16)
    parser.add_argument("--no-poll", dest="poll", action="store_false",
                        help="students do not tick their page's watcher (a lighter load than browsers)")
    parser.add_argument("--max-seconds", type=float, default=900.0)
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()
    if not 1 <= args.students <= 400:
        parser.error("--students: 1 to 400")
    print(f"load before: {' '.join(f'{v:.1f}' for v in os.getloadavg())} on {os.cpu_count()} cores")
    with postgres_server() as admin_url, fresh_database(admin_url) as database, \
            replicas(database, 2) as (base, state):
        return asyncio.run(asyncio.wait_for(run(args, base, state, database), args.max_seconds + 120))


if __name__ == "__main__":
    sys.exit(main())
