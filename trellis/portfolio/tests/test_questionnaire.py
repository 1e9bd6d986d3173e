"""Feedback on the pathway: the questionnaire's rules, answering once (anonymously by default), and the
results with small numbers suppressed, on the page and in the spreadsheet."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from trellis.audit.models import AuditEvent
from trellis.audit.versions import StaleEdit
from trellis.frameworks.models import Framework, FrameworkInUse, FrameworkVersion, Standard
from trellis.insights.figures import FEWER_THAN_5, NOT_SHOWN
from trellis.notifications.models import Notification
from trellis.portfolio import actions, feedback, queries
from trellis.portfolio.feedback import answer_field
from trellis.portfolio.models import Answer, Cohort, Question, Questionnaire, QuestionnaireResponse, Receipt
from trellis.tenancy.tests.factories import MembershipFactory
from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import CareerStage

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 24, 10, 0))


class World:
    """A cohort whose supervisors all sign in, each with a mentor; `people(n, mentors=m)` adds them."""

    def __init__(self, org, admin):
        self.org, self.admin = org, admin
        workforce_actions.ensure_default_career_stages(org)
        framework = Framework.objects.create(key="ps-kss-q", name="Practice supervisor KSS", short_name="PS KSS", service="any")
        version = FrameworkVersion.objects.create(framework=framework, label="2018")
        Standard.objects.create(version=version, number="1", title="Effective use of power", position=1, is_checked=True)
        in_use = FrameworkInUse.objects.create(organisation=org, version=version, service="any")
        self.cohort = actions.create_cohort(
            actor=admin,
            name="Spring cohort",
            frameworks=[in_use],
            starts_on=datetime.date(2026, 3, 2),
            expected_end_on=datetime.date(2026, 11, 30),
        )
        self.supervisors, self.mentors = [], []
        self.count = 0

    def people(self, supervisors, mentors=1):
        for _ in range(mentors):
            self.count += 1
            self.mentors.append(
                MembershipFactory(organisation=self.org, roles=["mentor"], user__full_name=f"Mentor {self.count}")
            )
        for _ in range(supervisors):
            self.count += 1
            name = f"Supervisor {self.count}"
            login = MembershipFactory(organisation=self.org, roles=["practice_supervisor"], user__full_name=name)
            person = workforce_actions.create_staff_record(
                actor=self.admin,
                career_stage=CareerStage.objects.get(organisation=self.org, name="Practice supervisor"),
                full_name=name,
                employee_ref=f"Q{self.count}",
                service="children",
                employment_type="permanent",
                start_date=datetime.date(2020, 1, 6),
                membership=login,
            )
            (portfolio,) = actions.add_supervisors(self.cohort, actor=self.admin, staff=[person])
            mentor = self.mentors[len(self.supervisors) % len(self.mentors)] if self.mentors else None
            actions.assign_portfolio(portfolio, actor=self.admin, mentor=mentor, reviewer=None)
            self.supervisors.append(login)
        return self

    def questionnaire(self, *, opened=True, anonymous=True):
        questionnaire = actions.create_questionnaire(self.cohort, actor=self.admin)
        if not anonymous:
            questionnaire = actions.update_questionnaire(
                questionnaire,
                actor=self.admin,
                expected_version=questionnaire.version,
                introduction="",
                anonymous=False,
                closes_on=None,
            )
        if opened:
            questionnaire = actions.open_questionnaire(questionnaire, actor=self.admin, expected_version=questionnaire.version)
        return questionnaire


@pytest.fixture
def world(org, admin):
    return World(org, admin)


def answers(questionnaire, rating=4, text="", **by_position):
    """Every rating question answered `rating` (or by_position["q3"]=value), written ones `text`."""
    values = {}
    for question in questionnaire.questions.all():
        value = by_position.get(f"q{question.position}", rating if question.kind == Question.Kind.SCALE else text)
        values[question.pk] = value
    return values


def answer(questionnaire, member, **kwargs):
    questionnaire.refresh_from_db()
    return actions.answer_questionnaire(
        questionnaire, actor=member, expected_version=questionnaire.version, answers=answers(questionnaire, **kwargs)
    )


def url(name, *args):
    return reverse(f"portfolio:{name}", args=["northshire", *args])


# --- Preparing and changing the questionnaire ------------------------------------------------------------


def test_a_questionnaire_starts_from_default_questions_of_both_kinds(world, admin):
    questionnaire = actions.create_questionnaire(world.cohort, actor=admin)
    questions = list(questionnaire.questions.all())
    assert [q.text for q in questions] == [text for _, text in feedback.DEFAULT_QUESTIONS]
    assert {q.kind for q in questions} == {"scale", "text"}
    assert [q.position for q in questions] == list(range(1, len(questions) + 1))
    assert questionnaire.anonymous is True and questionnaire.opened_at is None
    assert questionnaire.introduction == feedback.DEFAULT_INTRODUCTION
    assert AuditEvent.objects.filter(verb="prepared questionnaire", target_id=str(questionnaire.pk)).exists()
    assert actions.create_questionnaire(world.cohort, actor=admin) == questionnaire  # one per cohort
    assert Questionnaire.objects.count() == 1


def test_only_admins_prepare_and_change_it(world, leader):
    with pytest.raises(PermissionDenied):
        actions.create_questionnaire(world.cohort, actor=leader)
    questionnaire = world.questionnaire(opened=False)
    with pytest.raises(PermissionDenied):
        actions.add_question(questionnaire, actor=leader, expected_version=questionnaire.version, text="Why?", kind="text")


def test_questions_are_added_changed_moved_and_removed(world, admin):
    questionnaire = world.questionnaire(opened=False)
    version = questionnaire.version
    added = actions.add_question(
        questionnaire, actor=admin, expected_version=version, text="  How useful were the sets? ", kind="scale"
    )
    assert (added.position, added.text) == (8, "How useful were the sets?")
    questionnaire.refresh_from_db()
    assert questionnaire.version == version + 1  # an answer form opened before this is now stale
    actions.update_question(added, actor=admin, expected_version=questionnaire.version, text="Were the sets useful?", kind="text")
    questionnaire.refresh_from_db()
    actions.move_question(added, actor=admin, expected_version=questionnaire.version, direction="up")
    questionnaire.refresh_from_db()
    texts = list(questionnaire.questions.values_list("text", flat=True))
    assert texts[6] == "Were the sets useful?" and texts[7] == feedback.DEFAULT_QUESTIONS[-1][1]
    first = questionnaire.questions.get(position=1)
    actions.move_question(first, actor=admin, expected_version=questionnaire.version, direction="up")  # already first
    questionnaire.refresh_from_db()
    actions.delete_question(first, actor=admin, expected_version=questionnaire.version)
    assert list(questionnaire.questions.values_list("position", flat=True)) == list(range(1, 8))
    verbs = set(AuditEvent.objects.filter(target_id=str(questionnaire.pk)).values_list("verb", flat=True))
    assert {"added question", "changed question 8", "moved question up", "removed question"} <= verbs


def test_a_stale_change_is_refused_with_what_changed(world, admin):
    questionnaire = world.questionnaire(opened=False)
    opened_at_version = questionnaire.version
    actions.update_questionnaire(
        questionnaire, actor=admin, expected_version=opened_at_version, introduction="New words.", anonymous=True, closes_on=None
    )
    with pytest.raises(StaleEdit) as stale:
        actions.update_questionnaire(
            questionnaire, actor=admin, expected_version=opened_at_version, introduction="Mine.", anonymous=True, closes_on=None
        )
    assert ("Introduction", feedback.DEFAULT_INTRODUCTION, "New words.") in stale.value.changes
    with pytest.raises(StaleEdit):
        actions.add_question(questionnaire, actor=admin, expected_version=opened_at_version, text="Late?", kind="text")


def test_nothing_but_the_closing_date_changes_once_someone_has_answered(world, admin):
    world.people(1)
    questionnaire = world.questionnaire()
    answer(questionnaire, world.supervisors[0])
    questionnaire.refresh_from_db()
    question = questionnaire.questions.first()
    attempts = [
        ("text", lambda v: actions.add_question(questionnaire, actor=admin, expected_version=v, text="More?", kind="text")),
        ("text", lambda v: actions.update_question(question, actor=admin, expected_version=v, text="Changed?", kind="scale")),
        ("text", lambda v: actions.delete_question(question, actor=admin, expected_version=v)),
        ("text", lambda v: actions.move_question(question, actor=admin, expected_version=v, direction="down")),
        (
            "anonymous",
            lambda v: actions.update_questionnaire(
                questionnaire,
                actor=admin,
                expected_version=v,
                introduction=questionnaire.introduction,
                anonymous=False,
                closes_on=None,
            ),
        ),
    ]
    for field, attempt in attempts:
        with pytest.raises(ValidationError) as refused:
            attempt(questionnaire.version)
        assert field in refused.value.error_dict
    actions.update_questionnaire(
        questionnaire,
        actor=admin,
        expected_version=questionnaire.version,
        introduction=questionnaire.introduction,
        anonymous=True,
        closes_on=TODAY + datetime.timedelta(days=7),
    )
    questionnaire.refresh_from_db()
    assert questionnaire.closes_on == datetime.date(2026, 12, 1)


# --- Opening it --------------------------------------------------------------------------------------------------


def test_opening_asks_the_cohorts_supervisors_and_mentors(world, admin):
    world.people(3, mentors=2)
    questionnaire = world.questionnaire(opened=False)
    actions.open_questionnaire(
        questionnaire, actor=admin, expected_version=questionnaire.version, closes_on=datetime.date(2026, 12, 18)
    )
    questionnaire.refresh_from_db()
    assert questionnaire.is_open and questionnaire.closes_on == datetime.date(2026, 12, 18)
    asked = set(Notification.objects.values_list("recipient_id", flat=True))
    assert asked == {m.pk for m in world.supervisors + world.mentors}
    notice = Notification.objects.filter(recipient=world.supervisors[0]).get()
    assert notice.url == url("questionnaire-answer", questionnaire.pk)
    assert "Your answers are anonymous." in notice.body and "18 December 2026" in notice.body
    with pytest.raises(ValidationError, match="has been open since 24 November 2026"):
        actions.open_questionnaire(questionnaire, actor=admin, expected_version=questionnaire.version)


def test_opening_needs_a_question_and_a_closing_date_not_in_the_past(world, admin):
    questionnaire = world.questionnaire(opened=False)
    with pytest.raises(ValidationError) as refused:
        actions.open_questionnaire(
            questionnaire, actor=admin, expected_version=questionnaire.version, closes_on=datetime.date(2026, 11, 23)
        )
    assert "closes_on" in refused.value.error_dict
    for question in list(questionnaire.questions.all()):
        questionnaire.refresh_from_db()
        actions.delete_question(question, actor=admin, expected_version=questionnaire.version)
    questionnaire.refresh_from_db()
    with pytest.raises(ValidationError, match="Add at least one question"):
        actions.open_questionnaire(questionnaire, actor=admin, expected_version=questionnaire.version)


def test_an_open_questionnaire_keeps_at_least_one_question(world, admin):
    questionnaire = world.questionnaire()
    questions = list(questionnaire.questions.all())
    for question in questions[:-1]:
        questionnaire.refresh_from_db()
        actions.delete_question(question, actor=admin, expected_version=questionnaire.version)
    questionnaire.refresh_from_db()
    with pytest.raises(ValidationError, match="needs at least one question"):
        actions.delete_question(questions[-1], actor=admin, expected_version=questionnaire.version)


def test_it_opens_when_the_cohort_ends(world, admin):
    world.people(2)
    assert actions.open_for_ended_cohort(world.cohort) is None  # not ended yet
    actions.end_cohort(world.cohort, actor=admin, ended_on=TODAY)
    questionnaire = Questionnaire.objects.get(cohort=world.cohort)
    assert questionnaire.is_open and questionnaire.questions.count() == len(feedback.DEFAULT_QUESTIONS)
    assert AuditEvent.objects.get(verb="opened questionnaire").actor_name == admin.user.full_name
    assert Notification.objects.filter(recipient__in=world.supervisors).count() == 2
    # The daily command finds nothing more to open, and asks nobody twice.
    out = io.StringIO()
    call_command("open_pathway_feedback", stdout=out)
    assert "opened 0" in out.getvalue()
    assert Notification.objects.filter(recipient__in=world.supervisors).count() == 2


def test_the_daily_command_opens_one_for_a_cohort_that_ended_without_it(world):
    """E.g. a cohort ended before questionnaires existed: the command opens it, in Trellis's name."""
    world.people(2)
    Cohort.objects.filter(pk=world.cohort.pk).update(ended_on=TODAY)
    call_command("open_pathway_feedback", stdout=io.StringIO())
    assert Questionnaire.objects.get(cohort=world.cohort).is_open
    assert AuditEvent.objects.get(verb="opened questionnaire").actor_name == "Trellis"
    assert Notification.objects.filter(recipient__in=world.supervisors).count() == 2


