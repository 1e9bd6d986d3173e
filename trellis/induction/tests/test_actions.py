import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django_scopes import scopes_disabled

from trellis.audit.models import AuditEvent
from trellis.audit.versions import StaleEdit
from trellis.induction import actions
from trellis.induction.models import CheckIn, ChecklistItem, FirstYear, TemplateItem, add_months, due_within_label
from trellis.workforce import actions as workforce_actions

from .conftest import TODAY

D = datetime.date
DEFAULT_ITEMS = 11


def only_first_year(staff):
    (first_year,) = FirstYear.objects.filter(staff=staff)
    return first_year


# --- Dates ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 11, 2), 1, D(2026, 12, 2)),
        (D(2026, 11, 2), 3, D(2027, 2, 2)),
        (D(2027, 1, 31), 1, D(2027, 2, 28)),
        (D(2027, 8, 31), 6, D(2028, 2, 29)),
        (D(2026, 12, 15), 12, D(2027, 12, 15)),
    ],
)
def test_months_are_calendar_months_and_a_missing_day_falls_back_to_the_month_end(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("days", "label"),
    [(0, "On their first day"), (7, "Within 1 week"), (14, "Within 2 weeks"), (10, "Within 10 days"), (1, "Within 1 day")],
)
def test_due_offsets_read_as_people_say_them(days, label):
    assert due_within_label(days) == label


# --- Opening from the register -----------------------------------------------------------------------------


def test_a_promotion_in_the_register_opens_a_first_12_months_from_the_day_it_began(org, new_supervisor):
    (first_year,) = actions.open_first_years(org)
    assert first_year.staff == new_supervisor
    assert first_year.start_date == D(2026, 11, 2)
    assert first_year.ends_on == D(2027, 11, 2)
    assert first_year.route == FirstYear.Route.PROMOTION
    assert first_year.opened == FirstYear.Opened.REGISTER
    assert first_year.is_open
    assert list(first_year.check_ins.values_list("months", "due_on")) == [
        (1, D(2026, 12, 2)),
        (3, D(2027, 2, 2)),
        (6, D(2027, 5, 2)),
        (12, D(2027, 11, 2)),
    ]
    items = list(first_year.items.all())
    assert len(items) == DEFAULT_ITEMS
    assert items[0].title == "Meet your team as their practice supervisor"
    assert items[0].due_on == D(2026, 11, 9)  # within 1 week
    assert {item.owner_kind for item in items} == {"supervisor", "line_manager"}
    event = AuditEvent.objects.get(verb="opened first 12 months")
    assert event.actor is None and event.actor_name == "Trellis"
    assert event.changes["person"] == [None, "Nia New"]
    assert event.changes["checklist items"] == [None, DEFAULT_ITEMS]


def test_opening_from_the_register_is_idempotent(org, new_supervisor):
    assert len(actions.open_first_years(org)) == 1
    assert actions.open_first_years(org) == []
    assert actions.open_first_years(org, people=[new_supervisor]) == []
    assert FirstYear.objects.count() == 1
    assert ChecklistItem.objects.count() == DEFAULT_ITEMS
    assert CheckIn.objects.count() == 4


def test_an_internal_promotion_gets_the_same_induction_as_an_appointment_from_outside(org, person, new_supervisor):
    hired = person("Harry Hired", stage="Practice supervisor", start_date=D(2026, 10, 5))
    promoted_year, hired_year = sorted(actions.open_first_years(org), key=lambda f: f.staff.full_name != "Nia New")
    assert promoted_year.route == FirstYear.Route.PROMOTION
    assert hired_year.route == FirstYear.Route.NEW and hired_year.staff == hired

    def shape(first_year):
        return [(i.title, (i.due_on - first_year.start_date).days, i.owner_kind) for i in first_year.items.order_by("position")]

    assert shape(promoted_year) == shape(hired_year)


def test_acting_up_into_a_supervisory_stage_opens_one_too(org, person, promote):
    acting = person("Ade Acting")
    promote(acting, D(2026, 9, 1), kind="acting_up")
    (first_year,) = actions.open_first_years(org)
    assert first_year.route == FirstYear.Route.ACTING_UP


