"""Moderation and sign-off: sampling (reproducible with a seed; borderline and disputed always in),
choosing moderators, blind second marking, agree / disagree, resolution, sign-off and the reviewer
agreement report, through the actions and through the pages."""

import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trellis.audit.models import AuditEvent
from trellis.notifications.models import Notification
from trellis.portfolio import actions, queries
from trellis.portfolio.models import Moderation, Portfolio, SampleDraw, SignOff, StandardDecision
from trellis.tenancy.models import Network

from .moderation_world import REVIEWER_FEEDBACK, build_world


def url(name, *args):
    return reverse(f"portfolio:{name}", args=["northshire", *args])


@pytest.fixture
def world(org, admin):
    return build_world(org, admin)


def moderation_of(review):
    return Moderation.objects.get(review=review)


def sampled(world, name, outcome="recommended", **kwargs):
    """A decided review put in moderation and given to Mo Moderator."""
    review = world.decided(name, outcome, **kwargs)
    moderation = Moderation.objects.filter(review=review).first() or Moderation.objects.create(
        organisation=review.organisation, review=review, reason=Moderation.Reason.SAMPLED
    )
    return actions.assign_moderator(moderation, actor=world.admin, moderator=world.moderator)


def all_met(world, outcome="recommended", feedback="The moderator's own view."):
    return {"decisions": {s.pk: (True, "") for s in world.standards}, "outcome": outcome, "feedback": feedback}


def first_not_met(world, outcome="returned"):
    decisions = {
        s.pk: (i > 0, "" if i else "The moderator wants a supervision observation.") for i, s in enumerate(world.standards)
    }
    return {"decisions": decisions, "outcome": outcome}


# --- Sampling ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "share", "size"), [(10, 20, 2), (11, 20, 3), (1, 20, 1), (4, 1, 1), (0, 20, 0), (5, 0, 0), (3, 100, 3)]
)
def test_a_sample_takes_the_share_rounded_up_and_at_least_one(count, share, size):
    assert actions.sample_size(count, share) == size


def test_the_same_seed_over_the_same_candidates_chooses_the_same_reviews():
    candidates = [f"00000000-0000-0000-0000-{n:012d}" for n in range(40)]
    first = actions.choose_sample(candidates, 20, seed=4821)
    shuffled = random.Random(1).sample(candidates, len(candidates))
    assert actions.choose_sample(shuffled, 20, seed=4821) == first  # the order they were read in does not matter
    assert len(first) == 8
    # Another seed draws another sample (over many seeds, not always the same one).
    assert len({tuple(actions.choose_sample(candidates, 20, seed=seed)) for seed in range(20)}) > 1


def test_a_draw_takes_the_cohorts_share_at_random_and_keeps_its_seed(world):
    reviews = [world.decided(f"Person {n}") for n in range(10)]
    draw = actions.draw_sample(world.cohort, actor=world.moderator)
    moderations = list(Moderation.objects.filter(draw=draw))
    assert len(moderations) == 2 and {m.reason for m in moderations} == {"sampled"}
    assert draw.seed is not None and 0 <= draw.seed < 2**63
    assert draw.considered == 10 and sorted(draw.candidates) == sorted(str(r.pk) for r in reviews)
    assert actions.replays(draw)
    tampered = SampleDraw.objects.prefetch_related("moderations").get(pk=draw.pk)
    # A record that no longer matches its seed shows: here a chosen review left out of the candidates.
    tampered.candidates = [pk for pk in tampered.candidates if pk != str(moderations[0].review_id)]
    assert not actions.replays(tampered)
    event = AuditEvent.objects.get(verb="drew moderation sample")
    assert event.changes["seed"] == [None, str(draw.seed)] and event.changes["chosen at random"] == [None, 2]


def test_an_admin_re_runs_a_draw_with_its_seed_and_gets_the_same_sample(world, admin):
    for n in range(12):
        world.decided(f"Person {n}")
    draw = actions.draw_sample(world.cohort, actor=admin)
    chosen = sorted(m.review_id for m in draw.moderations.all())
    # Put the reviews back as they were (as on a copy of the data, for audit), then draw with the seed.
    Moderation.objects.filter(draw=draw).delete()
    again = actions.draw_sample(world.cohort, actor=admin, seed=draw.seed)
    assert sorted(m.review_id for m in again.moderations.all()) == chosen
    assert again.candidates == draw.candidates