def test_an_ended_cohorts_prepared_questionnaire_opens_as_prepared(world, admin):
    world.people(1)
    questionnaire = world.questionnaire(opened=False, anonymous=False)
    world.cohort.refresh_from_db()
    actions.end_cohort(world.cohort, actor=admin, ended_on=TODAY, expected_version=world.cohort.version)
    questionnaire.refresh_from_db()
    assert questionnaire.is_open and questionnaire.anonymous is False
    assert Questionnaire.objects.filter(cohort=world.cohort).count() == 1
    assert actions.open_for_ended_cohort(world.cohort, actor=admin) is None


# --- Answering ----------------------------------------------------------------------------------------------


def test_what_waits_on_whom(world, leader):
    world.people(2)
    questionnaire = world.questionnaire()
    supervisor, mentor = world.supervisors[0], world.mentors[0]
    assert list(queries.questionnaires_waiting_for(supervisor)) == [questionnaire]
    assert list(queries.questionnaires_waiting_for(mentor)) == [questionnaire]
    assert list(queries.questionnaires_waiting_for(leader)) == []
    answer(questionnaire, supervisor)
    assert list(queries.questionnaires_waiting_for(supervisor)) == []
    questionnaire.refresh_from_db()
    actions.update_questionnaire(
        questionnaire,
        actor=world.admin,
        expected_version=questionnaire.version,
        introduction=questionnaire.introduction,
        anonymous=True,
        closes_on=TODAY,
    )
    assert list(queries.questionnaires_waiting_for(mentor)) == [questionnaire]


