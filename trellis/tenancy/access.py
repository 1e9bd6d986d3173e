"""The only way a view turns something from a URL into an object it may use.

Another organisation's object is a 404 (we do not confirm it exists); a known object the member's
roles do not allow is a 403.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django_scopes import scopes_disabled

from . import policy
from .models import Membership, Organisation


def membership_for(user, org_slug, memberships=None):
    """The signed-in user's active membership of the organisation in the URL, or 404."""
    if not user.is_authenticated:
        raise Http404
    for membership in memberships if memberships is not None else memberships_of(user):
        if membership.organisation.slug == org_slug:
            return membership
    raise Http404("No such organisation")


def memberships_of(user):
    """Every organisation the user belongs to: few rows, so one query serves both the
    organisation in the URL and the organisation switcher."""
    if not user.is_authenticated:
        return []
    with scopes_disabled():
        memberships = list(
            Membership.objects.select_related("organisation").filter(user=user, is_active=True).order_by("organisation__name")
        )
    for membership in memberships:
        membership.user = user  # the same object, so nothing queries for it again
    return memberships


def organisation_of(membership) -> Organisation:
    return membership.organisation


def require(membership, permission):
    policy.require(membership, permission)


def get_for(membership, model, pk, permission, queryset=None):
    """Fetch one row of `model` for this member: 404 outside their organisation, 403 if not allowed."""
    rows = queryset if queryset is not None else model.objects.all()
    obj = get_object_or_404(rows.visible_to(membership), pk=pk)
    policy.require(membership, permission, obj)
    return obj


def invitation_by_token(token):
    """An invitation is reached from an emailed link, before its recipient belongs anywhere."""
    from .models import Invitation

    with scopes_disabled():
        invitation = Invitation.objects.select_related("organisation").filter(token=token).first()
    if invitation is None:
        raise Http404
    return invitation
