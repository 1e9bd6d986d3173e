"""`make bench` keeps working: the generator at a tiny scale and one round of requests, on the test database.

Nothing here asserts a time (DESIGN.md: speed is measured by `make bench`, never tested).
"""

import pytest

from bench import generate, run

pytestmark = pytest.mark.django_db

TINY = generate.Params(
    orgs=2,
    min_members=3,
    max_members=5,
    min_stakeholders=1,
    max_stakeholders=2,
    min_actions=5,
    max_actions=8,
    min_staff=10,
    max_staff=20,
    large_staff=60,
)


def quiet(line):
    pass


def test_generator_makes_the_data_once_per_set_of_parameters():
    from trellis.pathway.models import Action
    from trellis.tenancy.models import Membership, Organisation

    generate.ensure(TINY, log=quiet)
    assert Organisation.objects.count() == 2
    assert sorted(Action.objects.values_list("organisation__slug", flat=True).distinct().order_by()) == sorted(
        Organisation.objects.values_list("slug", flat=True)
    )
    assert Action.objects.count() == 8 + 5  # the large organisation has the most, the small the fewest
    admins = [m for m in Membership.objects.filter(user__email__startswith="admin@") if "org_admin" in m.roles]
    assert len(admins) == 2  # the org admins the benchmark signs in as

    from trellis.workforce.models import StaffRecord

    current = {org.slug: StaffRecord.objects.filter(organisation=org).current().count() for org in Organisation.objects.all()}
    assert sorted(current.values()) == [10, 60]  # current staff: the small and the large organisation
    assert StaffRecord.objects.supervisors().count() >= 4 and StaffRecord.objects.left().exists()

    from trellis.portfolio.actions import replays
    from trellis.portfolio.models import Cohort, Moderation, Portfolio, SampleDraw

    assert set(Cohort.objects.values_list("organisation__slug", flat=True)) == set(current)  # every organisation has one
    largest = run.largest_cohort(Organisation.objects.get(slug=max(current, key=current.get)))[1]
    assert set(Portfolio.objects.filter(cohort=largest).values_list("state", flat=True)) == set(Portfolio.State.values)
    assert {m.reason for m in Moderation.objects.all()} == set(Moderation.Reason.values)
    draws = SampleDraw.objects.prefetch_related("moderations")
    assert draws and all(replays(draw) for draw in draws)  # each draw chose what its seed chooses

    assert generate.ensure(TINY, log=quiet) == 0.0  # same parameters: reused
    assert Action.objects.count() == 13


def test_benchmark_times_every_page_and_reports_it():
    generate.ensure(TINY, log=quiet)

    result = run.benchmark(requests=1, warmup=0, log=quiet)
    report = run.render_report(result)

    for page in run.PAGES:
        measured = next(r for r in result.pages if r.page is page)
        assert not measured.error, f"{page.label}: {measured.error}"
        assert len(measured.times_ms) == 1
        assert measured.queries_small == measured.queries_large, f"{page.label}: query count depends on the data"
        assert f"| {page.label} | `{measured.url}` |" in report
    assert result.small.pk != result.large.pk
    assert "Stack overhead" in report
    assert "**ERROR**" not in report
