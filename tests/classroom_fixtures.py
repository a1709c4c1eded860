"""Fixtures for the class-store tests: a fresh database per test on each backend, and the exercise engine.

SQLite always; PostgreSQL when $PIXELWISE_TEST_POSTGRES_URL names a server (.ci/postgres.sh start sets
it): each test gets its own new database there, dropped afterwards.
"""

import importlib
import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from tests import classroom_standin

POSTGRES_ENV = "PIXELWISE_TEST_POSTGRES_URL"


def _postgres_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"PostgreSQL backend: set {POSTGRES_ENV} (.ci/postgres.sh start does) to run these")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request):
    if request.param == "postgresql":
        _postgres_url()
    return request.param


@pytest.fixture
def db_url(backend, tmp_path):
    """The URL of an empty database on `backend`."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'classroom.sqlite3'}"
        return
    admin_url = make_url(_postgres_url())
    name = f"pixelwise_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)  # survives a restart
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield admin_url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def engine_and_lesson():
    """(generator, lesson): ops.exercises when it exists (generator None = the store's default), else the
    local stand-in."""
    try:
        exercises = importlib.import_module("ops.exercises")
        exercises.generate("upsampling", 1)
        return None, "upsampling"
    except (ImportError, AttributeError, KeyError, ValueError, TypeError):
        return classroom_standin, classroom_standin.LESSON


@pytest.fixture
def store(db_url, engine_and_lesson):
    from ops.classroom import ClassStore

    generator, _ = engine_and_lesson
    with ClassStore(db_url, generator=generator) as s:
        yield s


@pytest.fixture
def lesson(engine_and_lesson):
    return engine_and_lesson[1]


def exercise_for(lesson, seed, level="easy", generator=None):
    engine = generator or importlib.import_module("ops.exercises")
    return engine.generate(lesson, seed, level=level)


def right_text(exercise) -> str:
    answer = exercise.answer
    candidates = [str(answer)]
    if isinstance(answer, (tuple, list)):
        candidates += [",".join(map(str, answer)), " ".join(map(str, answer))]
    for candidate in candidates:
        if exercise.check(candidate).correct:
            return candidate
    raise AssertionError(f"no text for the right answer {answer!r}")


wrong_text = classroom_standin.wrong_text