def test_only_current_supervisors_whose_spell_began_in_the_last_12_months(org, admin, person, promote, new_supervisor):
    person("Val Veteran", stage="Practice supervisor", start_date=D(2015, 1, 5))
    person("Pat Practitioner", stage="Social worker")
    leaver = person("Lee Leaver")
    promote(leaver, D(2026, 8, 3))
    workforce_actions.record_leaving(leaver, actor=admin, leaving_date=D(2026, 11, 20), leaving_reason="resignation")
    long_ago = person("Lon Gago")
    promote(long_ago, D(2025, 11, 24))  # exactly 12 months ago: the register no longer counts it as the first year
    future = person("Fay Future")
    promote(future, D(2026, 12, 7))
    opened = actions.open_first_years(org)
    assert [first_year.staff.full_name for first_year in opened] == ["Nia New"]


def test_a_first_12_months_closed_by_hand_is_not_opened_again(org, admin, new_supervisor):
    (first_year,) = actions.open_first_years(org)
    actions.close_first_year(first_year, actor=admin, closing_reason="not_needed", closing_note="Supervised for years in Leeds.")
    assert actions.open_first_years(org) == []


def test_one_opened_by_hand_before_the_register_caught_up_is_not_doubled(org, admin, person, promote):
    hire = person("Hana Hire", start_date=D(2026, 9, 1))
    actions.open_first_year(actor=admin, staff=hire, start_date=D(2026, 9, 1), route="new")
    promote(hire, D(2026, 10, 1))  # the register records the appointment a month late
    assert actions.open_first_years(org) == []
    actions.close_first_year(only_first_year(hire), actor=admin, closing_reason="opened_in_error")
    assert actions.open_first_years(org) == []


def test_acting_up_then_going_back_then_being_appointed_opens_a_new_one(org, person, promote):
    sam = person("Sam Steps")
    promote(sam, D(2026, 3, 2), kind="acting_up")
    (acting_year,) = actions.open_first_years(org, today=D(2026, 3, 10))
    promote(sam, D(2026, 7, 6), stage="Senior or advanced practitioner", kind="return")
    (closed,) = actions.close_finished_first_years(org)
    assert closed == acting_year
    acting_year.refresh_from_db()
    assert acting_year.closing_reason == "stepped_down" and acting_year.closed_on == D(2026, 7, 6)
    promote(sam, D(2026, 11, 2))
    (appointed_year,) = actions.open_first_years(org)
    assert appointed_year.start_date == D(2026, 11, 2) and appointed_year.route == FirstYear.Route.PROMOTION


def test_open_first_years_can_be_limited_to_some_people(org, person, promote, new_supervisor):
    other = person("Oli Other")
    promote(other, D(2026, 10, 1))
    assert [f.staff for f in actions.open_first_years(org, people=[other])] == [other]
    assert FirstYear.objects.filter(staff=new_supervisor).count() == 0


@pytest.mark.scoped
def test_the_command_opens_and_closes_inside_each_organisations_scope(request, capsys):
    with scopes_disabled():
        org = request.getfixturevalue("org")
        request.getfixturevalue("other_org")
        request.getfixturevalue("new_supervisor")
    call_command("open_first_years")
    assert "opened 1, closed 0" in capsys.readouterr().out
    call_command("open_first_years", organisation="northshire")
    assert "First 12 months: opened 0, closed 0." in capsys.readouterr().out
    with scopes_disabled():
        assert FirstYear.objects.filter(organisation=org).count() == 1


# --- Opening and closing by hand ------------------------------------------------------------------------


def test_an_admin_opens_one_by_hand_for_an_external_hire(admin, person):
    hire = person("Hana Hire", start_date=D(2026, 11, 16))
    first_year = actions.open_first_year(actor=admin, staff=hire, start_date=D(2026, 12, 7), route="new")
    assert first_year.opened == FirstYear.Opened.BY_HAND and first_year.created_by == admin
    assert first_year.items.count() == DEFAULT_ITEMS
    assert first_year.stage_label(TODAY) == "Starts on 7 December 2026"
    assert AuditEvent.objects.filter(verb="opened first 12 months", actor=admin.user).exists()


