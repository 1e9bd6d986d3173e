import datetime
import html as html_module
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.client import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trellis.learning import actions
from trellis.learning.models import Booking, Course, ExternalTraining, TrainingRecord, TrainingSession
from trellis.workforce import actions as workforce_actions

from .conftest import D

ORG = "northshire"


def url(name, *args):
    return reverse(f"learning:{name}", args=[ORG, *args])


def days(n):
    return datetime.date(2026, 11, 24) + datetime.timedelta(days=n)


def text(response):
    return html_module.unescape(response.content.decode())


def errors(response):
    return re.findall(r'<a href="#[^"]*">([^<]+)</a>', response.content.decode().split("govuk-error-summary__list")[-1])


@pytest.fixture
def me(person, supervisor):
    """The signed-in practice supervisor's own staff record."""
    return person("Priya Supervisor", membership=supervisor)


# --- The catalogue ------------------------------------------------------------------------------------


def test_the_catalogue_starts_with_the_default_core_training(client_for, practitioner, org):
    response = client_for(practitioner).get(url("catalogue"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Core training for practice supervisors" in html
    assert "Reflective supervision skills" in html and "Understanding and using performance information" in html
    assert "Add a course" not in html
    assert Course.objects.filter(organisation=org).count() == 5


def test_the_catalogue_filters_by_standard(client_for, admin, course, frameworks):
    seven = frameworks["practice-supervisor-kss"]["7"]
    course("Emotional intelligence in supervision", standards=[seven])
    course("Budgets for supervisors")
    response = client_for(admin).get(url("catalogue"), {"standard": str(seven.pk)})
    html = response.content.decode()
    assert "Emotional intelligence in supervision" in html and "Budgets for supervisors" not in html
    assert "PS KSS: 7" in html


def test_retired_courses_are_listed_apart_for_admins(client_for, admin, supervisor, course):
    old = course("Old course")
    actions.update_course(old, actor=admin, expected_version=1, status="retired")
    assert "Old course" not in client_for(admin).get(url("catalogue")).content.decode()
    assert "Old course" in client_for(admin).get(url("catalogue"), {"show": "retired"}).content.decode()
    # A supervisor cannot ask for them: the choice is not theirs, so the filter is ignored.
    assert "Old course" not in client_for(supervisor).get(url("catalogue"), {"show": "retired"}).content.decode()


# --- Courses ----------------------------------------------------------------------------------------


def course_data(**overrides):
    data = {
        "title": "Leading through change",
        "summary": "How to lead a team through a restructure.",
        "audience": "Practice supervisors.",
        "provider": "An external trainer",
        "hours": "6",
        "is_core": "",
    }
    data.update(overrides)
    return data


def test_an_admin_adds_a_course_linked_to_standards(client_for, admin, frameworks):
    four = frameworks["practice-supervisor-kss"]["4"]
    client = client_for(admin)
    form = client.get(url("course-add")).content.decode()
    assert "PS KSS (2018)" in form and "4. PS KSS standard 4" in form
    response = client.post(url("course-add"), course_data(standards=[str(four.pk)]))
    added = Course.objects.get(title="Leading through change")
    assert response.status_code == 302 and response["Location"] == url("course", added.pk)
    assert list(added.standards.all()) == [four]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Enter the course title"),
        ({"summary": " "}, "Enter what the course covers"),
        ({"audience": ""}, "Enter who the course is for"),
        ({"provider": ""}, "Enter who provides the course"),
        ({"hours": ""}, "Enter the length in hours"),
        ({"hours": "a day"}, "Hours must be a number, like 3 or 1.5"),
        ({"hours": "0"}, "Hours must be 0.5 or more"),
        ({"hours": "1.25"}, "Hours must be in whole or half hours, like 1.5"),
    ],
)
def test_a_course_form_says_what_to_fix(client_for, admin, overrides, message):
    response = client_for(admin).post(url("course-add"), course_data(**overrides))
    assert response.status_code == 200
    assert message in errors(response)
    assert "<title>Error: " in response.content.decode()
    assert not Course.objects.filter(title="Leading through change").exists()


def test_a_duplicate_title_is_explained_next_to_the_title(client_for, admin, course):
    course("Leading through change")
    response = client_for(admin).post(url("course-add"), course_data())
    assert errors(response) == ["There is already a course called ‘Leading through change’. Give this one a different title."]


