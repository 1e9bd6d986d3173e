import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from trellis.assessment import actions
from trellis.assessment.comparison import feedback_for, previous_of, standard_rows
from trellis.assessment.models import FeedbackAnswer, FeedbackRequest, SelfAssessment, StandardRating, StatementRating
from trellis.audit.models import AuditEvent
from trellis.audit.versions import StaleEdit
from trellis.frameworks.models import RatingLevel, Standard, Statement
from trellis.tenancy import policy

from .conftest import complete
from .factories import framework_in_use, levels


def events(obj):
    rows = AuditEvent.objects.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk))
    return list(rows.order_by("at").values_list("verb", flat=True))


def start(staff, fiu, actor=None, round="baseline"):  # noqa: A002
    return actions.start_self_assessment(actor=actor or staff.membership, staff=staff, framework_in_use=fiu, round=round)


# --- Starting ----------------------------------------------------------------------------------------


def test_starting_makes_a_row_for_every_standard_and_statement(fiu, people):
    aisha = people["aisha"]
    assessment = start(aisha, fiu)
    assert assessment.status == "draft" and assessment.version == 1 and assessment.created_by == aisha.membership
    assert StandardRating.objects.filter(assessment=assessment).count() == 3
    assert StatementRating.objects.filter(rating__assessment=assessment).count() == 6
    assert events(assessment) == ["started self-assessment"]


def test_only_the_person_starts_their_own(fiu, people, admin, leader):
    aisha = people["aisha"]
    for someone in (people["manager"].membership, admin, leader):
        with pytest.raises(PermissionDenied):
            start(aisha, fiu, actor=someone)
    assert not SelfAssessment.objects.exists()


def test_an_admin_keeps_the_self_assessment_of_someone_without_a_login(fiu, person, admin, leader):
    paper = person("Pat Paper", login=False)
    assessment = start(paper, fiu, actor=admin)
    assert assessment.created_by == admin
    assert policy.allows(admin, "assessment.change_assessment", assessment)
    assert not policy.allows(leader, "assessment.view_assessment", assessment)


def test_one_draft_per_framework_and_only_frameworks_for_the_persons_service(org, fiu, people):
    aisha = people["aisha"]
    start(aisha, fiu)
    with pytest.raises(ValidationError) as refused:
        start(aisha, fiu, round="mid_point")
    assert "already a draft baseline self-assessment" in refused.value.message_dict["framework_in_use"][0]
    childrens = framework_in_use(org, service="children")
    with pytest.raises(ValidationError) as refused:
        start(aisha, childrens)
    assert refused.value.message_dict["framework_in_use"] == ["Select a framework your organisation uses for adults' services"]


def test_a_framework_without_standards_cannot_be_assessed_against(org, people):
    empty = framework_in_use(org, standards=0)
    with pytest.raises(ValidationError, match="has no standards yet"):
        start(people["aisha"], empty)


def test_the_suggested_round_follows_what_was_submitted(fiu, people, submitted):
    aisha = people["aisha"]
    assert actions.suggested_round(aisha, fiu) == "baseline"
    submitted(start(aisha, fiu), aisha.membership)
    assert actions.suggested_round(aisha, fiu) == "mid_point"
    submitted(start(aisha, fiu, round="mid_point"), aisha.membership)
    assert actions.suggested_round(aisha, fiu) == "review"


# --- Saving a standard -------------------------------------------------------------------------------


def test_saving_a_standard_records_what_changed_but_not_what_it_says(fiu, scale, people):
    aisha = people["aisha"]
    assessment = start(aisha, fiu)
    rating = assessment.ratings.order_by("standard__position").first()
    statement = rating.statement_ratings.first()
    actions.save_standard(
        rating,
        actor=aisha.membership,
        expected_version=1,
        level=scale["Confident"],
        statement_levels={statement.statement_id: scale["Developing"]},
        strengths="I listen well.",
    )
    rating.refresh_from_db()
    assert rating.version == 2 and rating.level == scale["Confident"] and rating.strengths == "I listen well."
    assert StatementRating.objects.get(pk=statement.pk).level == scale["Developing"]
    event = AuditEvent.objects.get(verb="saved a standard")
    assert event.changes == {"standard 1": [None, "rating, strengths, statement 1.1"]}
    assert "I listen well" not in str(event.changes) and "Confident" not in str(event.changes)
    # Saving the same again changes nothing and records nothing.
    actions.save_standard(
        rating,
        actor=aisha.membership,
        expected_version=2,
        level=scale["Confident"],
        statement_levels={statement.statement_id: scale["Developing"]},
        strengths="I listen well.",
    )
    rating.refresh_from_db()
    assert rating.version == 2 and AuditEvent.objects.filter(verb="saved a standard").count() == 1


