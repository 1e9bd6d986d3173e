import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from trellis.audit.models import AuditEvent
from trellis.audit.versions import StaleEdit
from trellis.learning import actions
from trellis.learning.models import Booking, Catalogue, Course, ExternalTraining, TrainingRecord, TrainingSession
from trellis.tenancy import policy
from trellis.workforce import actions as workforce_actions

from .conftest import TODAY, D, T


def events(obj):
    rows = AuditEvent.objects.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk))
    return list(rows.order_by("at", "id").values_list("verb", flat=True))


def days(n):
    return TODAY + datetime.timedelta(days=n)


# --- The default catalogue ----------------------------------------------------------------------------


def test_the_default_catalogue_names_the_seeds_five_kinds_of_training():
    data = actions.default_catalogue()
    titles = " ".join(item["title"].lower() for item in data["courses"])
    for topic in ("supervision model", "reflective supervision", "roles and responsibilities", "performance", "information"):
        assert topic in titles
    assert all(item["core"] for item in data["courses"])
    assert len({item["key"] for item in data["courses"]}) == 5


def test_the_default_catalogue_loads_once_and_links_the_shipped_standards(org, frameworks):
    assert actions.ensure_default_catalogue(org) is True
    assert actions.ensure_default_catalogue(org) is False
    courses = Course.objects.filter(organisation=org)
    assert courses.count() == 5 and all(c.is_core and c.version == 1 for c in courses)
    reflective = courses.get(default_key="reflective-supervision-skills")
    # Northshire serves adults only (the factory's default): the children's KSS is not linked.
    assert {s.number for s in reflective.standards.all()} == {"5", "6"}
    event = AuditEvent.objects.get(verb="loaded the default training catalogue")
    assert event.organisation == org and event.changes["courses"] == [None, 5]
    assert Catalogue.objects.filter(organisation=org).count() == 1


def test_a_childrens_organisation_gets_the_childrens_standards(org, frameworks):
    org.services = "children"
    org.save()
    actions.ensure_default_catalogue(org)
    roles = Course.objects.get(organisation=org, default_key="roles-and-responsibilities")
    assert [(s.version.framework.key, s.number) for s in roles.standards.all()] == [("practice-supervisor-kss", "4")]


def test_the_defaults_load_without_any_frameworks(org):
    actions.ensure_default_catalogue(org)
    assert Course.objects.filter(organisation=org).count() == 5
    assert not Course.standards.through.objects.exists()


def test_retiring_every_default_does_not_bring_them_back(org, admin):
    actions.ensure_default_catalogue(org)
    for course in Course.objects.filter(organisation=org):
        actions.update_course(course, actor=admin, expected_version=course.version, status="retired")
    assert actions.ensure_default_catalogue(org) is False
    assert Course.objects.filter(organisation=org).offered().count() == 0


def test_a_course_an_admin_made_first_keeps_its_place(org, course):
    mine = course("Reflective Supervision Skills", hours=Decimal("3"))
    actions.ensure_default_catalogue(org)
    assert Course.objects.filter(organisation=org, title__iexact="reflective supervision skills").get() == mine
    assert Course.objects.filter(organisation=org).count() == 5


# --- Courses ----------------------------------------------------------------------------------------


def test_only_admins_add_courses(course, leader, supervisor):
    for member in (leader, supervisor):
        with pytest.raises(PermissionDenied):
            course(actor=member)


def test_a_course_title_is_used_once_whatever_its_case(course):
    course("Reflective supervision skills")
    with pytest.raises(ValidationError) as error:
        course("REFLECTIVE supervision skills ")
    assert "already a course called" in error.value.message_dict["title"][0]


def test_adding_a_course_records_its_standards(course, frameworks):
    seven = frameworks["practice-supervisor-kss"]["7"]
    added = course(standards=[seven])
    assert list(added.standards.all()) == [seven]
    event = AuditEvent.objects.get(verb="added course")
    assert event.changes["standards"] == [None, ["PS KSS 7"]]
    assert event.changes["title"] == [None, "Reflective supervision skills"]


def test_another_organisations_framework_cannot_be_linked(course, frameworks, other_org):
    from trellis.frameworks.models import Framework, FrameworkVersion, Standard

    theirs = Framework.objects.create(organisation=other_org, key="own", name="Their own", short_name="Own")
    version = FrameworkVersion.objects.create(framework=theirs, label="1")
    standard = Standard.objects.create(version=version, number="1", title="Theirs", position=1)
    with pytest.raises(ValueError):
        course(standards=[standard])


