r"""
Synchronise processes
=====================

:mod:`multiprocessing` has the same synchronisation primitives as
:mod:`threading`, made to work between processes: a lock, a re-entrant lock, a
semaphore, an event, a condition and a barrier. Each solves one problem.
Create one in the parent and pass it to each child as an argument, so that they
all share the same one.

Quick reference:

>>> import multiprocessing
>>> lock = multiprocessing.Lock()
>>> with lock:
...     lock.acquire(timeout=0.1)
False
>>> slots = multiprocessing.Semaphore(2)
>>> [slots.acquire(timeout=0.1) for _ in range(3)]
[True, True, False]
"""

# %%
# Locks
# -----
#
# :class:`~multiprocessing.Lock`: ``counter.value += 1`` reads the value, then
# writes it back plus one. Two processes can read the same old value, and one
# increment is lost. Holding a lock makes the read and the write one step.
import multiprocessing
import os
import sys
import time


def worker(counter, lock, times):
    for _ in range(times):
        with lock:
            counter.value += 1


# %%
# Four processes add 10,000 each to a shared integer that has no lock of its
# own (``lock=False``); the lock they share protects it instead.
if __name__ == "__main__":
    lock = multiprocessing.Lock()
    counter = multiprocessing.Value("i", 0, lock=False)
    args = (counter, lock, 10_000)
    processes = [
        multiprocessing.Process(target=worker, args=args) for _ in range(4)
    ]
    for p in processes:
        p.start()
    for p in processes:
        p.join(timeout=20)
    print("Lock, 4 processes x 10000 increments:", counter.value)


# %%
# From Python 3.14, a lock also has ``locked()`` (gh-115942): whether some
# process holds it, asked without taking it. ``hold`` takes the lock and
# keeps it until the parent lets it go. What ``locked()`` says is already
# out of date when it returns, since another process may take or release
# the lock at any moment: it is for reports and tests, never a reason to
# skip ``acquire()``. On an older Python this cell says so.
def hold(lock, held, release):
    with lock:
        held.set()
        release.wait(timeout=10)


if __name__ == "__main__":
    if sys.version_info >= (3, 14):
        held, release = multiprocessing.Event(), multiprocessing.Event()
        p = multiprocessing.Process(target=hold, args=(lock, held, release))
        p.start()
        held.wait(timeout=10)
        print("Lock.locked() while a child holds it:", lock.locked())
        release.set()
        p.join(timeout=10)
        print("Lock.locked() once the child has ended:", lock.locked())
    else:
        print(
            "Lock.locked() needs Python 3.14; this run used",
            sys.version.split()[0],
        )


# %%
# :class:`~multiprocessing.RLock`: ``deposit_twice`` holds the lock while it
# calls ``deposit``, which takes the same lock again. A plain ``Lock`` would
# wait for itself for ever; a re-entrant lock lets its owner take it again.
def deposit(balance, lock, amount):
    with lock:
        balance.value += amount


def deposit_twice(balance, lock, amount):
    with lock:
        deposit(balance, lock, amount)
        deposit(balance, lock, amount)


# %%
# A ``Lock`` taken twice: the second ``acquire`` gives up after its timeout.
# Three processes then run ``deposit_twice`` with an ``RLock``.
if __name__ == "__main__":
    plain = multiprocessing.Lock()
    with plain:
        print("Lock, taken again by its owner:", plain.acquire(timeout=0.1))
    rlock = multiprocessing.RLock()
    balance = multiprocessing.Value("i", 0, lock=False)
    args = (balance, rlock, 5)
    processes = [
        multiprocessing.Process(target=deposit_twice, args=args)
        for _ in range(3)
    ]
    for p in processes:
        p.start()
    for p in processes:
        p.join(timeout=20)
    print("RLock, 3 processes x 2 deposits of 5:", balance.value)


# %%
# Semaphore
# ---------
#
# :class:`~multiprocessing.Semaphore`: a lock that lets in up to N holders at
# once, for a resource that takes a few users but not all (connections,
# memory). Each visitor counts how many are inside and keeps the largest count
# seen.
#
# From here on, each function also puts ``(demo, process ID, start, end)`` on
# a queue, ``log``: when it was inside, or how long it waited, measured with
# :func:`time.time`, a clock all processes share. The figure at the end is
# drawn from these records.
def visit(slots, inside, most, log):
    with slots:
        entered = time.time()
        with inside.get_lock():
            inside.value += 1
            most.value = max(most.value, inside.value)
        time.sleep(0.2)
        with inside.get_lock():
            inside.value -= 1
        log.put(("Semaphore(2)", os.getpid(), entered, time.time()))


# %%
# Five visitors, two slots: the largest count seen can never exceed 2, and the
# 0.2 s visits run two at a time, so the five need at least three rounds, 0.6
# s.
if __name__ == "__main__":
    slots = multiprocessing.Semaphore(2)
    inside = multiprocessing.Value("i", 0)
    most = multiprocessing.Value("i", 0, lock=False)
    log = multiprocessing.Queue()
    t0 = time.perf_counter()
    processes = [
        multiprocessing.Process(target=visit, args=(slots, inside, most, log))
        for _ in range(5)
    ]
    for p in processes:
        p.start()
    for p in processes:
        p.join(timeout=20)
    print(f"Semaphore(2), 5 visitors: at most {most.value} inside at once")
    print(f"took {time.perf_counter() - t0:.2f} s")


