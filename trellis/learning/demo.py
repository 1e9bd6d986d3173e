"""Demo training for a demo organisation: the default catalogue, two years of sessions with registers,
and sessions coming up, one of them full with a waiting list.

Run after the demo workforce (it books the organisation's practice supervisors). Tom has completed
most of the core training, Aisha (seven months in post) some of it, and Lucy (three months) is booked
on the next sessions. Deterministic (a seeded generator per organisation), dates relative to today,
and written through the learning actions, so bookings, the waiting list and the audit trail are real.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from trellis.tenancy.models import Role
from trellis.workforce.models import StaffRecord

from . import actions
from .models import Booking, Course

# Per default course: (place, facilitator, capacity, start, end, days over which it runs), and its
# past sessions in weeks before today. The demo people's own histories are added below.
RUNS = {
    "supervision-model": ("Room 2, Civic Centre", "Workforce development team", 14, (9, 30), (12, 30), 1, [108, 62, 22]),
    "reflective-supervision-skills": ("Training suite, Riverside House", "Dr Sarah Kemp", 12, (9, 30), (16, 0), 2, [98, 52, 17]),
    "roles-and-responsibilities": ("Online", "Principal Social Worker", 16, (13, 30), (16, 30), 1, [86, 40, 13]),
    "performance-management": (
        "Room 2, Civic Centre",
        "Workforce development team with HR",
        12,
        (9, 30),
        (16, 0),
        1,
        [76, 30, 9],
    ),
    "performance-information": ("Online", "Performance and intelligence team", 16, (10, 0), (13, 0), 1, [70, 26]),
}
# Weeks ahead for the next session of each course; roles and responsibilities is the full one.
NEXT = {
    "supervision-model": 3,
    "reflective-supervision-skills": 6,
    "roles-and-responsibilities": 4,
    "performance-management": 9,
    "performance-information": 5,
}
ELSEWHERE = [
    ("Research in Practice webinar: reflective supervision", "Research in Practice", 1.5),
    ("Leading through change (university module)", "University of the North", 30),
    ("Multi-agency safeguarding partnership learning event", "Safeguarding partnership", 3),
    ("Data protection refresher (e-learning)", "Information governance team", 1),
    ("Practice educator stage 1", "Teaching partnership", 24),
]


def _weekday(day):
    """Move forward to a Tuesday, Wednesday or Thursday: when training days are usually run."""
    while day.weekday() not in (1, 2, 3):
        day += datetime.timedelta(days=1)
    return day


def _session(course, actor, day, run, capacity=None):
    place, facilitator, default_capacity, start, end, length, _past = run
    online = place == "Online"
    return actions.create_session(
        course,
        actor=actor,
        date=day,
        end_date=day + datetime.timedelta(days=length - 1) if length > 1 else None,
        start_time=datetime.time(*start),
        end_time=datetime.time(*end),
        mode="online" if online else "in_person",
        location="Teams link sent the week before" if online else place,
        capacity=capacity or default_capacity,
        facilitator=facilitator,
        notes="Bring a supervision agreement or record (anonymised) you would like to talk about." if length > 1 else "",
    )


def _register(session, actor, rng, keep=()):
    """Everyone attended and completed, except a few who did not attend; people in `keep` always complete."""
    marks = []
    for booking in Booking.objects.filter(session=session, status=Booking.Status.BOOKED).select_related("staff"):
        came = booking.staff.pk in keep or rng.random() < 0.9
        marks.append(
            {
                "booking": booking,
                "attendance": "attended" if came else "did_not_attend",
                "completed": came,
                "version": booking.version,
            }
        )
    actions.record_attendance(session, actor=actor, marks=marks, completed_on=session.last_day)


def _person(members, key):
    membership = members.get(key)
    return StaffRecord.objects.filter(membership=membership).first() if membership is not None else None


def load(organisation, members):
    """Write the demo training. `members` maps load_demo's keys (first names) to Memberships."""
    rng = random.Random(f"trellis-learning-demo-{organisation.slug}")
    today = timezone.localdate()
    admin = next(m for m in members.values() if m.has_role(Role.ORG_ADMIN))
    actions.ensure_default_catalogue(organisation)
    courses = {c.default_key: c for c in Course.objects.filter(organisation=organisation).exclude(default_key="")}
    supervisors = list(
        StaffRecord.objects.filter(organisation=organisation)
        .current(today)
        .with_current_stage()
        .filter(current_stage_supervisory=True)
        .order_by("employee_ref")
    )
    tom, aisha, lucy = (_person(members, key) for key in ("tom", "aisha", "lucy"))
    # The demo people's histories: Tom has done all but performance information; Aisha the first two.
    chosen = {
        "supervision-model": [p for p in (tom, aisha) if p],
        "reflective-supervision-skills": [p for p in (tom, aisha) if p],
        "roles-and-responsibilities": [p for p in (tom,) if p],
        "performance-management": [p for p in (tom,) if p],
        "performance-information": [],
    }
    sessions = bookings = 0
    for key, run in RUNS.items():
        course = courses.get(key)
        if course is None:
            continue
        done = set()
        for index, weeks in enumerate(run[-1]):
            day = _weekday(today - datetime.timedelta(weeks=weeks))
            session = _session(course, admin, day, run)
            sessions += 1
            # Demo people come to the session that suits their time in post: Tom early, Aisha recently.
            wanted = [p for p in chosen[key] if p not in done and _fits(p, key, index, len(run[-1]), tom)]
            others = [p for p in supervisors if p.start_date <= day and p not in done and p not in (tom, aisha, lucy)]
            # A few people each time, so some supervisors have not done every course yet.
            seats = min(session.capacity - len(wanted), rng.randint(3, 6))
            for person in wanted + rng.sample(others, min(len(others), max(seats, 0))):
                actions.book_place(session, actor=admin, staff=person)
                done.add(person)
                bookings += 1
            _register(session, admin, rng, keep={p.pk for p in wanted})

    # A session held in the last week whose register nobody has filled in yet.
    if "performance-management" in courses:
        last_week = _weekday(today - datetime.timedelta(days=7))  # always a day or more ago
        recent = _session(courses["performance-management"], admin, last_week, RUNS["performance-management"], capacity=8)
        sessions += 1
        for person in rng.sample([p for p in supervisors if p not in (tom, aisha, lucy)], min(5, len(supervisors))):
            actions.book_place(recent, actor=admin, staff=person)
            bookings += 1

    # What is coming up: Lucy books her first courses; Tom his last core course; roles and
    # responsibilities is full, with a waiting list that moved up when someone cancelled.
    upcoming = {}
    for key, weeks in NEXT.items():
        if key in courses:
            capacity = 8 if key == "roles-and-responsibilities" else None
            upcoming[key] = _session(courses[key], admin, _weekday(today + datetime.timedelta(weeks=weeks)), RUNS[key], capacity)
            sessions += 1
    own = [(lucy, "supervision-model"), (lucy, "reflective-supervision-skills"), (tom, "performance-information")]
    for person, key in own:
        if person is not None and key in upcoming:
            actions.book_place(upcoming[key], actor=person.membership, staff=person)
            bookings += 1
    full = upcoming.get("roles-and-responsibilities")
    if full is not None:
        queue = [p for p in supervisors if p not in (tom, aisha, lucy)]
        rng.shuffle(queue)
        people = ([aisha] if aisha else []) + queue[: full.capacity + 3]
        made = []
        for person in people:
            # Aisha books herself; the others were booked by the admin, as their managers asked.
            actor = person.membership if person is aisha else admin
            made.append(actions.book_place(full, actor=actor, staff=person))
            bookings += 1
        if len(made) > full.capacity:
            actions.cancel_booking(made[-(len(made) - full.capacity) - 1], actor=admin)  # the last with a place
    for key in ("supervision-model", "reflective-supervision-skills"):
        if key in upcoming:
            for person in rng.sample([p for p in supervisors if p not in (tom, aisha, lucy)], min(4, len(supervisors))):
                actions.book_place(upcoming[key], actor=admin, staff=person)
                bookings += 1
    # One that was cancelled, so people's records show it.
    if "performance-information" in courses:
        cancelled = _session(
            courses["performance-information"],
            admin,
            _weekday(today + datetime.timedelta(weeks=2)),
            RUNS["performance-information"],
        )
        sessions += 1
        for person in rng.sample([p for p in supervisors if p not in (tom, aisha, lucy)], min(3, len(supervisors))):
            actions.book_place(cancelled, actor=admin, staff=person)
        actions.cancel_session(
            cancelled, actor=admin, reason="The trainer is unavailable. Everyone booked has been offered the next session."
        )

    # Training done elsewhere, added by the demo people themselves.
    for person, picks in ((tom, [1, 2, 0]), (aisha, [0, 3]), (lucy, [4])):
        if person is None:
            continue
        for months, pick in enumerate(picks, start=1):
            title, provider, hours = ELSEWHERE[pick]
            actions.add_external_training(
                actor=person.membership,
                staff=person,
                title=title,
                provider=provider,
                completed_on=max(person.start_date, today - datetime.timedelta(days=35 * months + rng.randint(0, 20))),
                hours=Decimal(str(hours)),
            )
    if aisha is not None:
        actions.share_with_mentor(aisha, actor=aisha.membership, shared=True)
    return {"courses": len(courses), "training sessions": sessions, "bookings": bookings}


def _fits(person, key, index, runs, tom):
    """Tom came to the first run of each course soon after he started, except performance
    management, which he did this year; other demo people came to the latest run."""
    if person == tom:
        return index == (1 if key == "performance-management" else 0)
    return index == runs - 1
