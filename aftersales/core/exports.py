"""Excel export of any list: Persian headers, right-to-left sheet, Jalali dates."""

import datetime
from collections.abc import Iterable, Sequence
from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from . import jalali

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# A text cell starting with one of these would be taken by Excel as a formula (formula injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(sheet, value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return jalali.format_datetime(value, latin_digits=True)
    if isinstance(value, datetime.date):
        return jalali.format_date(value, latin_digits=True)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    if text.startswith(_FORMULA_START):
        cell = WriteOnlyCell(sheet, text)
        cell.data_type = "s"  # stored as text, never evaluated
        return cell
    return text


def xlsx_response(*, filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """Stream a one-sheet workbook; dates become Jalali text (1405/09/07) that Excel will not reinterpret."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.sheet_view.rightToLeft = True
    sheet.freeze_panes = "A2"  # the header row stays in view while scrolling
    sheet.append([str(header) for header in headers])
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