@pytest.mark.parametrize(
    ("start", "field", "message"),
    [
        (D(2018, 3, 1), "start_date", "Start date must be on or after 1 April 2018, when Hana Hire joined"),
        (
            D(2025, 11, 24),
            "start_date",
            "Start date must be on or after 25 November 2025: a first 12 months that started earlier has ended",
        ),
        (D(2027, 6, 1), "start_date", "Start date must be on or before 26 May 2027, 6 months from today"),
    ],
)
def test_opening_by_hand_explains_a_start_date_it_cannot_use(admin, person, start, field, message):
    hire = person("Hana Hire")
    with pytest.raises(ValidationError) as error:
        actions.open_first_year(actor=admin, staff=hire, start_date=start, route="new")
    assert error.value.message_dict == {field: [message]}


def test_opening_by_hand_refuses_a_second_open_one_and_someone_who_has_left(admin, org, new_supervisor, person):
    actions.open_first_years(org)
    with pytest.raises(ValidationError) as error:
        actions.open_first_year(actor=admin, staff=new_supervisor, start_date=D(2026, 11, 9), route="promotion")
    assert "Nia New's first 12 months is already open: it started on 2 November 2026" in error.value.message_dict["staff"][0]
    leaver = person("Lee Leaver")
    workforce_actions.record_leaving(leaver, actor=admin, leaving_date=D(2026, 11, 1), leaving_reason="resignation")
    with pytest.raises(ValidationError, match="Lee Leaver left on 1 November 2026"):
        actions.open_first_year(actor=admin, staff=leaver, start_date=D(2026, 10, 1), route="promotion")


def test_only_admins_open_or_close_by_hand(leader, manager, org, new_supervisor, person):
    hire = person("Hana Hire")
    for who in (leader, manager.membership):
        with pytest.raises(PermissionDenied):
            actions.open_first_year(actor=who, staff=hire, start_date=D(2026, 11, 2), route="new")
    (first_year,) = actions.open_first_years(org)
    with pytest.raises(PermissionDenied):
        actions.close_first_year(first_year, actor=manager.membership, closing_reason="not_needed")


def test_closing_by_hand_needs_a_reason_and_refuses_a_stale_page(admin, org, new_supervisor):
    (first_year,) = actions.open_first_years(org)
    with pytest.raises(ValidationError) as error:
        actions.close_first_year(first_year, actor=admin, closing_reason="other", closing_note="  ")
    assert error.value.message_dict == {"closing_note": ["Enter why it is closing"]}
    seen = first_year.version
    actions.set_sharing(first_year, actor=new_supervisor.membership, shared=True)
    with pytest.raises(StaleEdit):
        actions.close_first_year(first_year, actor=admin, closing_reason="not_needed", expected_version=seen)
    closed = actions.close_first_year(first_year, actor=admin, closing_reason="stepped_down", closing_note="Back to practice.")
    assert (closed.status, closed.closed_on, closed.closing_reason) == ("closed", TODAY, "stepped_down")
    assert AuditEvent.objects.filter(verb="closed first 12 months", actor=admin.user).exists()


# --- Closing when it is finished --------------------------------------------------------------------------


def test_it_closes_once_12_months_have_passed_and_the_12_month_check_in_is_held(org, new_supervisor, manager, time_machine):
    (first_year,) = actions.open_first_years(org)
    twelve = first_year.check_ins.get(months=12)
    time_machine.move_to(datetime.datetime(2027, 11, 10, 9, 0))
    assert actions.close_finished_first_years(org) == []  # 12 months passed, but no 12-month check-in yet
    actions.record_check_in(twelve, actor=manager.membership, held_on=D(2027, 11, 9), held_with=manager, notes="A good year.")
    first_year.refresh_from_db()
    assert (first_year.status, first_year.closing_reason, first_year.closed_on) == ("closed", "completed", D(2027, 11, 9))


def test_a_12_month_check_in_held_early_closes_it_on_the_anniversary(org, new_supervisor, manager, time_machine):
    (first_year,) = actions.open_first_years(org)
    time_machine.move_to(datetime.datetime(2027, 10, 28, 9, 0))
    actions.record_check_in(
        first_year.check_ins.get(months=12), actor=manager.membership, held_on=D(2027, 10, 28), held_with=manager
    )
    first_year.refresh_from_db()
    assert first_year.is_open
    (closed,) = actions.close_finished_first_years(org, today=D(2027, 11, 3))
    assert (closed.closing_reason, closed.closed_on) == ("completed", D(2027, 11, 2))


