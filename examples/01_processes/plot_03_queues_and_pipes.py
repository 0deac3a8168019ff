r"""
Talk through queues and pipes
=============================

Processes do not share memory, so they talk by sending messages: a
:class:`multiprocessing.Queue` carries pickled objects between any number of
processes, and :func:`multiprocessing.Pipe` connects exactly two. Both copy
data through the operating system (a ``Queue`` through a pipe; a ``Pipe``
through a socket pair on POSIX, a pipe with ``duplex=False``), which is why
the receiver must read before it waits for the sender to exit.

Quick reference:

>>> from multiprocessing import Pipe, Queue
>>> q = Queue()
>>> q.put("hello")
>>> q.get(timeout=5)
'hello'
>>> left, right = Pipe()
>>> left.send([1, 2, 3])
>>> right.poll(5)
True
>>> right.recv()
[1, 2, 3]
"""

# %%
# What the children run: ``producer`` puts items, then ``None``, a *sentinel*
# meaning "no more items"; ``consumer`` prints items until the sentinel;
# ``worker`` squares tasks, 50 ms each, and sends back with each square its
# process ID and when it worked on the task; ``echo`` answers on a pipe;
# ``send_big`` puts 1 MB on a queue.
import collections
import multiprocessing
import os
import queue
import time


def producer(q, items):
    for item in items:
        q.put(item)
    q.put(None)


def consumer(q):
    item = q.get(timeout=5)
    while item is not None:
        print(f"consumer got {item!r}", flush=True)
        item = q.get(timeout=5)
    print("consumer got None: stopping", flush=True)


def worker(tasks, results):
    n = tasks.get(timeout=5)
    while n is not None:
        got = time.time()
        time.sleep(0.05)
        results.put((n, n * n, os.getpid(), got, time.time()))
        tasks.task_done()
        n = tasks.get(timeout=5)
    tasks.task_done()  # the sentinel was an item too


def echo(conn):
    while conn.poll(5):
        message = conn.recv()
        if message is None:
            break
        conn.send(message.upper())
    conn.close()


def send_big(q):
    q.put(bytes(1_000_000))


# %%
# Put and get
# -----------
#
# ``put`` adds an object; ``get(timeout=...)`` takes the oldest out, or raises
# :exc:`queue.Empty` if none arrives in time. The first ``put`` starts a
# thread that writes items into the pipe: ``close()`` says no more items will
# come, and ``join_thread()`` waits until that thread has written them all.
if __name__ == "__main__":
    q = multiprocessing.Queue()
    q.put({"id": 1, "text": "hello"})
    print(q.get(timeout=1))
    try:
        q.get(timeout=0.2)
    except queue.Empty:
        print("queue.Empty: nothing arrived within 0.2 s")
    q.close()
    q.join_thread()

# %%
# ``qsize()`` and ``empty()`` look like the way to ask what a queue holds,
# but neither knows for sure. ``put`` counts the item at once on a
# semaphore, which ``qsize()`` reads; the pipe, which ``empty()`` polls,
# gets the item only once the feeder thread has pickled and written it.
# Right after a ``put`` the two can disagree. And on macOS ``qsize()``
# raises :exc:`NotImplementedError`: it reads the semaphore with
# ``sem_getvalue()``, which macOS does not implement (gh-101094). This cell
# puts one item on each of 100 new queues and counts what the two said.
if __name__ == "__main__":
    said = collections.Counter()
    for _ in range(100):
        fresh = multiprocessing.Queue()
        fresh.put("item")
        try:
            size = fresh.qsize()
        except NotImplementedError as error:
            size = type(error).__name__
        said[size, fresh.empty()] += 1
        fresh.get(timeout=5)
        fresh.close()
        fresh.join_thread()
    for (size, empty), times in sorted(said.items(), key=str):
        print(f"after put(): qsize() = {size}, empty() = {empty}: {times}x")

# %%
# So ask the question you mean. To wait for an item, ``get`` with a
# timeout, as above; to know that a producer has finished, a sentinel, as
# below. Where a count must be right on every platform, a manager's
# ``Queue()`` is a :class:`queue.Queue` in the manager's process: ``put``
# returns once the item is in it, so ``qsize()`` and ``empty()`` answer
# from the queue itself (other processes may change it the next moment),
# at the cost of a round trip to the manager for every call.
if __name__ == "__main__":
    with multiprocessing.Manager() as manager:
        managed = manager.Queue()
        managed.put("item")
        size, empty = managed.qsize(), managed.empty()
        print(f"manager's queue: qsize() = {size}, empty() = {empty}")

# %%
# A producer and a consumer
# -------------------------
#
# A producer and a consumer in two processes. The items one process puts come
# out in the order it put them; at the sentinel the consumer's loop ends, so
# its function returns and its process exits.
if __name__ == "__main__":
    fruit = multiprocessing.Queue()
    items = ["apple", "banana", "cherry"]
    consumer_process = multiprocessing.Process(target=consumer, args=(fruit,))
    producer_process = multiprocessing.Process(
        target=producer, args=(fruit, items)
    )
    consumer_process.start()
    producer_process.start()
    consumer_process.join(timeout=10)
    producer_process.join(timeout=10)
    print("exit codes:", consumer_process.exitcode, producer_process.exitcode)

# %%
# Workers sharing a JoinableQueue
# -------------------------------
#
# A :class:`multiprocessing.JoinableQueue` counts unfinished items: ``put``
# adds one, ``task_done()`` removes one, ``join()`` waits until none is left.
# Two workers share six tasks; each stops at its own sentinel.
if __name__ == "__main__":
    tasks = multiprocessing.JoinableQueue()
    results = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(target=worker, args=(tasks, results))
        for _ in range(2)
    ]
    for p in workers:
        p.start()
    sent = {}
    for n in range(1, 7):
        sent[n] = time.time()
        tasks.put(n)
    for _ in workers:
        tasks.put(None)

