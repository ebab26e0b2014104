"""Twin submits: the same request sent by two callers at the same instant (a double click, a retry).

Each twin runs in its own thread with its own database connection, released together by a barrier;
what each returned (or the repr of what it raised) comes back in order of the twins. Modules using them
carry the ``postgres`` marker: concurrent transactions are proven on PostgreSQL (make test-pg).
"""

import threading


def at_once(work, twins: int = 2) -> list:
    """Run ``work()`` in ``twins`` threads at the same instant; return each one's result or error."""
    results, barrier = [None] * twins, threading.Barrier(twins)

    def run(index):
        from django.db import connections

        try:
            barrier.wait()
            results[index] = work()
        except Exception as error:  # noqa: BLE001 - any failure must show in the assertion
            results[index] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(twins)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
