"""Coaching and mentoring, and peer support (seed 000 section 3).

"Coaching / mentoring support which helps new practice supervisors to build on their skills and set
ongoing goals"; "The coaching offer should also support marginalised groups within the workforce
stepping up into a practice supervisor role"; "Built-in support mechanisms such as peer supervision
and action learning sets".

People are staff records from the workforce register, so a mentor, mentee or group member need not
have a Trellis login. `tenancy.policy.mentors_the_person` reads `Mentorship` through its reverse name
`mentorships_as_mentee` and the fields `mentor` and `ended_on`: keep those names.
"""

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from trellis.audit.versions import VersionedModel
from trellis.frameworks.models import Standard
from trellis.tenancy.models import Membership, TenantModel, tenant_manager
from trellis.workforce.models import EqualityRecord, StaffRecord

from .queries import MentorProfileQuerySet, MentorshipQuerySet, PeerGroupQuerySet, PeerSessionQuerySet


class Kind(models.TextChoices):
    MENTORING = "mentoring", "Mentoring"
    COACHING = "coaching", "Coaching"


class MentorProfile(TenantModel, VersionedModel):
    """Someone who mentors or coaches: how many mentees they can take, what they offer, whether they
    are taking anyone new. Their load is the number of open relationships they have."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    staff = models.OneToOneField(StaffRecord, verbose_name="mentor or coach", on_delete=models.CASCADE, related_name="+")
    capacity = models.PositiveSmallIntegerField("how many mentees at a time")
    offers_mentoring = models.BooleanField("offers mentoring", default=True)
    offers_coaching = models.BooleanField("offers coaching", default=False)
    is_available = models.BooleanField("taking new mentees", default=True)
    notes = models.TextField("experience and interests", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = tenant_manager(MentorProfileQuerySet)

    class Meta:
        verbose_name = "mentor or coach"
        verbose_name_plural = "mentors and coaches"
        constraints = [
            models.CheckConstraint(condition=Q(offers_mentoring=True) | Q(offers_coaching=True), name="mentor_offers_something"),
        ]

    def __str__(self):
        return f"{self.staff} (mentor or coach)"

    def offers(self, kind):
        return self.offers_coaching if kind == Kind.COACHING else self.offers_mentoring

    @property
    def kinds_display(self):
        kinds = [label for value, label in Kind.choices if self.offers(value)]
        return " and ".join(kinds)


class Mentorship(TenantModel, VersionedModel):
    """A mentoring or coaching relationship between two people, open until it ends."""

    Kind = Kind

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    mentor = models.ForeignKey(
        StaffRecord, verbose_name="mentor or coach", on_delete=models.PROTECT, related_name="mentorships_as_mentor"
    )
    mentee = models.ForeignKey(StaffRecord, verbose_name="mentee", on_delete=models.CASCADE, related_name="mentorships_as_mentee")
    kind = models.CharField(max_length=10, choices=Kind)
    goals = models.TextField("goals")
    started_on = models.DateField("start date")
    ended_on = models.DateField("end date", null=True, blank=True)
    ending_note = models.TextField("how it ended", blank=True)
    over_capacity = models.BooleanField(
        "matched over capacity", default=False, help_text="An admin confirmed the match although the mentor was full."
    )
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = tenant_manager(MentorshipQuerySet)

    class Meta:
        verbose_name = "mentoring or coaching relationship"
        ordering = ["-started_on", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(mentor=F("mentee")), name="nobody_mentors_themselves"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")), name="mentorship_ends_after_start"
            ),
            # A person may have a mentor and a coach, but not two of either at once.
            models.UniqueConstraint(
                fields=["mentee", "kind"], condition=Q(ended_on__isnull=True), name="one_open_mentorship_per_kind"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "mentor", "ended_on"]),
            models.Index(fields=["organisation", "mentee", "ended_on"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.mentor} with {self.mentee}"

    @property
    def staff(self):
        """The person the relationship is for: the policy's person rules read `.staff`."""
        return self.mentee

    @property
    def is_open(self):
        return self.ended_on is None

    @property
    def mentor_word(self):
        return "coach" if self.kind == Kind.COACHING else "mentor"


class MentoringSession(TenantModel, VersionedModel):
    """One meeting of a mentoring or coaching relationship, recorded by the mentor or the mentee."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField("date")
    duration_minutes = models.PositiveSmallIntegerField("length in minutes")
    themes = models.CharField("themes", max_length=300)
    standards = models.ManyToManyField(Standard, verbose_name="standards worked on", blank=True, related_name="+")
    agreed_actions = models.TextField("agreed actions", blank=True)
    recorded_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = tenant_manager()

    class Meta:
        verbose_name = "mentoring or coaching session"
        ordering = ["-held_on", "-created_at"]
        indexes = [models.Index(fields=["organisation", "mentorship", "held_on"])]

    def __str__(self):
        return f"{self.mentorship.get_kind_display()} session on {self.held_on:%d/%m/%Y}"

    @property
    def staff(self):
        return self.mentorship.mentee


class MentoringOffer(TenantModel, VersionedModel):
    """The organisation's choice to make its coaching and mentoring offer first to people from groups
    it names, from the equality monitoring characteristics. One per organisation.

    `groups` holds "characteristic:value" pairs, e.g. "ethnic_group:black" or "disability:yes".
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    offer_first = models.BooleanField("offer first to the groups named", default=False)
    groups = models.JSONField("groups", default=list, blank=True)
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = tenant_manager()

    class Meta:
        verbose_name = "coaching and mentoring offer"
        constraints = [models.UniqueConstraint(fields=["organisation"], name="one_mentoring_offer_per_organisation")]

    def __str__(self):
        return "Coaching and mentoring offer"

    @property
    def group_labels(self):
        return [group_label(group) for group in self.groups if group_label(group)]