# %%
# Results arrive in whatever order the workers finish, so we sort them.
# ``tasks.join()`` has no timeout, so we call it only once both workers have
# exited cleanly: then every item is marked done and it returns at once.
if __name__ == "__main__":
    replies = [(*results.get(timeout=10), time.time()) for _ in range(6)]
    squares = sorted(square for _, square, *_ in replies)
    for p in workers:
        p.join(timeout=10)
    print("squares:", squares, "exit codes:", [p.exitcode for p in workers])
    if all(p.exitcode == 0 for p in workers):
        tasks.join()
        print("tasks.join() returned: every task was marked done")
    tasks.close()
    tasks.join_thread()

# %%
# Each task went from the parent to whichever worker asked first, and its
# square came back on the results queue. One arrow per message, from when it
# was put to when it was taken: the parent put all six tasks at once, and the
# tasks waited in the queue until a worker was ready to get them. A worker
# that starts late may find the queue already emptied by the other.
if __name__ == "__main__":
    import platform

    import matplotlib.pyplot as plt

    t0 = min(sent.values())
    lanes = ["parent", *[p.pid for p in workers]]
    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    for n, _, pid, got, done, received in replies:
        lane = lanes.index(pid)
        put_ms, got_ms, done_ms, received_ms = (
            (t - t0) * 1000 for t in (sent[n], got, done, received)
        )
        ax.barh(lane, done_ms - got_ms, left=got_ms, height=0.3, color="C2")
        ax.text((got_ms + done_ms) / 2, lane, str(n), ha="center", va="center")
        arrow = {"arrowstyle": "->", "color": "C0"}
        ax.annotate("", (got_ms, lane), (put_ms, 0), arrowprops=arrow)
        arrow = {"arrowstyle": "->", "color": "C1"}
        ax.annotate("", (received_ms, 0), (done_ms, lane), arrowprops=arrow)
    ax.plot([], [], color="C0", label="task: put(n) → get()")
    ax.plot([], [], color="C1", label="square: put() → get()")
    ax.barh(0, 0, color="C2", label="worker runs task n")
    ax.legend(loc="upper center", ncol=3, fontsize=9)
    names = ["parent"] + [
        f"worker {i} · pid {pid}" for i, pid in enumerate(lanes[1:], 1)
    ]
    ax.set_yticks(range(len(lanes)), names)
    ax.set_ylim(len(lanes) - 0.5, -1.2)
    last = max(received for *_, received in replies)
    ax.set_xlim(-0.05 * (last - t0) * 1000, 1.05 * (last - t0) * 1000)
    ax.set_xlabel("milliseconds since the first put()")
    fig.suptitle("Six tasks through a JoinableQueue, six squares back")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()

# %%
# SimpleQueue
# -----------
#
# A :class:`multiprocessing.SimpleQueue` is a pipe and two locks (one on
# Windows), with no thread: ``put`` writes into the pipe itself, and ``get()``
# has no timeout. The child has exited, so its small items (and sentinel) are
# in the pipe: ``get()`` only while not ``empty()``.
if __name__ == "__main__":
    simple = multiprocessing.SimpleQueue()
    p = multiprocessing.Process(target=producer, args=(simple, ["x", "y"]))
    p.start()
    p.join(timeout=10)
    while p.exitcode == 0 and not simple.empty():
        print("SimpleQueue gave", simple.get())
    simple.close()

# %%
# Pipes
# -----
#
# :func:`multiprocessing.Pipe` returns two connected
# :class:`~multiprocessing.connection.Connection` objects that both send and
# receive. ``poll(timeout)`` waits until data is there, so ``recv()`` won't
# hang.
if __name__ == "__main__":
    parent_end, child_end = multiprocessing.Pipe()
    p = multiprocessing.Process(target=echo, args=(child_end,))
    p.start()
    for word in ["ping", "pong"]:
        parent_end.send(word)
        if parent_end.poll(5):
            print(word, "->", parent_end.recv())
    parent_end.send(None)
    p.join(timeout=10)
    print("echo exit code:", p.exitcode)

# %%
# With ``duplex=False`` the pipe goes one way: the first connection can only
# receive and the second can only send. A queue is built on such a pipe.
if __name__ == "__main__":
    receive_end, send_end = multiprocessing.Pipe(duplex=False)
    send_end.send("one way")
    print(receive_end.poll(1), receive_end.recv())
    try:
        receive_end.send("back")
    except OSError as error:
        print(f"OSError: {error}")

# %%
# Read before you join
# --------------------
#
# A pipe holds far less than 1 MB (64 KiB by default on Linux); a process that
# put items on a queue waits, as it exits, until its thread has written them
# all. So joining the child before reading would wait for ever: the timeout
# ends the wait, not the child, which is still alive.
if __name__ == "__main__":
    big = multiprocessing.Queue()
    p = multiprocessing.Process(target=send_big, args=(big,))
    p.start()
    p.join(timeout=1)
    print(
        f"after join(timeout=1): alive={p.is_alive()}, exitcode={p.exitcode}"
    )

# %%
# The fix: read what the child put, then join it. As the parent reads, the
# child's thread writes the rest; then the child exits and ``join`` returns.
if __name__ == "__main__":
    data = big.get(timeout=5)
    p.join(timeout=5)
    print(
        f"got {len(data)} bytes; alive={p.is_alive()}, exitcode={p.exitcode}"
    )
