import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from trellis.audit.models import AuditEvent
from trellis.workforce import actions, importer
from trellis.workforce.models import ImportBatch, ImportMapping, ImportRow, StaffRecord, StageHistory

D = datetime.date

HEADER = "Employee ID,Full Name,Work Email,Job Title,Team,Line Manager ID,FTE,Contract Type,Start Date,Career Stage"
VALID_ROWS = [
    "E1,Ann Able,ann@northshire.gov.uk,Social worker,Assessment North,E2,0.8,Permanent,02/09/2024,Social worker",
    "E2,Ben Boss,ben@northshire.gov.uk,Team manager,Assessment North,,1,permanent,2019-04-01,Practice supervisor",
    "E3,Cat Cole,,Senior practitioner,Assessment North,E2,1.00,Fixed-term,15/01/2022,Senior or advanced practitioner",
]


def url(name, *args):
    return reverse(f"workforce:{name}", args=["northshire", *args])


def csv_bytes(*rows, header=HEADER, encoding="utf-8"):
    return ("\r\n".join([header, *rows]) + "\r\n").encode(encoding)


def upload(client, content, name="staff.csv"):
    return client.post(url("import"), {"file": SimpleUploadedFile(name, content)})


@pytest.fixture
def team(admin, stages):
    return actions.create_team(actor=admin, name="Assessment North", service="children")


@pytest.fixture
def run(client_for, admin, team, django_capture_on_commit_callbacks):
    """run(content) -> the batch after upload and the suggested columns: the preview, ready to apply."""

    def go(content, name="staff.csv", mapping=None):
        client = client_for(admin)
        response = upload(client, content, name)
        assert response.status_code == 302, response.content.decode()[:2000]
        batch = ImportBatch.objects.get(pk=response["Location"].rstrip("/").split("/")[-2])
        if mapping is None:
            mapping = importer.suggested_mapping(batch)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url("import-mapping", batch.pk), mapping)
        assert response.status_code == 302, response.content.decode()[:2000]
        batch.refresh_from_db()
        return batch

    return go


def apply(client, batch, **data):
    return client.post(url("import-apply", batch.pk), data, follow=True)


def errors(batch):
    return [(r.line, e["column"], e["message"]) for r in batch.rows.order_by("line") for e in r.errors]


# --- Reading files ---------------------------------------------------------------------------


def test_a_valid_csv_is_previewed_then_imported(run, client_for, admin, stages):
    batch = run(csv_bytes(*VALID_ROWS))
    assert batch.status == "ready" and batch.counts == {"create": 3, "update": 0, "unchanged": 0, "invalid": 0}
    assert batch.mapping["employee_ref"] == "Employee ID" and batch.mapping["line_manager_ref"] == "Line Manager ID"
    page = client_for(admin).get(url("import-batch", batch.pk)).content.decode()
    assert "Check the changes" in page and "Ann Able" in page and "Import 3 changes" in page

    response = apply(client_for(admin), batch)
    assert "Import complete: 3 new records, 0 updated records, 0 unchanged." in response.content.decode()
    ann = StaffRecord.objects.get(employee_ref="E1")
    assert ann.line_manager.employee_ref == "E2"  # the manager is later in the file
    assert str(ann.fte) == "0.80" and ann.start_date == D(2024, 9, 2) and ann.service == "children"
    assert StaffRecord.objects.get(employee_ref="E3").employment_type == "fixed_term"
    assert StaffRecord.objects.get(employee_ref="E2").start_date == D(2019, 4, 1)
    history = StageHistory.objects.get(staff__employee_ref="E2")
    assert history.stage == stages["Practice supervisor"] and history.kind == "appointment"
    assert history.start_date == D(2019, 4, 1)
    event = AuditEvent.objects.get(verb="imported staff records")
    assert event.changes["created"] == [None, 3] and event.changes["file"] == [None, "staff.csv"]
    assert not batch.rows.exists()  # the staged copy of the file is not kept once applied
    assert StaffRecord.history.filter(employee_ref="E1", history_type="+").get().history_user == admin.user


def test_a_byte_order_mark_is_ignored(run):
    batch = run(b"\xef\xbb\xbf" + csv_bytes(*VALID_ROWS))
    assert batch.headers[0] == "Employee ID" and batch.counts["create"] == 3