def test_a_stale_save_of_a_standard_is_refused_and_says_what_changed(fiu, scale, people):
    aisha = people["aisha"]
    rating = start(aisha, fiu).ratings.first()
    actions.save_standard(rating, actor=aisha.membership, expected_version=1, level=scale["Confident"])
    with pytest.raises(StaleEdit) as stale:
        actions.save_standard(rating, actor=aisha.membership, expected_version=1, level=scale["Not yet"])
    assert ("Rating", "", "Confident") in stale.value.changes
    rating.refresh_from_db()
    assert rating.level == scale["Confident"]


def test_nobody_else_saves_a_standard(fiu, scale, people, admin):
    rating = start(people["aisha"], fiu).ratings.first()
    for someone in (people["manager"].membership, admin):
        with pytest.raises(PermissionDenied):
            actions.save_standard(rating, actor=someone, expected_version=1, level=scale["Confident"])


def test_a_level_from_another_scale_is_refused(org, fiu, people):
    other = levels(framework_in_use(org))
    rating = start(people["aisha"], fiu).ratings.first()
    with pytest.raises(ValueError, match="rating scale"):
        actions.save_standard(rating, actor=people["aisha"].membership, expected_version=1, level=other["Confident"])


def test_a_standard_added_to_the_framework_joins_an_open_draft(fiu, people):
    aisha = people["aisha"]
    assessment = start(aisha, fiu)
    added = Standard.objects.create(version=fiu.version, number="4", title="Standard number 4", position=4)
    Statement.objects.create(standard=added, number="4.1", text="New statement", position=1)
    assert actions.add_missing_standards(assessment, actor=aisha.membership) == 1
    assert assessment.ratings.count() == 4
    assert StatementRating.objects.filter(rating__assessment=assessment).count() == 7
    assert actions.add_missing_standards(assessment, actor=aisha.membership) == 0


# --- Overall, sharing, submitting -------------------------------------------------------------------------


def test_a_stale_save_of_the_overall_answers_is_refused(fiu, people):
    aisha = people["aisha"]
    assessment = start(aisha, fiu)
    actions.save_overall(assessment, actor=aisha.membership, expected_version=1, overall_strengths="A", overall_learning_needs="")
    with pytest.raises(StaleEdit) as stale:
        actions.save_overall(
            assessment, actor=aisha.membership, expected_version=1, overall_strengths="B", overall_learning_needs=""
        )
    assert ("Strengths overall", "", "A") in stale.value.changes


def test_an_incomplete_draft_cannot_be_submitted_and_says_what_is_missing(fiu, scale, people):
    aisha = people["aisha"]
    assessment = start(aisha, fiu)
    first = assessment.ratings.order_by("standard__position").first()
    actions.save_standard(first, actor=aisha.membership, expected_version=1, level=scale["Confident"], is_priority=True)
    with pytest.raises(ValidationError) as refused:
        actions.submit_self_assessment(assessment, actor=aisha.membership, expected_version=1)
    assert refused.value.messages == [
        "Select a rating for statements 1.1, 1.2 of standard 1",
        "Enter your learning needs for standard 1, which you chose as a priority",
        "Select a rating for standard 2",
        "Select a rating for statements 2.1, 2.2 of standard 2",
        "Select a rating for standard 3",
        "Select a rating for statements 3.1, 3.2 of standard 3",
        "Enter your strengths overall",
        "Enter your learning needs overall",
    ]
    assessment.refresh_from_db()
    assert assessment.status == "draft"


