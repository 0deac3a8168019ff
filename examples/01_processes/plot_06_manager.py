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
# The worker receives a shared dict and a shared list. It extends the list
# with the numbers 11 to 15 and stores five keys in the dict. Both arguments
# are proxies, so each change travels to the manager's server process.
import multiprocessing


def worker(shared_dict, shared_list):
    shared_list += range(11, 16)
    for i in range(1, 6):
        key = f"key{i}"
        val = f"val{i}"
        shared_dict[key] = val


# %%
# The parent creates the manager, asks it for an empty dict and an empty
# list, and passes them to a child process. After ``join()`` the parent prints
# both: it sees what the child wrote. ``with Manager() as manager:`` shuts the
# server process down at the end of the block, and ``join(timeout=...)``
# never waits for ever.
if __name__ == "__main__":
    with multiprocessing.Manager() as manager:
        d = manager.dict()
        lst = manager.list()
        p = multiprocessing.Process(target=worker, args=(d, lst))
        p.start()
        p.join(timeout=10)
        if p.exitcode != 0:
            raise SystemExit(f"worker failed: exit code {p.exitcode}")
        print(d)
        print(lst)

# %%
# For comparison, the same worker given a plain ``dict`` and ``list``. The
# child gets its own copies; whatever it writes there stays in the child, and
# the parent's objects are still empty.
if __name__ == "__main__":
    plain_dict, plain_list = {}, []
    p = multiprocessing.Process(target=worker, args=(plain_dict, plain_list))
    p.start()
    p.join(timeout=10)
    print(p.exitcode, plain_dict, plain_list)