def test_windows_1252_files_are_read(run):
    batch = run(csv_bytes("E9,Zoë Ó Briain,,,Assessment North,,1,Agency,01/02/2023,", encoding="cp1252"))
    assert batch.counts["create"] == 1
    assert batch.rows.get().cleaned["full_name"] == "Zoë Ó Briain"


def test_extra_columns_and_blank_trailing_rows_are_ignored(run):
    content = csv_bytes(*[r + ",ignored" for r in VALID_ROWS], header=HEADER + ",Payroll Notes") + b",,,,,\r\n\r\n,,\r\n"
    batch = run(content)
    assert batch.total == 3 and batch.counts["create"] == 3
    assert "Payroll Notes" not in batch.mapping.values()


def test_xlsx_with_real_date_cells(run, client_for, admin):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Emp No", "Name", "Team", "Contract type", "Start date", "Leaving date", "FTE"])
    sheet.append([1001, "Dee Date", "Assessment North", "Permanent", datetime.datetime(2021, 3, 4), None, 0.5])
    sheet.append([1002, "Eve Excel", "Assessment North", "Agency", D(2020, 1, 6), "31/12/2099", 1])
    sheet.append([None, None, None, None, None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = run(buffer.getvalue(), name="export.xlsx")
    assert batch.mapping["employee_ref"] == "Emp No" and batch.counts["create"] == 2, errors(batch)
    apply(client_for(admin), batch)
    dee = StaffRecord.objects.get(employee_ref="1001")
    assert dee.start_date == D(2021, 3, 4) and str(dee.fte) == "0.50"
    assert StaffRecord.objects.get(employee_ref="1002").leaving_date == D(2099, 12, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("02/09/2024", D(2024, 9, 2)),
        ("2/9/2024", D(2024, 9, 2)),
        ("2024-09-02", D(2024, 9, 2)),
        ("2024-09-02 00:00:00", D(2024, 9, 2)),
        ("09/31/2024", None),
        ("soon", None),
    ],
)
def test_dates_are_day_first_or_iso(text, expected):
    assert importer.parse_date(text) == expected


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.7\x00\x01binary", "staff.pdf", "The selected file must be a CSV or Excel (.xlsx) file"),
        (b"PK\x03\x04 not really a zip", "staff.xlsx", "This file could not be opened"),
        (b"not a workbook", "staff.xlsx", "This file could not be opened"),
        (b"\r\n\r\n", "staff.csv", "The selected file is empty"),
        (HEADER.encode(), "staff.csv", "has a header row but no staff in it"),
    ],
)
def test_files_that_are_not_tables_are_refused_clearly(client_for, admin, content, name, message):
    response = upload(client_for(admin), content, name)
    assert response.status_code == 200 and message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_file_over_5_mb_is_refused(client_for, admin):
    content = csv_bytes(*VALID_ROWS) + b"x" * (5 * 1024 * 1024)
    response = upload(client_for(admin), content)
    assert "The selected file must be smaller than 5 MB" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_no_file_is_an_error(client_for, admin):
    response = client_for(admin).post(url("import"), {})
    assert "Select a CSV or Excel file" in response.content.decode()


# --- Checking rows ---------------------------------------------------------------------------