def test_a_stale_course_edit_is_refused_and_says_what_changed(course, admin, member_with):
    other = member_with("org_admin")
    added = course()
    actions.update_course(added, actor=other, expected_version=1, provider="HR")
    with pytest.raises(StaleEdit) as stale:
        actions.update_course(added, actor=admin, expected_version=1, hours=Decimal("3"))
    assert ("Provider", "Workforce development team", "HR") in stale.value.changes
    assert Course.objects.get().hours == Decimal("6")


def test_retiring_and_reoffering_a_course_is_in_the_trail(course, admin, frameworks):
    added = course()
    added = actions.update_course(added, actor=admin, expected_version=1, status="retired")
    added = actions.update_course(
        added, actor=admin, expected_version=2, status="offered", standards=[frameworks["practice-supervisor-kss"]["4"]]
    )
    assert events(added) == ["added course", "retired course", "offered course again"]
    assert AuditEvent.objects.filter(verb="offered course again").get().changes["standards"] == [[], ["PS KSS 4"]]


def test_saving_a_course_unchanged_writes_nothing(course, admin):
    added = course()
    actions.update_course(added, actor=admin, expected_version=1, title="Reflective supervision skills", standards=[])
    assert Course.objects.get().version == 1
    assert events(added) == ["added course"]


# --- Sessions -----------------------------------------------------------------------------------------


def test_a_retired_course_gets_no_new_sessions(course, session, admin):
    added = course()
    actions.update_course(added, actor=admin, expected_version=1, status="retired")
    added.refresh_from_db()
    with pytest.raises(ValidationError, match="is retired"):
        session(added)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"end_date": days(14)}, "end_date", "The last day must be after the first day"),
        ({"end_time": T(9, 0)}, "end_time", "The end time must be after the start time, 9:30am"),
        ({"location": " "}, "location", "Enter where the session takes place"),
    ],
)
def test_a_session_must_make_sense(course, session, fields, field, message):
    with pytest.raises(ValidationError) as error:
        session(course(), **fields)
    assert error.value.message_dict[field][0].startswith(message)


def test_an_online_session_needs_no_place(course, session):
    online = session(course(), mode="online", location="")
    assert online.place == "Online"


def test_a_session_describes_its_days_and_times(course, session):
    two_days = session(course(), days=10, end_date=days(11), end_time=T(12, 0))
    assert two_days.dates == "4 to 5 December 2026"
    assert two_days.times == "9:30am to midday each day"
    across = session(course("Another"), days=37, end_date=days(39))
    assert across.dates == "31 December 2026 to 2 January 2027"


# --- Booking ------------------------------------------------------------------------------------------


@pytest.fixture
def people(person, member_with):
    """Three supervisors with logins, and their memberships: [(staff, membership)]."""
    made = []
    for name in ("Ada", "Ben", "Cat"):
        member = member_with("practice_supervisor", user__full_name=f"{name} Supervisor")
        made.append((person(f"{name} Supervisor", membership=member), member))
    return made


def test_people_book_a_place_until_the_session_is_full_then_join_the_waiting_list(course, session, people):
    full = session(course(), capacity=2)
    statuses = [actions.book_place(full, actor=member, staff=staff).status for staff, member in people]
    assert statuses == ["booked", "booked", "waiting"]
    assert events(Booking.objects.get(staff=people[2][0])) == ["joined the waiting list"]


def test_nobody_books_a_place_for_someone_else_except_admins(course, session, people, admin):
    upcoming = session(course())
    (ada, ada_login), (ben, _ben_login) = people[:2]
    with pytest.raises(PermissionDenied):
        actions.book_place(upcoming, actor=ada_login, staff=ben)
    booking = actions.book_place(upcoming, actor=admin, staff=ben)
    assert booking.booked_by == admin
    assert AuditEvent.objects.get(verb="booked a place").changes["booked by"] == [None, "Alex Admin"]


def test_no_double_booking_on_the_same_session(course, session, people):
    upcoming = session(course())
    ada, login = people[0]
    actions.book_place(upcoming, actor=login, staff=ada)
    with pytest.raises(ValidationError) as error:
        actions.book_place(upcoming, actor=login, staff=ada)
    assert error.value.message_dict["staff"] == ["You already have a place for this session."]
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(organisation=upcoming.organisation, session=upcoming, staff=ada, status="waiting")


