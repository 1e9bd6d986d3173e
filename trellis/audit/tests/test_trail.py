import datetime

from django.urls import reverse

from trellis.pathway import actions
from trellis.pathway.models import Outcome


def trail(*args):
    return reverse("audit:trail", args=["northshire", *args])


def test_the_organisations_trail_filters_by_person_record_type_and_date(client_for, admin, leader, time_machine):
    outcome = Outcome.objects.get(key="awareness-what")
    time_machine.move_to(datetime.datetime(2026, 10, 1, 9, 0))
    actions.create_stakeholder(actor=admin, name="PSW", role="Principal Social Worker", engagement="aware")
    time_machine.move_to(datetime.datetime(2026, 11, 1, 9, 0))
    actions.create_action(actor=leader, outcome=outcome, description="Intranet page", owner_member=leader)
    client = client_for(admin)

    page = client.get(trail()).content.decode()
    assert "Intranet page" in page and "PSW" in page
    by_person = client.get(trail(), {"person": leader.user_id}).content.decode()
    assert "Intranet page" in by_person and ">PSW<" not in by_person
    by_type = client.get(trail(), {"record_type": "pathway.stakeholder"}).content.decode()
    assert "PSW" in by_type and "Intranet page" not in by_type
    by_date = client.get(trail(), {"date_from_day": 15, "date_from_month": 10, "date_from_year": 2026}).content.decode()
    assert "Intranet page" in by_date and "Principal Social Worker" not in by_date


def test_dates_the_wrong_way_round_are_explained(client_for, admin):
    page = (
        client_for(admin)
        .get(
            trail(),
            {
                "date_from_day": 2,
                "date_from_month": 11,
                "date_from_year": 2026,
                "date_to_day": 1,
                "date_to_month": 11,
                "date_to_year": 2026,
            },
        )
        .content.decode()
    )
    assert "To must be the same as or after From" in page


def test_a_records_trail_shows_every_change_with_fields(client_for, admin, leader):
    action = actions.create_action(
        actor=leader, outcome=Outcome.objects.get(key="awareness-what"), description="Intranet page", owner_member=leader
    )
    actions.change_action_status(action, actor=leader, status="complete")
    page = client_for(admin).get(reverse("audit:record", args=["northshire", "pathway.action", action.pk])).content.decode()
    assert "Created" in page and "Changed status" in page and "Not started" in page and "Complete" in page


def test_the_trail_never_shows_another_organisations_events(client_for, admin, outsider):
    actions.create_stakeholder(actor=outsider, name="Secret stakeholder", role="x", engagement="aware")
    assert "Secret stakeholder" not in client_for(admin).get(trail()).content.decode()


def test_changes_are_named_as_the_ui_names_them(client_for, admin, leader):
    action = actions.create_action(
        actor=leader, outcome=Outcome.objects.get(key="awareness-what"), description="Intranet page", owner_member=leader
    )
    page = client_for(admin).get(reverse("audit:record", args=["northshire", "pathway.action", action.pk])).content.decode()
    assert ">Owner<" in page and ">Date to be completed<" not in page  # blank fields are not listed
    assert "owner_member" not in page


def test_the_trail_query_count_does_not_grow_with_events(client_for, admin, leader, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(admin)
    outcome = Outcome.objects.get(key="awareness-what")

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(trail())
        return len(queries)

    actions.create_action(actor=leader, outcome=outcome, description="one", owner_member=leader)
    few = count()
    for n in range(30):
        actions.create_action(actor=leader, outcome=outcome, description=f"more {n}", owner_member=leader)
    assert count() == few
