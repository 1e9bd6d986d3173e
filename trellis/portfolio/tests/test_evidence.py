"""Evidence items: adding, changing and deleting them, what they evidence, adding records from elsewhere
in Trellis, choosing them for a portfolio, and the lock while a portfolio is under review; through the
actions and through the pages."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from trellis.audit.models import AuditEvent
from trellis.audit.versions import StaleEdit
from trellis.learning.models import Booking, Course, ExternalTraining, TrainingSession
from trellis.mentoring import actions as mentoring_actions
from trellis.portfolio import actions, sources
from trellis.portfolio.models import EvidenceItem, EvidenceMapping, PortfolioItem
from trellis.supervision.models import SupervisionSession

from .evidence_world import PDF_BYTES, build_world, upload

TODAY = timezone.localdate()


def url(name, *args):
    return reverse(f"portfolio:{name}", args=["northshire", *args])


@pytest.fixture
def world(org, admin):
    return build_world(org, admin)


def events(target, verb=None):
    rows = AuditEvent.objects.filter(target_id=str(target.pk))
    return rows.filter(verb=verb) if verb else rows


# --- Items -----------------------------------------------------------------------------------------------


def test_a_supervisor_adds_an_item_to_their_evidence(world):
    item = world.item("Observation of my group supervision", kind="observation", reflection="  I held the silence.  ")
    assert item.staff == world.pia and item.version == 1
    assert item.reflection == "I held the silence."
    event = events(item, "added evidence item").get()
    assert event.changes["kind"] == [None, "Observation of their supervision"]
    assert event.changes["person"] == [None, "Pia Supervisor"]


def test_an_item_dated_in_the_future_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        world.item(occurred_on=TODAY + datetime.timedelta(days=1))
    assert refused.value.message_dict == {"occurred_on": ["Date must be today or in the past"]}


def test_an_unknown_kind_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        world.item(kind="gossip")
    assert "kind" in refused.value.message_dict


def test_only_the_person_keeps_their_evidence_unless_they_have_no_login(world, admin, leader):
    with pytest.raises(PermissionDenied):
        world.item(actor=admin)  # Pia signs in: her evidence is hers to write
    with pytest.raises(PermissionDenied):
        world.item(actor=leader, staff=world.nell)
    kept = world.item("From Nell's paper portfolio", actor=admin, staff=world.nell)
    assert kept.created_by == admin


def test_another_organisations_person_is_refused(world, member_with, other_org):
    outsider_admin = member_with("org_admin", organisation=other_org)
    with pytest.raises((PermissionDenied, ValueError)):
        world.item(actor=outsider_admin, staff=world.nell)


def test_an_item_is_changed_and_the_change_recorded(world):
    item = world.item()
    actions.update_evidence_item(item, actor=world.pia_login, expected_version=1, title="Renamed", reflection="New words.")
    item.refresh_from_db()
    assert (item.title, item.reflection, item.version) == ("Renamed", "New words.", 2)
    assert events(item, "updated").get().changes["title"] == ["Group supervision I led", "Renamed"]


def test_a_stale_edit_is_refused_and_says_what_changed(world):
    item = world.item()
    actions.update_evidence_item(item, actor=world.pia_login, expected_version=1, title="Changed in another tab")
    with pytest.raises(StaleEdit) as stale:
        actions.update_evidence_item(item, actor=world.pia_login, expected_version=1, title="Mine")
    assert ("Title", "Group supervision I led", "Changed in another tab") in stale.value.changes


def test_an_item_is_locked_while_its_portfolio_is_under_review_and_editable_after_return(world):
    item = world.item()
    actions.add_mapping(item, actor=world.pia_login, standard=world.standards[0], how="I did.")
    world.submit_with(item)
    for change in (
        lambda: actions.update_evidence_item(item, actor=world.pia_login, expected_version=None, title="Sneaky"),
        lambda: actions.add_mapping(item, actor=world.pia_login, standard=world.standards[1], how="x"),
        lambda: actions.remove_mapping(item.mappings.get(), actor=world.pia_login),
        lambda: actions.add_evidence_file(item, actor=world.pia_login, upload=upload("a.pdf", PDF_BYTES)),
        lambda: actions.remove_from_portfolio(item, actor=world.pia_login, portfolio=world.portfolio),
    ):
        with pytest.raises(ValidationError) as refused:
            change()
        assert "submitted for review" in " ".join(refused.value.messages)
    world.return_portfolio()
    actions.update_evidence_item(item, actor=world.pia_login, expected_version=None, title="Better title")
    item.refresh_from_db()
    assert item.title == "Better title"
    # What the reviewer saw is unchanged.
    assert world.portfolio.submissions.get().snapshot["items"][0]["title"] == "Group supervision I led"


def test_an_item_never_submitted_is_deleted_with_its_files(world):
    item = world.item()
    stored = actions.add_evidence_file(item, actor=world.pia_login, upload=upload("a.pdf", PDF_BYTES))
    storage, name = stored.file.storage, stored.file.name
    assert storage.exists(name)
    actions.add_to_portfolio(item, actor=world.pia_login, portfolio=world.portfolio)
    with pytest.raises(PermissionDenied):
        actions.delete_evidence_item(item, actor=world.admin)
    with pytest.raises(PermissionDenied):  # nor anyone else's
        actions.delete_evidence_item(item, actor=world.mentor)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        actions.delete_evidence_item(item, actor=world.pia_login)
    assert not EvidenceItem.objects.filter(pk=item.pk).exists()
    assert not PortfolioItem.objects.exists()
    assert not storage.exists(name)
    assert events(item, "deleted evidence item").get().changes["title"] == ["Group supervision I led", None]


def test_an_item_that_was_ever_submitted_cannot_be_deleted(world):
    item = world.item()
    world.submit_with(item)
    with pytest.raises(ValidationError) as refused:
        actions.delete_evidence_item(item, actor=world.pia_login)
    assert "was submitted for review in the portfolio for Spring cohort" in refused.value.messages[0]
    # Returned, taken out of the portfolio: still part of what was decided on.
    world.return_portfolio()
    actions.remove_from_portfolio(item, actor=world.pia_login, portfolio=world.portfolio)
    with pytest.raises(ValidationError):
        actions.delete_evidence_item(item, actor=world.pia_login)
    assert EvidenceItem.objects.filter(pk=item.pk).exists()


# --- What an item evidences --------------------------------------------------------------------------------


def test_an_item_is_mapped_to_a_standard_and_a_statement_with_how(world):
    item = world.item()
    first, second = world.standards
    actions.add_mapping(item, actor=world.pia_login, standard=first, how="  Whole standard.  ")
    actions.add_mapping(item, actor=world.pia_login, standard=first, statement=world.statements[0], how="The first statement.")
    actions.add_mapping(item, actor=world.pia_login, standard=second, how="Second.")
    assert [(m.standard.number, m.statement and m.statement.number, m.how) for m in item.mappings.all()] == [
        ("4", None, "Whole standard."),
        ("4", "4.1", "The first statement."),
        ("7", None, "Second."),
    ]
    mapped = events(item, "mapped evidence").order_by("at").first()
    assert mapped.changes["evidences"] == [None, "PS KSS 4. Effective use of power and authority"]


@pytest.mark.parametrize(
    ("statement_index", "field"),
    [(None, "standard"), (0, "statement")],
)
def test_the_same_mapping_twice_is_refused(world, statement_index, field):
    item = world.item()
    statement = world.statements[statement_index] if statement_index is not None else None
    actions.add_mapping(item, actor=world.pia_login, standard=world.standards[0], statement=statement, how="Once.")
    with pytest.raises(ValidationError) as refused:
        actions.add_mapping(item, actor=world.pia_login, standard=world.standards[0], statement=statement, how="Twice.")
    assert "already evidences" in refused.value.message_dict[field][0]
    assert item.mappings.count() == 1


def test_a_mapping_needs_how(world):
    with pytest.raises(ValidationError) as refused:
        actions.add_mapping(world.item(), actor=world.pia_login, standard=world.standards[0], how="   ")
    assert refused.value.message_dict == {"how": ["Enter how this item evidences it"]}


def test_a_statement_of_another_standard_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        actions.add_mapping(
            world.item(), actor=world.pia_login, standard=world.standards[1], statement=world.statements[0], how="x"
        )
    assert "Select a statement of standard 7" in refused.value.message_dict["statement"][0]


def test_standards_come_from_the_persons_cohorts_or_else_the_frameworks_in_force(world, org):
    from trellis.frameworks.models import Framework, FrameworkInUse, FrameworkVersion, Standard

    other = Framework.objects.create(key="adult-ev", name="Adult PQS", short_name="Adult PQS", service="adults")
    version = FrameworkVersion.objects.create(framework=other, label="2018")
    adult_standard = Standard.objects.create(version=version, number="3", title="Capable social workers", position=3)
    FrameworkInUse.objects.create(organisation=org, version=version, service="any")
    # Pia is in a cohort: only the cohort's framework counts.
    with pytest.raises(ValidationError) as refused:
        actions.add_mapping(world.item(), actor=world.pia_login, standard=adult_standard, how="x")
    assert refused.value.message_dict == {"standard": ["Select a standard from the frameworks you work against"]}
    # Nell is in no cohort: every framework in force for her service.
    nells = world.item(actor=world.admin, staff=world.nell)
    actions.add_mapping(nells, actor=world.admin, standard=adult_standard, how="From her paper portfolio.")


def test_a_mapping_is_changed_and_removed(world):
    item = world.item()
    mapping = actions.add_mapping(item, actor=world.pia_login, standard=world.standards[0], how="First go.")
    actions.update_mapping(
        mapping, actor=world.pia_login, standard=world.standards[0], statement=world.statements[1], how="Better."
    )
    mapping.refresh_from_db()
    assert (mapping.statement, mapping.how) == (world.statements[1], "Better.")
    assert events(item, "changed mapping").get().changes["how"] == ["First go.", "Better."]
    actions.remove_mapping(mapping, actor=world.pia_login)
    assert not item.mappings.exists()
    assert events(item, "removed mapping").exists()


# --- Records elsewhere in Trellis ---------------------------------------------------------------------------


@pytest.fixture
def mentoring_session(world, admin):
    mentor_staff = world.person("Maya Mentor")
    mentoring_actions.add_mentor(actor=admin, staff=mentor_staff, capacity=2)
    mentorship = mentoring_actions.match_mentor(
        actor=admin,
        mentor=mentor_staff,
        mentee=world.pia,
        kind="mentoring",
        goals="Confidence.",
        started_on=datetime.date(2026, 1, 5),
    )
    return mentoring_actions.log_session(
        mentorship,
        actor=world.pia_login,
        held_on=datetime.date(2026, 3, 2),
        duration_minutes=60,
        themes="Power in supervision",
        standards=[world.standards[0]],
    )


def test_a_mentoring_session_becomes_evidence_in_one_action(world, mentoring_session):
    item = actions.add_evidence_from(mentoring_session, actor=world.pia_login)
    assert (item.title, item.kind, item.occurred_on) == (
        "Mentoring session: Power in supervision",
        "reflective_account",
        datetime.date(2026, 3, 2),
    )
    assert item.source_label == "Mentoring session with Maya Mentor on 2 March 2026"
    assert item.source_id == str(mentoring_session.pk)
    (mapping,) = item.mappings.all()
    assert (mapping.standard, mapping.how) == (world.standards[0], "Worked on in mentoring session on 2 March 2026.")
    assert events(item, "added evidence from Trellis").get().changes["source"][1] == item.source_label
    assert sources.link_back("northshire", item) == (
        reverse("mentoring:relationship", args=["northshire", mentoring_session.mentorship_id]) + "#sessions"
    )


def test_the_same_record_twice_is_refused_naming_the_item(world, mentoring_session):
    first = actions.add_evidence_from(mentoring_session, actor=world.pia_login)
    with pytest.raises(actions.AlreadyEvidence) as refused:
        actions.add_evidence_from(mentoring_session, actor=world.pia_login)
    assert refused.value.item == first
    assert EvidenceItem.objects.count() == 1


def test_someone_elses_record_cannot_be_added(world, mentoring_session, member_with):
    stranger = member_with("practice_supervisor")
    world.person("Stan Stranger", login=stranger)
    with pytest.raises(PermissionDenied):
        actions.add_evidence_from(mentoring_session, actor=stranger)


def test_courses_training_elsewhere_and_supervision_become_evidence(world, admin):
    course = Course.objects.create(
        organisation=world.org, title="Leading reflective supervision", summary="s", audience="a", provider="p", hours=6
    )
    course.standards.set([world.standards[1]])
    session = TrainingSession.objects.create(
        organisation=world.org,
        course=course,
        date=datetime.date(2026, 2, 10),
        start_time=datetime.time(9, 30),
        end_time=datetime.time(16, 0),
        mode="in_person",
        capacity=10,
    )
    booking = Booking.objects.create(
        organisation=world.org,
        session=session,
        staff=world.pia,
        status="booked",
        attendance="attended",
        completed_on=datetime.date(2026, 2, 10),
    )
    elsewhere = ExternalTraining.objects.create(
        organisation=world.org,
        staff=world.pia,
        title="Systemic practice module",
        provider="University of Northshire",
        completed_on=datetime.date(2025, 12, 1),
        hours=20,
    )
    supervisor = world.person("Sid Senior")
    supervision = SupervisionSession.objects.create(
        organisation=world.org,
        staff=world.pia,
        supervisor=supervisor,
        held_on=datetime.date(2026, 4, 1),
        length_minutes=90,
        themes="Workload and wellbeing",
    )
    found = {c.token: c for c in sources.candidates(world.pia_login, world.pia)}
    assert set(found) == {sources.token(booking), sources.token(elsewhere), sources.token(supervision)}

    from_course = actions.add_evidence_from(booking, actor=world.pia_login)
    assert (from_course.title, from_course.kind) == ("Leading reflective supervision", "training_certificate")
    assert (
        from_course.mappings.get().how
        == "Developed on the course ‘Leading reflective supervision’, completed on 10 February 2026."
    )
    from_elsewhere = actions.add_evidence_from(elsewhere, actor=world.pia_login)
    assert (
        from_elsewhere.source_label
        == "Training done elsewhere: Systemic practice module, University of Northshire, 1 December 2025"
    )
    from_supervision = actions.add_evidence_from(supervision, actor=world.pia_login)
    assert from_supervision.title == "Supervision on 1 April 2026: Workload and wellbeing"
    assert sources.link_back("northshire", from_supervision) == reverse("supervision:person", args=["northshire", world.pia.pk])
    assert all(c.item is not None for c in sources.candidates(world.pia_login, world.pia))


def test_a_deleted_source_leaves_its_label(world, mentoring_session):
    item = actions.add_evidence_from(mentoring_session, actor=world.pia_login)
    mentoring_actions.delete_session(mentoring_session, actor=world.pia_login)
    item.refresh_from_db()
    assert sources.link_back("northshire", item) is None
    assert item.source_label.startswith("Mentoring session with Maya Mentor")


# --- Portfolios ---------------------------------------------------------------------------------------------


def test_an_item_is_added_to_and_removed_from_a_portfolio(world):
    item = world.item()
    actions.add_to_portfolio(item, actor=world.pia_login, portfolio=world.portfolio)
    assert list(world.portfolio.items.all()) == [item]
    with pytest.raises(ValidationError, match="already in the portfolio"):
        actions.add_to_portfolio(item, actor=world.pia_login, portfolio=world.portfolio)
    actions.remove_from_portfolio(item, actor=world.pia_login, portfolio=world.portfolio)
    assert not world.portfolio.items.exists()
    verbs = list(events(world.portfolio).values_list("verb", flat=True))
    assert "added evidence item" in verbs and "removed evidence item" in verbs


def test_a_submitted_portfolio_takes_no_new_evidence(world):
    world.submit_with(world.item())
    with pytest.raises(ValidationError) as refused:
        actions.add_to_portfolio(world.item("Late"), actor=world.pia_login, portfolio=world.portfolio)
    assert refused.value.messages == [
        "The portfolio for Spring cohort is submitted for review, so the evidence in it cannot change now."
    ]


def test_an_item_goes_only_into_its_own_persons_portfolio(world):
    nells = world.item(actor=world.admin, staff=world.nell)
    with pytest.raises((ValueError, PermissionDenied)):
        actions.add_to_portfolio(nells, actor=world.admin, portfolio=world.portfolio)


# --- Pages ----------------------------------------------------------------------------------------------------


def test_my_evidence_lists_items_records_and_coverage(world, client_for, mentoring_session):
    item = world.item()
    actions.add_mapping(item, actor=world.pia_login, standard=world.standards[0], how="x")
    actions.add_to_portfolio(item, actor=world.pia_login, portfolio=world.portfolio)
    response = client_for(world.pia_login).get(url("evidence-list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Group supervision I led" in page and "PS KSS 4" in page and "Spring cohort" in page
    assert "Mentoring session: Power in supervision" in page  # a record to add
    assert "None yet" in page  # standard 7 has no evidence


def test_a_member_without_a_staff_record_is_told_why(client_for, supervisor):
    response = client_for(supervisor).get(url("evidence-list"))
    assert "Your login is not linked" in response.content.decode()
    assert client_for(supervisor).get(url("evidence-add")).status_code == 302


def test_an_admin_chooses_someone_without_a_login(world, client_for):
    client = client_for(world.admin)
    page = client.get(url("evidence-list")).content.decode()
    assert "Nell Paper" in page and "Pia Supervisor (" not in page
    response = client.get(url("evidence-list"), {"person": world.nell.pk})
    assert response["Location"] == url("evidence-person", world.nell.pk)
    assert client.get(url("evidence-list"), {"person": "nonsense"}).status_code == 200
    assert "Nell Paper’s evidence" in client.get(url("evidence-person", world.nell.pk)).content.decode()


def test_the_person_is_sent_to_their_own_list(world, client_for):
    response = client_for(world.pia_login).get(url("evidence-person", world.pia.pk))
    assert response["Location"] == url("evidence-list")


def test_adding_an_item_through_the_page(world, client_for):
    client = client_for(world.pia_login)
    response = client.post(url("evidence-add"), {"title": "", "kind": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Error: " in page and "Enter a title" in page and "Select the kind of evidence" in page and "Enter the date" in page
    future = TODAY + datetime.timedelta(days=3)
    response = client.post(
        url("evidence-add"),
        {
            "title": "Feedback",
            "kind": "supervisee_feedback",
            "occurred_on_day": future.day,
            "occurred_on_month": future.month,
            "occurred_on_year": future.year,
        },
    )
    assert "Date must be today or in the past" in response.content.decode()
    response = client.post(
        url("evidence-add"),
        {
            "title": "Feedback",
            "kind": "supervisee_feedback",
            "occurred_on_day": 1,
            "occurred_on_month": 3,
            "occurred_on_year": 2026,
        },
    )
    item = EvidenceItem.objects.get()
    assert response["Location"] == url("evidence", item.pk)


def test_an_admin_keeps_evidence_for_someone_without_a_login(world, client_for):
    client = client_for(world.admin)
    response = client.post(
        url("evidence-person-add", world.nell.pk),
        {
            "title": "Paper reflection",
            "kind": "reflective_account",
            "occurred_on_day": 1,
            "occurred_on_month": 3,
            "occurred_on_year": 2026,
        },
    )
    item = EvidenceItem.objects.get()
    assert item.staff == world.nell and response["Location"] == url("evidence", item.pk)
    assert client.get(url("evidence", item.pk)).status_code == 200


def test_the_item_page_shows_mappings_files_portfolios_and_source(world, client_for, mentoring_session):
    item = actions.add_evidence_from(mentoring_session, actor=world.pia_login)
    actions.add_evidence_file(item, actor=world.pia_login, upload=upload("notes.pdf", PDF_BYTES))
    page = client_for(world.pia_login).get(url("evidence", item.pk)).content.decode()
    assert "Worked on in mentoring session on 2 March 2026." in page
    assert "notes.pdf" in page and url("evidence-file", item.files.get().pk) in page
    assert reverse("mentoring:relationship", args=["northshire", mentoring_session.mentorship_id]) in page
    assert "Add to portfolio" in page and "Spring cohort" in page


def test_an_admin_reads_a_persons_item_but_cannot_change_it(world, client_for):
    item = world.item()
    page = client_for(world.admin).get(url("evidence", item.pk)).content.decode()
    assert "Group supervision I led" in page
    assert url("evidence-edit", item.pk) not in page and "Add to portfolio" not in page
    assert client_for(world.admin).get(url("evidence-edit", item.pk)).status_code == 403


def test_a_locked_item_says_why_and_offers_no_changes(world, client_for):
    item = world.item()
    world.submit_with(item)
    client = client_for(world.pia_login)
    page = client.get(url("evidence", item.pk)).content.decode()
    assert "which is submitted for review, so it cannot be changed now" in page
    assert url("evidence-edit", item.pk) not in page
    response = client.post(
        url("evidence-edit", item.pk),
        {"title": "x", "kind": "other", "occurred_on_day": 1, "occurred_on_month": 1, "occurred_on_year": 2026},
    )
    assert response.status_code == 200 and EvidenceItem.objects.get().title == "Group supervision I led"


def test_a_second_editor_is_told_what_changed_and_keeps_their_input(world, client_for):
    item = world.item()
    actions.update_evidence_item(item, actor=world.pia_login, expected_version=1, title="From the other tab")
    response = client_for(world.pia_login).post(
        url("evidence-edit", item.pk),
        {"version": 1, "title": "Mine", "kind": "other", "occurred_on_day": 1, "occurred_on_month": 1, "occurred_on_year": 2026},
    )
    page = response.content.decode()
    assert "changed this after you opened it" in page and "From the other tab" in page and 'value="Mine"' in page


def test_deleting_through_the_page_confirms_or_explains(world, client_for):
    client = client_for(world.pia_login)
    kept = world.item("Kept")
    world.submit_with(kept)
    assert "cannot be deleted" in client.get(url("evidence-delete", kept.pk)).content.decode()
    response = client.post(url("evidence-delete", kept.pk))
    assert response["Location"] == url("evidence", kept.pk)
    gone = world.item("Gone")
    assert "Delete ‘Gone’?" in client.get(url("evidence-delete", gone.pk)).content.decode()
    assert client.post(url("evidence-delete", gone.pk))["Location"] == url("evidence-list")
    assert not EvidenceItem.objects.filter(pk=gone.pk).exists()


def test_mapping_pages(world, client_for):
    item = world.item()
    client = client_for(world.pia_login)
    response = client.post(url("mapping-add", item.pk), {"standard": str(world.standards[0].pk), "how": ""})
    assert "Enter how this item evidences it" in response.content.decode()
    response = client.post(
        url("mapping-add", item.pk),
        {"standard": str(world.standards[1].pk), "statement": str(world.statements[0].pk), "how": "x"},
    )
    assert "Select a statement of standard 7" in response.content.decode()
    response = client.post(url("mapping-add", item.pk), {"standard": str(world.standards[0].pk), "how": "I did."})
    assert response["Location"] == url("evidence", item.pk) + "#evidences"
    response = client.post(url("mapping-add", item.pk), {"standard": str(world.standards[0].pk), "how": "Again."})
    assert "already evidences PS KSS 4. Effective use of power and authority" in response.content.decode()
    mapping = EvidenceMapping.objects.get()
    assert client.get(url("mapping-edit", mapping.pk)).status_code == 200
    client.post(url("mapping-edit", mapping.pk), {"standard": str(world.standards[1].pk), "how": "Moved."})
    mapping.refresh_from_db()
    assert mapping.standard == world.standards[1]
    assert "Remove PS KSS 7" in client.get(url("mapping-delete", mapping.pk)).content.decode()
    client.post(url("mapping-delete", mapping.pk))
    assert not EvidenceMapping.objects.exists()


def test_adding_from_records_through_the_page(world, client_for, mentoring_session):
    client = client_for(world.pia_login)
    response = client.post(url("evidence-add-from"), {"source": sources.token(mentoring_session)})
    item = EvidenceItem.objects.get()
    assert response["Location"] == url("evidence", item.pk)
    response = client.post(url("evidence-add-from"), {"source": sources.token(mentoring_session)}, follow=True)
    page = response.content.decode()
    assert "This is already evidence:" in page and f'href="{url("evidence", item.pk)}"' in page
    response = client.post(url("evidence-add-from"), {"source": "mentoring.mentoringsession:not-a-uuid"}, follow=True)
    assert "could not be found" in response.content.decode()


def test_choosing_portfolios_through_the_page(world, client_for, other_org, member_with):
    item = world.item()
    client = client_for(world.pia_login)
    response = client.post(url("portfolio-item-add", item.pk), {"portfolio": world.portfolio.pk})
    assert response["Location"] == url("evidence", item.pk) + "#portfolios"
    assert world.portfolio.items.get() == item
    client.post(url("portfolio-item-remove", item.pk), {"portfolio": world.portfolio.pk})
    assert not world.portfolio.items.exists()
    world.submit_with(world.item("Submitted one"))
    response = client.post(url("portfolio-item-add", item.pk), {"portfolio": world.portfolio.pk}, follow=True)
    assert "cannot change now" in response.content.decode()
    # Someone else's portfolio is not found from this item.
    other = world.person("Olive Other", login=member_with("practice_supervisor"))
    from trellis.portfolio.actions import add_supervisors

    (others,) = add_supervisors(world.cohort, actor=world.admin, staff=[other])
    assert client.post(url("portfolio-item-add", item.pk), {"portfolio": others.pk}).status_code == 404


def make_items(world, n, tag):
    """n items, each mapped twice, with a file, in the portfolio; and n records of Pia's elsewhere in
    Trellis (training done elsewhere, a supervision session) to add as evidence."""
    supervisor = world.person(f"Supervisor {tag}")
    for i in range(n):
        ExternalTraining.objects.create(
            organisation=world.org, staff=world.pia, title=f"Course {tag}{i}", provider="p", completed_on=TODAY, hours=1
        )
        SupervisionSession.objects.create(
            organisation=world.org, staff=world.pia, supervisor=supervisor, held_on=TODAY, length_minutes=60, themes=f"{tag}{i}"
        )
        item = world.item(f"Item {tag}{i}")
        actions.add_mapping(item, actor=world.pia_login, standard=world.standards[0], statement=world.statements[i % 2], how="x")
        actions.add_mapping(item, actor=world.pia_login, standard=world.standards[1], how="y")
        actions.add_evidence_file(item, actor=world.pia_login, upload=upload(f"{tag}{i}.pdf", PDF_BYTES))
        actions.add_to_portfolio(item, actor=world.pia_login, portfolio=world.portfolio)


@pytest.mark.parametrize("name", ["evidence-list", "evidence"])
def test_query_counts_do_not_grow_with_rows(world, client_for, mentoring_session, name):
    make_items(world, 1, "a")
    first = EvidenceItem.objects.get()
    client = client_for(world.pia_login)
    target = (first.pk,) if name == "evidence" else ()
    client.get(url(name, *target))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(name, *target)).status_code == 200
    make_items(world, 6, "b")
    for days in (3, 4, 5):
        mentoring_actions.log_session(
            mentoring_session.mentorship,
            actor=world.pia_login,
            held_on=mentoring_session.held_on + datetime.timedelta(days=days),
            duration_minutes=30,
            themes="More",
            standards=world.standards,
        )
    actions.add_mapping(first, actor=world.pia_login, standard=world.standards[0], how="The whole standard.")
    actions.add_mapping(first, actor=world.pia_login, standard=world.standards[0], statement=world.statements[1], how="z")
    for n in range(3):
        actions.add_evidence_file(first, actor=world.pia_login, upload=upload(f"more{n}.pdf", PDF_BYTES))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(name, *target)).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
