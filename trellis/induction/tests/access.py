"""The induction app's rows of the outsider-404 / role-403 access matrix (see tenancy/tests/matrix.py).

The first 12 months in the matrix belongs to someone without a login whose line manager has none
either, so an organisation admin keeps it for them and may use every page; a senior leader sees the
list only."""

import datetime

from django.utils import timezone

from trellis.tenancy.tests.matrix import OrgView
from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import CareerStage

from .. import actions
from ..models import TemplateItem

VIEWS = [
    OrgView("induction:list", allowed="senior_leader", denied="practice_supervisor"),
    OrgView("induction:open", allowed="org_admin", denied="senior_leader"),
    OrgView("induction:open", allowed="org_admin", denied="senior_leader", method="post"),
    OrgView("induction:first-year", allowed="org_admin", denied="senior_leader", target="first_year"),
    OrgView("induction:sharing", allowed="org_admin", denied="senior_leader", method="post", target="first_year"),
    OrgView("induction:close", allowed="org_admin", denied="senior_leader", target="first_year"),
    OrgView("induction:item-add", allowed="org_admin", denied="senior_leader", target="first_year"),
    OrgView("induction:item", allowed="org_admin", denied="senior_leader", target="checklist_item"),
    OrgView("induction:item", allowed="org_admin", denied="senior_leader", method="post", target="checklist_item"),
    OrgView("induction:item-edit", allowed="org_admin", denied="senior_leader", target="checklist_item"),
    OrgView("induction:item-reopen", allowed="org_admin", denied="senior_leader", method="post", target="checklist_item"),
    OrgView("induction:check-in", allowed="org_admin", denied="mentor", target="check_in"),
    OrgView("induction:check-in", allowed="org_admin", denied="senior_leader", method="post", target="check_in"),
    OrgView("induction:template", allowed="org_admin", denied="senior_leader"),
    OrgView("induction:template-item-add", allowed="org_admin", denied="senior_leader"),
    OrgView("induction:template-item-edit", allowed="org_admin", denied="senior_leader", target="template_item"),
    OrgView("induction:template-item-delete", allowed="org_admin", denied="practice_supervisor", target="template_item"),
]


def objects(base):
    admin = base["admin"]
    workforce_actions.ensure_default_career_stages(base["org"])
    newcomer = workforce_actions.create_staff_record(
        actor=admin,
        career_stage=CareerStage.objects.get(organisation=base["org"], name="Practice supervisor"),
        full_name="Nell Newcomer",
        employee_ref="IND1",
        team=base["team"],
        line_manager=base["staff"],
        service="children",
        employment_type="permanent",
        start_date=timezone.localdate() - datetime.timedelta(days=30),
    )
    first_year = actions.open_first_year(actor=admin, staff=newcomer, start_date=newcomer.start_date, route="new")
    return {
        "first_year": first_year,
        "checklist_item": first_year.items.first(),
        "check_in": first_year.check_ins.get(months=1),
        "template_item": TemplateItem.objects.filter(organisation=base["org"]).first(),
    }
