"""A supervisor's portfolio as a tagged PDF and as a Word document, and a cohort's summary as Excel.

`portfolio_report` reads everything a portfolio export shows in a fixed number of queries, whatever
the number of items, standards or submissions. The PDF (a Django template printed by WeasyPrint) and
the Word document are two layouts of that one report, so they cannot disagree.

Exports leave the building: views record each one in the audit trail (`actions.record_*_export`), and
every cell of a spreadsheet goes through `safe` so text cannot run as a formula.
"""

import io
import mimetypes
from collections import Counter, defaultdict
from pathlib import PurePosixPath

import xlsxwriter
from django.contrib.staticfiles import finders
from django.db.models import Count, F, OuterRef, Subquery
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from trellis.pathway.exports import safe

from .coverage import coverage
from .models import (
    EvidenceFile,
    EvidenceItem,
    EvidenceMapping,
    Portfolio,
    PortfolioItem,
    SignOff,
    StandardDecision,
    Submission,
)
from .queries import cohort_standards

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LANGUAGE = "en-GB"


def long_date(day):
    """5 October 2026."""
    if day is None:
        return ""
    if hasattr(day, "tzinfo"):
        day = timezone.localdate(day)
    return f"{day.day} {day:%B %Y}"


def filename(*parts, extension):
    return slugify("-".join(str(p) for p in parts if p)) + f".{extension}"


def standard_label(standard, framework):
    return f"{framework.short_name} {standard.number}. {standard.title}"


# --- What a portfolio export shows ----------------------------------------------------------------------


def _moderation_summary(moderation):
    if moderation is None:
        return None
    if moderation.resolution:
        return {
            "text": f"The moderator disagreed. Resolved on {long_date(moderation.resolved_at)}: {moderation.get_resolution_display()}.",
            "reasons": moderation.resolution_reasons,
        }
    if moderation.decided_at is not None:
        if moderation.agrees:
            return {"text": f"The moderator agreed with the decision on {long_date(moderation.decided_at)}.", "reasons": ""}
        return {"text": "The moderator disagreed with the decision. Waiting for the disagreement to be resolved.", "reasons": ""}
    return {"text": "Chosen for moderation. Waiting for the moderator.", "reasons": ""}


def _sign_off_summary(sign_off):
    verb = "Signed off" if sign_off.decision == SignOff.Decision.SIGNED_OFF else "Referred back"
    by = f" by {sign_off.decided_by}" if sign_off.decided_by_id else ""
    return {"text": f"{verb} on {long_date(sign_off.decided_at)}{by}.", "reasons": sign_off.reasons}