def test_every_invalid_reason_is_reported_with_row_and_column(run, person):
    person("Reg Register", employee_ref="R1")
    batch = run(
        csv_bytes(
            "E1,Ann Able,,,Nowhere Team,,1,Permanent,02/09/2024,",  # 2: unknown team
            "E2,Ben Boss,,,Assessment North,,1,Permanent,31/02/2024,",  # 3: bad date
            "E1,Ann Again,,,Assessment North,,1,Permanent,02/09/2024,",  # 4: duplicate reference
            "E4,Dan Drift,,,Assessment North,E99,1,Permanent,02/09/2024,",  # 5: manager nowhere
            "E5,Eve Extra,,,Assessment North,,1.5,Permanent,02/09/2024,",  # 6: FTE out of range
            "E6,Fay Free,,,Assessment North,,1,Zero hours,02/09/2024,",  # 7: unknown employment type
            "E7,,,,Assessment North,,1,Permanent,,",  # 8: required fields missing
            "E8,Gus Good,,,Assessment North,R1,1,Permanent,02/09/2024,",  # 9: manager in the register
            "E9,Hal Self,,,Assessment North,E9,1,Permanent,02/09/2024,",  # 10: own manager
            "E10,Ida Ideal,,,Assessment North,E8,1,Permanent,02/09/2024,Wizard",  # 11: unknown stage
        )
    )
    assert errors(batch) == [
        (2, "Team", "Unknown team ‘Nowhere Team’. Add the team to Trellis first, or correct the name"),
        (3, "Start Date", "Start date ‘31/02/2024’ is not a date. Use day/month/year, like 02/09/2024, or 2024-09-02"),
        (4, "Employee ID", "Employee reference E1 is also on row 2"),
        (5, "Line Manager ID", "Line manager E99 was not found in the file or the register"),
        (6, "FTE", "FTE must be 1.00 or less"),
        (7, "Contract Type", "Unknown employment type ‘Zero hours’. Use permanent, fixed-term, agency or secondment"),
        (8, "Full Name", "Enter their full name"),
        (8, "Start Date", "Enter their start date"),
        (10, "Line Manager ID", "A person cannot be their own line manager"),
        (11, "Career Stage", "Unknown career stage ‘Wizard’. Use one of your organisation's career stages"),
    ]
    assert batch.counts == {"create": 1, "update": 0, "unchanged": 0, "invalid": 9}


def test_a_row_whose_manager_is_invalid_is_invalid_too(run):
    batch = run(
        csv_bytes(
            "E1,Ann Able,,,Assessment North,E2,1,Permanent,02/09/2024,",
            "E2,Ben Boss,,,Assessment North,,1,Permanent,not a date,",
        )
    )
    assert [line for line, _column, _message in errors(batch)] == [2, 3]


def test_the_preview_lists_invalid_rows(run, client_for, admin):
    batch = run(csv_bytes(*VALID_ROWS, "E4,Dan Drift,,,Assessment North,E99,1,Permanent,02/09/2024,"))
    page = client_for(admin).get(url("import-batch", batch.pk)).content.decode()
    assert "Invalid rows" in page and "Line manager E99 was not found in the file or the register" in page
    assert "Skip the invalid rows and import the others" in page
    # The rows table says whose row is wrong, from the file, though nothing in it could be cleaned.
    assert re.search(r">E4</td>\s*<td[^>]*>Dan Drift</td>", page)


# --- Applying --------------------------------------------------------------------------------


def test_all_or_nothing_writes_nothing_while_a_row_is_invalid(run, client_for, admin):
    batch = run(csv_bytes(*VALID_ROWS, "E4,Dan Drift,,,Nowhere,,1,Permanent,02/09/2024,"))
    response = apply(client_for(admin), batch)
    assert "Nothing was imported: 1 row is invalid." in response.content.decode()
    assert not StaffRecord.objects.exists()
    batch.refresh_from_db()
    assert batch.status == "ready"
    assert not AuditEvent.objects.filter(verb="imported staff records").exists()


def test_skipping_invalid_rows_writes_only_the_valid(run, client_for, admin):
    batch = run(csv_bytes(*VALID_ROWS, "E4,Dan Drift,,,Nowhere,,1,Permanent,02/09/2024,"))
    response = apply(client_for(admin), batch, skip_invalid="on")
    assert "1 invalid row skipped." in response.content.decode()
    assert sorted(StaffRecord.objects.values_list("employee_ref", flat=True)) == ["E1", "E2", "E3"]
    assert AuditEvent.objects.get(verb="imported staff records").changes["skipped"] == [None, 1]


def test_reimporting_the_same_file_changes_nothing(run, client_for, admin):
    apply(client_for(admin), run(csv_bytes(*VALID_ROWS)))
    versions = dict(StaffRecord.objects.values_list("employee_ref", "version"))
    again = run(csv_bytes(*VALID_ROWS))
    assert again.counts == {"create": 0, "update": 0, "unchanged": 3, "invalid": 0}
    page = client_for(admin).get(url("import-batch", again.pk)).content.decode()
    assert "Every valid row already matches the register, so nothing will change." in page
    response = apply(client_for(admin), again)
    assert "0 new records, 0 updated records, 3 unchanged." in response.content.decode()
    assert dict(StaffRecord.objects.values_list("employee_ref", "version")) == versions
    assert StageHistory.objects.count() == 3