def test_an_anonymous_answer_stores_no_respondent_and_a_separate_receipt(world):
    world.people(1)
    questionnaire = world.questionnaire()
    supervisor = world.supervisors[0]
    response = answer(questionnaire, supervisor, rating=5, text="More time to write.")
    response.refresh_from_db()
    assert response.respondent is None and response.role == "supervisor"
    assert Receipt.objects.filter(questionnaire=questionnaire, membership=supervisor).exists()
    assert Answer.objects.filter(response=response, rating=5).count() == 5
    assert Answer.objects.filter(response=response, text="More time to write.").count() == 2
    # Nothing that points from the person to what they said: no respondent, no sequential answer ids,
    # and an audit event that records only that they answered.
    assert not QuestionnaireResponse.objects.filter(respondent=supervisor).exists()
    assert all(isinstance(pk, type(response.pk)) for pk in Answer.objects.values_list("pk", flat=True))
    event = AuditEvent.objects.get(verb="answered questionnaire")
    assert event.changes == {} and "More time" not in str(event.target_repr)


def test_a_named_answer_keeps_who_gave_it(world):
    world.people(1)
    questionnaire = world.questionnaire(anonymous=False)
    response = answer(questionnaire, world.mentors[0])
    assert response.respondent == world.mentors[0] and response.role == "mentor"


