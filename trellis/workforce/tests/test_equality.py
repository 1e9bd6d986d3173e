"""Equality monitoring answers: special-category data, seen one person at a time only by organisation admins."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from trellis.audit.models import AuditEvent
from trellis.audit.versions import StaleEdit
from trellis.workforce import actions
from trellis.workforce.models import EqualityRecord


def url(name, *args):
    return reverse(f"workforce:{name}", args=["northshire", *args])


ANSWERS = {"sex": "female", "ethnic_group": "black", "disability": "prefer_not_to_say", "age_band": "35_44"}


def test_answers_are_saved_and_the_trail_names_the_questions_not_the_answers(admin, person):
    staff = person("Abena Owusu")
    record = actions.save_equality_answers(staff, actor=admin, **ANSWERS)
    assert (record.sex, record.ethnic_group, record.disability, record.age_band) == tuple(ANSWERS.values())
    event = AuditEvent.objects.for_target(record).get()
    assert event.verb == "updated equality monitoring"
    assert event.changes == {"questions": [None, ["Sex", "Ethnic group", "Disability", "Age band"]]}
    assert "black" not in str(event.changes).lower() and "female" not in str(event.changes).lower()


def test_saving_the_same_answers_writes_nothing(admin, person):
    staff = person("Abena Owusu")
    record = actions.save_equality_answers(staff, actor=admin, **ANSWERS)
    again = actions.save_equality_answers(staff, actor=admin, expected_version=record.version, **ANSWERS)
    assert again.version == record.version
    assert AuditEvent.objects.filter(verb="updated equality monitoring").count() == 1


def test_a_stale_edit_of_the_answers_is_refused(admin, member_with, person):
    staff = person("Abena Owusu")
    record = actions.save_equality_answers(staff, actor=admin, **ANSWERS)
    other_admin = member_with("org_admin")
    actions.save_equality_answers(staff, actor=other_admin, expected_version=record.version, age_band="45_54")
    with pytest.raises(StaleEdit) as refused:
        actions.save_equality_answers(staff, actor=admin, expected_version=record.version, sex="prefer_not_to_say")
    assert [label for label, *_ in refused.value.changes] == ["Age band"]
    assert EqualityRecord.objects.get().sex == "female"


@pytest.mark.parametrize("role", ["senior_leader", "practice_supervisor", "mentor", "practitioner"])
def test_only_organisation_admins_may_record_answers(member_with, person, role):
    with pytest.raises(PermissionDenied):
        actions.save_equality_answers(person("Abena Owusu"), actor=member_with(role), **ANSWERS)


def test_other_roles_cannot_read_one_persons_answers_even_through_a_query(admin, leader, person):
    actions.save_equality_answers(person("Abena Owusu"), actor=admin, **ANSWERS)
    assert EqualityRecord.objects.visible_to(admin).count() == 1
    assert EqualityRecord.objects.visible_to(leader).count() == 0


def test_erasing_answers_removes_them_and_their_history(admin, person):
    staff = person("Abena Owusu")
    record = actions.save_equality_answers(staff, actor=admin, **ANSWERS)
    actions.save_equality_answers(staff, actor=admin, expected_version=record.version, age_band="45_54")
    assert actions.erase_equality_answers(staff, actor=admin) is True
    assert not EqualityRecord.objects.exists()
    assert not EqualityRecord.history.exists()
    assert AuditEvent.objects.filter(verb="erased equality monitoring").count() == 1
    assert actions.erase_equality_answers(staff, actor=admin) is False


def test_an_admin_records_answers_through_the_page(client_for, admin, person):
    staff = person("Abena Owusu")
    client = client_for(admin)
    page = client.get(url("staff-equality", staff.pk)).content.decode()
    assert "special category personal data" in page and "Prefer not to say" in page and "Not recorded" in page
    response = client.post(url("staff-equality", staff.pk), {**ANSWERS, "disability": ""})
    assert response.status_code == 302
    record = EqualityRecord.objects.get()
    assert record.disability == "" and record.ethnic_group == "black"
    detail = client.get(url("staff", staff.pk)).content.decode()
    assert "Answers recorded" in detail and "View or change equality monitoring answers" in detail


def test_an_invalid_answer_is_explained_and_nothing_saved(client_for, admin, person):
    staff = person("Abena Owusu")
    response = client_for(admin).post(url("staff-equality", staff.pk), {**ANSWERS, "sex": "unknown"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not EqualityRecord.objects.exists()


def test_a_second_admins_stale_save_is_shown_not_applied(client_for, admin, member_with, person):
    staff = person("Abena Owusu")
    record = actions.save_equality_answers(staff, actor=admin, **ANSWERS)
    actions.save_equality_answers(staff, actor=member_with("org_admin"), expected_version=record.version, age_band="45_54")
    response = client_for(admin).post(url("staff-equality", staff.pk), {**ANSWERS, "version": record.version})
    assert response.status_code == 200
    assert "Age band" in response.content.decode()
    assert EqualityRecord.objects.get().age_band == "45_54"


def test_erasing_through_the_page(client_for, admin, person):
    staff = person("Abena Owusu")
    actions.save_equality_answers(staff, actor=admin, **ANSWERS)
    response = client_for(admin).post(url("staff-equality", staff.pk), {"erase": "1"})
    assert response.status_code == 302
    assert not EqualityRecord.objects.exists()


def test_a_senior_leader_sees_no_equality_section_on_a_staff_record(client_for, admin, leader, person):
    staff = person("Abena Owusu")
    actions.save_equality_answers(staff, actor=admin, **ANSWERS)
    page = client_for(leader).get(url("staff", staff.pk)).content.decode()
    assert "Equality monitoring" not in page
    assert client_for(leader).get(url("staff-equality", staff.pk)).status_code == 403
