"""Who may do what. Every permission decision in Trellis is made here.

A permission is a `rules` predicate over (membership, object). Views ask through `tenancy.access`,
actions re-assert with `require`, and templates read `can` (see context_processors), so the three
never disagree.
"""

import rules
from django.core.exceptions import PermissionDenied

from .models import Role


def has_role(*roles, guests=False):
    """A role in this organisation. A network guest's roles count only where `guests=True`: they
    review and moderate what is assigned to them, and see nothing else (ADR 0014)."""
    names = "_or_".join(roles)

    @rules.predicate(name=f"has_role_{names}{'_or_guest' if guests else ''}")
    def predicate(membership, obj=None):
        return (
            membership is not None
            and membership.is_active
            and membership.has_role(*roles)
            and (guests or not membership.is_guest)
        )

    return predicate


@rules.predicate
def owns_action(membership, action):
    return action is not None and action.owner_member_id == membership.pk


# --- People's own records ------------------------------------------------------------------------
# A personal record (a succession plan, a self-assessment, a development plan...) is about one person
# in the workforce register: the object's `staff`, or the staff record itself. These predicates relate
# the member to that person through the register, so they need no import of the apps that own the
# records. Relationship rows are reached by their reverse names (e.g. mentoring's
# `mentorships_as_mentee`), and count only while they are open.


def _person(obj):
    return getattr(obj, "staff", obj) if obj is not None else None


@rules.predicate
def is_the_person(membership, obj):
    person = _person(obj)
    return person is not None and person.membership_id is not None and person.membership_id == membership.pk


@rules.predicate
def line_manages_the_person(membership, obj):
    """The member is the person's line manager in the workforce register."""
    person = _person(obj)
    manager = person.line_manager if person is not None else None
    return manager is not None and manager.membership_id is not None and manager.membership_id == membership.pk


@rules.predicate
def mentors_the_person(membership, obj):
    """The member is the person's mentor or coach in an open mentoring relationship."""
    mentorships = getattr(_person(obj), "mentorships_as_mentee", None)
    return mentorships is not None and mentorships.filter(mentor__membership_id=membership.pk, ended_on__isnull=True).exists()


@rules.predicate
def shared_with_mentor(membership, obj):
    """The person chose to share this record with their mentor or coach."""
    return bool(getattr(obj, "shared_with_mentor", False))


manages_candidate = line_manages_the_person
is_candidate = is_the_person


is_member = has_role(*Role.values)
is_admin = has_role(Role.ORG_ADMIN)
leads_pathway = has_role(Role.ORG_ADMIN, Role.SENIOR_LEADER)
# Everyone who takes part in running or supporting supervision; practitioners and network
# coordinators have their own pages in later parts of Trellis, not the organisation's plan.
takes_part_in_pathway = has_role(
    Role.ORG_ADMIN, Role.SENIOR_LEADER, Role.PRACTICE_SUPERVISOR, Role.MENTOR, Role.REVIEWER, Role.MODERATOR
)

PERMISSIONS = rules.RuleSet()
PERMISSIONS.add_rule("tenancy.manage_members", is_admin)
PERMISSIONS.add_rule("audit.view_trail", is_admin)
PERMISSIONS.add_rule("pathway.view", takes_part_in_pathway)
PERMISSIONS.add_rule("pathway.answer_reflection", takes_part_in_pathway)
PERMISSIONS.add_rule("pathway.mark_outcome", leads_pathway)
PERMISSIONS.add_rule("pathway.add_action", leads_pathway)
PERMISSIONS.add_rule("pathway.change_action", leads_pathway | (takes_part_in_pathway & owns_action))
PERMISSIONS.add_rule("pathway.delete_action", leads_pathway)
PERMISSIONS.add_rule("pathway.export", leads_pathway)
PERMISSIONS.add_rule("pathway.manage_stakeholders", leads_pathway)
PERMISSIONS.add_rule("workforce.view", leads_pathway)
PERMISSIONS.add_rule("workforce.manage", is_admin)
# Special-category data: one person's equality answers are for the admins who manage them.
PERMISSIONS.add_rule("workforce.manage_equality", is_admin)
PERMISSIONS.add_rule("talent.view_career_pathway", is_member)
PERMISSIONS.add_rule("talent.manage_career_pathway", is_admin)
PERMISSIONS.add_rule("talent.view_pipeline", leads_pathway)
PERMISSIONS.add_rule("talent.manage_pipeline", leads_pathway)
PERMISSIONS.add_rule("talent.view_candidate", leads_pathway | manages_candidate | is_candidate)
PERMISSIONS.add_rule("talent.change_candidate", leads_pathway | manages_candidate)
PERMISSIONS.add_rule("insights.view_oversight", leads_pathway)
PERMISSIONS.add_rule("insights.record_meeting", leads_pathway)
PERMISSIONS.add_rule("insights.change_meeting_action", leads_pathway | owns_action)
# A person's development (issue 5): they see and change their own; their line manager sees it and
# reviews it; their mentor sees what they share; admins see everyone's; senior leaders see totals.
PERMISSIONS.add_rule("development.view_own", is_member)
PERMISSIONS.add_rule("development.view_record", is_admin | is_the_person | line_manages_the_person | mentors_the_person)
PERMISSIONS.add_rule(
    "development.view_part", is_admin | is_the_person | line_manages_the_person | (mentors_the_person & shared_with_mentor)
)
PERMISSIONS.add_rule("development.change_own", is_the_person)
PERMISSIONS.add_rule("development.review", line_manages_the_person | (mentors_the_person & shared_with_mentor))
PERMISSIONS.add_rule("development.view_aggregates", leads_pathway)
PERMISSIONS.add_rule("development.manage_offer", is_admin)
# --- frameworks ---
# Everyone reads the standards; admins choose which are in force and edit the rating scale. Only an
# organisation's own frameworks can be edited (`owner_organisation_id` is empty for shipped ones).


