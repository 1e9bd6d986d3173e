"""A person's development, gathered from every part of Trellis that holds some of it.

`{% person_panels person as panels %}` renders the panel each issue 5 app offers for one person (an
inclusion tag `<app>_panel(context, person)` in `trellis/<app>/templatetags/<app>.py`), so the record
page needs no knowledge of those apps. A part that is not built, or has no panel, is left out. Each
panel decides what the viewing member may see, and renders nothing when they may see nothing.

`{% development_panel person %}` is this app's own panel, for a page about the person elsewhere (the
staff record): their plan's status and partnership roles, in three queries.
"""

import importlib
from functools import cache

from django import template
from django.utils import timezone

from trellis.development.models import DevelopmentPlan, PartnershipRole
from trellis.tenancy import policy

register = template.Library()

# (app, what people call that part): the order the record page shows them in.
PARTS = (
    ("assessment", "Self-assessment and feedback"),
    ("induction", "First 12 months"),
    ("supervision", "Supervision"),
    ("mentoring", "Coaching, mentoring and peer support"),
    ("learning", "Training"),
)


@cache
def _panel_template(app):
    """A one-tag template that renders the app's panel, or None if the app offers none."""
    try:
        module = importlib.import_module(f"trellis.{app}.templatetags.{app}")
    except ModuleNotFoundError as missing:
        if missing.name in (f"trellis.{app}.templatetags", f"trellis.{app}.templatetags.{app}"):
            return None
        raise
    register_ = getattr(module, "register", None)
    if register_ is None or f"{app}_panel" not in register_.tags:
        return None
    return template.Template(f"{{% load {app} %}}{{% {app}_panel person %}}")


@register.simple_tag(takes_context=True)
def person_panels(context, person):
    """[{"app", "title", "html"}] for every part that has something for this member to see."""
    panels = []
    for app, title in PARTS:
        compiled = _panel_template(app)
        if compiled is None:
            continue
        with context.push(person=person):
            html = compiled.render(context)
        if html.strip():
            panels.append({"app": app, "title": title, "html": html})
    return panels


@register.inclusion_tag("development/_person_panel.html", takes_context=True)
def development_panel(context, person):
    membership = context.get("membership")
    if not policy.allows(membership, "development.view_record", person):
        return {"show": False}
    plan = DevelopmentPlan.objects.visible_to(membership).filter(staff=person).with_status().first()
    if plan is not None:
        plan.staff = person
    can_see_plan = policy.allows(membership, "development.view_part", plan or DevelopmentPlan(staff=person))
    today = timezone.localdate()
    roles = list(PartnershipRole.objects.visible_to(membership).filter(staff=person).current(today)) if can_see_plan else []
    return {
        "show": True,
        "person": person,
        "plan": plan if can_see_plan else None,
        "can_see_plan": can_see_plan,
        "roles": roles,
        "organisation": context.get("organisation"),
        "is_me": person.membership_id == getattr(membership, "pk", None),
    }
