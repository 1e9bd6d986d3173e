"""The portfolio app's rows of the access matrix (see tenancy/tests/matrix.py).

Each part of the app keeps its own block of `VIEWS` and, if it needs objects of its own, a function
that `objects` calls. Pages only someone assigned may use (the portfolio's reviewer, the moderator of a
review) name that membership with `allowed="@key"`.

The shared objects: a cohort using the framework in force, a supervisor with a login ("Pia") and a
portfolio in it, her mentor, the cohort's reviewer and moderator, and one evidence item of hers.
"""

import datetime

from trellis.frameworks.actions import ensure_frameworks_in_use
from trellis.frameworks.models import FrameworkInUse
from trellis.portfolio.models import Assessor, Cohort, EvidenceItem, Portfolio, PortfolioItem
from trellis.tenancy.tests.factories import MembershipFactory
from trellis.tenancy.tests.matrix import OrgView  # noqa: F401  (used by the blocks below)
from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import CareerStage

VIEWS = []

# --- cohorts ---
# Cohorts are run by organisation admins; senior leaders see the list and every cohort's progress, and a
# cohort's own moderators (Mod) its progress page. Removing Pia or Rae is refused with an explanation
# (Pia's portfolio has evidence in it; Rae reviews it), so the allowed requests change nothing.
VIEWS += [
    OrgView("portfolio:cohort-list", allowed="senior_leader", denied="practice_supervisor"),
    OrgView("portfolio:cohort-list", allowed="org_admin", denied="moderator"),
    OrgView("portfolio:cohort-add", allowed="org_admin", denied="senior_leader"),
    OrgView("portfolio:cohort-add", allowed="org_admin", denied="senior_leader", method="post"),
    OrgView("portfolio:cohort", allowed="senior_leader", denied="mentor", target="cohort"),
    OrgView("portfolio:cohort", allowed="@pf_moderator", denied="moderator", target="cohort"),
    OrgView("portfolio:cohort-edit", allowed="org_admin", denied="senior_leader", target="cohort"),
    OrgView("portfolio:cohort-edit", allowed="org_admin", denied="senior_leader", target="cohort", method="post"),
    OrgView("portfolio:cohort-end", allowed="org_admin", denied="senior_leader", target="cohort"),
    OrgView("portfolio:cohort-end", allowed="org_admin", denied="moderator", target="cohort", method="post"),
    OrgView("portfolio:cohort-people", allowed="org_admin", denied="senior_leader", target="cohort"),
    OrgView("portfolio:cohort-add-supervisors", allowed="org_admin", denied="senior_leader", target="cohort"),
    OrgView("portfolio:cohort-add-supervisors", allowed="org_admin", denied="senior_leader", target="cohort", method="post"),
    OrgView("portfolio:cohort-assessors", allowed="org_admin", denied="senior_leader", target="cohort"),
    OrgView("portfolio:cohort-assessors", allowed="org_admin", denied="moderator", target="cohort", method="post"),
    OrgView("portfolio:cohort-member-assign", allowed="org_admin", denied="senior_leader", target="portfolio", method="post"),
    OrgView("portfolio:cohort-member-remove", allowed="org_admin", denied="senior_leader", target="portfolio"),
    OrgView("portfolio:cohort-member-remove", allowed="org_admin", denied="mentor", target="portfolio", method="post"),
    OrgView("portfolio:assessor-remove", allowed="org_admin", denied="senior_leader", target="pf_reviewer_assessor"),
    OrgView("portfolio:assessor-remove", allowed="org_admin", denied="reviewer", target="pf_reviewer_assessor", method="post"),
]


def _cohort_objects(base, found):
    return {"pf_reviewer_assessor": Assessor.objects.get(cohort=found["cohort"], role="reviewer")}


