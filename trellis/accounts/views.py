from django.shortcuts import render

from trellis.tenancy import access


def manage(request):
    """Your account: sign-in details, two-step verification and the organisations you belong to."""
    from allauth.mfa.models import Authenticator

    authenticators = {a.type for a in Authenticator.objects.filter(user=request.user)}
    return render(
        request,
        "accounts/manage.html",
        {
            "memberships": access.memberships_of(request.user),
            "has_totp": Authenticator.Type.TOTP in authenticators,
        },
    )
