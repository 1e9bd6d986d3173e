from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from . import access, actions, policy
from .forms import AcceptInvitationForm, InvitationForm, RolesForm
from .models import ROLE_HINTS, Invitation, Membership


def home(request):
    """Where signing in lands: straight into the only organisation, or a choice of several."""
    memberships = access.memberships_of(request.user)
    if len(memberships) == 1:
        return redirect("tenancy:organisation-home", memberships[0].organisation.slug)
    return render(request, "tenancy/organisations.html", {"memberships": memberships})


def organisations(request):
    return render(request, "tenancy/organisations.html", {"memberships": access.memberships_of(request.user)})


def organisation_home(request, org_slug):
    if request.membership.is_guest:
        # A network guest is here only to review or moderate what is assigned to them (ADR 0014).
        return redirect("portfolio:waiting", org_slug)
    if policy.allows(request.membership, "pathway.view"):
        return redirect("pathway:overview", org_slug)
    return render(request, "tenancy/organisation_home.html")


def member_list(request, org_slug):
    access.require(request.membership, "tenancy.manage_members")
    members = (
        Membership.objects.visible_to(request.membership).select_related("user", "home_organisation").order_by("user__full_name")
    )
    invitations = (
        Invitation.objects.visible_to(request.membership).filter(accepted_at__isnull=True).select_related("invited_by__user")
    )
    return render(request, "tenancy/member_list.html", {"members": members, "invitations": invitations, "nav_section": "people"})


@require_http_methods(["GET", "POST"])
def member_invite(request, org_slug):
    access.require(request.membership, "tenancy.manage_members")
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = actions.invite_member(
                actor=request.membership, site_url=request.build_absolute_uri("/"), **form.cleaned_data
            )
        except actions.AlreadyMember as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("tenancy:member-list", org_slug)
    return render(request, "tenancy/member_invite.html", {"form": form, "role_hints": ROLE_HINTS, "nav_section": "people"})


@require_http_methods(["GET", "POST"])
def member_roles(request, org_slug, pk):
    member = access.get_for(
        request.membership,
        Membership,
        pk,
        "tenancy.manage_members",
        Membership.objects.select_related("user", "home_organisation"),
    )
    if member.is_guest:
        # A guest's roles follow the cohorts they review or moderate (ADR 0014): the page explains, and
        # change_roles refuses them whatever is posted.
        return render(request, "tenancy/member_roles.html", {"member": member, "form": None, "nav_section": "people"})
    form = RolesForm(request.POST or None, initial={"roles": member.roles, "job_title": member.job_title})
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_roles(member, actor=request.membership, **form.cleaned_data)
        except ValueError as error:
            form.add_error("roles", str(error))
        else:
            messages.success(request, f"{member.user.full_name}'s roles updated.")
            return redirect("tenancy:member-list", org_slug)
    return render(
        request, "tenancy/member_roles.html", {"form": form, "member": member, "role_hints": ROLE_HINTS, "nav_section": "people"}
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    invitation = access.invitation_by_token(token)
    if not invitation.is_open:
        return render(request, "tenancy/invitation_closed.html", {"invitation": invitation}, status=410)
    signed_in = request.user.is_authenticated
    if not signed_in and get_user_model().objects.filter(email__iexact=invitation.email).exists():
        # An existing account joins by signing in (with its MFA), never through the link alone.
        messages.info(request, f"{invitation.email} already has a Trellis account. Sign in to accept the invitation.")
        return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
    form = (
        None
        if signed_in
        else AcceptInvitationForm(request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name})
    )
    error = None
    if request.method == "POST" and (signed_in or form.is_valid()):
        try:
            if signed_in:
                membership = actions.accept_invitation(invitation, user=request.user)
            else:
                membership = actions.accept_invitation(invitation, **form.cleaned_data)
                login(request, membership.user, backend="allauth.account.auth_backends.AuthenticationBackend")
        except (actions.InvitationClosed, actions.SignInFirst) as closed:
            error = str(closed)
        else:
            messages.success(request, f"Welcome to {invitation.organisation.name}.")
            return redirect("tenancy:organisation-home", invitation.organisation.slug)
    return render(request, "tenancy/accept_invitation.html", {"invitation": invitation, "form": form, "error": error})
