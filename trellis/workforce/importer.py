"""Importing staff records from an HR system's export: read the file, map its columns, check every row.

Reading: CSV (UTF-8 with or without a byte-order mark, else Windows-1252) or XLSX (openpyxl, read-only).
Checking: each row through ImportRowForm, which reuses the staff form's fields and messages, then the
checks that need the whole file (duplicate references, line managers). Writing is actions.apply_import.
"""

import copy
import csv
import datetime
import io
import re
import uuid
from decimal import Decimal

from django import forms
from django.db import transaction

from .forms import StaffRecordForm
from .models import CareerStage, ImportBatch, ImportMapping, ImportRow, Service, StaffRecord, Team

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
BACKGROUND_ROWS = 500
CHUNK = 500


class ImportFileError(Exception):
    """The file cannot be read as a table; the message is shown to the person who uploaded it."""


# (field, label, required column, header synonyms). Headers match ignoring case, spaces and punctuation.
FIELDS = [
    ("full_name", "Full name", True, ["full name", "name", "employee name", "staff name", "preferred name"]),
    (
        "employee_ref",
        "Employee reference",
        True,
        [
            "employee reference",
            "employee ref",
            "employee id",
            "employee number",
            "emp no",
            "emp id",
            "staff id",
            "staff number",
            "payroll number",
            "person id",
            "reference",
        ],
    ),
    ("work_email", "Work email", False, ["work email", "email", "email address", "work email address"]),
    ("job_title", "Job title", False, ["job title", "position", "post title", "role", "job"]),
    ("team", "Team", False, ["team", "team name"]),
    ("service", "Service", False, ["service", "service area", "directorate"]),
    (
        "line_manager_ref",
        "Line manager's employee reference",
        False,
        [
            "line manager employee reference",
            "line manager ref",
            "line manager id",
            "manager id",
            "manager ref",
            "manager employee id",
            "manager employee number",
            "line manager employee id",
            "manager number",
        ],
    ),
    ("fte", "FTE", False, ["fte", "full time equivalent", "wte", "whole time equivalent"]),
    ("employment_type", "Employment type", True, ["employment type", "contract type", "contract", "employment status"]),
    (
        "start_date",
        "Start date",
        True,
        ["start date", "date started", "start", "employment start date", "hire date", "date joined"],
    ),
    ("leaving_date", "Leaving date", False, ["leaving date", "end date", "termination date", "leave date", "date left"]),
    ("leaving_reason", "Leaving reason", False, ["leaving reason", "reason for leaving", "termination reason"]),
    ("career_stage", "Career stage", False, ["career stage", "stage", "grade"]),
]
LABELS = {name: label for name, label, _required, _synonyms in FIELDS}


def _key(text):
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


# --- Reading ---------------------------------------------------------------------------------