def test_submitting_locks_the_self_assessment(fiu, scale, people, submitted):
    aisha = people["aisha"]
    assessment = submitted(start(aisha, fiu), aisha.membership)
    assert assessment.status == "submitted" and assessment.submitted_at is not None
    assert events(assessment)[-1] == "submitted self-assessment"
    rating = assessment.ratings.first()
    with pytest.raises(ValidationError, match="can no longer be changed"):
        actions.save_standard(rating, actor=aisha.membership, expected_version=rating.version, level=scale["Not yet"])
    with pytest.raises(ValidationError, match="can no longer be changed"):
        actions.save_overall(
            assessment,
            actor=aisha.membership,
            expected_version=assessment.version,
            overall_strengths="x",
            overall_learning_needs="y",
        )
    with pytest.raises(ValidationError, match="can no longer be changed"):
        actions.submit_self_assessment(assessment, actor=aisha.membership, expected_version=assessment.version)
    with pytest.raises(ValidationError, match="cannot be deleted"):
        actions.delete_draft(assessment, actor=aisha.membership)


def test_answers_changed_in_another_tab_are_not_submitted_unseen(fiu, scale, people):
    aisha = people["aisha"]
    assessment = complete(start(aisha, fiu), aisha.membership, scale)
    seen = actions.answers_version(assessment)
    rating = assessment.ratings.first()
    actions.save_standard(rating, actor=aisha.membership, expected_version=rating.version, level=scale["Not yet"])
    with pytest.raises(ValidationError, match="changed after you opened this page"):
        actions.submit_self_assessment(
            assessment, actor=aisha.membership, expected_version=assessment.version, expected_answers_version=seen
        )
    actions.submit_self_assessment(
        assessment,
        actor=aisha.membership,
        expected_version=assessment.version,
        expected_answers_version=actions.answers_version(assessment),
    )


def test_sharing_with_a_mentor_can_change_after_submitting(fiu, people, submitted):
    aisha = people["aisha"]
    assessment = submitted(start(aisha, fiu), aisha.membership)
    actions.set_sharing(assessment, actor=aisha.membership, shared=True, expected_version=assessment.version)
    assessment.refresh_from_db()
    assert assessment.shared_with_mentor
    assert events(assessment)[-1] == "changed sharing with mentor"
    with pytest.raises(StaleEdit):
        actions.set_sharing(assessment, actor=aisha.membership, shared=False, expected_version=assessment.version - 1)
    with pytest.raises(PermissionDenied):
        actions.set_sharing(assessment, actor=people["manager"].membership, shared=False)


def test_deleting_a_draft_unless_someone_has_answered_feedback_on_it(fiu, scale, people):
    aisha, manager = people["aisha"], people["manager"]
    assessment = start(aisha, fiu)
    (request,) = actions.request_feedback(assessment, actor=aisha.membership, line_manager=True)
    _answer(request, manager.membership, scale)
    with pytest.raises(ValidationError, match="1 person has answered"):
        actions.delete_draft(assessment, actor=aisha.membership)
    other = start(aisha, framework_in_use(aisha.organisation))
    actions.delete_draft(other, actor=aisha.membership)
    assert not SelfAssessment.objects.filter(pk=other.pk).exists()
    event = AuditEvent.objects.get(verb="deleted draft self-assessment")
    assert event.changes["round"] == ["Baseline", None]


# --- Who sees what ----------------------------------------------------------------------------------------


def test_a_draft_is_the_persons_alone_and_a_submitted_one_is_their_managers_and_admins(fiu, people, admin, leader, submitted):
    aisha, manager = people["aisha"], people["manager"]
    supervisee = people["supervisees"][0].membership
    assessment = start(aisha, fiu)
    view = "assessment.view_assessment"
    assert policy.allows(aisha.membership, view, assessment)
    assert not any(policy.allows(m, view, assessment) for m in (manager.membership, admin, leader, supervisee))
    assessment = submitted(assessment, aisha.membership)
    assert policy.allows(manager.membership, view, assessment) and policy.allows(admin, view, assessment)
    assert not policy.allows(leader, view, assessment) and not policy.allows(supervisee, view, assessment)
    assert not policy.allows(manager.membership, "assessment.change_assessment", assessment)