@rules.predicate
def owns_framework(membership, obj):
    owner = getattr(obj, "owner_organisation_id", None)
    return owner is not None and owner == membership.organisation_id


PERMISSIONS.add_rule("frameworks.view", is_member)
PERMISSIONS.add_rule("frameworks.manage", is_admin)
PERMISSIONS.add_rule("frameworks.change_framework", is_admin & owns_framework)
# --- development ---
# Someone in the register need not have a login. Their plan is still theirs, but an organisation admin
# keeps it for them (typically from a paper plan), and records their line manager's agreement when the
# manager has no login either. Nobody reviews their own plan.


@rules.predicate
def person_has_no_login(membership, obj):
    person = _person(obj)
    return person is not None and person.membership_id is None


@rules.predicate
def line_manager_has_no_login(membership, obj):
    person = _person(obj)
    manager = person.line_manager if person is not None else None
    return manager is not None and manager.membership_id is None


changes_plan = is_the_person | (is_admin & person_has_no_login)
reviews_plan = ~is_the_person & (
    line_manages_the_person | (mentors_the_person & shared_with_mentor) | (is_admin & line_manager_has_no_login)
)
PERMISSIONS.add_rule("development.change_plan", changes_plan)
PERMISSIONS.add_rule("development.review_plan", reviews_plan)
PERMISSIONS.add_rule("development.add_progress_note", changes_plan | reviews_plan)
PERMISSIONS.add_rule("development.view_coverage_names", is_admin)
# --- induction ---
# A first 12 months is the person's: they and their line manager tick items off and record check-ins;
# an admin does it for them only when the person or their manager has no login (as development plans).
# Senior leaders see the list of everyone in their first 12 months with progress, not the detail.
PERMISSIONS.add_rule(
    "induction.view_first_year", is_admin | is_the_person | line_manages_the_person | (shared_with_mentor & mentors_the_person)
)
PERMISSIONS.add_rule(
    "induction.record_progress",
    is_the_person | line_manages_the_person | (is_admin & (person_has_no_login | line_manager_has_no_login)),
)
PERMISSIONS.add_rule("induction.share", is_the_person | (is_admin & person_has_no_login))
PERMISSIONS.add_rule("induction.view_list", leads_pathway)
PERMISSIONS.add_rule("induction.manage", is_admin)
# --- learning ---
# Training: everyone reads the catalogue and books themselves a place; organisation admins run the
# catalogue, sessions and registers, and book or record training for anyone. A person's training
# record follows the development record's rule (their mentor sees it only if they share it); senior
# leaders see completion counts, not names.
PERMISSIONS.add_rule("learning.view_catalogue", is_member)
PERMISSIONS.add_rule("learning.manage", is_admin)
PERMISSIONS.add_rule("learning.book", is_admin | is_the_person)
PERMISSIONS.add_rule("learning.cancel_booking", is_admin | is_the_person)
PERMISSIONS.add_rule(
    "learning.view_record", is_admin | is_the_person | line_manages_the_person | (mentors_the_person & shared_with_mentor)
)
PERMISSIONS.add_rule("learning.change_record", is_admin | is_the_person)
PERMISSIONS.add_rule("learning.share_record", is_the_person)
PERMISSIONS.add_rule("learning.view_completion", leads_pathway)
# --- mentoring ---
# A relationship is about its mentee (`Mentorship.staff`), so the person rules apply to them; the
# mentor is related through the relationship itself, open or ended, so they keep its history.