# --- evidence ---
# Pia's own item ("pf_item", mapped to a standard, with a PDF) and Nell, who has no login, whose evidence
# an admin keeps. Evidence is the person's: an admin reads Pia's but may not change it (she signs in);
# a senior leader or a mentor of nobody gets 403.
VIEWS += [
    OrgView("portfolio:evidence-list", allowed="practice_supervisor", denied=None),
    OrgView("portfolio:evidence-list", allowed="@pf_person_login", denied=None),
    OrgView("portfolio:evidence-add", allowed="@pf_person_login", denied=None),
    OrgView("portfolio:evidence-add", allowed="@pf_person_login", denied=None, method="post"),
    OrgView("portfolio:evidence-add-from", allowed="@pf_person_login", denied=None, method="post"),
    OrgView("portfolio:evidence-person", allowed="org_admin", denied="senior_leader", target="pf_no_login"),
    OrgView("portfolio:evidence-person-add", allowed="org_admin", denied="senior_leader", target="pf_no_login"),
    OrgView("portfolio:evidence-person-add", allowed="org_admin", denied="mentor", target="pf_no_login", method="post"),
    OrgView("portfolio:evidence", allowed="@pf_person_login", denied="senior_leader", target="pf_item"),
    OrgView("portfolio:evidence", allowed="org_admin", denied="mentor", target="pf_item"),
    OrgView("portfolio:evidence-edit", allowed="@pf_person_login", denied="org_admin", target="pf_item"),
    OrgView("portfolio:evidence-edit", allowed="@pf_person_login", denied="org_admin", target="pf_item", method="post"),
    OrgView("portfolio:evidence-delete", allowed="@pf_person_login", denied="org_admin", target="pf_item"),
    OrgView("portfolio:evidence-delete", allowed="@pf_person_login", denied="senior_leader", target="pf_item", method="post"),
    OrgView("portfolio:mapping-add", allowed="@pf_person_login", denied="org_admin", target="pf_item"),
    OrgView("portfolio:mapping-add", allowed="@pf_person_login", denied="org_admin", target="pf_item", method="post"),
    OrgView("portfolio:mapping-edit", allowed="@pf_person_login", denied="org_admin", target="pf_mapping"),
    OrgView("portfolio:mapping-edit", allowed="@pf_person_login", denied="reviewer", target="pf_mapping", method="post"),
    OrgView("portfolio:mapping-delete", allowed="@pf_person_login", denied="org_admin", target="pf_mapping"),
    OrgView("portfolio:mapping-delete", allowed="@pf_person_login", denied="org_admin", target="pf_mapping", method="post"),
    OrgView("portfolio:evidence-file-add", allowed="@pf_person_login", denied="org_admin", target="pf_item"),
    OrgView("portfolio:evidence-file-add", allowed="@pf_person_login", denied="org_admin", target="pf_item", method="post"),
    OrgView("portfolio:evidence-file", allowed="@pf_person_login", denied="senior_leader", target="pf_file"),
    OrgView("portfolio:evidence-file", allowed="org_admin", denied="moderator", target="pf_file"),
    OrgView("portfolio:evidence-file-delete", allowed="@pf_person_login", denied="org_admin", target="pf_file"),
    OrgView("portfolio:evidence-file-delete", allowed="@pf_person_login", denied="org_admin", target="pf_file", method="post"),
    OrgView("portfolio:portfolio-item-add", allowed="@pf_person_login", denied="org_admin", target="pf_item", method="post"),
    OrgView("portfolio:portfolio-item-remove", allowed="@pf_person_login", denied="org_admin", target="pf_item", method="post"),
]


