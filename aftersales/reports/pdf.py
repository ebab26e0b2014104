"""A report as PDF, drawn with fpdf2: A4 (landscape where wide), right to left, Vazirmatn embedded, the
title and the filters on top, each table with its header repeated on every page and its total row,
the notes, and "page n of m" at the foot of each page in Persian digits.

WeasyPrint (the product's other documents) lays out a thousand-row table as HTML in 15–20 seconds and
half a gigabyte; here every cell is one line of text in a fixed-height row, so a report of two
thousand-row tables is drawn in about a second. Only text with letters goes through HarfBuzz (Persian
joined, mixed Persian and Latin in their bidirectional order); numbers are already Persian digits and
are drawn as they are.
"""

from django.utils.translation import gettext as _

from aftersales.core import jalali
from aftersales.core.pdf import static_file
from aftersales.core.persian import localize_digits

FONT = "vendor/vazirmatn-ttf/Vazirmatn-FD-Regular.ttf"
BOLD = "vendor/vazirmatn-ttf/Vazirmatn-FD-Bold.ttf"
MARGIN, FOOT = 10, 12  # mm
ROW, HEAD_LINE = 5.0, 4.0  # mm: a body row, a line of a header cell
SIZE, HEAD_SIZE = 7.5, 7.0  # pt
INK, RULE, HEAD_FILL, TOTAL_FILL, BLUE = (17, 17, 17), (187, 187, 187), (238, 242, 247), (246, 246, 246), (13, 110, 253)


def _has_letters(text: str) -> bool:
    return any(character.isalpha() for character in text)


def render(context: dict) -> bytes:
    """The PDF of ``reports.render.context(...)``."""
    from fpdf import FPDF

    report = context["report"]
    pdf = FPDF(orientation="L" if report.landscape else "P", unit="mm", format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False)
    pdf.add_font("vazirmatn", "", static_file(FONT))
    pdf.add_font("vazirmatn", "B", static_file(BOLD))
    pdf.set_title(str(report.title))
    pdf.set_creator("aftersales")
    drawing = _Drawing(pdf)
    pdf.add_page()
    drawing.line(str(report.title), size=14, style="B", color=BLUE, height=8)
    made = f"{_('made at')}: {jalali.format_datetime(context['made_at'])}"
    conditions = "    ".join([f"{label}: {value}" for label, value in context["conditions"]] + [made])
    drawing.paragraph(conditions, size=8)
    for item in context["tables"]:
        drawing.table(item)
    for note in context["notes"]:
        drawing.paragraph(str(note), size=7)
    drawing.page_numbers()
    return bytes(pdf.output())


