import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from trellis.audit.models import AuditEvent
from trellis.audit.versions import StaleEdit
from trellis.supervision import actions
from trellis.supervision.models import SupervisionAgreement, SupervisionSession
from trellis.tenancy import policy

D = datetime.date


def test_the_person_sets_up_their_agreement_and_it_is_audited(team, agree):
    sal, hari = team["sal"], team["hari"]
    agreement = agree(sal, hari, actor=sal.membership)
    assert (agreement.supervisor, agreement.frequency, agreement.length_minutes) == (hari, "monthly", 90)
    event = AuditEvent.objects.get(verb="set up supervision agreement")
    assert event.changes["person"] == [None, "Sal Supervisor"]
    assert event.changes["frequency"] == [None, "Monthly"]


def test_who_may_change_the_agreement(team, agree, leader, member_with, person):
    sal, hari = team["sal"], team["hari"]
    with pytest.raises(PermissionDenied):
        agree(sal, hari, actor=leader)
    with pytest.raises(PermissionDenied):
        agree(sal, hari, actor=member_with("practice_supervisor"))
    agreement = agree(sal, hari, actor=hari.membership)  # her line manager
    supervisor = person("Sue Pervisor", stage="Team manager", login=member_with("practice_supervisor"))
    actions.save_agreement(actor=sal.membership, staff=sal, expected_version=1, supervisor=supervisor)
    agreement.refresh_from_db()
    assert policy.allows(supervisor.membership, "supervision.change_agreement", agreement)
    assert policy.allows(supervisor.membership, "supervision.view", sal)


def test_agreement_rules(team, agree):
    sal, hari = team["sal"], team["hari"]
    cases = [
        ({"supervisor": sal}, "supervisor", "Select the person who supervises them, not the person themselves"),
        ({"frequency": "other"}, "other_weeks", "Enter the number of weeks between sessions, from 1 to 26"),
        ({"review_on": D(2025, 12, 1)}, "review_on", "Review date must be on or after the start date, 5 January 2026"),
        ({"length_minutes": 0}, "length_minutes", "Expected length must be between 1 and 480 minutes"),
    ]
    for fields, field, message in cases:
        with pytest.raises(ValidationError) as error:
            agree(sal, fields.pop("supervisor", hari), **fields)
        assert error.value.message_dict == {field: [message]}
    agreement = agree(sal, hari, frequency="other", other_weeks=3)
    assert agreement.frequency_display == "Every 3 weeks"
    # Changing to a fixed frequency forgets the weeks.
    agreement = actions.save_agreement(actor=sal.membership, staff=sal, expected_version=1, frequency="weekly")
    assert agreement.other_weeks is None


def test_a_stale_agreement_change_is_refused(team, agree):
    sal, hari = team["sal"], team["hari"]
    agree(sal, hari)
    actions.save_agreement(actor=hari.membership, staff=sal, expected_version=1, frequency="fortnightly")
    with pytest.raises(StaleEdit) as stale:
        actions.save_agreement(actor=sal.membership, staff=sal, expected_version=1, length_minutes=60)
    assert ("How often", "Monthly", "Fortnightly") in stale.value.changes
    assert SupervisionAgreement.objects.get().length_minutes == 90


def test_the_person_or_their_supervisor_records_a_session_with_the_prompts(team, agree):
    sal, hari = team["sal"], team["hari"]
    agree(sal, hari)
    session = actions.log_session(
        actor=sal.membership,
        staff=sal,
        supervisor=hari,
        held_on=D(2026, 11, 2),
        length_minutes=90,
        themes="Workload",
        containment=True,
        containment_note="Felt heard.",
        diversity_power=True,
    )
    assert session.covered == ["Containment of anxiety", "Diversity and power"]
    assert session.reflections == [("Containment of anxiety", "Felt heard.")]
    event = AuditEvent.objects.get(verb="recorded supervision session")
    assert event.changes["containment_note"] == [None, "Felt heard."]
    actions.log_session(actor=hari.membership, staff=sal, supervisor=hari, held_on=D(2026, 11, 16), length_minutes=60, themes="x")
    assert SupervisionSession.objects.count() == 2


def test_others_cannot_record_a_session(team, agree, leader, member_with):
    sal, hari = team["sal"], team["hari"]
    agree(sal, hari)
    for outsider in (leader, member_with("practice_supervisor")):
        with pytest.raises(PermissionDenied):
            actions.log_session(actor=outsider, staff=sal, supervisor=hari, held_on=D(2026, 11, 2), length_minutes=90, themes="x")


def test_session_rules(team):
    sal, hari = team["sal"], team["hari"]
    base = {"staff": sal, "supervisor": hari, "held_on": D(2026, 11, 2), "length_minutes": 90, "themes": "x"}
    cases = [
        ({"held_on": D(2026, 11, 25)}, "held_on", "Date must be today or in the past"),
        ({"held_on": D(2018, 3, 1)}, "held_on", "Date must be on or after 1 April 2018, when Sal Supervisor started"),
        ({"supervisor": sal}, "supervisor", "Select the person who supervises them, not the person themselves"),
        (
            {"skill_development_note": "Practised feedback."},
            "skill_development_note",
            "Tick skill development if you talked about it, or clear the reflection",
        ),
    ]
    for fields, field, message in cases:
        with pytest.raises(ValidationError) as error:
            actions.log_session(actor=sal.membership, **{**base, **fields})
        assert error.value.message_dict == {field: [message]}


def test_a_session_changes_with_a_stale_edit_refused_and_deletes_with_a_record(team):
    sal, hari = team["sal"], team["hari"]
    session = actions.log_session(
        actor=sal.membership, staff=sal, supervisor=hari, held_on=D(2026, 11, 2), length_minutes=90, themes="x"
    )
    actions.update_session(session, actor=hari.membership, expected_version=1, themes="Workload", skill_development=True)
    with pytest.raises(StaleEdit):
        actions.update_session(session, actor=sal.membership, expected_version=1, themes="Lost")
    with pytest.raises(ValidationError):
        actions.update_session(session, actor=sal.membership, expected_version=2, containment_note="Needs a tick")
    actions.delete_session(session, actor=sal.membership)
    assert not SupervisionSession.objects.exists()
    assert AuditEvent.objects.get(verb="deleted supervision session").changes["themes"] == ["Workload", None]
