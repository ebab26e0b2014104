"""A busy counter (issue 21): one writer of a numbering scope stopped just before the end of its
transaction, while a second writer of the same scope goes through.

A service takes its gap-free number as its last write, so a writer paused before that moment holds
no lock the second one needs. Each writer runs in its own thread with its own database connection;
modules using this carry the ``postgres`` marker (SQLite has no row locks to wait on).
"""

import threading

SLOW = "busy-slow"


class Pause:
    """Where the slow writer stops: the test patches a step of the service to call ``here()`` first.

    Only the slow writer's thread stops there; any other caller passes straight through.
    """

    def __init__(self):
        self.reached, self.resume = threading.Event(), threading.Event()

    def here(self) -> None:
        if threading.current_thread().name != SLOW:
            return
        self.reached.set()
        assert self.resume.wait(30), "the test never let the slow writer finish"


def _start(work, name: str | None = None):
    box = {}

    def run():
        from django.db import connections

        try:
            box["result"] = work()
        except Exception as error:  # noqa: BLE001 - shown by the assertions
            box["error"] = repr(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread, box


def overlap(slow, quick, pause: Pause, *, patience: float = 15) -> tuple[dict, dict, bool]:
    """Run ``slow()`` until it reaches ``pause``, then ``quick()``; let ``slow`` finish once ``quick``
    has finished or ``patience`` seconds have passed.

    Returns each one's box (``{"result": …}`` or ``{"error": …}``) and whether ``quick`` finished while
    ``slow`` was still paused.
    """
    slow_thread, slow_box = _start(slow, SLOW)
    quick_thread = None
    try:
        assert pause.reached.wait(30), f"the slow writer never reached its pause: {slow_box}"
        quick_thread, quick_box = _start(quick)
        quick_thread.join(patience)
        finished_meanwhile = not quick_thread.is_alive()
    finally:
        pause.resume.set()
        slow_thread.join(30)
        if quick_thread is not None:
            quick_thread.join(30)
    return slow_box, quick_box, finished_meanwhile


def serial(number: str) -> int:
    """The running part of ``1405-000123``."""
    return int(number.rsplit("-", 1)[1])
