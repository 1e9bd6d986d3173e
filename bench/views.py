"""The two yardsticks every page is measured against (see DESIGN.md, "Performance budget").

Both run the same single indexed query, the (organisation, status, due_date) index on actions, so
the difference between them is the stack: middleware, session, sign-in, tenancy and the base layout.
"""

from functools import cache
from pathlib import Path

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.template import engines

from trellis.pathway.models import Action

EMPTY_TEMPLATE = Path(__file__).parent / "templates" / "bench" / "empty.html"


def _first_due(rows, organisation_id):
    return (
        rows.filter(organisation_id=organisation_id, status="in_progress")
        .order_by("due_date")
        .values_list("due_date", flat=True)
        .first()
    )


@login_not_required
def bare(request, organisation_id):
    """A bare Django view: no middleware (the benchmark runs it with MIDDLEWARE=[]), no template."""
    due = _first_due(Action.objects.with_scopes_disabled(), organisation_id)
    return HttpResponse(f"first in-progress action due {due}", content_type="text/plain")


@cache
def _empty_template():
    # Loaded from its path so the bench templates need no entry in settings.TEMPLATES; compiled once,
    # like the cached loader compiles the app's templates.
    return engines["django"].from_string(EMPTY_TEMPLATE.read_text(encoding="utf-8"))


def empty(request, org_slug):
    """The app's own empty page: signed in, full middleware, base layout, one indexed query."""
    due = _first_due(Action.objects.all(), request.organisation.pk)
    return HttpResponse(_empty_template().render({"first_due": due}, request))
