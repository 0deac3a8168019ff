r"""
Share a dict and a list with a Manager
======================================

:class:`~multiprocessing.Value` and :class:`~multiprocessing.Array` share
numbers and arrays of one C type. A manager shares ordinary Python objects:
it starts a server process that owns a ``dict``, a ``list``, a ``Queue``, a
``Lock`` and more, and gives every other process a *proxy* that forwards each
operation to the server.

Quick reference:

>>> from multiprocessing import Manager
>>> with Manager() as manager:
...     shared = manager.dict()
...     shared["answer"] = 42
...     print(shared)
{'answer': 42}
"""

# %%
# A worker that writes through proxies
# ------------------------------------
#
# The worker receives a shared dict and a shared list. It extends the list
# with the numbers 11 to 15 and stores five keys in the dict. Both arguments
# are proxies, so each change travels to the manager's server process.
#
# The worker also notes when each of those calls started and returned, with
# :func:`time.time` (a clock all processes share), and sends its notes in
# one last call to a third list, ``calls``. They draw the figure at the end.
import multiprocessing
import os
import time


def worker(shared_dict, shared_list, calls):
    started = time.time()
    shared_list += range(11, 16)
    notes = [("shared_list += range(11, 16)", started, time.time())]
    for i in range(1, 6):
        key = f"key{i}"
        val = f"val{i}"
        started = time.time()
        shared_dict[key] = val
        notes.append((f"shared_dict[{key!r}] = {val!r}", started, time.time()))
    calls.extend(notes)


# %%
# Share them with a child process
# -------------------------------
#
# The parent creates the manager, asks it for an empty dict and an empty
# list, and passes them to a child process. After ``join()`` the parent prints
# both: it sees what the child wrote. ``with Manager() as manager:`` shuts the
# server process down at the end of the block, and ``join(timeout=...)``
# never waits for ever.
if __name__ == "__main__":
    opened = time.time()
    with multiprocessing.Manager() as manager:
        (server,) = multiprocessing.active_children()
        d = manager.dict()
        lst = manager.list()
        calls = manager.list()
        p = multiprocessing.Process(target=worker, args=(d, lst, calls))
        p.start()
        started = time.time()
        p.join(timeout=10)
        ended = time.time()
        worker_pid = p.pid
        if p.exitcode != 0:
            raise SystemExit(f"worker failed: exit code {p.exitcode}")
        print(d)
        print(lst)
        calls = list(calls)
    closed = time.time()

# %%
# Plain objects are copied
# ------------------------
#
# For comparison, the same worker given a plain ``dict`` and ``list``. The
# child gets its own copies; whatever it writes there stays in the child, and
# the parent's objects are still empty.
if __name__ == "__main__":
    plain_dict, plain_list = {}, []
    p = multiprocessing.Process(
        target=worker, args=(plain_dict, plain_list, [])
    )
    p.start()
    p.join(timeout=10)
    print(p.exitcode, plain_dict, plain_list)

# %%
# The processes behind the proxies
# --------------------------------
#
# The figure is drawn from the times this run recorded. On the left, the three
# processes of the first run with their process IDs: the main process, the
# manager's server process, which lives as long as the ``with`` block, and the
# worker, from ``start()`` until ``join()`` returned. On the right, the
# worker's six proxy calls: each one waits for the server's answer before the
# next one starts.
if __name__ == "__main__":
    import platform

    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(
        1, 2, figsize=(8, 3.5), layout="constrained", width_ratios=(1, 1.3)
    )
    lanes = [
        (f"main process\npid {os.getpid()}", opened, closed),
        (f"server process\npid {server.pid}", opened, closed),
        (f"worker\npid {worker_pid}", started, ended),
    ]
    for lane, (_, start, end) in enumerate(lanes):
        left.barh(
            lane,
            (end - start) * 1000,
            left=(start - opened) * 1000,
            color=f"C{lane}",
        )
    left.set_yticks(range(3), [label for label, _, _ in lanes])
    left.invert_yaxis()
    left.set_xlabel("ms since Manager() was called")
    first = calls[0][1]
    for row, (_, start, end) in enumerate(calls):
        right.barh(
            row, (end - start) * 1000, left=(start - first) * 1000, color="C2"
        )
    right.set_yticks(range(len(calls)), [label for label, _, _ in calls])
    right.invert_yaxis()
    right.set_xlabel("ms since the worker's first call")
    fig.suptitle(
        "One manager, one worker, and the calls it sent to the server"
    )
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    left.set_title(stamp, fontsize=8, color="grey")
    plt.show()