def _evidence_objects(base, found):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from trellis.frameworks.models import Standard
    from trellis.portfolio import actions

    org, admin, pia = base["org"], base["admin"], found["pf_person_login"]
    item = actions.create_evidence_item(
        actor=pia,
        staff=found["pf_person"],
        title="Feedback from my team",
        kind="supervisee_feedback",
        occurred_on=datetime.date(2026, 10, 1),
    )
    standard = Standard.objects.filter(version__in=found["cohort"].frameworks.values("version")).order_by("position").first()
    mapping = actions.add_mapping(item, actor=pia, standard=standard, how="The team said I listen.")
    upload = SimpleUploadedFile("feedback.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    evidence_file = actions.add_evidence_file(item, actor=pia, upload=upload)
    nell = workforce_actions.create_staff_record(
        actor=admin,
        career_stage=CareerStage.objects.get(organisation=org, name="Practice supervisor"),
        full_name="Nell No-login",
        employee_ref="PF9",
        team=base["team"],
        service="children",
        employment_type="permanent",
        start_date=datetime.date(2021, 4, 5),
    )
    return {"pf_item": item, "pf_mapping": mapping, "pf_file": evidence_file, "pf_no_login": nell}


# --- workflow ---
# Pia's portfolio ("portfolio") is a draft with a mentor and a reviewer, so she may share and submit it.
# Sol's ("pf_submitted") is submitted to the cohort's reviewer; Rita's ("pf_returned") was returned by
# that reviewer, so she may dispute it. Each step is for one person: an admin may not take it for
# someone who signs in, and another reviewer or mentor of the organisation gets 403.
VIEWS += [
    OrgView("portfolio:mine", allowed="practice_supervisor", denied=None),
    OrgView("portfolio:waiting", allowed="practitioner", denied=None),
    OrgView("portfolio:portfolio", allowed="@pf_person_login", denied="senior_leader", target="portfolio"),
    OrgView("portfolio:portfolio", allowed="org_admin", denied="mentor", target="portfolio"),
    OrgView("portfolio:portfolio", allowed="@pf_reviewer", denied="reviewer", target="pf_submitted"),
    OrgView("portfolio:share", allowed="@pf_person_login", denied="org_admin", target="portfolio"),
    OrgView("portfolio:share", allowed="@pf_person_login", denied="mentor", target="portfolio", method="post"),
    OrgView("portfolio:comment", allowed="@pf_person_login", denied="mentor", target="portfolio"),
    OrgView("portfolio:comment", allowed="@pf_person_login", denied="org_admin", target="portfolio", method="post"),
    OrgView("portfolio:submit", allowed="@pf_person_login", denied="org_admin", target="portfolio"),
    OrgView("portfolio:submit", allowed="@pf_person_login", denied="reviewer", target="portfolio", method="post"),
    OrgView("portfolio:review", allowed="@pf_reviewer", denied="reviewer", target="pf_submitted"),
    OrgView("portfolio:review", allowed="@pf_reviewer", denied="org_admin", target="pf_submitted", method="post"),
    OrgView("portfolio:dispute", allowed="@pf_returned_login", denied="org_admin", target="pf_returned"),
    OrgView("portfolio:dispute", allowed="@pf_returned_login", denied="senior_leader", target="pf_returned", method="post"),
    OrgView("portfolio:submission", allowed="@pf_returned_login", denied="senior_leader", target="pf_returned_submission"),
    OrgView("portfolio:submission", allowed="@pf_reviewer", denied="reviewer", target="pf_returned_submission"),
]


def _workflow_objects(base, found):
    from trellis.portfolio import actions

    org, admin, cohort, reviewer = base["org"], base["admin"], found["cohort"], found["pf_reviewer"]

    def submitted(name, ref):
        login = MembershipFactory(organisation=org, roles=["practice_supervisor"], user__full_name=name)
        person = workforce_actions.create_staff_record(
            actor=admin,
            career_stage=CareerStage.objects.get(organisation=org, name="Practice supervisor"),
            full_name=name,
            employee_ref=ref,
            team=base["team"],
            service="children",
            employment_type="permanent",
            start_date=datetime.date(2021, 9, 6),
            membership=login,
        )
        portfolio = Portfolio.objects.create(organisation=org, cohort=cohort, staff=person, reviewer=reviewer)
        item = EvidenceItem.objects.create(
            organisation=org,
            staff=person,
            title=f"{name}'s reflective account",
            kind="reflective_account",
            occurred_on=datetime.date(2026, 10, 1),
        )
        PortfolioItem.objects.create(organisation=org, portfolio=portfolio, item=item)
        return login, portfolio, actions.submit(portfolio, actor=login)

    _, sol, _ = submitted("Sol Submitted", "PF3")
    rita_login, rita, rita_submission = submitted("Rita Returned", "PF4")
    standards = actions.moderation_standards(cohort)
    actions.decide_review(
        rita,
        actor=reviewer,
        outcome="returned",
        decisions={s.pk: (False, "Not yet evidenced.") for s in standards},
        feedback="More evidence is needed.",
    )
    return {
        "pf_submitted": sol,
        "pf_returned": rita,
        "pf_returned_login": rita_login,
        "pf_returned_submission": rita_submission,
    }


# --- moderation ---
# A second supervisor ("Mia") in the same cohort has a recommended portfolio whose review is in
# moderation, assigned to the cohort's moderator and not yet second-marked. Second marking is only for
# that moderator: not even an admin may do it. Resolving is for admins and the cohort's other moderators.
VIEWS += [
    OrgView("portfolio:moderation", allowed="@pf_moderator", denied="senior_leader", target="cohort"),
    OrgView("portfolio:moderation", allowed="org_admin", denied="moderator", target="cohort"),
    OrgView("portfolio:sample-draw", allowed="org_admin", denied="reviewer", method="post", target="cohort"),
    OrgView("portfolio:moderation-assign", allowed="org_admin", denied="mentor", target="pf_moderation"),
    OrgView("portfolio:moderation-assign", allowed="@pf_moderator", denied="moderator", method="post", target="pf_moderation"),
    OrgView("portfolio:moderate", allowed="@pf_moderator", denied="moderator", target="pf_moderation"),
    OrgView("portfolio:moderate", allowed="@pf_moderator", denied="org_admin", method="post", target="pf_moderation"),
    OrgView("portfolio:moderation-agree", allowed="@pf_moderator", denied="reviewer", method="post", target="pf_moderation"),
    OrgView("portfolio:resolve", allowed="org_admin", denied="moderator", target="pf_moderation"),
    OrgView("portfolio:resolve", allowed="org_admin", denied="senior_leader", method="post", target="pf_moderation"),
    OrgView("portfolio:sign-off", allowed="org_admin", denied="moderator", target="pf_moderated_portfolio"),
    OrgView("portfolio:sign-off", allowed="@pf_moderator", denied="reviewer", method="post", target="pf_moderated_portfolio"),
    OrgView("portfolio:agreement", allowed="org_admin", denied="senior_leader"),
    OrgView("portfolio:agreement", allowed="@pf_moderator", denied="moderator"),
]


def _moderation_objects(base, found):
    from django.utils import timezone

    from trellis.portfolio.models import Moderation, Review, Submission

    org, admin, cohort = base["org"], base["admin"], found["cohort"]
    person = workforce_actions.create_staff_record(
        actor=admin,
        career_stage=CareerStage.objects.get(organisation=org, name="Practice supervisor"),
        full_name="Mia Moderated",
        employee_ref="PF2",
        team=base["team"],
        service="children",
        employment_type="permanent",
        start_date=datetime.date(2021, 4, 5),
    )
    portfolio = Portfolio.objects.create(
        organisation=org, cohort=cohort, staff=person, reviewer=found["pf_reviewer"], state="recommended"
    )
    submission = Submission.objects.create(organisation=org, portfolio=portfolio, number=1, snapshot={"items": []})
    review = Review.objects.create(
        organisation=org,
        submission=submission,
        reviewer=found["pf_reviewer"],
        outcome="recommended",
        feedback="Strong throughout.",
        decided_at=timezone.now(),
    )
    moderation = Moderation.objects.create(organisation=org, review=review, reason="sampled", moderator=found["pf_moderator"])
    return {"pf_moderated_portfolio": portfolio, "pf_moderation": moderation}


# --- exports and pathway feedback ---
# A portfolio downloads for whoever may view it (Pia, an admin, Sol's reviewer, and Mia's moderator, who
# gets it without the decision until they second-mark); the cohort summary is for leads. The cohort's
# questionnaire ("pf_questionnaire", the default questions, open, nobody has answered) is the admins'
# to change; Pia and her mentor Mo answer it; leads read the results.
VIEWS += [
    OrgView("portfolio:export-pdf", allowed="@pf_person_login", denied="senior_leader", target="portfolio"),
    OrgView("portfolio:export-pdf", allowed="@pf_moderator", denied="moderator", target="pf_moderated_portfolio"),
    OrgView("portfolio:export-docx", allowed="org_admin", denied="mentor", target="portfolio"),
    OrgView("portfolio:export-docx", allowed="@pf_reviewer", denied="reviewer", target="pf_submitted"),
    OrgView("portfolio:cohort-export", allowed="senior_leader", denied="practice_supervisor", target="cohort"),
    OrgView("portfolio:questionnaire", allowed="org_admin", denied="senior_leader", target="cohort"),
    OrgView("portfolio:questionnaire-start", allowed="org_admin", denied="senior_leader", target="cohort", method="post"),
    OrgView("portfolio:questionnaire-edit", allowed="org_admin", denied="senior_leader", target="pf_questionnaire"),
    OrgView("portfolio:questionnaire-edit", allowed="org_admin", denied="mentor", target="pf_questionnaire", method="post"),
    OrgView("portfolio:question-add", allowed="org_admin", denied="senior_leader", target="pf_questionnaire"),
    OrgView("portfolio:question-add", allowed="org_admin", denied="mentor", target="pf_questionnaire", method="post"),
    OrgView("portfolio:question-edit", allowed="org_admin", denied="senior_leader", target="pf_question"),
    OrgView("portfolio:question-edit", allowed="org_admin", denied="senior_leader", target="pf_question", method="post"),
    OrgView("portfolio:question-delete", allowed="org_admin", denied="senior_leader", target="pf_question"),
    OrgView("portfolio:question-delete", allowed="org_admin", denied="mentor", target="pf_question", method="post"),
    OrgView("portfolio:question-move", allowed="org_admin", denied="senior_leader", target="pf_question", method="post"),
    OrgView("portfolio:questionnaire-open", allowed="org_admin", denied="senior_leader", target="pf_questionnaire"),
    OrgView("portfolio:questionnaire-open", allowed="org_admin", denied="moderator", target="pf_questionnaire", method="post"),
    OrgView("portfolio:questionnaire-answer", allowed="@pf_person_login", denied="senior_leader", target="pf_questionnaire"),
    OrgView("portfolio:questionnaire-answer", allowed="@pf_mentor", denied="mentor", target="pf_questionnaire", method="post"),
    OrgView("portfolio:questionnaire-results", allowed="senior_leader", denied="practice_supervisor", target="cohort"),
    OrgView("portfolio:questionnaire-results-export", allowed="org_admin", denied="mentor", target="cohort"),
]


def _feedback_objects(base, found):
    from trellis.portfolio import actions

    questionnaire = actions.create_questionnaire(found["cohort"], actor=base["admin"])
    actions.open_questionnaire(questionnaire, actor=base["admin"], expected_version=questionnaire.version)
    return {"pf_questionnaire": questionnaire, "pf_question": questionnaire.questions.order_by("position")[1]}


def _shared(base):
    org, admin = base["org"], base["admin"]
    ensure_frameworks_in_use(org)
    login = MembershipFactory(organisation=org, roles=["practice_supervisor"], user__full_name="Pia Portfolio")
    person = workforce_actions.create_staff_record(
        actor=admin,
        career_stage=CareerStage.objects.get(organisation=org, name="Practice supervisor"),
        full_name="Pia Portfolio",
        employee_ref="PF1",
        team=base["team"],
        service="children",
        employment_type="permanent",
        start_date=datetime.date(2022, 4, 4),
        membership=login,
    )
    mentor = MembershipFactory(organisation=org, roles=["mentor"], user__full_name="Mo Mentor")
    reviewer = MembershipFactory(organisation=org, roles=["reviewer"], user__full_name="Rae Reviewer")
    moderator = MembershipFactory(organisation=org, roles=["moderator"], user__full_name="Mod Moderator")
    cohort = Cohort.objects.create(
        organisation=org,
        name="Cohort 1",
        starts_on=datetime.date(2026, 9, 1),
        expected_end_on=datetime.date(2027, 7, 31),
        created_by=admin,
    )
    cohort.frameworks.set(FrameworkInUse.objects.filter(organisation=org))
    Assessor.objects.create(organisation=org, cohort=cohort, membership=reviewer, role="reviewer")
    Assessor.objects.create(organisation=org, cohort=cohort, membership=moderator, role="moderator")
    portfolio = Portfolio.objects.create(organisation=org, cohort=cohort, staff=person, mentor=mentor, reviewer=reviewer)
    item = EvidenceItem.objects.create(
        organisation=org,
        staff=person,
        title="Group supervision I led",
        kind="reflective_account",
        occurred_on=datetime.date(2026, 10, 5),
    )
    PortfolioItem.objects.create(organisation=org, portfolio=portfolio, item=item)
    return {
        "pf_person_login": login,
        "pf_person": person,
        "pf_mentor": mentor,
        "pf_reviewer": reviewer,
        "pf_moderator": moderator,
        "cohort": cohort,
        "portfolio": portfolio,
        "evidence_item": item,
    }


def objects(base):
    found = _shared(base)
    # Each block's own objects, e.g.: found.update(_workflow_objects(base, found))
    found.update(_workflow_objects(base, found))
    found.update(_cohort_objects(base, found))
    found.update(_moderation_objects(base, found))
    found.update(_evidence_objects(base, found))
    found.update(_feedback_objects(base, found))
    return found