class _Drawing:
    def __init__(self, pdf):
        self.pdf = pdf
        self.shaping = None
        self.bottom = pdf.h - FOOT
        self.fits: list[bool] = []

    def _shape(self, on: bool):
        if on != self.shaping:
            if on:
                self.pdf.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="fas")
            else:
                self.pdf.set_text_shaping(False)
            self.shaping = on

    def _text(self, text: str, width: float, height: float, *, align="R", border=0, fill=False, fits=False):
        """One line of ``text`` in a cell at the current position, cut with an ellipsis if it does not fit
        (``fits``: known to fit)."""
        pdf = self.pdf
        self._shape(_has_letters(text))
        room = width - 2 * pdf.c_margin
        if text and not fits and pdf.get_string_width(text) > room:
            while text and pdf.get_string_width(text + "…") > room:
                text = text[:-1]
            text += "…"
        pdf.cell(width, height, text, border=border, align=align, fill=fill)

    def line(self, text: str, *, size: float, style: str = "", color=INK, height: float = 6):
        pdf = self.pdf
        pdf.set_font("vazirmatn", style, size)
        pdf.set_text_color(*color)
        pdf.set_x(MARGIN)
        self._text(text, pdf.epw, height)
        pdf.ln(height)
        pdf.set_text_color(*INK)

    def paragraph(self, text: str, *, size: float):
        """Text wrapped to the page width, right-aligned."""
        pdf = self.pdf
        pdf.set_font("vazirmatn", "", size)
        self._shape(True)
        if pdf.get_y() + 10 > self.bottom:
            pdf.add_page()
        pdf.set_x(MARGIN)
        pdf.multi_cell(pdf.epw, size * 0.5, text, align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    def table(self, item: dict):
        pdf = self.pdf
        table = item["table"]
        columns = table.columns
        widths = self._widths(columns, item["rows"] + ([item["total"]] if item["total"] else []))
        pdf.set_font("vazirmatn", "B", HEAD_SIZE)
        self._shape(True)
        header_lines = max(len(pdf.multi_cell(width, HEAD_LINE, str(column.label), dry_run=True, output="LINES"))
                           for width, column in zip(widths, columns, strict=True))
        header = header_lines * HEAD_LINE + 1

        if pdf.get_y() + 8 + header + ROW > self.bottom:
            pdf.add_page()
        pdf.ln(2)
        self.line(str(table.title), size=10, style="B", height=6)
        self._header(columns, widths, header)
        pdf.set_draw_color(*RULE)
        rows = item["rows"] or [[{"text": _("Nothing in this period."), "numeric": False}]]
        spans = widths if item["rows"] else [pdf.epw]
        for cells in rows:
            if pdf.get_y() + ROW > self.bottom:
                pdf.add_page()
                self._header(columns, widths, header)
            self._row(cells, spans, style="")
        if item["total"] and item["rows"]:
            if pdf.get_y() + ROW > self.bottom:
                pdf.add_page()
                self._header(columns, widths, header)
            pdf.set_fill_color(*TOTAL_FILL)
            self._row(item["total"], widths, style="B", fill=True)

    def _widths(self, columns, rows) -> list[float]:
        """Each column as wide as its widest cell (and its header's longest word), then all stretched or
        shrunk together to the page's width."""
        pdf = self.pdf
        pad = 2 * pdf.c_margin + 0.5
        need, longest = [], []
        for index, column in enumerate(columns):
            pdf.set_font("vazirmatn", "B", HEAD_SIZE)
            self._shape(True)
            widest = max(pdf.get_string_width(word) for word in str(column.label).split() or [""])
            pdf.set_font("vazirmatn", "B", SIZE)  # the total row is bold: the widest a cell gets
            texts = {cells[index]["text"] for cells in rows if index < len(cells)}
            for shaped in (False, True):
                group = [text for text in texts if _has_letters(text) == shaped]
                if group:
                    self._shape(shaped)
                    widest = max(widest, max(pdf.get_string_width(text) for text in group))
            need.append(min(widest, pdf.epw / 3) + pad)
            longest.append(widest)
        widths = [pdf.epw * width / sum(need) for width in need]
        self.fits = [longest[index] + 2 * pdf.c_margin <= width for index, width in enumerate(widths)]
        return widths

    def _header(self, columns, widths, height):
        pdf = self.pdf
        pdf.set_font("vazirmatn", "B", HEAD_SIZE)
        pdf.set_draw_color(*RULE)
        pdf.set_fill_color(*HEAD_FILL)
        self._shape(True)
        top, x = pdf.get_y(), pdf.w - MARGIN
        for width, column in zip(widths, columns, strict=True):
            x -= width
            pdf.rect(x, top, width, height, style="DF")
            pdf.set_xy(x, top + 0.5)
            pdf.multi_cell(width, HEAD_LINE, str(column.label), align="R", new_x="RIGHT", new_y="TOP")
        pdf.set_xy(MARGIN, top + height)

    def _row(self, cells, widths, *, style: str, fill: bool = False):
        pdf = self.pdf
        pdf.set_font("vazirmatn", style, SIZE)
        top, x = pdf.get_y(), pdf.w - MARGIN
        for index, (width, cell) in enumerate(zip(widths, cells, strict=False)):
            x -= width
            pdf.set_xy(x, top)
            self._text(cell["text"], width, ROW, border=1, fill=fill, fits=len(cells) > 1 and self.fits[index])
        pdf.set_xy(MARGIN, top + ROW)

    def page_numbers(self):
        """"page n of m" on every page, once the number of pages is known."""
        pdf = self.pdf
        pages = pdf.pages_count
        pdf.set_text_color(85, 85, 85)
        for number in range(1, pages + 1):
            pdf.page = number
            pdf.set_font("vazirmatn", "", 8)
            pdf.set_xy(MARGIN, pdf.h - FOOT + 3)
            self._shape(True)
            text = f"{_('page')} {localize_digits(str(number))} {_('of')} {localize_digits(str(pages))}"
            pdf.cell(pdf.epw, 5, text, align="C")
        pdf.page = pages
