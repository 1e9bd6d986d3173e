"""Demo coaching, mentoring and peer support for a demo organisation.

Run after the demo workforce (it needs staff records for the demo members, career stages and line
managers). Deterministic (a seeded generator per organisation), dates relative to today, and written
through the mentoring actions, so the audit trail and versions are real.

Northshire: Helen and Margaret mentor; Margaret mentors Aisha (seven months in post) and Helen coaches
Tom. Riverside: Priya and Niamh; Niamh mentors Lucy (three months in post) and Priya coaches Kwame.
Each organisation has a mentor without a login who is full, an action learning set and a peer
supervision group with sessions, attendance and commitments, and offers coaching and mentoring first
to people from ethnic groups other than White and to disabled people.
"""

import datetime
import random

from django.utils import timezone

from trellis.tenancy.models import Role
from trellis.workforce.models import StaffRecord

from . import actions
from .models import Attendance, Kind, PeerGroup

SPECS = {
    "northshire": {
        "mentors": [("helen", 3, True, True), ("margaret", 2, True, False)],
        "relationships": [
            (
                "margaret",
                "aisha",
                Kind.MENTORING,
                200,
                "Settle into the role of practice supervisor; build confidence in "
                "reflective supervision and in conversations about performance; develop against the standards on "
                "relationship-based practice supervision and the use of power and authority.",
            ),
            (
                "helen",
                "tom",
                Kind.COACHING,
                300,
                "Step up to more strategic partnership working; plan for a team manager role within two years.",
            ),
        ],
        "groups": [
            (
                PeerGroup.Kind.ACTION_LEARNING,
                "New supervisors' action learning set",
                "helen",
                ["aisha", "tom"],
                42,
                "Every 6 weeks, 3 hours",
                "Practice supervisors in their first two years bring a live problem or "
                "dilemma; the set asks open questions and each presenter commits to an action.",
            ),
            (
                PeerGroup.Kind.PEER_SUPERVISION,
                "Adult services peer supervision group",
                "james",
                ["tom"],
                28,
                "Monthly, 2 hours",
                "Supervisors across the adult teams consult each other on supervising staff.",
            ),
        ],
    },
    "riverside": {
        "mentors": [("priya", 3, True, True), ("niamh", 2, True, False)],
        "relationships": [
            (
                "niamh",
                "lucy",
                Kind.MENTORING,
                75,
                "Build a supervision style of her own in a team she used to be a "
                "peer in; evaluate her learning needs against the knowledge and skills statement.",
            ),
            (
                "priya",
                "kwame",
                Kind.COACHING,
                240,
                "Make prompt, evidence-informed decisions at times of high demand "
                "while keeping sight of the team's standard of practice.",
            ),
        ],
        "groups": [
            (
                PeerGroup.Kind.ACTION_LEARNING,
                "Practice supervisors' action learning set",
                "olivia",
                ["lucy", "kwame"],
                42,
                "Every 6 weeks, half a day",
                "New practice supervisors share problems and dilemmas and commit to actions, building a network of support.",
            ),
            (
                PeerGroup.Kind.PEER_SUPERVISION,
                "Children's services peer supervision group",
                "priya",
                ["kwame", "lucy"],
                28,
                "Monthly, 90 minutes",
                "Supervisors consult each other on supervising, so practice is consistent.",
            ),
        ],
    },
}