def test_a_second_editor_is_told_what_changed_and_keeps_their_input(client_for, admin, member_with, course):
    added = course()
    actions.update_course(added, actor=member_with("org_admin", user__full_name="Fiona Gallagher"), expected_version=1, hours=3)
    data = course_data(title="Reflective supervision", version="1", status="offered")
    response = client_for(admin).post(url("course-edit", added.pk), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fiona Gallagher changed this after you opened it" in html
    assert 'value="Reflective supervision"' in html
    assert Course.objects.get().title == "Reflective supervision skills"
    assert client_for(admin).post(url("course-edit", added.pk), {**data, "version": "2"}).status_code == 302
    assert Course.objects.get().title == "Reflective supervision"


# --- Sessions -----------------------------------------------------------------------------------------


def session_data(**overrides):
    data = {
        "date_day": "3",
        "date_month": "12",
        "date_year": "2026",
        "start_time": "9.30am",
        "end_time": "16:00",
        "mode": "in_person",
        "location": "Room 4, County Hall",
        "capacity": "12",
        "facilitator": "Helen Marsden",
    }
    data.update(overrides)
    return data


def test_an_admin_adds_a_session(client_for, admin, course):
    added = course()
    response = client_for(admin).post(url("session-add", added.pk), session_data())
    session = TrainingSession.objects.get()
    assert response["Location"] == url("session", session.pk)
    assert (session.date, session.start_time, session.end_time) == (D(2026, 12, 3), datetime.time(9, 30), datetime.time(16))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date_day": ""}, "Date must include a day, month and year"),
        ({"date_day": "", "date_month": "", "date_year": ""}, "Enter the date of the session"),
        ({"start_time": ""}, "Enter the start time"),
        ({"start_time": "half nine"}, "Enter the start time as a time, like 9:30am or 14:00"),
        ({"start_time": "9"}, "Enter the start time as a time, like 9:30am or 14:00"),
        ({"end_time": "9am"}, "The end time must be after the start time, 9:30am"),
        (
            {"end_date_day": "3", "end_date_month": "12", "end_date_year": "2026"},
            "The last day must be after the first day, 3 December 2026",
        ),
        ({"mode": ""}, "Select in person or online"),
        ({"location": ""}, "Enter where the session takes place"),
        ({"capacity": "0"}, "There must be at least 1 place"),
        ({"capacity": "twelve"}, "Places must be a whole number, like 12"),
    ],
)
def test_a_session_form_says_what_to_fix(client_for, admin, course, overrides, message):
    response = client_for(admin).post(url("session-add", course().pk), session_data(**overrides))
    assert response.status_code == 200
    assert message in errors(response)
    assert not TrainingSession.objects.exists()


def test_times_people_type_are_understood(client_for, admin, course):
    from trellis.learning.forms import parse_time

    assert parse_time("2pm") == datetime.time(14)
    assert parse_time("12.15 p.m.") == datetime.time(12, 15)
    assert parse_time("12am") == datetime.time(0)
    assert parse_time("midday") == datetime.time(12)
    assert parse_time("09:05") == datetime.time(9, 5)
    assert parse_time("13pm") is None and parse_time("9:75") is None and parse_time("24:00") is None


def test_fewer_places_than_people_booked_is_explained(client_for, admin, course, session, person):
    upcoming = session(course(), days=9, capacity=2)
    for name in ("Ada", "Ben"):
        actions.book_place(upcoming, actor=admin, staff=person(name))
    response = client_for(admin).post(url("session-edit", upcoming.pk), session_data(capacity="1", version="1"))
    assert errors(response) == [
        "2 people have places, so there must be at least 2 places. Cancel some bookings first to have fewer."
    ]


def test_cancelling_a_session_needs_a_reason(client_for, admin, course, session):
    upcoming = session(course())
    client = client_for(admin)
    assert errors(client.post(url("session-cancel", upcoming.pk), {"reason": "", "version": "1"})) == [
        "Enter why the session is cancelled"
    ]
    response = client.post(url("session-cancel", upcoming.pk), {"reason": "Trainer unwell", "version": "1"}, follow=True)
    assert "Session cancelled. 0 bookings cancelled with it." in response.content.decode()
    assert "This session was cancelled: Trainer unwell" in response.content.decode()


# --- Booking ------------------------------------------------------------------------------------------


