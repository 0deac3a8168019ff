"""Make MPDOCS_DEFAULT_START_METHOD this interpreter's default start method.

Put on PYTHONPATH by the tests so that ``python lesson.py`` runs under fork,
spawn or forkserver without a change to the lesson. The method becomes the
default, as on a platform whose default it is (forkserver on Linux with
Python 3.14, spawn on macOS and Windows): a lesson may still choose another.
Standalone, so that it works in any Python the tests run lessons with.
"""

import os

_method = os.environ.get("MPDOCS_DEFAULT_START_METHOD")
if _method:
    import multiprocessing
    import multiprocessing.context

    _default = multiprocessing.context._default_context
    _default._default_context = multiprocessing.get_context(_method)
    _default._actual_context = None
