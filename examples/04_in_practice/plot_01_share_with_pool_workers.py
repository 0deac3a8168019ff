r"""
Share a queue or a lock with pool workers
=========================================

A :class:`multiprocessing.Queue`, :class:`~multiprocessing.Lock`,
:class:`~multiprocessing.Value` or :class:`~multiprocessing.Event` can be
handed to a :class:`~multiprocessing.Process` as an argument, but not to a
task of a pool: the task fails with a ``RuntimeError``. This lesson shows the
error and where it surfaces, why ``Process`` is different, and two fixes that
work under every start method: a manager's proxies, or an ``initializer`` that
gives each worker the real objects when it starts.

Quick reference:

>>> import multiprocessing
>>> queue = multiprocessing.Queue()
>>> with multiprocessing.Pool(2) as pool:
...     try:
...         pool.apply_async(queue.put, (1,)).get(timeout=10)
...     except RuntimeError as error:
...         print(error)
Queue objects should only be shared between processes through inheritance
>>> with multiprocessing.Manager() as manager:
...     proxy = manager.Queue()
...     with multiprocessing.Pool(2) as pool:
...         results = pool.map_async(proxy.put, [1, 2, 3]).get(timeout=10)
...     print(sorted(proxy.get(timeout=10) for _ in range(3)))
[1, 2, 3]
"""

# %%
# ``report`` is the task: it counts its item in a shared ``counter`` under a
# shared ``lock`` and puts ``(pid, item)`` on a shared ``queue``. ``keep`` is
# an initializer: it stores the objects it is given in globals of the worker
# that runs it, where ``report_kept`` finds them. ``use`` only names what it
# receives. ``put_items`` and ``lock_time`` are timed at the end of the
# lesson, and ``summary`` describes what came off a queue.
import multiprocessing
import os
import pickle
import time
from concurrent.futures import ProcessPoolExecutor

worker_queue = worker_lock = worker_counter = None


def report(item, queue, lock, counter):
    time.sleep(0.05)  # the work
    with lock:
        counter.value += 1
    queue.put((os.getpid(), item))
    return item


def keep(queue, lock, counter):
    global worker_queue, worker_lock, worker_counter
    worker_queue, worker_lock, worker_counter = queue, lock, counter


def report_kept(item):
    return report(item, worker_queue, worker_lock, worker_counter)


def use(shared):
    return type(shared).__name__


def put_items(count, queue=None):
    queue = worker_queue if queue is None else queue
    for i in range(count):
        queue.put(i)


def lock_time(count, lock=None):
    lock = worker_lock if lock is None else lock
    start = time.perf_counter()
    for _ in range(count):
        with lock:
            pass
    return (time.perf_counter() - start) / count


def summary(items):
    pids = {pid for pid, _ in items}
    numbers = sorted(item for _, item in items)
    plural = "es" if len(pids) > 1 else ""
    return f"items {numbers} put by {len(pids)} process{plural}"


# %%
# The error
# ---------
#
# Each object is passed as the argument of a task. ``apply_async`` returns
# at once, without an error: the pool pickles the task later, in a thread of
# its own, to send it to a worker through a pipe. That pickling fails, and
# the pool stores the exception in the task's result, so it surfaces at
# ``.get()``. (``pool.map()``, which calls ``.get()`` for you, raises it
# itself.) The name in the message is the object that refused: a ``Value``
# is a ``Synchronized`` wrapper, and an ``Event`` holds a ``Condition``.
if __name__ == "__main__":
    queue = multiprocessing.Queue()
    shared = {
        "Queue": queue,
        "Lock": multiprocessing.Lock(),
        "Value": multiprocessing.Value("i", 0),
        "Event": multiprocessing.Event(),
    }
    with multiprocessing.Pool(2) as pool:
        for kind, obj in shared.items():
            result = pool.apply_async(use, (obj,))
            try:
                result.get(timeout=10)
            except RuntimeError as error:
                print(f"{kind}: {type(error).__name__}: {error}")

# %%
# A :class:`~concurrent.futures.ProcessPoolExecutor` behaves the same way:
# ``submit()`` returns a :class:`~concurrent.futures.Future`, the executor's
# queue-feeding thread fails to pickle the call, and the exception comes out
# of ``.result()``.
if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as executor:
        future = executor.submit(use, queue)
        print(f"submit() returned a {type(future).__name__}")
        try:
            future.result(timeout=10)
        except RuntimeError as error:
            print(f"result() raised {type(error).__name__}: {error}")