def portfolio_report(portfolio, *, show_decisions=True):
    """What a portfolio export shows, in fourteen queries however big the portfolio (the portfolio itself
    comes with its staff record, team, cohort, mentor and reviewer already selected).

    Only decided reviews appear: a reviewer's draft is theirs until they decide. `show_decisions` is
    False for someone who may not see the reviewer's decision yet (a moderator who has not second-marked).
    """
    cohort = portfolio.cohort
    # The coverage map (shared with the portfolio pages) brings the standards and their statements.
    cover = coverage(portfolio)
    in_use = list(cohort.frameworks.select_related("version__framework").order_by("version__framework__name", "version__label"))
    items = list(EvidenceItem.objects.filter(entries__portfolio=portfolio).order_by("occurred_on", "title"))
    by_id = {item.pk: item for item in items}
    files = defaultdict(list)
    for row in EvidenceFile.objects.filter(item__in=by_id).order_by("uploaded_at"):
        files[row.item_id].append(row.name)
    mappings = defaultdict(list)  # standard id -> [mapping]
    for mapping in EvidenceMapping.objects.filter(item__in=by_id).order_by(F("statement__position").asc(nulls_first=True)):
        mappings[mapping.standard_id].append(mapping)

    sections, mapped, first_under = [], set(), {}
    for framework in cover.frameworks:
        for row in framework.standards:
            standard = row.standard
            statements = [r for r in framework.rows if r.is_statement and r.standard.pk == standard.pk]
            label = standard_label(standard, standard.version.framework)
            statement_text = {r.statement.pk: f"{r.statement.number} {r.statement.text}" for r in statements}
            entries = {}  # item id -> entry
            for mapping in mappings.get(standard.pk, []):
                entry = entries.setdefault(
                    mapping.item_id, {"item": by_id[mapping.item_id], "ways": [], "files": files[mapping.item_id]}
                )
                entry["ways"].append({"statement": statement_text.get(mapping.statement_id, ""), "how": mapping.how})
            ordered = sorted(entries.values(), key=lambda e: (e["item"].occurred_on, e["item"].title))
            for entry in ordered:
                item_id = entry["item"].pk
                # A reflection is printed once, under the first standard the item evidences; later
                # standards point back to it, so a long reflection does not repeat through the document.
                entry["reflection_under"] = first_under.get(item_id)
                first_under.setdefault(item_id, label)
                mapped.add(item_id)
            sections.append(
                {
                    "standard": standard,
                    "label": label,
                    "entries": ordered,
                    "items": row.count,
                    "statements_total": len(statements),
                    "statements_evidenced": sum(1 for r in statements if r.count),
                }
            )
    unmapped = [{"item": item, "files": files[item.pk]} for item in items if item.pk not in mapped]

    submissions = []
    if show_decisions:
        rows = list(
            Submission.objects.filter(portfolio=portfolio)
            .select_related("submitted_by__user", "review__reviewer__user", "review__moderation")
            .order_by("number")
        )
        decisions = defaultdict(list)
        decided = StandardDecision.objects.filter(review__submission__portfolio=portfolio, review__decided_at__isnull=False)
        for decision in decided.select_related("standard__version__framework").order_by("standard__position"):
            decisions[decision.review_id].append(
                {
                    "standard": standard_label(decision.standard, decision.standard.version.framework),
                    "met": "Met" if decision.met else "Not yet met",
                    "feedback": decision.feedback,
                }
            )
        sign_offs = defaultdict(list)
        for sign_off in SignOff.objects.filter(portfolio=portfolio).select_related("decided_by__user").order_by("decided_at"):
            sign_offs[sign_off.submission_id].append(_sign_off_summary(sign_off))
        for submission in rows:
            review = getattr(submission, "review", None)
            if review is not None and review.decided_at is None:
                review = None
            submissions.append(
                {
                    "submission": submission,
                    "review": review,
                    "decisions": decisions.get(review.pk, []) if review else [],
                    "moderation": _moderation_summary(getattr(review, "moderation", None)) if review else None,
                    "sign_offs": sign_offs[submission.pk],
                }
            )
    return {
        "portfolio": portfolio,
        "title": f"Portfolio of evidence: {portfolio.staff.full_name}",
        "frameworks": [f"{row.version.framework.name} ({row.version.label})" for row in in_use],
        "sections": sections,
        "unmapped": unmapped,
        "item_count": len(items),
        "standards_evidenced": sum(1 for s in sections if s["entries"]),
        "show_decisions": show_decisions,
        "submissions": submissions,
        "exported_on": long_date(timezone.localdate()),
    }


# A state after review says what the reviewer decided, so it is kept from whoever may not see the decision.
DECIDED_STATES = {
    Portfolio.State.RETURNED,
    Portfolio.State.RECOMMENDED,
    Portfolio.State.SIGNED_OFF,
    Portfolio.State.REFERRED_BACK,
}


def _state(report):
    portfolio = report["portfolio"]
    if not report["show_decisions"] and portfolio.state in DECIDED_STATES:
        return "Reviewed (not shown until you have recorded your own decision)"
    return portfolio.get_state_display()


def about_rows(report):
    """The facts at the top of both documents, as (label, value)."""
    portfolio = report["portfolio"]
    cohort = portfolio.cohort
    staff = portfolio.staff
    return [
        ("Supervisor", staff.full_name + (f", {staff.team.name}" if staff.team_id else "")),
        ("Cohort", f"{cohort.name}, {long_date(cohort.starts_on)} to {long_date(cohort.ended_on or cohort.expected_end_on)}"),
        ("Frameworks", "; ".join(report["frameworks"]) or "None chosen"),
        ("State", _state(report)),
        ("Mentor", str(portfolio.mentor) if portfolio.mentor_id else "None yet"),
        ("Reviewer", str(portfolio.reviewer) if portfolio.reviewer_id else "None yet"),
        ("Exported", report["exported_on"]),
    ]


def coverage_rows(report):
    """(standard, items, statements) for the coverage summary of both documents."""
    rows = []
    for section in report["sections"]:
        items = section["items"]
        if section["statements_total"]:
            statements = f"{section['statements_evidenced']} of {section['statements_total']}"
        else:
            statements = "No statements listed"
        rows.append((section["label"], str(items) if items else "None yet", statements))
    return rows


# --- PDF -------------------------------------------------------------------------------------------------

