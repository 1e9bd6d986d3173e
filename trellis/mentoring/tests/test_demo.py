"""The demo's coaching, mentoring and peer groups, loaded over the demo workforce of one organisation."""

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from trellis.audit.models import AuditEvent
from trellis.frameworks.models import Framework, FrameworkInUse, FrameworkVersion, Standard
from trellis.mentoring import demo
from trellis.mentoring.actions import mentor_load
from trellis.mentoring.models import Attendance, MentoringOffer, MentorProfile, Mentorship, PeerGroup, PeerSession
from trellis.tenancy.management.commands.load_demo import DEMO_ORGANISATIONS, _members
from trellis.tenancy.models import Organisation, Role
from trellis.workforce import demo as workforce_demo


def demo_workforce(slug):
    """One demo organisation with its members and five years of workforce, as load_demo writes them."""
    spec = next(s for s in DEMO_ORGANISATIONS if s.slug == slug)
    with scopes_disabled():
        organisation = Organisation.objects.create(
            name=spec.name, slug=spec.slug, kind=spec.kind, services=spec.services, region=spec.region
        )
        members = _members(organisation, spec)
    admin = next(m for m in members.values() if m.has_role(Role.ORG_ADMIN))
    with scope(organisation=organisation):
        workforce_demo.load(organisation, admin, service=spec.services, members=members)
    return organisation, members


@pytest.mark.scoped
def test_the_demo_mentoring_loads_inside_the_organisations_scope(db):
    organisation, members = demo_workforce("northshire")
    with scopes_disabled():
        framework = Framework.objects.create(key="adult-pqs", name="Adult PQS", short_name="Adult PQS", service="adults")
        version = FrameworkVersion.objects.create(framework=framework, label="2018")
        for position, title in enumerate(["Relationship-based practice supervision", "Effective use of power"], start=1):
            Standard.objects.create(version=version, number=str(position), title=title, position=position, is_checked=True)
        FrameworkInUse.objects.create(organisation=organisation, version=version, service="adults")
    with scope(organisation=organisation):
        summary = demo.load(organisation, members)
    assert summary == {"mentoring relationships": 4, "peer groups": 2}
    today = timezone.localdate()
    with scopes_disabled():
        aisha = Mentorship.objects.get(mentee__full_name="Aisha Rahman")
        assert (aisha.mentor.full_name, aisha.kind, aisha.is_open) == ("Margaret Lloyd", "mentoring", True)
        assert aisha.sessions.count() >= 4
        assert all(session.standards.exists() for session in aisha.sessions.all())
        assert Mentorship.objects.get(mentee__full_name="Tom Brennan", kind="coaching").mentor.full_name == "Helen Marsden"
        assert Mentorship.objects.filter(organisation=organisation, ended_on__isnull=False).count() == 1
        assert any(mentor_load(p.staff) >= p.capacity for p in MentorProfile.objects.filter(organisation=organisation))
        assert MentoringOffer.objects.get(organisation=organisation).offer_first
        for group in PeerGroup.objects.filter(organisation=organisation):
            sessions = group.sessions.all()
            assert sessions.filter(status=PeerSession.Status.HELD).count() >= 3
            assert sessions.filter(status=PeerSession.Status.SCHEDULED, held_on__gte=today).exists()
            assert sessions.filter(status=PeerSession.Status.SCHEDULED, held_on__lt=today).exists()
            assert Attendance.objects.filter(session__group=group).exclude(commitment="").exists()
        assert {g.kind for g in PeerGroup.objects.filter(organisation=organisation)} == {"action_learning", "peer_supervision"}
        assert AuditEvent.objects.filter(verb="recorded attendance").exists()