def _mentor_of(obj):
    mentorship = getattr(obj, "mentorship", obj)  # a session, or the relationship itself
    return getattr(mentorship, "mentor", None)


@rules.predicate
def is_the_mentor(membership, obj):
    mentor = _mentor_of(obj) if obj is not None else None
    return mentor is not None and mentor.membership_id is not None and mentor.membership_id == membership.pk


def _group_of(obj):
    return getattr(obj, "group", obj) if obj is not None else None  # a session or member, or the group


@rules.predicate
def facilitates_the_group(membership, obj):
    group = _group_of(obj)
    facilitator = getattr(group, "facilitator", None)
    return facilitator is not None and facilitator.membership_id is not None and facilitator.membership_id == membership.pk


@rules.predicate
def belongs_to_the_group(membership, obj):
    members = getattr(_group_of(obj), "members", None)
    return members is not None and members.filter(staff__membership_id=membership.pk, left_on__isnull=True).exists()


PERMISSIONS.add_rule("mentoring.view_own", is_member)
PERMISSIONS.add_rule("mentoring.view_overview", leads_pathway)
PERMISSIONS.add_rule("mentoring.manage", is_admin)
# The list of people without a mentor shows who is in the groups offered first: one person's
# equality answers, so it follows workforce.manage_equality.
PERMISSIONS.add_rule("mentoring.view_waiting_list", PERMISSIONS["workforce.manage_equality"])
PERMISSIONS.add_rule("mentoring.change_mentor", is_admin | is_the_person)
PERMISSIONS.add_rule("mentoring.view_person", is_admin | is_the_person | line_manages_the_person | mentors_the_person)
# The line manager may know that a relationship exists; what is said in it stays with the two people
# (and the admins who run the scheme).
PERMISSIONS.add_rule("mentoring.view_relationship", is_admin | is_the_person | is_the_mentor | line_manages_the_person)
PERMISSIONS.add_rule("mentoring.view_sessions", is_admin | is_the_person | is_the_mentor)
PERMISSIONS.add_rule("mentoring.change_relationship", is_admin | is_the_person | is_the_mentor)
# Admins record sessions on behalf of a mentor or mentee without a Trellis login.
PERMISSIONS.add_rule("mentoring.log_session", is_admin | is_the_person | is_the_mentor)
PERMISSIONS.add_rule("mentoring.view_peer_group", is_admin | facilitates_the_group | belongs_to_the_group)
PERMISSIONS.add_rule("mentoring.manage_peer_group", is_admin | facilitates_the_group)
# --- supervision ---
# Who supervises a supervisor is in their agreement (reached by its reverse name); a session names
# the person who held it.


@rules.predicate
def supervises_the_person(membership, obj):
    if obj is None:
        return False
    holder = obj if hasattr(obj, "supervisor_id") else getattr(_person(obj), "supervision_agreement", None)
    supervisor = holder.supervisor if holder is not None else None
    return supervisor is not None and supervisor.membership_id is not None and supervisor.membership_id == membership.pk


PERMISSIONS.add_rule("supervision.view_own", is_member)
PERMISSIONS.add_rule("supervision.view_aggregates", leads_pathway)
PERMISSIONS.add_rule("supervision.view_all", is_admin)
PERMISSIONS.add_rule("supervision.view", is_admin | is_the_person | line_manages_the_person | supervises_the_person)
PERMISSIONS.add_rule("supervision.change_agreement", is_admin | is_the_person | line_manages_the_person | supervises_the_person)
PERMISSIONS.add_rule("supervision.log_session", is_admin | is_the_person | supervises_the_person)
# --- assessment ---
# A self-assessment is the person's: they write it, and while it is a draft nobody else reads it. Once
# submitted, their line manager and admins see it, and their mentor if they share it. As with
# development plans, an admin keeps it for someone without a login (from a paper copy). People asked
# for feedback see only the request they answer (an admin records the answer of someone without a
# login), and an anonymous answer is never shown on its own to anyone but the person who gave it.


@rules.predicate
def assessment_is_submitted(membership, obj):
    assessment = getattr(obj, "assessment", obj)  # a standard's rating or a feedback request, or the assessment
    return getattr(assessment, "status", None) == "submitted"


@rules.predicate
def is_the_respondent(membership, obj):
    respondent = getattr(obj, "respondent", None)
    return respondent is not None and respondent.membership_id is not None and respondent.membership_id == membership.pk


@rules.predicate
def respondent_has_no_login(membership, obj):
    respondent = getattr(obj, "respondent", None)
    return respondent is not None and respondent.membership_id is None