# %%
# Inheritance: why Process accepts them
# -------------------------------------
#
# The refusal is about *when* the object is pickled, not *what* it is:
# pickled by hand, outside the start of a process, the queue refuses too.
if __name__ == "__main__":
    try:
        pickle.dumps(queue)
    except RuntimeError as error:
        print(f"pickle.dumps(queue): {type(error).__name__}: {error}")

# %%
# These objects wrap operating-system resources: a pipe, semaphores, shared
# memory. When pickled they check that multiprocessing is starting a child
# process at that very moment (``assert_spawning`` in
# ``multiprocessing/context.py``), because only then can the child be given
# those resources. :meth:`Process.start() <multiprocessing.Process.start>`
# pickles ``args`` exactly then under spawn and forkserver, and under fork
# the child is a copy of the parent and nothing is pickled at all. CPython
# calls both *inheritance*. The same objects as arguments of three processes:
if __name__ == "__main__":
    lock = shared["Lock"]
    counter = multiprocessing.Value("i", 0)
    processes = [
        multiprocessing.Process(
            target=report, args=(item, queue, lock, counter)
        )
        for item in range(3)
    ]
    for process in processes:
        process.start()
    items = [queue.get(timeout=10) for _ in processes]
    for process in processes:
        process.join(timeout=10)
    exit_codes = [process.exitcode for process in processes]
    print(f"Process(args=...): {summary(items)}, exit codes {exit_codes}")
    print(f"counter: {counter.value}")

# %%
# The `programming guidelines
# <https://docs.python.org/3/library/multiprocessing.html#programming-guidelines>`__
# of :mod:`multiprocessing` say so twice. "Explicitly pass resources to child
# processes": under fork a child can use a resource that the parent keeps in
# a global, but "it is better to pass the object as an argument to the
# constructor for the child process", which works with the other start
# methods too. And "Better to inherit than pickle/unpickle": a process that
# needs a shared resource should inherit it from an ancestor, not receive it
# through a pipe or a queue. A pool's workers are already running when a task
# arrives, so the two fixes below either send something that can travel in a
# task, or hand the objects over while the workers start.

# %%
# Fix 1: a manager's proxies
# --------------------------
#
# :func:`multiprocessing.Manager` starts a server process that owns a real
# queue, lock and value; ``manager.Queue()``, ``manager.Lock()`` and
# ``manager.Value()`` return proxies to them. A proxy pickles as the
# server's address and the ID of the object there, so it can go in any task,
# and each method call is a request to the server.
if __name__ == "__main__":
    with multiprocessing.Manager() as manager:
        proxies = (manager.Queue(), manager.Lock(), manager.Value("i", 0))
        with multiprocessing.Pool(2) as pool:
            tasks = [(item, *proxies) for item in range(6)]
            pool.starmap_async(report, tasks).get(timeout=30)
        proxy_queue, _, proxy_counter = proxies
        items = [proxy_queue.get(timeout=10) for _ in range(6)]
        print(f"manager proxies: {summary(items)}")
        print(f"counter: {proxy_counter.value}")

# %%
# Fix 2: an initializer
# ---------------------
#
# ``initargs`` travel with the arguments of each worker
# :class:`~multiprocessing.Process`, while the worker is being started: the
# real queue, lock and value are inherited, and ``keep`` stores them in the
# worker's globals. The tasks then carry only their item. A
# :class:`~concurrent.futures.ProcessPoolExecutor` takes the same
# ``initializer`` and ``initargs``. The items are read inside the ``with``
# block: a worker's ``put()`` hands its item to a thread of the worker that
# writes it to the pipe a moment later, and leaving the ``with`` block of a
# ``Pool`` terminates the workers, items still on their way included. The
# pool is closed and joined before the block ends, so that its workers end
# on their own: that thread holds the queue's lock until just after the item
# can be read, and a worker terminated in that moment leaves the lock taken
# for good. The next process to put on the queue (here, the executor's
# worker) would then wait forever. The guidelines warn of this: "Avoid
# terminating processes".
if __name__ == "__main__":
    counter = multiprocessing.Value("i", 0)
    objects = (queue, lock, counter)
    with multiprocessing.Pool(2, initializer=keep, initargs=objects) as pool:
        pool.map_async(report_kept, range(6)).get(timeout=30)
        items = [queue.get(timeout=10) for _ in range(6)]
        pool.close()
        pool.join()  # the workers are idle: they end at once
    print(f"Pool initializer: {summary(items)}")
    with ProcessPoolExecutor(
        2, initializer=keep, initargs=objects
    ) as executor:
        list(executor.map(report_kept, range(6, 12), timeout=30))
        items = [queue.get(timeout=10) for _ in range(6)]
    print(f"ProcessPoolExecutor initializer: {summary(items)}")
    print(f"counter: {counter.value}")