def test_a_supervisor_books_a_place_from_the_course_page(client_for, supervisor, me, course, session):
    upcoming = session(course(), capacity=1)
    client = client_for(supervisor)
    page = client.get(url("course", upcoming.course_id)).content.decode()
    assert "1 of 1 left" in page and "Book a place" in page
    confirm = client.get(url("book", upcoming.pk)).content.decode()
    assert "Confirm booking" in confirm and "8 December 2026" in confirm
    response = client.post(url("book", upcoming.pk), follow=True)
    html = response.content.decode()
    assert "You have a place on Reflective supervision skills: 8 December 2026, 9:30am to 4pm." in html
    assert "Cancel your booking" in html
    assert Booking.objects.get().staff == me


def test_a_full_session_offers_the_waiting_list(client_for, supervisor, me, admin, person, course, session):
    full = session(course(), capacity=1)
    actions.book_place(full, actor=admin, staff=person("Ada"))
    client = client_for(supervisor)
    assert "Join the waiting list" in client.get(url("book", full.pk)).content.decode()
    html = client.post(url("book", full.pk), follow=True).content.decode()
    assert "the session is full, so you are on the waiting list" in html.lower()
    assert "You are number 1 on the waiting list" in html


def test_a_refused_booking_is_explained(client_for, supervisor, me, course, session):
    upcoming = session(course())
    client = client_for(supervisor)
    client.post(url("book", upcoming.pk))
    response = client.post(url("book", upcoming.pk))
    assert response.status_code == 200
    assert "You already have a place for this session." in response.content.decode()
    assert Booking.objects.count() == 1


def test_someone_without_a_staff_record_is_told_why_they_cannot_book(client_for, practitioner, course, session):
    upcoming = session(course())
    client = client_for(practitioner)
    assert "not linked to a record" in client.get(url("book", upcoming.pk)).content.decode()
    assert client.post(url("book", upcoming.pk)).status_code == 200
    assert not Booking.objects.exists()
    assert "not linked to a record" in client.get(url("my-training")).content.decode()


def test_an_admin_books_someone_and_cancelling_gives_the_place_to_the_waiting_list(client_for, admin, person, course, session):
    full = session(course(), capacity=1)
    ada, ben = person("Ada Able"), person("Ben Baker")
    client = client_for(admin)
    assert errors(client.post(url("book-someone", full.pk), {})) == ["Select the person to book"]
    client.post(url("book-someone", full.pk), {"staff": str(ada.pk)})
    html = client.post(url("book-someone", full.pk), {"staff": str(ben.pk)}, follow=True).content.decode()
    assert "The session is full, so Ben Baker is on the waiting list." in html
    place = Booking.objects.get(staff=ada)
    html = text(client.post(url("booking-cancel", place.pk), follow=True))
    assert "Ada Able's booking on Reflective supervision skills is cancelled." in html
    assert "The place went to Ben Baker, the first on the waiting list." in html
    assert Booking.objects.get(staff=ben).status == "booked"


def test_cancelling_returns_to_the_page_it_came_from_only_within_the_organisation(client_for, supervisor, me, course, session):
    upcoming = session(course())
    booking = actions.book_place(upcoming, actor=supervisor, staff=me)
    client = client_for(supervisor)
    response = client.post(url("booking-cancel", booking.pk), {"next": "https://evil.example/"})
    assert response["Location"] == url("session", upcoming.pk)
    booking = actions.book_place(upcoming, actor=supervisor, staff=me)
    response = client.post(url("booking-cancel", booking.pk), {"next": url("my-training")})
    assert response["Location"] == url("my-training")


# --- The register ---------------------------------------------------------------------------------------


@pytest.fixture
def held(admin, person, course, session, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 1, 10, 0))
    past = session(course(), days=20, capacity=3)
    bookings = [actions.book_place(past, actor=admin, staff=person(name)) for name in ("Ada Able", "Ben Baker")]
    time_machine.move_to(datetime.datetime(2026, 11, 24, 10, 0))
    return past, bookings


def register_data(bookings, **marks):
    data = {"completed_on_day": "21", "completed_on_month": "11", "completed_on_year": "2026"}
    for booking in bookings:
        data[f"version_{booking.pk}"] = str(booking.version)
        attendance, completed = marks.get(booking.staff.full_name.split()[0].lower(), ("", False))
        data[f"attendance_{booking.pk}"] = attendance
        if completed:
            data[f"completed_{booking.pk}"] = "on"
    return data