def _cell(value):
    """An XLSX cell as the text the importer checks; Excel dates become ISO dates."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(rows):
    """(headers, [(line, {header: text})]) from an iterable of rows; the first non-empty row is the header."""
    headers, records = None, []
    for line, row in enumerate(rows, start=1):
        cells = [_cell(c) if not isinstance(c, str) else c.strip() for c in row]
        if not any(cells):
            continue
        if headers is None:
            headers = cells
            continue
        record = {}
        for header, value in zip(headers, cells, strict=False):
            if header and header not in record:
                record[header] = value
        records.append((line, record))
        if len(records) > MAX_ROWS:
            raise ImportFileError(f"The file has more than {MAX_ROWS:,} rows. Split it into smaller files.")
    if headers is None:
        raise ImportFileError("The selected file is empty")
    seen = []
    for header in headers:
        if header and header not in seen:
            seen.append(header)
    if not records:
        raise ImportFileError("The selected file has a header row but no staff in it")
    return seen, records


def read_table(data, filename=""):
    """Parse the bytes of an upload. Raises ImportFileError with a message for the person."""
    if len(data) > MAX_BYTES:
        raise ImportFileError("The selected file must be smaller than 5 MB")
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if filename.lower().endswith((".xlsx", ".xls")):
        raise ImportFileError("The selected file must be a CSV or Excel (.xlsx) file. This file could not be opened.")
    if b"\x00" in data:
        raise ImportFileError("The selected file must be a CSV or Excel (.xlsx) file")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError("The selected file must be a CSV or Excel (.xlsx) file")
    try:
        return _table(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise ImportFileError(f"The selected file could not be read as CSV: {error}") from error


def _read_xlsx(data):
    from openpyxl import load_workbook

    unreadable = "The selected file must be a CSV or Excel (.xlsx) file. This file could not be opened."
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a damaged workbook fails in zipfile, zlib, XML or openpyxl itself
        raise ImportFileError(unreadable) from error
    try:
        return _table(workbook.worksheets[0].iter_rows(values_only=True))
    except ImportFileError:
        raise
    except Exception as error:  # read-only mode reads lazily: damage can surface mid-sheet
        raise ImportFileError(unreadable) from error
    finally:
        workbook.close()


# --- Staging and mapping ---------------------------------------------------------------------


KEEP_UNAPPLIED_DAYS = 7


def suggested_mapping(batch):
    """The batch's own mapping if chosen; else last time's columns where this file has them; else by header name."""
    if batch.mapping:
        return dict(batch.mapping)
    last = ImportMapping.objects.filter(organisation=batch.organisation).first()
    remembered = last.columns if last else {}
    by_key = {_key(h): h for h in batch.headers}
    mapping = {}
    for name, label, _required, synonyms in FIELDS:
        if remembered.get(name) in batch.headers:
            mapping[name] = remembered[name]
            continue
        for candidate in [label, *synonyms]:
            if _key(candidate) in by_key:
                mapping[name] = by_key[_key(candidate)]
                break
    # One column, one field: the first field that claimed it keeps it.
    used, result = set(), {}
    for name, header in mapping.items():
        if header not in used:
            result[name] = header
            used.add(header)
    return result


# --- Checking rows ---------------------------------------------------------------------------


def parse_date(text):
    text = text.strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?", text):
        return parse_date(text[:10])
    return None


def _choice(text, choices, extra=None):
    """A choice value from its value or label, ignoring case, spaces and punctuation."""
    lookup = {_key(v): v for v, _label in choices} | {_key(label): v for v, label in choices} | (extra or {})
    return lookup.get(_key(text))


EMPLOYMENT_SYNONYMS = {"fixedterm": "fixed_term", "temporary": "fixed_term", "seconded": "secondment", "locum": "agency"}
SERVICE_SYNONYMS = {
    "adult": "adults",
    "adultsservices": "adults",
    "child": "children",
    "childrens": "children",
    "childrensservices": "children",
    "childrenandfamilies": "children",
}


class ImportRowForm(forms.Form):
    """One row of the file. Text fields reuse the staff form's fields, so the limits and messages match."""

    full_name = StaffRecordForm.base_fields["full_name"]
    employee_ref = StaffRecordForm.base_fields["employee_ref"]
    work_email = StaffRecordForm.base_fields["work_email"]
    job_title = StaffRecordForm.base_fields["job_title"]
    team = forms.CharField(required=False)
    service = forms.CharField(required=False)
    line_manager_ref = forms.CharField(required=False, max_length=50)
    fte = copy.deepcopy(StaffRecordForm.base_fields["fte"])
    employment_type = forms.CharField(error_messages={"required": "Enter their employment type"})
    start_date = forms.CharField(error_messages={"required": "Enter their start date"})
    leaving_date = forms.CharField(required=False)
    leaving_reason = forms.CharField(required=False)
    career_stage = forms.CharField(required=False)

    def __init__(self, data, *, mapped, teams, stages):
        super().__init__(data)
        self.fields["fte"].required = False
        for name in list(self.fields):
            if name not in mapped and name != "service":
                del self.fields[name]
        self.teams = teams
        self.stages = stages

    def rebind(self, data):
        self.data = data
        self._errors = None

    def clean_team(self):
        name = self.cleaned_data["team"]
        if not name:
            return None
        team = self.teams.get(name.lower())
        if team is None:
            raise forms.ValidationError(f"Unknown team ‘{name}’. Add the team to Trellis first, or correct the name")
        return team

    def clean_service(self):
        text = self.cleaned_data["service"]
        if not text:
            return ""
        value = _choice(text, Service.choices, SERVICE_SYNONYMS)
        if value is None:
            raise forms.ValidationError(f"Unknown service ‘{text}’. Use adults or children")
        return value

    def clean_employment_type(self):
        text = self.cleaned_data["employment_type"]
        value = _choice(text, StaffRecord.EmploymentType.choices, EMPLOYMENT_SYNONYMS)
        if value is None:
            raise forms.ValidationError(f"Unknown employment type ‘{text}’. Use permanent, fixed-term, agency or secondment")
        return value

    def clean_leaving_reason(self):
        text = self.cleaned_data["leaving_reason"]
        if not text:
            return ""
        value = _choice(text, StaffRecord.LeavingReason.choices)
        if value is None:
            raise forms.ValidationError(
                f"Unknown leaving reason ‘{text}’. Use resignation, retirement, end of contract, dismissal, redeployment or other"
            )
        return value

    def _date(self, name, label):
        text = self.cleaned_data[name]
        if not text:
            return None
        value = parse_date(text)
        if value is None:
            raise forms.ValidationError(f"{label} ‘{text}’ is not a date. Use day/month/year, like 02/09/2024, or 2024-09-02")
        return value

    def clean_start_date(self):
        return self._date("start_date", "Start date")

    def clean_leaving_date(self):
        return self._date("leaving_date", "Leaving date")

    def clean_career_stage(self):
        name = self.cleaned_data["career_stage"]
        if not name:
            return None
        stage = self.stages.get(name.lower())
        if stage is None:
            raise forms.ValidationError(f"Unknown career stage ‘{name}’. Use one of your organisation's career stages")
        return stage

    def clean_employee_ref(self):
        return self.cleaned_data["employee_ref"].strip()

    def clean_full_name(self):
        return self.cleaned_data["full_name"].strip()

    def clean(self):
        data = super().clean()
        team = data.get("team")
        if not data.get("service") and "service" not in self.errors:
            if team is not None:
                data["service"] = team.service
            elif "team" not in self.errors:
                self.add_error("service", "Enter their service (adults or children), or a team")
        start, leaving = data.get("start_date"), data.get("leaving_date")
        if start and leaving and leaving < start:
            self.add_error("leaving_date", "Leaving date must be on or after their start date")
        return data

    def record_values(self):
        """The cleaned row as JSON: model field names, ids for teams and stages, ISO dates."""
        values = {}
        for name, value in self.cleaned_data.items():
            if name not in self.fields and name != "service":
                continue
            if isinstance(value, (Team, CareerStage)):
                value = str(value.pk)
            elif isinstance(value, (datetime.date, Decimal)):
                value = str(value)
            values[name] = value
        if "fte" in values and values["fte"] is None:
            del values["fte"]
        return values


