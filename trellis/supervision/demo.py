"""Demo supervision of supervisors for a demo organisation.

Run after the demo workforce. Deterministic (a seeded generator per organisation), dates relative to
today, written through the supervision actions. Every demo supervisor with a login has an agreement
with sessions: Aisha (monthly, on track), Tom (monthly, overdue), James (every 6 weeks, its review
date passed), Lucy (fortnightly while new) and Kwame (monthly). Most other supervisors in post have
one too; a few have none, and a few are overdue, so the admins' list has something to act on.
"""

import datetime
import random

from django.utils import timezone

from trellis.tenancy.models import Role
from trellis.workforce.models import StaffRecord

from . import actions
from .models import PROMPTS, SupervisionAgreement, add_months
from .queries import supervisory_now

Frequency = SupervisionAgreement.Frequency

# key: (frequency, expected minutes, days since the last session, months since the review date was
# due: negative is still to come)
LINKED = {
    "aisha": (Frequency.MONTHLY, 90, 12, -5),
    "tom": (Frequency.MONTHLY, 90, 70, -3),
    "james": (Frequency.SIX_WEEKLY, 120, 20, 1),
    "lucy": (Frequency.FORTNIGHTLY, 60, 6, -9),
    "kwame": (Frequency.MONTHLY, 90, 25, -7),
}
SENIORS = ("margaret", "priya", "helen", "olivia")

THEMES = [
    "Workload across the team and my own",
    "Settling into the role; being a manager of former peers",
    "Preparing for a performance conversation",
    "A supervisee's wellbeing after a hard week",
    "Using the team's data at the performance meeting",
    "Allocation and the duty rota",
    "My development plan and the standards",
    "Recruitment to the team's vacancy",
]
REFLECTIONS = {
    "containment": [
        "Talked through what keeps me awake about the team's workload; left calmer, with a plan.",
        "Felt heard about the pressure of the last month.",
        "Space to say I was anxious about the inspection, and to think about why.",
    ],
    "skill_development": [
        "Practised opening a performance conversation.",
        "Thought about how I give feedback that lands.",
        "Planned how to run group supervision for the first time.",
    ],
    "diversity_power": [
        "Considered how my new authority changes how the team talks to me.",
        "Thought about whose voices are heard in team meetings.",
        "Reflected on power in supervision with an experienced practitioner.",
    ],
}


def load(organisation, members):
    """Write demo agreements and sessions; `members` maps load_demo's keys to Memberships."""
    rng = random.Random(f"trellis-supervision-demo-{organisation.slug}")
    today = timezone.localdate()
    admin = next(m for m in members.values() if m.has_role(Role.ORG_ADMIN))
    by_login = {m.pk: key for key, m in members.items()}
    people = list(
        StaffRecord.objects.filter(organisation=organisation)
        .current(today)
        .filter(supervisory_now())
        .with_supervisory_since(today)
        .select_related("line_manager")
        .order_by("employee_ref")
    )
    seniors = [p for p in people if by_login.get(p.membership_id) in SENIORS]
    agreements = sessions = 0
    for person in people:
        key = by_login.get(person.membership_id)
        supervisor = _supervisor(person, seniors, rng)
        if supervisor is None:
            continue
        if key in LINKED:
            frequency, minutes, since_last, review_months = LINKED[key]
        elif rng.random() < 0.8:
            frequency = rng.choice([Frequency.MONTHLY, Frequency.MONTHLY, Frequency.SIX_WEEKLY])
            minutes = rng.choice([60, 90, 90, 120])
            since_last = rng.choice([5, 10, 18, 24, 30, 80])  # now and then, one is overdue
            review_months = rng.choice([-10, -6, -2, 1])
        else:
            continue  # no agreement yet
        actor = members.get(key, admin)
        starts_on = max(person.supervisory_since or person.start_date, today - datetime.timedelta(days=400))
        review_on = max(add_months(today, -review_months), starts_on)
        actions.save_agreement(
            actor=actor,
            staff=person,
            supervisor=supervisor,
            frequency=frequency,
            length_minutes=minutes,
            starts_on=starts_on,
            review_on=review_on,
            notes="We meet in a private room, or online when one of us is working from home. A cancelled session is "
            "rearranged within the week.",
        )
        agreements += 1
        sessions += _sessions(person, supervisor, actor, rng, today, starts_on, frequency, minutes, since_last)
    return {"supervision agreements": agreements, "supervision sessions": sessions}


def _supervisor(person, seniors, rng):
    manager = person.line_manager
    if manager is not None and not manager.has_left():
        return manager
    others = [s for s in seniors if s.pk != person.pk]
    return rng.choice(others) if others else None


def _sessions(person, supervisor, actor, rng, today, starts_on, frequency, minutes, since_last):
    """Sessions on the agreement's rhythm, a little irregular, backwards from the last one."""
    agreement = SupervisionAgreement(frequency=frequency, other_weeks=None)
    interval = (agreement.due_after(today) - today).days
    days = []
    day = today - datetime.timedelta(days=since_last)
    while day >= starts_on:
        days.append(day)
        day -= datetime.timedelta(days=interval + rng.randint(-3, 3))
    for held_on in reversed(days):
        prompts = {}
        for name, _label, _hint in PROMPTS:
            if rng.random() < 0.6:
                prompts[name] = True
                if rng.random() < 0.5:
                    prompts[f"{name}_note"] = rng.choice(REFLECTIONS[name])
        actions.log_session(
            actor=actor,
            staff=person,
            supervisor=supervisor,
            held_on=held_on,
            length_minutes=minutes if rng.random() < 0.8 else minutes - 30,
            themes=rng.choice(THEMES),
            format="group" if rng.random() < 0.1 else "individual",
            **prompts,
        )
    return len(days)
