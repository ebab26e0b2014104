import contextlib

import pytest


@pytest.fixture
def at():
    """``with at("1405/07/02 10:00"):`` runs the block with Tehran's clock standing at that Jalali moment,
    so the services date what they write (receptions, steps, hand-backs, invoices) as a past day would."""
    import time_machine

    from aftersales.core.jalali import parse_datetime

    @contextlib.contextmanager
    def _at(moment: str):
        with time_machine.travel(parse_datetime(moment), tick=False):
            yield

    return _at