def test_changed_rows_update_the_existing_record(run, client_for, admin, person):
    existing = person("Ann Old", employee_ref="e1", fte="1")
    batch = run(csv_bytes(*VALID_ROWS))
    row = batch.rows.get(line=2)
    assert row.outcome == "update" and "Full name" in row.changes and "FTE" in row.changes
    apply(client_for(admin), batch)
    existing.refresh_from_db()
    assert existing.full_name == "Ann Able" and str(existing.fte) == "0.80" and existing.version == 2
    assert existing.line_manager.employee_ref == "E2"
    assert existing.stage_history.count() == 1  # career stage is only for new people


def test_a_leaving_date_closes_the_open_career_stage(run, client_for, admin, person):
    leaver = person("Lee Leaver", employee_ref="L1", start_date=D(2018, 4, 1))
    header = "Employee ID,Name,Contract Type,Start Date,Leaving Date,Leaving reason,Team"
    batch = run(csv_bytes("L1,Lee Leaver,Permanent,01/04/2018,30/06/2026,Retirement,Assessment North", header=header))
    apply(client_for(admin), batch)
    leaver.refresh_from_db()
    assert leaver.leaving_date == D(2026, 6, 30) and leaver.leaving_reason == "retirement"
    assert leaver.stage_history.get().end_date == D(2026, 6, 30)


def test_the_mapping_is_remembered_for_next_time(run, client_for, admin):
    header = "Ref,Who,Kind,Began,Unit"
    content = csv_bytes("X1,Xena Mapped,Permanent,01/01/2020,Assessment North", header=header)
    mapping = {"employee_ref": "Ref", "full_name": "Who", "employment_type": "Kind", "start_date": "Began", "team": "Unit"}
    batch = run(content, mapping=mapping)
    assert batch.counts["create"] == 1
    assert ImportMapping.objects.get().columns == mapping

    response = upload(client_for(admin), content)
    second = ImportBatch.objects.exclude(pk=batch.pk).get()
    assert importer.suggested_mapping(second) == mapping
    page = client_for(admin).get(response["Location"]).content.decode()
    assert '<option value="Who" selected>' in page


def test_the_mapping_needs_the_required_columns_once_each(client_for, admin, team):
    client = client_for(admin)
    response = upload(client, csv_bytes(*VALID_ROWS))
    response = client.post(response["Location"], {"full_name": "Full Name", "employee_ref": "Full Name"})
    page = response.content.decode()
    assert "The column ‘Full Name’ is already chosen for full name" in page
    assert "Select the column that holds start date" in page


def test_a_large_file_is_checked_and_applied_in_the_background(run, client_for, admin, django_capture_on_commit_callbacks):
    rows = [f"B{n},Person {n},,,Assessment North,B0,1,Permanent,01/01/2020," for n in range(1, 601)]
    rows.insert(0, "B0,Boss Person,,,Assessment North,,1,Permanent,01/01/2015,")
    batch = run(csv_bytes(*rows))
    assert batch.total == 601 > importer.BACKGROUND_ROWS
    assert batch.status == "ready" and batch.processed == 601 and batch.counts["create"] == 601
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin).post(url("import-apply", batch.pk), {})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "applied" and batch.counts["result"]["created"] == 601
    assert StaffRecord.objects.filter(line_manager__employee_ref="B0").count() == 600
    page = client_for(admin).get(url("import-batch", batch.pk)).content.decode()
    assert "Import complete" in page and 'hx-trigger="every 2s"' not in page


def test_the_progress_page_polls_while_working_and_reloads_when_done(client_for, admin, team):
    client = client_for(admin)
    response = upload(client, csv_bytes(*VALID_ROWS))
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(status="validating", processed=1)
    page = client.get(url("import-batch", batch.pk)).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Rows checked: 1 of 3" in page
    assert "Check progress" in page  # without JavaScript, a link does the refreshing
    polled = client.get(url("import-batch", batch.pk), headers={"HX-Request": "true"})
    assert polled.status_code == 200 and "Rows checked: 1 of 3" in polled.content.decode()
    ImportBatch.objects.filter(pk=batch.pk).update(status="ready")
    done = client.get(url("import-batch", batch.pk), headers={"HX-Request": "true"})
    assert done.status_code == 204 and done["HX-Refresh"] == "true"