# WeasyPrint resolves the template's stylesheet against this address. It is never fetched from the
# network: `StaticFilesOnly` answers it from our own static files and refuses every other address.
STATIC_BASE = "https://static.trellis.invalid/"
STATIC_TYPES = {".css", ".png", ".svg", ".woff", ".woff2", ".ttf"}


def _static_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesOnly(URLFetcher):
        """Serves the PDF's stylesheet from Trellis's static files. Anything else (another host, a
        file: address, a path that climbs out of the static folders) is refused, so content in a
        portfolio can never make the server fetch something (SSRF) or read a local file."""

        def fetch(self, url, headers=None):
            if not url.startswith(STATIC_BASE):
                raise ValueError(f"Only Trellis's own static files can be used in a PDF, not {url[:100]}")
            relative = PurePosixPath(url[len(STATIC_BASE) :].split("?")[0].split("#")[0])
            if relative.is_absolute() or ".." in relative.parts or relative.suffix not in STATIC_TYPES:
                raise ValueError(f"Not a static file a PDF may use: {relative}")
            path = finders.find(str(relative))
            if not path:
                raise ValueError(f"No static file {relative}")
            with open(path, "rb") as handle:
                body = handle.read()
            content_type = mimetypes.guess_type(str(relative))[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    return StaticFilesOnly()


def to_pdf(report):
    """The report as PDF/UA-1: tagged, with the document's language and title, fonts embedded."""
    from weasyprint import HTML  # loads Pango: only when someone asks for a PDF

    html = render_to_string(
        "portfolio/export_pdf.html", {**report, "about": about_rows(report), "coverage": coverage_rows(report)}
    )
    document = HTML(string=html, base_url=STATIC_BASE, url_fetcher=_static_fetcher())
    return document.write_pdf(pdf_variant="pdf/ua-1"), PDF


# --- Word ------------------------------------------------------------------------------------------------


def _language(document):
    """Mark the text as British English, so a screen reader and the spelling checker use it."""
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), LANGUAGE)
    rpr.append(lang)


def _table(document, header, rows):
    table = document.add_table(rows=len(rows) + 1, cols=len(header))
    table.style = "Table Grid"
    # Header cells repeat on each page, and the filled cells are reached through the flat list:
    # adding rows one at a time is quadratic in python-docx.
    row_properties = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    row_properties.append(repeat)
    grid = table._cells
    for index, name in enumerate(header):
        grid[index].paragraphs[0].add_run(name).bold = True
    for number, row in enumerate(rows, start=1):
        for index, value in enumerate(row):
            grid[number * len(header) + index].paragraphs[0].add_run(str(value))
    return table


def _paragraphs(document, label, text):
    """A labelled block of someone's writing, keeping their paragraphs."""
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    lines = (text or "").splitlines() or [""]
    paragraph.add_run(lines[0])
    for line in lines[1:]:
        paragraph.add_run().add_break(WD_BREAK.LINE)
        paragraph.add_run(line)


def to_docx(report):
    document = Document()
    document.core_properties.title = report["title"]
    document.core_properties.language = LANGUAGE
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(11)
    _language(document)
    document.add_heading(report["title"], level=0)

    document.add_heading("About this portfolio", level=1)
    about = about_rows(report)
    table = document.add_table(rows=len(about), cols=2)
    table.style = "Table Grid"
    for index, (label, value) in enumerate(about):
        table._cells[index * 2].paragraphs[0].add_run(label).bold = True
        table._cells[index * 2 + 1].paragraphs[0].add_run(value)

    document.add_heading("Evidence by standard", level=1)
    for section in report["sections"]:
        document.add_heading(section["label"], level=2)
        if not section["entries"]:
            document.add_paragraph("No evidence for this standard yet.")
        for entry in section["entries"]:
            item = entry["item"]
            document.add_heading(item.title, level=3)
            document.add_paragraph(f"{item.get_kind_display()}, {long_date(item.occurred_on)}")
            for way in entry["ways"]:
                _paragraphs(
                    document, f"How it evidences {way['statement']}" if way["statement"] else "How it evidences this", way["how"]
                )
            if entry["reflection_under"]:
                document.add_paragraph(f"Reflection: given under {entry['reflection_under']}.")
            else:
                _paragraphs(document, "Reflection", item.reflection or "None written")
            if entry["files"]:
                document.add_paragraph("Files: " + ", ".join(entry["files"]))
    if report["unmapped"]:
        document.add_heading("Evidence not yet linked to a standard", level=2)
        for entry in report["unmapped"]:
            item = entry["item"]
            document.add_heading(item.title, level=3)
            document.add_paragraph(f"{item.get_kind_display()}, {long_date(item.occurred_on)}")
            _paragraphs(document, "Reflection", item.reflection or "None written")

    document.add_heading("Coverage", level=1)
    document.add_paragraph(
        f"{report['item_count']} evidence item{'s' if report['item_count'] != 1 else ''}; "
        f"{report['standards_evidenced']} of {len(report['sections'])} standards evidenced."
    )
    _table(document, ["Standard", "Evidence items", "Statements evidenced"], coverage_rows(report))

    document.add_heading("Decisions", level=1)
    _decisions_docx(document, report)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), DOCX


