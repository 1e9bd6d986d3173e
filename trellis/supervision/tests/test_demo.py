"""The demo's supervision of supervisors, loaded over the demo workforce of one organisation."""

import pytest
from django_scopes import scope, scopes_disabled

from trellis.mentoring.tests.test_demo import demo_workforce
from trellis.supervision import demo
from trellis.supervision.models import SupervisionAgreement
from trellis.supervision.status import register, standing_of
from trellis.tenancy.models import Role
from trellis.workforce.models import StaffRecord


@pytest.mark.scoped
def test_the_demo_supervision_loads_inside_the_organisations_scope(db):
    organisation, members = demo_workforce("northshire")
    with scope(organisation=organisation):
        summary = demo.load(organisation, members)
    assert summary["supervision agreements"] >= 10 and summary["supervision sessions"] >= 50
    with scopes_disabled():
        states = {
            name: standing_of(StaffRecord.objects.get(organisation=organisation, full_name=name)).state
            for name in ("Aisha Rahman", "Tom Brennan", "James Whitfield")
        }
        assert states == {"Aisha Rahman": "on_track", "Tom Brennan": "overdue", "James Whitfield": "review_due"}
        aisha = SupervisionAgreement.objects.get(staff__full_name="Aisha Rahman")
        assert aisha.supervisor.full_name != "Aisha Rahman" and aisha.frequency == "monthly"
        admin = next(m for m in members.values() if m.has_role(Role.ORG_ADMIN))
        rows = register(admin)
        assert {"no_agreement", "overdue", "on_track"} <= {row.state for row in rows}
