"""A live class driven through the class pages' own widgets over the browser's protocol (bench/ws_session.py).

Shared by the replica bench (bench/class_replicas_load.py) and its test (tests/test_class_protocol.py):
a student joins by the link, types an answer and presses the form's submit, and counts it as acknowledged
only when the page says "Your answer is in"; the teacher starts a class, pushes the push form's defaults,
saves the key file (the download button's file), and reads the projector's "N of M answered" from the
tally the page redraws every second (its st.fragment, ticked as the browser's timer does).
Nothing here writes to the store: every change goes through a page's rerun.

Widgets are found by their keys in pages/class_student.py and pages/class_teacher.py (KEYS below), and
messages by the English catalog, so a reworded label does not break the bench; a renamed key does.
"""

import asyncio
import re
import time
import urllib.request
from dataclasses import dataclass

from bench.ws_session import Session, SessionError
from lessons import i18n

KEYS = {  # the page keys this module depends on (tell h2 / the class pages' owner)
    "join_form": "classui.join_form", "join_name": "classui.join_name",
    "answer_form": "classui.answer_form.{question}", "answer": "classui.answer.{question}",
    "choice": "classui.choice.{question}.{choice}",  # a choice question: one button per choice, a tap sends
    "start": "classui.start_here", "push_form": "classui.push_form", "save_key": "classui.save_key",
    "reveal": "classui.reveal",
    "resume_form": "classui.resume_form", "resume_code": "classui.resume_code", "resume_key": "classui.resume_key",
}
AFFINITY_COOKIE = "PIXELWISE"  # deploy/haproxy.cfg.template: which replica a client is pinned to


def _en(key: str, **params) -> str:
    return i18n.t(key, "en", **params)


def catalog_pattern(key: str, *numbers: str) -> re.Pattern:
    """An English catalog message as a regex: each named placeholder in `numbers` a captured whole number."""
    marks = {name: f"\0{index}" for index, name in enumerate(numbers)}
    pattern = re.escape(_en(key, **marks))
    for mark in marks.values():
        pattern = pattern.replace(re.escape(mark), r"(\d+)")
    return re.compile(pattern)


ANSWERED = catalog_pattern("classroom.tally.answered", "answered", "joined")


class ClassPageError(SessionError):
    """A class page did not show what the step expects (`what`), e.g. no acknowledgement."""


def texts(session: Session) -> list[str]:
    """The alerts, markdown and metric values now on the page."""
    found = [alert.body for alert in session.elements_of("alert")]
    found += [markdown.body for markdown in session.elements_of("markdown")]
    return found + [metric.body for metric in session.elements_of("metric")]


def _widget_with_key_prefix(session: Session, kind: str, prefix: str):
    for _, proto in session.widgets(kind):
        if "-" + prefix in proto.id:
            return proto
    raise ClassPageError("bench.error.no_widget", kind=kind, key=prefix, page=session.page_name)


@dataclass
class Student:
    """One student's browser tab: joins by the link and answers the question shown."""

    session: Session
    code: str
    token: str = ""  # their own link's `me` (a reload comes back as the same student)

    @classmethod
    async def join(cls, base: str, code: str, name: str, cookies: dict | None = None, timeout: float = 120.0):
        session = Session(base, timeout=timeout, cookies=cookies)
        await session.connect()
        await session.open("class_student", f"code={code}")
        session.type_text(session.find("text_input", key=KEYS["join_name"]), name)
        run = await session.click(session.submit_button(KEYS["join_form"]))
        token = dict(part.split("=", 1) for part in session.query_string.split("&") if "=" in part).get("me", "")
        if run.exceptions or not token:
            raise ClassPageError("bench.error.join", code=code, exceptions=run.exceptions, query=session.query_string)
        return cls(session, code, token)

    async def come_back(self, base: str, cookies: dict | None = None, timeout: float = 120.0) -> None:
        """A new tab on the student's own link (after a dropped connection): the same student again."""
        await self.session.close()
        self.session = Session(base, timeout=timeout, cookies=cookies)
        await self.session.connect()
        await self.session.open("class_student", f"code={self.code}&me={self.token}")

    def question_id(self) -> int | None:
        """The id of the question the page asks now (from its answer box's or choice buttons' keys), or None."""
        for kind, prefix in (("text_input", "classui.answer."), ("button", "classui.choice.")):
            try:
                widget = _widget_with_key_prefix(self.session, kind, prefix)
            except ClassPageError:
                continue
            return int(widget.id.rsplit(prefix, 1)[1].split(".")[0])
        return None

    def choices(self) -> list[str]:
        """The choices offered as buttons (a choice question), else []."""
        question = self.question_id()
        prefix = "-" + KEYS["choice"].format(question=question, choice="")
        return [proto.id.split(prefix, 1)[1] for _, proto in self.session.widgets("button") if prefix in proto.id]

    async def answer(self, text: str) -> tuple[bool, float]:
        """Answer as the page offers it: type `text` and press Send, or tap the choice button `text`.
        Returns (acknowledged by the page, seconds from the press to the page's reply)."""
        question = self.question_id()
        if question is None:
            raise ClassPageError("bench.error.no_question", page=self.session.page_name, texts=texts(self.session)[:4])
        if self.choices():
            run = await self.session.click(self.session.find("button", key=KEYS["choice"].format(
                question=question, choice=text)))
        else:
            self.session.type_text(self.session.find("text_input", key=KEYS["answer"].format(question=question)), text)
            run = await self.session.click(self.session.submit_button(KEYS["answer_form"].format(question=question)))
        return _en("classui.received") in run.texts, run.seconds

    async def watch(self) -> None:
        """One tick of the page's watcher (st.fragment run_every=1), as the browser's timer sends it."""
        for fragment in list(self.session.auto_reruns):
            await self.session.tick(fragment)


