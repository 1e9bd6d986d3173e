"""Who sees and changes a person's development record: the person, their line manager, their mentor
(only what they share), admins (everything; they change it only for someone without a login), senior
leaders (totals only). The generated matrix in tenancy's test_access.py covers outsiders and roles."""

import datetime

import pytest
from django.urls import reverse

from trellis.development import actions
from trellis.development.models import DevelopmentPlan


def url(name, *args):
    return reverse(f"development:{name}", args=["northshire", *args])


@pytest.fixture
def record(people, goal_for, person, member_with, mentorship):
    """Sam's plan with one goal, one action and a partnership role; Maya mentors Sam."""
    goal = goal_for(people["sam"], people["sam_login"])
    actions.add_partnership_role(
        people["sam"],
        actor=people["sam_login"],
        kind="housing",
        body="Housing partnership",
        role="Member",
        start_date=datetime.date(2026, 1, 5),
    )
    mentor_login = member_with("mentor", user__full_name="Maya Mentor")
    mentorship(person("Maya Mentor", stage="Team manager", login=mentor_login), people["sam"])
    return {**people, "goal": goal, "action": goal.actions.get(), "plan": DevelopmentPlan.objects.get(), "mentor": mentor_login}


def statuses(client, record):
    return {
        "record": client.get(url("person", record["sam"].pk)).status_code,
        "action": client.get(url("action", record["action"].pk)).status_code,
        "goal-edit": client.get(url("goal-edit", record["goal"].pk)).status_code,
        "review": client.get(url("plan-review", record["plan"].pk)).status_code,
    }


def test_the_person_sees_and_changes_their_own_but_does_not_review_it(client_for, record):
    client = client_for(record["sam_login"])
    assert statuses(client, record) == {"record": 200, "action": 200, "goal-edit": 200, "review": 403}
    page = client.get(url("mine")).content.decode()
    assert "Housing partnership" in page and "Give feedback on performance clearly" in page


def test_the_line_manager_sees_it_and_reviews_it_but_does_not_change_it(client_for, record):
    client = client_for(record["morgan_login"])
    assert statuses(client, record) == {"record": 200, "action": 200, "goal-edit": 403, "review": 200}
    page = client.get(url("person", record["sam"].pk)).content.decode()
    assert "Housing partnership" in page and "Review and agree this plan" in page and "Add a goal" not in page


def test_a_mentor_sees_only_what_is_shared_with_them(client_for, record):
    client = client_for(record["mentor"])
    assert statuses(client, record) == {"record": 200, "action": 403, "goal-edit": 403, "review": 403}
    page = client.get(url("person", record["sam"].pk)).content.decode()
    assert "Sam Supervisor has not shared their development plan with you" in page
    assert "Give feedback on performance clearly" not in page and "Housing partnership" not in page
    actions.set_sharing(record["sam"], actor=record["sam_login"], shared=True)
    assert statuses(client, record) == {"record": 200, "action": 200, "goal-edit": 403, "review": 200}
    page = client.get(url("person", record["sam"].pk)).content.decode()
    assert "Give feedback on performance clearly" in page and "Housing partnership" in page


def test_someone_who_is_not_their_mentor_gets_nothing(client_for, record, member_with):
    client = client_for(member_with("mentor"))
    actions.set_sharing(record["sam"], actor=record["sam_login"], shared=True)
    assert statuses(client, record) == {"record": 403, "action": 403, "goal-edit": 403, "review": 403}


def test_an_admin_sees_everything_and_changes_nothing_of_someone_who_signs_in(client_for, record, admin):
    client = client_for(admin)
    assert statuses(client, record) == {"record": 200, "action": 200, "goal-edit": 403, "review": 403}
    assert "Give feedback on performance clearly" in client.get(url("person", record["sam"].pk)).content.decode()


def test_a_senior_leader_sees_totals_but_not_a_persons_record(client_for, record, leader):
    client = client_for(leader)
    assert statuses(client, record) == {"record": 403, "action": 403, "goal-edit": 403, "review": 403}
    assert client.get(url("coverage")).status_code == 200
    assert client.get(url("coverage-names")).status_code == 403


def test_panels_are_gathered_from_apps_that_offer_one_and_others_are_skipped(rf, record, monkeypatch):
    """`pages` has no template tags and `talent`'s library has no `talent_panel`: both are skipped.
    This app's own `development_panel` stands in for a part that has one."""
    from django.template import Context

    from trellis.development.templatetags import development

    monkeypatch.setattr(development, "PARTS", (("pages", "Pages"), ("talent", "Succession"), ("development", "Plan")))
    development._panel_template.cache_clear()
    try:
        context = Context({"membership": record["morgan_login"], "organisation": record["sam"].organisation})
        panels = development.person_panels(context, record["sam"])
    finally:
        development._panel_template.cache_clear()
    assert [panel["app"] for panel in panels] == ["development"]
    assert "Not agreed yet" in panels[0]["html"] and "Housing partnership" in panels[0]["html"]
