r"""
A process pool from asyncio
===========================

An :mod:`asyncio` program that has to compute hands the work to a
:class:`~concurrent.futures.ProcessPoolExecutor` with
``loop.run_in_executor()`` and awaits it, while its event loop goes on serving
everything else. This lesson gathers results that way, times a task out, stops
it for real, and shuts the pool down without freezing the loop.

Quick reference:

>>> import asyncio
>>> from concurrent.futures import ProcessPoolExecutor
>>> async def main():
...     loop = asyncio.get_running_loop()
...     pool = ProcessPoolExecutor(max_workers=2)
...     calls = [loop.run_in_executor(pool, abs, n) for n in (-1, -2)]
...     try:
...         return await asyncio.wait_for(asyncio.gather(*calls), 30)
...     finally:
...         await asyncio.to_thread(pool.shutdown)
>>> asyncio.run(main())
[1, 2]
"""

# %%
# Awaiting work done in processes
# -------------------------------
#
# ``run_in_executor(pool, func, *args)`` submits the call to the pool and
# returns an ``asyncio.Future`` that is done when the call is;
# ``asyncio.gather()`` awaits several and returns their results in the
# order of its arguments. ``crunch`` computes for a while, longer for a
# larger ``n``, and returns its ``label`` with where and when it ran;
# ``ticker`` notes the time every 20 ms, which it can only do while the
# event loop is free.
import asyncio
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor


def crunch(label, n):
    started = time.time()
    sum(i * i for i in range(n))
    return label, os.getpid(), started, time.time()


def started_pool(workers):
    """A ProcessPoolExecutor whose workers have all started."""
    pool = ProcessPoolExecutor(max_workers=workers)
    list(pool.map(time.sleep, [0.05] * workers, timeout=60))
    return pool


async def ticker(ticks):
    while True:
        ticks.append(time.time())
        await asyncio.sleep(0.02)


async def gather_four(pool):
    loop = asyncio.get_running_loop()
    ticks = []
    ticking = asyncio.create_task(ticker(ticks))
    sizes = {1: 1_200_000, 2: 300_000, 3: 300_000, 4: 600_000}
    calls = [
        loop.run_in_executor(pool, crunch, *call) for call in sizes.items()
    ]
    results = await asyncio.wait_for(asyncio.gather(*calls), timeout=60)
    ticking.cancel()
    return results, ticks


# %%
# Four calls on a pool of two workers; ``started_pool`` lets each worker
# sleep a moment first, so that the timeline shows the work, not the start
# of the processes. The calls end in their own order, but ``gather``
# returns the results in the order of the calls. The event loop ticked on
# while the workers computed.
if __name__ == "__main__":
    pool = started_pool(2)
    results, ticks = asyncio.run(gather_four(pool))
    print("results:", [label for label, *_ in results])
    ended = sorted(results, key=lambda result: result[3])
    print("the calls ended in the order", [label for label, *_ in ended])
    first, last = min(r[2] for r in results), max(r[3] for r in results)
    busy = [t for t in ticks if first <= t <= last]
    print(f"the loop ticked {len(busy)} times while the workers computed")

# %%
# An exception raised in a worker comes back through ``await``, with the
# worker's traceback attached as its cause, like
# :meth:`~concurrent.futures.Future.result` raises it. With
# ``return_exceptions=True``, ``gather`` returns it in its place instead.
if __name__ == "__main__":

    async def with_an_error():
        loop = asyncio.get_running_loop()
        calls = [
            loop.run_in_executor(pool, int, text) for text in ("7", "seven")
        ]
        return await asyncio.wait_for(
            asyncio.gather(*calls, return_exceptions=True), timeout=60
        )

    print(asyncio.run(with_an_error()))
    pool.shutdown()


# %%
# Timeouts do not stop the worker
# -------------------------------
#
# ``asyncio.wait_for()`` cancels what it awaits when time is up, and so
# does ``Task.cancel()`` on the task that awaits.
# For a call in a process pool, that cancels the asyncio future and tries to
# cancel the :class:`concurrent.futures.Future` behind it, which succeeds
# only while the call still waits in the executor, not yet on the queue its
# workers read from. A running call runs to the end; its result is thrown
# away. To look at that future, ``time_out`` calls ``submit`` and
# ``asyncio.wrap_future()`` itself, which is what ``run_in_executor``
# does. ``slow`` takes 0.6 s; the pool below has one worker, and the call
# times out after 0.2 s. A second call made right after the timeout has to
# wait for the worker.
def slow(seconds, stop=None):
    """Work in steps of 10 ms for ``seconds``, or until ``stop`` is set."""
    started = time.time()
    while time.time() - started < seconds:
        if stop is not None and stop.is_set():
            return "stopped"
        time.sleep(0.01)
    return "finished"


async def time_out(single):
    loop = asyncio.get_running_loop()
    future = single.submit(slow, 0.6)
    started = time.perf_counter()
    try:
        await asyncio.wait_for(asyncio.wrap_future(future), timeout=0.2)
    except asyncio.TimeoutError as error:
        waited = time.perf_counter() - started
        print(f"{type(error).__name__} after {waited:.1f} s")
    print(f"the call was cancelled: {future.cancelled()}")
    print(f"the call is still running: {future.running()}")
    answer = await asyncio.wait_for(
        loop.run_in_executor(single, abs, -1), timeout=60
    )
    waited = time.perf_counter() - started
    print(f"the next call returned {answer} {waited:.1f} s after the first")
    print(f"the first call's result, unused: {future.result(timeout=60)!r}")