# %%
# What each fix costs
# -------------------
#
# Every call on a proxy is a round trip to the manager's server process; the
# inherited objects use the operating system's pipes and semaphores
# directly. One worker puts
# 1,000 numbers on the queue while the parent takes them off (timed in the
# parent, per number), and one worker takes and releases the lock 1,000 times
# (timed in the worker). Each is measured three times, best kept.
COUNT = 1_000


def best_per_item(pool, task, args, queue):
    times = []
    for _ in range(3):
        start = time.perf_counter()
        done = pool.apply_async(task, args)
        for _ in range(COUNT):
            queue.get(timeout=10)
        done.get(timeout=10)
        times.append((time.perf_counter() - start) / COUNT)
    return min(times)


def best_lock_time(pool, args):
    times = [pool.apply_async(lock_time, args) for _ in range(3)]
    return min(result.get(timeout=30) for result in times)


if __name__ == "__main__":
    seconds = {}
    with multiprocessing.Manager() as manager:
        proxy_queue, proxy_lock = manager.Queue(), manager.Lock()
        with multiprocessing.Pool(1) as pool:
            seconds["manager proxy", "queue"] = best_per_item(
                pool, put_items, (COUNT, proxy_queue), proxy_queue
            )
            seconds["manager proxy", "lock"] = best_lock_time(
                pool, (COUNT, proxy_lock)
            )
    objects = (queue, lock, None)
    with multiprocessing.Pool(1, initializer=keep, initargs=objects) as pool:
        seconds["inherited", "queue"] = best_per_item(
            pool, put_items, (COUNT,), queue
        )
        seconds["inherited", "lock"] = best_lock_time(pool, (COUNT,))
    for what in ("queue", "lock"):
        proxy = seconds["manager proxy", what]
        real = seconds["inherited", what]
        print(
            f"{what}: manager proxy {proxy * 1e6:.1f} µs,"
            f" inherited {real * 1e6:.2f} µs, {proxy / real:.0f}x"
        )

# %%
# The figure shows the times this run measured, on a logarithmic axis: each
# grid line is ten times the one before. A proxy is simple to pass around and
# works with every start method, but every ``put``, ``get``, ``acquire`` and
# ``release`` waits for the server. The initializer needs the objects to exist
# before the pool starts, and gives each worker the fast, real ones.
if __name__ == "__main__":
    import platform

    import matplotlib.pyplot as plt

    rows = {"queue": "one queue item", "lock": "one lock acquire + release"}
    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    for row, what in enumerate(rows):
        proxy = seconds["manager proxy", what]
        real = seconds["inherited", what]
        ax.plot([real * 1e6, proxy * 1e6], [row, row], color="lightgrey")
        ax.annotate(
            f"{proxy / real:.0f}x",
            ((proxy * real) ** 0.5 * 1e6, row),
            xytext=(0, -16),
            textcoords="offset points",
            ha="center",
        )
    kinds = {"manager proxy": "C3", "inherited": "C0"}
    labels = {"manager proxy": "manager proxy", "inherited": "via initializer"}
    for kind, colour in kinds.items():
        values = [seconds[kind, what] * 1e6 for what in rows]
        rows_at = range(len(rows))
        ax.plot(values, rows_at, "o", color=colour, ms=10, label=labels[kind])
        for row, value in enumerate(values):
            ax.annotate(
                f"{value:.2f} µs" if value < 1 else f"{value:.0f} µs",
                (value, row),
                xytext=(0, 10),
                textcoords="offset points",
                ha="center",
            )
    everything = [value * 1e6 for value in seconds.values()]
    ax.set_xscale("log")
    ax.set_xlim(min(everything) / 4, max(everything) * 4)
    ax.xaxis.set_major_formatter(lambda value, _: f"{value:g}")
    ax.set_yticks(range(len(rows)), list(rows.values()))
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlabel("µs per operation (log scale)")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="center left")
    fig.suptitle("Manager proxies against inherited objects in a pool worker")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()
