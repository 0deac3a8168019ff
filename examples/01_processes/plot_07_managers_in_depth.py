r"""
Managers in depth
=================

A manager is a server process that owns ordinary Python objects; other
processes hold *proxies* and every operation is a round trip to the server.
This lesson shows the server, the proxy types a manager offers, why changes to
a value nested inside a managed ``dict`` are lost, and why ``d["n"] += 1`` from
several processes needs a lock.

Quick reference:

>>> from multiprocessing import Manager
>>> with Manager() as manager:
...     shared = manager.dict(k=[])
...     shared["k"].append(1)  # appends to a copy
...     print(shared["k"])
...     items = shared["k"]
...     items.append(1)
...     shared["k"] = items  # writes the changed list back
...     print(shared["k"])
[]
[1]
"""

# %%
# ``append_one`` changes the list stored under ``"k"`` in a managed dict;
# ``write_back`` reads that list, changes it and stores it again. ``worker``
# adds 1 to ``counts["n"]`` ``n`` times; ``locked_worker`` holds a lock while
# it does; ``add_pid`` adds its process ID to a set; ``set_score`` sets a
# score, or reports why it could not. ``run_processes`` starts ``count``
# processes, joins each with a timeout and returns their exit codes.
import multiprocessing
import os
import sys
import time
from collections.abc import MutableMapping, MutableSet


def append_one(shared):
    shared["k"].append(1)


def write_back(shared):
    items = shared["k"]
    items.append(1)
    shared["k"] = items


def worker(counts, n):
    for _ in range(n):
        counts["n"] += 1


def locked_worker(counts, n, lock):
    for _ in range(n):
        with lock:
            counts["n"] += 1


def add_pid(pids):
    pids.add(os.getpid())


def set_score(scores):
    try:
        scores["carol"] = 4
    except (OSError, EOFError) as error:
        print(f"child: {type(error).__name__}: {error}", flush=True)
        raise SystemExit(1) from None


def run_processes(target, args, count=1):
    processes = [
        multiprocessing.Process(target=target, args=args) for _ in range(count)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=30)
    return [process.exitcode for process in processes]


# %%
# The server process
# ------------------
#
# ``with multiprocessing.Manager() as manager:`` starts the server process and
# shuts it down at the end of the block. It is started like any other
# :class:`multiprocessing.Process`, so :func:`multiprocessing.active_children`
# lists it, with a process ID that is not ours (:func:`os.getpid`).
if __name__ == "__main__":
    with multiprocessing.Manager() as manager:
        print(f"this process: pid {os.getpid()}")
        for child in multiprocessing.active_children():
            print(f"{child.name}: pid {child.pid}")

# %%
# A proxy for each type
# ---------------------
#
# The manager makes a proxy for each type it serves; a ``Queue`` gets a generic
# ``AutoProxy`` that forwards the queue's public methods. Locks, events,
# conditions, semaphores and barriers work like their :mod:`threading`
# counterparts, but the real object lives in the server, so processes share it.
if __name__ == "__main__":
    with multiprocessing.Manager() as manager:
        proxies = {
            "Value": manager.Value("i", 0),
            "Array": manager.Array("i", [1, 2, 3]),
            "list": manager.list(),
            "dict": manager.dict(),
            "Queue": manager.Queue(),
            "Lock": manager.Lock(),
            "Namespace": manager.Namespace(),
            "Event": manager.Event(),
            "Condition": manager.Condition(),
            "Semaphore": manager.Semaphore(),
            "Barrier": manager.Barrier(2),
        }
        for kind, proxy in proxies.items():
            print(f"manager.{kind}() -> {type(proxy).__name__}")

# %%
# Changes to a nested value are lost
# ----------------------------------
#
# ``shared["k"]`` asks the server for the value and returns a *copy* of it,
# pickled across. The child appends to that copy, which the server never sees:
# the change is lost.
if __name__ == "__main__":
    with multiprocessing.Manager() as manager:
        shared = manager.dict(k=[])
        exitcodes = run_processes(append_one, (shared,))
        print(
            f"exit codes {exitcodes}, plain list after append: {shared['k']}"
        )

