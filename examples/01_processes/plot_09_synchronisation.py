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
# :class:`~multiprocessing.Lock`: ``counter.value += 1`` reads the value, then
# writes it back plus one. Two processes can read the same old value, and one
# increment is lost. Holding a lock makes the read and the write one step.
import multiprocessing
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
# :class:`~multiprocessing.Semaphore`: a lock that lets in up to N holders at
# once, for a resource that takes a few users but not all (connections,
# memory). Each visitor counts how many are inside and keeps the largest count
# seen.
def visit(slots, inside, most):
    with slots:
        with inside.get_lock():
            inside.value += 1
            most.value = max(most.value, inside.value)
        time.sleep(0.2)
        with inside.get_lock():
            inside.value -= 1


# %%
# Five visitors, two slots: the largest count seen can never exceed 2, and the
# 0.2 s visits run two at a time, so the five need at least three rounds, 0.6
# s.
if __name__ == "__main__":
    slots = multiprocessing.Semaphore(2)
    inside = multiprocessing.Value("i", 0)
    most = multiprocessing.Value("i", 0, lock=False)
    t0 = time.perf_counter()
    processes = [
        multiprocessing.Process(target=visit, args=(slots, inside, most))
        for _ in range(5)
    ]
    for p in processes:
        p.start()
    for p in processes:
        p.join(timeout=20)
    print(f"Semaphore(2), 5 visitors: at most {most.value} inside at once")
    print(f"took {time.perf_counter() - t0:.2f} s")


# %%
# :class:`~multiprocessing.Event`: a flag that processes wait for. Workers that
# must not begin before the parent is ready call
# :meth:`~threading.Event.wait`, which returns ``True`` once the flag is set.
def wait_for_start(start, name):
    if start.wait(timeout=10):
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
            target=wait_for_start, args=(start, f"worker {i}")
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
# :class:`~multiprocessing.Condition`: a lock plus a way to sleep until shared
# state changes. The consumer sleeps in :meth:`~threading.Condition.wait_for`
# until its test is true; the producer changes the state under the lock and
# calls :meth:`~threading.Condition.notify_all` to wake it.
def producer(condition, made):
    for _ in range(3):
        time.sleep(0.05)
        with condition:
            made.value += 1
            print(f"producer: item {made.value} ready", flush=True)
            condition.notify_all()


def consumer(condition, made):
    with condition:
        ready = condition.wait_for(lambda: made.value == 3, timeout=10)
        print(f"consumer: woke up, all 3 items ready: {ready}", flush=True)


# %%
# The consumer checks its test each time it is woken, and at once when it
# starts, so it cannot miss a notification that came before it was waiting.
if __name__ == "__main__":
    condition = multiprocessing.Condition()
    made = multiprocessing.Value("i", 0, lock=False)
    processes = [
        multiprocessing.Process(target=consumer, args=(condition, made)),
        multiprocessing.Process(target=producer, args=(condition, made)),
    ]
    for p in processes:
        p.start()
    for p in processes:
        p.join(timeout=20)


# %%
# :class:`~multiprocessing.Barrier`: a meeting point. Each process stops in
# :meth:`~threading.Barrier.wait` until all of them have arrived, then all go
# on together. If one never comes, the timeout raises
# :class:`~threading.BrokenBarrierError` in the others instead of hanging.
def meet(barrier, name, delay):
    time.sleep(delay)
    print(f"{name}: arrived", flush=True)
    barrier.wait(timeout=10)
    print(f"{name}: passed", flush=True)


# %%
# The three processes sleep 0, 0.1 and 0.2 s before they arrive; none passes
# before the last one has arrived.
if __name__ == "__main__":
    barrier = multiprocessing.Barrier(3)
    processes = [
        multiprocessing.Process(target=meet, args=(barrier, f"p{i}", 0.1 * i))
        for i in range(3)
    ]
    for p in processes:
        p.start()
    for p in processes:
        p.join(timeout=20)
    passed = sum(p.exitcode == 0 for p in processes)
    print(f"Barrier(3): {passed} of 3 processes passed")
