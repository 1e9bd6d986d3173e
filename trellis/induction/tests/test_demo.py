import pytest
from django_scopes import scope, scopes_disabled

from trellis.audit.models import AuditEvent
from trellis.induction import demo
from trellis.induction.models import CheckIn, ChecklistItem, FirstYear
from trellis.tenancy.management.commands.load_demo import DEMO_ORGANISATIONS, _members
from trellis.tenancy.models import Organisation
from trellis.workforce import demo as workforce_demo


@pytest.fixture
def riverside(db):
    """The Riverside demo organisation with its members and five years of its workforce register."""
    spec = next(spec for spec in DEMO_ORGANISATIONS if spec.slug == "riverside")
    organisation = Organisation.objects.create(name=spec.name, slug=spec.slug, kind=spec.kind, services=spec.services)
    members = _members(organisation, spec)
    admin = members["olivia"]
    with scope(organisation=organisation):
        workforce_demo.load(organisation, admin, service=spec.services, members=members)
    return organisation, members


@pytest.mark.scoped
def test_the_demo_has_new_supervisors_at_every_point_of_their_first_12_months(riverside):
    organisation, members = riverside
    with scope(organisation=organisation):
        summary = demo.load(organisation, members)
    assert summary["first 12 months open"] >= 2
    assert summary["first 12 months completed"] == 1
    with scopes_disabled():
        lucy = FirstYear.objects.get(staff__membership=members["lucy"])
        assert lucy.is_open and lucy.route == FirstYear.Route.PROMOTION
        overdue = ChecklistItem.objects.filter(first_year=lucy).overdue()
        assert list(overdue.values_list("title", flat=True)) == ["Introductions to partners"]
        assert ChecklistItem.objects.filter(first_year=lucy, completed_on__isnull=True).count() == 2  # one still to come
        assert list(CheckIn.objects.filter(first_year=lucy, held_on__isnull=False).values_list("months", flat=True)) == [1]

        newest = FirstYear.objects.filter(organisation=organisation).open().order_by("-start_date").first()
        assert newest.months_in() == 0  # someone in their first month
        assert not ChecklistItem.objects.filter(first_year=newest).overdue().exists()

        completed = FirstYear.objects.get(organisation=organisation, status="closed")
        assert completed.closing_reason == "completed"
        assert CheckIn.objects.get(first_year=completed, months=12).held_on is not None

        # Written through the actions, so the trail is real.
        assert AuditEvent.objects.filter(verb="opened first 12 months").count() == FirstYear.objects.count()
        assert AuditEvent.objects.filter(verb="ticked off checklist item", actor=members["lucy"].user).exists()