def test_a_mentor_sees_only_what_is_shared(fiu, people, member_with, submitted):
    mentorship = pytest.importorskip("trellis.mentoring.models")
    aisha = people["aisha"]
    assessment = submitted(start(aisha, fiu), aisha.membership)
    mentor = member_with("mentor")
    from trellis.workforce import actions as workforce_actions

    mentor_staff = workforce_actions.create_staff_record(
        actor=member_with("org_admin"),
        full_name="Mo Mentor",
        employee_ref="M1",
        service="adults",
        employment_type="permanent",
        start_date=datetime.date(2010, 1, 4),
        career_stage=aisha.stage_history.first().stage,
        membership=mentor,
    )
    model = getattr(mentorship, "Mentorship", None)
    if model is None:
        pytest.skip("mentoring relationships are not built yet")
    fields = {f.name for f in model._meta.get_fields()}
    row = {"organisation": aisha.organisation, "mentor": mentor_staff, "staff" if "staff" in fields else "mentee": aisha}
    row.update({k: v for k, v in {"kind": "mentoring", "started_on": datetime.date(2026, 1, 5)}.items() if k in fields})
    try:
        model.objects.create(**row)
    except Exception as error:  # the relationship's other required fields belong to the mentoring app
        pytest.skip(f"cannot make a mentorship here: {error}")
    view = "assessment.view_assessment"
    assert policy.allows(mentor, "assessment.view_person", aisha)
    assert not policy.allows(mentor, view, assessment)
    assert list(SelfAssessment.objects.shown_to(mentor, aisha)) == []
    actions.set_sharing(assessment, actor=aisha.membership, shared=True)
    assessment.refresh_from_db()
    assert policy.allows(mentor, view, assessment)
    assert list(SelfAssessment.objects.shown_to(mentor, aisha)) == [assessment]


# --- The change since last time ---------------------------------------------------------------------------


def test_each_standard_shows_the_change_since_the_previous_submitted_one(fiu, scale, people, submitted):
    aisha = people["aisha"]
    me = aisha.membership
    baseline = submitted(start(aisha, fiu), me, {"1": "Not yet", "2": "Confident", "3": "Developing"})
    mid = submitted(start(aisha, fiu, round="mid_point"), me, {"1": "Developing", "2": "Developing", "3": "Developing"})
    assert previous_of(baseline) is None
    assert previous_of(mid) == baseline
    changes = [(row.standard.number, row.change) for row in standard_rows(mid, list(scale.values()), previous_of(mid))]
    assert changes == [("1", "up"), ("2", "down"), ("3", "same")]
    assert {row.change for row in standard_rows(baseline, list(scale.values()), None)} == {"new"}
    # A draft compares with the latest submitted; a standard added since is new.
    review = start(aisha, fiu, round="review")
    assert previous_of(review) == mid
    Standard.objects.create(version=fiu.version, number="4", title="Standard number 4", position=4)
    actions.add_missing_standards(review, actor=me)
    review = submitted(review, me, {"1": "Confident", "2": "Developing", "3": "Not yet", "4": "Confident"})
    rows = standard_rows(review, list(scale.values()), previous_of(review))
    assert [(row.standard.number, row.change, row.previous and row.previous.label) for row in rows] == [
        ("1", "up", "Developing"),
        ("2", "same", "Developing"),
        ("3", "down", "Developing"),
        ("4", "new", None),
    ]


def test_only_the_same_framework_version_is_compared(org, fiu, people, submitted):
    aisha = people["aisha"]
    submitted(start(aisha, fiu), aisha.membership)
    other = framework_in_use(org)
    first_against_other = start(aisha, other)
    assert previous_of(first_against_other) is None


# --- Feedback ---------------------------------------------------------------------------------------------


def _answer(request, actor, scale, label="Confident", comment="", overall=""):
    standards = Standard.objects.filter(version=request.assessment.framework_in_use.version)
    return actions.answer_feedback(
        request, actor=actor, answers={s: (scale[label] if label else None, comment) for s in standards}, overall_comment=overall
    )


