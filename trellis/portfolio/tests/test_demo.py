"""The demo's cohorts and portfolios, as `load_demo` writes them for both organisations and the network
between them: what a newcomer signing in as each demo person finds."""

import datetime
import io
from io import StringIO

import pypdf
import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from trellis.audit.models import AuditEvent
from trellis.insights.figures import FEWER_THAN_5
from trellis.notifications.models import Notification
from trellis.portfolio import feedback, queries
from trellis.portfolio.demo import CURRENT_STARTED, NETWORK, cohort_name, demo_pdf
from trellis.portfolio.models import (
    Cohort,
    Comment,
    EvidenceFile,
    EvidenceItem,
    Moderation,
    Portfolio,
    Questionnaire,
    Review,
    SampleDraw,
    SignOff,
    StandardDecision,
)
from trellis.portfolio.uploads import check_upload
from trellis.tenancy import policy
from trellis.tenancy.models import Membership, Network, Organisation

State = Portfolio.State


def run(command, *args):
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Both demo organisations take a while to write, so they are loaded once for the module and each test
    reads them in its own rolled-back transaction; emptied afterwards for the rest of the suite."""
    with django_db_blocker.unblock():
        out = run("load_demo")
    yield out
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(loaded, db):
    return {org.slug: org for org in Organisation.objects.filter(slug__in=["northshire", "riverside"])}


def member(organisation, first_name, guest=False):
    rows = Membership.objects.filter(organisation=organisation, guest_of_network__isnull=not guest).select_related("user")
    return next(m for m in rows if m.user.full_name.split()[0].lower() == first_name)


def current_cohort(organisation):
    return Cohort.objects.get(
        organisation=organisation, name=cohort_name(timezone.localdate() - datetime.timedelta(CURRENT_STARTED))
    )


def portfolio_of(cohort, full_name):
    return Portfolio.objects.get(cohort=cohort, staff__full_name=full_name)


def row_counts():
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


def test_load_demo_reports_the_cohorts_and_the_network(loaded):
    assert "2 cohorts, 16 portfolios" in loaded
    assert "1 cohorts, 3 portfolios" in loaded
    assert f"{NETWORK}: Northshire County Council and Riverside Children's Trust" in loaded
    assert "Niamh O'Connor reviews for Northshire County Council as a network guest" in loaded


def test_the_current_cohort_has_a_portfolio_at_every_state(demo):
    cohort = current_cohort(demo["northshire"])
    assert (timezone.localdate() - cohort.starts_on).days >= 180 and cohort.ended_on is None
    states = set(cohort.portfolios.values_list("state", flat=True))
    assert {State.DRAFT, State.WITH_MENTOR, State.SUBMITTED, State.RETURNED, State.RECOMMENDED, State.SIGNED_OFF} <= states

    # Returned, with a decision and feedback on each standard not yet met.
    aisha = portfolio_of(cohort, "Aisha Rahman")
    review = aisha.submissions.get().review
    assert (aisha.state, review.outcome, review.disputed_at) == (State.RETURNED, Review.Outcome.RETURNED, None)
    not_met = review.decisions.filter(met=False)
    assert not_met.count() == 2 and all(d.feedback for d in not_met)
    assert review.decisions.count() == cohort.frameworks.get().version.standards.count()
    # She has added evidence since, and what the reviewer saw is kept as it was.
    submitted = {entry["id"] for entry in aisha.submissions.get().snapshot["items"]}
    live = {str(pk) for pk in aisha.items.values_list("pk", flat=True)}
    assert submitted < live
    changed = aisha.items.get(title="Supervising colleagues who used to be my peers")
    seen = next(e for e in aisha.submissions.get().snapshot["items"] if e["id"] == str(changed.pk))
    assert seen["reflection"] != changed.reflection and changed.version > 1

    # A disputed return, waiting for its moderator to second-mark it.
    james = portfolio_of(cohort, "James Whitfield")
    disputed = Moderation.objects.get(review__submission__portfolio=james)
    assert disputed.reason == Moderation.Reason.DISPUTED and disputed.review.dispute_reason
    assert disputed.moderator.user.full_name == "Ruth Adeyemi" and disputed.second_marked_at is None

    # Recommended, drawn at random, second-marked blind and agreed: waiting to be signed off.
    sampled = Moderation.objects.get(review__submission__portfolio__cohort=cohort, reason=Moderation.Reason.SAMPLED)
    assert sampled.review.submission.portfolio.state == State.RECOMMENDED
    assert sampled.agrees is True and sampled.second_marked_at and sampled.draw.cohort == cohort
    assert StandardDecision.objects.filter(moderation=sampled).count() == sampled.review.decisions.count()
    # A close call: the moderator disagreed, the reviewer's decision stood, and it was signed off.
    borderline = Moderation.objects.get(review__submission__portfolio__cohort=cohort, reason=Moderation.Reason.BORDERLINE)
    assert borderline.agrees is False and borderline.resolution == Moderation.Resolution.FIRST_DECISION
    assert borderline.resolved_by.user.full_name == "Helen Marsden"
    assert borderline.review.submission.portfolio.state == State.SIGNED_OFF
    # Two decided reviews are not in moderation yet, for the next draw.
    assert queries.sample_candidates(cohort)["total"] == 2

    # Shared with his coach, who commented; Tom replied.
    tom = portfolio_of(cohort, "Tom Brennan")
    assert tom.state == State.WITH_MENTOR and tom.mentor.user.full_name == "Helen Marsden"
    authors = list(Comment.objects.filter(portfolio=tom).order_by("created_at").values_list("author__user__full_name", flat=True))
    assert authors == ["Helen Marsden", "Helen Marsden", "Tom Brennan"]


def test_demo_people_sign_in_to_work_waiting_for_them(demo):
    northshire = demo["northshire"]

    def waiting(first_name, guest=False):
        return queries.waiting_for(member(northshire, first_name, guest))

    assert [p.staff.full_name for p in waiting("aisha").to_revise] == ["Aisha Rahman"]
    assert [q.cohort.name for q in waiting("aisha").questionnaires] == [
        cohort_name(timezone.localdate() - datetime.timedelta(600))
    ]
    assert [p.staff.full_name for p in queries.my_portfolios(member(northshire, "tom"))] == ["Tom Brennan"]
    assert [p.staff.full_name for p in waiting("helen").to_comment] == ["Tom Brennan"]
    assert len(waiting("margaret").to_comment) == 1
    assert len(waiting("gareth").to_review) == 1
    assert [m.staff.full_name for m in waiting("ruth").to_moderate] == ["James Whitfield"]
    for admin in ("helen", "fiona"):
        assert len(waiting(admin).to_sign_off) == 1
    assert len(waiting("niamh", guest=True).to_review) == 1
    # What waits on each is newest in their notices, unread; older notices have been read.
    unread = Notification.objects.filter(organisation=northshire, read_at=None)
    assert {n.recipient.user.full_name for n in unread} >= {"Gareth Price", "Helen Marsden", "Margaret Lloyd", "Niamh O'Connor"}


def test_evidence_is_mapped_with_how_some_from_trellis_records_and_files_are_real_pdfs(demo):
    items = EvidenceItem.objects.filter(organisation=demo["northshire"])
    assert items.count() >= 50
    assert all(item.mappings.exists() for item in items)
    assert not items.filter(mappings__how="").exists()
    from_records = items.exclude(source_id="")
    assert {item.source_label.split(" ")[0] for item in from_records} >= {"Course:", "Mentoring"}
    assert all(item.reflection for item in from_records)
    assert EvidenceItem.objects.filter(organisation=demo["riverside"], mappings__statement__isnull=False).exists()

    files = EvidenceFile.objects.filter(organisation=demo["northshire"])
    assert files.count() == 2
    for evidence_file in files:
        with evidence_file.file.open("rb") as handle:
            content = handle.read()
        assert content.startswith(b"%PDF-") and evidence_file.size == len(content)
        assert "supervision" in pypdf.PdfReader(io.BytesIO(content), strict=True).pages[0].extract_text().lower()
        assert check_upload(SimpleUploadedFile(evidence_file.name, content)).content_type == "application/pdf"


def test_the_demo_pdf_is_a_valid_pdf_and_escapes_brackets():
    content = demo_pdf("A title (with brackets)", ["A paragraph long enough to wrap onto a second line. " * 3])
    text = pypdf.PdfReader(io.BytesIO(content), strict=True).pages[0].extract_text()
    assert "A title (with brackets)" in text and "second line" in text


def test_the_ended_cohort_has_feedback_with_some_results_shown_and_some_suppressed(demo):
    questionnaire = Questionnaire.objects.get(cohort__organisation=demo["northshire"], cohort__ended_on__isnull=False)
    assert questionnaire.is_open and questionnaire.anonymous
    assert all(p.state == State.SIGNED_OFF for p in questionnaire.cohort.portfolios.all())
    report = feedback.results(questionnaire)
    assert report["total"] == 5 and report["enough"]
    cells = [cell for row in report["questions"] if row["is_scale"] for cell in row["groups"][0]["cells"]]
    assert "5" in cells and FEWER_THAN_5 in cells
    written = [row for row in report["questions"] if not row["is_scale"]]
    assert all(row["answers"] for row in written)
    assert len(queries.people_asked(questionnaire.cohort)) == 6


def test_riverside_has_a_smaller_cohort_in_early_states(demo):
    (cohort,) = Cohort.objects.filter(organisation=demo["riverside"])
    portfolios = list(cohort.portfolios.select_related("staff"))
    assert 2 <= len(portfolios) <= 3
    assert {p.state for p in portfolios} == {State.DRAFT, State.WITH_MENTOR}
    assert {"Lucy Fraser", "Kwame Mensah"} <= {p.staff.full_name for p in portfolios}
    assert Comment.objects.filter(portfolio__cohort=cohort).exists()


def test_the_network_guest_sees_only_the_portfolio_assigned_to_them(demo, client):
    northshire, riverside = demo["northshire"], demo["riverside"]
    network = Network.objects.get(name=NETWORK)
    assert set(network.organisations.all()) == {northshire, riverside}
    guest = member(northshire, "niamh", guest=True)
    assert guest.is_guest and guest.roles == ["reviewer"] and guest.home_organisation == riverside
    assert member(riverside, "niamh").has_role("reviewer")

    portfolios = Portfolio.objects.filter(organisation=northshire)
    visible = [p for p in portfolios if policy.allows(guest, "portfolio.view_portfolio", p)]
    assert len(visible) == 1 and visible[0].reviewer == guest and visible[0].state == State.SUBMITTED
    assert queries.waiting_for(guest).to_review == visible
    cohort = visible[0].cohort
    assert not policy.allows(guest, "portfolio.view_cohort", cohort)
    assert not policy.allows(guest, "portfolio.view_cohorts")

    client.force_login(guest.user)
    base = "/o/northshire/portfolio"
    assert client.get(f"{base}/portfolios/{visible[0].pk}/review/").status_code == 200
    other = portfolios.exclude(pk=visible[0].pk).filter(state=State.SUBMITTED).get()
    assert client.get(f"{base}/portfolios/{other.pk}/").status_code == 403
    assert client.get(f"{base}/cohorts/{cohort.pk}/").status_code == 403


def test_every_step_is_in_the_audit_trail(demo):
    for organisation in demo.values():
        trail = AuditEvent.objects.filter(organisation=organisation)
        portfolios = Portfolio.objects.filter(organisation=organisation)
        submitted = trail.filter(verb="submitted for review", target_type="portfolio.portfolio").count()
        assert submitted == sum(p.submissions.count() for p in portfolios)
        assert (
            trail.filter(verb="added evidence item", target_type="portfolio.evidenceitem").count()
            + trail.filter(verb="added evidence from Trellis").count()
            == EvidenceItem.objects.filter(organisation=organisation).count()
        )
        assert trail.filter(verb="signed off").count() == SignOff.objects.filter(organisation=organisation).count()
    northshire = AuditEvent.objects.filter(organisation=demo["northshire"])
    assert northshire.filter(verb="added guest").count() == 1
    assert (
        northshire.filter(verb="drew moderation sample").count()
        == SampleDraw.objects.filter(organisation=demo["northshire"]).count()
    )
    assert northshire.filter(verb="disputed the decision").count() == 1
    assert northshire.filter(verb="resolved disagreement").count() == 1


def test_the_story_is_dated_in_order_before_today(demo):
    now = timezone.now()
    for portfolio in Portfolio.objects.filter(organisation__in=demo.values()):
        assert portfolio.created_at <= portfolio.state_changed_at < now
        if portfolio.shared_with_mentor_at:
            assert portfolio.created_at < portfolio.shared_with_mentor_at < now
        for submission in portfolio.submissions.all():
            review = getattr(submission, "review", None)
            if review is not None and review.decided_at:
                assert submission.submitted_at < review.decided_at <= portfolio.state_changed_at
        for sign_off in portfolio.sign_offs.all():
            assert sign_off.decided_at == portfolio.state_changed_at
    for moderation in Moderation.objects.filter(organisation__in=demo.values(), decided_at__isnull=False):
        assert moderation.review.decided_at <= moderation.created_at < moderation.second_marked_at < moderation.decided_at < now
    for item in EvidenceItem.objects.filter(organisation__in=demo.values()):
        assert item.occurred_on <= timezone.localdate(item.created_at) and item.created_at <= item.updated_at < now


def test_the_stories_notices_were_not_emailed_now_and_old_ones_are_read(demo):
    notices = Notification.objects.filter(organisation__in=demo.values())
    assert notices.exists() and not notices.filter(emailed_at=None).exists()
    week_ago = timezone.now() - datetime.timedelta(days=7)
    assert not notices.filter(read_at=None, created_at__lt=week_ago).exists()
    assert notices.filter(read_at=None).exists()


def test_running_again_changes_nothing(demo):
    before = row_counts()
    out = run("load_demo")
    assert row_counts() == before
    assert "already loaded" in out and NETWORK not in out