def test_an_admin_keeps_the_register(client_for, admin, held):
    past, (ada, ben) = held
    client = client_for(admin)
    page = client.get(url("register", past.pk)).content.decode()
    assert "Attendance: Ada Able" in page and 'value="21"' in page
    data = register_data([ada, ben], ada=("attended", True), ben=("did_not_attend", False))
    html = client.post(url("register", past.pk), data, follow=True).content.decode()
    assert "Register saved: 2 people updated." in html
    ada.refresh_from_db()
    assert ada.completed_on == D(2026, 11, 21)


def test_a_register_mistake_is_shown_against_the_person(client_for, admin, held):
    past, (ada, ben) = held
    response = client_for(admin).post(url("register", past.pk), register_data([ada, ben], ada=("did_not_attend", True)))
    assert errors(response) == ["Select attended for Ada Able, or untick completed"]
    assert f'href="#id_completed_{ada.pk}"' in response.content.decode()


def test_a_stale_register_keeps_what_was_ticked(client_for, admin, member_with, held):
    past, (ada, ben) = held
    data = register_data([ada, ben], ada=("attended", False), ben=("attended", False))
    actions.record_attendance(
        past,
        actor=member_with("org_admin", user__full_name="Fiona Gallagher"),
        marks=[{"booking": ben, "attendance": "did_not_attend", "completed": False, "version": 1}],
    )
    response = client_for(admin).post(url("register", past.pk), data)
    html = response.content.decode()
    assert "Fiona Gallagher changed this after you opened it" in html
    assert "Ben Baker: attendance" in html
    assert f'name="version_{ben.pk}" value="2"' in html
    assert Booking.objects.get(pk=ada.pk).attendance == ""


def test_an_upcoming_sessions_register_waits_for_the_day(client_for, admin, course, session):
    upcoming = session(course())
    assert "once the session has started" in client_for(admin).get(url("register", upcoming.pk)).content.decode()


# --- Training records -------------------------------------------------------------------------------------


def test_my_training_shows_bookings_core_training_and_hours(client_for, supervisor, me, admin, course, session, held):
    past, _bookings = held
    mine = actions.book_place(past, actor=admin, staff=me)
    actions.record_attendance(
        past,
        actor=admin,
        marks=[{"booking": mine, "attendance": "attended", "completed": True, "version": 1}],
        completed_on=D(2026, 11, 21),
    )
    upcoming = session(course("Understanding performance information", hours=Decimal("3")), days=20)
    actions.book_place(upcoming, actor=supervisor, staff=me)
    actions.add_external_training(
        actor=supervisor,
        staff=me,
        title="Research in Practice webinar",
        provider="RiP",
        completed_on=D(2026, 9, 1),
        hours=Decimal("1.5"),
    )
    html = client_for(supervisor).get(url("my-training")).content.decode()
    assert "7.5 hours of training in the last 12 months: 6 hours on our courses and 1.5 hours elsewhere." in html
    assert "1 of 6 completed." in html  # the two here, and the four other default courses
    assert "Completed 21 Nov 2026" in html
    assert "Booked for 14 December 2026" in html
    assert "Research in Practice webinar" in html
    assert "Share my training record with my mentor or coach" in html


def test_a_line_manager_reads_their_reports_record_and_nobody_else_does(client_for, admin, person, member_with, me, supervisor):
    report = person("Rory Report", stage="Senior or advanced practitioner")
    workforce_actions.update_staff_record(report, actor=admin, expected_version=report.version, line_manager=me)
    page = client_for(supervisor).get(url("my-training")).content.decode()
    assert "People you line manage" in page and "Rory Report" in page
    assert client_for(supervisor).get(url("record", report.pk)).status_code == 200
    assert client_for(member_with("practice_supervisor")).get(url("record", report.pk)).status_code == 403
    assert client_for(member_with("senior_leader")).get(url("record", report.pk)).status_code == 403


def test_your_own_record_by_its_address_is_my_training(client_for, supervisor, me):
    assert client_for(supervisor).get(url("record", me.pk))["Location"] == url("my-training")


