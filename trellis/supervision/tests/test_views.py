import datetime

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trellis.supervision import actions
from trellis.supervision.models import SupervisionAgreement, SupervisionSession

D = datetime.date


def url(name, *args):
    return reverse(f"supervision:{name}", args=["northshire", *args])


def date_fields(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def test_a_supervisor_sets_up_their_agreement_and_records_a_session(client_for, team):
    sal, hari = team["sal"], team["hari"]
    client = client_for(sal.membership)
    assert client.get(url("mine"))["Location"] == url("person", sal.pk)
    page = client.get(url("person", sal.pk)).content.decode()
    assert "You do not have a supervision agreement yet" in page
    form = client.get(url("agreement", sal.pk)).content.decode()
    assert f'<option value="{hari.pk}" selected>' in form  # her line manager, suggested
    response = client.post(
        url("agreement", sal.pk),
        {
            "supervisor": hari.pk,
            "frequency": "monthly",
            "length_minutes": "90",
            **date_fields("starts_on", D(2026, 11, 2)),
            **date_fields("review_on", D(2027, 11, 1)),
        },
    )
    assert response["Location"] == url("person", sal.pk)
    response = client.post(
        url("session-add", sal.pk),
        {
            **date_fields("held_on", D(2026, 11, 20)),
            "supervisor": hari.pk,
            "length_minutes": "90",
            "format": "individual",
            "themes": "Settling in",
            "containment": "on",
            "containment_note": "Space to talk about the duty week.",
            "diversity_power": "on",
        },
    )
    assert response.status_code == 302
    session = SupervisionSession.objects.get()
    assert (session.containment, session.skill_development, session.diversity_power) == (True, False, True)
    page = client.get(url("person", sal.pk)).content.decode()
    assert "The next session is due by <strong>20 December 2026</strong>" in page
    assert "Space to talk about the duty week." in page


def test_agreement_mistakes_are_explained(client_for, team):
    sal = team["sal"]
    page = (
        client_for(sal.membership)
        .post(url("agreement", sal.pk), {"frequency": "other", "length_minutes": "ninety"})
        .content.decode()
    )
    for message in (
        "Select who supervises them",
        "Enter the number of weeks between sessions",
        "Expected length must be a whole number of minutes, like 90",
        "Enter the date the agreement starts",
        "Enter the review date",
    ):
        assert message in page
    assert "<title>Error: " in page
    assert not SupervisionAgreement.objects.exists()


def test_session_mistakes_are_explained(client_for, team):
    sal = team["sal"]
    page = (
        client_for(sal.membership)
        .post(url("session-add", sal.pk), {**date_fields("held_on", D(2026, 11, 20)), "skill_development_note": "Feedback."})
        .content.decode()
    )
    for message in (
        "Select who held the session",
        "Enter how long the session was, in minutes",
        "Select individual or group",
        "Enter the themes in a few words",
        "Tick skill development if you talked about it, or clear the reflection",
    ):
        assert message in page
    assert not SupervisionSession.objects.exists()


def test_the_line_manager_and_admins_see_it_others_do_not(client_for, team, admin, leader, member_with, agree):
    sal, hari = team["sal"], team["hari"]
    agree(sal, hari)
    assert client_for(hari.membership).get(url("person", sal.pk)).status_code == 200
    assert client_for(admin).get(url("person", sal.pk)).status_code == 200
    assert client_for(leader).get(url("person", sal.pk)).status_code == 403
    assert client_for(member_with("practice_supervisor")).get(url("person", sal.pk)).status_code == 403


def test_senior_leaders_see_totals_and_admins_see_who(client_for, team, admin, leader, agree):
    sal, hari = team["sal"], team["hari"]
    agree(sal, hari, starts_on=D(2026, 1, 5))  # no session since: overdue
    leader_page = client_for(leader).get(url("overview")).content.decode()
    assert "Sal Supervisor" not in leader_page and "2 supervisors in post" in leader_page
    admin_page = client_for(admin).get(url("overview")).content.decode()
    assert "Sal Supervisor" in admin_page and "Hari Head" in admin_page
    assert "days overdue" in admin_page


def render_panel(membership, person):
    template = Template("{% load supervision %}{% supervision_panel person %}")
    return template.render(Context({"membership": membership, "organisation": membership.organisation, "person": person}))


def test_the_panel(team, agree, admin, leader):
    sal, hari = team["sal"], team["hari"]
    assert "None yet" in render_panel(sal.membership, sal)
    agree(sal, hari)
    actions.log_session(actor=admin, staff=sal, supervisor=hari, held_on=D(2026, 11, 20), length_minutes=90, themes="x")
    panel = render_panel(hari.membership, sal)
    assert "Hari Head, monthly" in panel and "20 Nov 2026" in panel and "20 Dec 2026" in panel
    assert "See your supervision" in render_panel(sal.membership, sal)
    assert render_panel(leader, sal).strip() == ""


def make_supervisors(admin, person, hari, n, tag):
    for i in range(n):
        someone = person(f"Supervisor {tag}{i}")
        actions.save_agreement(
            actor=admin,
            staff=someone,
            supervisor=hari,
            frequency="monthly",
            length_minutes=90,
            starts_on=D(2026, 1, 5),
            review_on=D(2026, 10, 5),
        )
        for day in (D(2026, 9, 1), D(2026, 10, 1)):
            actions.log_session(actor=admin, staff=someone, supervisor=hari, held_on=day, length_minutes=90, themes="x")


@pytest.mark.parametrize("name", ["overview", "person"])
def test_query_counts_do_not_grow_with_rows(client_for, admin, person, team, name):
    sal, hari = team["sal"], team["hari"]
    make_supervisors(admin, person, hari, 2, "a")
    actions.save_agreement(
        actor=admin,
        staff=sal,
        supervisor=hari,
        frequency="monthly",
        length_minutes=90,
        starts_on=D(2026, 1, 5),
        review_on=D(2027, 1, 5),
    )
    actions.log_session(actor=admin, staff=sal, supervisor=hari, held_on=D(2026, 8, 3), length_minutes=60, themes="y")
    client = client_for(admin)
    address = url("overview") + "?show=all" if name == "overview" else url("person", sal.pk)
    client.get(address)
    with CaptureQueriesContext(connection) as few:
        assert client.get(address).status_code == 200
    make_supervisors(admin, person, hari, 6, "b")
    for day in (D(2026, 9, 1), D(2026, 10, 1), D(2026, 11, 1)):
        actions.log_session(actor=admin, staff=sal, supervisor=hari, held_on=day, length_minutes=60, themes="y", containment=True)
    with CaptureQueriesContext(connection) as many:
        assert client.get(address).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
