"""The oversight figures as an Excel workbook: the same numbers as the dashboard, one sheet a section.

Written from the plain figures (live or a meeting's snapshot), so equality counts arrive already
suppressed: a small count is the text "fewer than 5", never a number.
"""

import io

import xlsxwriter
from django.utils.text import slugify

from trellis.pathway.exports import safe

from .figures import POPULATIONS
from .report import day, months

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def filename(organisation, figures, meeting=None):
    window = figures["window"]
    parts = [organisation.slug, "oversight", window["service"], "to", window["end"]]
    if meeting is not None:
        parts.insert(2, f"meeting-{meeting.held_on.isoformat()}")
    return slugify("-".join(p for p in parts if p)) + ".xlsx"


class _Book:
    def __init__(self):
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
        self.heading = self.book.add_format({"bold": True, "font_size": 14})
        self.bold = self.book.add_format({"bold": True})
        self.header = self.book.add_format({"bold": True, "bg_color": "#DDDDDD", "border": 1, "text_wrap": True, "valign": "top"})
        self.text = self.book.add_format({"text_wrap": True, "valign": "top", "border": 1})
        self.number = self.book.add_format({"valign": "top", "border": 1})
        self.decimal = self.book.add_format({"valign": "top", "border": 1, "num_format": "0.00"})
        self.percent = self.book.add_format({"valign": "top", "border": 1, "num_format": "0.0%"})

    def sheet(self, name, widths):
        sheet = self.book.add_worksheet(name)
        for column, width in enumerate(widths):
            sheet.set_column(column, column, width)
        return sheet

    def table(self, sheet, row, headers, rows, formats=None):
        """Write a header row and data rows from `row`; returns the next free row."""
        sheet.write_row(row, 0, headers, self.header)
        for offset, values in enumerate(rows, start=1):
            for column, value in enumerate(values):
                fmt = (formats or {}).get(column, self.number if isinstance(value, (int, float)) else self.text)
                if value is None:
                    sheet.write_blank(row + offset, column, None, fmt)
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    sheet.write_number(row + offset, column, value, fmt)
                else:
                    sheet.write_string(row + offset, column, safe(value), self.text)
        return row + len(rows) + 2

    def close(self):
        self.book.close()
        return self.buffer.getvalue()


def _benchmark_text(figures, figure):
    found = [b for b in figures.get("benchmarks", []) if b["figure"] == figure]
    return "; ".join(f"{b['rate'] * 100:.1f}% ({b['service']}, {b['period']}, {b['source']})" for b in found)


