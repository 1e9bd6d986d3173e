import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trellis.induction import actions
from trellis.induction.models import CheckIn, FirstYear, TemplateItem
from trellis.workforce.tests.factories import StaffRecordFactory, StageHistoryFactory, TeamFactory

from .conftest import TODAY

D = datetime.date


def url(name, *args):
    return reverse(f"induction:{name}", args=["northshire", *args])


def date_parts(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year} if day else {}


def errors(response):
    """The error summary's messages, as a person reads them."""
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and "<title>Error: " in page
    summary = page[page.index("govuk-error-summary__list") :]
    return re.findall(r"<a href=\"#[^\"]+\">([^<]+)</a>", summary[: summary.index("</ul>")])


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def first_year(org, new_supervisor):
    (first_year,) = actions.open_first_years(org)
    return first_year


# --- The person and their line manager ------------------------------------------------------------------


def test_the_person_sees_their_checklist_and_check_ins(client_for, first_year, new_supervisor):
    page = client_for(new_supervisor.membership).get(url("first-year", first_year.pk))
    assert page.status_code == 200
    body = text(page)
    assert "Your first 12 months" in body
    assert "Month 1 of 12" in body
    assert "2 induction items overdue" not in body and "5 induction items overdue" in body
    assert "0 of 11 done" in body
    assert "The next is the 1-month check-in, due by 2 December 2026." in body
    assert body.count("Overdue") >= 5
    assert "Owner: you" in body and "Owner: Mo Manager (line manager)" in body
    assert "Share with my mentor" in body
    assert "Add an item" in body


def test_the_person_ticks_an_item_off_through_its_page(client_for, first_year, new_supervisor):
    client = client_for(new_supervisor.membership)
    item = first_year.items.get(title="Introduction to the IT department")
    page = client.get(url("item", item.pk))
    assert "Mark as done" in page.content.decode()
    response = client.post(
        url("item", item.pk),
        {"version": item.version, **date_parts("completed_on", D(2026, 11, 20)), "completion_note": "Approvals access set up."},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"{url('first-year', first_year.pk)}#checklist")
    item.refresh_from_db()
    assert item.completed_on == D(2026, 11, 20) and item.completed_by == new_supervisor.membership
    follow = client.get(response["Location"])
    assert "Ticked off: Introduction to the IT department." in text(follow)
    assert "Done on 20 Nov 2026 by Nia New" in text(follow)
    # Done items offer to reopen instead.
    page = text(client.get(url("item", item.pk)))
    assert "Reopen" in page and "Approvals access set up." in page
    response = client.post(url("item-reopen", item.pk), {"version": item.version})
    item.refresh_from_db()
    assert item.completed_on is None


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, ["Enter the date it was done"]),
        (date_parts("completed_on", D(2026, 12, 1)), ["Date done must be today or in the past"]),
        ({"completed_on_day": "31", "completed_on_month": "2", "completed_on_year": "2026"}, ["Date done must be a real date"]),
        ({"completed_on_day": "3", "completed_on_year": "2026"}, ["Date done must include a day, month and year"]),
    ],
)
def test_ticking_off_explains_what_to_fix(client_for, first_year, new_supervisor, data, expected):
    item = first_year.items.first()
    response = client_for(new_supervisor.membership).post(url("item", item.pk), {"version": item.version, **data})
    assert errors(response) == expected
    item.refresh_from_db()
    assert item.completed_on is None


def test_a_tick_on_a_page_someone_else_changed_is_refused_and_says_what_changed(client_for, first_year, new_supervisor, manager):
    item = first_year.items.first()
    seen = item.version
    client = client_for(new_supervisor.membership)
    actions.update_item(item, actor=manager.membership, expected_version=seen, title="Meet your team at the away day")
    response = client.post(url("item", item.pk), {"version": seen, **date_parts("completed_on", TODAY)})
    body = text(response)
    assert "Mo Manager changed this after you opened it" in body and "Meet your team at the away day" in body
    item.refresh_from_db()
    assert item.completed_on is None
    # Ticked off meanwhile by someone else: said plainly, nothing ticked twice.
    actions.complete_item(item, actor=manager.membership, completed_on=TODAY)
    response = client.post(url("item", item.pk), {"version": seen, **date_parts("completed_on", TODAY)}, follow=True)
    assert "Not changed: this was already ticked off on 24 November 2026 by Mo Manager." in text(response)