# %%
# Event
# -----
#
# :class:`~multiprocessing.Event`: a flag that processes wait for. Workers that
# must not begin before the parent is ready call
# :meth:`~threading.Event.wait`, which returns ``True`` once the flag is set.
def wait_for_start(start, name, log):
    waiting = time.time()
    signalled = start.wait(timeout=10)
    log.put(("Event", os.getpid(), waiting, time.time()))
    if signalled:
        print(f"{name}: got the start signal", flush=True)
    else:
        print(f"{name}: no start signal, giving up", flush=True)


# %%
# Three workers wait while the parent gets ready for 0.2 s. None of them prints
# before the parent has set the event; then all of them print, in any order.
if __name__ == "__main__":
    start = multiprocessing.Event()
    processes = [
        multiprocessing.Process(
            target=wait_for_start, args=(start, f"worker {i}", log)
        )
        for i in range(1, 4)
    ]
    for p in processes:
        p.start()
    time.sleep(0.2)
    print("parent: set the event", flush=True)
    start.set()
    for p in processes:
        p.join(timeout=20)


# %%
# Condition
# ---------
#
# :class:`~multiprocessing.Condition`: a lock plus a way to sleep until shared
# state changes. The consumer sleeps in :meth:`~threading.Condition.wait_for`
# until its test is true; the producer changes the state under the lock and
# calls :meth:`~threading.Condition.notify_all` to wake it.
def producer(condition, made, log):
    for _ in range(3):
        time.sleep(0.05)
        with condition:
            made.value += 1
            print(f"producer: item {made.value} ready", flush=True)
            condition.notify_all()
            notified = time.time()
            log.put(("Condition", os.getpid(), notified, notified))


def consumer(condition, made, log):
    with condition:
        waiting = time.time()
        ready = condition.wait_for(lambda: made.value == 3, timeout=10)
        log.put(("Condition", os.getpid(), waiting, time.time()))
        print(f"consumer: woke up, all 3 items ready: {ready}", flush=True)


# %%
# The consumer checks its test each time it is woken, and at once when it
# starts, so it cannot miss a notification that came before it was waiting.
if __name__ == "__main__":
    condition = multiprocessing.Condition()
    made = multiprocessing.Value("i", 0, lock=False)
    processes = [
        multiprocessing.Process(target=consumer, args=(condition, made, log)),
        multiprocessing.Process(target=producer, args=(condition, made, log)),
    ]
    for p in processes:
        p.start()
    for p in processes:
        p.join(timeout=20)


# %%
# Barrier
# -------
#
# :class:`~multiprocessing.Barrier`: a meeting point. Each process stops in
# :meth:`~threading.Barrier.wait` until all of them have arrived, then all go
# on together. If one never comes, the timeout raises
# :class:`~threading.BrokenBarrierError` in the others instead of hanging.
def meet(barrier, name, delay, log):
    time.sleep(delay)
    print(f"{name}: arrived", flush=True)
    arrived = time.time()
    barrier.wait(timeout=10)
    log.put(("Barrier(3)", os.getpid(), arrived, time.time()))
    print(f"{name}: passed", flush=True)


# %%
# The three processes sleep 0, 0.1 and 0.2 s before they arrive; none passes
# before the last one has arrived.
if __name__ == "__main__":
    barrier = multiprocessing.Barrier(3)
    processes = [
        multiprocessing.Process(
            target=meet, args=(barrier, f"p{i}", 0.1 * i, log)
        )
        for i in range(3)
    ]
    for p in processes:
        p.start()
    for p in processes:
        p.join(timeout=20)
    passed = sum(p.exitcode == 0 for p in processes)
    print(f"Barrier(3): {passed} of 3 processes passed")


# %%
# Four timelines
# --------------
#
# One panel per demo, one lane per process of this run, drawn from the
# records on ``log``. Semaphore: each bar is a visit, and no more than two
# bars overlap. Event, Condition and Barrier: each bar is a wait and its dot
# the moment it ended: when the event was set, when the third item was made
# (the producer's dots), and when the last process arrived.
if __name__ == "__main__":
    import platform

    import matplotlib.pyplot as plt

    records = [log.get(timeout=10) for _ in range(5 + 3 + 4 + 3)]
    demos = ["Semaphore(2)", "Event", "Condition", "Barrier(3)"]
    fig, axes = plt.subplots(2, 2, figsize=(8, 5), layout="constrained")
    for ax, demo in zip(axes.flat, demos, strict=True):
        spans = sorted(r[1:] for r in records if r[0] == demo)
        pids = sorted({pid for pid, _, _ in spans})
        t0 = min(start for _, start, _ in spans)
        for pid, start, end in spans:
            lane = pids.index(pid)
            if end > start:
                ax.barh(lane, end - start, left=start - t0, color=f"C{lane}")
            if demo != "Semaphore(2)":
                ax.plot(end - t0, lane, "o", color="black")
        ax.set_yticks(range(len(pids)), [f"pid {pid}" for pid in pids])
        ax.invert_yaxis()
        ax.set_xlabel("seconds since the first record")
        ax.set_ylabel(demo)
    fig.suptitle("Semaphore, Event, Condition and Barrier in this run")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    # One run drew every plot: one stamp, over the first.
    axes.flat[0].set_title(stamp, fontsize=8, color="grey")
    plt.show()
