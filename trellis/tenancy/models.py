import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager


class Role(models.TextChoices):
    """The roles of DESIGN.md. What each may do is decided in tenancy/policy.py, nowhere else."""

    ORG_ADMIN = "org_admin", "Organisation admin"
    SENIOR_LEADER = "senior_leader", "Senior leader"
    PRACTICE_SUPERVISOR = "practice_supervisor", "Practice supervisor"
    MENTOR = "mentor", "Mentor or coach"
    REVIEWER = "reviewer", "Portfolio reviewer"
    MODERATOR = "moderator", "Moderator"
    PRACTITIONER = "practitioner", "Practitioner"
    NETWORK_COORDINATOR = "network_coordinator", "Network coordinator"


ROLE_HINTS = {
    Role.ORG_ADMIN: "Workforce development lead or Principal Social Worker: runs the pathway, invites people.",
    Role.SENIOR_LEADER: "Reads the overview and reports, owns and manages actions.",
    Role.PRACTICE_SUPERVISOR: "Supervises social workers; answers reflective questions.",
    Role.MENTOR: "Mentors or coaches practice supervisors.",
    Role.REVIEWER: "Reviews portfolios of evidence against the standards.",
    Role.MODERATOR: "Moderates reviewed portfolios.",
    Role.PRACTITIONER: "A social worker, including those aspiring to supervise.",
    Role.NETWORK_COORDINATOR: "Coordinates a region or teaching partnership across organisations.",
}


class Organisation(models.Model):
    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        TRUST = "trust", "Trust"
        OTHER = "other", "Other"

    class Services(models.TextChoices):
        ADULTS = "adults", "Adults"
        CHILDREN = "children", "Children"
        BOTH = "both", "Adults and children"

    class Region(models.TextChoices):
        NORTH_EAST = "north_east", "North East"
        NORTH_WEST = "north_west", "North West"
        YORKSHIRE = "yorkshire", "Yorkshire and the Humber"
        EAST_MIDLANDS = "east_midlands", "East Midlands"
        WEST_MIDLANDS = "west_midlands", "West Midlands"
        EAST = "east", "East of England"
        LONDON = "london", "London"
        SOUTH_EAST = "south_east", "South East"
        SOUTH_WEST = "south_west", "South West"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.LOCAL_AUTHORITY)
    services = models.CharField(max_length=10, choices=Services, default=Services.BOTH)
    region = models.CharField(max_length=20, choices=Region, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class TenantQuerySet(models.QuerySet):
    def visible_to(self, membership):
        """The rows this member may see. The only organisation filter views rely on."""
        from . import policy  # policy imports models; keep the cycle out of import time

        return policy.narrow(self.filter(organisation_id=membership.organisation_id), membership)


def tenant_manager(queryset_class=TenantQuerySet):
    """A manager that refuses to run unless a django-scopes organisation scope is active."""
    return ScopedManager(organisation="organisation", _manager_class=models.Manager.from_queryset(queryset_class))


class TenantModel(models.Model):
    """Base for every row an organisation owns."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")

    objects = tenant_manager()

    class Meta:
        abstract = True


class Network(models.Model):
    """Organisations that work together: a region, or a teaching partnership that shares reviewers and
    moderators. A network's members can lend people to each other's portfolio work (ADR 0014)."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    organisations = models.ManyToManyField(Organisation, related_name="networks", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Membership(TenantModel):
    """A user in an organisation, with one or more roles.

    A *guest* membership (`guest_of_network` set) lets someone from another organisation in a shared
    network review or moderate portfolios here: it carries only those roles, and policy.py lets a
    guest see nothing but the portfolios assigned to them (ADR 0014).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    roles = models.JSONField(default=list, help_text="Role codes from tenancy.models.Role")
    job_title = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    joined_at = models.DateTimeField(default=timezone.now)
    guest_of_network = models.ForeignKey(
        Network,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="guest_memberships",
        help_text="Set for a reviewer or moderator lent by another organisation in this network.",
    )
    home_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="A guest's own organisation.",
    )

    class Meta:
        ordering = ["user__full_name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="one_membership_per_org")]

    def __str__(self):
        return str(self.user)

    def has_role(self, *roles):
        return any(role in self.roles for role in roles)

    @property
    def is_guest(self):
        return self.guest_of_network_id is not None

    @property
    def role_labels(self):
        return [Role(code).label for code in Role.values if code in self.roles]


class Invitation(TenantModel):
    """An organisation admin's invitation for someone to join, with the roles they will hold."""

    VALID_FOR = timedelta(days=14)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField()
    full_name = models.CharField(max_length=150)
    roles = models.JSONField(default=list)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invited_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.email}"

    @property
    def expires_at(self):
        return self.created_at + self.VALID_FOR

    @property
    def is_open(self):
        return self.accepted_at is None and timezone.now() < self.expires_at

    @property
    def role_labels(self):
        return [Role(code).label for code in Role.values if code in self.roles]
