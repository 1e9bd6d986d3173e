"""Whether a supervisor's own supervision is on track against their agreement.

The next session is due one interval (weekly, fortnightly, monthly in calendar months, every 6 weeks,
or every so many weeks) after the last session, or after the agreement started if there has been none.
Supervision is overdue when that day has passed; the agreement needs reviewing when its review date has.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from trellis.workforce.models import StaffRecord

from .models import SupervisionAgreement, SupervisionSession
from .queries import supervisory_now


@dataclass
class Standing:
    person: StaffRecord
    agreement: SupervisionAgreement | None
    last_session_on: object  # a date, or None
    today: object

    @property
    def next_due(self):
        return self.agreement.next_due(self.last_session_on) if self.agreement else None

    @property
    def overdue_days(self):
        due = self.next_due
        return (self.today - due).days if due is not None and due < self.today else 0

    @property
    def is_overdue(self):
        return self.overdue_days > 0

    @property
    def review_due(self):
        return self.agreement is not None and self.agreement.review_is_due(self.today)

    @property
    def state(self):
        if self.agreement is None:
            return "no_agreement"
        if self.is_overdue:
            return "overdue"
        if self.review_due:
            return "review_due"
        return "on_track"

    @property
    def needs_attention(self):
        return self.state != "on_track"

    @property
    def state_label(self):
        return STATES[self.state][0]

    @property
    def state_colour(self):
        return STATES[self.state][1]


STATES = {
    "no_agreement": ("No agreement", "red"),
    "overdue": ("Overdue", "red"),
    "review_due": ("Review due", "orange"),
    "on_track": ("On track", "green"),
}


def standing_of(person, today=None):
    """One person's standing: two queries."""
    today = today or timezone.localdate()
    agreement = SupervisionAgreement.objects.filter(staff=person).select_related("supervisor").first()
    last = SupervisionSession.objects.filter(staff=person).last_dates(today).get(person.pk)
    return Standing(person, agreement, last, today)


def register(membership, today=None):
    """Every supervisor in post, and anyone else in post with an agreement, with their standing:
    those needing attention first (no agreement, then longest overdue, then review due), then by name.
    Three queries however many people."""
    today = today or timezone.localdate()
    agreements = {a.staff_id: a for a in SupervisionAgreement.objects.visible_to(membership).select_related("supervisor")}
    people = (
        StaffRecord.objects.visible_to(membership)
        .current(today)
        .filter(Q(supervisory_now()) | Q(supervision_agreement__isnull=False))
        .with_current_stage()
        .select_related("team")
        .order_by("full_name")
    )
    last = SupervisionSession.objects.visible_to(membership).last_dates(today)
    rows = [Standing(person, agreements.get(person.pk), last.get(person.pk), today) for person in people]
    order = {"no_agreement": 0, "overdue": 1, "review_due": 2, "on_track": 3}
    return sorted(rows, key=lambda row: (order[row.state], -row.overdue_days, row.person.full_name))