def test_the_line_manager_records_the_1_month_check_in(client_for, first_year, manager, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 3, 9, 0))
    client = client_for(manager.membership)
    one = first_year.check_ins.get(months=1)
    page = client.get(url("check-in", one.pk))
    body = text(page)
    assert "Record the 1-month check-in" in body and "Never record case detail" in body
    assert f'<option value="{manager.pk}" selected>' in page.content.decode()  # their line manager, by default
    response = client.post(
        url("check-in", one.pk),
        {"version": one.version, **date_parts("held_on", D(2026, 12, 3)), "held_with": manager.pk, "notes": "Settling in."},
    )
    assert response.status_code == 302
    one.refresh_from_db()
    assert (one.held_on, one.held_with, one.notes) == (D(2026, 12, 3), manager, "Settling in.")
    body = text(client.get(response["Location"]))
    assert "1-month check-in recorded." in body and "3 December 2026, with Mo Manager" in body and "Settling in." in body


def test_recording_a_check_in_explains_what_to_fix(client_for, first_year, manager, new_supervisor):
    one = first_year.check_ins.get(months=1)
    client = client_for(manager.membership)
    assert errors(client.post(url("check-in", one.pk), {"version": one.version, "held_with": ""})) == [
        "Enter the date the check-in was held",
        "Select who the check-in was with",
    ]
    response = client.post(
        url("check-in", one.pk), {"version": one.version, **date_parts("held_on", TODAY), "held_with": new_supervisor.pk}
    )
    assert errors(response) == ["Select who the check-in was with, not the person themselves"]
    assert not CheckIn.objects.filter(held_on__isnull=False).exists()


def test_the_person_and_manager_add_and_change_items_of_their_own(client_for, first_year, new_supervisor, manager):
    client = client_for(manager.membership)
    assert errors(client.post(url("item-add", first_year.pk), {"owner_kind": "named"})) == [
        "Enter the item",
        "Enter the date it is due by",
        "Select the person who owns this item",
    ]
    response = client.post(
        url("item-add", first_year.pk),
        {"title": "Meet the head of service", **date_parts("due_on", D(2026, 12, 14)), "owner_kind": "line_manager"},
    )
    assert response.status_code == 302
    item = first_year.items.get(title="Meet the head of service")
    response = client_for(new_supervisor.membership).post(
        url("item-edit", item.pk),
        {
            "version": item.version,
            "title": "Meet the head of service",
            **date_parts("due_on", D(2028, 1, 1)),
            "owner_kind": "supervisor",
        },
    )
    assert errors(response) == ["Due date must be between 2 November 2026 and 2 November 2027, in their first 12 months"]


# --- Who else sees it -------------------------------------------------------------------------------------


def test_an_admin_sees_it_but_does_not_tick_for_someone_who_signs_in(client_for, admin, first_year):
    client = client_for(admin)
    body = text(client.get(url("first-year", first_year.pk)))
    assert "Nia New" in body and "Close first 12 months" in body
    assert "Add an item" not in body and "Share with my mentor" not in body
    item = first_year.items.first()
    assert "Mark as done" not in text(client.get(url("item", item.pk)))
    assert client.post(url("item", item.pk), {"version": item.version, **date_parts("completed_on", TODAY)}).status_code == 403
    assert client.get(url("check-in", first_year.check_ins.first().pk)).status_code == 200


def test_senior_leaders_see_the_list_not_the_detail(client_for, leader, first_year):
    client = client_for(leader)
    body = text(client.get(url("list")))
    assert "Nia New" in body and "0 of 11 done" in body and "5 overdue" in body
    assert url("first-year", first_year.pk) not in client.get(url("list")).content.decode()
    assert client.get(url("first-year", first_year.pk)).status_code == 403


