import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trellis.workforce import actions
from trellis.workforce.models import StaffRecord
from trellis.workforce.queries import months_between, time_in_role, year_before

from .conftest import TODAY

D = datetime.date


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (D(2025, 11, 24), D(2026, 11, 24), 12),
        (D(2025, 11, 25), D(2026, 11, 24), 11),
        (D(2026, 1, 31), D(2026, 2, 28), 0),
        (D(2026, 1, 31), D(2026, 3, 1), 1),
        (D(2027, 1, 1), D(2026, 11, 24), 0),
    ],
)
def test_months_between_counts_whole_months(start, end, months):
    assert months_between(start, end) == months


@pytest.mark.parametrize(
    ("since", "text"),
    [
        (D(2026, 11, 1), "Less than a month"),
        (D(2026, 10, 24), "1 month"),
        (D(2025, 11, 24), "1 year"),
        (D(2024, 8, 20), "2 years 3 months"),
        (None, ""),
    ],
)
def test_time_in_role_reads_as_years_and_months(since, text):
    assert time_in_role(since, TODAY) == text


def test_a_year_before_29_february_is_28_february():
    assert year_before(D(2028, 2, 29)) == D(2027, 2, 28)
    assert year_before(TODAY) == D(2025, 11, 24)


def supervisor_rows():
    return {s.full_name: s for s in StaffRecord.objects.supervisors(TODAY)}


def test_the_register_holds_supervisory_staff_who_line_manage_current_staff(person, admin):
    supervises = person("Sal Supervisor", stage="Practice supervisor")
    manages_nobody = person("Nadia Nobody", stage="Practice supervisor")
    senior_practitioner = person("Sean Senior", stage="Senior or advanced practitioner")
    only_leaver = person("Lou Lonely", stage="Team manager")
    has_left = person("Lee Left", stage="Practice supervisor")
    person("Worker One", line_manager=supervises)
    person("Worker Two", line_manager=supervises)
    person("Worker Three", line_manager=senior_practitioner)
    gone = person("Former Worker", line_manager=only_leaver)
    actions.record_leaving(gone, actor=admin, leaving_date=D(2026, 10, 1), leaving_reason="resignation")
    person("Worker Four", line_manager=has_left)
    actions.record_leaving(has_left, actor=admin, leaving_date=D(2026, 11, 1), leaving_reason="retirement")
    # Someone leaving next month is still current, and so still counts.
    leaving_soon = person("Worker Five", line_manager=supervises)
    actions.record_leaving(leaving_soon, actor=admin, leaving_date=D(2026, 12, 31), leaving_reason="resignation")

    rows = supervisor_rows()
    assert set(rows) == {"Sal Supervisor"}
    assert rows["Sal Supervisor"].supervisees_count == 3
    assert rows["Sal Supervisor"].current_stage_name == "Practice supervisor"
    assert manages_nobody.full_name not in rows


def test_time_in_role_runs_from_the_start_of_the_continuous_supervisory_spell(person, admin, stages):
    def promoted(name, *moves):
        staff = person(name, stage="Social worker", stage_start_date=D(2018, 4, 1))
        person(f"Supervisee of {name}", line_manager=staff)
        for stage, when, kind in moves:
            actions.change_career_stage(staff, actor=admin, stage=stages[stage], start_date=when, kind=kind)
        return staff

    promoted("New Nell", ("Practice supervisor", D(2025, 12, 1), "promotion"))
    promoted("Exactly A-Year", ("Practice supervisor", D(2025, 11, 24), "promotion"))
    promoted(
        "Acting Ann",
        ("Practice supervisor", D(2024, 6, 1), "acting_up"),
        ("Practice supervisor", D(2024, 9, 1), "promotion"),
        ("Team manager", D(2026, 1, 5), "promotion"),
    )
    promoted(
        "Returned Rob",
        ("Practice supervisor", D(2022, 1, 1), "acting_up"),
        ("Social worker", D(2022, 6, 1), "return"),
        ("Practice supervisor", D(2025, 1, 10), "promotion"),
    )

    rows = supervisor_rows()
    assert rows["New Nell"].supervisory_since == D(2025, 12, 1) and rows["New Nell"].in_first_year
    assert rows["New Nell"].time_in_role == "11 months"
    assert rows["Exactly A-Year"].supervisory_since == D(2025, 11, 24) and not rows["Exactly A-Year"].in_first_year
    assert rows["Acting Ann"].supervisory_since == D(2024, 6, 1)
    assert rows["Acting Ann"].current_stage_name == "Team manager"
    assert rows["Acting Ann"].time_in_role == "2 years 5 months"
    assert rows["Returned Rob"].supervisory_since == D(2025, 1, 10)
    assert rows["Returned Rob"].time_in_role == "1 year 10 months"


def test_someone_appointed_straight_into_a_supervisory_stage_counts_from_that_date(person):
    boss = person("Appointed Ali", stage="Practice supervisor", start_date=D(2026, 3, 2))
    person("Their supervisee", line_manager=boss)
    row = supervisor_rows()["Appointed Ali"]
    assert row.supervisory_since == D(2026, 3, 2) and row.in_first_year


def test_the_register_is_one_query_however_many_rows(person, django_assert_num_queries):
    for n in range(3):
        boss = person(f"Boss {n}", stage="Practice supervisor")
        for m in range(3):
            person(f"Worker {n}-{m}", line_manager=boss)
    with django_assert_num_queries(1):
        rows = list(StaffRecord.objects.supervisors(TODAY).filtered(status="all", first_year=False))
    assert len(rows) == 3
    with CaptureQueriesContext(connection) as queries:
        [(r.team, r.line_manager, r.time_in_role) for r in rows]
    assert len(queries) == 0


def test_the_first_year_filter(person, admin, stages):
    old = person("Old Hand", stage="Practice supervisor", stage_start_date=D(2019, 1, 1))
    new = person("New Hand", stage="Practice supervisor", stage_start_date=D(2026, 6, 1))
    person("W1", line_manager=old)
    person("W2", line_manager=new)
    rows = StaffRecord.objects.supervisors(TODAY).filtered(status="all", first_year=True)
    assert [r.full_name for r in rows] == ["New Hand"]