def _decisions_docx(document, report):
    if not report["show_decisions"]:
        document.add_paragraph(
            "Decisions are not shown: you are second-marking this portfolio, and see the reviewer's decision "
            "once you have recorded your own."
        )
        return
    if not report["submissions"]:
        document.add_paragraph("Not submitted for review yet.")
    for row in report["submissions"]:
        submission, review = row["submission"], row["review"]
        document.add_heading(f"Submission {submission.number}", level=2)
        by = f" by {submission.submitted_by}" if submission.submitted_by_id else ""
        document.add_paragraph(f"Submitted on {long_date(submission.submitted_at)}{by}.")
        if submission.note:
            _paragraphs(document, "Note to the reviewer", submission.note)
        if review is None:
            document.add_paragraph("Waiting for the reviewer's decision.")
            continue
        reviewer = f" by {review.reviewer}" if review.reviewer_id else ""
        document.add_paragraph(f"{review.get_outcome_display()}: decided on {long_date(review.decided_at)}{reviewer}.")
        if row["decisions"]:
            _table(
                document,
                ["Standard", "Decision", "Feedback"],
                [(d["standard"], d["met"], d["feedback"]) for d in row["decisions"]],
            )
        if review.feedback:
            _paragraphs(document, "Overall feedback", review.feedback)
        if review.disputed_at:
            _paragraphs(document, f"Disputed on {long_date(review.disputed_at)}", review.dispute_reason)
        for outcome in filter(None, [row["moderation"], *row["sign_offs"]]):
            document.add_paragraph(outcome["text"])
            if outcome["reasons"]:
                _paragraphs(document, "Reasons", outcome["reasons"])


# --- Cohort summary ----------------------------------------------------------------------------------------

SUMMARY_COLUMNS = [
    "Supervisor",
    "Team",
    "Mentor",
    "Reviewer",
    "State",
    "Evidence items",
    "Standards evidenced",
    "Standards in all",
    "Submissions",
    "Latest decision",
    "Moderation",
    "Signed off on",
]


def _moderation_state(review):
    moderation = getattr(review, "moderation", None) if review else None
    if review is None:
        return ""
    if moderation is None:
        return "Not chosen for moderation"
    if moderation.resolution:
        return f"Disagreed; resolved: {moderation.get_resolution_display()}"
    if moderation.decided_at is not None:
        return "Agreed" if moderation.agrees else "Disagreed; waiting for resolution"
    if moderation.second_marked_at is not None:
        return "Second-marked; agreement not yet recorded"
    return "Waiting for second marking"


