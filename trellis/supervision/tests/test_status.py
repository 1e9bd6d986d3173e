"""When the next session is due, and when supervision is overdue or the agreement needs reviewing."""

import datetime

import pytest

from trellis.supervision import actions
from trellis.supervision.models import SupervisionAgreement, add_months
from trellis.supervision.status import register, standing_of
from trellis.workforce import actions as workforce_actions

D = datetime.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 11, 24), 12, D(2027, 11, 24)),
    ],
)
def test_add_months_keeps_the_day_or_falls_back_to_the_months_last(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("frequency", "weeks", "expected"),
    [
        ("weekly", None, D(2026, 11, 9)),
        ("fortnightly", None, D(2026, 11, 16)),
        ("monthly", None, D(2026, 12, 2)),
        ("six_weekly", None, D(2026, 12, 14)),
        ("other", 3, D(2026, 11, 23)),
    ],
)
def test_the_next_session_is_due_one_interval_after_the_last(frequency, weeks, expected):
    agreement = SupervisionAgreement(frequency=frequency, other_weeks=weeks, starts_on=D(2026, 1, 5))
    assert agreement.next_due(D(2026, 11, 2)) == expected
    # With no session yet, it is due one interval after the agreement started.
    assert agreement.next_due(None) == agreement.due_after(D(2026, 1, 5))


def test_a_session_before_the_agreement_started_counts_from_the_start():
    agreement = SupervisionAgreement(frequency="monthly", starts_on=D(2026, 10, 1))
    assert agreement.next_due(D(2026, 6, 1)) == D(2026, 11, 1)


def test_overdue_and_review_due_against_the_agreement(admin, team, agree):
    sal, hari = team["sal"], team["hari"]
    assert standing_of(sal).state == "no_agreement"
    agree(sal, hari, starts_on=D(2026, 1, 5))
    actions.log_session(actor=admin, staff=sal, supervisor=hari, held_on=D(2026, 10, 20), length_minutes=90, themes="Workload")
    standing = standing_of(sal)  # today is 24 November 2026
    assert (standing.last_session_on, standing.next_due, standing.overdue_days, standing.state) == (
        D(2026, 10, 20),
        D(2026, 11, 20),
        4,
        "overdue",
    )
    actions.log_session(actor=admin, staff=sal, supervisor=hari, held_on=D(2026, 11, 23), length_minutes=90, themes="Workload")
    assert standing_of(sal).state == "on_track"
    agreement = SupervisionAgreement.objects.get(staff=sal)
    actions.save_agreement(actor=admin, staff=sal, expected_version=agreement.version, review_on=D(2026, 11, 1))
    standing = standing_of(sal)
    assert (standing.review_due, standing.state) == (True, "review_due")


def test_due_exactly_today_is_not_overdue(admin, team, agree):
    agree(team["sal"], team["hari"], frequency="weekly", starts_on=D(2026, 1, 5))
    actions.log_session(
        actor=admin, staff=team["sal"], supervisor=team["hari"], held_on=D(2026, 11, 17), length_minutes=60, themes="x"
    )
    standing = standing_of(team["sal"])
    assert standing.next_due == D(2026, 11, 24) and not standing.is_overdue


def test_the_register_lists_supervisors_needing_attention_first(admin, person, team, agree):
    hari = team["hari"]  # and Sal, whom he line-manages
    late = person("Lou Late")
    fine = person("Fin Fine")
    person("Pat Practitioner", stage="Social worker")  # not a supervisor: not listed
    gone = person("Gil Gone")
    workforce_actions.record_leaving(gone, actor=admin, leaving_date=D(2026, 10, 1), leaving_reason="retirement")
    for someone in (late, fine):
        agree(someone, hari, starts_on=D(2026, 1, 5))
    actions.log_session(actor=admin, staff=late, supervisor=hari, held_on=D(2026, 8, 3), length_minutes=90, themes="x")
    actions.log_session(actor=admin, staff=fine, supervisor=hari, held_on=D(2026, 11, 2), length_minutes=90, themes="x")
    rows = register(admin)
    assert [(row.person.full_name, row.state) for row in rows] == [
        ("Hari Head", "no_agreement"),
        ("Sal Supervisor", "no_agreement"),
        ("Lou Late", "overdue"),
        ("Fin Fine", "on_track"),
    ]