def test_only_an_admin_chooses_the_seed(world):
    world.decided("Ana")
    with pytest.raises(PermissionDenied):
        actions.draw_sample(world.cohort, actor=world.moderator, seed=7)
    with pytest.raises(ValidationError) as error:
        actions.draw_sample(world.cohort, actor=world.admin, seed=-1)
    assert "seed" in error.value.message_dict


def test_borderline_and_disputed_reviews_are_moderated_as_soon_as_they_happen(world):
    borderline = world.decided("Bo Borderline", borderline=True)
    returned = world.decided("Dee Disputes", outcome="returned")
    assert moderation_of(borderline).reason == "borderline"
    assert not Moderation.objects.filter(review=returned).exists()
    actions.dispute(returned.submission.portfolio, actor=returned.submission.portfolio.staff.membership, reason="I met it.")
    assert moderation_of(returned).reason == "disputed"
    # The cohort's moderators are asked to choose who moderates it.
    assert Notification.objects.filter(recipient=world.moderator, subject__contains="needs a moderator").count() == 2
    assert actions.moderate_if_needed(world.decided("Plain"), actor=world.admin) is None


def test_a_draw_always_takes_borderline_and_disputed_reviews_whatever_the_share(org, admin):
    world = build_world(org, admin, share=0)
    plain = [world.decided(f"Plain {n}") for n in range(3)]
    borderline = world.decided("Bo Borderline", borderline=True)
    Moderation.objects.filter(review=borderline).delete()  # as if decided before moderation existed
    draw = actions.draw_sample(world.cohort, actor=admin)
    assert [(m.review_id, m.reason) for m in draw.moderations.all()] == [(borderline.pk, "borderline")]
    assert draw.considered == 3 and sorted(draw.candidates) == sorted(str(r.pk) for r in plain)


def test_a_review_is_drawn_once_and_an_empty_draw_is_refused(world, admin):
    world.decided("Ana")
    actions.draw_sample(world.cohort, actor=admin)
    with pytest.raises(ValidationError, match="no decided reviews"):
        actions.draw_sample(world.cohort, actor=admin)
    assert SampleDraw.objects.count() == 1


def test_people_outside_the_cohorts_moderation_cannot_draw(world, member_with):
    world.decided("Ana")
    for someone in (world.reviewer, member_with("moderator"), member_with("senior_leader")):
        with pytest.raises(PermissionDenied):
            actions.draw_sample(world.cohort, actor=someone)


# --- Choosing the moderator ----------------------------------------------------------------------------


def test_a_cohort_moderator_is_assigned_and_told(world):
    review = world.decided("Bo", borderline=True)
    moderation = actions.assign_moderator(moderation_of(review), actor=world.other_moderator, moderator=world.moderator)
    assert moderation.moderator == world.moderator and moderation.version == 2
    notice = Notification.objects.get(recipient=world.moderator, subject__startswith="Second-mark")
    assert notice.url == url("moderate", moderation.pk)


def test_the_moderator_is_one_of_the_cohorts_and_never_the_reviewer(world, admin, member_with):
    review = world.decided("Bo", borderline=True)
    moderation = moderation_of(review)
    outsider = member_with("moderator")
    with pytest.raises(ValidationError, match="Select one of the moderators of Spring cohort"):
        actions.assign_moderator(moderation, actor=admin, moderator=outsider)
    world.reviewer.roles = ["reviewer", "moderator"]
    world.reviewer.save()
    actions.add_assessor(world.cohort, actor=admin, role="moderator", person=world.reviewer)
    with pytest.raises(ValidationError, match="Rae Reviewer reviewed this portfolio"):
        actions.assign_moderator(moderation, actor=admin, moderator=world.reviewer)


def test_the_moderator_cannot_change_once_they_have_second_marked(world, admin):
    moderation = sampled(world, "Ana")
    actions.second_mark(moderation, actor=world.moderator, **all_met(world))
    with pytest.raises(ValidationError, match="already been second-marked"):
        actions.assign_moderator(moderation, actor=admin, moderator=world.other_moderator)


