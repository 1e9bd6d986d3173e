import pytest
from django_scopes import scope, scopes_disabled

from trellis.audit.models import AuditEvent
from trellis.development import demo
from trellis.development.models import DevelopmentPlan, PartnershipRole, PlanStatus
from trellis.tenancy.management.commands import load_demo
from trellis.tenancy.models import Organisation
from trellis.workforce import demo as workforce_demo
from trellis.workforce.models import StaffRecord


def _load(slug):
    """One demo organisation's members and five-year workforce, as load_demo makes them, then ours."""
    spec = next(s for s in load_demo.DEMO_ORGANISATIONS if s.slug == slug)
    with scopes_disabled():
        organisation = Organisation.objects.create(name=spec.name, slug=spec.slug, services=spec.services)
        members = load_demo._members(organisation, spec)
    admin = next(m for m in members.values() if m.has_role("org_admin"))
    with scope(organisation=organisation):
        workforce_demo.load(organisation, admin, service=spec.services, members=members)
        summary = demo.load(organisation, members)
    return organisation, members, summary


def _plan(members, key):
    staff = StaffRecord.objects.get(membership=members[key])
    return DevelopmentPlan.objects.filter(staff=staff).with_status().get()


@pytest.mark.scoped
def test_northshire_has_an_agreed_plan_with_an_overdue_action_and_one_changed_since_agreed(db):
    organisation, members, summary = _load("northshire")
    with scopes_disabled():
        aisha = _plan(members, "aisha")
        assert aisha.status == PlanStatus.AGREED and aisha.overdue_count >= 1
        agreement = aisha.reviews.get(agreed=True)
        # Her line manager has no login in the demo workforce, so an admin recorded their agreement.
        assert agreement.reviewer_name == aisha.staff.line_manager.full_name and agreement.on_behalf_of is not None
        assert _plan(members, "tom").status == PlanStatus.CHANGED
        assert PartnershipRole.objects.filter(staff__membership=members["tom"]).count() == 2
        assert summary["development plans"] == DevelopmentPlan.objects.filter(organisation=organisation).count() > 5
        statuses = {plan.status for plan in DevelopmentPlan.objects.filter(organisation=organisation).with_status()}
        assert statuses == {PlanStatus.AGREED, PlanStatus.CHANGED, PlanStatus.DRAFT}
        assert AuditEvent.objects.filter(organisation=organisation, verb="added goal").exists()


@pytest.mark.scoped
def test_riverside_has_a_draft_shared_with_a_mentor_and_a_plan_agreed_by_a_signed_in_manager(db):
    _organisation, members, _summary = _load("riverside")
    with scopes_disabled():
        lucy = _plan(members, "lucy")
        assert lucy.status == PlanStatus.DRAFT and lucy.shared_with_mentor
        jordan = _plan(members, "jordan")
        agreement = jordan.reviews.get(agreed=True)
        assert jordan.status == PlanStatus.AGREED
        assert (agreement.reviewer_name, agreement.on_behalf_of) == ("Lucy Fraser", None)
