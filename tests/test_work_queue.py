"""ops.work_queue with real threads: never more running than slots, FIFO, positions count down, cancel,
an abandoned ticket frees its slot, the slot is freed on error."""

import threading
import time

import pytest

from ops.work_queue import CANCELLED, DONE, DROPPED, RUNNING, QueueLeft, WorkQueue, default_slots


def test_never_more_running_than_slots_under_real_threads():
    queue = WorkQueue({"train": 3})
    lock, now, peak, finished = threading.Lock(), [0], [0], []

    def work(i):
        with queue.submit("train"):
            with lock:
                now[0] += 1
                peak[0] = max(peak[0], now[0])
            time.sleep(0.02)
            with lock:
                now[0] -= 1
                finished.append(i)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(finished) == list(range(24))
    assert peak[0] == 3 and queue.peak[("train", "")] == 3
    assert queue.stats("train") == {"running": 0, "waiting": 0, "slots": 3}


def test_fifo_order_and_positions_count_down():
    queue = WorkQueue({"segment": 1})
    first = queue.submit("segment", "m:cpu")
    assert first.running and first.position() == 0
    waiting = [queue.submit("segment", "m:cpu") for _ in range(3)]
    assert [t.position() for t in waiting] == [1, 2, 3]  # "1 photo ahead of yours", 2, 3
    order = []

    def work(ticket, name):
        with ticket:
            order.append(name)
            time.sleep(0.01)

    threads = [threading.Thread(target=work, args=(t, i)) for i, t in reversed(list(enumerate(waiting)))]
    for thread in threads:  # started last-first: the queue, not the threads, decides the order
        thread.start()
    time.sleep(0.1)
    assert order == [] and [t.position() for t in waiting] == [1, 2, 3]
    first.release()
    for thread in threads:
        thread.join(10)
    assert order == [0, 1, 2]
    assert all(t.state == DONE for t in [first, *waiting])


def test_positions_count_down_as_work_ahead_finishes():
    queue = WorkQueue({"segment": 1})
    tickets = [queue.submit("segment") for _ in range(4)]
    seen = []
    for ticket in tickets[:-1]:
        seen.append(tickets[-1].position())
        ticket.release()
    assert seen == [3, 2, 1] and tickets[-1].position() == 0 and tickets[-1].poll()


def test_cancel_removes_a_waiting_ticket_and_frees_a_running_one():
    queue = WorkQueue({"segment": 1})
    a, b, c = (queue.submit("segment") for _ in range(3))
    b.cancel()
    assert b.state == CANCELLED and c.position() == 1 and not b.poll()
    a.cancel()  # the running one gives its slot back: c is next
    assert c.poll() and c.state == RUNNING
    with pytest.raises(QueueLeft):
        with b:
            pass


def test_a_cancel_from_another_thread_wakes_the_waiter():
    queue = WorkQueue({"train": 1})
    queue.submit("train")
    waiter = queue.submit("train")
    result = []
    thread = threading.Thread(target=lambda: result.append(waiter.wait(10)))
    thread.start()
    time.sleep(0.1)
    waiter.cancel()
    thread.join(5)
    assert result == [False] and not thread.is_alive()


def test_an_abandoned_ticket_frees_its_slot():
    queue = WorkQueue({"segment": 1}, abandon_after=0.3)
    gone = queue.submit("segment")  # holds the slot, then the student closes the tab: nobody polls it
    left_in_line = queue.submit("segment")  # waits, then also leaves
    staying = queue.submit("segment")
    assert staying.position() == 2
    deadline = time.monotonic() + 5
    while not staying.poll() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert staying.running
    assert gone.state == DROPPED and left_in_line.state == DROPPED


def test_work_inside_with_is_never_dropped_and_errors_free_the_slot():
    queue = WorkQueue({"segment": 1}, abandon_after=0.1)
    with pytest.raises(ZeroDivisionError):
        with queue.submit("segment") as ticket:
            time.sleep(0.3)  # longer than abandon_after, but the work is running
            assert ticket.running and queue.stats("segment")["running"] == 1
            raise ZeroDivisionError("the work failed")
    assert ticket.state == DONE and queue.stats("segment")["running"] == 0
    assert queue.submit("segment").running


def test_lanes_are_independent():
    queue = WorkQueue({"segment": 1})
    assert queue.submit("segment", "a:cpu").running
    assert queue.submit("segment", "b:cpu").running
    assert not queue.submit("segment", "a:cpu").running


def test_default_slots(monkeypatch):
    import os

    cores = os.cpu_count() or 1
    monkeypatch.delenv("PIXELWISE_TRAIN_SLOTS", raising=False)
    monkeypatch.delenv("PIXELWISE_SEGMENT_SLOTS", raising=False)
    assert default_slots("segment") == 1
    assert default_slots("train") == max(1, cores // 2)
    monkeypatch.setenv("PIXELWISE_TRAIN_SLOTS", str(cores * 8))
    assert default_slots("train") == cores  # never more concurrent trainings than cores
    monkeypatch.setenv("PIXELWISE_SEGMENT_SLOTS", "banana")
    assert default_slots("segment") == 1


def test_working_keeps_the_slot_across_long_steps_and_afterwards():
    queue = WorkQueue({"train": 1}, abandon_after=0.2)
    ticket = queue.submit("train")
    for _ in range(2):  # two "epochs", each longer than abandon_after, polled in between
        with ticket.working():
            time.sleep(0.3)
            assert not queue.submit("train").running  # another student waits meanwhile (then leaves)
        assert ticket.poll()
    time.sleep(0.3)  # nobody polls it any more: the student left
    assert queue.submit("train").running and ticket.state == DROPPED