def test_one_upcoming_session_of_a_course_at_a_time(course, session, people):
    reflective = course()
    first, later = session(reflective, days=7), session(reflective, days=40)
    ada, login = people[0]
    actions.book_place(first, actor=login, staff=ada)
    with pytest.raises(ValidationError, match="already booked on Reflective supervision skills on 1 December 2026"):
        actions.book_place(later, actor=login, staff=ada)


def test_two_sessions_at_the_same_time_cannot_both_be_booked(course, session, people, admin):
    morning = session(course("Morning course"), days=7, end_time=T(12, 30))
    overlapping = session(course("Late morning course"), days=7, start_time=T(11, 0), end_time=T(13, 0))
    afternoon = session(course("Afternoon course"), days=7, start_time=T(12, 30), end_time=T(15, 0))
    ada, _login = people[0]
    actions.book_place(morning, actor=admin, staff=ada)
    with pytest.raises(ValidationError) as error:
        actions.book_place(overlapping, actor=admin, staff=ada)
    assert "Ada Supervisor is already booked on Morning course at the same time" in error.value.message_dict["staff"][0]
    assert actions.book_place(afternoon, actor=admin, staff=ada).status == "booked"


def test_a_started_session_is_only_added_to_by_an_admin_and_only_into_a_free_place(course, session, people, admin):
    past = session(course(), days=-3, capacity=1)
    (ada, login), (ben, _ben_login) = people[:2]
    with pytest.raises(ValidationError, match="started on"):
        actions.book_place(past, actor=login, staff=ada)
    assert actions.book_place(past, actor=admin, staff=ada).status == "booked"
    with pytest.raises(ValidationError, match="add a place to the session first"):
        actions.book_place(past, actor=admin, staff=ben)


def test_someone_who_has_left_cannot_be_booked(course, session, person, admin):
    leaver = person("Lee Leaver")
    workforce_actions.record_leaving(leaver, actor=admin, leaving_date=days(-1), leaving_reason="resignation")
    leaver.refresh_from_db()
    with pytest.raises(ValidationError, match="left on 23 November 2026"):
        actions.book_place(session(course()), actor=admin, staff=leaver)


def test_cancelled_sessions_and_retired_courses_cannot_be_booked(course, session, people, admin):
    reflective = course()
    cancelled = session(reflective, days=7)
    actions.cancel_session(cancelled, actor=admin, reason="Trainer unwell")
    ada, login = people[0]
    with pytest.raises(ValidationError, match="was cancelled"):
        actions.book_place(cancelled, actor=login, staff=ada)
    open_one = session(reflective, days=30)
    actions.update_course(reflective, actor=admin, expected_version=1, status="retired")
    with pytest.raises(ValidationError, match="no longer offered"):
        actions.book_place(open_one, actor=login, staff=ada)


# --- Cancelling and the waiting list --------------------------------------------------------------------


def test_a_cancelled_place_goes_to_the_first_person_waiting(course, session, people, person, admin):
    full = session(course(), capacity=1)
    (ada, ada_login), (ben, ben_login), (cat, cat_login) = people
    place = actions.book_place(full, actor=ada_login, staff=ada)
    ben_waits = actions.book_place(full, actor=ben_login, staff=ben)
    actions.book_place(full, actor=cat_login, staff=cat)
    cancelled, promoted = actions.cancel_booking(place, actor=ada_login)
    assert cancelled.status == "cancelled"
    assert promoted == [ben_waits]
    ben_waits.refresh_from_db()
    assert ben_waits.status == "booked" and ben_waits.promoted_at is not None and ben_waits.version == 2
    event = AuditEvent.objects.get(verb="gave a place from the waiting list")
    assert event.actor is None and event.actor_name == "Trellis"
    assert event.changes["because"] == [None, "Ada Supervisor cancelled"]
    assert Booking.objects.get(staff=cat).status == "waiting"


def test_leaving_the_waiting_list_gives_nobody_a_place(course, session, people):
    full = session(course(), capacity=1)
    (ada, ada_login), (ben, ben_login), (cat, cat_login) = people
    actions.book_place(full, actor=ada_login, staff=ada)
    ben_waits = actions.book_place(full, actor=ben_login, staff=ben)
    actions.book_place(full, actor=cat_login, staff=cat)
    _cancelled, promoted = actions.cancel_booking(ben_waits, actor=ben_login)
    assert promoted == []
    assert list(Booking.objects.filter(session=full).values_list("status", flat=True).order_by("requested_at")) == [
        "booked",
        "cancelled",
        "waiting",
    ]


