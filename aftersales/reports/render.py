"""A report's result in every format: JSON for the API, Excel, CSV, PDF and the e-mail body.

Values stay numbers wherever a program reads them (JSON, Excel, CSV); the page, PDF and e-mail show
them with Persian digits and separators. Excel sheets are right-to-left with Persian headers and
Jalali dates; the last sheet lists the filters. The PDF is A4 (landscape for wide reports) with the
filters on top and page numbers at the foot.
"""

import csv
import datetime
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from aftersales.core import jalali
from aftersales.core.exports import _cell
from aftersales.core.persian import format_number, localize_digits, to_ascii_digits

from .registry import Column, Result

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return jalali.format_date(value, latin_digits=True)
    return value


def as_json(report, filters, result: Result) -> dict:
    """The result as the API returns it: numbers as numbers, dates Jalali with Latin digits."""
    return {
        "report": report.slug,
        "title": str(report.title),
        "filters": filters.params(),
        "period": {"from": jalali.format_date(filters.start, latin_digits=True),
                   "to": jalali.format_date(filters.end, latin_digits=True),
                   "from_iso": filters.start.isoformat(), "to_iso": filters.end.isoformat()},
        "tables": [{
            "key": table.key, "title": str(table.title),
            "columns": [{"key": column.key, "label": str(column.label), "kind": column.kind} for column in table.columns],
            "rows": [{column.key: _plain(row.get(column.key)) for column in table.columns} for row in table.rows],
            "total": ({column.key: _plain(table.total.get(column.key)) for column in table.columns}
                      if table.total else None),
        } for table in result.tables],
        "chart": ({"kind": result.chart.kind, "title": str(result.chart.title), "labels": list(result.chart.labels),
                   "series": [{**series, "label": str(series["label"])} for series in result.chart.series]}
                  if result.chart else None),
        "notes": [str(note) for note in result.notes],
    }


def display(value, column: Column) -> str:
    """A cell as a person reads it: Persian digits, thousands separators, Jalali dates."""
    if value is None or value == "":
        return "—" if column.kind != "text" else ""
    if column.kind == "date" or isinstance(value, datetime.date):
        return jalali.format_date(value)
    if column.kind == "percent":
        return localize_digits(f"{value:.1f}".rstrip("0").rstrip(".")) + "٪"
    if column.kind in ("decimal", "hours"):
        return format_number(round(value, 1)) if isinstance(value, float) else format_number(value)
    if column.kind in ("int", "money"):
        return format_number(value)
    return str(value)


def rows_for_display(table) -> list[list[str]]:
    return [[display(row.get(column.key), column) for column in table.columns] for row in table.rows]


def filename(report, filters, extension: str) -> str:
    start = jalali.format_date(filters.start, "%Y%m%d", latin_digits=True)
    end = jalali.format_date(filters.end, "%Y%m%d", latin_digits=True)
    return f"{report.slug}-{start}-{end}.{extension}"


def _excel_value(sheet, value, column: Column):
    if column.kind == "percent" and isinstance(value, int | float):
        return round(value, 1)
    if column.kind in ("decimal", "hours") and isinstance(value, float):
        return round(value, 2)
    return _cell(sheet, value)


def as_xlsx(report, filters, result: Result) -> bytes:
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for number, table in enumerate(result.tables, start=1):
        title = str(table.title)[:28] or str(report.title)[:28]
        sheet = workbook.create_sheet(title=f"{number} {title}"[:31].replace("/", "-"))
        sheet.sheet_view.rightToLeft = True
        sheet.freeze_panes = "A2"
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(sheet, str(column.label))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            sheet.append([_excel_value(sheet, row.get(column.key), column) for column in table.columns])
        if table.total:
            sheet.append([_excel_value(sheet, table.total.get(column.key), column) for column in table.columns])
    about = workbook.create_sheet(title=_("report conditions")[:31])
    about.sheet_view.rightToLeft = True
    about.append([str(report.title)])
    for label, value in filters.describe():
        about.append([label, to_ascii_digits(value)])
    about.append([_("made at"), jalali.format_datetime(timezone.now(), latin_digits=True)])
    for note in result.notes:
        about.append([str(note)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def as_csv(report, filters, result: Result) -> bytes:
    """The first table (the report's main one) as UTF-8 CSV with a BOM, so Excel reads the Persian."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    table = result.tables[0] if result.tables else None
    if table is not None:
        writer.writerow([str(column.label) for column in table.columns])
        for row in [*table.rows, *([table.total] if table.total else [])]:
            writer.writerow(["" if row.get(column.key) is None else _plain(row.get(column.key))
                             for column in table.columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def context(report, filters, result: Result, link=None) -> dict:
    """What the page, the PDF and the e-mail body show; ``link(drill)`` gives the URL of a row's records
    (on the page: the row's linked cell opens them)."""
    def cells(table, row, drill=None):
        url = link(drill) if link and drill else ""
        return [{"text": display(row.get(column.key), column), "numeric": column.kind != "text",
                 "link": url if column.key == table.link else ""} for column in table.columns]

    return {
        "report": report, "filters": filters, "result": result, "conditions": filters.describe(),
        "tables": [{"table": table, "rows": [cells(table, row, row.get("drill")) for row in table.rows],
                    "total": cells(table, table.total) if table.total else None}
                   for table in result.tables],
        "notes": result.notes, "made_at": timezone.now(),
    }


def as_pdf(report, filters, result: Result) -> bytes:
    from .pdf import render

    return render(context(report, filters, result))
