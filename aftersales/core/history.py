"""django-simple-history, made cheaper on every write.

Its ``HistoryDescriptor`` builds a new manager class (``Manager.from_queryset``, which walks the queryset
class with ``inspect.getmembers``) on every access of ``Model.history`` — and the history of every save
goes through that access. The class depends only on the descriptor's manager and queryset classes, so
it is built once per pair (issue 21: a third of a millisecond of each reception).
"""

import functools

from simple_history.manager import HistoryDescriptor


@functools.cache
def _manager_class(manager_class, queryset_class):
    return manager_class.from_queryset(queryset_class)


def _history_manager(self, instance, owner):
    return _manager_class(self.manager_class, self.queryset_class)(self.model, instance)


def history_descriptor_cache() -> None:
    """Let every ``Model.history`` access reuse its manager class (called once, from ``CoreConfig.ready``)."""
    HistoryDescriptor.__get__ = _history_manager
