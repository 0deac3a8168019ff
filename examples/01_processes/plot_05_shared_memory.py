r"""
Share memory blocks by name
===========================

A :class:`~multiprocessing.shared_memory.SharedMemory` block is memory that
every process maps by its name: a child writes into it and the parent reads
the same bytes, with no copy and no server in between. Nothing frees it for
you, so this lesson shows who closes it, who unlinks it, and what the resource
tracker says when nobody does.

Quick reference:

>>> from multiprocessing.shared_memory import SharedMemory
>>> block = SharedMemory(create=True, size=5)
>>> block.buf[:5] = b"hello"
>>> bytes(block.buf[:5])
b'hello'
>>> block.close()
>>> block.unlink()
"""

# %%
# ``worker`` writes five bytes into a block, ``set_first_item`` changes the
# first item of a list. Each receives only a *name*, a short string, attaches
# to the block by it, and calls ``close()`` before returning: ``close()``
# releases this process's view of the block, not the block itself.
import multiprocessing
import subprocess
import sys
import time
from multiprocessing.managers import SharedMemoryManager
from multiprocessing.shared_memory import ShareableList, SharedMemory


def worker(name):
    block = SharedMemory(name=name)
    try:
        block.buf[:5] = b"hello"
    finally:
        block.close()


def set_first_item(name):
    items = ShareableList(name=name)
    try:
        items[0] = 42
    finally:
        items.shm.close()


# %%
# Create, attach, close, unlink
# -----------------------------
#
# The parent asks for a 16-byte block; its name is chosen at random (you may
# pass one). The child writes five bytes and exits, and the parent reads them
# from its own view of the same memory.
#
# ``unlink()`` removes the name, and the memory is freed once every process
# has closed it. Exactly one process calls it, here the creator, in a
# ``finally`` clause so that an exception cannot skip it.
if __name__ == "__main__":
    block = SharedMemory(create=True, size=16)
    try:
        print(f"created {block.name!r}")
        child = multiprocessing.Process(target=worker, args=(block.name,))
        child.start()
        child.join(timeout=10)
        print(f"child exit code: {child.exitcode}")
        print(f"parent reads: {bytes(block.buf[:5])!r}")
    finally:
        block.close()
        block.unlink()

# %%
# A list in shared memory
# -----------------------
#
# A :class:`~multiprocessing.shared_memory.ShareableList` stores a fixed
# number of ``int``, ``float``, ``bool``, ``str``, ``bytes`` or ``None`` items
# in a block. Its ``shm`` attribute is that block, to close and unlink.
# A ``str`` or ``bytes`` item cannot grow past the room reserved for it when
# the list was created (``ValueError``).
if __name__ == "__main__":
    items = ShareableList([1, 2.5, "abc", None])
    try:
        child = multiprocessing.Process(
            target=set_first_item, args=(items.shm.name,)
        )
        child.start()
        child.join(timeout=10)
        print(f"child exit code: {child.exitcode}")
        print(f"parent sees: {list(items)}")
    finally:
        items.shm.close()
        items.shm.unlink()


# %%
# Handing megabytes to a child
# ----------------------------
#
# A child that stays up answers each message with the first and last byte of
# the data it got: either the bytes themselves, pickled through a
# :class:`~multiprocessing.Queue`, or only a block's name and size, to attach
# to. The parent times each round trip, three times per size, and keeps the
# fastest.
def first_and_last(inbox, replies):
    for message in iter(lambda: inbox.get(timeout=10), None):
        if isinstance(message, tuple):
            name, size = message
            block = SharedMemory(name=name)
            replies.put((block.buf[0], block.buf[size - 1]))
            block.close()
        else:
            replies.put((message[0], message[-1]))