@dataclass
class Teacher:
    """The projector's tab: starts a class, pushes the form's defaults, reads the live count."""

    session: Session
    code: str = ""
    key: str = ""
    question: int | None = None

    @classmethod
    async def start(cls, base: str, cookies: dict | None = None, timeout: float = 120.0):
        session = Session(base, timeout=timeout, cookies=cookies)
        await session.connect()
        await session.open("class_teacher")
        run = await session.click(session.find("button", key=KEYS["start"]))
        teacher = cls(session)
        teacher.code = teacher._code_on_page()
        if run.exceptions or not teacher.code:
            raise ClassPageError("bench.error.start", exceptions=run.exceptions, texts=texts(session)[:5])
        return teacher

    def _code_on_page(self) -> str:
        for markdown in self.session.elements_of("markdown"):
            found = re.search(r'class="pixelwise-code"[^>]*>([^<]+)<', markdown.body)
            if found:
                return found.group(1).strip()
        return ""

    def save_key(self) -> str:
        """The teacher key file's text, as "Save the teacher key" downloads it (from the same replica)."""
        button = self.session.find("download_button", key=KEYS["save_key"])
        request = urllib.request.Request(self.session.base_url + button.url)
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.session.cookies.items()))
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read().decode()
        line = next(line for line in _en("classui.key_file", code="\0", teacher_key="\1").splitlines() if "\1" in line)
        before, after = line.split("\1")
        for text in body.splitlines():
            if text.startswith(before) and text.endswith(after) and len(text) > len(before) + len(after):
                self.key = text[len(before):len(text) - len(after)].strip()
                return body
        raise ClassPageError("bench.error.key_file", body=body[:200])

    async def push(self) -> None:
        """Push the push form's defaults (lesson, level, seed) to the class."""
        run = await self.session.click(self.session.submit_button(KEYS["push_form"]))
        if run.exceptions or not self.session.auto_reruns:
            raise ClassPageError("bench.error.push", exceptions=run.exceptions, texts=texts(self.session)[:5])

    async def reveal(self) -> None:
        await self.session.click(self.session.find("button", key=KEYS["reveal"]))

    def count(self) -> tuple[int, int] | None:
        """(answered, joined) as the projector shows it now, or None when no count is shown."""
        for metric in self.session.elements_of("metric"):
            found = ANSWERED.search(metric.body)
            if found:
                return int(found.group(1)), int(found.group(2))
        return None

    async def tick(self) -> tuple[int, int] | None:
        """One refresh of the live tally (the fragment the browser reruns every second); the count it shows."""
        for fragment in list(self.session.auto_reruns):
            await self.session.tick(fragment)
        return self.count()

    @classmethod
    async def resume(cls, base: str, code: str, key: str, cookies: dict | None = None, timeout: float = 120.0):
        """"Continue a class started earlier" with the code and the saved key, in a new tab."""
        session = Session(base, timeout=timeout, cookies=cookies)
        await session.connect()
        await session.open("class_teacher")
        session.type_text(session.find("text_input", key=KEYS["resume_code"]), code)
        session.type_text(session.find("text_input", key=KEYS["resume_key"]), key)
        run = await session.click(session.submit_button(KEYS["resume_form"]))
        teacher = cls(session, code, key)
        if run.exceptions or teacher.count() is None:
            raise ClassPageError("bench.error.resume", exceptions=run.exceptions, texts=texts(session)[:5])
        return teacher


async def until(check, timeout: float, every: float = 1.0):
    """Await `check()` every `every` seconds until it returns something truthy, at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = await check()
        if value or time.monotonic() > deadline:
            return value
        await asyncio.sleep(every)