def test_asking_the_line_manager_and_supervisees_emails_those_who_sign_in(
    fiu, people, person, django_capture_on_commit_callbacks
):
    aisha = people["aisha"]
    paper = person("Pip Paper", stage="Social worker", line_manager=aisha, login=False)
    assessment = start(aisha, fiu)
    with django_capture_on_commit_callbacks(execute=True):
        requests = actions.request_feedback(
            assessment,
            actor=aisha.membership,
            line_manager=True,
            supervisees=[*people["supervisees"][:2], paper],
            anonymous=True,
            message="Especially on standard 2, please.",
            answer_by=datetime.date(2026, 12, 18),
        )
    assert [(r.respondent.full_name, r.relationship, r.is_anonymous) for r in requests] == [
        ("Maggie Manager", "line_manager", False),
        ("Sam Supervisee 1", "supervisee", True),
        ("Sam Supervisee 2", "supervisee", True),
        ("Pip Paper", "supervisee", True),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.respondent.membership.user.email for r in requests[:3])
    manager_mail = next(m for m in mail.outbox if m.to == [people["manager"].membership.user.email])
    assert manager_mail.subject == "Aisha Supervisor has asked you for feedback"
    assert "Especially on standard 2, please." in manager_mail.body and "18 December 2026" in manager_mail.body
    assert f"/o/northshire/assessment/feedback/{requests[0].pk}/" in manager_mail.body
    assert "anonymous" in next(m for m in mail.outbox if m.to != manager_mail.to).body
    event = AuditEvent.objects.get(verb="asked for feedback")
    assert event.changes["anonymous"] == [None, True]


def test_who_may_be_asked(fiu, people, person, admin):
    aisha = people["aisha"]
    stranger = person("Stan Stranger", stage="Social worker")
    assessment = start(aisha, fiu)
    with pytest.raises(ValidationError) as refused:
        actions.request_feedback(assessment, actor=aisha.membership)
    assert refused.value.message_dict == {"supervisees": ["Select at least one person to ask for feedback"]}
    with pytest.raises(ValidationError) as refused:
        actions.request_feedback(assessment, actor=aisha.membership, supervisees=[stranger], anonymous=False)
    assert refused.value.message_dict["supervisees"] == ["Stan Stranger is not someone Aisha Supervisor line-manages now"]
    with pytest.raises(ValidationError) as refused:
        actions.request_feedback(assessment, actor=aisha.membership, line_manager=True, answer_by=datetime.date(2026, 11, 1))
    assert "answer_by" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        actions.request_feedback(assessment, actor=admin, line_manager=True)
    actions.request_feedback(assessment, actor=aisha.membership, line_manager=True)
    with pytest.raises(ValidationError) as refused:
        actions.request_feedback(assessment, actor=aisha.membership, line_manager=True)
    assert refused.value.message_dict["line_manager"] == ["Maggie Manager has already been asked for feedback on this"]


def test_anonymous_feedback_needs_three_supervisees_asked_and_stays_anonymous(fiu, people):
    aisha = people["aisha"]
    sups = people["supervisees"]
    assessment = start(aisha, fiu)
    with pytest.raises(ValidationError) as refused:
        actions.request_feedback(assessment, actor=aisha.membership, supervisees=sups[:2], anonymous=True)
    assert refused.value.message_dict["supervisees"] == [
        "Select at least 3 supervisees: anonymous answers are shown only once 3 have answered"
    ]
    with pytest.raises(ValidationError) as refused:
        actions.request_feedback(assessment, actor=aisha.membership, supervisees=sups[:2])
    assert refused.value.message_dict == {"anonymous": ["Select whether supervisees' answers are anonymous"]}
    actions.request_feedback(assessment, actor=aisha.membership, supervisees=sups[:3], anonymous=True)
    # Asked later, the fourth is anonymous too, whatever is passed: the first request decided it.
    (fourth,) = actions.request_feedback(assessment, actor=aisha.membership, supervisees=sups[3:], anonymous=False)
    assert fourth.is_anonymous