def test_other_supervisors_and_practitioners_see_nothing(client_for, member_with, first_year):
    for role in ("practice_supervisor", "practitioner", "mentor"):
        client = client_for(member_with(role))
        assert client.get(url("first-year", first_year.pk)).status_code == 403
        assert client.get(url("list")).status_code == 403


def test_a_mentor_sees_it_only_when_the_person_shares_it(client_for, first_year, new_supervisor, person, member_with, org):
    from django.apps import apps

    login = member_with("mentor")
    mentor = person("Meg Mentor", stage="Team manager", membership=login)
    apps.get_model("mentoring", "Mentorship").objects.create(
        organisation=org, mentor=mentor, mentee=new_supervisor, kind="mentoring", goals="Confidence.", started_on=D(2026, 11, 10)
    )
    client = client_for(login)
    assert client.get(url("first-year", first_year.pk)).status_code == 403
    response = client_for(new_supervisor.membership).post(url("sharing", first_year.pk), {"shared": "yes"})
    assert response.status_code == 302
    client = client_for(login)
    body = text(client.get(url("first-year", first_year.pk)))
    assert "Nia New" in body and "Add an item" not in body
    assert client.post(url("sharing", first_year.pk), {"shared": "no"}).status_code == 403


# --- The list ----------------------------------------------------------------------------------------------


def test_the_list_opens_first_12_months_from_the_register_and_filters(
    client_for, admin, new_supervisor, person, promote, manager
):
    other = person("Oli Other", line_manager=manager)
    promote(other, D(2026, 6, 1))
    assert not FirstYear.objects.exists()
    client = client_for(admin)
    body = text(client.get(url("list")))
    assert FirstYear.objects.count() == 2
    assert "In their first 12 months 2 people" in body
    assert body.index("Nia New") < body.index("Oli Other")  # most recent first
    assert "Month 6 of 12" in body
    oli = FirstYear.objects.get(staff=other)
    for item in oli.items.all():
        actions.complete_item(item, actor=manager.membership, completed_on=TODAY)
    for check_in in oli.check_ins.filter(months__lte=3):
        actions.record_check_in(check_in, actor=manager.membership, held_on=TODAY, held_with=manager)
    body = text(client.get(url("list"), {"overdue": "on"}))
    assert "Nia New" in body and "Oli Other" not in body
    actions.close_first_year(oli, actor=admin, closing_reason="not_needed")
    body = text(client.get(url("list"), {"status": "closed"}))
    assert "Oli Other" in body and "Closed" in body and "Nia New" not in body


def test_an_admin_opens_one_by_hand(client_for, admin, person):
    hire = person("Hana Hire", start_date=D(2026, 11, 16))
    client = client_for(admin)
    page = client.get(url("open") + f"?staff={hire.pk}").content.decode()
    assert f'<option value="{hire.pk}" selected>' in page
    assert errors(client.post(url("open"), {"staff": hire.pk})) == [
        "Enter the date they started as a practice supervisor",
        "Select how they came to the role",
    ]
    response = client.post(url("open"), {"staff": hire.pk, **date_parts("start_date", D(2018, 1, 1)), "route": "new"})
    assert errors(response) == ["Start date must be on or after 16 November 2026, when Hana Hire joined"]
    response = client.post(url("open"), {"staff": hire.pk, **date_parts("start_date", D(2026, 11, 16)), "route": "new"})
    first_year = FirstYear.objects.get(staff=hire)
    assert response.status_code == 302 and response["Location"] == url("first-year", first_year.pk)


def test_an_admin_closes_one_with_a_reason(client_for, admin, first_year):
    client = client_for(admin)
    assert errors(client.post(url("close", first_year.pk), {"version": first_year.version})) == ["Select why it is closing"]
    assert errors(client.post(url("close", first_year.pk), {"version": first_year.version, "closing_reason": "other"})) == [
        "Enter why it is closing"
    ]
    response = client.post(url("close", first_year.pk), {"version": first_year.version, "closing_reason": "stepped_down"})
    assert response.status_code == 302
    body = text(client.get(url("first-year", first_year.pk)))
    assert "Closed on 24 November 2026: no longer a practice supervisor" in body
    assert "Close first 12 months" not in body


