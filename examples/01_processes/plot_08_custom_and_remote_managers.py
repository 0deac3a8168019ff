r"""
Custom and remote managers
==========================

A subclass of :class:`~multiprocessing.managers.BaseManager` shares objects of
your own classes: its server process owns them, and other processes get
proxies. The same server can listen on a TCP address, guarded by a key, so that
a process that did not start it can connect and use the same objects.

Quick reference:

>>> import secrets
>>> from multiprocessing import AuthenticationError
>>> from multiprocessing.managers import SyncManager
>>> key = secrets.token_bytes(32)
>>> with SyncManager(address=("127.0.0.1", 0), authkey=key) as server:
...     shared = server.dict(answer=42)
...     print(server.address[0], dict(shared))
...     intruder = SyncManager(address=server.address, authkey=b"a guess")
...     try:
...         intruder.connect()
...     except AuthenticationError as error:
...         print(f"AuthenticationError: {error}")
127.0.0.1 {'answer': 42}
AuthenticationError: digest sent was rejected
"""

# %%
# A class to share
# ----------------
#
# ``Counter`` is a plain class, and ``worker`` calls ``increment()`` on the
# counter it is given. The manager's server answers each connection in a thread
# of its own, so ``Counter`` guards its count with a :class:`threading.Lock`.
# ``worker`` returns the time each call returned (:func:`time.time`, a clock
# that all processes share), for the figure at the end.
import multiprocessing
import os
import secrets
import threading
import time
from multiprocessing.managers import BaseManager


class Counter:
    def __init__(self):
        self._count = 0
        self._lock = threading.Lock()

    def increment(self):
        with self._lock:
            self._count += 1

    def value(self):
        return self._count


def worker(counter, times):
    answered = []
    for _ in range(times):
        counter.increment()
        answered.append(time.time())
    return answered


# %%
# Register it with a manager
# --------------------------
#
# :meth:`~multiprocessing.managers.BaseManager.register` adds a method to the
# manager class: ``manager.Counter()`` creates a ``Counter`` in the server
# process and returns a proxy that forwards each method call there.
# ``manager.get_counter()`` returns a proxy to one ``Counter`` that the server
# keeps, so every caller shares it. (Each process that imports this file makes
# its own ``SHARED_COUNTER``; only the server's is ever handed out.)
class CounterManager(BaseManager):
    pass


SHARED_COUNTER = Counter()


def get_counter():
    return SHARED_COUNTER


CounterManager.register("Counter", Counter)
CounterManager.register("get_counter", get_counter)

# %%
# One counter, two processes
# --------------------------
#
# Two child processes get the same proxy and call ``increment()`` 500 times
# each. Every call is a round trip to the server, and none is lost: the server
# runs them one at a time under the counter's lock. No key is given, so the
# manager uses :attr:`multiprocessing.current_process().authkey
# <multiprocessing.Process.authkey>`, a random key that child processes
# inherit.
if __name__ == "__main__":
    with CounterManager() as manager:
        counter = manager.Counter()
        children = [
            multiprocessing.Process(target=worker, args=(counter, 500))
            for _ in range(2)
        ]
        for child in children:
            child.start()
        for child in children:
            child.join(timeout=20)
        print("exit codes:", [child.exitcode for child in children])
        print("counter.value():", counter.value())


# %%
# A client that connects
# ----------------------
#
# A client needs no ``Counter`` class: it registers the type ID alone, without
# a callable, and connects with
# :meth:`~multiprocessing.managers.BaseManager.connect` to a server that is
# already running, given its address and key. A wrong key raises
# :class:`~multiprocessing.AuthenticationError` before any request is sent.
# Each client puts what happened to it on the queue ``log``: when it was
# refused, or when each of its calls was answered.
class CounterClient(BaseManager):
    pass


CounterClient.register("get_counter")


def client(address, authkey, times, log):
    manager = CounterClient(address=address, authkey=authkey)
    try:
        manager.connect()
    except multiprocessing.AuthenticationError as error:
        print(f"AuthenticationError: {error}", flush=True)
        log.put((os.getpid(), "refused", [time.time()]))
        return
    answered = worker(manager.get_counter(), times)
    print(f"client {os.getpid()}: {times} increments sent", flush=True)
    log.put((os.getpid(), "answered", answered))


# %%
# A server on a TCP address
# -------------------------
#
# .. warning::
#
#    A manager talks :mod:`pickle`, and unpickling data from the network can
#    run arbitrary code: whoever connects with the key can run code as your
#    user. Never listen on a public address or on ``0.0.0.0``, and always use a
#    strong random key such as ``secrets.token_bytes(32)``: every user of this
#    machine can reach ``127.0.0.1`` too. The key authenticates connections; it
#    does not encrypt them. To share work across machines, use a real
#    distributed system: a later lesson uses Dask.
#
# This server listens on ``127.0.0.1`` at port 0, which asks the operating
# system for a free port. :meth:`~multiprocessing.managers.BaseManager.start`
# runs the server in a new child process and returns once it listens;
# ``manager.address`` then holds the real port, different from run to run. Two
# clients have the key and add 1000 to the shared counter; the third guesses.
if __name__ == "__main__":
    authkey = secrets.token_bytes(32)
    manager = CounterManager(address=("127.0.0.1", 0), authkey=authkey)
    manager.start()
    listening = time.time()
    try:
        print("server address:", manager.address)
        keys = [authkey, authkey, b"a wrong guess"]
        log = multiprocessing.Queue()
        clients = [
            multiprocessing.Process(
                target=client, args=(manager.address, key, 500, log)
            )
            for key in keys
        ]
        for process in clients:
            process.start()
        records = [log.get(timeout=20) for _ in clients]
        for process in clients:
            process.join(timeout=20)
        print("exit codes:", [process.exitcode for process in clients])
        print("the server's counter:", manager.get_counter().value())
    finally:
        manager.shutdown()

# %%
# Who called when
# ---------------
#
# The figure shows the three clients of this run, one lane per process ID,
# on the server's time line. Each thin tick is one answer the server sent to a
# client with the key: 500 of them merge into a band, and where two bands
# overlap, the server was answering both clients. A cross marks the moment
# the third client's key was rejected.
if __name__ == "__main__":
    import platform

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    records.sort()
    for lane, (_, outcome, moments) in enumerate(records):
        ms = [(moment - listening) * 1000 for moment in moments]
        if outcome == "refused":
            ax.plot(ms, [lane] * len(ms), "X", color="C3", markersize=12)
            ax.annotate(
                "refused",
                (ms[0], lane),
                xytext=(10, -4),
                textcoords="offset points",
                color="C3",
            )
        else:
            ax.plot(ms, [lane] * len(ms), "|", color=f"C{lane}", markersize=18)
    ax.set_yticks(
        range(len(records)), [f"client\npid {pid}" for pid, _, _ in records]
    )
    ax.set_ylim(len(records) - 0.4, -0.6)
    ax.set_xlabel("ms since the server started listening")
    fig.suptitle("Calls to the server's Counter, client by client")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()