def group_choices():
    """Every group an organisation can name, by characteristic: [(field, label, [(key, label)])].
    "Prefer not to say" is an answer, not a group."""
    result = []
    for name, label in EqualityRecord.CHARACTERISTICS:
        choices = [
            (f"{name}:{value}", text)
            for value, text in EqualityRecord._meta.get_field(name).choices
            if value != EqualityRecord.PREFER_NOT_TO_SAY
        ]
        result.append((name, label, choices))
    return result


# "Disability: Yes" reads oddly; these groups read as people.
DISABILITY_GROUPS = {"disability:yes": "Disabled people", "disability:no": "People who are not disabled"}


def group_label(group):
    """How a named group reads on a page: "Disabled people", "Ethnic group: White"."""
    if group in DISABILITY_GROUPS:
        return DISABILITY_GROUPS[group]
    name = group.partition(":")[0]
    for field, label, choices in group_choices():
        if field == name:
            text = dict(choices).get(group)
            return f"{label}: {text}" if text else None
    return None


class PeerGroup(TenantModel, VersionedModel):
    """A peer supervision group or an action learning set: members who meet on a schedule, with a
    facilitator, to share problems and dilemmas and commit to actions."""

    class Kind(models.TextChoices):
        ACTION_LEARNING = "action_learning", "Action learning set"
        PEER_SUPERVISION = "peer_supervision", "Peer supervision group"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=Kind)
    name = models.CharField(max_length=150)
    purpose = models.TextField("purpose", blank=True)
    facilitator = models.ForeignKey(
        StaffRecord, verbose_name="facilitator", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    external_facilitator = models.CharField("facilitator from outside the organisation", max_length=150, blank=True)
    meets = models.CharField("how often it meets", max_length=150, blank=True)
    started_on = models.DateField("start date")
    ended_on = models.DateField("end date", null=True, blank=True)
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = tenant_manager(PeerGroupQuerySet)

    class Meta:
        verbose_name = "peer group"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="peer_group_name"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")), name="peer_group_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_open(self):
        return self.ended_on is None

    @property
    def facilitator_name(self):
        return self.facilitator.full_name if self.facilitator_id else self.external_facilitator


class PeerGroupMember(TenantModel):
    """A person's membership of a peer group, from the day they joined to the day they left."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="members")
    staff = models.ForeignKey(StaffRecord, verbose_name="person", on_delete=models.CASCADE, related_name="peer_group_memberships")
    joined_on = models.DateField("date joined")
    left_on = models.DateField("date left", null=True, blank=True)
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = tenant_manager()

    class Meta:
        ordering = ["staff__full_name", "-joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "staff"], condition=Q(left_on__isnull=True), name="one_open_peer_membership"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")), name="member_leaves_after_joining"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "staff", "left_on"])]

    def __str__(self):
        return f"{self.staff} in {self.group}"

    def was_member_on(self, day):
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)


class PeerSession(TenantModel, VersionedModel):
    """One meeting in a peer group's schedule. Attendance is recorded once it has been held."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    STATUS_COLOURS = {Status.SCHEDULED: "blue", Status.HELD: "green", Status.CANCELLED: "grey"}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField("date")
    starts_at = models.TimeField("start time", null=True, blank=True)
    place = models.CharField("place", max_length=200)
    status = models.CharField(max_length=10, choices=Status, default=Status.SCHEDULED)
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = tenant_manager(PeerSessionQuerySet)

    class Meta:
        verbose_name = "peer group session"
        ordering = ["held_on", "starts_at"]
        indexes = [models.Index(fields=["organisation", "group", "held_on"])]

    def __str__(self):
        return f"{self.group.name}, {self.held_on.day} {self.held_on:%B %Y}"

    @property
    def status_colour(self):
        return self.STATUS_COLOURS[self.status]


class Attendance(TenantModel):
    """Whether one member came to a session and, if they presented, what they committed to do."""

    class Status(models.TextChoices):
        ATTENDED = "attended", "Attended"
        APOLOGIES = "apologies", "Sent apologies"
        ABSENT = "absent", "Did not attend"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(PeerSession, on_delete=models.CASCADE, related_name="attendance")
    staff = models.ForeignKey(StaffRecord, verbose_name="person", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status)
    presented = models.BooleanField("presented", default=False)
    commitment = models.CharField("what they committed to do", max_length=300, blank=True)

    objects = tenant_manager()

    class Meta:
        verbose_name_plural = "attendance"
        ordering = ["staff__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "staff"], name="one_attendance_per_person"),
            models.CheckConstraint(condition=Q(presented=False) | Q(status="attended"), name="presenters_attended"),
            models.CheckConstraint(condition=Q(commitment="") | Q(presented=True), name="commitments_are_presenters"),
        ]

    def __str__(self):
        return f"{self.staff} at {self.session}"