if __name__ == "__main__":
    single = started_pool(1)
    asyncio.run(time_out(single))


# %%
# Stopping the work itself
# ------------------------
#
# To stop a call that timed out, the worker has to be told, and the call has
# to listen: ``slow`` checks a ``stop`` event between its steps of 10 ms. A
# :class:`multiprocessing.Event` cannot be passed as an argument to a pool,
# but a manager's ``Event()`` can: it is a proxy that reaches the event in
# the manager's process. On a timeout ``stoppable`` sets it, then awaits the
# call, which returns early. ``asyncio.shield()`` keeps ``wait_for`` from
# cancelling the call, so that its result can still be awaited. (From
# Python 3.14, ``terminate_workers()`` stops every worker of a pool at once;
# the pool is then broken and must be replaced.)
async def stoppable(pool, manager, seconds, timeout):
    loop = asyncio.get_running_loop()
    stop = manager.Event()
    call = loop.run_in_executor(pool, slow, seconds, stop)
    started = time.perf_counter()
    try:
        return await asyncio.wait_for(asyncio.shield(call), timeout)
    except asyncio.TimeoutError:
        stop.set()
        result = await asyncio.wait_for(call, timeout=60)
        waited = time.perf_counter() - started
        print(f"timed out; the call returned {result!r} after {waited:.1f} s")
        return result


if __name__ == "__main__":
    with multiprocessing.Manager() as manager:
        print(asyncio.run(stoppable(single, manager, 0.6, timeout=0.2)))
        print(asyncio.run(stoppable(single, manager, 0.1, timeout=0.2)))


# %%
# Shutting the pool down
# ----------------------
#
# :meth:`~concurrent.futures.Executor.shutdown` waits for the calls still
# running, and called from a coroutine it waits *in* the event loop, which
# stands still meanwhile: so does leaving ``with ProcessPoolExecutor()``
# inside a coroutine. ``asyncio.run()`` shuts down only the loop's default
# thread pool, not a pool you made. ``asyncio.to_thread()`` runs the
# shutdown in a thread instead, and the loop goes on. Each pool below still
# has a call of 0.3 s running when it is shut down; the ticker counts the
# ticks during the shutdown.
async def shut_down(pool, in_a_thread):
    loop = asyncio.get_running_loop()
    ticks = []
    ticking = asyncio.create_task(ticker(ticks))
    running = loop.run_in_executor(pool, slow, 0.3)
    await asyncio.sleep(0.05)
    started = time.time()
    if in_a_thread:
        await asyncio.to_thread(pool.shutdown)
    else:
        pool.shutdown()
    ended = time.time()
    await asyncio.wait_for(running, timeout=60)
    ticking.cancel()
    return [t for t in ticks if started <= t <= ended], started, ended


if __name__ == "__main__":
    single.shutdown()
    shutdowns = {}
    for label, in_a_thread in [
        ("pool.shutdown()", False),
        ("await asyncio.to_thread(pool.shutdown)", True),
    ]:
        pool = started_pool(2)
        during, started, ended = asyncio.run(shut_down(pool, in_a_thread))
        shutdowns[label] = (during, started, ended)
        seconds = ended - started
        print(f"{label}: {seconds:.2f} s, {len(during)} ticks meanwhile")

# %%
# The first run's timeline, as it was measured: the four calls on the two
# workers, and the loop's ticks, which went on while they computed; below,
# the two shutdowns and the ticks during each.
if __name__ == "__main__":
    import platform

    import matplotlib.pyplot as plt

    fig, (top, bottom) = plt.subplots(
        2,
        1,
        figsize=(8, 4.5),
        layout="constrained",
        gridspec_kw={"height_ratios": [3, 2]},
    )
    t0 = min(r[2] for r in results)
    lanes = sorted({r[1] for r in results})
    for label, pid, began, ended in results:
        lane = lanes.index(pid)
        top.barh(lane, ended - began, left=began - t0, height=0.5, color="C0")
        middle = (began + ended) / 2 - t0
        top.text(middle, lane, str(label), ha="center", va="center", color="w")
    top.eventplot(
        [[t - t0 for t in ticks]],
        lineoffsets=len(lanes),
        linelengths=0.5,
        colors="C1",
    )
    top.set_yticks(
        range(len(lanes) + 1),
        [f"worker {i}" for i in range(1, len(lanes) + 1)]
        + ["event loop ticks"],
    )
    top.set_xlim(0, last - t0 + 0.05)
    top.set_xlabel("seconds since the first call started")
    for row, (during, began, ended) in enumerate(shutdowns.values()):
        bottom.barh(row, ended - began, height=0.5, color="C2")
        bottom.eventplot(
            [[t - began for t in during]],
            lineoffsets=row,
            linelengths=0.5,
            colors="C1",
        )
    bottom.set_yticks(range(len(shutdowns)), ["in the loop", "in a thread"])
    bottom.invert_yaxis()
    bottom.set_xlabel("seconds since shutdown() was called")
    fig.suptitle("Four calls through run_in_executor, and two shutdowns")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    top.set_title(stamp, fontsize=8, color="grey")
    plt.show()