# --- The template editor ----------------------------------------------------------------------------------


def test_an_admin_edits_the_template(client_for, admin, org, person):
    client = client_for(admin)
    body = text(client.get(url("template")))
    assert "Meet your team as their practice supervisor" in body and "Within 1 week" in body and "Within 8 weeks" in body
    assert errors(client.post(url("template-item-add"), {"due_within": "x", "due_unit": "weeks", "owner_kind": "named"})) == [
        "Enter the item",
        "Due within must be a whole number, like 2",
        "Select the person who owns this item",
    ]
    too_late = {"title": "Meet HR", "due_within": "53", "due_unit": "weeks", "owner_kind": "supervisor"}
    assert errors(client.post(url("template-item-add"), too_late)) == [
        "Due within must be 52 weeks or fewer: in their first 12 months"
    ]
    too_late.update(due_within="366", due_unit="days")
    assert errors(client.post(url("template-item-add"), too_late)) == [
        "Due within must be 365 days or fewer: in their first 12 months"
    ]
    hr = person("Hal HR", stage="Social worker")
    response = client.post(
        url("template-item-add"),
        {"title": "Meet your HR business partner", "due_within": "3", "due_unit": "weeks", "owner_kind": "named", "owner": hr.pk},
    )
    assert response.status_code == 302
    item = TemplateItem.objects.get(title="Meet your HR business partner")
    assert (item.due_after_days, item.owner) == (21, hr)
    page = client.get(url("template-item-edit", item.pk)).content.decode()
    assert 'value="3"' in page and 'value="weeks" checked' in page
    response = client.post(url("template-item-delete", item.pk))
    assert not TemplateItem.objects.filter(pk=item.pk).exists()


# --- Panels ------------------------------------------------------------------------------------------------


def test_the_staff_record_page_shows_the_panel_and_opens_from_the_register(client_for, admin, leader, new_supervisor):
    body = text(client_for(admin).get(reverse("workforce:staff", args=["northshire", new_supervisor.pk])))
    first_year = FirstYear.objects.get(staff=new_supervisor)
    assert "First 12 months" in body and "0 of 11 done, 5 overdue" in body and "0 of 4 held" in body
    assert "Nia New's induction checklist and check-ins" in body
    page = client_for(leader).get(reverse("workforce:staff", args=["northshire", new_supervisor.pk])).content.decode()
    assert "0 of 11 done" in page and url("first-year", first_year.pk) not in page


def test_an_admin_can_open_one_from_the_staff_record_of_someone_without(client_for, admin, person):
    hire = person("Hana Hire")
    body = text(client_for(admin).get(reverse("workforce:staff", args=["northshire", hire.pk])))
    assert "Hana Hire has no first 12 months as a practice supervisor recorded" in body
    assert "Open first 12 months for Hana Hire" in body


def test_the_panel_shows_each_viewer_what_they_may_see(first_year, new_supervisor, manager, leader, person, member_with, org):
    from django.apps import apps
    from django.template import Context, Template

    template = Template("{% load induction %}{% induction_panel person %}")

    def panel(membership):
        return template.render(Context({"membership": membership, "person": new_supervisor, "organisation": org}))

    assert "Your induction checklist and check-ins" in panel(new_supervisor.membership)
    assert "Nia New's induction checklist and check-ins" in panel(manager.membership)
    shown_to_leader = panel(leader)
    assert "0 of 11 done" in shown_to_leader and url("first-year", first_year.pk) not in shown_to_leader
    assert panel(member_with("practitioner")).strip() == ""
    login = member_with("mentor")
    mentor = person("Meg Mentor", stage="Team manager", membership=login)
    apps.get_model("mentoring", "Mentorship").objects.create(
        organisation=org, mentor=mentor, mentee=new_supervisor, kind="mentoring", goals="Confidence.", started_on=D(2026, 11, 10)
    )
    assert panel(login).strip() == ""
    actions.set_sharing(first_year, actor=new_supervisor.membership, shared=True)
    assert "Nia New's induction checklist and check-ins" in panel(login)