def test_each_person_answers_once(world):
    world.people(1)
    questionnaire = world.questionnaire()
    answer(questionnaire, world.supervisors[0])
    with pytest.raises(ValidationError, match="already answered"):
        answer(questionnaire, world.supervisors[0])
    assert QuestionnaireResponse.objects.count() == 1


def test_only_the_cohorts_people_answer_and_only_while_it_is_open(world, member_with):
    world.people(1)
    questionnaire = world.questionnaire(opened=False)
    with pytest.raises(PermissionDenied):
        answer(questionnaire, world.supervisors[0])  # not open yet
    questionnaire.refresh_from_db()
    actions.open_questionnaire(questionnaire, actor=world.admin, expected_version=questionnaire.version, closes_on=TODAY)
    with pytest.raises(PermissionDenied):
        answer(questionnaire, member_with("practice_supervisor"))  # not in the cohort
    with pytest.raises(PermissionDenied):
        answer(questionnaire, world.admin)


def test_a_closed_questionnaire_takes_no_answers(world, time_machine):
    world.people(1)
    questionnaire = world.questionnaire(opened=False)
    actions.open_questionnaire(questionnaire, actor=world.admin, expected_version=questionnaire.version, closes_on=TODAY)
    time_machine.move_to(datetime.datetime(2026, 11, 25, 9, 0))
    questionnaire.refresh_from_db()
    assert questionnaire.has_closed and not questionnaire.is_open
    with pytest.raises(PermissionDenied):
        answer(questionnaire, world.supervisors[0])