def test_answering_declining_and_withdrawing(fiu, scale, people, person, admin, member_with):
    aisha, manager = people["aisha"], people["manager"]
    paper = person("Pip Paper", stage="Social worker", line_manager=aisha, login=False)
    assessment = start(aisha, fiu)
    to_manager, to_first, to_paper = actions.request_feedback(
        assessment, actor=aisha.membership, line_manager=True, supervisees=[people["supervisees"][0], paper], anonymous=False
    )
    # Only the person asked answers (or an admin, for someone who does not sign in).
    for someone in (aisha.membership, admin, member_with("senior_leader")):
        with pytest.raises(PermissionDenied):
            _answer(to_manager, someone, scale)
    with pytest.raises(ValidationError) as refused:
        actions.answer_feedback(to_manager, actor=manager.membership, answers={})
    assert set(refused.value.message_dict) == {f"level_{s.pk}" for s in Standard.objects.filter(version=fiu.version)}
    _answer(to_manager, manager.membership, scale, comment="Clear and kind.", overall="Keep going.")
    to_manager.refresh_from_db()
    assert to_manager.status == "answered" and to_manager.overall_comment == "Keep going."
    assert FeedbackAnswer.objects.filter(request=to_manager).count() == 3
    event = AuditEvent.objects.get(verb="answered request for feedback")
    assert event.changes == {"status": ["Asked", "Answered"]} and event.actor == manager.membership.user
    with pytest.raises(ValidationError, match="was answered on 24 November 2026"):
        _answer(to_manager, manager.membership, scale)
    _answer(to_paper, admin, scale, label=None)
    assert set(FeedbackAnswer.objects.filter(request=to_paper).values_list("level", flat=True)) == {None}
    # Declining; withdrawing one that was not answered.
    actions.decline_feedback(to_first, actor=people["supervisees"][0].membership, reason="Too new to say.")
    to_first.refresh_from_db()
    assert to_first.status == "declined" and to_first.decline_reason == "Too new to say."
    with pytest.raises(ValidationError, match="declined"):
        actions.withdraw_feedback_request(to_first, actor=aisha.membership)
    (again,) = actions.request_feedback(assessment, actor=aisha.membership, supervisees=[people["supervisees"][1]])
    with pytest.raises(PermissionDenied):
        actions.withdraw_feedback_request(again, actor=manager.membership)
    actions.withdraw_feedback_request(again, actor=aisha.membership)
    again.refresh_from_db()
    assert again.status == "withdrawn"
    with pytest.raises(ValidationError, match="withdrew this request"):
        _answer(again, people["supervisees"][1].membership, scale)


def test_an_anonymous_request_cannot_be_withdrawn_alone(fiu, people):
    aisha = people["aisha"]
    requests = actions.request_feedback(
        start(aisha, fiu), actor=aisha.membership, supervisees=people["supervisees"][:3], anonymous=True
    )
    with pytest.raises(ValidationError, match="cannot be withdrawn one at a time"):
        actions.withdraw_feedback_request(requests[0], actor=aisha.membership)


def test_anonymous_answers_are_hidden_until_three_and_then_only_combined(fiu, scale, people, django_assert_num_queries):
    aisha = people["aisha"]
    sups = people["supervisees"]
    assessment = start(aisha, fiu)
    requests = actions.request_feedback(assessment, actor=aisha.membership, supervisees=sups, anonymous=True)
    answers = [("Developing", "Zara's view: needs structure."), ("Can support others", "always available"), ("Confident", "")]
    for request, (label, comment) in zip(requests[:2], answers[:2], strict=True):
        _answer(request, request.respondent.membership, scale, label=label, comment=comment, overall=f"Overall {label}")
    levels_ = list(scale.values())
    with django_assert_num_queries(1):  # the requests only: anonymous answers are not even read
        feedback = feedback_for(assessment, levels_)
    assert feedback.anonymous.answered == 2 and feedback.anonymous.needed == 1 and not feedback.anonymous.shown
    assert feedback.anonymous.by_standard == {} and feedback.anonymous.overall_comments == []
    assert feedback.answered == [] and feedback.named == []
    _answer(requests[2], requests[2].respondent.membership, scale, label=answers[2][0], comment=answers[2][1])
    feedback = feedback_for(assessment, levels_)
    assert feedback.anonymous.shown and feedback.anonymous.needed == 0
    standard = Standard.objects.get(version=fiu.version, number="1")
    combined = feedback.anonymous.by_standard[standard.pk]
    # The middle of Developing, Can support others and Confident; comments alphabetical, unsigned.
    assert combined["median"] == scale["Confident"] and combined["rated"] == 3
    assert combined["comments"] == ["always available", "Zara's view: needs structure."]
    assert feedback.anonymous.overall_comments == ["Overall Can support others", "Overall Developing"]
    rows = standard_rows(assessment, levels_, None, feedback)
    assert rows[0].combined["median"] == scale["Confident"] and rows[0].named == [] and rows[0].managers == []