if __name__ == "__main__":
    inbox, replies = multiprocessing.Queue(), multiprocessing.Queue()
    child = multiprocessing.Process(
        target=first_and_last, args=(inbox, replies)
    )
    child.start()
    sizes, timings, answers = [1, 8, 32], {"pickled": [], "by name": []}, []
    for mb in sizes:
        data = bytes(range(1, 256)) * (mb * 2**20 // 255)
        block = SharedMemory(create=True, size=len(data))
        try:
            block.buf[: len(data)] = data
            for how, message in [
                ("pickled", data),
                ("by name", (block.name, len(data))),
            ]:
                rounds = []
                for _ in range(3):
                    started = time.perf_counter()
                    inbox.put(message)
                    answers.append(replies.get(timeout=30))
                    rounds.append(time.perf_counter() - started)
                timings[how].append(min(rounds) * 1000)
        finally:
            block.close()
            block.unlink()
    inbox.put(None)
    child.join(timeout=10)
    same = answers.count(answers[0]) == len(answers)
    print(f"the child read the same bytes both ways: {same}")

# %%
# The fastest round trip per size. Pickling copies every byte into the pipe
# and out again in the child, so its time grows with the size; a name is a
# few bytes, whatever the size of the block behind it.
if __name__ == "__main__":
    import os
    import platform

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    for how, label in [
        ("pickled", "the bytes, pickled through a Queue"),
        ("by name", "a SharedMemory name through a Queue"),
    ]:
        ax.plot(sizes, timings[how], "o-", label=label)
        ax.annotate(
            f"{timings[how][-1]:.1f} ms",
            (sizes[-1], timings[how][-1]),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
        )
    ax.set_xticks(sizes)
    ax.set_xlim(0, sizes[-1] * 1.15)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("data size (MiB)")
    ax.set_ylabel("round trip (ms)")
    ax.legend(loc="upper left")
    fig.suptitle("Hand data to a running child and get a reply")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()

# %%
# Let a manager unlink
# --------------------
#
# A ``SharedMemoryManager`` (from :mod:`multiprocessing.managers`) records
# every block it hands out and unlinks them all when its ``with`` block ends,
# even after an exception. Each process still closes its own view. Afterwards
# the name no longer exists, so attaching to it raises ``FileNotFoundError``.
if __name__ == "__main__":
    with SharedMemoryManager() as smm:
        block = smm.SharedMemory(size=16)
        items = smm.ShareableList([1, 2, 3])
        jobs = [(worker, block.name), (set_first_item, items.shm.name)]
        for target, name in jobs:
            child = multiprocessing.Process(target=target, args=(name,))
            child.start()
            child.join(timeout=10)
        print(f"parent reads: {bytes(block.buf[:5])!r} and {list(items)}")
        block.close()
        items.shm.close()
    try:
        SharedMemory(name=block.name)
    except FileNotFoundError as error:
        print(f"after the with block: FileNotFoundError: {error}")

# %%
# What the resource tracker does
# ------------------------------
#
# On POSIX systems such as Linux and macOS, a *resource tracker* process
# watches every block that a program creates or attaches to. A small separate
# program that creates a block, closes it and exits without ``unlink()`` shows
# what the tracker does: at shutdown it prints a warning to stderr. We capture
# that program's stderr and print its warning, without the file name and line
# number in front of it.
if __name__ == "__main__":
    code = (
        "from multiprocessing.shared_memory import SharedMemory\n"
        "block = SharedMemory(create=True, size=16)\n"
        "block.close()\n"
        "print(block.name)\n"
    )
    leaky = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=30,
    )
    print(f"the program exited with code {leaky.returncode}; its stderr says:")
    for line in leaky.stderr.splitlines():
        if "UserWarning" in line:
            print(line[line.index("UserWarning") :])

# %%
# After warning, the tracker unlinked the block itself: attaching by its name
# fails. The tracker is a safety net, not a plan: it frees the memory only
# when the whole program ends, and Windows has no tracker (a block there
# disappears when its last handle closes). To leave nothing behind, close the
# block in every process that attached and unlink it once, in ``finally``, or
# let a ``SharedMemoryManager`` unlink it.
#
# Python 3.13 added ``track=False`` to ``SharedMemory``: the block is then not
# registered with the tracker. It is meant for a program that was not started
# by ``multiprocessing`` and attaches to a block that another program created
# and will unlink: otherwise its own tracker unlinks the block when it exits.
if __name__ == "__main__":
    leaked_name = leaky.stdout.strip()
    try:
        block = SharedMemory(name=leaked_name)
    except FileNotFoundError as error:
        print(f"FileNotFoundError: {error}")
    else:
        block.close()
        block.unlink()