def test_a_person_records_training_done_elsewhere(client_for, supervisor, me):
    client = client_for(supervisor)
    data = {
        "title": "Leading change",
        "provider": "A university",
        "completed_on_day": "1",
        "completed_on_month": "6",
        "completed_on_year": "2026",
        "hours": "7.5",
    }
    assert errors(client.post(url("external-add", me.pk), {**data, "title": "", "hours": "x"})) == [
        "Enter the title of the training",
        "Hours must be a number, like 3 or 1.5",
    ]
    assert errors(client.post(url("external-add", me.pk), {**data, "completed_on_year": "2027"})) == [
        "The date must be today or in the past"
    ]
    response = client.post(url("external-add", me.pk), data)
    assert response["Location"] == url("my-training") + "#elsewhere"
    item = ExternalTraining.objects.get()
    client.post(url("external-edit", item.pk), {**data, "hours": "8", "version": "1"})
    item.refresh_from_db()
    assert item.hours == Decimal("8")
    client.post(url("external-delete", item.pk))
    assert not ExternalTraining.objects.exists()


def test_sharing_with_a_mentor_is_the_persons_choice(client_for, supervisor, me):
    client = client_for(supervisor)
    html = client.post(url("sharing"), {"shared": "on"}, follow=True).content.decode()
    assert "Your mentor or coach can now see your training record." in html
    assert TrainingRecord.objects.get(staff=me).shared_with_mentor is True
    client.post(url("sharing"), {})
    assert TrainingRecord.objects.get(staff=me).shared_with_mentor is False


# --- Completion of core training ---------------------------------------------------------------------------


@pytest.fixture
def completed_by_ada(admin, person, team, course, session, time_machine):
    north = team("North")
    ada, ben = person("Ada Able", team=north), person("Ben Baker", team=north)
    person("Pat Practitioner", stage="Social worker", team=north)  # not a supervisor: not counted
    time_machine.move_to(datetime.datetime(2026, 11, 1, 10, 0))
    core = course("Our supervision model")
    past = session(core, days=10)
    booking = actions.book_place(past, actor=admin, staff=ada)
    time_machine.move_to(datetime.datetime(2026, 11, 24, 10, 0))
    actions.record_attendance(
        past,
        actor=admin,
        marks=[{"booking": booking, "attendance": "attended", "completed": True, "version": 1}],
        completed_on=D(2026, 11, 11),
    )
    actions.book_place(session(core, days=5), actor=admin, staff=ben)
    return ada, ben


def test_leaders_see_counts_per_team_and_admins_see_names(client_for, admin, leader, completed_by_ada):
    html = client_for(leader).get(url("completion")).content.decode()
    row = re.search(r"<th scope=\"row\" class=\"govuk-table__header\">North</th>(.*?)</tr>", html, re.S)[1]
    # People, then each core course (ours, then the four other defaults, alphabetically), then every course.
    assert re.findall(r">(\d+)<", row) == ["2", "1", "0", "0", "0", "0", "0"]
    assert "50% (1 of 2)" in html
    assert "Ada Able" not in html and "Who has completed what" not in html
    admin_html = client_for(admin).get(url("completion")).content.decode()
    assert "Ada Able" in admin_html and "Booked for 29 Nov 2026" in admin_html


# --- The panel for "My development" ----------------------------------------------------------------------


def render_panel(membership, person):
    request = RequestFactory().get("/")
    template = Template("{% load learning %}{% learning_panel person %}")
    return template.render(
        Context({"membership": membership, "organisation": membership.organisation, "person": person, "request": request})
    )


def test_the_panel_shows_bookings_and_completions_to_who_may_see_them(supervisor, me, admin, member_with, completed_by_ada):
    ada, ben = completed_by_ada
    html = render_panel(admin, ada)
    assert "1 of 1 core course completed" in html and "Our supervision model, 11 Nov 2026" in html
    assert "See Ada Able's training record" in html_module.unescape(html)
    assert "Our supervision model, 29 Nov 2026" in render_panel(admin, ben)
    assert render_panel(member_with("practice_supervisor"), ada).strip() == ""
    assert "See your training record" in render_panel(supervisor, me)


def test_the_panel_query_count_does_not_grow(admin, person, course, session):
    ada = person("Ada Able")
    render_panel(admin, ada)
    with CaptureQueriesContext(connection) as few:
        render_panel(admin, ada)
    for n in range(4):
        upcoming = session(course(f"Course {n}"), days=10 + n)
        actions.book_place(upcoming, actor=admin, staff=ada)
        actions.add_external_training(
            actor=admin, staff=ada, title=f"Webinar {n}", provider="RiP", completed_on=D(2026, 10, 1), hours=Decimal("1")
        )
    with CaptureQueriesContext(connection) as many:
        html = render_panel(admin, ada)
    assert "Course 3" in html
    assert len(many) == len(few)