def test_only_the_person_and_admins_cancel_a_booking(course, session, people, admin, leader):
    upcoming = session(course())
    (ada, ada_login), (_ben, ben_login) = people[:2]
    booking = actions.book_place(upcoming, actor=ada_login, staff=ada)
    for member in (ben_login, leader):
        with pytest.raises(PermissionDenied):
            actions.cancel_booking(booking, actor=member)
    actions.cancel_booking(booking, actor=admin)
    with pytest.raises(ValidationError, match="already cancelled"):
        actions.cancel_booking(booking, actor=admin)


def test_a_person_can_book_again_after_cancelling(course, session, people):
    upcoming = session(course())
    ada, login = people[0]
    actions.cancel_booking(actions.book_place(upcoming, actor=login, staff=ada), actor=login)
    assert actions.book_place(upcoming, actor=login, staff=ada).status == "booked"


def test_a_booking_cannot_be_cancelled_once_the_session_has_started(course, session, people, admin, time_machine):
    upcoming = session(course(), days=1)
    ada, login = people[0]
    booking = actions.book_place(upcoming, actor=login, staff=ada)
    time_machine.move_to(datetime.datetime(2026, 11, 25, 9, 31))
    with pytest.raises(ValidationError, match="cannot be cancelled"):
        actions.cancel_booking(booking, actor=admin)


def test_more_places_go_to_the_waiting_list_and_fewer_than_booked_is_refused(course, session, people, admin):
    full = session(course(), capacity=1)
    for staff, member in people:
        actions.book_place(full, actor=member, staff=staff)
    full = actions.update_session(full, actor=admin, expected_version=1, capacity=2)
    assert list(Booking.objects.filter(session=full).order_by("requested_at").values_list("status", flat=True)) == [
        "booked",
        "booked",
        "waiting",
    ]
    assert AuditEvent.objects.get(verb="gave a place from the waiting list").changes["because"] == [None, "more places"]
    with pytest.raises(ValidationError) as error:
        actions.update_session(full, actor=admin, expected_version=2, capacity=1)
    assert error.value.message_dict["capacity"][0].startswith("2 people have places, so there must be at least 2 places")


def test_a_stale_session_edit_is_refused(course, session, admin, member_with):
    upcoming = session(course())
    actions.update_session(upcoming, actor=member_with("org_admin"), expected_version=1, location="Room 5")
    with pytest.raises(StaleEdit) as stale:
        actions.update_session(upcoming, actor=admin, expected_version=1, capacity=20)
    assert stale.value.changes == [("Where", "Room 4, County Hall", "Room 5")]


def test_cancelling_a_session_cancels_every_booking(course, session, people, admin):
    full = session(course(), capacity=1)
    for staff, member in people[:2]:
        actions.book_place(full, actor=member, staff=staff)
    cancelled, affected = actions.cancel_session(full, actor=admin, reason="The trainer is unwell.")
    assert cancelled.status == "cancelled" and len(affected) == 2
    assert set(Booking.objects.values_list("status", flat=True)) == {"cancelled"}
    assert AuditEvent.objects.get(verb="cancelled session").changes["bookings cancelled"] == [
        None,
        ["Ada Supervisor", "Ben Supervisor"],
    ]
    with pytest.raises(ValidationError, match="was cancelled"):
        actions.update_session(cancelled, actor=admin, expected_version=None, capacity=5)


def test_a_session_that_has_started_cannot_be_cancelled(course, session, admin):
    with pytest.raises(ValidationError, match="already started"):
        actions.cancel_session(session(course(), days=0), actor=admin, reason="x")


# --- Attendance and completion ----------------------------------------------------------------------------


@pytest.fixture
def held(course, session, people, admin, time_machine):
    """A one-day session held yesterday: Ada and Ben had places, Cat was on the waiting list."""
    time_machine.move_to(datetime.datetime(2026, 11, 10, 10, 0))
    past = session(course(), days=13, capacity=2)
    bookings = [actions.book_place(past, actor=member, staff=staff) for staff, member in people]
    time_machine.move_to(datetime.datetime(2026, 11, 24, 10, 0))
    past.refresh_from_db()
    return past, bookings


def mark(booking, attendance="attended", completed=False, version=None):
    return {"booking": booking, "attendance": attendance, "completed": completed, "version": version or booking.version}