def test_a_standard_fewer_than_three_rated_shows_no_middle_rating(fiu, scale, people):
    aisha = people["aisha"]
    assessment = start(aisha, fiu)
    requests = actions.request_feedback(assessment, actor=aisha.membership, supervisees=people["supervisees"][:3], anonymous=True)
    _answer(requests[0], requests[0].respondent.membership, scale, label="Confident")
    _answer(requests[1], requests[1].respondent.membership, scale, label=None, comment="Not seen it.")
    _answer(requests[2], requests[2].respondent.membership, scale, label="Developing")
    combined = feedback_for(assessment, list(scale.values())).anonymous.by_standard
    assert all(row["median"] is None and row["rated"] == 2 for row in combined.values())
    assert all(row["comments"] == ["Not seen it."] for row in combined.values())


def test_an_anonymous_answer_is_for_its_author_alone(fiu, scale, people, admin, person):
    aisha, manager = people["aisha"], people["manager"]
    paper = person("Pip Paper", stage="Social worker", line_manager=aisha, login=False)
    assessment = start(aisha, fiu)
    requests = actions.request_feedback(
        assessment, actor=aisha.membership, supervisees=[*people["supervisees"][:2], paper], anonymous=True
    )
    for request in requests[:2]:
        _answer(request, request.respondent.membership, scale)
    view = "assessment.view_request"
    assert policy.allows(requests[0].respondent.membership, view, requests[0])
    assert not policy.allows(requests[1].respondent.membership, view, requests[0])
    assert not any(policy.allows(m, view, requests[0]) for m in (aisha.membership, manager.membership, admin))
    # An admin opens an anonymous request to record a paper answer, and never sees it again after.
    assert policy.allows(admin, view, requests[2]) and policy.allows(admin, "assessment.answer_feedback", requests[2])
    _answer(requests[2], admin, scale)
    requests[2].refresh_from_db()
    assert not policy.allows(admin, view, requests[2])


def test_changing_the_scale_is_refused_while_ratings_use_a_level(fiu, scale, people):
    from django.db.models import ProtectedError

    aisha = people["aisha"]
    rating = start(aisha, fiu).ratings.first()
    actions.save_standard(rating, actor=aisha.membership, expected_version=1, level=scale["Confident"])
    with pytest.raises(ProtectedError):
        RatingLevel.objects.filter(pk=scale["Confident"].pk).delete()
    assert FeedbackRequest.objects.count() == 0


def test_every_step_is_in_the_audit_trail(fiu, scale, people, submitted):
    aisha, manager = people["aisha"], people["manager"]
    assessment = submitted(start(aisha, fiu), aisha.membership)
    actions.set_sharing(assessment, actor=aisha.membership, shared=True)
    to_manager, to_sam = actions.request_feedback(
        assessment, actor=aisha.membership, line_manager=True, supervisees=[people["supervisees"][0]], anonymous=False
    )
    actions.decline_feedback(to_manager, actor=manager.membership, reason="")
    actions.withdraw_feedback_request(to_sam, actor=aisha.membership)
    assert events(assessment) == [
        "started self-assessment",
        *["saved a standard"] * 3,
        "saved overall answers",
        "submitted self-assessment",
        "changed sharing with mentor",
        "asked for feedback",
    ]
    assert events(to_manager) == ["declined request for feedback"]
    assert events(to_sam) == ["withdrew request for feedback"]
    overall = AuditEvent.objects.get(verb="saved overall answers")
    assert overall.changes == {"changed": [None, "strengths overall, learning needs overall"]}