THEMES = [
    "Settling into the role; managing my time between supervision and the duty rota",
    "Confidence in conversations about performance",
    "Boundaries with colleagues who used to be peers",
    "Using the team's performance data in team meetings",
    "Reflective supervision: slowing down the conversation",
    "Wellbeing and resilience in a busy month",
    "Power and authority as a new manager",
    "Preparing for the service's quality assurance review",
]
ACTIONS = [
    "Mentee: book protected time for each supervision and keep it.\nMentor: share the team's supervision agreement template.",
    "Mentee: plan the next performance conversation using the questions we practised.",
    "Mentee: ask the data analyst for half an hour on the team's dashboard.",
    "Mentee: note one reflective question to open each supervision with.",
    "Mentor: introduce the mentee to a supervisor in another team who has done this.",
    "Mentee: write down what went well this month, and bring it next time.",
]
COMMITMENTS = [
    "Agree a team rule for rearranging cancelled supervision, and share it at the team meeting.",
    "Ask my manager for time to go through the team's performance data together.",
    "Start each supervision by asking how the supervisee is before anything else.",
    "Shadow a peer's group supervision and reflect on what I noticed.",
    "Take two options for covering the duty rota to the service manager.",
    "Plan the difficult conversation with my supervisee using the questions the set asked me.",
    "Book a one-to-one with each new starter in their first week.",
]
OFFER_FIRST = ["ethnic_group:asian", "ethnic_group:black", "ethnic_group:mixed", "ethnic_group:other", "disability:yes"]


def _days_ago(today, days):
    return today - datetime.timedelta(days=days)


def load(organisation, members):
    """Write the demo mentoring and peer groups; `members` maps load_demo's keys to Memberships."""
    spec = SPECS.get(organisation.slug)
    if spec is None:
        return {"mentoring relationships": 0, "peer groups": 0}
    rng = random.Random(f"trellis-mentoring-demo-{organisation.slug}")
    today = timezone.localdate()
    admin = next(m for m in members.values() if m.has_role(Role.ORG_ADMIN))
    records = StaffRecord.objects.filter(organisation=organisation, membership__in=members.values())
    people = {key: next((r for r in records if r.membership_id == m.pk), None) for key, m in members.items()}

    actions.save_offer(actor=admin, offer_first=True, groups=OFFER_FIRST)
    for key, capacity, mentoring, coaching in spec["mentors"]:
        if people.get(key):
            actions.add_mentor(
                actor=admin,
                staff=people[key],
                capacity=capacity,
                offers_mentoring=mentoring,
                offers_coaching=coaching,
                notes="Experienced supervisor; interested in supporting people new to the role.",
            )

    relationships = []
    for mentor_key, mentee_key, kind, days, goals in spec["relationships"]:
        mentor, mentee = people.get(mentor_key), people.get(mentee_key)
        if mentor is None or mentee is None:
            continue
        relationships.append(
            (
                actions.match_mentor(
                    actor=admin,
                    mentor=mentor,
                    mentee=mentee,
                    kind=kind,
                    goals=goals,
                    started_on=max(mentee.start_date, _days_ago(today, days)),
                ),
                members[mentor_key],
                False,
            )
        )
    relationships += _without_logins(organisation, admin, rng, today, people)
    for mentorship, recorder, ends in relationships:
        _sessions(mentorship, recorder, rng, today)
        last = mentorship.sessions.order_by("-held_on").values_list("held_on", flat=True).first()
        if ends and last is not None:
            actions.end_mentorship(
                mentorship, actor=admin, ended_on=last, ending_note="Goals met; both agreed to end after the last session."
            )

    groups = [_group(organisation, admin, rng, today, people, members, *group) for group in spec["groups"]]
    return {"mentoring relationships": len(relationships), "peer groups": len([g for g in groups if g])}


def _supervisors_without_login(organisation):
    return list(
        StaffRecord.objects.filter(organisation=organisation, membership__isnull=True, leaving_date__isnull=True)
        .with_current_stage()
        .with_supervisory_since()
        .filter(current_stage_supervisory=True)
        .order_by("employee_ref")
    )