def cohort_summary(cohort):
    """One row per supervisor and the evidence per standard, in eight queries whatever the cohort's size."""
    standards = cohort_standards(cohort)
    item_counts = (
        PortfolioItem.objects.filter(portfolio=OuterRef("pk")).order_by().values("portfolio").annotate(n=Count("pk")).values("n")
    )
    submission_counts = (
        Submission.objects.filter(portfolio=OuterRef("pk")).order_by().values("portfolio").annotate(n=Count("pk")).values("n")
    )
    portfolios = list(
        Portfolio.objects.filter(cohort=cohort)
        .select_related("staff__team", "mentor__user", "reviewer__user")
        .annotate(item_count=Subquery(item_counts), submission_count=Subquery(submission_counts))
        .order_by("staff__full_name")
    )
    evidence = Counter()
    # The join to the portfolio in values() is the one filtered on, so an item also used in another
    # cohort's portfolio counts only here.
    for row in (
        EvidenceMapping.objects.filter(item__entries__portfolio__cohort=cohort)
        .values("item__entries__portfolio_id", "standard_id")
        .annotate(items=Count("item_id", distinct=True))
        .order_by()
    ):
        evidence[(row["item__entries__portfolio_id"], row["standard_id"])] = row["items"]
    signed_off = {
        row.portfolio_id: timezone.localdate(row.decided_at)
        for row in SignOff.objects.filter(portfolio__cohort=cohort, decision=SignOff.Decision.SIGNED_OFF).order_by("decided_at")
    }
    latest = {}
    for submission in (
        Submission.objects.filter(portfolio__cohort=cohort)
        .select_related("review__moderation")
        .order_by("portfolio_id", "-number")
    ):
        latest.setdefault(submission.portfolio_id, submission)
    rows = []
    for portfolio in portfolios:
        submission = latest.get(portfolio.pk)
        review = getattr(submission, "review", None) if submission else None
        if submission is None:
            decision = "Not submitted"
        elif review is None or review.decided_at is None:
            decision, review = "Waiting for the reviewer", None
        else:
            decision = f"{review.get_outcome_display()} ({long_date(review.decided_at)})"
        rows.append(
            {
                "portfolio": portfolio,
                "counts": [evidence[(portfolio.pk, standard.pk)] for standard in standards],
                "cells": [
                    portfolio.staff.full_name,
                    portfolio.staff.team.name if portfolio.staff.team_id else "",
                    str(portfolio.mentor) if portfolio.mentor_id else "",
                    str(portfolio.reviewer) if portfolio.reviewer_id else "",
                    portfolio.get_state_display(),
                    portfolio.item_count or 0,
                    sum(1 for standard in standards if evidence[(portfolio.pk, standard.pk)]),
                    len(standards),
                    portfolio.submission_count or 0,
                    decision,
                    _moderation_state(review),
                    signed_off.get(portfolio.pk) if portfolio.state == Portfolio.State.SIGNED_OFF else None,
                ],
            }
        )
    return {
        "cohort": cohort,
        "rows": rows,
        "standards": [(standard_label(s, s.version.framework), s) for s in standards],
    }


def cohort_to_xlsx(summary):
    cohort = summary["cohort"]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    heading = book.add_format({"bold": True, "font_size": 14})
    header = book.add_format({"bold": True, "bg_color": "#DDDDDD", "border": 1, "text_wrap": True, "valign": "top"})
    cell = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    day = book.add_format({"num_format": "d mmmm yyyy", "valign": "top", "border": 1})
    title = f"{cohort.name}: cohort summary"

    sheet = book.add_worksheet("Supervisors")
    sheet.write(0, 0, safe(title), heading)
    sheet.write(1, 0, f"Exported {long_date(timezone.localdate())}")
    for index, width in enumerate([28, 22, 22, 22, 24, 10, 11, 11, 11, 32, 30, 16]):
        sheet.set_column(index, index, width)
    sheet.write_row(3, 0, SUMMARY_COLUMNS, header)
    for number, row in enumerate(summary["rows"], start=4):
        for index, value in enumerate(row["cells"]):
            if value is None:
                sheet.write_blank(number, index, None, cell)
            elif isinstance(value, int):
                sheet.write_number(number, index, value, cell)
            elif hasattr(value, "isoformat"):
                sheet.write_datetime(number, index, value, day)
            else:
                sheet.write_string(number, index, safe(value), cell)
    if not summary["rows"]:
        sheet.write(4, 0, "No supervisors in this cohort yet.")
    sheet.freeze_panes(4, 1)

    sheet = book.add_worksheet("Evidence per standard")
    sheet.write(0, 0, safe(f"{cohort.name}: evidence items per standard"), heading)
    sheet.write(1, 0, "How many of each supervisor's evidence items are linked to each standard.")
    names = [safe(row["cells"][0]) for row in summary["rows"]]
    sheet.write_row(3, 0, ["Standard", "Evidence items", "Supervisors with evidence", *names], header)
    sheet.set_column(0, 0, 60)
    sheet.set_column(1, 2 + len(names), 14)
    for number, (label, _standard) in enumerate(summary["standards"], start=4):
        counts = [row["counts"][number - 4] for row in summary["rows"]]
        sheet.write_string(number, 0, safe(label), cell)
        sheet.write_number(number, 1, sum(counts), cell)
        sheet.write_number(number, 2, sum(1 for c in counts if c), cell)
        for index, count in enumerate(counts, start=3):
            sheet.write_number(number, index, count, cell)
    if not summary["standards"]:
        sheet.write(4, 0, "The cohort has no frameworks chosen.")
    sheet.freeze_panes(4, 1)
    book.close()
    return buffer.getvalue(), XLSX