@rules.predicate
def feedback_is_named(membership, obj):
    return getattr(obj, "is_anonymous", True) is False


@rules.predicate
def feedback_is_waiting(membership, obj):
    return getattr(obj, "status", None) == "requested"


keeps_assessment = is_the_person | (is_admin & person_has_no_login)
sees_assessment = keeps_assessment | (
    assessment_is_submitted & (is_admin | line_manages_the_person | (mentors_the_person & shared_with_mentor))
)
PERMISSIONS.add_rule("assessment.view_own", is_member)
PERMISSIONS.add_rule("assessment.view_person", is_admin | is_the_person | line_manages_the_person | mentors_the_person)
PERMISSIONS.add_rule("assessment.view_all_of_person", is_admin | is_the_person | line_manages_the_person)
PERMISSIONS.add_rule("assessment.view_shared_of_person", mentors_the_person)
PERMISSIONS.add_rule("assessment.view_assessment", sees_assessment)
PERMISSIONS.add_rule("assessment.change_assessment", keeps_assessment)
PERMISSIONS.add_rule("assessment.answer_feedback", is_the_respondent | (is_admin & respondent_has_no_login))
# An admin recording an anonymous answer for someone without a login does not see it again once sent.
PERMISSIONS.add_rule(
    "assessment.view_request",
    is_the_respondent | (is_admin & respondent_has_no_login & feedback_is_waiting) | (feedback_is_named & sees_assessment),
)
PERMISSIONS.add_rule("assessment.record_for_others", is_admin)
# --- portfolio ---
# A portfolio is the supervisor's (`is_the_person`). Their mentor sees it once it is shared; the
# reviewer assigned to it once it has been submitted; a moderator only the ones whose reviews they
# moderate. Reviewers and moderators may be network guests (ADR 0014), so these predicates look only
# at assignments, never at organisation-wide roles.


def _portfolio(obj):
    """The portfolio a row belongs to: a portfolio, or its submission, review, moderation or comment."""
    kind = type(obj).__name__
    if kind == "Portfolio":
        return obj
    if kind in ("Submission", "Comment"):
        return obj.portfolio
    if kind == "Review":
        return obj.submission.portfolio
    if kind == "Moderation":
        return obj.review.submission.portfolio
    return None


def _cohort(obj):
    if type(obj).__name__ == "Cohort":
        return obj
    portfolio = _portfolio(obj)
    return portfolio.cohort if portfolio is not None else None


SUBMITTED_STATES = {"submitted", "returned", "recommended", "signed_off", "referred_back"}


@rules.predicate
def is_portfolio_mentor(membership, obj):
    portfolio = _portfolio(obj)
    return portfolio is not None and portfolio.mentor_id == membership.pk and portfolio.shared_with_mentor_at is not None


@rules.predicate
def is_portfolio_reviewer(membership, obj):
    portfolio = _portfolio(obj)
    return portfolio is not None and portfolio.reviewer_id == membership.pk and portfolio.state in SUBMITTED_STATES


@rules.predicate
def moderates_the_portfolio(membership, obj):
    portfolio = _portfolio(obj)
    return portfolio is not None and portfolio.submissions.filter(review__moderation__moderator_id=membership.pk).exists()


@rules.predicate
def is_the_moderator(membership, obj):
    """Of one moderation."""
    return type(obj).__name__ == "Moderation" and obj.moderator_id == membership.pk


def _assesses_cohort(role):
    """One of the cohort's reviewers or moderators from this organisation. A network guest never
    counts: they see only the portfolios and moderations assigned to them (issue 6, ADR 0014), so the
    cohort-wide work (its page, drawing the sample, resolving, signing off) is for the organisation's own."""

    @rules.predicate(name=f"assesses_cohort_as_{role}")
    def predicate(membership, obj):
        cohort = _cohort(obj)
        return (
            cohort is not None
            and not membership.is_guest
            and cohort.assessors.filter(membership_id=membership.pk, role=role).exists()
        )

    return predicate


moderates_cohort = _assesses_cohort("moderator")
reviews_in_cohort = _assesses_cohort("reviewer")


@rules.predicate
def portfolio_is_editable(membership, obj):
    portfolio = _portfolio(obj)
    return portfolio is not None and portfolio.is_editable


@rules.predicate
def portfolio_is_submitted(membership, obj):
    portfolio = _portfolio(obj)
    return portfolio is not None and portfolio.state == "submitted"


# Workflow: who may move a portfolio on. The state is part of each rule, so a page offers only the
# steps allowed now, and a step asked for at the wrong moment (submitting twice) is refused with why.
@rules.predicate
def portfolio_is_draft(membership, obj):
    portfolio = _portfolio(obj)
    return portfolio is not None and portfolio.state == "draft"