def _without_logins(organisation, admin, rng, today, people):
    """An experienced supervisor without a login mentors a new one, and is full: admins record their
    sessions. Another new supervisor had coaching that has ended. [(relationship, recorder, ends)]"""
    supervisors = _supervisors_without_login(organisation)
    seasoned = [s for s in supervisors if s.supervisory_since and (today - s.supervisory_since).days > 5 * 365]
    new = [s for s in supervisors if s.in_first_year]
    if not seasoned or not new:
        return []
    mentor, mentee = rng.choice(seasoned), rng.choice(new)
    actions.add_mentor(actor=admin, staff=mentor, capacity=1, notes="Happy to mentor one new supervisor at a time.")
    started = max(mentee.supervisory_since, _days_ago(today, 150))
    mentorship = actions.match_mentor(
        actor=admin,
        mentor=mentor,
        mentee=mentee,
        kind=Kind.MENTORING,
        started_on=started,
        goals="Find their feet as a new practice supervisor; plan their induction with their manager.",
    )
    # A second mentorship that has ended, so the overview shows one.
    others = [s for s in new if s.pk != mentee.pk]
    ended = []
    if others:
        past = others[0]
        start = max(past.supervisory_since, _days_ago(today, 300))
        if (today - start).days > 60:
            coach = people.get("helen") or people.get("priya")
            if coach is not None:
                ended.append(
                    (
                        actions.match_mentor(
                            actor=admin,
                            mentor=coach,
                            mentee=past,
                            kind=Kind.COACHING,
                            started_on=start,
                            goals="Three coaching sessions on leading team meetings.",
                        ),
                        admin,
                        True,
                    )
                )
    return [(mentorship, admin, False), *ended]


def _sessions(mentorship, recorder, rng, today):
    standards = list(actions.standards_for(mentorship.mentee))
    day = mentorship.started_on + datetime.timedelta(days=rng.randint(5, 14))
    while day < today:
        chosen = rng.sample(standards, min(len(standards), rng.randint(1, 2))) if standards else []
        actions.log_session(
            mentorship,
            actor=recorder,
            held_on=day,
            duration_minutes=rng.choice([45, 60, 60, 90]),
            themes=rng.choice(THEMES),
            agreed_actions=rng.choice(ACTIONS),
            standards=chosen,
        )
        day += datetime.timedelta(days=rng.randint(26, 40))


def _group(organisation, admin, rng, today, people, members, kind, name, facilitator_key, member_keys, every, meets, purpose):
    facilitator = people.get(facilitator_key)
    if facilitator is None:
        return None
    started = _days_ago(today, 180)
    group = actions.create_peer_group(
        actor=admin, kind=kind, name=name, facilitator=facilitator, purpose=purpose, meets=meets, started_on=started
    )
    chosen = [people[key] for key in member_keys if people.get(key)]
    others = [s for s in _supervisors_without_login(organisation) if s.pk != facilitator.pk]
    chosen += rng.sample(others, min(len(others), 6 - len(chosen)))
    for person in chosen:
        actions.add_group_member(group, actor=admin, staff=person, joined_on=max(started, person.start_date))
    recorder = members[facilitator_key]
    day = started + datetime.timedelta(days=7)
    while day < today + datetime.timedelta(days=every):
        session = actions.schedule_peer_session(
            group,
            actor=recorder,
            held_on=day,
            starts_at=datetime.time(9, 30),
            place=rng.choice(["Room 2.14, County Hall", "Online"]),
        )
        # The latest past session's attendance is not recorded yet: the facilitator's next job.
        if day < today - datetime.timedelta(days=every // 2):
            _attendance(session, recorder, rng)
        day += datetime.timedelta(days=every)
    return group


def _attendance(session, recorder, rng):
    people = actions.members_on(session)
    presenters = set(rng.sample(range(len(people)), min(2, len(people))))
    rows = []
    for index, person in enumerate(people):
        presented = index in presenters
        status = (
            Attendance.Status.ATTENDED
            if presented or rng.random() < 0.8
            else rng.choice([Attendance.Status.APOLOGIES, Attendance.Status.APOLOGIES, Attendance.Status.ABSENT])
        )
        rows.append(
            {
                "staff": person,
                "status": status,
                "presented": presented,
                "commitment": rng.choice(COMMITMENTS) if presented else "",
            }
        )
    actions.record_attendance(session, actor=recorder, rows=rows)