def test_every_rating_is_needed_and_must_be_1_to_5(world):
    world.people(1)
    questionnaire = world.questionnaire()
    first = questionnaire.questions.get(position=1)
    for bad in ("", "0", "6", "x"):
        with pytest.raises(ValidationError) as refused:
            answer(questionnaire, world.supervisors[0], q1=bad)
        assert answer_field(first) in refused.value.error_dict
    assert not Receipt.objects.exists()


def test_an_answer_to_changed_questions_is_refused_as_stale(world, admin):
    world.people(1)
    questionnaire = world.questionnaire()
    seen = questionnaire.version
    actions.add_question(questionnaire, actor=admin, expected_version=seen, text="One more?", kind="text")
    with pytest.raises(StaleEdit):
        actions.answer_questionnaire(
            questionnaire, actor=world.supervisors[0], expected_version=seen, answers=answers(questionnaire)
        )


# --- Results, suppressed -------------------------------------------------------------------------------------------


def group(report, position, label):
    row = report["questions"][position - 1]
    return next(g for g in row["groups"] if g["label"] == label)


def test_with_fewer_than_5_answers_nothing_can_be_read(world):
    world.people(3)
    questionnaire = world.questionnaire()
    for member in world.supervisors:
        answer(questionnaire, member, rating=2, text="Too much paperwork.")
    report = feedback.results(questionnaire)
    assert report["total"] == 3 and not report["enough"]
    everyone = group(report, 1, "Everyone")
    assert everyone["answered"] == FEWER_THAN_5 and set(everyone["cells"]) == {NOT_SHOWN} and everyone["average"] is None
    assert all(role["answered"] == NOT_SHOWN for role in report["roles"])
    written = report["questions"][5]
    assert written["answers"] is None and written["answered"] == 3


def test_a_full_distribution_shows_its_average_and_roles_when_every_count_can_be_shown(world):
    world.people(6, mentors=5)
    questionnaire = world.questionnaire()
    for member in world.supervisors:
        answer(questionnaire, member, rating=5)
    for member in world.mentors:
        answer(questionnaire, member, rating=4)
    report = feedback.results(questionnaire, asked={"supervisor": 6, "mentor": 5})
    assert group(report, 1, "Everyone") == {
        "label": "Everyone",
        "answered": "11",
        "cells": ["0", "0", "0", "5", "6"],
        "average": "4.5",
    }
    assert group(report, 1, "Supervisors")["cells"] == ["0", "0", "0", "0", "6"]
    assert group(report, 1, "Supervisors")["average"] == "5.0"
    assert group(report, 1, "Mentors")["average"] == "4.0"
    assert [(r["label"], r["asked"], r["answered"]) for r in report["roles"]] == [("Supervisors", 6, "6"), ("Mentors", 5, "5")]


def test_a_small_count_hides_itself_what_would_give_it_away_and_the_average(world):
    world.people(7, mentors=2)
    questionnaire = world.questionnaire()
    for index, member in enumerate(world.supervisors):
        answer(questionnaire, member, rating=1 if index == 0 else 4)
    for member in world.mentors:
        answer(questionnaire, member, rating=4)
    report = feedback.results(questionnaire)
    everyone = group(report, 1, "Everyone")
    # 1 person rated 1 and 8 rated 4: the 1 is small, and with the total of 9 the 8 would give it away.
    assert everyone["answered"] == "9"
    assert everyone["cells"] == ["fewer than 5", "0", "0", "not shown", "0"]
    assert everyone["average"] is None
    # Two mentors is a small number; the supervisors' count would give it away from the total.
    assert group(report, 1, "Mentors")["answered"] == FEWER_THAN_5
    assert group(report, 1, "Supervisors")["answered"] == NOT_SHOWN
    assert set(group(report, 1, "Supervisors")["cells"]) == {NOT_SHOWN}
    assert [r["answered"] for r in report["roles"]] == [NOT_SHOWN, FEWER_THAN_5]