def test_attendance_is_recorded_only_once_the_session_has_started(course, session, people, admin):
    upcoming = session(course())
    ada, login = people[0]
    booking = actions.book_place(upcoming, actor=login, staff=ada)
    with pytest.raises(ValidationError, match="Record attendance once it has started"):
        actions.record_attendance(upcoming, actor=admin, marks=[mark(booking)])


def test_the_register_records_attendance_and_completion(held, admin):
    past, (ada, ben, cat) = held
    changed = actions.record_attendance(
        past,
        actor=admin,
        marks=[mark(ada, completed=True), mark(ben, "did_not_attend"), mark(cat, "")],
        completed_on=D(2026, 11, 23),
    )
    assert len(changed) == 2
    ada.refresh_from_db()
    ben.refresh_from_db()
    assert (ada.attendance, ada.completed_on, ada.version) == ("attended", D(2026, 11, 23), 2)
    assert (ben.attendance, ben.completed_on) == ("did_not_attend", None)
    assert AuditEvent.objects.filter(verb="recorded attendance").count() == 2


def test_only_admins_keep_the_register(held, leader):
    past, (ada, _ben, _cat) = held
    with pytest.raises(PermissionDenied):
        actions.record_attendance(past, actor=leader, marks=[mark(ada)])


def test_someone_from_the_waiting_list_who_came_gets_a_place(held, admin):
    past, (_ada, _ben, cat) = held
    actions.record_attendance(past, actor=admin, marks=[mark(cat)])
    cat.refresh_from_db()
    assert (cat.status, cat.attendance) == ("booked", "attended")


@pytest.mark.parametrize(
    ("completed_on", "message"),
    [
        (None, "Enter the date they completed the course"),
        (D(2026, 11, 22), "The completion date must be on or after the session, 23 November 2026"),
        (D(2026, 11, 25), "The completion date must be today or in the past"),
    ],
)
def test_a_completion_needs_a_sensible_date(held, admin, completed_on, message):
    past, (ada, _ben, _cat) = held
    with pytest.raises(ValidationError) as error:
        actions.record_attendance(past, actor=admin, marks=[mark(ada, completed=True)], completed_on=completed_on)
    assert error.value.message_dict["completed_on"] == [message]


def test_completion_needs_attendance(held, admin):
    past, (ada, _ben, _cat) = held
    with pytest.raises(ValidationError) as error:
        actions.record_attendance(
            past, actor=admin, marks=[mark(ada, "did_not_attend", completed=True)], completed_on=D(2026, 11, 23)
        )
    assert error.value.message_dict[f"completed_{ada.pk}"] == ["Select attended for Ada Supervisor, or untick completed"]


def test_an_earlier_completion_date_is_kept_and_unticking_clears_it(held, admin):
    past, (ada, _ben, _cat) = held
    actions.record_attendance(past, actor=admin, marks=[mark(ada, completed=True)], completed_on=D(2026, 11, 23))
    ada.refresh_from_db()
    actions.record_attendance(past, actor=admin, marks=[mark(ada, completed=True)], completed_on=D(2026, 11, 24))
    ada.refresh_from_db()
    assert ada.completed_on == D(2026, 11, 23)
    actions.record_attendance(past, actor=admin, marks=[mark(ada, completed=False)])
    ada.refresh_from_db()
    assert (ada.attendance, ada.completed_on) == ("attended", None)


def test_a_stale_register_is_refused_and_names_who_changed(held, admin, member_with):
    past, (ada, ben, _cat) = held
    fiona = member_with("org_admin", user__full_name="Fiona Gallagher")
    actions.record_attendance(past, actor=fiona, marks=[mark(ada)])
    with pytest.raises(StaleEdit) as stale:
        actions.record_attendance(past, actor=admin, marks=[mark(ada, "did_not_attend", version=1), mark(ben)])
    assert stale.value.changes == [("Ada Supervisor: attendance", "", "Attended")]
    assert str(stale.value.changed_by) == "Fiona Gallagher"
    ben.refresh_from_db()
    assert ben.attendance == ""  # nothing saved