# %%
# Two ways to keep the change. Read the value, change it and assign it back:
# the assignment is a call to the server. Or store a ``manager.list()`` in the
# dict: ``shared["k"]`` then returns a proxy, and ``append_one`` works as
# written.
if __name__ == "__main__":
    with multiprocessing.Manager() as manager:
        shared = manager.dict(k=[])
        exitcodes = run_processes(write_back, (shared,))
        print(f"exit codes {exitcodes}, written back: {shared['k']}")
        shared["k"] = manager.list()
        exitcodes = run_processes(append_one, (shared,))
        print(f"exit codes {exitcodes}, manager.list(): {list(shared['k'])}")

# %%
# Lost updates, and a lock
# ------------------------
#
# ``counts["n"] += 1`` is two calls: one reads the value, one writes the sum.
# When four processes interleave them, two may read the same value, and one
# write overwrites the other's increment. How many are lost varies from run to
# run; it can even be none if the processes happen not to overlap. Each call
# is a round trip to the server, far slower than a local dict, so the loops
# are short.
if __name__ == "__main__":
    with multiprocessing.Manager() as manager:
        counts = manager.dict(n=0)
        began = time.perf_counter()
        exitcodes = run_processes(worker, (counts, 500), count=4)
        took = {"without a lock": time.perf_counter() - began}
        expected, actual = 4 * 500, counts["n"]
        kept = {"without a lock": actual}
        print(f"exit codes {exitcodes}, without a lock:")
        print(
            f"expected {expected}, actual {actual}, lost {expected - actual}"
        )

# %%
# A ``manager.Lock()`` around the read and the write lets one process at a time
# through, so no increment is lost. The price: every increment now makes four
# calls to the server instead of two, and the processes take turns.
if __name__ == "__main__":
    with multiprocessing.Manager() as manager:
        counts = manager.dict(n=0)
        lock = manager.Lock()
        began = time.perf_counter()
        exitcodes = run_processes(locked_worker, (counts, 500, lock), count=4)
        took["with a lock"] = time.perf_counter() - began
        expected, actual = 4 * 500, counts["n"]
        kept["with a lock"] = actual
        print(f"exit codes {exitcodes}, with a lock:")
        print(
            f"expected {expected}, actual {actual}, lost {expected - actual}"
        )

# %%
# The two runs side by side: the increments the dict kept, in green, and
# those that were lost, in red, out of the 2,000 the four processes made.
# Beside each bar: how many were lost, and how long the four processes took
# in this run, the lock's extra round trips included.
if __name__ == "__main__":
    import platform

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    runs = list(kept)
    counted = [kept[run] for run in runs]
    lost = [expected - kept[run] for run in runs]
    rows = range(len(runs))
    ax.barh(rows, counted, color="C2", label="kept")
    bars = ax.barh(rows, lost, left=counted, color="C3", label="lost")
    ax.set_yticks(rows, runs)
    labels = [
        f"{n} lost, {took[run]:.2f} s"
        for n, run in zip(lost, runs, strict=True)
    ]
    ax.bar_label(bars, labels, padding=3)
    ax.invert_yaxis()
    ax.set_xlim(0, expected * 1.5)
    ax.set_xlabel("increments of counts['n'] by 4 processes")
    ax.legend(loc="center right")
    fig.suptitle("counts['n'] += 1 from 4 processes, without and with a lock")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()

