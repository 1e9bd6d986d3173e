"""The demo frameworks, loaded as load_demo loads them: inside the organisation's scope, after its
workforce."""

import pytest
from django_scopes import scope, scopes_disabled

from trellis.frameworks import demo
from trellis.frameworks.models import FrameworkInUse, RatingLevel, Standard, Statement
from trellis.tenancy.management.commands.load_demo import DEMO_ORGANISATIONS, _members
from trellis.tenancy.models import Organisation
from trellis.workforce import demo as workforce_demo


def _organisation(slug):
    spec = next(spec for spec in DEMO_ORGANISATIONS if spec.slug == slug)
    with scopes_disabled():
        organisation = Organisation.objects.create(
            name=spec.name, slug=spec.slug, kind=spec.kind, services=spec.services, region=spec.region
        )
        return organisation, _members(organisation, spec)


@pytest.mark.scoped
def test_riverside_works_against_the_kss_and_its_own_standards(db):
    organisation, members = _organisation("riverside")
    with scope(organisation=organisation):
        workforce_demo.load(organisation, members["olivia"], service=organisation.services, members=members)
        summary = demo.load(organisation, members)
    assert summary == {"frameworks in force": 2, "own framework standards": 5, "own framework statements": 12}
    with scopes_disabled():
        in_force = {
            row.version.framework.name: row for row in FrameworkInUse.objects.filter(organisation=organisation, is_active=True)
        }
        assert set(in_force) == {
            "Post-qualifying standard: knowledge and skills statement for practice supervisors",
            "Riverside practice supervision standards",
        }
        assert all(row.service == "children" for row in in_force.values())
        own = in_force["Riverside practice supervision standards"]
        assert own.version.framework.organisation == organisation  # its own, never presented as the DfE's
        assert "does not quote or replace it" in own.version.framework.description
        assert not Standard.objects.filter(version=own.version, is_checked=True).exists()
        levels = RatingLevel.objects.filter(framework_in_use=own).order_by("value").values_list("label", flat=True)
        assert list(levels) == ["Emerging", "Developing", "Secure", "Leading"]


@pytest.mark.scoped
def test_northshire_works_against_the_adult_pqs_and_its_own_standards(db):
    organisation, members = _organisation("northshire")
    with scope(organisation=organisation):
        summary = demo.load(organisation, members)
    assert summary == {"frameworks in force": 2, "own framework standards": 6, "own framework statements": 15}
    with scopes_disabled():
        names = set(
            FrameworkInUse.objects.filter(organisation=organisation, is_active=True, service="adults").values_list(
                "version__framework__name", flat=True
            )
        )
        assert names == {
            "Adult social work post-qualifying standards: knowledge and skills statement",
            "Northshire practice supervision standards",
        }
        counts = [
            Statement.objects.filter(standard=s).count()
            for s in Standard.objects.filter(version__framework__organisation=organisation)
        ]
        assert len(counts) == 6 and all(2 <= n <= 4 for n in counts)
