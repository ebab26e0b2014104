"""What can be imported: each app describes its files with an ``Importer``.

An importer names its columns (a header may be the Persian label or the English key), cleans one
row at a time into plain values (or says what is wrong, column by column), tells which keys are
already in the database, and writes the cleaned rows in one go.
"""

import datetime
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass
class Column:
    key: str
    label: str | Promise
    required: bool = False
    example: str = ""
    #: Where a list export takes this column's value: a field path such as ``brand__code`` (a
    #: many-to-many path such as ``fits_models__code`` joins the codes with «،»), or a function of the
    #: record; the key when empty. Used only by importers that name the desk list they read back (``exports``).
    export: str | Callable = ""


class Importer:
    kind: str = ""
    label: str | Promise = ""
    permission: str = ""
    columns: list[Column] = []
    #: The slug of the desk list whose Excel export this importer reads back: that export then has
    #: this importer's headers and codes, so an exported file can be imported again.
    exports: str = ""

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

    # Updating existing records ("add and update") is offered by importers that implement the two
    # methods below; the others offer "add new rows only" and "all or nothing".
    def existing_values(self, keys: list) -> dict:
        """{key: {column key: stored value}} for the keys among ``keys`` that are already stored."""
        raise NotImplementedError

    def column_values(self, row: dict) -> dict:
        """{column key: value} of one clean row, comparable with ``existing_values``."""
        raise NotImplementedError

    def update(self, rows: list[tuple[dict, list[str]]], *, acting_user) -> int:
        """Write the given columns of each (clean row, [column keys]) onto its stored record; return
        how many records changed. Runs inside the caller's transaction."""
        raise NotImplementedError

    @property
    def can_update(self) -> bool:
        return type(self).update is not Importer.update

    def dump(self, row: dict) -> str:
        """One clean row as one line of the staging file (JSON unless the importer knows better)."""
        return json.dumps(row, default=_iso, ensure_ascii=False)

    def load(self, line: str) -> dict:
        return json.loads(line)

    def commit(self, rows: Iterator[dict], *, acting_user, progress) -> dict:
        """Write every clean row (inside the caller's transaction); return counts for the user.

        ``rows`` iterates clean rows; ``rows.lines()``, when present, gives the staged lines as
        ``dump`` wrote them, for importers that stream them straight into the database.
        """
        raise NotImplementedError


def _iso(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    raise TypeError(type(value))


class StagedRows:
    """The clean rows of a checked file, read back from the staging file one line at a time."""

    def __init__(self, path, importer: Importer):
        self.path, self.importer = path, importer

    def lines(self) -> Iterator[str]:
        with open(self.path, encoding="utf-8") as staging:
            for line in staging:
                yield line.rstrip("\n")

    def __iter__(self) -> Iterator[dict]:
        return (self.importer.load(line) for line in self.lines())


class GeneratedRows:
    """Clean rows made in code (demo data, tests) offered to ``commit`` like staged ones."""

    def __init__(self, rows: Iterable[dict], importer: Importer):
        self.rows, self.importer = rows, importer

    def lines(self) -> Iterator[str]:
        return (self.importer.dump(row) for row in self.rows)

    def __iter__(self) -> Iterator[dict]:
        return iter(self.rows)


_IMPORTERS: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    _IMPORTERS[importer.kind] = importer
    if importer.exports:
        from aftersales.desk.registry import export_layout

        export_layout(importer.exports, lambda: [(str(c.label), c.export or c.key) for c in importer.columns])
    return importer


def get(kind: str) -> Importer:
    return _IMPORTERS[kind]


def importers() -> Iterable[Importer]:
    return _IMPORTERS.values()
