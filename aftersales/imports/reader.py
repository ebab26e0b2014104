"""Reading an uploaded .xlsx or .csv file row by row, with constant memory."""

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from aftersales.core.persian import search_key

from .registry import Importer


class FileProblem(Exception):
    """The file as a whole cannot be read (wrong type, empty, columns missing); nothing is written."""


def _header_map(importer: Importer, header: list) -> dict[int, str]:
    # A title may be the column's label in any of the product's languages, or its English key.
    wanted = {}
    for column in importer.columns:
        wanted[search_key(column.key)] = column.key
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                wanted[search_key(str(column.label))] = column.key
    mapping = {}
    for index, title in enumerate(header):
        key = wanted.get(search_key(str(title or "")))
        if key and key not in mapping.values():
            mapping[index] = key
    missing = [str(c.label) for c in importer.columns if c.required and c.key not in mapping.values()]
    if missing:
        found = "، ".join(str(title) for title in header if title not in (None, "")) or _("nothing")
        raise FileProblem(
            _("These columns are missing from the first row: %(missing)s. The first row has: %(found)s. "
              "Download the template to see the expected columns.") % {"missing": "، ".join(missing), "found": found}
        )
    return mapping


def _xlsx_rows(path: Path) -> Iterator[tuple]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileProblem(_("The file is not a readable Excel (.xlsx) file.")) from error
    try:
        sheet = workbook.worksheets[0]
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def csv_encoding(path: Path) -> str:
    """The encoding a CSV file was saved in: a BOM says UTF-8 or UTF-16; text that decodes as UTF-8 is
    UTF-8; anything else is taken as Windows-1256, what Persian Excel on Windows saves as "CSV"."""
    with open(path, "rb") as raw:
        head = raw.read(4)
        if head.startswith(b"\xef\xbb\xbf"):
            return "utf-8-sig"
        if head.startswith(_UTF16_BOMS):
            return "utf-16"
        raw.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := raw.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1256"
    return "utf-8"


def _csv_rows(path: Path, encoding: str) -> Iterator[tuple]:
    with open(path, encoding=encoding, newline="", errors="strict") as handle:
        try:
            sample = handle.read(4096)
        except UnicodeError as error:
            raise FileProblem(_("The CSV file could not be read as %(encoding)s.") % {"encoding": encoding}) from error
        if "\x00" in sample:
            raise FileProblem(_("The file is not a text (CSV) file."))
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        handle.seek(0)
        try:
            yield from csv.reader(handle, dialect)
        except UnicodeError as error:
            raise FileProblem(_("The CSV file could not be read as %(encoding)s.") % {"encoding": encoding}) from error


def file_kind(name: str, head: bytes) -> str:
    """``xlsx`` or ``csv`` by name and content; FileProblem for anything else."""
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx" and head.startswith(b"PK"):
        return "xlsx"
    if suffix == ".csv" and not head.startswith(b"PK") and (head.startswith(_UTF16_BOMS) or b"\x00" not in head[:4096]):
        return "csv"
    if suffix == ".xls":
        raise FileProblem(_("Old Excel files (.xls) are not accepted; save the file as .xlsx."))
    raise FileProblem(_("Upload an Excel (.xlsx) or CSV file."))


def read_rows(importer: Importer, path: Path, kind: str, info: dict | None = None
              ) -> Iterator[tuple[int, dict, list[tuple[str, str]]]]:
    """Yield (row number as Excel shows it, {column key: value}, problems found in the cells).

    ``info``, when given, receives the CSV's ``encoding`` and the ``columns`` the header row has.
    """
    info = {} if info is None else info
    if kind == "xlsx":
        rows = _xlsx_rows(path)
    else:
        info["encoding"] = csv_encoding(path)
        rows = _csv_rows(path, info["encoding"])
    header = None
    for number, row in enumerate(rows, start=1):
        if header is None:
            if row is None or all(value in (None, "") for value in row):
                continue
            header = _header_map(importer, list(row))
            info["columns"] = list(header.values())
            continue
        if row is None or all(value in (None, "") for value in row):
            continue
        values, problems = {}, []
        for index, key in header.items():
            value = row[index] if index < len(row) else None
            if isinstance(value, str) and value.startswith("="):
                problems.append((key, _("Formulas are not accepted; paste the values instead.")))
                continue
            values[key] = value
        yield number, values, problems
    if header is None:
        raise FileProblem(_("The file is empty."))


def template_bytes(importer: Importer) -> bytes:
    """An .xlsx with the expected header row and one example row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(importer.label)[:31]
    sheet.sheet_view.rightToLeft = True
    sheet.freeze_panes = "A2"
    sheet.append([str(column.label) for column in importer.columns])
    sheet.append([column.example for column in importer.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(importer.columns, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(14, len(str(column.label)) + 4)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
