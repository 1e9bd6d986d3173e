"""Demo first 12 months for a demo organisation: new practice supervisors at every point of their year.

Run after the demo workforce (it needs the register's career stages and line managers). Opens a first 12
months for everyone the register shows starting as a supervisor in the last year, as Trellis would, then
plays out their induction so far. Named demo members are set up as the demo's story needs them: Lucy
(Riverside, 3 months in) with one item overdue and her 1-month check-in held; Aisha (Northshire, 7 months
in) mostly done, with her 1- and 3-month check-ins held and the 6-month one next. Someone in their first
month is promoted through the workforce action if the register has nobody that new, and someone who
finished their first 12 months last year shows what a completed one looks like.

Deterministic (a seeded generator per organisation), dates relative to today, and written through the
actions so the audit trail and versions are real.
"""

import datetime
import random

from django.utils import timezone

from trellis.tenancy.models import Role
from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import CareerStage, StaffRecord, StageHistory

from . import actions
from .models import FirstYear

NOTES = {
    1: [
        "Settling in. Agreed to meet the other practice supervisors in the service monthly, and to book the reflective "
        "supervision skills course.",
        "Supervision sessions with the team are booked for the next two months. Wants more time with the supervision "
        "policy before the first audit.",
    ],
    3: [
        "Finding the change from colleague to supervisor hard with two former peers. Agreed to talk it through with their "
        "mentor and come back to it at 6 months.",
        "Growing in confidence in supervision. Less sure about the team's performance data: a session with the data "
        "analysts is booked.",
    ],
    6: [
        "Confident with the supervision model now. Next: chairing the team's practice discussion and taking a place on "
        "a partnership sub-group.",
        "Workload is high. Agreed protected time on Friday mornings for supervision records, reviewed at 12 months.",
    ],
    12: [
        "A good first year. Wants to move on to coaching newly qualified social workers and to keep the peer "
        "supervision group going.",
    ],
}
ITEM_NOTES = [
    "Met at the team meeting.",
    "One-to-one, an hour.",
    "Shadowed them for a morning.",
    "",
    "",
    "",
]


def _days_ago(today, days):
    return today - datetime.timedelta(days=days)


def _staff(organisation, membership):
    if membership is None:
        return None
    return StaffRecord.objects.filter(organisation=organisation, membership=membership).select_related("line_manager").first()


