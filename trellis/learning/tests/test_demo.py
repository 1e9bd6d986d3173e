import pytest
from django_scopes import scope, scopes_disabled

from trellis.audit.models import AuditEvent
from trellis.learning import demo
from trellis.learning.models import Booking, Course, ExternalTraining, TrainingSession
from trellis.tenancy.management.commands.load_demo import DEMO_ORGANISATIONS, _members
from trellis.tenancy.models import Organisation
from trellis.workforce import demo as workforce_demo
from trellis.workforce.models import StaffRecord


@pytest.fixture
def northshire(db):
    """The demo workforce of Northshire, with its members' staff records, as load_demo writes it."""
    spec = next(s for s in DEMO_ORGANISATIONS if s.slug == "northshire")
    organisation = Organisation.objects.create(
        name=spec.name, slug=spec.slug, kind=spec.kind, services=spec.services, region=spec.region
    )
    members = _members(organisation, spec)
    admin = members["helen"]
    with scope(organisation=organisation):
        workforce_demo.load(organisation, admin, service=spec.services, members=members)
    return organisation, members


def completed(staff):
    return set(Booking.objects.filter(staff=staff).completed().values_list("session__course__default_key", flat=True))


@pytest.mark.scoped
def test_the_demo_training_loads_inside_the_organisations_scope(northshire):
    organisation, members = northshire
    with scope(organisation=organisation):
        summary = demo.load(organisation, members)
    with scopes_disabled():
        assert summary["courses"] == 5
        assert Course.objects.filter(organisation=organisation, is_core=True).count() == 5
        tom = StaffRecord.objects.get(membership=members["tom"])
        aisha = StaffRecord.objects.get(membership=members["aisha"])
        assert len(completed(tom)) == 4 and "performance-information" not in completed(tom)
        assert completed(aisha) == {"supervision-model", "reflective-supervision-skills"}
        assert Booking.objects.filter(staff=tom).upcoming().get().session.course.default_key == "performance-information"
        full = Booking.objects.filter(staff=aisha).upcoming().get().session
        assert full.course.default_key == "roles-and-responsibilities"
        assert full.bookings.filter(status="booked").count() == full.capacity
        assert full.bookings.filter(status="waiting").count() == 3
        assert AuditEvent.objects.filter(organisation=organisation, verb="gave a place from the waiting list").count() == 1
        assert TrainingSession.objects.filter(organisation=organisation, status="cancelled").count() == 1
        assert TrainingSession.objects.filter(organisation=organisation).needing_register().exists()
        assert ExternalTraining.objects.filter(staff=tom).count() == 3
        assert Booking.objects.filter(organisation=organisation, attendance="did_not_attend").exists()
