"""The coverage map: standards and statements against the evidence in a portfolio, drawn from the
portfolio as it is and from a submission's frozen copy, in a fixed number of queries."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from trellis.frameworks.models import Framework, FrameworkVersion, Standard
from trellis.portfolio import actions
from trellis.portfolio.coverage import coverage, coverage_from_snapshot, library_coverage, snapshot_of

from .evidence_world import PDF_BYTES, build_world, upload


@pytest.fixture
def world(org, admin):
    return build_world(org, admin)


def rows(cover):
    """[(label, count, titles)] for the whole map."""
    return [(row.statement.number if row.is_statement else row.standard.number, row.count, row.titles) for row in cover.rows]


def mapped(world, title, *targets, in_portfolio=True):
    """An item of Pia's mapped to each (standard, statement or None), optionally in her portfolio."""
    item = world.item(title)
    for standard, statement in targets:
        actions.add_mapping(item, actor=world.pia_login, standard=standard, statement=statement, how="Because.")
    if in_portfolio:
        actions.add_to_portfolio(item, actor=world.pia_login, portfolio=world.portfolio)
    return item


def test_an_empty_portfolio_has_every_standard_and_statement_with_none(world):
    cover = coverage(world.portfolio)
    assert rows(cover) == [("4", 0, []), ("4.1", 0, []), ("4.2", 0, []), ("7", 0, [])]
    assert len(cover.gaps) == 4 and (cover.standards_covered, cover.standards_total) == (0, 2)
    assert cover.frameworks[0].name == "PS KSS (2018)"


def test_items_count_for_what_they_evidence(world):
    four, seven = world.standards
    first, second = world.statements
    mapped(world, "Observation", (four, None), (four, first))
    mapped(world, "Feedback", (four, first), (seven, None))
    mapped(world, "Not in this portfolio", (seven, None), in_portfolio=False)
    cover = coverage(world.portfolio)
    # An item counts once for a standard, whether it maps to the standard, a statement, or both.
    assert rows(cover) == [
        ("4", 2, ["Feedback", "Observation"]),
        ("4.1", 2, ["Feedback", "Observation"]),
        ("4.2", 0, []),
        ("7", 1, ["Feedback"]),
    ]
    assert [row.statement.number for row in cover.gaps] == ["4.2"]
    assert (cover.standards_covered, cover.standards_total, cover.item_count) == (2, 2, 2)


def test_items_with_the_same_title_count_separately(world):
    mapped(world, "Reflection", (world.standards[1], None))
    mapped(world, "Reflection", (world.standards[1], None))
    assert rows(coverage(world.portfolio))[-1] == ("7", 2, ["Reflection", "Reflection"])


def test_standards_outside_the_cohorts_frameworks_are_not_on_its_map(world, org):
    from trellis.frameworks.models import FrameworkInUse

    other = Framework.objects.create(key="other-cov", name="Other", short_name="Other", service="any")
    version = FrameworkVersion.objects.create(framework=other, label="1")
    outside = Standard.objects.create(version=version, number="9", title="Elsewhere", position=9)
    FrameworkInUse.objects.create(organisation=org, version=version, service="any")
    item = mapped(world, "Mapped elsewhere", (world.standards[0], None))
    # A mapping to a standard the cohort does not use, made before she joined it, say.
    item.mappings.create(organisation=org, standard=outside, how="Old mapping.")
    assert [label for label, *_ in rows(coverage(world.portfolio))] == ["4", "4.1", "4.2", "7"]


def test_the_snapshot_keeps_what_was_submitted(world):
    four, seven = world.standards
    item = mapped(world, "Observation", (four, world.statements[1]))
    stored = actions.add_evidence_file(item, actor=world.pia_login, upload=upload("obs.pdf", PDF_BYTES))
    snapshot = snapshot_of(world.portfolio)
    assert snapshot == {
        "items": [
            {
                "id": str(item.pk),
                "title": "Observation",
                "kind": "reflective_account",
                "occurred_on": item.occurred_on.isoformat(),
                "reflection": "",
                "files": [{"id": str(stored.pk), "name": "obs.pdf"}],
                "mappings": [{"standard_id": str(four.pk), "statement_id": str(world.statements[1].pk), "how": "Because."}],
            }
        ]
    }
    submission = world.submit_with()
    world.return_portfolio()
    actions.add_mapping(item, actor=world.pia_login, standard=seven, how="Added after the return.")
    frozen = coverage_from_snapshot(submission.snapshot, world.cohort.frameworks.all())
    assert rows(frozen) == [("4", 1, ["Observation"]), ("4.1", 0, []), ("4.2", 1, ["Observation"]), ("7", 0, [])]
    assert rows(coverage(world.portfolio))[-1] == ("7", 1, ["Observation"])


def test_a_snapshot_map_takes_framework_versions_too(world):
    mapped(world, "Observation", (world.standards[1], None))
    snapshot = snapshot_of(world.portfolio)
    by_version = coverage_from_snapshot(snapshot, [world.framework.version])
    assert rows(by_version) == rows(coverage_from_snapshot(snapshot, [world.framework]))


def test_library_coverage_counts_all_the_persons_evidence(world):
    mapped(world, "In the portfolio", (world.standards[0], None))
    mapped(world, "Only in the library", (world.standards[1], None), in_portfolio=False)
    assert rows(library_coverage(world.pia)) == [
        ("4", 1, ["In the portfolio"]),
        ("4.1", 0, []),
        ("4.2", 0, []),
        ("7", 1, ["Only in the library"]),
    ]


def test_the_map_template_tags_gaps(world):
    mapped(world, "Observation", (world.standards[0], None))
    html = render_to_string("portfolio/_coverage.html", {"coverage": coverage(world.portfolio)})
    assert "1 of 2 standards has evidence. 3 standards or statements have none yet." in " ".join(html.split())
    assert html.count("None yet") == 3
    assert "<caption" in html and "PS KSS (2018)" in html and "4.2 Model transparent decisions" in html


def test_coverage_takes_the_same_queries_whatever_the_evidence(world):
    four, seven = world.standards
    mapped(world, "First", (four, None))
    submission_snapshot = snapshot_of(world.portfolio)
    with CaptureQueriesContext(connection) as few:
        coverage(world.portfolio)
        coverage_from_snapshot(submission_snapshot, world.cohort.frameworks.all())
        snapshot_of(world.portfolio)
    for n in range(8):
        item = mapped(world, f"More {n}", (four, world.statements[n % 2]), (seven, None))
        actions.add_evidence_file(item, actor=world.pia_login, upload=upload(f"{n}.pdf", PDF_BYTES))
    submission_snapshot = snapshot_of(world.portfolio)
    with CaptureQueriesContext(connection) as many:
        coverage(world.portfolio)
        coverage_from_snapshot(submission_snapshot, world.cohort.frameworks.all())
        snapshot_of(world.portfolio)
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