def test_a_batch_cannot_be_applied_twice(run, client_for, admin):
    batch = run(csv_bytes(*VALID_ROWS))
    apply(client_for(admin), batch)
    response = apply(client_for(admin), batch)
    assert "This import cannot be applied now" in response.content.decode()
    assert StaffRecord.objects.count() == 3


def test_apply_import_refuses_another_organisations_batch(run, member_with, other_org):
    batch = run(csv_bytes(*VALID_ROWS))
    outsider = member_with("org_admin", organisation=other_org)
    with pytest.raises(ValueError):
        actions.apply_import(batch, actor=outsider)
    assert ImportRow.objects.filter(batch=batch).count() == 3


def test_another_organisations_references_are_not_matched(run, client_for, admin, member_with, other_org):
    outsider = member_with("org_admin", organisation=other_org)
    actions.ensure_default_career_stages(other_org)
    theirs = actions.create_staff_record(
        actor=outsider,
        career_stage=other_org_stage(other_org),
        full_name="Not Ours",
        employee_ref="E1",
        service="adults",
        employment_type="permanent",
        start_date=D(2010, 1, 1),
    )
    batch = run(csv_bytes(*VALID_ROWS))
    assert batch.counts["create"] == 3
    apply(client_for(admin), batch)
    theirs.refresh_from_db()
    assert theirs.full_name == "Not Ours" and StaffRecord.objects.filter(employee_ref="E1").count() == 2


def other_org_stage(organisation):
    from trellis.workforce.models import CareerStage

    return CareerStage.objects.filter(organisation=organisation).first()


@pytest.mark.scoped
def test_the_tasks_set_the_organisation_scope_themselves(admin):
    """The worker has no request, so no middleware scope: the task must open one."""
    from django_scopes import scopes_disabled

    from trellis.workforce import tasks

    with scopes_disabled():
        actions.ensure_default_career_stages(admin.organisation)
        actions.create_team(actor=admin, name="Assessment North", service="children")
        headers, records = importer.read_table(csv_bytes(*VALID_ROWS))
        batch = actions.upload_import(actor=admin, filename="staff.csv", headers=headers, records=records)
        batch.mapping = importer.suggested_mapping(batch)
        batch.status = ImportBatch.Status.VALIDATING
        batch.save()
    tasks.validate_import.call(str(batch.pk))
    with scopes_disabled():
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.APPLYING)
    tasks.apply_import.call(str(batch.pk), str(admin.pk), False)
    with scopes_disabled():
        batch.refresh_from_db()
        assert batch.status == "applied" and StaffRecord.objects.filter(organisation=admin.organisation).count() == 3


def test_the_preview_runs_the_same_queries_however_many_rows(run, client_for, admin, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(batch):
        with CaptureQueriesContext(connection) as captured:
            assert client_for(admin).get(url("import-batch", batch.pk)).status_code == 200
        return len(captured)

    small = run(csv_bytes(*VALID_ROWS, "E4,Dan Drift,,,Nowhere,,1,Permanent,02/09/2024,"))
    many = [f"M{n},Person {n},,,Assessment North,,1,Permanent,01/01/2020," for n in range(1, 120)]
    large = run(csv_bytes(*many, *[f"X{n},Bad {n},,,Nowhere,,1,Permanent,01/01/2020," for n in range(1, 80)]))
    assert queries(large) == queries(small)


def test_abandoned_imports_are_cleared_after_a_week(client_for, admin, team, time_machine):
    client = client_for(admin)
    upload(client, csv_bytes(*VALID_ROWS))
    abandoned = ImportBatch.objects.get()
    time_machine.move_to(datetime.datetime(2026, 12, 2, 10, 0))
    assert upload(client_for(admin), csv_bytes(*VALID_ROWS)).status_code == 302
    assert not ImportBatch.objects.filter(pk=abandoned.pk).exists()
    assert not ImportRow.objects.filter(batch_id=abandoned.pk).exists()
    assert ImportBatch.objects.count() == 1
