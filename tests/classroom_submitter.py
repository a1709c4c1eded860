"""A child process for the kill -9 test: submits one answer per student and prints each acknowledged id.

    python -m tests.classroom_submitter \
        '{"url": ..., "code": ..., "question": 1, "students": [...], "standin": true, "pause_s": 0.05}'

A line "ACK <student id>" is printed (and flushed) only after `submit` returned, i.e. after the commit.
"""

import json
import sys
import time

from ops.classroom import ClassStore
from tests import classroom_standin


def main(job: dict) -> None:
    generator = classroom_standin if job["standin"] else None
    with ClassStore(job["url"], generator=generator) as store:
        print("READY", flush=True)
        for i, student in enumerate(job["students"]):
            store.submit(job["code"], student, job["question"], str(i))
            print("ACK", student, flush=True)
            if i % 5 == 4:  # bursts of five: the parent's kill lands mid-run, often mid-transaction
                time.sleep(job.get("pause_s", 0.0))


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