def to_xlsx(organisation, figures, meeting=None):
    window = figures["window"]
    out = _Book()

    summary = out.sheet("Summary", [52, 14, 16, 16, 70])
    summary.write(0, 0, f"{organisation.name}: recruitment and retention oversight", out.heading)
    summary.write(1, 0, f"12 months from {day(window['first_day']):%d/%m/%Y} to {day(window['end']):%d/%m/%Y}")
    summary.write(2, 0, f"Service: {window['service_label']}")
    if meeting is not None:
        summary.write(3, 0, safe(f"Figures as recorded for the meeting {meeting}, on {meeting.snapshot_taken_at:%d/%m/%Y %H:%M}"))
    else:
        summary.write(3, 0, f"Figures worked out on {day(figures['computed_on']):%d/%m/%Y}")
    vacancy = figures["vacancy"]
    rates = [
        (
            "Turnover rate (leavers ÷ average headcount)",
            "turnover",
            figures["turnover"]["leavers"],
            figures["turnover"]["average_headcount"],
        ),
        (
            "Turnover rate, Department for Education definition (FTE leavers ÷ FTE in post at the end)",
            "turnover_dfe",
            figures["turnover_dfe"]["leavers_fte"],
            figures["turnover_dfe"]["fte_at_end"],
        ),
        ("Stability", "stability", figures["stability"]["still_in_post"], figures["stability"]["in_post_at_start"]),
        (
            "Agency rate (FTE)",
            "agency",
            figures["agency"]["agency_fte"],
            figures["agency"]["agency_fte"] + figures["agency"]["direct_fte"],
        ),
        (
            "Vacancy rate (FTE, today)" if vacancy["recorded"] else "Vacancy rate: record funded posts on your teams to see it",
            "vacancy",
            vacancy["vacant_fte"] if vacancy["recorded"] else None,
            vacancy["vacant_fte"] + vacancy["direct_fte"] if vacancy["recorded"] else None,
        ),
        (
            "Retention of new supervisors at 12 months",
            "new_supervisors",
            figures["new_supervisors"]["retained"],
            figures["new_supervisors"]["cohort"],
        ),
    ]
    out.table(
        summary,
        5,
        ["Figure", "Rate", "Of", "Out of", "National figure"],
        [(label, figures[key]["rate"], num, den, _benchmark_text(figures, key)) for label, key, num, den in rates],
        formats={1: out.percent, 2: out.decimal, 3: out.decimal},
    )

    workforce = out.sheet("Workforce", [34, 16, 16, 16, 16])
    head = figures["headcount"]
    row = out.table(
        workforce,
        0,
        ["In post", "Directly employed (people)", "Directly employed (FTE)", "Agency (people)", "Agency (FTE)"],
        [
            (
                f"On {day(window['start']):%d/%m/%Y} (start)",
                head["start"]["direct"],
                head["start"]["direct_fte"],
                head["start"]["agency"],
                head["start"]["agency_fte"],
            ),
            (
                f"On {day(window['end']):%d/%m/%Y} (end)",
                head["end"]["direct"],
                head["end"]["direct_fte"],
                head["end"]["agency"],
                head["end"]["agency_fte"],
            ),
        ],
        formats={2: out.decimal, 4: out.decimal},
    )
    row = out.table(
        workforce,
        row,
        ["Directly employed", "People", "FTE"],
        [
            ("Starters", figures["starters"]["count"], figures["starters"]["fte"]),
            ("Leavers", figures["leavers"]["count"], figures["leavers"]["fte"]),
        ],
        formats={2: out.decimal},
    )
    out.table(
        workforce,
        row,
        ["Why people left", "Leavers"],
        [(r["label"], r["count"]) for r in figures["leavers"]["reasons"]] or [("Nobody left", 0)],
    )

    teams = out.sheet("Vacancies", [34, 16, 16, 16, 16])
    if vacancy["recorded"]:
        out.table(
            teams,
            0,
            ["Team", "Funded posts (FTE)", "Directly employed in post (FTE)", "Agency (FTE)", "Vacant (FTE)"],
            [(t["team"], t["funded_fte"], t["direct_fte"], t["agency_fte"], t["vacant_fte"]) for t in vacancy["teams"]],
            formats={1: out.decimal, 2: out.decimal, 3: out.decimal, 4: out.decimal},
        )
    else:
        teams.write(0, 0, "Record funded posts on your teams to see the vacancy rate.")

    supervisors = out.sheet("Supervisors", [44, 16])
    new = figures["new_supervisors"]
    tenure = figures["time_in_role"]
    row = out.table(
        supervisors,
        0,
        ["New supervisors", "People"],
        [
            (f"Became supervisors from {day(new['cohort_from']):%d/%m/%Y} to {day(new['cohort_to']):%d/%m/%Y}", new["cohort"]),
            ("Still at a supervisory stage 12 months later", new["retained"]),
        ],
    )
    row = out.table(
        supervisors,
        row,
        ["Time in role at the end of the window", "Supervisors"],
        [(b["label"], b["count"]) for b in tenure["bands"]],
    )
    supervisors.write(row, 0, f"Median time in role: {months(tenure['median_months'])}")

    equality = out.sheet("Equal opportunities", [44] + [14] * 7)
    equality.write(0, 0, "Counts from 1 to 4 show as 'fewer than 5'; 'not shown' hides a count that would let one be worked out.")
    totals = {p["key"]: p["total"] for p in figures["equality"]["populations"]}
    row = 2
    for characteristic in figures["equality"]["characteristics"]:
        equality.write(row, 0, characteristic["label"], out.bold)
        headers = ["Group"]
        for key, label in POPULATIONS:
            headers.append(f"{label} ({totals[key]})")
            headers.append("Share" if key == "workforce" else "Share (ratio to workforce)")
        rows = []
        for group in characteristic["rows"]:
            values = [group["label"]]
            for cell in group["cells"]:
                values.append(cell["count"] if cell["count"] is not None else cell["shown"])
                share = "" if cell["share"] is None else f"{cell['share'] * 100:.1f}%"
                if cell["ratio"] is not None:
                    share += f" ({cell['ratio']:.2f}{', lower' if cell['lower'] else ''})"
                values.append(share or "–")
            rows.append(values)
        row = out.table(equality, row + 1, headers, rows)

    definitions = out.sheet("Definitions", [40, 100])
    row = out.table(definitions, 0, ["Term", "Meaning"], [(d["term"], d["meaning"]) for d in figures["definitions"]])
    out.table(
        definitions,
        row,
        ["National figure", "Rate", "Who", "When", "Definition", "Compare with", "Source", "Address"],
        [
            (b["figure"], b["rate"], b["population"], b["period"], b["definition"], b["compare_with"], b["source"], b["url"])
            for b in figures["benchmarks"]
        ],
        formats={1: out.percent},
    )
    return out.close(), XLSX
