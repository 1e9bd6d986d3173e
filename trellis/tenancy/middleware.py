from django.urls import Resolver404, resolve
from django_scopes import scope

from . import access


class TenancyMiddleware:
    """Resolves `request.organisation` and `request.membership` from /o/<org_slug>/ URLs.

    The rest of the request runs inside a django-scopes scope for that organisation, so a query of
    tenant data that forgets its organisation raises instead of leaking another's rows.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organisation = None
        request.membership = None
        request.memberships = None  # filled lazily for pages outside an organisation
        try:
            slug = resolve(request.path_info).kwargs.get("org_slug")
        except Resolver404:
            slug = None
        if slug is None or not request.user.is_authenticated:
            return self.get_response(request)  # anonymous: LoginRequiredMiddleware sends them to sign in
        request.memberships = access.memberships_of(request.user)
        request.membership = access.membership_for(request.user, slug, request.memberships)
        request.organisation = request.membership.organisation
        with scope(organisation=request.organisation):
            return self.get_response(request)