# --- Query counts ------------------------------------------------------------------------------------------


def grow(admin, person, course, session, me, n, tag, start=30):
    """n more courses, each with a past session (attendance and completions) and an upcoming one; n
    more people booked on them; and more bookings and training for `me`."""
    from django.utils import timezone

    people = [person(f"{tag} person {i}") for i in range(n)]
    first = None
    for i in range(n):
        added = course(f"{tag} course {i}")
        past = TrainingSession.objects.create(
            organisation=admin.organisation,
            course=added,
            date=timezone.localdate() - datetime.timedelta(days=start + i),
            start_time=datetime.time(9, 30),
            end_time=datetime.time(12, 0),
            mode="online",
            capacity=n + 2,
        )
        bookings = [actions.book_place(past, actor=admin, staff=p) for p in [*people, me]]
        actions.record_attendance(
            past,
            actor=admin,
            marks=[{"booking": b, "attendance": "attended", "completed": True, "version": b.version} for b in bookings],
            completed_on=past.date,
        )
        upcoming = session(added, days=start + 10 + i, capacity=n)
        for p in [*people, me][: n + 1]:
            actions.book_place(upcoming, actor=admin, staff=p)
        actions.add_external_training(
            actor=admin, staff=me, title=f"{tag} webinar {i}", provider="RiP", completed_on=D(2026, 10, 1), hours=Decimal("1")
        )
        first = first or (added, past, upcoming)
    return first


PAGES = ["catalogue", "course", "session", "register", "session-list", "my-training", "record", "completion"]


@pytest.mark.parametrize("name", PAGES)
def test_query_counts_do_not_grow_with_rows(client_for, admin, person, course, session, name):
    me = person("Alex Admin", membership=admin)
    other = person("Somebody Else")
    added, past, upcoming = grow(admin, person, course, session, me, 2, "Small")
    addresses = {
        "course": url("course", added.pk),
        "session": url("session", upcoming.pk),
        "register": url("register", past.pk),
        "record": url("record", other.pk),
    }
    address = addresses.get(name) or url(name)
    client = client_for(admin)
    client.get(address)  # warm up: the session, the default catalogue
    with CaptureQueriesContext(connection) as few:
        assert client.get(address).status_code == 200
    grow(admin, person, course, session, me, 6, "Large", start=100)
    for n in range(4):  # more sessions of the same course, more people on the same sessions
        extra = session(added, days=60 + n, capacity=3)
        actions.book_place(extra, actor=admin, staff=person(f"Extra {n}"))
    actions.update_session(upcoming, actor=admin, expected_version=None, capacity=10)
    for n in range(4):
        actions.book_place(upcoming, actor=admin, staff=person(f"Late {n}"))
    with CaptureQueriesContext(connection) as many:
        assert client.get(address).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# --- Every page is strict -----------------------------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTR = re.compile(r"\sstyle=", re.IGNORECASE)


def test_every_learning_page_is_strict_with_one_h1_and_a_title(client_for, admin, person, course, session, held):
    me = person("Alex Admin", membership=admin)
    past, (ada, _ben) = held
    upcoming = session(course("Another course"))
    booking = actions.book_place(upcoming, actor=admin, staff=me)
    item = actions.add_external_training(
        actor=admin, staff=me, title="Webinar", provider="RiP", completed_on=D(2026, 10, 1), hours=Decimal("1")
    )
    pages = [
        url("catalogue"),
        url("course", upcoming.course_id),
        url("course-add"),
        url("course-edit", upcoming.course_id),
        url("session-add", upcoming.course_id),
        url("session-list"),
        url("session-list") + "?show=past",
        url("session", upcoming.pk),
        url("session", past.pk),
        url("session-edit", upcoming.pk),
        url("session-cancel", upcoming.pk),
        url("book", upcoming.pk),
        url("book-someone", upcoming.pk),
        url("register", past.pk),
        url("booking-cancel", booking.pk),
        url("my-training"),
        url("record", ada.staff_id),
        url("external-add", me.pk),
        url("external-edit", item.pk),
        url("external-delete", item.pk),
        url("completion"),
    ]
    client = client_for(admin)
    for address in pages:
        response = client.get(address)
        assert response.status_code == 200, address
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), address
        assert not STYLE_ATTR.search(html), address
        assert html.count("<h1") == 1, address
        assert re.search(r"<title>[^<]+ – Trellis</title>", html), address