def model_values(cleaned):
    """The staff-record attributes an import row sets (not the manager or stage, which apply handles)."""
    values = {}
    for name, value in cleaned.items():
        if name in ("line_manager_ref", "career_stage"):
            continue
        if name == "team":
            values["team_id"] = uuid.UUID(value) if value else None
        elif name == "fte":
            values["fte"] = Decimal(value)
        elif name in ("start_date", "leaving_date"):
            values[name] = datetime.date.fromisoformat(value) if value else None
        else:
            values[name] = value
    return values


def differences(staff, cleaned, manager_ref):
    """The field labels that would change on an existing record."""
    changed = []
    for name, value in model_values(cleaned).items():
        if getattr(staff, name) != value:
            changed.append(LABELS.get(name.removesuffix("_id"), name))
    if "line_manager_ref" in cleaned and (cleaned["line_manager_ref"] or "").lower() != (manager_ref or "").lower():
        changed.append(LABELS["line_manager_ref"])
    return changed


def _error(batch, name, message):
    header = batch.mapping.get(name, "")
    return {"column": header, "field": LABELS.get(name, name), "message": message}


def validate_batch(batch):
    """Check every row and classify it create / update / unchanged / invalid. Saves progress as it goes."""
    organisation = batch.organisation
    mapped = set(batch.mapping)
    teams = {t.name.lower(): t for t in Team.objects.filter(organisation=organisation)}
    stages = {s.name.lower(): s for s in CareerStage.objects.filter(organisation=organisation)}
    existing = {
        s.employee_ref.lower(): s for s in StaffRecord.objects.filter(organisation=organisation).select_related("line_manager")
    }
    rows = list(batch.rows.order_by("line"))
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.VALIDATING, processed=0)

    # One form, re-bound to each row: building a form copies its fields, a third of the time on big files.
    form = ImportRowForm({}, mapped=mapped, teams=teams, stages=stages)
    for done, row in enumerate(rows, start=1):
        form.rebind({name: str(row.raw.get(header, "")) for name, header in batch.mapping.items()})
        row.errors = []
        if form.is_valid():
            row.cleaned = form.record_values()
        else:
            row.cleaned = {}
            for name, messages in form.errors.items():
                row.errors.extend(_error(batch, name, m) for m in messages)
        if done % CHUNK == 0:
            ImportBatch.objects.filter(pk=batch.pk).update(processed=done)

    # Checks across the file: duplicate references, then line managers (repeated, as a row whose
    # manager's own row is invalid is itself invalid).
    first_line = {}
    for row in rows:
        ref = str(row.raw.get(batch.mapping.get("employee_ref"), "")).strip()
        if not ref:
            continue
        if ref.lower() in first_line:
            row.errors.append(_error(batch, "employee_ref", f"Employee reference {ref} is also on row {first_line[ref.lower()]}"))
        else:
            first_line[ref.lower()] = row.line
    if "line_manager_ref" in mapped:
        changed = True
        while changed:
            changed = False
            known = set(existing) | {r.cleaned["employee_ref"].lower() for r in rows if not r.errors and r.cleaned}
            for row in rows:
                manager = (row.cleaned.get("line_manager_ref") or "").lower()
                if row.errors or not manager:
                    continue
                if manager == row.cleaned["employee_ref"].lower():
                    row.errors.append(_error(batch, "line_manager_ref", "A person cannot be their own line manager"))
                    changed = True
                elif manager not in known:
                    row.errors.append(
                        _error(
                            batch,
                            "line_manager_ref",
                            f"Line manager {row.cleaned['line_manager_ref']} was not found in the file or the register",
                        )
                    )
                    changed = True

    counts = dict.fromkeys(("create", "update", "unchanged", "invalid"), 0)
    for row in rows:
        row.changes = []
        if row.errors:
            row.outcome = ImportRow.Outcome.INVALID
        else:
            staff = existing.get(row.cleaned["employee_ref"].lower())
            if staff is None:
                row.outcome = ImportRow.Outcome.CREATE
            else:
                manager_ref = staff.line_manager.employee_ref if staff.line_manager else ""
                row.changes = differences(staff, row.cleaned, manager_ref)
                row.outcome = ImportRow.Outcome.UPDATE if row.changes else ImportRow.Outcome.UNCHANGED
        counts[row.outcome] += 1
    # Rewriting the rows is far quicker than bulk_update's CASE per row; one transaction, so the
    # preview never sees a half-written batch.
    with transaction.atomic():
        ImportRow.objects.filter(batch=batch).delete()
        for row in rows:
            row.pk = None
        ImportRow.objects.bulk_create(rows, batch_size=1000)
    batch.counts = counts
    batch.status = ImportBatch.Status.READY
    batch.processed = batch.total
    batch.message = ""
    batch.save(update_fields=["counts", "status", "processed", "message"])
    return batch
