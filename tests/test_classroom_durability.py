"""The class store under stress, on SQLite and PostgreSQL: threads at once, kill -9, several processes
migrating at once, and a database that goes away and comes back."""
# ruff: noqa: F811  (pytest fixtures imported from tests.classroom_fixtures are parameters here)

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from harness import private_postgres
from harness.stored import scalar
from ops.classroom import ClassStore, StoreUnavailable
from ops.classroom.migrate import alembic_config
from ops.classroom.models import Base
from tests import classroom_standin
from tests.classroom_fixtures import backend, db_url, engine_and_lesson, lesson, store  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent


def _rows(url, table="answers") -> int:
    return scalar(url, f"SELECT count(*) FROM {table}")


def test_threads_submitting_at_once_store_each_acknowledged_answer_exactly_once(store, lesson):
    code, key = store.create_class()
    students = [store.join(code) for _ in range(40)]
    question = store.push(code, key, lesson, seed=1)
    acknowledged, errors, lock = set(), [], threading.Lock()

    def answer(group):
        for student in group:
            for attempt in range(2):  # each answers twice: the second replaces the first
                try:
                    store.submit(code, student, question, str(attempt))
                    with lock:
                        acknowledged.add(student)
                except Exception as error:  # noqa: BLE001 - collected and asserted below
                    errors.append(error)

    threads = [threading.Thread(target=answer, args=(students[i::8],)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    assert _rows(store.url) == len(acknowledged) == 40
    assert store.tally(code, key, question).answered == 40


def test_kill_minus_9_while_answering_loses_no_acknowledged_answer(db_url, engine_and_lesson):
    generator, lesson_name = engine_and_lesson
    with ClassStore(db_url, generator=generator) as store:
        code, key = store.create_class()
        students = [store.join(code) for _ in range(150)]
        question = store.push(code, key, lesson_name, seed=1)
    job = {"url": db_url, "code": code, "question": question, "students": students,
           "standin": generator is classroom_standin, "pause_s": 0.05}
    child = subprocess.Popen([sys.executable, "-m", "tests.classroom_submitter", json.dumps(job)], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True)
    acknowledged = []
    try:
        assert child.stdout.readline().strip() == "READY"
        while len(acknowledged) < 25:
            line = child.stdout.readline()
            assert line.startswith("ACK "), f"child stopped early: {line!r}"
            acknowledged.append(line.split()[1])
        os.kill(child.pid, signal.SIGKILL)  # mid-way: the child is still submitting
    finally:
        child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    with ClassStore(db_url, generator=generator) as restarted:  # the "restart"
        assert restarted.state(code).question.id == question
        answered = restarted.tally(code, key, question).answered
        assert len(acknowledged) <= answered < len(students)  # killed before the end, nothing acknowledged lost
        restarted.reveal(code, key, question)
        for student in acknowledged:
            assert restarted.verdict_for(code, student, question) is not None


def test_several_processes_starting_at_once_migrate_the_database_once(db_url):
    script = "import sys; from ops.classroom import ClassStore; print(ClassStore(sys.argv[1]).create_class()[0])"
    children = [subprocess.Popen([sys.executable, "-c", script, db_url], cwd=ROOT, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outputs = [child.communicate(timeout=120) for child in children]
    assert [child.returncode for child in children] == [0] * 4, [err for _, err in outputs]
    assert _rows(db_url, "classes") == 4
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    engine = create_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [head]
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []  # migrations == models
    engine.dispose()


def _raises_unavailable_quickly(call, limit_s=5.0):
    start = time.perf_counter()
    with pytest.raises(StoreUnavailable) as error:
        call()
    assert time.perf_counter() - start < limit_s
    assert error.value.key == "classroom.error.store_unavailable"


def test_an_unreachable_sqlite_file_raises_store_unavailable_and_recovers(tmp_path):
    folder = tmp_path / "not-yet"
    with ClassStore(f"sqlite:///{folder / 'classroom.sqlite3'}") as store:
        _raises_unavailable_quickly(store.create_class)
        _raises_unavailable_quickly(lambda: store.state("ABCDEFGH"))
        folder.mkdir()
        code, _ = store.create_class()
        assert not store.state(code).ended


def test_an_unreachable_postgresql_server_raises_store_unavailable_within_seconds():
    with ClassStore("postgresql://pixelwise@127.0.0.1:1/pixelwise") as store:
        _raises_unavailable_quickly(store.create_class)
        _raises_unavailable_quickly(store.create_class)  # and again: it keeps trying, it does not hang


@pytest.mark.slow
def test_postgresql_stopped_raises_store_unavailable_and_the_store_recovers_when_it_returns(lesson, engine_and_lesson):
    """On a cluster of this test's own: stopping the shared one would fail the tests other workers run meanwhile."""
    if not private_postgres.available():
        pytest.skip("needs Debian's postgresql (initdb, pg_ctl) to start a server of its own and stop it")
    with private_postgres.private_postgres() as server, \
            ClassStore(server.url, generator=engine_and_lesson[0]) as store:
        code, key = store.create_class()
        student = store.join(code)
        question = store.push(code, key, lesson, seed=1)
        store.submit(code, student, question, "1")
        server.pause()
        try:
            _raises_unavailable_quickly(lambda: store.state(code))
            _raises_unavailable_quickly(lambda: store.submit(code, student, question, "2"))
        finally:
            server.resume()
        assert store.tally(code, key, question).answered == 1  # the same store object, no restart
        store.submit(code, student, question, "2")