def test_roles_stay_hidden_when_one_roles_counts_are_small_even_if_everyones_are_not(world):
    # Everyone: 5 rated 3 and 5 rated 4; but by role a count of 2 and of 3 would show.
    world.people(5, mentors=5)
    questionnaire = world.questionnaire()
    for index, member in enumerate(world.supervisors):
        answer(questionnaire, member, rating=3 if index < 2 else 4)
    for index, member in enumerate(world.mentors):
        answer(questionnaire, member, rating=3 if index < 3 else 4)
    report = feedback.results(questionnaire)
    assert group(report, 1, "Everyone")["cells"] == ["0", "0", "5", "5", "0"]
    assert group(report, 1, "Everyone")["average"] == "3.5"
    for label in ("Supervisors", "Mentors"):
        assert group(report, 1, label)["answered"] == "5"
        assert set(group(report, 1, label)["cells"]) == {NOT_SHOWN} and group(report, 1, label)["average"] is None


def test_anonymous_written_answers_are_shuffled_without_names_or_roles(world):
    world.people(6)
    questionnaire = world.questionnaire()
    for index, member in enumerate(world.supervisors):
        answer(questionnaire, member, text=f"Answer number {index}")
    report = feedback.results(questionnaire)
    listed = report["questions"][5]["answers"]
    assert sorted(a["text"] for a in listed) == sorted(f"Answer number {i}" for i in range(6))
    assert all(set(a) == {"text"} for a in listed)
    # The same order each time (reloading cannot average it out), and not the order people answered in
    # (random ids, shuffled by a seed of the questionnaire's own random id).
    assert feedback.results(questionnaire)["questions"][5]["answers"] == listed


def test_named_written_answers_show_who_gave_them(world):
    world.people(5)
    questionnaire = world.questionnaire(anonymous=False)
    for member in world.supervisors:
        answer(questionnaire, member, text=f"From {member.user.full_name}")
    listed = feedback.results(questionnaire)["questions"][5]["answers"]
    assert listed[0] == {"text": "From Supervisor 2", "name": "Supervisor 2", "role": "Supervisor"}


# --- Pages and the spreadsheet ------------------------------------------------------------------------------------


def test_an_admin_prepares_changes_and_opens_it_from_the_pages(client_for, world, admin):
    world.people(2)
    client = client_for(admin)
    page = client.get(url("questionnaire", world.cohort.pk)).content.decode()
    assert "Use these questions" in page and feedback.DEFAULT_QUESTIONS[0][1] in page
    response = client.post(url("questionnaire-start", world.cohort.pk))
    assert response.status_code == 302 and response["Location"] == url("questionnaire", world.cohort.pk)
    questionnaire = Questionnaire.objects.get()
    response = client.post(url("question-add", questionnaire.pk), {"version": questionnaire.version, "text": "", "kind": ""})
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page
    assert "Enter the question" in page and "Select how people answer" in page
    response = client.post(
        url("question-add", questionnaire.pk), {"version": questionnaire.version, "text": "Anything else?", "kind": "text"}
    )
    assert response.status_code == 302
    questionnaire.refresh_from_db()
    question = questionnaire.questions.get(text="Anything else?")
    client.post(url("question-move", question.pk), {"version": questionnaire.version, "direction": "up"})
    assert questionnaire.questions.get(pk=question.pk).position == 7
    response = client.post(url("question-move", question.pk), {"version": questionnaire.version - 1, "direction": "up"})
    assert "Someone else changed the questionnaire" in client.get(response["Location"]).content.decode()
    questionnaire.refresh_from_db()
    response = client.post(
        url("questionnaire-open", questionnaire.pk),
        {"version": questionnaire.version, "closes_on_day": "18", "closes_on_month": "12", "closes_on_year": "2026"},
    )
    assert response.status_code == 302
    page = client.get(url("questionnaire", world.cohort.pk)).content.decode()
    assert "Open" in page and "0 of the 3 supervisors and mentors asked" in page and "18 December 2026" in page


