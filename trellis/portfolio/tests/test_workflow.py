"""The portfolio workflow: share with the mentor, comment, submit, review, dispute; every step and every
step refused at the wrong moment or to the wrong person; the pages each person sees."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trellis.audit.models import AuditEvent
from trellis.audit.versions import StaleEdit
from trellis.notifications.models import Notification
from trellis.portfolio import actions, queries
from trellis.portfolio.models import Comment, Moderation, Portfolio, Review, StandardDecision, Submission
from trellis.tenancy import policy

from .workflow_world import REFLECTION, build_world


@pytest.fixture
def world(org, admin):
    return build_world(org, admin)


def url(name, *args):
    return reverse(f"portfolio:{name}", args=["northshire", *args])


def reload(portfolio):
    return Portfolio.objects.get(pk=portfolio.pk)


def notices(member):
    return list(Notification.objects.filter(recipient=member).order_by("created_at"))


def event(verb):
    return AuditEvent.objects.get(verb=verb)


def returned(world, portfolio=None, feedback="Good start. More on standard 1."):
    portfolio = portfolio or world.portfolio
    actions.submit(portfolio, actor=portfolio.staff.membership)
    actions.decide_review(
        portfolio, actor=portfolio.reviewer, outcome="returned", decisions=world.first_not_met(), feedback=feedback
    )
    return reload(portfolio)


# --- Sharing with the mentor -----------------------------------------------------------------------------


def test_the_supervisor_shares_a_draft_with_their_mentor_who_is_told(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.share_with_mentor(world.portfolio, actor=world.pia, message="Please start with the group supervision.")
    portfolio = reload(world.portfolio)
    assert portfolio.state == "with_mentor" and portfolio.shared_with_mentor_at is not None
    assert portfolio.version == world.portfolio.version + 1
    shared = event("shared with mentor")
    assert shared.actor == world.pia.user and shared.target_id == str(portfolio.pk)
    assert shared.changes["state"] == ["Draft", "Shared with mentor"]
    assert shared.changes["reasons"] == [None, "Please start with the group supervision."]
    (notice,) = notices(world.mentor)
    assert notice.subject == "Pia Portfolio has shared their portfolio with you"
    assert notice.url == url("portfolio", portfolio.pk)
    (email,) = mail.outbox
    assert email.to == ["maya@northshire.gov.uk"] and "Please start with the group supervision." in email.body
    # The supervisor goes on editing, and the mentor can now read it.
    assert policy.allows(world.pia, "portfolio.change_portfolio", portfolio)
    assert policy.allows(world.mentor, "portfolio.view_portfolio", portfolio)


def test_the_mentor_cannot_see_a_portfolio_until_it_is_shared(world):
    assert not policy.allows(world.mentor, "portfolio.view_portfolio", world.portfolio)
    assert not policy.allows(world.mentor, "portfolio.comment", world.portfolio)


def test_sharing_needs_a_mentor(world):
    _, portfolio, _ = world.supervisor("Noor No-mentor", reviewer=world.reviewer)
    with pytest.raises(ValidationError, match="No mentor has been chosen"):
        actions.share_with_mentor(portfolio, actor=portfolio.staff.membership)
    assert reload(portfolio).state == "draft"


@pytest.mark.parametrize("who", ["admin", "mentor", "reviewer"])
def test_only_the_supervisor_shares_their_portfolio(world, who):
    with pytest.raises(PermissionDenied):
        actions.share_with_mentor(world.portfolio, actor=getattr(world, who))


def test_an_admin_shares_for_a_supervisor_who_does_not_sign_in(world):
    _, portfolio, _ = world.supervisor("Nell No-login", mentor=world.mentor, login=False)
    actions.share_with_mentor(portfolio, actor=world.admin)
    assert reload(portfolio).state == "with_mentor"


def test_a_portfolio_is_shared_only_from_draft(world):
    actions.share_with_mentor(world.portfolio, actor=world.pia)
    with pytest.raises(PermissionDenied, match="only while it is a draft"):
        actions.share_with_mentor(world.portfolio, actor=world.pia)


# --- Comments ---------------------------------------------------------------------------------------------


def test_the_mentor_comments_on_an_item_and_the_supervisor_replies(world):
    actions.share_with_mentor(world.portfolio, actor=world.pia)
    item = world.items[0]
    actions.add_comment(world.portfolio, actor=world.mentor, body="  Say more about what you did next.  ", item=item)
    actions.add_comment(world.portfolio, actor=world.pia, body="I have added the follow-up session.")
    first, second = Comment.objects.order_by("created_at")
    assert (first.author, first.item, first.body) == (world.mentor, item, "Say more about what you did next.")
    assert (second.author, second.item) == (world.pia, None)
    (to_pia,) = notices(world.pia)
    assert to_pia.subject == f"Maya Mentor commented on your portfolio on “{item.title}”"
    assert to_pia.url.endswith("#comments")
    assert [n.subject for n in notices(world.mentor)][-1] == "Pia Portfolio replied on their portfolio"
    events = AuditEvent.objects.filter(verb="commented").order_by("at")
    assert [e.changes["comment"][1] for e in events] == [
        "Say more about what you did next.",
        "I have added the follow-up session.",
    ]
    assert events[0].changes["evidence"] == [None, item.title]


def test_comments_are_refused_when_they_do_not_belong(world):
    with pytest.raises(PermissionDenied):  # not shared with the mentor yet
        actions.add_comment(world.portfolio, actor=world.mentor, body="Hello")
    actions.share_with_mentor(world.portfolio, actor=world.pia)
    for outsider in (world.reviewer, world.admin, world.moderator):
        with pytest.raises(PermissionDenied):
            actions.add_comment(world.portfolio, actor=outsider, body="Hello")
    with pytest.raises(ValidationError) as error:
        actions.add_comment(world.portfolio, actor=world.mentor, body="   ")
    assert error.value.message_dict == {"body": ["Enter your comment"]}
    _, other, other_items = world.supervisor("Omar Other")
    with pytest.raises(ValidationError) as error:
        actions.add_comment(world.portfolio, actor=world.mentor, body="On this?", item=other_items[0])
    assert "item" in error.value.message_dict
    assert not Comment.objects.exists()


# --- Submitting -------------------------------------------------------------------------------------------


def test_submitting_freezes_what_the_reviewer_sees_and_tells_them(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submission = actions.submit(world.portfolio, actor=world.pia, note="Standard 2 is the strongest.")
    portfolio = reload(world.portfolio)
    assert portfolio.state == "submitted" and submission.number == 1 and submission.submitted_by == world.pia
    assert submission.note == "Standard 2 is the strongest."
    items = submission.snapshot["items"]
    assert len(items) == 2
    assert set(items[0]) == {"id", "title", "kind", "occurred_on", "reflection", "files", "mappings"}
    first = next(entry for entry in items if entry["id"] == str(world.items[0].pk))
    assert first["reflection"] == REFLECTION and first["kind"] == "reflective_account"
    assert first["occurred_on"] == world.items[0].occurred_on.isoformat()
    assert {(m["standard_id"], m["statement_id"]) for m in first["mappings"]} == {
        (str(world.standards[0].pk), str(world.statement.pk)),
        (str(world.standards[1].pk), None),
    }
    submitted = event("submitted for review")
    assert submitted.changes["state"] == ["Draft", "Submitted for review"]
    assert submitted.changes["note"] == [None, "Standard 2 is the strongest."]
    (notice,) = notices(world.reviewer)
    assert notice.subject == "Pia Portfolio's portfolio is waiting for your review"
    assert notice.url == url("review", portfolio.pk)
    assert mail.outbox[0].to == ["rae@northshire.gov.uk"]


def test_a_submitted_portfolio_is_locked(world):
    actions.submit(world.portfolio, actor=world.pia)
    portfolio = reload(world.portfolio)
    assert not policy.allows(world.pia, "portfolio.change_portfolio", portfolio)
    with pytest.raises(ValidationError, match="submitted for review"):
        actions.update_evidence_item(world.items[0], actor=world.pia, expected_version=world.items[0].version, title="Changed")
    with pytest.raises(PermissionDenied, match="A submitted portfolio is locked"):
        actions.submit(portfolio, actor=world.pia)  # submitting twice
    with pytest.raises(PermissionDenied):
        actions.share_with_mentor(portfolio, actor=world.pia)
    assert Submission.objects.count() == 1


def test_submitting_needs_a_reviewer_and_evidence(world):
    _, no_reviewer, _ = world.supervisor("Noah No-reviewer", mentor=world.mentor)
    with pytest.raises(ValidationError, match="No reviewer has been chosen"):
        actions.submit(no_reviewer, actor=no_reviewer.staff.membership)
    _, empty, _ = world.supervisor("Eve Empty", reviewer=world.reviewer, items=0)
    with pytest.raises(ValidationError, match="Add at least one piece of evidence"):
        actions.submit(empty, actor=empty.staff.membership)
    assert not Submission.objects.exists()
    assert Portfolio.objects.filter(state="submitted").count() == 0


@pytest.mark.parametrize("who", ["admin", "mentor", "reviewer"])
def test_only_the_supervisor_submits(world, who):
    with pytest.raises(PermissionDenied):
        actions.submit(world.portfolio, actor=getattr(world, who))


def test_the_reviewers_copy_is_kept_when_a_returned_portfolio_is_edited_and_resubmitted(world):
    portfolio = returned(world)
    item = world.items[0]
    old_title = item.title
    actions.update_evidence_item(item, actor=world.pia, expected_version=item.version, title="Observed supervision, rewritten")
    second = actions.submit(portfolio, actor=world.pia, note="Added an observation.")
    first = Submission.objects.get(number=1)
    assert second.number == 2
    assert old_title in [entry["title"] for entry in first.snapshot["items"]]
    assert "Observed supervision, rewritten" not in [entry["title"] for entry in first.snapshot["items"]]
    assert "Observed supervision, rewritten" in [entry["title"] for entry in second.snapshot["items"]]
    assert reload(portfolio).state == "submitted"
    assert AuditEvent.objects.filter(verb="submitted for review").count() == 2


# --- The review -------------------------------------------------------------------------------------------


def test_a_draft_review_is_saved_without_deciding(world):
    actions.submit(world.portfolio, actor=world.pia)
    standard = world.standards[0]
    review = actions.save_review(
        world.portfolio, actor=world.reviewer, decisions={standard.pk: (False, "Thin so far.")}, feedback="Half way."
    )
    assert review.decided_at is None and review.outcome == ""
    assert [(d.standard, d.met, d.feedback) for d in review.decisions.all()] == [(standard, False, "Thin so far.")]
    assert reload(world.portfolio).state == "submitted"
    assert event("saved review draft").changes["standards decided"] == [None, "1 of 2"]
    assert not notices(world.pia)
    # Saving again replaces the draft's decisions.
    actions.save_review(
        world.portfolio,
        actor=world.reviewer,
        decisions={s.pk: (True, "") for s in world.standards},
        expected_version=review.version,
    )
    assert StandardDecision.objects.filter(review=review, met=True).count() == 2


def test_a_stale_draft_review_is_refused(world):
    actions.submit(world.portfolio, actor=world.pia)
    review = actions.save_review(world.portfolio, actor=world.reviewer, decisions={}, feedback="First tab.")
    actions.save_review(
        world.portfolio, actor=world.reviewer, decisions={}, feedback="Second tab.", expected_version=review.version
    )
    with pytest.raises(StaleEdit) as stale:
        actions.save_review(
            world.portfolio, actor=world.reviewer, decisions={}, feedback="Old tab.", expected_version=review.version
        )
    assert ("Overall feedback", "First tab.", "Second tab.") in stale.value.changes


def test_a_draft_keeps_feedback_only_with_a_decision(world):
    actions.submit(world.portfolio, actor=world.pia)
    standard = world.standards[1]
    with pytest.raises(ValidationError) as error:
        actions.save_review(world.portfolio, actor=world.reviewer, decisions={standard.pk: (None, "Some words")})
    assert list(error.value.message_dict) == [f"standard_{standard.pk}"]


def test_the_reviewer_returns_a_portfolio_and_the_supervisor_is_told(world, django_capture_on_commit_callbacks):
    actions.submit(world.portfolio, actor=world.pia)
    with django_capture_on_commit_callbacks(execute=True):
        review = actions.decide_review(
            world.portfolio,
            actor=world.reviewer,
            outcome="returned",
            decisions=world.first_not_met("Add an observation."),
            feedback="A good start.",
        )
    portfolio = reload(world.portfolio)
    assert portfolio.state == "returned" and review.outcome == "returned" and review.decided_at is not None
    assert {(d.standard_id, d.met, d.feedback) for d in review.decisions.all()} == {
        (world.standards[0].pk, False, "Add an observation."),
        (world.standards[1].pk, True, ""),
    }
    decided = event("returned for more evidence")
    assert decided.changes["state"] == ["Submitted for review", "Returned for more evidence"]
    assert decided.changes["standards met"] == [None, "1 of 2"]
    assert decided.changes["reasons"] == [None, "A good start."]
    (notice,) = notices(world.pia)
    assert notice.subject == "Your portfolio in Spring cohort has been returned for more evidence"
    assert notice.url == url("submission", review.submission.pk)
    assert [m.to for m in mail.outbox] == [["pia@northshire.gov.uk"]]
    assert policy.allows(world.pia, "portfolio.change_portfolio", portfolio)  # editable again


def test_the_reviewer_recommends_a_portfolio(world):
    actions.submit(world.portfolio, actor=world.pia)
    actions.decide_review(world.portfolio, actor=world.reviewer, outcome="recommended", decisions=world.all_met())
    assert reload(world.portfolio).state == "recommended"
    assert event("recommended").changes["standards met"] == [None, "2 of 2"]
    assert notices(world.pia)[0].subject == "Your portfolio in Spring cohort has been recommended"
    assert not Moderation.objects.exists()  # neither borderline nor disputed


def test_a_borderline_review_goes_straight_to_moderation(world):
    actions.submit(world.portfolio, actor=world.pia)
    review = actions.decide_review(
        world.portfolio, actor=world.reviewer, outcome="recommended", decisions=world.all_met(), borderline=True
    )
    assert Moderation.objects.get().review == review
    assert Moderation.objects.get().reason == "borderline"


def test_a_decision_needs_every_standard_and_feedback_where_not_met(world):
    actions.submit(world.portfolio, actor=world.pia)
    first, second = world.standards
    with pytest.raises(ValidationError) as error:
        actions.decide_review(world.portfolio, actor=world.reviewer, outcome="", decisions={first.pk: (False, "")})
    assert set(error.value.message_dict) == {f"feedback_{first.pk}", f"standard_{second.pk}", "outcome"}
    assert error.value.message_dict[f"standard_{second.pk}"] == [
        "Select met or not yet met for PS KSS 2. Emotionally intelligent supervision"
    ]
    assert reload(world.portfolio).state == "submitted"
    assert not Review.objects.filter(decided_at__isnull=False).exists()


def test_recommending_needs_every_standard_met(world):
    actions.submit(world.portfolio, actor=world.pia)
    with pytest.raises(ValidationError) as error:
        actions.decide_review(world.portfolio, actor=world.reviewer, outcome="recommended", decisions=world.first_not_met())
    assert "only when every standard is met" in error.value.message_dict["outcome"][0]


def test_returning_with_every_standard_met_needs_an_explanation(world):
    actions.submit(world.portfolio, actor=world.pia)
    with pytest.raises(ValidationError) as error:
        actions.decide_review(world.portfolio, actor=world.reviewer, outcome="returned", decisions=world.all_met())
    assert "explain in the overall feedback" in error.value.message_dict["feedback"][0]
    actions.decide_review(
        world.portfolio,
        actor=world.reviewer,
        outcome="returned",
        decisions=world.all_met(),
        feedback="Each standard is met, but the reflections need the supervisees' voice.",
    )
    assert reload(world.portfolio).state == "returned"


def test_only_the_assigned_reviewer_decides_and_only_while_submitted(world):
    with pytest.raises(PermissionDenied):  # a draft
        actions.decide_review(world.portfolio, actor=world.reviewer, outcome="recommended", decisions=world.all_met())
    actions.submit(world.portfolio, actor=world.pia)
    for someone in (world.other_reviewer, world.admin, world.mentor, world.pia, world.moderator):
        with pytest.raises(PermissionDenied, match="Only the reviewer assigned"):
            actions.decide_review(world.portfolio, actor=someone, outcome="recommended", decisions=world.all_met())
        with pytest.raises(PermissionDenied):
            actions.save_review(world.portfolio, actor=someone, decisions={})
    actions.decide_review(world.portfolio, actor=world.reviewer, outcome="returned", decisions=world.first_not_met())
    with pytest.raises(PermissionDenied):  # deciding on a returned portfolio
        actions.decide_review(world.portfolio, actor=world.reviewer, outcome="recommended", decisions=world.all_met())
    assert Review.objects.get().outcome == "returned"


# --- Disputes ---------------------------------------------------------------------------------------------


def test_the_supervisor_disputes_a_return_which_goes_to_moderation(world):
    portfolio = returned(world)
    review = actions.dispute(portfolio, actor=world.pia, reason="  The observation is item 2.  ")
    assert review.disputed_at is not None and review.dispute_reason == "The observation is item 2."
    assert Moderation.objects.get(review=review).reason == "disputed"
    disputed = event("disputed the decision")
    assert disputed.target_id == str(portfolio.pk) and disputed.changes["reasons"] == [None, "The observation is item 2."]
    # Until moderation settles it, the portfolio cannot go back to the reviewer, nor be disputed twice.
    with pytest.raises(ValidationError, match="once moderation has settled the dispute"):
        actions.submit(portfolio, actor=world.pia)
    with pytest.raises(ValidationError, match="You disputed this decision on"):
        actions.dispute(portfolio, actor=world.pia, reason="Again")


def test_a_settled_dispute_lets_the_supervisor_submit_again(world):
    portfolio = returned(world)
    review = actions.dispute(portfolio, actor=world.pia, reason="The observation is item 2.")
    Moderation.objects.filter(review=review).update(moderator=world.moderator, agrees=True)
    moderation = Moderation.objects.get(review=review)
    Moderation.objects.filter(pk=moderation.pk).update(decided_at=review.decided_at)
    assert actions.submit(portfolio, actor=world.pia).number == 2


def test_disputes_are_refused_when_they_do_not_apply(world):
    with pytest.raises(PermissionDenied):  # a draft
        actions.dispute(world.portfolio, actor=world.pia, reason="No")
    portfolio = returned(world)
    for someone in (world.admin, world.mentor, world.reviewer):
        with pytest.raises(PermissionDenied):
            actions.dispute(portfolio, actor=someone, reason="No")
    with pytest.raises(ValidationError) as error:
        actions.dispute(portfolio, actor=world.pia, reason="   ")
    assert list(error.value.message_dict) == ["reason"]
    _, recommended, _ = world.supervisor("Rosa Recommended", reviewer=world.reviewer)
    actions.submit(recommended, actor=recommended.staff.membership)
    actions.decide_review(recommended, actor=world.reviewer, outcome="recommended", decisions=world.all_met())
    with pytest.raises(PermissionDenied):
        actions.dispute(recommended, actor=recommended.staff.membership, reason="I want it returned")


# --- Pages ------------------------------------------------------------------------------------------------


def test_the_supervisor_sees_their_portfolio_and_the_steps_they_can_take(world, client_for):
    page = client_for(world.pia).get(url("portfolio", world.portfolio.pk)).content.decode()
    assert "Pia Portfolio" in page and "Draft" in page
    assert "Share with your mentor" in page and "Submit for review" in page
    assert "Review this portfolio" not in page
    assert world.items[0].title in page and "Held anxiety." in page
    assert 'id="coverage"' in page


def test_the_share_page_shares_and_says_so(world, client_for):
    client = client_for(world.pia)
    assert "Share with Maya Mentor" in client.get(url("share", world.portfolio.pk)).content.decode()
    response = client.post(url("share", world.portfolio.pk), {"message": "Hello Maya"}, follow=True)
    assert response.redirect_chain[-1][0] == url("portfolio", world.portfolio.pk)
    assert "Your portfolio is shared with Maya Mentor, who has been told." in response.content.decode()
    # Sharing again is refused by the page too.
    assert client.get(url("share", world.portfolio.pk)).status_code == 403


def test_the_mentor_comments_through_the_page(world, client_for):
    actions.share_with_mentor(world.portfolio, actor=world.pia)
    client = client_for(world.mentor)
    item = world.items[1]
    form = client.get(url("comment", world.portfolio.pk) + f"?item={item.pk}").content.decode()
    assert f'value="{item.pk}" selected' in form
    response = client.post(url("comment", world.portfolio.pk), {"item": item.pk, "body": ""})
    assert response.status_code == 200 and "Enter your comment" in response.content.decode()
    response = client.post(url("comment", world.portfolio.pk), {"item": item.pk, "body": "Lovely detail."})
    assert response["Location"] == url("portfolio", world.portfolio.pk) + "#comments"
    page = client.get(url("portfolio", world.portfolio.pk)).content.decode()
    assert "Lovely detail." in page and f"About “{item.title}”" in page


def test_the_submit_page_explains_what_is_missing(world, client_for):
    _, empty, _ = world.supervisor("Eve Empty", reviewer=world.reviewer, items=0)
    client = client_for(empty.staff.membership)
    response = client.post(url("submit", empty.pk), {"note": ""})
    page = response.content.decode()
    assert response.status_code == 200 and "Add at least one piece of evidence" in page
    assert "<title>Error: " in page
    response = client_for(world.pia).post(url("submit", world.portfolio.pk), {"note": "Ready"})
    assert response["Location"] == url("portfolio", world.portfolio.pk)
    assert reload(world.portfolio).state == "submitted"
    assert client_for(world.pia).get(url("submit", world.portfolio.pk)).status_code == 403  # submitting twice


def test_the_reviewer_saves_a_draft_then_decides_through_the_page(world, client_for):
    actions.submit(world.portfolio, actor=world.pia)
    client = client_for(world.reviewer)
    first, second = world.standards
    page = client.get(url("review", world.portfolio.pk)).content.decode()
    assert "PS KSS 1. Effective use of power and authority" in page and world.items[0].title in page
    response = client.post(
        url("review", world.portfolio.pk), {"intent": "draft", f"standard_{first.pk}": "met", "feedback": "So far"}
    )
    assert response["Location"] == url("review", world.portfolio.pk)
    page = client.get(url("review", world.portfolio.pk)).content.decode()
    assert "So far" in page and "Last saved on" in page
    review = Review.objects.get()
    response = client.post(
        url("review", world.portfolio.pk), {"intent": "decide", "version": review.version, "outcome": "recommended"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Select met or not yet met for PS KSS 2" in page
    assert page.count('class="govuk-error-summary"') == 1
    data = {
        "intent": "decide",
        "version": review.version,
        f"standard_{first.pk}": "met",
        f"standard_{second.pk}": "not_met",
        f"feedback_{second.pk}": "Show how you stay curious.",
        "feedback": "Nearly there.",
        "outcome": "returned",
    }
    response = client.post(url("review", world.portfolio.pk), data)
    assert response["Location"] == url("submission", review.submission.pk)
    assert reload(world.portfolio).state == "returned"
    # Deciding on a returned portfolio: the page is refused too.
    assert client.get(url("review", world.portfolio.pk)).status_code == 403


def test_a_reviewer_not_assigned_cannot_open_the_review(world, client_for):
    actions.submit(world.portfolio, actor=world.pia)
    client = client_for(world.other_reviewer)
    assert client.get(url("review", world.portfolio.pk)).status_code == 403
    assert client.get(url("portfolio", world.portfolio.pk)).status_code == 403


def test_what_the_reviewer_saw_keeps_the_old_text(world, client_for):
    portfolio = returned(world, feedback="Reviewer says: more on standard 1.")
    item = world.items[0]
    old_title = item.title
    actions.update_evidence_item(item, actor=world.pia, expected_version=item.version, title="Rewritten after the return")
    submission = Submission.objects.get()
    for member in (world.pia, world.reviewer, world.admin):
        page = client_for(member).get(url("submission", submission.pk)).content.decode()
        assert old_title in page and "Rewritten after the return" not in page
        assert "Reviewer says: more on standard 1." in page and "Add an observation of your supervision." in page
    # The portfolio page shows the supervisor the evidence as it is now, and the decision with its feedback.
    page = client_for(world.pia).get(url("portfolio", portfolio.pk)).content.decode()
    assert "Rewritten after the return" in page and "Dispute the decision" in page and "Submit again for review" in page


def test_the_reviewer_sees_the_evidence_as_submitted(world, client_for):
    actions.submit(world.portfolio, actor=world.pia)
    actions.decide_review(world.portfolio, actor=world.reviewer, outcome="returned", decisions=world.first_not_met())
    item = world.items[0]
    old_title = item.title
    actions.update_evidence_item(item, actor=world.pia, expected_version=item.version, title="Rewritten after the return")
    page = client_for(world.reviewer).get(url("portfolio", world.portfolio.pk)).content.decode()
    assert "Evidence as submitted" in page and old_title in page and "Rewritten after the return" not in page
    assert 'id="comments"' not in page  # comments stay between the supervisor and their mentor


def test_a_moderator_marking_blind_sees_no_decision(world, client_for):
    portfolio = returned(world, feedback="Secret first decision.")
    review = Review.objects.get()
    Moderation.objects.create(organisation=world.org, review=review, reason="sampled", moderator=world.moderator)
    client = client_for(world.moderator)
    page = client.get(url("portfolio", portfolio.pk)).content.decode()
    assert "Secret first decision." not in page and "Returned for more evidence" not in page
    assert "Hidden until you have recorded your own decision" in page
    assert client.get(url("submission", review.submission.pk)).status_code == 403


def test_the_dispute_page(world, client_for):
    portfolio = returned(world)
    client = client_for(world.pia)
    response = client.post(url("dispute", portfolio.pk), {"reason": ""})
    assert response.status_code == 200 and "Enter why you disagree" in response.content.decode()
    response = client.post(url("dispute", portfolio.pk), {"reason": "Item 2 is an observation."}, follow=True)
    assert "Your dispute is recorded." in response.content.decode()
    assert Review.objects.get().disputed_at is not None
    assert "Dispute the decision" not in client.get(url("portfolio", portfolio.pk)).content.decode()


def test_the_timeline_says_who_did_what_and_why(world):
    actions.share_with_mentor(world.portfolio, actor=world.pia, message="Start here")
    actions.submit(world.portfolio, actor=world.pia, note="Ready")
    entries = queries.timeline(world.portfolio)
    assert [e.what for e in entries][-2:] == ["Shared with mentor", "Submitted for review"]
    assert ("Reasons", "Start here") in entries[-2].details
    assert ("Note to the reviewer", "Ready") in entries[-1].details
    assert ("State", "Shared with mentor to Submitted for review") in entries[-1].details
    assert entries[-1].who == "Pia Portfolio"


def test_my_portfolios(world, client_for, practitioner):
    actions.share_with_mentor(world.portfolio, actor=world.pia)
    page = client_for(world.pia).get(url("mine")).content.decode()
    assert "Spring cohort" in page and "Shared with mentor" in page and "Your mentor can read it and comment" in page
    assert 'govuk-service-navigation__active-fallback">Portfolios</strong>' in page  # in the navigation, marked current
    page = client_for(world.mentor).get(url("mine")).content.decode()
    assert "Portfolios you mentor" in page and "Pia Portfolio" in page
    assert "You are not in a cohort yet" in client_for(practitioner).get(url("mine")).content.decode()


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries_:
        assert client.get(path).status_code == 200
    return len(queries_)


def test_page_queries_do_not_grow_with_evidence_comments_and_submissions(world, client_for):
    actions.share_with_mentor(world.portfolio, actor=world.pia)
    actions.add_comment(world.portfolio, actor=world.mentor, body="One")
    pages = {
        "portfolio": (world.pia, url("portfolio", world.portfolio.pk)),
        "mentor": (world.mentor, url("portfolio", world.portfolio.pk)),
        "mine": (world.pia, url("mine")),
    }
    few = {key: count_queries(client_for(member), path) for key, (member, path) in pages.items()}
    for number in range(3):
        item = actions.create_evidence_item(
            actor=world.pia,
            staff=world.portfolio.staff,
            title=f"More {number}",
            kind="other",
            occurred_on=world.items[0].occurred_on,
        )
        actions.add_mapping(item, actor=world.pia, standard=world.standards[1], how="More.")
        actions.add_to_portfolio(item, actor=world.pia, portfolio=world.portfolio)
        actions.add_comment(world.portfolio, actor=world.mentor, body=f"Comment {number}", item=item)
    many = {key: count_queries(client_for(member), path) for key, (member, path) in pages.items()}
    assert few == many


def test_review_and_submission_pages_do_not_grow_with_evidence(world, client_for):
    _, small, _ = world.supervisor("Sam Small", reviewer=world.reviewer, items=1)
    _, large, _ = world.supervisor("Lara Large", reviewer=world.reviewer, items=5)
    counts = []
    for portfolio in (small, large):
        submission = actions.submit(portfolio, actor=portfolio.staff.membership)
        counts.append(
            (
                count_queries(client_for(world.reviewer), url("review", portfolio.pk)),
                count_queries(client_for(world.reviewer), url("submission", submission.pk)),
                count_queries(client_for(world.reviewer), url("portfolio", portfolio.pk)),
            )
        )
    assert counts[0] == counts[1]


# --- Waiting on me ----------------------------------------------------------------------------------------


def test_waiting_for_each_role(world):
    actions.share_with_mentor(world.portfolio, actor=world.pia)
    assert [p.pk for p in queries.waiting_for(world.mentor).to_comment] == [world.portfolio.pk]
    actions.add_comment(world.portfolio, actor=world.mentor, body="Done for now")
    assert queries.waiting_for(world.mentor).to_comment == []  # the newest comment is the mentor's
    actions.add_comment(world.portfolio, actor=world.pia, body="Thanks, I added more")
    assert len(queries.waiting_for(world.mentor).to_comment) == 1
    actions.submit(world.portfolio, actor=world.pia)
    waiting = queries.waiting_for(world.reviewer)
    assert [p.pk for p in waiting.to_review] == [world.portfolio.pk] and waiting.total == 1
    assert queries.waiting_for(world.mentor).total == 0
    actions.decide_review(world.portfolio, actor=world.reviewer, outcome="returned", decisions=world.first_not_met())
    assert queries.waiting_for(world.reviewer).total == 0
    assert [p.pk for p in queries.waiting_for(world.pia).to_revise] == [world.portfolio.pk]


def test_waiting_for_a_moderator(world):
    _, other, _ = world.supervisor("Rosa Recommended", reviewer=world.reviewer)
    actions.submit(other, actor=other.staff.membership)
    review = actions.decide_review(other, actor=world.reviewer, outcome="recommended", decisions=world.all_met(), borderline=True)
    waiting = queries.waiting_for(world.moderator)
    assert waiting.to_sign_off == []  # its moderation comes first
    actions.assign_moderator(Moderation.objects.get(review=review), actor=world.admin, moderator=world.moderator)
    assert [m.review_id for m in queries.waiting_for(world.moderator).to_moderate] == [review.pk]


def test_the_waiting_page_lists_what_waits_and_links_to_it(world, client_for):
    actions.submit(world.portfolio, actor=world.pia)
    page = client_for(world.reviewer).get(url("waiting")).content.decode()
    assert "Portfolios to review" in page and url("review", world.portfolio.pk) in page and "Not started" in page
    page = client_for(world.mentor).get(url("waiting")).content.decode()
    assert "Nothing is waiting on you at the moment." in page


def test_the_waiting_page_queries_do_not_grow(world, client_for):
    def grow(count):
        for _ in range(count):
            _, portfolio, _ = world.supervisor("Another", mentor=world.mentor, reviewer=world.reviewer)
            actions.share_with_mentor(portfolio, actor=portfolio.staff.membership)
            _, portfolio, _ = world.supervisor("Submitted", reviewer=world.reviewer)
            actions.submit(portfolio, actor=portfolio.staff.membership)

    grow(1)
    few = (count_queries(client_for(world.mentor), url("waiting")), count_queries(client_for(world.reviewer), url("waiting")))
    grow(3)
    many = (count_queries(client_for(world.mentor), url("waiting")), count_queries(client_for(world.reviewer), url("waiting")))
    assert few == many
    assert len(queries.waiting_for(world.reviewer).to_review) == 4


def test_a_network_guest_lands_on_what_waits_on_them(world, client_for, other_org):
    from trellis.tenancy.models import Network
    from trellis.tenancy.tests.factories import MembershipFactory

    network = Network.objects.create(name="Teaching partnership", slug="tp")
    network.organisations.add(world.org, other_org)
    home = MembershipFactory(organisation=other_org, roles=["reviewer"], user__full_name="Gita Guest")
    guest = MembershipFactory(
        organisation=world.org, user=home.user, roles=["reviewer"], guest_of_network=network, home_organisation=other_org
    )
    client = client_for(guest)
    response = client.get(reverse("tenancy:organisation-home", args=["northshire"]))
    assert response["Location"] == url("waiting")
    page = client.get(url("waiting")).content.decode()
    assert "You are a guest from Southvale Council" in page
    assert client.get(url("mine")).status_code == 403
    assert client.get(url("portfolio", world.portfolio.pk)).status_code == 403