def test_it_closes_when_the_person_leaves(org, admin, new_supervisor):
    (first_year,) = actions.open_first_years(org)
    new_supervisor.refresh_from_db()
    workforce_actions.record_leaving(new_supervisor, actor=admin, leaving_date=D(2026, 11, 23), leaving_reason="resignation")
    (closed,) = actions.close_finished_first_years(org)
    assert (closed.closing_reason, closed.closed_on) == ("left", D(2026, 11, 23))
    assert actions.close_finished_first_years(org) == []


def test_one_opened_by_hand_stays_open_whatever_stage_the_register_shows(org, admin, person):
    hire = person("Hana Hire", stage="Social worker")
    actions.open_first_year(actor=admin, staff=hire, start_date=D(2026, 11, 2), route="new")
    assert actions.close_finished_first_years(org) == []


# --- The template and copies of it -----------------------------------------------------------------------


def test_the_default_template_loads_once(org, admin):
    assert actions.ensure_default_template(org) is True
    assert TemplateItem.objects.filter(organisation=org).count() == DEFAULT_ITEMS
    for item in TemplateItem.objects.filter(organisation=org):
        actions.remove_template_item(item, actor=admin)
    assert actions.ensure_default_template(org) is False
    assert not TemplateItem.objects.filter(organisation=org).exists()


def test_template_edits_never_change_checklists_already_open(org, admin, new_supervisor, person, promote):
    (first_year,) = actions.open_first_years(org)
    before = list(first_year.items.values_list("title", "due_on", "owner_kind", "guidance"))
    items = list(TemplateItem.objects.filter(organisation=org))
    actions.update_template_item(
        items[0], actor=admin, expected_version=items[0].version, title="Team away day", due_after_days=3
    )
    actions.remove_template_item(items[1], actor=admin)
    finance = person("Fin Finance", stage="Social worker")
    actions.add_template_item(
        actor=admin, title="Meet the finance business partner", due_after_days=21, owner_kind="named", owner=finance
    )
    assert list(first_year.items.values_list("title", "due_on", "owner_kind", "guidance")) == before

    later = person("Lia Later")
    promote(later, D(2026, 11, 16))
    (later_year,) = actions.open_first_years(org)
    titles = list(later_year.items.order_by("position").values_list("title", flat=True))
    assert titles[0] == "Team away day" and "Introduction to the IT department" not in titles
    added = later_year.items.get(title="Meet the finance business partner")
    assert added.owner == finance and added.due_on == D(2026, 12, 7)


def test_template_items_are_checked(admin, org, person):
    actions.ensure_default_template(org)
    with pytest.raises(ValidationError) as error:
        actions.add_template_item(actor=admin, title="Meet HR", due_after_days=7, owner_kind="named")
    assert error.value.message_dict == {"owner": ["Select the person who owns this item"]}
    left = person("Lee Left")
    workforce_actions.record_leaving(left, actor=admin, leaving_date=D(2026, 10, 1), leaving_reason="retirement")
    left.refresh_from_db()
    with pytest.raises(ValidationError, match="Lee Left left on 1 October 2026"):
        actions.add_template_item(actor=admin, title="Meet HR", due_after_days=7, owner_kind="named", owner=left)
    item = actions.add_template_item(actor=admin, title="Meet HR", due_after_days=7, owner_kind="supervisor", owner=left)
    assert item.owner is None  # a named person only counts when the owner is someone named


def test_only_admins_change_the_template(org, leader, new_supervisor):
    actions.ensure_default_template(org)
    item = TemplateItem.objects.filter(organisation=org).first()
    with pytest.raises(PermissionDenied):
        actions.add_template_item(actor=leader, title="x", due_after_days=1, owner_kind="supervisor")
    with pytest.raises(PermissionDenied):
        actions.update_template_item(item, actor=new_supervisor.membership, expected_version=item.version, title="x")
    with pytest.raises(PermissionDenied):
        actions.remove_template_item(item, actor=leader)


def test_a_stale_template_edit_is_refused(admin, org, member_with):
    other_admin = member_with("org_admin")
    actions.ensure_default_template(org)
    item = TemplateItem.objects.filter(organisation=org).first()
    seen = item.version
    actions.update_template_item(item, actor=other_admin, expected_version=seen, title="Meet your team")
    with pytest.raises(StaleEdit) as stale:
        actions.update_template_item(item, actor=admin, expected_version=seen, title="Meet the team")
    assert stale.value.changes == [("Item", "Meet your team as their practice supervisor", "Meet your team")]