# --- Blind second marking --------------------------------------------------------------------------------


def test_the_moderator_second_marks_blind(world, client_for):
    moderation = sampled(world, "Ana", outcome="returned")
    portfolio = moderation.review.submission.portfolio
    client = client_for(world.moderator)
    pages = [
        url("moderation", world.cohort.pk),
        url("moderate", moderation.pk),
        url("sign-off", portfolio.pk),
        url("portfolio", portfolio.pk),
        url("cohort", world.cohort.pk),
        url("waiting"),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        text = response.content.decode()
        assert REVIEWER_FEEDBACK not in text, page
        assert "The reviewer wants more on" not in text, page
        # The outcome itself, as a state, a decision or who the portfolio now waits on.
        assert "Returned for more evidence" not in text, page
    page = client.get(url("moderate", moderation.pk)).content.decode()
    assert "You are marking blind" in page
    assert "Group supervision led by Ana" in page and "Ana reflects on holding the group&#x27;s anxiety." in page
    assert "Shows effective use of power and authority." in page
    assert "Returned for more evidence" not in page
    # What the reviewer saw, with their decision, stays shut until the moderator has decided.
    assert client.get(url("submission", moderation.review.submission.pk)).status_code == 403

    response = client.post(
        url("moderate", moderation.pk),
        {
            "version": moderation.version,
            f"standard_{world.standards[0].pk}": "met",
            f"standard_{world.standards[1].pk}": "met",
            "outcome": "recommended",
        },
    )
    assert response.status_code == 302
    page = client.get(url("moderate", moderation.pk)).content.decode()
    assert REVIEWER_FEEDBACK in page and "The reviewer wants more on" in page
    assert "Do you agree with the reviewer&#x27;s decision?" in page


def test_second_marking_explains_each_mistake(world, client_for):
    moderation = sampled(world, "Ana")
    client = client_for(world.moderator)
    first, second = world.standards
    response = client.post(url("moderate", moderation.pk), {"version": moderation.version, f"standard_{first.pk}": "not_met"})
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page
    for message in (
        "Select met or not yet met for PS KSS 2. Emotionally intelligent supervision",
        "Enter feedback on PS KSS 1. Effective use of power and authority: what evidence is still needed",
        "Select recommend, or return for more evidence",
    ):
        assert message in page
    assert REVIEWER_FEEDBACK not in page
    assert not StandardDecision.objects.filter(moderation=moderation).exists()


def test_the_outcome_must_follow_the_standards(world):
    moderation = sampled(world, "Ana")
    with pytest.raises(ValidationError, match="recommended only when every standard is met"):
        actions.second_mark(moderation, actor=world.moderator, **first_not_met(world, outcome="recommended"))
    with pytest.raises(ValidationError, match="explain in the overall feedback"):
        actions.second_mark(moderation, actor=world.moderator, **all_met(world, outcome="returned", feedback=""))
    marked = actions.second_mark(moderation, actor=world.moderator, **all_met(world, outcome="returned", feedback="Thin."))
    assert marked.second_outcome == "returned" and marked.second_feedback == "Thin."
    assert StandardDecision.objects.filter(moderation=moderation).count() == 2
    with pytest.raises(ValidationError, match="already second-marked"):
        actions.second_mark(marked, actor=world.moderator, **all_met(world))


def test_only_the_assigned_moderator_second_marks(world, client_for):
    moderation = sampled(world, "Ana")
    for someone in (world.other_moderator, world.admin, world.reviewer):
        with pytest.raises(PermissionDenied):
            actions.second_mark(moderation, actor=someone, **all_met(world))
        assert client_for(someone).get(url("moderate", moderation.pk)).status_code == 403


# --- Agree or disagree --------------------------------------------------------------------------------------


def test_the_moderator_agrees_after_second_marking(world, client_for):
    moderation = sampled(world, "Ana")
    with pytest.raises(ValidationError, match="Record your own decision first"):
        actions.record_agreement(moderation, actor=world.moderator, agrees=True)
    actions.second_mark(moderation, actor=world.moderator, **all_met(world))
    agreed = actions.record_agreement(moderation, actor=world.moderator, agrees=True)
    assert agreed.agrees is True and agreed.decided_at is not None and not agreed.is_waiting
    with pytest.raises(ValidationError, match="You recorded that you agree"):
        actions.record_agreement(agreed, actor=world.moderator, agrees=False, reasons="Changed my mind.")
    page = client_for(world.moderator).get(url("moderate", moderation.pk)).content.decode()
    assert "Agrees with the reviewer" in page and "Do you agree" not in page


def test_a_disagreement_needs_reasons_and_goes_to_the_resolvers(world, client_for):
    moderation = actions.second_mark(sampled(world, "Ana"), actor=world.moderator, **first_not_met(world))
    client = client_for(world.moderator)
    response = client.post(url("moderation-agree", moderation.pk), {"version": moderation.version, "agrees": "no"})
    assert response.status_code == 200 and "Enter your reasons for disagreeing" in response.content.decode()
    response = client.post(
        url("moderation-agree", moderation.pk),
        {"version": moderation.version, "agrees": "no", "reasons": "Standard 1 is not evidenced."},
    )
    assert response.status_code == 302
    moderation.refresh_from_db()
    assert moderation.agrees is False and moderation.reasons == "Standard 1 is not evidenced." and moderation.is_waiting
    told = set(Notification.objects.filter(subject__contains="disagrees about").values_list("recipient", flat=True))
    assert told == {world.admin.pk, world.other_moderator.pk}


# --- Resolution ---------------------------------------------------------------------------------------------------


def disagreement(world, name, outcome, moderator_marks):
    moderation = actions.second_mark(sampled(world, name, outcome=outcome), actor=world.moderator, **moderator_marks)
    return actions.record_agreement(moderation, actor=world.moderator, agrees=False, reasons="I see it differently.")


def test_the_moderator_who_disagreed_never_resolves(world, client_for):
    moderation = disagreement(world, "Ana", "recommended", first_not_met(world))
    with pytest.raises(PermissionDenied):
        actions.resolve(moderation, actor=world.moderator, resolution="second_decision", reasons="Mine.")
    assert client_for(world.moderator).get(url("resolve", moderation.pk)).status_code == 403
    assert client_for(world.reviewer).get(url("resolve", moderation.pk)).status_code == 403
    assert client_for(world.other_moderator).get(url("resolve", moderation.pk)).status_code == 200


def test_overturning_a_return_recommends_the_portfolio(world):
    moderation = disagreement(world, "Ana", "returned", all_met(world))
    portfolio = moderation.review.submission.portfolio
    actions.resolve(moderation, actor=world.other_moderator, resolution="second_decision", reasons="It is all there.")
    portfolio.refresh_from_db()
    assert portfolio.state == Portfolio.State.RECOMMENDED
    assert Notification.objects.filter(recipient=portfolio.staff.membership, subject__endswith="is recommended").exists()
    assert AuditEvent.objects.filter(verb="recommended after moderation", target_id=str(portfolio.pk)).exists()


def test_overturning_a_recommendation_refers_the_portfolio_back(world, admin):
    moderation = disagreement(world, "Ana", "recommended", first_not_met(world))
    portfolio = moderation.review.submission.portfolio
    actions.resolve(moderation, actor=admin, resolution="second_decision", reasons="Standard 1 needs an observation.")
    portfolio.refresh_from_db()
    assert portfolio.state == Portfolio.State.REFERRED_BACK
    referral = SignOff.objects.get(portfolio=portfolio)
    assert (referral.decision, referral.reasons, referral.moderation) == (
        "referred_back",
        "Standard 1 needs an observation.",
        moderation,
    )


def test_when_the_reviewers_decision_stands_nothing_moves(world, admin):
    moderation = disagreement(world, "Ana", "recommended", first_not_met(world))
    resolved = actions.resolve(moderation, actor=admin, resolution="first_decision", reasons="The evidence is enough.")
    assert resolved.resolution == "first_decision" and not resolved.is_waiting
    assert Portfolio.objects.get(pk=moderation.review.submission.portfolio_id).state == Portfolio.State.RECOMMENDED
    with pytest.raises(ValidationError, match="resolved this on"):
        actions.resolve(resolved, actor=admin, resolution="second_decision", reasons="Again.")


def test_a_resolution_needs_a_disagreement_a_choice_and_reasons(world, admin):
    moderation = sampled(world, "Ana")
    with pytest.raises(ValidationError, match="Only a disagreement needs resolving"):
        actions.resolve(moderation, actor=admin, resolution="first_decision", reasons="x")
    moderation = disagreement(world, "Bea", "recommended", first_not_met(world))
    with pytest.raises(ValidationError) as error:
        actions.resolve(moderation, actor=admin, resolution="first_decision", reasons="  ")
    assert error.value.message_dict == {"reasons": ["Enter the reasons for your decision"]}
    with pytest.raises(ValidationError) as error:
        actions.resolve(moderation, actor=admin, resolution="", reasons="x")
    assert "resolution" in error.value.message_dict


def test_resolving_through_the_page(world, admin, client_for):
    moderation = disagreement(world, "Ana", "returned", all_met(world))
    client = client_for(admin)
    page = client.get(url("resolve", moderation.pk)).content.decode()
    assert "The reviewer&#x27;s decision: returned for more evidence" in page and REVIEWER_FEEDBACK in page
    response = client.post(url("resolve", moderation.pk), {"version": moderation.version, "resolution": "second_decision"})
    assert "Enter the reasons for your decision" in response.content.decode()
    response = client.post(
        url("resolve", moderation.pk),
        {"version": moderation.version, "resolution": "second_decision", "reasons": "Fully evidenced."},
    )
    assert response.status_code == 302
    assert "Resolved: the moderator&#x27;s decision stands." in client.get(response["Location"]).content.decode()
    assert Portfolio.objects.get(pk=moderation.review.submission.portfolio_id).state == "recommended"


# --- Sign-off -------------------------------------------------------------------------------------------------------


def test_sign_off_waits_for_moderation_then_signs_off(world, admin):
    moderation = sampled(world, "Ana")
    portfolio = moderation.review.submission.portfolio
    with pytest.raises(ValidationError, match="once the moderator has recorded their decision"):
        actions.sign_off(portfolio, actor=admin, decision="signed_off")
    actions.second_mark(moderation, actor=world.moderator, **first_not_met(world))
    actions.record_agreement(moderation, actor=world.moderator, agrees=False, reasons="Not yet.")
    with pytest.raises(ValidationError, match="once the disagreement is resolved"):
        actions.sign_off(portfolio, actor=admin, decision="signed_off")
    actions.resolve(moderation, actor=admin, resolution="first_decision", reasons="It is enough.")
    signed = actions.sign_off(portfolio, actor=world.other_moderator, decision="signed_off")
    assert signed.state == Portfolio.State.SIGNED_OFF
    assert SignOff.objects.get(portfolio=portfolio).decided_by == world.other_moderator
    assert Notification.objects.filter(recipient=portfolio.staff.membership, subject__endswith="is signed off").exists()
    with pytest.raises(ValidationError, match="Only a recommended portfolio"):
        actions.sign_off(portfolio, actor=admin, decision="signed_off")


def test_an_unmoderated_recommendation_is_signed_off_or_referred_back_with_reasons(world, admin):
    world.decided("Ana")
    portfolio = world.portfolios[-1]
    with pytest.raises(ValidationError) as error:
        actions.sign_off(portfolio, actor=admin, decision="referred_back", reasons=" ")
    assert "reasons" in error.value.message_dict
    referred = actions.sign_off(portfolio, actor=admin, decision="referred_back", reasons="Add a supervisee's feedback.")
    assert referred.state == Portfolio.State.REFERRED_BACK
    assert AuditEvent.objects.get(verb="referred back", target_id=str(portfolio.pk)).changes["reasons"][1] == (
        "Add a supervisee's feedback."
    )


def test_who_may_sign_off(world, member_with):
    world.decided("Ana")
    portfolio = world.portfolios[-1]
    for someone in (world.reviewer, member_with("senior_leader"), member_with("moderator"), portfolio.staff.membership):
        with pytest.raises(PermissionDenied):
            actions.sign_off(portfolio, actor=someone, decision="signed_off")


def test_a_moderator_marking_blind_cannot_sign_off(world, client_for):
    moderation = sampled(world, "Ana")
    portfolio = moderation.review.submission.portfolio
    with pytest.raises(PermissionDenied):
        actions.sign_off(portfolio, actor=world.moderator, decision="signed_off")
    page = client_for(world.moderator).get(url("sign-off", portfolio.pk)).content.decode()
    assert "are hidden until you have recorded your own decision" in page and "Recommended" not in page


def test_signing_off_through_the_page(world, admin, client_for):
    moderation = sampled(world, "Ana")
    portfolio = moderation.review.submission.portfolio
    client = client_for(admin)
    page = client.get(url("sign-off", portfolio.pk)).content.decode()
    assert "Not ready to sign off" in page and "Save decision" not in page
    response = client.post(url("sign-off", portfolio.pk), {"decision": "signed_off", "version": portfolio.version})
    assert response.status_code == 302
    assert "once the moderator has recorded their decision" in client.get(response["Location"]).content.decode()
    actions.second_mark(moderation, actor=world.moderator, **all_met(world))
    actions.record_agreement(moderation, actor=world.moderator, agrees=True)
    portfolio.refresh_from_db()
    response = client.post(url("sign-off", portfolio.pk), {"decision": "referred_back", "version": portfolio.version})
    assert response.status_code == 200 and "Enter why the portfolio is referred back" in response.content.decode()
    response = client.post(url("sign-off", portfolio.pk), {"decision": "signed_off", "version": portfolio.version})
    assert response.status_code == 302
    assert Portfolio.objects.get(pk=portfolio.pk).state == "signed_off"
    assert "Signed off by Alex Admin" in client.get(url("sign-off", portfolio.pk)).content.decode()


# --- Pages: the moderation list, drawing and assigning -------------------------------------------------------


def test_an_admin_draws_from_the_page_with_or_without_a_seed(world, admin, client_for):
    for n in range(5):
        world.decided(f"Person {n}")
    client = client_for(admin)
    page = client.get(url("moderation", world.cohort.pk)).content.decode()
    assert "5 decided reviews are not in moderation yet" in page and "Seed (optional)" in page
    response = client.post(url("sample-draw", world.cohort.pk), {"seed": "not a number"})
    assert response.status_code == 200 and "Seed must be a whole number, like 4821" in response.content.decode()
    response = client.post(url("sample-draw", world.cohort.pk), {"seed": "4821"})
    assert response.status_code == 302
    assert SampleDraw.objects.get().seed == 4821
    page = client.get(response["Location"]).content.decode()
    assert "Sample drawn with seed 4821: 1 review added to moderation" in page
    assert "<code>4821</code>" in page and "Needs a moderator" in page


def test_a_moderator_draws_without_choosing_the_seed(world, client_for):
    world.decided("Ana")
    client = client_for(world.moderator)
    assert "Seed (optional)" not in client.get(url("moderation", world.cohort.pk)).content.decode()
    assert client.post(url("sample-draw", world.cohort.pk), {"seed": "7"}).status_code == 302
    assert SampleDraw.objects.get().drawn_by == world.moderator  # with a fresh seed: the one posted is not a field here


def test_the_list_hides_why_a_review_is_moderated_from_its_blind_moderator(world, client_for):
    review = world.decided("Dee", outcome="returned")
    portfolio = review.submission.portfolio
    actions.dispute(portfolio, actor=portfolio.staff.membership, reason="I met every standard.")
    actions.assign_moderator(moderation_of(review), actor=world.admin, moderator=world.moderator)
    mine = client_for(world.moderator).get(url("moderation", world.cohort.pk)).content.decode()
    assert "Shown once you have second-marked" in mine and "Disputed" not in mine
    theirs = client_for(world.other_moderator).get(url("moderation", world.cohort.pk)).content.decode()
    assert "Disputed" in theirs


def test_choosing_the_moderator_through_the_page(world, admin, client_for):
    review = world.decided("Bo", borderline=True)
    moderation = moderation_of(review)
    client = client_for(admin)
    page = client.get(url("moderation-assign", moderation.pk)).content.decode()
    assert "Max Moderator" in page and "Mo Moderator" in page
    assert f'value="{world.reviewer.pk}"' not in page  # the reviewer is never a choice
    response = client.post(url("moderation-assign", moderation.pk), {"version": moderation.version})
    assert "Select the moderator" in response.content.decode()
    response = client.post(
        url("moderation-assign", moderation.pk), {"version": moderation.version, "moderator": world.other_moderator.pk}
    )
    assert response["Location"] == url("moderation", world.cohort.pk)
    # A second admin who opened the page before that change is told what changed.
    response = client.post(
        url("moderation-assign", moderation.pk), {"version": moderation.version, "moderator": world.moderator.pk}
    )
    page = response.content.decode()
    assert "changed this after you opened it" in page and "Max Moderator" in page
    assert moderation_of(review).moderator == world.other_moderator


def test_the_moderation_page_runs_the_same_queries_however_many_reviews(world, admin, client_for):
    client = client_for(admin)

    def count():
        with CaptureQueriesContext(connection) as queries_run:
            assert client.get(url("moderation", world.cohort.pk)).status_code == 200
        return len(queries_run)

    world.decided("Ana")
    actions.draw_sample(world.cohort, actor=admin, seed=1)
    few = count()
    for n in range(3):
        moderation = sampled(world, f"Person {n}")
        actions.second_mark(moderation, actor=world.moderator, **all_met(world))
    disagreement(world, "Dan", "recommended", first_not_met(world))
    world.decided("Zed")
    world.decided("Zoe")
    actions.draw_sample(world.cohort, actor=admin, seed=3)
    assert count() == few


# --- Guests from another organisation ------------------------------------------------------------------------------


def test_a_guest_moderator_sees_only_their_own_work(world, admin, org, other_org, member_with, client_for):
    network = Network.objects.create(name="Teaching partnership", slug="partnership")
    network.organisations.add(org, other_org)
    home = member_with("moderator", organisation=other_org, user__full_name="Gail Guest")
    guest = actions.add_assessor(world.cohort, actor=admin, role="moderator", person=home).membership
    mine = moderation_of(world.decided("Ana", borderline=True))
    actions.assign_moderator(mine, actor=admin, moderator=guest)
    theirs = sampled(world, "Bea")
    other_cohort = actions.create_cohort(
        actor=admin,
        name="Autumn cohort",
        frameworks=list(world.cohort.frameworks.all()),
        starts_on=world.cohort.starts_on,
        expected_end_on=world.cohort.expected_end_on,
    )
    elsewhere = actions.add_supervisors(other_cohort, actor=admin, staff=[world.portfolios[0].staff])[0]
    client = client_for(guest)
    assert client.get(url("moderate", mine.pk)).status_code == 200
    assert client.get(url("moderate", theirs.pk)).status_code == 403
    assert client.get(url("portfolio", mine.review.submission.portfolio.pk)).status_code == 200
    # Only what is assigned to them: not the cohort's other portfolios, its page, its sample or its
    # cohort-wide steps, which are for the organisation's own moderators (ADR 0014).
    assert client.get(url("portfolio", theirs.review.submission.portfolio.pk)).status_code == 403
    assert client.get(url("cohort", world.cohort.pk)).status_code == 403
    assert client.get(url("moderation", world.cohort.pk)).status_code == 403
    assert client.get(url("resolve", theirs.pk)).status_code == 403
    assert client.get(url("portfolio", elsewhere.pk)).status_code == 403
    assert client.get(url("moderation", other_cohort.pk)).status_code == 403
    assert client.get(url("sign-off", elsewhere.pk)).status_code == 403
    # Their own organisation knows nothing of these, and another organisation's ids are 404 here.
    assert client.get(reverse("portfolio:moderate", args=["southvale", mine.pk])).status_code == 404


# --- The reviewer agreement report --------------------------------------------------------------------------------


def moderated(world, name, *, agree, resolution=None, reviewer=None):
    if reviewer is not None:
        world.reviewer = reviewer
    moderation = sampled(world, name)
    actions.second_mark(moderation, actor=world.moderator, **(all_met(world) if agree else first_not_met(world)))
    actions.record_agreement(moderation, actor=world.moderator, agrees=agree, reasons="" if agree else "No.")
    if resolution:
        actions.resolve(moderation, actor=world.admin, resolution=resolution, reasons="Decided.")
    return moderation


def test_the_agreement_report_per_reviewer(world, admin, member_with, client_for):
    rae = world.reviewer
    ray = member_with("reviewer", user__full_name="Ray Second")
    actions.add_assessor(world.cohort, actor=admin, role="reviewer", person=ray)
    moderated(world, "A1", agree=True)
    moderated(world, "A2", agree=True)
    moderated(world, "A3", agree=False, resolution="first_decision")
    moderated(world, "A4", agree=False)
    world.decided("A5")  # decided, never moderated
    for n in range(5):
        moderated(world, f"B{n}", agree=n != 0, reviewer=ray, resolution="second_decision" if n == 0 else None)
    world.reviewer = rae
    rows, total = queries.reviewer_agreement(type(world.cohort).objects.filter(pk=world.cohort.pk))
    figures = {
        row.name: (row.decided, row.moderated, row.agreed, row.disagreed, row.upheld, row.rate, row.too_few) for row in rows
    }
    assert figures == {
        "Rae Reviewer": (5, 4, 2, 2, 1, 50, True),  # under 5 moderated: flagged
        "Ray Second": (5, 5, 4, 1, 0, 80, False),
    }
    assert (total.decided, total.moderated, total.agreed, total.rate) == (10, 9, 6, 67)
    page = client_for(admin).get(url("agreement") + f"?cohort={world.cohort.pk}").content.decode()
    assert "Rae Reviewer" in page and "50%" in page and "Too few to read much into" in page and "80%" in page


def test_the_agreement_report_across_cohorts_and_for_a_cohorts_moderators(world, admin, member_with, client_for):
    moderated(world, "A1", agree=True)
    client = client_for(world.moderator)
    page = client.get(url("agreement")).content.decode()
    assert "Reviewers across all cohorts" in page and "100%" in page
    assert client_for(member_with("moderator")).get(url("agreement")).status_code == 403
    assert client_for(member_with("senior_leader")).get(url("agreement")).status_code == 403
    other = actions.create_cohort(
        actor=admin,
        name="Autumn cohort",
        frameworks=list(world.cohort.frameworks.all()),
        starts_on=world.cohort.starts_on,
        expected_end_on=world.cohort.expected_end_on,
    )
    # A moderator may only choose the cohorts they moderate; an admin every cohort.
    assert client.get(url("agreement") + f"?cohort={other.pk}").content.decode().count("Autumn cohort") == 0
    assert "Autumn cohort" in client_for(admin).get(url("agreement")).content.decode()


def test_the_agreement_report_runs_the_same_queries_however_many_reviews(world, admin, member_with, client_for):
    client = client_for(admin)
    moderated(world, "A1", agree=True)

    def count():
        with CaptureQueriesContext(connection) as queries_run:
            assert client.get(url("agreement")).status_code == 200
        return len(queries_run)

    few = count()
    ray = member_with("reviewer", user__full_name="Ray Second")
    actions.add_assessor(world.cohort, actor=admin, role="reviewer", person=ray)
    for n in range(3):
        moderated(world, f"B{n}", agree=n % 2 == 0, reviewer=ray)
    assert count() == few


# --- What moderation waits on -------------------------------------------------------------------------------------


def test_what_moderation_waits_on_each_person(world, admin):
    to_mark = sampled(world, "Ana")
    disagreed = disagreement(world, "Bea", "recommended", first_not_met(world))
    world.decided("Cai")  # recommended, not in moderation: ready to sign off
    for_mo = queries.moderation_waiting_for(world.moderator)
    assert [m.pk for m in for_mo["to_moderate"]] == [to_mark.pk]
    assert for_mo["to_resolve"] == []  # Mo disagreed, so someone else resolves it
    assert [p.staff.full_name for p in for_mo["to_sign_off"]] == ["Cai"]  # Ana's and Bea's wait on moderation
    for_max = queries.moderation_waiting_for(world.other_moderator)
    assert [m.pk for m in for_max["to_resolve"]] == [disagreed.pk] and for_max["to_moderate"] == []
    for_admin = queries.moderation_waiting_for(admin)
    assert [m.pk for m in for_admin["to_resolve"]] == [disagreed.pk]
    assert queries.moderation_waiting_for(world.reviewer) == {"to_moderate": [], "to_resolve": [], "to_sign_off": []}