@rules.predicate
def portfolio_is_returned(membership, obj):
    portfolio = _portfolio(obj)
    return portfolio is not None and portfolio.state == "returned"


@rules.predicate
def is_the_recipient(membership, obj):
    return getattr(obj, "recipient_id", None) == membership.pk


is_member_or_guest = has_role(*Role.values, guests=True)
keeps_portfolio = is_the_person | (is_admin & person_has_no_login)

PERMISSIONS.add_rule("portfolio.view_cohorts", leads_pathway)
PERMISSIONS.add_rule("portfolio.manage_cohorts", is_admin)
PERMISSIONS.add_rule("portfolio.view_cohort", leads_pathway | moderates_cohort)
# Every portfolio of a cohort at once (the cohort page links each one): asked about the cohort, not each
# portfolio, so the page needs no query per supervisor.
PERMISSIONS.add_rule("portfolio.open_cohort_portfolios", is_admin | moderates_cohort)
PERMISSIONS.add_rule("portfolio.view_own", is_member)
PERMISSIONS.add_rule("portfolio.view_waiting", is_member_or_guest)
PERMISSIONS.add_rule(
    "portfolio.view_portfolio",
    is_admin | is_the_person | is_portfolio_mentor | is_portfolio_reviewer | moderates_the_portfolio | moderates_cohort,
)
PERMISSIONS.add_rule("portfolio.change_portfolio", keeps_portfolio & portfolio_is_editable)
PERMISSIONS.add_rule("portfolio.comment", is_portfolio_mentor | is_the_person)
PERMISSIONS.add_rule("portfolio.review", is_portfolio_reviewer & portfolio_is_submitted)
PERMISSIONS.add_rule("portfolio.dispute", is_the_person & portfolio_is_returned)
PERMISSIONS.add_rule("portfolio.moderate", is_the_moderator)
PERMISSIONS.add_rule("portfolio.draw_sample", is_admin | moderates_cohort)
PERMISSIONS.add_rule("portfolio.resolve", (is_admin | moderates_cohort) & ~is_the_moderator)
PERMISSIONS.add_rule("portfolio.sign_off", is_admin | moderates_cohort)
PERMISSIONS.add_rule("portfolio.view_agreement", is_admin | moderates_cohort)
PERMISSIONS.add_rule("portfolio.share", keeps_portfolio & portfolio_is_draft)
PERMISSIONS.add_rule("portfolio.submit", keeps_portfolio & portfolio_is_editable)
# Comments are a conversation between the supervisor and their mentor, not part of the assessment.
PERMISSIONS.add_rule("portfolio.view_comments", is_admin | is_the_person | is_portfolio_mentor)


# Moderation: a moderator second-marks blind. Until they have recorded their own decision on a review
# they are assigned to, no page may show them the reviewer's decision on that portfolio (outcome,
# feedback, per-standard decisions): pages and exports ask "portfolio.view_decision" before showing one.
@rules.predicate
def second_marking_pending(membership, obj):
    if type(obj).__name__ == "Moderation":
        return obj.moderator_id == membership.pk and obj.second_marked_at is None
    portfolio = _portfolio(obj)
    return (
        portfolio is not None
        and portfolio.submissions.filter(
            review__moderation__moderator_id=membership.pk, review__moderation__second_marked_at__isnull=True
        ).exists()
    )


PERMISSIONS.add_rule("portfolio.view_decision", PERMISSIONS["portfolio.view_portfolio"] & ~second_marking_pending)
# What the reviewer saw: a submission and its review, kept from the moderator as the decision is.
PERMISSIONS.add_rule("portfolio.view_submission", PERMISSIONS["portfolio.view_decision"])
PERMISSIONS.add_rule("portfolio.assign_moderator", is_admin | moderates_cohort)
# Why a review is in moderation ("disputed" gives away a return), on a list the member may already
# open: asked per row of moderations, so it must not query.
PERMISSIONS.add_rule("portfolio.view_moderation_reason", ~second_marking_pending)
# A chosen seed re-runs a draw for audit; everyone else's draws use a fresh random seed.
PERMISSIONS.add_rule("portfolio.choose_seed", is_admin)
PERMISSIONS.add_rule("portfolio.view_evidence", is_admin | is_the_person)
PERMISSIONS.add_rule("portfolio.change_evidence", keeps_portfolio)
# Evidence: the item page is the person's (and admins'). A file also goes to whoever may see a portfolio
# the item is in now, or was in when submitted (the reviewer reads the submission, not today's item).


