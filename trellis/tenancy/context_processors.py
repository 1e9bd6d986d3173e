from . import access
from .policy import Capabilities


def tenancy(request):
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    return {
        "organisation": getattr(request, "organisation", None),
        "membership": membership,
        "can": Capabilities(membership),
        "my_memberships": (lambda: access.memberships_of(user)) if user is not None else list,
    }
