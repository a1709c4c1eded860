"""A stream labels on its own CPU thread count; every other thread, running or started later, keeps torch's.

torch.set_num_threads would not do: called in a worker thread it changes the count of every thread started
afterwards (Streamlit's script threads). The test of that is here too, as the reason the module exists.
"""

import os
import threading

import pytest
import torch

from ops import work_queue
from ops.segmentation.video_stream import VideoStream
from ops.segmentation.video_threads import THREADS_ENV, stream_threads, use_threads

PROCESS_THREADS = 3  # the process's count during a test: more than one, so that one thread is a change


@pytest.fixture
def three_threads():
    """torch's process-wide count set to 3 for the test (this thread and threads started later), then back."""
    before = torch.get_num_threads()
    torch.set_num_threads(PROCESS_THREADS)
    yield
    torch.set_num_threads(before)


def in_a_thread(function):
    result = []
    thread = threading.Thread(target=lambda: result.append(function()))
    thread.start()
    thread.join(30)
    return result[0]


def _tasks() -> set[str]:
    return set(os.listdir("/proc/self/task"))


def _worker_pool_size(threads: int | None) -> tuple[int, int]:
    """(the worker's count, OS threads a convolution in it started): OpenMP gives every thread that opens a
    parallel region its own team, so a forward on one thread starts none."""
    def worker():
        count = use_threads(threads)
        before = _tasks()
        with torch.inference_mode():
            torch.nn.functional.conv2d(torch.ones(1, 16, 96, 96), torch.ones(16, 16, 3, 3), padding=1)
        return count, len(_tasks() - before)

    return in_a_thread(worker)


def test_a_thread_given_one_thread_runs_on_one_and_no_other_thread_changes(three_threads):
    assert in_a_thread(lambda: use_threads(1)) == 1
    assert in_a_thread(lambda: (use_threads(1), torch.get_num_threads())[1]) == 1
    assert torch.get_num_threads() == PROCESS_THREADS  # the calling thread keeps its own
    assert in_a_thread(torch.get_num_threads) == PROCESS_THREADS  # and so does a thread started afterwards

    # threads running meanwhile keep theirs too
    ready, done, seen = threading.Event(), threading.Event(), []

    def bystander():
        torch.get_num_threads()
        ready.set()
        done.wait(30)
        seen.append(torch.get_num_threads())

    other = threading.Thread(target=bystander)
    other.start()
    ready.wait(30)
    in_a_thread(lambda: use_threads(1))
    done.set()
    other.join(30)
    assert seen == [PROCESS_THREADS]


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="counts OS threads through Linux's /proc")
@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: the runtime starts no team to compare with")
def test_a_forward_in_a_one_thread_worker_starts_no_openmp_team(three_threads):
    count, started = _worker_pool_size(None)  # the control: torch's count, and a team (capped at the cores)
    assert count == PROCESS_THREADS and started >= 1
    assert _worker_pool_size(1) == (1, 0)


def test_torch_set_num_threads_in_a_worker_would_change_every_later_thread(three_threads):
    """Why video_threads exists: torch's setter stores a process-wide count that new threads copy."""
    in_a_thread(lambda: torch.set_num_threads(1))
    assert in_a_thread(torch.get_num_threads) == 1


def test_the_stream_threads_come_from_the_environment(monkeypatch):
    for value, expected in (("", 1), ("2", 2), ("0", None), ("two", 1)):
        monkeypatch.setenv(THREADS_ENV, value)
        assert stream_threads() == expected
    monkeypatch.delenv(THREADS_ENV)
    assert stream_threads() == 1


def test_a_stream_labels_on_its_own_count_and_the_page_threads_keep_theirs(three_threads, monkeypatch):
    monkeypatch.delenv(THREADS_ENV, raising=False)
    stream = VideoStream("cpu", draw=None, queue=work_queue.WorkQueue(slots={"video": 1}))
    stream.processor._work = lambda frame: torch.get_num_threads()  # what the labelling thread runs on
    try:
        stream.offer("frame")
        ready = threading.Event()
        for _ in range(300):
            if stream.latest is not None:
                break
            ready.wait(0.01)
        assert stream.latest == 1
        assert torch.get_num_threads() == PROCESS_THREADS
        assert in_a_thread(torch.get_num_threads) == PROCESS_THREADS
    finally:
        stream.stop()