def _evidence_item(obj):
    kind = type(obj).__name__
    if kind == "EvidenceItem":
        return obj
    if kind in ("EvidenceFile", "EvidenceMapping"):
        return obj.item
    return None


def _submitted_with(snapshot, item_id, file_id=None):
    for entry in (snapshot or {}).get("items", []):
        if str(entry.get("id")) == item_id:
            return file_id is None or any(str(f.get("id")) == file_id for f in entry.get("files", []))
    return False


@rules.predicate
def sees_evidence_in_a_portfolio(membership, obj):
    item = _evidence_item(obj)
    if item is None:
        return False
    item_id = str(item.pk)
    file_id = str(obj.pk) if type(obj).__name__ == "EvidenceFile" else None
    for portfolio in item.staff.portfolios.select_related("cohort"):
        if not PERMISSIONS.test_rule("portfolio.view_portfolio", membership, portfolio):
            continue
        if portfolio.entries.filter(item_id=item.pk).exists():
            return True
        if any(_submitted_with(s, item_id, file_id) for s in portfolio.submissions.values_list("snapshot", flat=True)):
            return True
    return False


PERMISSIONS.add_rule("portfolio.download_evidence", is_admin | is_the_person | sees_evidence_in_a_portfolio)
PERMISSIONS.add_rule("portfolio.keep_evidence_for_others", is_admin)
PERMISSIONS.add_rule("portfolio.export_cohort", leads_pathway)
PERMISSIONS.add_rule("portfolio.manage_questionnaire", is_admin)
PERMISSIONS.add_rule("portfolio.view_questionnaire_results", leads_pathway)
# Feedback on the pathway: a cohort's supervisors and mentors are asked, once, while the questionnaire
# is open. Whether they have already answered is the action's rule, so the page can thank them.


@rules.predicate
def asked_about_the_pathway(membership, obj):
    """Of a questionnaire: the member is a supervisor or a mentor in its cohort."""
    cohort = getattr(obj, "cohort", None) if type(obj).__name__ == "Questionnaire" else None
    if cohort is None:
        return False
    portfolios = cohort.portfolios
    return portfolios.filter(staff__membership_id=membership.pk).exists() or portfolios.filter(mentor_id=membership.pk).exists()


@rules.predicate
def questionnaire_is_open(membership, obj):
    return bool(getattr(obj, "is_open", False))


PERMISSIONS.add_rule("portfolio.answer_questionnaire", is_member & asked_about_the_pathway & questionnaire_is_open)
# --- notifications ---
PERMISSIONS.add_rule("notifications.view_own", is_member_or_guest)
PERMISSIONS.add_rule("notifications.read", is_the_recipient)