# %%
# New proxy methods in Python 3.14
# --------------------------------
#
# Python 3.14 adds ``manager.set()`` (gh-129948), ``clear()`` and ``copy()``
# for list proxies, ``fromkeys()``, ``reversed()`` and the ``|`` and ``|=``
# operators for dict proxies (gh-103134), and ``locked()`` for the proxies
# of ``manager.Lock()`` and ``manager.RLock()`` (gh-115942). Each is still
# one call to the server; none makes a read-then-write such as ``+=`` safe.
# Use one proxy from one thread, or guard it with a lock: the guideline
# "Thread safety of proxies" in the `programming guidelines
# <https://docs.python.org/3/library/multiprocessing.html#programming-guidelines>`__.
# A set proxy is registered as a :class:`collections.abc.MutableMapping`,
# not a :class:`~collections.abc.MutableSet` (an open CPython bug,
# gh-142740), so code that checks ``isinstance(x, MutableSet)`` turns it
# away; the last line says what this Python does. On an older Python this
# cell says so.
if __name__ == "__main__":
    if sys.version_info >= (3, 14):
        with multiprocessing.Manager() as manager:
            pids = manager.set()
            exitcodes = run_processes(add_pid, (pids,), count=3)
            kind = type(pids).__name__
            print(f"exit codes {exitcodes}, {kind} of {len(pids)} pids")
            items = manager.list([1, 2, 3])
            snapshot = items.copy()
            items.clear()
            print(
                f"list proxy: copy() {snapshot}, after clear() {list(items)}"
            )
            settings = manager.dict(a=1)
            settings |= {"b": 2}
            print(f"dict proxy after |= {{'b': 2}}: {settings.copy()}")
            lock = manager.Lock()
            with lock:
                held = lock.locked()
            after = lock.locked()
            print(f"lock proxy: locked() {held} while held, then {after}")
            print(
                f"set proxy: MutableSet {isinstance(pids, MutableSet)},"
                f" MutableMapping {isinstance(pids, MutableMapping)}"
            )
    else:
        print(
            "manager.set() and the new list and dict methods need Python 3.14;"
            " this run used",
            sys.version.split()[0],
        )

# %%
# When the server is gone
# -----------------------
#
# Every proxy call is a message to the server process. When that process
# has ended, because the ``with`` block that started it ended, or because
# something killed it (the out-of-memory killer, a ``kill``, a crash), the
# call fails with an :exc:`OSError` and every later call fails the same
# way: a proxy never reconnects, and nothing restarts the server. Here
# ``scores`` outlives its ``with`` block, as a proxy kept in a global
# variable or handed to a long-lived worker would:
if __name__ == "__main__":
    with multiprocessing.Manager() as manager:
        scores = manager.dict(alice=3)
        saved = scores.copy()  # a plain dict, kept in this process
    for call in (1, 2):
        try:
            scores["bob"] = 5
        except (OSError, EOFError) as error:
            name = type(error).__name__
            print(f"after shutdown, call {call}: {name}: {error}")

# %%
# A server killed while its proxies are in use: here the parent kills it,
# as the out-of-memory killer would, with
# :meth:`~multiprocessing.Process.kill` on the server's process, which
# :func:`multiprocessing.active_children` lists. The proxy's connection
# is broken; the manager itself can no longer make proxies, and a child
# that gets the old proxy cannot reach the server either.
if __name__ == "__main__":
    manager = multiprocessing.Manager()
    scores = manager.dict(saved)
    print(f"before: {scores.copy()}")
    [server] = multiprocessing.active_children()
    server.kill()
    server.join(timeout=10)
    print(f"the server's exit code: {server.exitcode}")
    attempts = {
        "scores['bob'] = 5": lambda: scores.__setitem__("bob", 5),
        "manager.dict()": manager.dict,
    }
    for call, attempt in attempts.items():
        try:
            attempt()
        except (OSError, EOFError) as error:
            print(f"{call}: {type(error).__name__}: {error}")
    print("in a child:", run_processes(set_score, (scores,)))
    manager.shutdown()

# %%
# The fix: the data lived in the server and died with it, so keep what you
# cannot recompute in the parent (here ``saved``, a copy taken earlier), and
# when a call fails with ``OSError`` or ``EOFError``, start a new manager
# and make new proxies from it. Old proxies stay broken; pass the new ones
# to the workers that need them.
if __name__ == "__main__":
    with multiprocessing.Manager() as manager:
        scores = manager.dict(saved)
        print("in a child:", run_processes(set_score, (scores,)))
        print(f"a new manager: {scores.copy()}")
