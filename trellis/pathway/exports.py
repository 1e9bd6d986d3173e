"""The action plan as Excel, Word and CSV, laid out as the seed's table with a heading per stage."""

import csv
import io
from itertools import groupby

import xlsxwriter
from django.utils import timezone
from django.utils.text import slugify
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt

COLUMNS = ["Outcome", "Action(s)", "Support needed", "Owner", "Date to be completed", "Status"]
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    """Stop a spreadsheet treating text as a formula (CSV/formula injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def cells(action, today):
    status = action.get_status_display()
    if action.due_date and action.status not in action.CLOSED and action.due_date < today:
        status += " (overdue)"
    return [
        action.outcome.text,
        action.description,
        action.support_needed,
        str(action.owner) if action.owner else "",
        action.due_date.strftime("%d/%m/%Y") if action.due_date else "",
        status,
    ]


def by_stage(actions):
    return [(stage, list(rows)) for stage, rows in groupby(actions, key=lambda a: a.outcome.stage)]


def title(organisation, stage):
    return f"{organisation.name}: implementation pathway action plan" + (f" – {stage.name}" if stage else "")


def filename(organisation, stage, file_format):
    parts = [organisation.slug, "action-plan", stage.key if stage else "", timezone.localdate().isoformat()]
    return slugify("-".join(p for p in parts if p)) + f".{file_format}"


def to_xlsx(organisation, actions, stage=None):
    today = timezone.localdate()
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet("Action plan")
    bold = book.add_format({"bold": True})
    heading = book.add_format({"bold": True, "font_size": 14})
    header = book.add_format({"bold": True, "bg_color": "#DDDDDD", "border": 1, "text_wrap": True, "valign": "top"})
    cell = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, 1, 50)
    sheet.set_column(2, 2, 30)
    sheet.set_column(3, 3, 25)
    sheet.set_column(4, 5, 18)
    sheet.write(0, 0, title(organisation, stage), heading)
    sheet.write(1, 0, f"Exported {today.strftime('%d/%m/%Y')}")
    row = 3
    for group_stage, rows in by_stage(actions):
        sheet.write(row, 0, group_stage.name, bold)
        row += 1
        sheet.write_row(row, 0, COLUMNS, header)
        row += 1
        for action in rows:
            sheet.write_row(row, 0, [safe(v) for v in cells(action, today)], cell)
            row += 1
        row += 1
    if not actions:
        sheet.write(row, 0, "No actions yet.")
    book.close()
    return buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def to_docx(organisation, actions, stage=None):
    today = timezone.localdate()
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.5))
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10)
    document.core_properties.title = title(organisation, stage)
    document.add_heading(title(organisation, stage), level=1)
    document.add_paragraph(f"Exported {today.strftime('%d %B %Y')}")
    for group_stage, rows in by_stage(actions):
        document.add_heading(group_stage.name, level=2)
        # All rows at once, filled through the flat cell list: adding rows one by one is
        # quadratic in python-docx and made large plans slow to download.
        table = document.add_table(rows=len(rows) + 1, cols=len(COLUMNS))
        table.style = "Table Grid"
        grid = table._cells
        for index, name in enumerate(COLUMNS):
            grid[index].paragraphs[0].add_run(name).bold = True
        for number, action in enumerate(rows, start=1):
            for index, value in enumerate(cells(action, today)):
                grid[number * len(COLUMNS) + index].paragraphs[0].add_run(value)
    if not actions:
        document.add_paragraph("No actions yet.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def to_csv(organisation, actions, stage=None):
    today = timezone.localdate()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Stage", *COLUMNS])
    for action in actions:
        writer.writerow([safe(v) for v in [action.outcome.stage.name, *cells(action, today)]])
    # A byte-order mark so Excel opens UTF-8 (curly quotes, names) correctly.
    return "\ufeff" + buffer.getvalue(), "text/csv; charset=utf-8"


EXPORTERS = {"xlsx": to_xlsx, "docx": to_docx, "csv": to_csv}