DENIED_MESSAGES = {
    "tenancy.manage_members": "Only organisation admins can invite people and change roles.",
    "audit.view_trail": "Only organisation admins can read the audit trail.",
    "pathway.view": "The implementation pathway is for the people who run and support supervision.",
    "pathway.change_action": "Only organisation admins, senior leaders and the action's owner can change it.",
    "workforce.view": "The workforce register holds personal data: only organisation admins and senior leaders can see it.",
    "workforce.manage": "Only organisation admins can change the workforce register.",
    "workforce.manage_equality": "Equality monitoring answers are special-category data: only organisation admins can see or change one person's answers.",
    "talent.manage_career_pathway": "Only organisation admins can change the career pathway.",
    "talent.view_pipeline": "Succession planning holds personal data: only organisation admins and senior leaders can see it.",
    "talent.manage_pipeline": "Only organisation admins and senior leaders can change succession plans.",
    "talent.view_candidate": "Only organisation admins, senior leaders, the person's line manager and the person can see this plan.",
    "talent.change_candidate": "Only organisation admins, senior leaders and the person's line manager can change this plan.",
    "insights.view_oversight": "Recruitment and retention figures are for organisation admins and senior leaders.",
    "insights.record_meeting": "Only organisation admins and senior leaders can record oversight meetings.",
    "insights.change_meeting_action": "Only organisation admins, senior leaders and the action's owner can change it.",
    "development.view_record": "A development record is for the person, their line manager, their mentor and organisation admins.",
    "development.view_part": "This is only for the person, their line manager, organisation admins, and their mentor if they share it.",
    "development.change_own": "Only the person can change their own development record.",
    "development.review": "Only the person's line manager, or a mentor they share it with, can review this.",
    "development.view_aggregates": "Totals across the organisation are for organisation admins and senior leaders.",
    "development.manage_offer": "Only organisation admins can change what the organisation offers.",
    # --- development ---
    "development.change_plan": "Only the person can change their development plan (or an organisation admin, for someone who does not sign in to Trellis).",
    "development.review_plan": "Only the person's line manager, or a mentor they share their plan with, can comment on it and agree it.",
    "development.add_progress_note": "Only the person, their line manager, or a mentor they share their plan with can record progress.",
    "development.view_coverage_names": "Senior leaders see coverage as totals; only organisation admins can see who is included.",
    "induction.view_first_year": "A first 12 months is for the person, their line manager, organisation admins, and their mentor if they share it.",
    "induction.record_progress": "Only the person and their line manager can tick off induction items and record check-ins (an organisation admin can when one of them does not sign in to Trellis).",
    "induction.share": "Only the person can choose whether their mentor sees their first 12 months (or an organisation admin, for someone who does not sign in to Trellis).",
    "induction.view_list": "The list of everyone in their first 12 months is for organisation admins and senior leaders.",
    "induction.manage": "Only organisation admins can open or close a first 12 months and change the induction checklist template.",
    "learning.manage": "Only organisation admins can change the training catalogue, sessions and registers.",
    "learning.book": "You can book a place for yourself. Only organisation admins can book places for other people.",
    "learning.cancel_booking": "Only the person booked and organisation admins can cancel this booking.",
    "learning.view_record": "A training record is for the person, their line manager, organisation admins, and their mentor if they share it.",
    "learning.change_record": "Only the person and organisation admins can change this training record.",
    "learning.share_record": "Only the person can choose who sees their training record.",
    "learning.view_completion": "Completion of core training across the organisation is for organisation admins and senior leaders.",
    "frameworks.manage": "Only organisation admins can choose which frameworks are in force and change rating scales.",
    "frameworks.change_framework": "Only organisation admins can change their organisation's own frameworks. Frameworks that ship with Trellis cannot be changed: copy one to make your own.",
    "mentoring.view_overview": "The mentoring overview is for organisation admins and senior leaders.",
    "mentoring.manage": "Only organisation admins can match mentors, change mentors' capacity and run peer groups.",
    "mentoring.view_waiting_list": "This list shows who is in the groups offered mentoring first, which is special-category data: only organisation admins can see it.",
    "mentoring.change_mentor": "Only organisation admins and the mentor themselves can change this.",
    "mentoring.view_person": "This is only for the person, their line manager, their mentor and organisation admins.",
    "mentoring.view_relationship": "A mentoring relationship is for the mentor, the mentee, the mentee's line manager and organisation admins.",
    "mentoring.view_sessions": "What is said in mentoring stays with the mentor and the mentee (and organisation admins).",
    "mentoring.change_relationship": "Only the mentor, the mentee and organisation admins can change this relationship.",
    "mentoring.log_session": "Only the mentor, the mentee and organisation admins can record their sessions.",
    "mentoring.view_peer_group": "A peer group is for its members, its facilitator and organisation admins.",
    "mentoring.manage_peer_group": "Only the group's facilitator and organisation admins can change the group and record its sessions.",
    "supervision.view_aggregates": "Totals across the organisation are for organisation admins and senior leaders.",
    "supervision.view_all": "Only organisation admins can see who is behind with their supervision.",
    "supervision.view": "A supervisor's supervision is for them, the person who supervises them, their line manager and organisation admins.",
    "supervision.change_agreement": "Only the person, the person who supervises them, their line manager and organisation admins can change the agreement.",
    "supervision.log_session": "Only the person, the person who supervises them and organisation admins can record their sessions.",
    # --- assessment ---
    "assessment.view_person": "Self-assessments are for the person, their line manager, organisation admins, and their mentor if they share them.",
    "assessment.view_all_of_person": "Only the person, their line manager and organisation admins see all of their self-assessments.",
    "assessment.view_assessment": "A self-assessment is for the person, their line manager, organisation admins, and their mentor if they share it. A draft is only for the person.",
    "assessment.change_assessment": "Only the person can change their own self-assessment (or an organisation admin, for someone who does not sign in to Trellis).",
    "assessment.answer_feedback": "Only the person who was asked can answer this request for feedback.",
    "assessment.view_request": "This request is for the person asked. Anonymous feedback is only shown combined with others' answers, never one answer on its own.",
    "assessment.record_for_others": "Only organisation admins record answers for people who do not sign in to Trellis.",
    "portfolio.view_portfolio": "A portfolio is for the supervisor, organisation admins, their mentor once it is shared, and the reviewer and moderators assigned to it.",
    "portfolio.change_portfolio": "Only the supervisor changes their portfolio, and only while it is a draft, shared with their mentor, or returned: a submitted portfolio is locked.",
    "portfolio.view_evidence": "Evidence items are for the person who collected them and organisation admins.",
    "portfolio.change_evidence": "Only the person changes their evidence (or an organisation admin, for someone who does not sign in to Trellis).",
    "portfolio.download_evidence": "A file is for the person, organisation admins, and the mentor, reviewer and moderators of a portfolio it is in.",
    "portfolio.keep_evidence_for_others": "Only organisation admins keep evidence for people who do not sign in to Trellis.",
    "portfolio.review": "Only the reviewer assigned to this portfolio can decide on it, while it is submitted for review.",
    "portfolio.moderate": "Only the moderator assigned to this review can second-mark it.",
    "portfolio.resolve": "A disagreement is resolved by an organisation admin or another of the cohort's moderators, not by the moderator who disagreed.",
    "portfolio.manage_cohorts": "Only organisation admins create cohorts and choose their mentors, reviewers and moderators.",
    "portfolio.view_cohorts": "Cohorts are for organisation admins and senior leaders.",
    "portfolio.view_cohort": "A cohort's progress is for organisation admins, senior leaders and the cohort's moderators.",
    # --- portfolio: workflow ---
    "portfolio.view_own": "Portfolios are for members of this organisation.",
    "portfolio.share": "Only the supervisor shares their portfolio with their mentor (or an organisation admin, for someone who does not sign in to Trellis), and only while it is a draft.",
    "portfolio.submit": "Only the supervisor submits their portfolio (or an organisation admin, for someone who does not sign in to Trellis), and only while it is a draft, shared with their mentor, returned or referred back. A submitted portfolio is locked until the reviewer decides.",
    "portfolio.comment": "Only the supervisor and their mentor, once the portfolio is shared with them, can comment on it.",
    "portfolio.view_comments": "Comments on a portfolio are for the supervisor, their mentor once it is shared, and organisation admins.",
    "portfolio.dispute": "Only the supervisor can dispute a decision, and only while their portfolio is returned for more evidence.",
    "portfolio.view_submission": "What the reviewer saw is for the supervisor, organisation admins, their mentor once it is shared, the reviewer and the cohort's moderators. A moderator sees the decision only after recording their own.",
    "notifications.read": "You can only mark your own notifications as read.",
    # --- portfolio: moderation ---
    "portfolio.draw_sample": "Only organisation admins and the cohort's moderators can draw and see its moderation sample.",
    "portfolio.assign_moderator": "Only organisation admins and the cohort's moderators can choose who moderates a review.",
    "portfolio.choose_seed": "Only organisation admins can choose the seed of a draw.",
    "portfolio.sign_off": "Only organisation admins and the cohort's moderators can sign off a portfolio or refer it back.",
    "portfolio.view_agreement": "The reviewer agreement report is for organisation admins and the cohort's moderators.",
    "portfolio.view_decision": "The reviewer's decision stays hidden from the moderator until they have recorded their own.",
    # --- portfolio: exports and pathway feedback ---
    "portfolio.export_cohort": "The cohort summary is for organisation admins and senior leaders.",
    "portfolio.manage_questionnaire": "Only organisation admins change and open the questionnaire about the pathway.",
    "portfolio.view_questionnaire_results": "Feedback on the pathway is for organisation admins and senior leaders.",
    "portfolio.answer_questionnaire": "This questionnaire is for the cohort's supervisors and mentors, while it is open.",
}