# --- Capacity under concurrency ---------------------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database refuses a second writer instead of queueing it (in a real file, the "
    "IMMEDIATE transaction mode queues it); this runs in the PostgreSQL pass",
)
@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_place_at_once_get_one_place_and_one_waiting(org, admin, course, session, people):
    """Each booking runs in its own thread and connection; the session lock makes the second wait."""
    import threading

    from django_scopes import scopes_disabled

    last = session(course(), capacity=1)
    barrier = threading.Barrier(2)
    results, failures = [], []

    def book(staff, member):
        try:
            with scopes_disabled():
                barrier.wait()
                results.append(actions.book_place(last, actor=member, staff=staff).status)
        except Exception as error:  # reported below, so a thread's failure fails the test
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=pair) for pair in people[:2]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert sorted(results) == ["booked", "waiting"]
    assert Booking.objects.filter(session=last, status="booked").count() == 1


# --- A person's own record ------------------------------------------------------------------------------


def test_a_person_adds_changes_and_removes_training_done_elsewhere(people):
    ada, login = people[0]
    item = actions.add_external_training(
        actor=login, staff=ada, title="Leading change", provider="A university", completed_on=D(2026, 6, 1), hours=Decimal("7.5")
    )
    item = actions.update_external_training(item, actor=login, expected_version=1, hours=Decimal("8"))
    assert item.version == 2
    pk = item.pk
    actions.delete_external_training(item, actor=login)
    assert not ExternalTraining.objects.exists()
    verbs = list(AuditEvent.objects.filter(target_id=str(pk)).order_by("at").values_list("verb", flat=True))
    assert verbs == ["added training done elsewhere", "updated", "deleted training done elsewhere"]


def test_training_done_elsewhere_is_in_the_past(people):
    ada, login = people[0]
    with pytest.raises(ValidationError) as error:
        actions.add_external_training(
            actor=login, staff=ada, title="x", provider="y", completed_on=D(2026, 11, 25), hours=Decimal("1")
        )
    assert error.value.message_dict["completed_on"] == ["The date must be today or in the past"]


def test_only_the_person_and_admins_change_a_training_record(people, admin, person, member_with):
    (ada, _ada_login), (_ben, ben_login) = people[:2]
    manager = member_with("practice_supervisor")
    boss = person("Boss", membership=manager)
    workforce_actions.update_staff_record(ada, actor=admin, expected_version=ada.version, line_manager=boss)
    ada.refresh_from_db()
    fields = {"title": "x", "provider": "y", "completed_on": D(2026, 1, 1), "hours": Decimal("1")}
    for member in (ben_login, manager):
        with pytest.raises(PermissionDenied):
            actions.add_external_training(actor=member, staff=ada, **fields)
    assert actions.add_external_training(actor=admin, staff=ada, **fields).created_by == admin


def test_who_sees_a_training_record(people, admin, leader, person, member_with):
    (ada, ada_login), (_ben, ben_login) = people[:2]
    manager = member_with("practice_supervisor")
    boss = person("Boss", membership=manager)
    workforce_actions.update_staff_record(ada, actor=admin, expected_version=ada.version, line_manager=boss)
    ada.refresh_from_db()
    record = TrainingRecord(organisation=ada.organisation, staff=ada)
    allowed = {m: policy.allows(m, "learning.view_record", record) for m in (ada_login, manager, admin, ben_login, leader)}
    assert allowed == {ada_login: True, manager: True, admin: True, ben_login: False, leader: False}


def test_only_the_person_shares_their_record_with_their_mentor(people, admin):
    ada, login = people[0]
    with pytest.raises(PermissionDenied):
        actions.share_with_mentor(ada, actor=admin, shared=True)
    record = actions.share_with_mentor(ada, actor=login, shared=True)
    assert record.shared_with_mentor is True
    assert actions.share_with_mentor(ada, actor=login, shared=True).pk == record.pk
    actions.share_with_mentor(ada, actor=login, shared=False)
    assert events(record) == ["shared training record with mentor", "stopped sharing with mentor"]
    assert TrainingSession.objects.count() == 0


def test_a_place_on_the_waiting_list_also_stops_a_second_session_of_the_course(course, session, people, admin):
    reflective = course()
    full, later = session(reflective, days=7, capacity=1), session(reflective, days=40)
    (ada, ada_login), (ben, ben_login) = people[:2]
    actions.book_place(full, actor=ada_login, staff=ada)
    actions.book_place(full, actor=ben_login, staff=ben)
    with pytest.raises(ValidationError) as error:
        actions.book_place(later, actor=ben_login, staff=ben)
    assert error.value.message_dict["staff"][0].startswith(
        "You are already on the waiting list for Reflective supervision skills on 1 December 2026."
    )