# --- Ticking items off ----------------------------------------------------------------------------------


@pytest.fixture
def first_year(org, new_supervisor):
    (first_year,) = actions.open_first_years(org)
    return first_year


def test_the_person_ticks_an_item_off_with_when_and_a_note_and_can_reopen_it(first_year, new_supervisor):
    nia = new_supervisor.membership
    item = first_year.items.get(title="Introduction to the IT department")
    done = actions.complete_item(
        item,
        actor=nia,
        completed_on=D(2026, 11, 5),
        completion_note=" Access to approvals set up. ",
        expected_version=item.version,
    )
    assert (done.completed_on, done.completed_by, done.completion_note) == (D(2026, 11, 5), nia, "Access to approvals set up.")
    assert not done.is_overdue(TODAY)
    event = AuditEvent.objects.get(verb="ticked off checklist item")
    assert event.actor == nia.user and event.changes["completed_on"] == [None, "2026-11-05"]
    reopened = actions.reopen_item(done, actor=nia, expected_version=done.version)
    assert (reopened.completed_on, reopened.completed_by, reopened.completion_note) == (None, None, "")
    assert reopened.is_overdue(TODAY)  # due 9 November
    assert AuditEvent.objects.filter(verb="reopened checklist item").exists()


def test_their_line_manager_ticks_items_off_too(first_year, manager):
    item = first_year.items.get(title="Introductions to colleagues and managers")
    done = actions.complete_item(item, actor=manager.membership, completed_on=TODAY)
    assert done.completed_by == manager.membership


def test_nobody_else_ticks_items_off(first_year, admin, leader, member_with):
    item = first_year.items.first()
    for who in (admin, leader, member_with("practice_supervisor")):
        with pytest.raises(PermissionDenied):
            actions.complete_item(item, actor=who, completed_on=TODAY)


def test_an_admin_keeps_the_checklist_of_someone_without_a_login(admin, org, person, promote, manager):
    paper = person("Pia Paper", line_manager=manager)
    promote(paper, D(2026, 11, 2))
    (first_year,) = actions.open_first_years(org)
    item = first_year.items.first()
    assert actions.complete_item(item, actor=admin, completed_on=TODAY).completed_by == admin


def test_ticking_off_explains_a_date_it_cannot_use_and_refuses_a_stale_page(first_year, new_supervisor, manager):
    item = first_year.items.first()
    with pytest.raises(ValidationError) as error:
        actions.complete_item(item, actor=manager.membership, completed_on=D(2026, 11, 25))
    assert error.value.message_dict == {"completed_on": ["Date done must be today or in the past"]}
    with pytest.raises(ValidationError) as error:
        actions.complete_item(item, actor=manager.membership, completed_on=D(2017, 1, 1))
    assert error.value.message_dict == {"completed_on": ["Date done must be on or after 1 April 2018, when Nia New joined"]}
    seen = item.version
    actions.complete_item(item, actor=manager.membership, completed_on=TODAY, expected_version=seen)
    with pytest.raises(StaleEdit) as stale:
        actions.complete_item(item, actor=new_supervisor.membership, completed_on=TODAY, expected_version=seen)
    assert stale.value.changed_by == manager.membership
    with pytest.raises(ValidationError, match="already ticked off on 24 November 2026 by Mo Manager"):
        actions.complete_item(item, actor=new_supervisor.membership, completed_on=TODAY)


def test_items_show_as_overdue_when_past_due_and_not_done(first_year):
    overdue = set(first_year.items.overdue(D(2026, 11, 10)).values_list("title", flat=True))
    assert overdue == {"Meet your team as their practice supervisor", "Introduction to the IT department"}  # due 9 November
    assert set(first_year.items.overdue(TODAY).values_list("title", flat=True)) == {
        "Meet your team as their practice supervisor",
        "Introduction to the IT department",
        "Introductions to colleagues and managers",
        "The supervision model and policy",
        "Roles and responsibilities",
    }


