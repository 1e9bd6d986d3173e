"""The supervisors register as Excel and CSV: the list seed 002's Preparation stage asks for."""

import csv
import io

import xlsxwriter
from django.utils import timezone
from django.utils.text import slugify

from trellis.pathway.exports import safe

from .queries import time_in_role

COLUMNS = [
    "Name",
    "Employee reference",
    "Job title",
    "Team",
    "Service",
    "Career stage",
    "Supervisor since",
    "Time in role",
    "Supervisees",
    "In first 12 months",
]


def cells(staff, today):
    return [
        staff.full_name,
        staff.employee_ref,
        staff.job_title,
        staff.team.name if staff.team else "",
        staff.get_service_display(),
        staff.current_stage_name or "",
        staff.supervisory_since.strftime("%d/%m/%Y") if staff.supervisory_since else "",
        time_in_role(staff.supervisory_since, today),
        staff.supervisees_count,
        "Yes" if staff.in_first_year else "No",
    ]


def title(organisation):
    return f"{organisation.name}: supervisors register"


def filename(organisation, file_format):
    return slugify(f"{organisation.slug}-supervisors-register-{timezone.localdate().isoformat()}") + f".{file_format}"


def to_xlsx(organisation, supervisors):
    today = timezone.localdate()
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet("Supervisors register")
    heading = book.add_format({"bold": True, "font_size": 14})
    header = book.add_format({"bold": True, "bg_color": "#DDDDDD", "border": 1, "text_wrap": True, "valign": "top"})
    cell = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 16)
    sheet.set_column(2, 3, 28)
    sheet.set_column(4, 9, 16)
    sheet.write(0, 0, title(organisation), heading)
    sheet.write(1, 0, f"Exported {today.strftime('%d/%m/%Y')}")
    sheet.write_row(3, 0, COLUMNS, header)
    for row, staff in enumerate(supervisors, start=4):
        values = cells(staff, today)
        sheet.write_row(row, 0, [v if isinstance(v, int) else safe(v) for v in values], cell)
    if not supervisors:
        sheet.write(4, 0, "No supervisors match.")
    book.close()
    return buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def to_csv(organisation, supervisors):
    today = timezone.localdate()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for staff in supervisors:
        writer.writerow([safe(v) for v in cells(staff, today)])
    # A byte-order mark so Excel opens UTF-8 (names with accents) correctly.
    return "\ufeff" + buffer.getvalue(), "text/csv; charset=utf-8"


EXPORTERS = {"xlsx": to_xlsx, "csv": to_csv}