# --- Query counts and strict pages ------------------------------------------------------------------------


def make_rows(org, admin, stages, n, manager):
    """n new supervisors with a first 12 months each, some items done and a check-in held."""
    rows = []
    for _ in range(n):
        team = TeamFactory(organisation=org)
        staff = StaffRecordFactory(organisation=org, team=team, line_manager=manager)
        StageHistoryFactory(staff=staff, stage=stages["Practice supervisor"], start_date=D(2026, 9, 7))
        (first_year,) = actions.open_first_years(org, people=[staff])
        for item in first_year.items.all()[:3]:
            actions.complete_item(item, actor=manager.membership, completed_on=TODAY)
        actions.record_check_in(first_year.check_ins.get(months=1), actor=manager.membership, held_on=TODAY, held_with=manager)
        rows.append(first_year)
    return rows


@pytest.mark.parametrize("name", ["list", "first-year", "staff", "template", "item", "check-in"])
def test_query_counts_do_not_grow_with_rows(client_for, admin, org, stages, manager, name):
    client = client_for(admin)
    first = make_rows(org, admin, stages, 2, manager)[0]

    def address(first_year):
        return {
            "first-year": url("first-year", first_year.pk),
            "staff": reverse("workforce:staff", args=["northshire", first_year.staff_id]),
            "item": url("item", first_year.items.first().pk),
            "check-in": url("check-in", first_year.check_ins.first().pk),
        }.get(name) or url(name)

    client.get(address(first))  # warm up: session, default template
    with CaptureQueriesContext(connection) as few:
        assert client.get(address(first)).status_code == 200
    make_rows(org, admin, stages, 8, manager)
    for template_item in TemplateItem.objects.filter(organisation=org)[:3]:
        actions.add_template_item(actor=admin, title=template_item.title + " again", due_after_days=30, owner_kind="line_manager")
    # The same person again: an earlier first 12 months, and a longer checklist in this one.
    actions.close_first_year(first, actor=admin, closing_reason="opened_in_error")
    again = actions.open_first_year(actor=admin, staff=first.staff, start_date=D(2026, 9, 14), route="promotion")
    for n in range(5):
        actions.add_item(
            again, actor=manager.membership, title=f"Extra {n}", due_on=D(2026, 12, 1), owner_kind="named", owner=manager
        )
    for item in again.items.all()[:4]:
        actions.complete_item(item, actor=manager.membership, completed_on=TODAY)
    with CaptureQueriesContext(connection) as many:
        assert client.get(address(again)).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTR = re.compile(r"\sstyle=", re.IGNORECASE)


def test_every_induction_page_is_strict_with_one_h1_and_a_title(client_for, admin, first_year, new_supervisor, manager):
    item = first_year.items.first()
    done = first_year.items.last()
    actions.complete_item(done, actor=manager.membership, completed_on=TODAY, completion_note="Met them.")
    template_item = TemplateItem.objects.first()
    pages = {
        admin: [
            url("list"),
            url("open"),
            url("first-year", first_year.pk),
            url("close", first_year.pk),
            url("item", item.pk),
            url("item", done.pk),
            url("check-in", first_year.check_ins.first().pk),
            url("template"),
            url("template-item-add"),
            url("template-item-edit", template_item.pk),
            url("template-item-delete", template_item.pk),
        ],
        new_supervisor.membership: [
            url("first-year", first_year.pk),
            url("item", item.pk),
            url("item", done.pk),
            url("item-add", first_year.pk),
            url("item-edit", item.pk),
            url("check-in", first_year.check_ins.first().pk),
        ],
    }
    for member, addresses in pages.items():
        client = client_for(member)
        for address in addresses:
            response = client.get(address)
            html = response.content.decode()
            assert response.status_code == 200, address
            assert not INLINE_SCRIPT.search(html) and not STYLE_ATTR.search(html), address
            assert html.count("<h1") == 1, address
            assert re.search(r"<title>[^<]+ – Trellis</title>", html), address