def allows(membership, permission, obj=None):
    if permission not in PERMISSIONS:
        raise KeyError(f"Unknown permission {permission!r}: add it to tenancy/policy.py")
    return membership is not None and PERMISSIONS.test_rule(permission, membership, obj)


def require(membership, permission, obj=None):
    if not allows(membership, permission, obj):
        raise PermissionDenied(DENIED_MESSAGES.get(permission, "Your role does not allow this."))


def narrow(queryset, membership):
    """Row-level narrowing by role, for models whose rows not every member may see.

    Special-category models (`SPECIAL_CATEGORY = True`, such as equality monitoring answers) show
    their rows only to members allowed to manage them; nothing else is private within an organisation
    yet. This is the one place later apps (personal records) add their rules.
    """
    if getattr(queryset.model, "SPECIAL_CATEGORY", False) and not allows(membership, "workforce.manage_equality"):
        return queryset.none()
    return queryset


class Capabilities:
    """`can.pathway.add_action` in templates: the same answers as `allows`."""

    def __init__(self, membership, prefix=""):
        self._membership = membership
        self._prefix = prefix

    def __getattr__(self, name):
        key = f"{self._prefix}.{name}" if self._prefix else name
        if self._prefix:
            return allows(self._membership, key)
        return Capabilities(self._membership, key)
