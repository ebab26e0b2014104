"""What can be imported: each app describes its files with an ``Importer``.

An importer names its columns (a header may be the Persian label or the English key), cleans one
row at a time into plain values (or says what is wrong, column by column), tells which keys are
already in the database, and writes the cleaned rows in one go.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass
class Column:
    key: str
    label: str | Promise
    required: bool = False
    example: str = ""


class Importer:
    kind: str = ""
    label: str | Promise = ""
    permission: str = ""
    columns: list[Column] = []

    def prepare(self) -> None:
        """Load lookups (codes → ids) once per file."""

    def clean_row(self, values: dict) -> tuple[dict | None, list[tuple[str, str]]]:
        """Return (clean row, []) or (None, [(column key, message), …])."""
        raise NotImplementedError

    def key(self, row: dict):
        """What makes two rows the same record (duplicates in the file and in the database)."""
        raise NotImplementedError

    def existing_keys(self, keys: list) -> set:
        """The keys among ``keys`` that are already stored."""
        raise NotImplementedError

    def commit(self, rows: Iterator[dict], *, acting_user, progress) -> dict:
        """Write every clean row (inside the caller's transaction); return counts for the user."""
        raise NotImplementedError


_IMPORTERS: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    _IMPORTERS[importer.kind] = importer
    return importer


def get(kind: str) -> Importer:
    return _IMPORTERS[kind]


def importers() -> Iterable[Importer]:
    return _IMPORTERS.values()