def test_a_supervisor_answers_from_the_page_and_is_thanked(client_for, world):
    world.people(1)
    questionnaire = world.questionnaire()
    client = client_for(world.supervisors[0])
    page = client.get(url("questionnaire-answer", questionnaire.pk)).content.decode()
    assert "Your answers are anonymous" in page and "You are answering as a supervisor" in page
    response = client.post(url("questionnaire-answer", questionnaire.pk), {"version": questionnaire.version})
    page = response.content.decode()
    assert response.status_code == 200 and page.count('class="govuk-error-summary"') == 1
    assert "Select a rating for “How well did mentoring support development against the standards?”" in page
    data = {"version": questionnaire.version}
    for question in questionnaire.questions.all():
        data[answer_field(question)] = "3" if question.kind == "scale" else "Good."
    response = client.post(url("questionnaire-answer", questionnaire.pk), data)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Thank you" in page and "stored without your name" in page
    assert QuestionnaireResponse.objects.get().respondent is None


def test_the_results_page_and_spreadsheet_are_suppressed_alike(client_for, world, leader):
    world.people(7, mentors=2)
    questionnaire = world.questionnaire()
    for index, member in enumerate(world.supervisors):
        answer(questionnaire, member, rating=1 if index == 0 else 4, text="=cmd|' /C calc'!A0" if index == 0 else "Fine.")
    for member in world.mentors:
        answer(questionnaire, member, rating=4, text="Fine.")
    client = client_for(leader)
    page = client.get(url("questionnaire-results", world.cohort.pk)).content.decode()
    assert "9 people answered" in page and "fewer than 5" in page and "not shown" in page
    response = client.get(url("questionnaire-results-export", world.cohort.pk))
    assert response["Content-Disposition"] == 'attachment; filename="spring-cohort-feedback-2026-11-24.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    ratings = list(book["Ratings"].iter_rows(min_row=6, values_only=True))
    assert ratings[0] == (
        feedback.DEFAULT_QUESTIONS[0][1],
        "Everyone",
        "9",
        "fewer than 5",
        "0",
        "0",
        "not shown",
        "0",
        "not shown",
    )
    assert ratings[1][1:3] == ("Supervisors", "not shown") and ratings[2][1:3] == ("Mentors", "fewer than 5")
    written = [row for row in book["Written answers"].iter_rows(min_row=2, values_only=True)]
    assert ("What helped most?", "'=cmd|' /C calc'!A0") in written
    assert all(len(row) == 2 for row in written)  # anonymous: no name or role columns
    event = AuditEvent.objects.get(verb="exported feedback on the pathway")
    assert event.actor_name == "Sam Senior" and event.changes["answered"] == [None, 9]


def test_results_are_for_leads(client_for, world):
    world.people(1)
    world.questionnaire()
    for member in (world.supervisors[0], world.mentors[0]):
        assert client_for(member).get(url("questionnaire-results", world.cohort.pk)).status_code == 403


def test_the_results_page_takes_the_same_queries_however_many_answered(client_for, world, admin):
    world.people(12, mentors=6)
    questionnaire = world.questionnaire()
    answer(questionnaire, world.supervisors[0])
    client = client_for(admin)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("questionnaire-results", world.cohort.pk)).status_code == 200
    for member in world.supervisors[1:] + world.mentors:
        answer(questionnaire, member, text="Something to say.")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url("questionnaire-results", world.cohort.pk)).status_code == 200
    assert len(many) == len(few)


def test_before_there_is_a_questionnaire_there_are_no_results(client_for, world, leader):
    client = client_for(leader)
    page = client.get(url("questionnaire-results", world.cohort.pk)).content.decode()
    assert "This cohort has no questionnaire yet." in page and "Prepare the questionnaire" not in page
    assert client.get(url("questionnaire-results-export", world.cohort.pk)).status_code == 404


def test_question_pages_explain_that_answered_questions_are_fixed(client_for, world, admin):
    world.people(1)
    questionnaire = world.questionnaire()
    answer(questionnaire, world.supervisors[0])
    client = client_for(admin)
    question = questionnaire.questions.first()
    for address in (
        url("question-add", questionnaire.pk),
        url("question-edit", question.pk),
        url("question-delete", question.pk),
    ):
        response = client.get(address)
        assert response.status_code == 302 and response["Location"] == url("questionnaire", world.cohort.pk)
    page = client.get(url("questionnaire", world.cohort.pk)).content.decode()
    assert "People have started answering, so the questions can no longer change" in page
    assert "Add a question" not in page and "1 of the 2 supervisors and mentors asked" in page
