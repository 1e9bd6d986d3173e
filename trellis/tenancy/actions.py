"""Writes about who belongs to an organisation and what they may do."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from trellis.accounts.models import User
from trellis.audit.actions import record_event

from . import policy
from .models import Invitation, Membership, Role


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