class Story:
    def __init__(self, organisation, members):
        self.organisation = organisation
        self.members = members
        self.admin = next(m for m in members.values() if m.has_role(Role.ORG_ADMIN))
        self.rng = random.Random(f"trellis-induction-demo-{organisation.slug}")
        self.today = timezone.localdate()

    # --- Who may write: the person, their line manager, or the admin keeping it for them ---------------

    def actor_for(self, first_year, prefer_manager=False):
        staff = first_year.staff
        person = staff.membership
        manager = staff.line_manager.membership if staff.line_manager else None
        choices = [manager, person] if prefer_manager else [person, manager]
        return next((who for who in choices if who is not None), self.admin)

    def held_with(self, first_year):
        return first_year.staff.line_manager

    # --- Playing out a year ---------------------------------------------------------------------------

    def tick(self, item, first_year, on=None, note=None):
        on = on or min(item.due_on - datetime.timedelta(days=self.rng.randint(0, 6)), self.today)
        on = max(on, first_year.start_date, first_year.staff.start_date)
        prefer_manager = item.owner_kind == "line_manager" and self.rng.random() < 0.7
        actions.complete_item(
            item,
            actor=self.actor_for(first_year, prefer_manager=prefer_manager),
            completed_on=min(on, self.today),
            completion_note=self.rng.choice(ITEM_NOTES) if note is None else note,
        )

    def hold(self, check_in, first_year, on=None):
        with_whom = self.held_with(first_year)
        if with_whom is None:
            return
        on = on or min(check_in.due_on + datetime.timedelta(days=self.rng.randint(-3, 9)), self.today)
        actions.record_check_in(
            check_in,
            actor=self.actor_for(first_year, prefer_manager=True),
            held_on=max(on, first_year.start_date),
            held_with=with_whom,
            notes=self.rng.choice(NOTES[check_in.months]),
        )

    def play(self, first_year, today=None):
        """A typical year so far: most items done around their due date, most check-ins held."""
        today = today or self.today
        for item in first_year.items.order_by("due_on", "position"):
            if item.due_on <= today + datetime.timedelta(days=3) and self.rng.random() < 0.85:
                self.tick(item, first_year, on=min(item.due_on - datetime.timedelta(days=self.rng.randint(0, 6)), today))
        # The 12-month check-in completes the year, so the story holds it itself (see completed_year).
        for check_in in first_year.check_ins.filter(months__lt=12).order_by("months"):
            if check_in.due_on <= today and self.rng.random() < 0.85:
                self.hold(check_in, first_year, on=min(check_in.due_on + datetime.timedelta(days=self.rng.randint(-3, 9)), today))

    # --- The named demo members -------------------------------------------------------------------------

    def lucy(self, first_year):
        """3 months in: everything but the introductions to partners done, one item of her own to come,
        and her 1-month check-in held."""
        for item in first_year.items.order_by("due_on", "position"):
            if item.title != "Introductions to partners":
                self.tick(item, first_year)
        actions.add_item(
            first_year,
            actor=self.actor_for(first_year),
            title="Join the exploitation sub-group of the safeguarding partnership",
            due_on=min(self.today + datetime.timedelta(days=28), first_year.ends_on),
            owner_kind="line_manager",
            guidance="An introduction to the sub-group's chair, then attend a meeting as an observer.",
        )
        self.hold(first_year.check_ins.get(months=1), first_year)

    def aisha(self, first_year):
        """7 months in: the checklist done but one item of her own still to come, the 1- and 3-month
        check-ins held, the 6-month one next."""
        for item in first_year.items.order_by("due_on", "position"):
            self.tick(item, first_year)
        actions.add_item(
            first_year,
            actor=self.actor_for(first_year),
            title="Present the team's performance data at the service meeting",
            due_on=min(self.today + datetime.timedelta(days=21), first_year.ends_on),
            owner_kind="supervisor",
            guidance="With the data analyst's help: caseloads, visits on time and supervision frequency.",
        )
        for months in (1, 3):
            self.hold(first_year.check_ins.get(months=months), first_year)

    def newcomer(self, first_year):
        """In their first month: what was due in the first week is done."""
        for item in first_year.items.filter(due_on__lte=self.today).order_by("due_on", "position"):
            self.tick(item, first_year, on=max(first_year.start_date, item.due_on - datetime.timedelta(days=2)))

    # --- People the register does not give the demo -----------------------------------------------------

    def promote_someone(self, days_ago):
        """An internal promotion through the workforce action: a senior practitioner becomes a practice
        supervisor in their own team, `days_ago` days ago."""
        stages = {stage.name: stage for stage in CareerStage.objects.filter(organisation=self.organisation)}
        supervisor, senior = stages.get("Practice supervisor"), stages.get("Senior or advanced practitioner")
        if supervisor is None or senior is None:
            return None
        start = _days_ago(self.today, days_ago)
        seniors = [
            staff
            for staff in StaffRecord.objects.filter(
                organisation=self.organisation,
                membership__isnull=True,
                leaving_date__isnull=True,
                team__isnull=False,
                line_manager__isnull=False,
                stage_history__end_date__isnull=True,
                stage_history__stage=senior,
                stage_history__start_date__lt=start,
            ).order_by("employee_ref")
        ]
        if not seniors:
            return None
        chosen = self.rng.choice(seniors)
        workforce_actions.change_career_stage(
            chosen, actor=self.admin, stage=supervisor, start_date=start, kind=StageHistory.Kind.PROMOTION
        )
        return chosen

    def completed_year(self):
        """Someone whose supervisory spell began 13 months to 3 years ago: their first 12 months, as
        Trellis would have opened it then, played out and completed with the 12-month check-in."""
        latest, earliest = _days_ago(self.today, 400), _days_ago(self.today, 1100)
        candidates = list(
            StaffRecord.objects.filter(organisation=self.organisation, membership__isnull=True, line_manager__isnull=False)
            .current(self.today)
            .with_supervisory_since(self.today)
            .filter(supervisory_since__gte=earliest, supervisory_since__lte=latest)
            .order_by("-supervisory_since", "employee_ref")
        )
        for staff in candidates:
            back_then = staff.supervisory_since + datetime.timedelta(days=10)
            opened = actions.open_first_years(self.organisation, people=[staff], today=back_then)
            if not opened:
                continue
            first_year = opened[0]
            self.play(first_year, today=first_year.ends_on)
            self.hold(first_year.check_ins.get(months=12), first_year, on=first_year.ends_on + datetime.timedelta(days=6))
            first_year.refresh_from_db()
            if first_year.is_open:  # the 12-month check-in could not be held: leave it to close by hand
                actions.close_first_year(first_year, actor=self.admin, closing_reason="other", closing_note="Line manager left.")
            return first_year
        return None

    def run(self):
        actions.ensure_default_template(self.organisation)
        completed = self.completed_year()
        named = {}
        for key in ("lucy", "aisha"):
            staff = _staff(self.organisation, self.members.get(key))
            if staff is not None:
                named[staff.pk] = key
        opened = actions.open_first_years(self.organisation)
        if not any(f.start_date > _days_ago(self.today, 30) for f in opened):
            newcomer = self.promote_someone(days_ago=self.rng.randint(9, 20))
            if newcomer is not None:
                opened += actions.open_first_years(self.organisation, people=[newcomer])
        for first_year in sorted(opened, key=lambda f: f.staff.employee_ref):
            first_year = FirstYear.objects.select_related("staff__line_manager__membership", "staff__membership").get(
                pk=first_year.pk
            )
            key = named.get(first_year.staff_id)
            if key == "lucy":
                self.lucy(first_year)
            elif key == "aisha":
                self.aisha(first_year)
            elif first_year.start_date > _days_ago(self.today, 30):
                self.newcomer(first_year)
            else:
                self.play(first_year)
        actions.close_finished_first_years(self.organisation)
        return {
            "first 12 months open": FirstYear.objects.filter(organisation=self.organisation).open().count(),
            "first 12 months completed": 1 if completed is not None else 0,
        }


def load(organisation, members):
    """Write the demo first 12 months; `members` maps load_demo's keys to Memberships, in an active scope."""
    if not StaffRecord.objects.filter(organisation=organisation).exists():
        return {"first 12 months open": 0, "first 12 months completed": 0}
    return Story(organisation, members).run()
