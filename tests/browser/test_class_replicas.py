"""Issue 19, the Kubernetes shape on one machine: two replicas behind HAProxy sharing one PostgreSQL, the
teacher pinned to one replica and the students to the other, every answer counted on the projector.

Before the manifests gave the replicas a database URL, each kept its own SQLite file: a student routed to
another replica than the teacher's got "no class with this code". Needs Debian's haproxy, Chromium and
PostgreSQL ($PIXELWISE_TEST_POSTGRES_URL, from `eval "$(.ci/postgres.sh start)"`); skips with the reason.
"""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from harness.local_server import free_port
from lessons import i18n
from lessons.class_names import display_name
from ops import exercises
from ops.classroom import ClassStore
from tests.browser.conftest import CHROMIUM, assert_no_exception, settle

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent.parent
HAPROXY = shutil.which("haproxy") or ("/usr/sbin/haproxy" if os.path.exists("/usr/sbin/haproxy") else None)
STUDENTS = 3


@pytest.fixture
def shared_database():
    admin_url = os.environ.get("PIXELWISE_TEST_POSTGRES_URL")
    if not admin_url:
        pytest.skip("needs PostgreSQL: eval \"$(.ci/postgres.sh start)\" sets PIXELWISE_TEST_POSTGRES_URL")
    name = f"pixelwise_{uuid.uuid4().hex[:12]}"
    admin = create_engine(make_url(admin_url), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def two_replicas(shared_database, tmp_path):
    if HAPROXY is None:
        pytest.skip("needs Debian's haproxy (apt-get install haproxy)")
    port = free_port()
    env = {**os.environ, "PYTHON": sys.executable, "HAPROXY": HAPROXY, "PIXELWISE_DATABASE_URL": shared_database}
    env.pop("PIXELWISE_SERVE_URL", None)
    up = subprocess.run([str(ROOT / "deploy/up.sh"), "--replicas", "2", "--port", str(port), "--state",
                         str(tmp_path)], env=env, capture_output=True, text=True, timeout=300, check=False)
    try:
        assert up.returncode == 0, up.stderr[-2000:]
        yield up.stdout.strip().splitlines()[-1], shared_database
    finally:
        subprocess.run([str(ROOT / "deploy/down.sh"), "--state", str(tmp_path)], timeout=60, capture_output=True,
                       check=False)


def _pinned(browser, url: str, replica: str, **options):
    """A browser whose HAProxy affinity cookie sends it to `replica` (r1 or r2)."""
    context = browser.new_context(**options)
    context.add_cookies([{"name": "PIXELWISE", "value": replica, "url": url}])
    return context


def test_the_teacher_on_one_replica_counts_every_student_on_the_other(browser, two_replicas):
    if browser is None:
        pytest.skip(f"needs Chromium at {CHROMIUM}")
    url, database = two_replicas
    contexts = [_pinned(browser, url, "r1", viewport={"width": 1400, "height": 1000})]
    contexts += [_pinned(browser, url, "r2", viewport={"width": 430, "height": 900}) for _ in range(STUDENTS)]
    teacher, *students = [context.new_page() for context in contexts]
    try:
        teacher.goto(url + "/class_teacher")
        teacher.get_by_role("button", name="Start a class now").click(timeout=120_000)
        code = teacher.locator(".pixelwise-code").inner_text(timeout=60_000).strip()
        teacher.get_by_role("button", name="Push to the class").click()
        teacher.get_by_text("No answers yet").wait_for(timeout=60_000)
        ex = exercises.generate("segmentation", 1, level="easy")  # the push form's defaults
        for number, student in enumerate(students):
            student.goto(url + f"/class_student?code={code}")
            name = student.get_by_role("textbox", name="Your name (optional)")
            name.fill(f"Student {number}")
            name.press("Enter")
            assert ex.answer_type == "choice"  # answered by tapping the choice's button (issue 20's phone page)
            student.get_by_role("button", name=display_name(ex.answer, "en"), exact=True).click(timeout=120_000)
            student.get_by_text(i18n.t("classui.received", "en")).wait_for(timeout=60_000)
            assert_no_exception(student)
        teacher.get_by_text(f"{STUDENTS} of {STUDENTS} answered").wait_for(timeout=60_000)  # the projector counts
        settle(teacher)
        assert_no_exception(teacher)
        for page, replica in [(teacher, "r1")] + [(s, "r2") for s in students]:  # each stayed where it was sent
            assert {c["name"]: c["value"] for c in page.context.cookies()}["PIXELWISE"] == replica
        with ClassStore(database) as store:  # what the projector counted is what the shared database holds
            question = store.state(code).question
            assert question is not None
        engine = create_engine(make_url(database), poolclass=NullPool)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT count(*) FROM answers WHERE question_id = :q"),
                                {"q": question.id}).scalar_one()
        engine.dispose()
        assert rows == STUDENTS
    finally:
        for context in contexts:
            context.close()
