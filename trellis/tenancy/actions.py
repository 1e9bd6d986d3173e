"""Writes about who belongs to an organisation and what they may do."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from trellis.accounts.models import User
from trellis.audit.actions import record_event

from . import policy
from .models import Invitation, Membership, Network, Role


class AlreadyMember(Exception):
    pass


class InvitationClosed(Exception):
    pass


class SignInFirst(Exception):
    """The invited address already has an account: only its owner, signed in, may accept."""


def _valid_roles(roles):
    unknown = set(roles) - set(Role.values)
    if unknown or not roles:
        raise ValueError(f"Unknown or missing roles: {sorted(unknown)}")
    return [r for r in Role.values if r in roles]


@transaction.atomic
def invite_member(*, actor, email, full_name, roles, site_url=None):
    """Invite someone by email; the email is sent by the worker once this is saved."""
    from .tasks import send_invitation_email

    policy.require(actor, "tenancy.manage_members")
    email = email.strip().lower()
    if Membership.objects.filter(organisation=actor.organisation, user__email=email, is_active=True).exists():
        raise AlreadyMember(f"{email} is already a member of {actor.organisation}.")
    invitation = Invitation.objects.create(
        organisation=actor.organisation, email=email, full_name=full_name, roles=_valid_roles(roles), invited_by=actor
    )
    record_event(
        actor=actor, verb="invited", target=invitation, changes={"email": [None, email], "roles": [None, invitation.roles]}
    )
    url = site_url or settings.SITE_URL
    transaction.on_commit(lambda: send_invitation_email.enqueue(str(invitation.pk), url))
    return invitation


@transaction.atomic
def change_roles(membership, *, actor, roles, job_title=None):
    policy.require(actor, "tenancy.manage_members")
    if membership.is_guest:
        raise ValueError(
            f"{membership.user.full_name} is a guest from {membership.home_organisation}. Guests only review or moderate "
            "the portfolios assigned to them, so their roles are changed on the cohort's reviewers and moderators page."
        )
    roles = _valid_roles(roles)
    if membership.pk == actor.pk and Role.ORG_ADMIN not in roles:
        others = Membership.objects.filter(organisation=actor.organisation, is_active=True).exclude(pk=actor.pk)
        if not any(m.has_role(Role.ORG_ADMIN) for m in others):
            raise ValueError("You are the only organisation admin. Make someone else an admin first.")
    changes = {}
    if roles != membership.roles:
        changes["roles"] = [membership.roles, roles]
        membership.roles = roles
    if job_title is not None and job_title != membership.job_title:
        changes["job_title"] = [membership.job_title, job_title]
        membership.job_title = job_title
    if changes:
        membership.save(update_fields=["roles", "job_title"])
        record_event(actor=actor, verb="changed roles", target=membership, changes=changes)
    return membership


@transaction.atomic
def accept_invitation(invitation, *, user=None, full_name=None, password=None):
    """Join the inviting organisation: as the signed-in `user`, or as a new user with a password."""
    if not invitation.is_open:
        raise InvitationClosed("This invitation has expired or has already been used. Ask your organisation admin for a new one.")
    if user is None:
        # Reading the email is not proof enough to enter an existing account (and skip its MFA).
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise SignInFirst(f"{invitation.email} already has a Trellis account. Sign in, then open the link again.")
        user = User.objects.create_user(invitation.email, password, full_name=full_name or invitation.full_name)
    elif user.email.lower() != invitation.email:
        raise InvitationClosed(f"This invitation is for {invitation.email}. Sign out and open the link again.")
    with scope(organisation=invitation.organisation):
        membership, created = Membership.objects.get_or_create(
            organisation=invitation.organisation, user=user, defaults={"roles": invitation.roles}
        )
        if not created:
            membership.roles = sorted(set(membership.roles) | set(invitation.roles), key=Role.values.index)
            membership.is_active = True
            membership.save(update_fields=["roles", "is_active"])
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    record_event(
        actor=user,
        verb="joined",
        target=membership,
        organisation=invitation.organisation,
        changes={"roles": [None, membership.roles]},
    )
    return membership


def add_member(*, organisation, user, roles, job_title=""):
    """For set-up scripts and demo data, where there is no inviting admin."""
    with scope(organisation=organisation):
        membership, created = Membership.objects.get_or_create(
            organisation=organisation, user=user, defaults={"roles": _valid_roles(roles), "job_title": job_title}
        )
    if created:
        record_event(
            actor=None,
            verb="added member",
            target=membership,
            organisation=organisation,
            changes={"roles": [None, membership.roles]},
        )
    return membership


# --- Network guests (ADR 0014) ---------------------------------------------------------------------
# A reviewer or moderator lent by another organisation in a shared network gets a guest membership
# here, holding only the roles they were lent for. Policy ignores a guest's roles except where a rule
# asks for guests, so the membership opens only the portfolio work assigned to them.

GUEST_ROLES = (Role.REVIEWER, Role.MODERATOR)


def shared_network(organisation, other):
    """The first network (by name) that both organisations belong to, or None."""
    return Network.objects.filter(organisations=organisation).filter(organisations=other).order_by("name").first()


@transaction.atomic
def add_guest(*, actor, person, role):
    """Lend `person` (an active membership of another organisation in a network shared with the actor's)
    to the actor's organisation as a reviewer or moderator. Returns the guest membership: made, or an
    earlier one given the role again. Refusals a person can act on are ValidationErrors."""
    policy.require(actor, "tenancy.manage_members")
    if role not in GUEST_ROLES:
        raise ValueError(f"Guests only review or moderate, not {role!r}")
    organisation = actor.organisation
    with scopes_disabled():
        home = Membership.objects.select_related("user", "organisation").get(pk=person.pk)
    name, role_label = home.user.full_name, Role(role).label.lower()
    if home.organisation_id == organisation.pk:
        raise ValueError("A member of this organisation is not a guest here")
    if not home.is_active or home.is_guest or not home.has_role(role):
        raise ValidationError(f"{name} is not a {role_label} in {home.organisation}, so they cannot be one here as a guest.")
    network = shared_network(organisation, home.organisation)
    if network is None:
        raise ValidationError(
            f"{home.organisation} is not in a network with {organisation}, so its people cannot be guests here."
        )
    guest = Membership.objects.select_for_update().filter(organisation=organisation, user=home.user).first()
    if guest is not None and guest.is_active and not guest.is_guest:
        raise ValidationError(f"{name} is already a member of {organisation}: choose them from your own organisation's list.")
    if guest is None:
        guest = Membership.objects.create(
            organisation=organisation,
            user=home.user,
            roles=[role],
            job_title=home.job_title,
            guest_of_network=network,
            home_organisation=home.organisation,
        )
        record_event(
            actor=actor,
            verb="added guest",
            target=guest,
            changes={
                "roles": [None, guest.roles],
                "home organisation": [None, str(home.organisation)],
                "network": [None, str(network)],
            },
        )
        return guest
    # Someone who was a guest before (or a former member) is lent again: only the guest role counts.
    before = {"roles": guest.roles if guest.is_active else [], "active": guest.is_active, "guest": guest.is_guest}
    roles = guest.roles if guest.is_active and guest.is_guest else []
    guest.roles = [r for r in Role.values if r in roles or r == role]
    guest.is_active = True
    guest.guest_of_network = network
    guest.home_organisation = home.organisation
    after = {"roles": guest.roles, "active": True, "guest": True}
    if before != after:
        guest.save(update_fields=["roles", "is_active", "guest_of_network", "home_organisation"])
        record_event(
            actor=actor,
            verb="added guest",
            target=guest,
            changes={key: [before[key], after[key]] for key in after if before[key] != after[key]},
        )
    return guest


@transaction.atomic
def end_guest(membership, *, actor, role=None):
    """Take a role away from a guest (all of them when `role` is None); a guest left with no role is
    no longer a member here."""
    policy.require(actor, "tenancy.manage_members")
    guest = Membership.objects.select_for_update().get(pk=membership.pk)
    if not guest.is_guest:
        raise ValueError(f"{guest} is a member of {guest.organisation}, not a guest")
    if not guest.is_active:
        return guest
    roles = [r for r in guest.roles if role is not None and r != role]
    if roles:
        record_event(actor=actor, verb="removed guest role", target=guest, changes={"roles": [guest.roles, roles]})
        guest.roles = roles
        guest.save(update_fields=["roles"])
    else:
        # The roles stay on the row, so the trail and the People page still say what they did here.
        guest.is_active = False
        guest.save(update_fields=["is_active"])
        record_event(actor=actor, verb="ended guest membership", target=guest, changes={"active": [True, False]})
    membership.is_active, membership.roles = guest.is_active, guest.roles
    return guest
