"""The organisation's career stages: defaults it can rename, reorder, extend and prune."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from trellis.audit.models import AuditEvent
from trellis.audit.versions import StaleEdit
from trellis.workforce import actions
from trellis.workforce.models import CareerStage, StaffRecord


def url(name, *args):
    return reverse(f"workforce:{name}", args=["northshire", *args])


def names(org):
    return list(CareerStage.objects.filter(organisation=org).order_by("position").values_list("name", flat=True))


def test_a_new_stage_goes_at_the_end_and_is_audited(org, admin, stages):
    stage = actions.create_career_stage(actor=admin, name="Head of service", is_supervisory=True)
    assert names(org)[-1] == "Head of service" and stage.position == len(stages) + 1
    assert AuditEvent.objects.for_target(stage).get().verb == "created"


def test_stage_names_are_unique_whatever_the_case(admin, stages):
    with pytest.raises(ValidationError, match="already a career stage called"):
        actions.create_career_stage(actor=admin, name="social WORKER", is_supervisory=False)


def test_moving_a_stage_swaps_it_with_its_neighbour(org, admin, stages):
    assert actions.move_career_stage(stages["Social worker"], actor=admin, direction="up") is True
    assert names(org)[1:3] == ["Social worker", "ASYE / newly qualified social worker"]
    assert actions.move_career_stage(stages["Student social worker"], actor=admin, direction="up") is False
    positions = list(CareerStage.objects.filter(organisation=org).values_list("position", flat=True))
    assert sorted(positions) == list(range(1, len(stages) + 1))


def test_renaming_and_making_a_stage_supervisory_changes_the_register(org, admin, stages, person):
    senior = person("Sam Senior", stage="Senior or advanced practitioner")
    person("Sid Supervisee", line_manager=senior)
    assert not StaffRecord.objects.supervisors().exists()
    stage = stages["Senior or advanced practitioner"]
    actions.update_career_stage(
        stage, actor=admin, expected_version=stage.version, name="Advanced practitioner", is_supervisory=True
    )
    assert [s.full_name for s in StaffRecord.objects.supervisors()] == ["Sam Senior"]
    assert senior.stage_history.get().stage.name == "Advanced practitioner"


def test_a_stale_stage_edit_is_refused(admin, member_with, stages):
    stage = stages["Social worker"]
    actions.update_career_stage(stage, actor=member_with("org_admin"), expected_version=1, name="Qualified social worker")
    with pytest.raises(StaleEdit):
        actions.update_career_stage(stage, actor=admin, expected_version=1, name="Social worker (qualified)")


def test_a_stage_someone_has_held_cannot_be_deleted(admin, stages, person):
    person("Rosa Rivers", stage="Social worker")
    with pytest.raises(ValidationError, match="career history of 1 person"):
        actions.delete_career_stage(stages["Social worker"], actor=admin)


def test_deleting_an_unused_stage_closes_the_gap(org, admin, stages):
    actions.delete_career_stage(stages["Student social worker"], actor=admin)
    assert "Student social worker" not in names(org)
    positions = list(CareerStage.objects.filter(organisation=org).order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, len(stages)))


@pytest.mark.parametrize("role", ["senior_leader", "practice_supervisor"])
def test_only_admins_change_career_stages(member_with, stages, role):
    with pytest.raises(PermissionDenied):
        actions.create_career_stage(actor=member_with(role), name="Head of service", is_supervisory=True)


def test_the_career_stages_page_and_its_forms(client_for, admin, org, stages, person):
    person("Rosa Rivers", stage="Social worker")
    client = client_for(admin)
    page = client.get(url("career-stage-list")).content.decode()
    assert "Practice leader / Principal Social Worker" in page and "Move up" in page
    response = client.post(url("career-stage-add"), {"name": "  ", "is_supervisory": ""})
    assert "Enter the name of the stage" in response.content.decode()
    response = client.post(url("career-stage-add"), {"name": "Social Worker"})
    assert "already a career stage called Social Worker" in response.content.decode()
    assert client.post(url("career-stage-add"), {"name": "Head of service", "is_supervisory": "on"}).status_code == 302
    head = CareerStage.objects.get(name="Head of service")
    assert head.is_supervisory
    client.post(url("career-stage-move", head.pk), {"direction": "up"})
    assert names(org)[-2:] == ["Head of service", "Practice leader / Principal Social Worker"]
    refused = client.post(url("career-stage-delete", stages["Social worker"].pk))
    assert refused.status_code == 422 and "career history of 1 person" in refused.content.decode()
    assert client.post(url("career-stage-delete", head.pk)).status_code == 302
    assert not CareerStage.objects.filter(name="Head of service").exists()


def test_changing_a_stage_through_the_page(client_for, admin, stages):
    stage = stages["Social worker"]
    response = client_for(admin).post(
        url("career-stage-edit", stage.pk), {"name": "Qualified social worker", "version": stage.version}
    )
    assert response.status_code == 302
    stage.refresh_from_db()
    assert stage.name == "Qualified social worker" and stage.version == 2


def test_the_team_records_funded_posts_and_shows_fte(client_for, admin, person):
    client = client_for(admin)
    response = client.post(url("team-add"), {"name": "Hospital", "service": "adults", "establishment_fte": "abc"})
    assert "Funded posts must be a number" in response.content.decode()
    client.post(url("team-add"), {"name": "Hospital", "service": "adults", "establishment_fte": "6.5"})
    team = StaffRecord._meta.get_field("team").related_model.objects.get(name="Hospital")
    assert str(team.establishment_fte) == "6.50"
    person("Rosa Rivers", team=team, fte="0.6", start_date=datetime.date(2020, 1, 1))
    page = client.get(url("team-list")).content.decode()
    assert "6.5" in page and "0.6" in page


def test_the_career_stages_page_query_count_does_not_grow_with_staff(client_for, admin, stages, person):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client_for(admin).get(url("career-stage-list")).status_code == 200
        return len(captured)

    person("First Person")
    queries()  # the first request also fills per-process caches (content types, templates)
    few = queries()
    for n in range(12):
        person(f"Person {n}", stage="Senior or advanced practitioner" if n % 2 else "Social worker")
    assert queries() == few