def test_a_persons_own_items_are_added_and_changed(first_year, new_supervisor, manager, person):
    nia = new_supervisor.membership
    item = actions.add_item(
        first_year, actor=manager.membership, title="Meet the head of service", due_on=D(2026, 12, 14), owner_kind="line_manager"
    )
    assert item.position == DEFAULT_ITEMS + 1 and item.owner_for() == manager
    with pytest.raises(ValidationError) as error:
        actions.add_item(first_year, actor=nia, title="x", due_on=D(2027, 11, 3), owner_kind="supervisor")
    assert error.value.message_dict == {
        "due_on": ["Due date must be between 2 November 2026 and 2 November 2027, in their first 12 months"]
    }
    pam = person("Pam Partner", stage="Social worker")
    changed = actions.update_item(
        item, actor=nia, expected_version=item.version, owner_kind="named", owner=pam, due_on=D(2027, 1, 11)
    )
    assert changed.owner_for() == pam and changed.version == 2
    assert AuditEvent.objects.filter(verb="added checklist item").exists()


def test_a_closed_first_12_months_can_no_longer_be_changed(first_year, admin, manager):
    actions.close_first_year(first_year, actor=admin, closing_reason="not_needed")
    item = first_year.items.first()
    with pytest.raises(ValidationError, match="closed on 24 November 2026, so it can no longer be changed"):
        actions.complete_item(item, actor=manager.membership, completed_on=TODAY)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        actions.record_check_in(first_year.check_ins.first(), actor=manager.membership, held_on=TODAY, held_with=manager)


# --- Check-ins --------------------------------------------------------------------------------------------


def test_the_line_manager_records_the_1_month_check_in(first_year, manager, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 3, 9, 0))
    one = first_year.check_ins.get(months=1)
    assert one.is_overdue()
    recorded = actions.record_check_in(
        one, actor=manager.membership, held_on=D(2026, 12, 3), held_with=manager, notes=" Settling in. "
    )
    assert (recorded.held_on, recorded.held_with, recorded.notes, recorded.updated_by) == (
        D(2026, 12, 3),
        manager,
        "Settling in.",
        manager.membership,
    )
    assert not recorded.is_overdue()
    assert AuditEvent.objects.get(verb="recorded check-in").changes["notes"] == ["", "Settling in."]
    actions.record_check_in(
        recorded, actor=manager.membership, held_on=D(2026, 12, 2), held_with=manager, notes="Settling in well."
    )
    assert AuditEvent.objects.filter(verb="changed check-in").exists()


def test_check_ins_explain_what_they_cannot_record(first_year, new_supervisor, manager, person):
    one = first_year.check_ins.get(months=1)
    nia = new_supervisor.membership
    cases = [
        ({"held_on": TODAY, "held_with": None}, {"held_with": ["Select who the check-in was with"]}),
        (
            {"held_on": TODAY, "held_with": new_supervisor},
            {"held_with": ["Select who the check-in was with, not the person themselves"]},
        ),
        ({"held_on": D(2026, 11, 25), "held_with": manager}, {"held_on": ["Date held must be today or in the past"]}),
        (
            {"held_on": D(2026, 11, 1), "held_with": manager},
            {"held_on": ["Date held must be on or after 2 November 2026, when their first 12 months started"]},
        ),
    ]
    for fields, expected in cases:
        with pytest.raises(ValidationError) as error:
            actions.record_check_in(one, actor=nia, **fields)
        assert error.value.message_dict == expected
    seen = one.version
    actions.record_check_in(one, actor=nia, held_on=TODAY, held_with=manager, expected_version=seen)
    with pytest.raises(StaleEdit):
        actions.record_check_in(one, actor=manager.membership, held_on=TODAY, held_with=manager, notes="x", expected_version=seen)


def test_check_ins_are_overdue_when_past_due_and_not_held(first_year):
    assert list(CheckIn.objects.filter(first_year=first_year).overdue(D(2027, 2, 3)).values_list("months", flat=True)) == [1, 3]
    assert not CheckIn.objects.filter(first_year=first_year).overdue(D(2026, 12, 2)).exists()


# --- Sharing ------------------------------------------------------------------------------------------------


def test_only_the_person_shares_with_their_mentor(first_year, new_supervisor, manager):
    with pytest.raises(PermissionDenied):
        actions.set_sharing(first_year, actor=manager.membership, shared=True)
    shared = actions.set_sharing(first_year, actor=new_supervisor.membership, shared=True)
    assert shared.shared_with_mentor and shared.version == 2
    assert AuditEvent.objects.filter(verb="shared with mentor").exists()
