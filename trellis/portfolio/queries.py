"""Reads for pages: each returns what a page shows in a fixed number of queries, whatever the data."""

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from trellis.audit.models import AuditEvent
from trellis.frameworks.models import FrameworkInUse, Standard, Statement
from trellis.tenancy import policy
from trellis.tenancy.models import Membership, Organisation, Role
from trellis.workforce.models import CareerStage, StaffRecord, StageHistory
from trellis.workforce.queries import current_q

from .models import (
    Assessor,
    Cohort,
    Comment,
    EvidenceFile,
    EvidenceItem,
    EvidenceMapping,
    Moderation,
    Portfolio,
    PortfolioItem,
    Questionnaire,
    Receipt,
    Review,
    SampleDraw,
    StandardDecision,
    Submission,
)

# --- cohorts ---
# A cohort's pages read everything for all its members at once: one query per kind of fact (the
# portfolios, the evidence counts, the moderators), whatever the number of supervisors.

STATE_COLOURS = {
    Portfolio.State.DRAFT: "grey",
    Portfolio.State.WITH_MENTOR: "light-blue",
    Portfolio.State.SUBMITTED: "blue",
    Portfolio.State.RETURNED: "orange",
    Portfolio.State.RECOMMENDED: "turquoise",
    Portfolio.State.SIGNED_OFF: "green",
    Portfolio.State.REFERRED_BACK: "red",
}


def cohort_list(membership):
    """The organisation's cohorts, newest first, with how many supervisors each has and its frameworks."""
    supervisors = Portfolio.objects.filter(cohort=OuterRef("pk")).order_by().values("cohort").annotate(n=Count("pk")).values("n")
    return (
        Cohort.objects.visible_to(membership)
        .annotate(supervisor_count=Coalesce(Subquery(supervisors), 0))
        .prefetch_related(Prefetch("frameworks", queryset=FrameworkInUse.objects.for_rows()))
        .order_by("ended_on", "-starts_on", "name")
    )


def cohort_frameworks(membership):
    """The frameworks a cohort can use: those in force in the organisation."""
    return FrameworkInUse.objects.visible_to(membership).active().for_rows().order_by("version__framework__name")


def cohort_standards(cohort):
    """The standards of the cohort's frameworks, framework by framework, in order."""
    return list(
        Standard.objects.filter(version__in=cohort.frameworks.values("version"))
        .select_related("version__framework")
        .order_by("version__framework__name", "version__label", "position")
    )


def supervisory_staff(membership, cohort, *, team=None, service=None, stage=None, first_year=False, today=None):
    """People still in post at a supervisory career stage, to choose a cohort's supervisors from, with
    whether each is in `cohort` already (`in_cohort`), their stage and time in role. One query."""
    supervisory_now = StageHistory.objects.filter(staff=OuterRef("pk"), end_date__isnull=True, stage__is_supervisory=True)
    return (
        StaffRecord.objects.visible_to(membership)
        .current(today)
        .filter(Exists(supervisory_now))
        .with_current_stage()
        .with_supervisory_since(today)
        .filtered(team=team, service=service, stage=stage, first_year=first_year, status="all", today=today)
        .annotate(in_cohort=Exists(Portfolio.objects.filter(cohort=cohort, staff=OuterRef("pk"))))
        .select_related("team")
        .order_by("full_name")
    )


def supervisory_stages(membership):
    return CareerStage.objects.visible_to(membership).filter(is_supervisory=True).order_by("position")


def _cohort_has_role(role):
    # `roles` is a JSON list; a text match on the quoted code works the same on SQLite and PostgreSQL
    # (SQLite has no JSON containment lookup).
    return Q(roles__icontains=f'"{role}"')


def mentor_choices(membership):
    """Who can mentor a portfolio: [(group label, [(id, name)])], members with the mentor role first,
    then everyone else in the organisation. Guests never mentor (ADR 0014)."""
    members = (
        Membership.objects.visible_to(membership)
        .filter(is_active=True, guest_of_network__isnull=True)
        .order_by("user__full_name")
        .values_list("pk", "user__full_name", "roles")
    )
    mentors, others = [], []
    for pk, name, roles in members:
        (mentors if Role.MENTOR in roles else others).append((str(pk), name))
    return [(group, rows) for group, rows in (("Mentors and coaches", mentors), ("Other members", others)) if rows]


def cohort_assessors(cohort):
    """The cohort's reviewers and moderators, each with their membership, user and home organisation,
    and how many of the cohort's portfolios each reviewer has (`portfolio_count`)."""
    assigned = (
        Portfolio.objects.filter(cohort=cohort, reviewer=OuterRef("membership"))
        .order_by()
        .values("reviewer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Assessor.objects.filter(cohort=cohort)
        .select_related("membership__user", "membership__home_organisation")
        .annotate(portfolio_count=Coalesce(Subquery(assigned), 0))
        .order_by("role", "membership__user__full_name")
    )


def assessor_candidates(membership, cohort, role):
    """Who can be added to the cohort as a reviewer (or moderator): [(group label, [membership])].

    This organisation's members with the role come first; then, organisation by organisation, members
    with the role in any organisation that shares a network with this one (ADR 0014). Choosing one of
    those makes them a guest here. People already assessing the cohort in that role are left out."""
    organisation_id = membership.organisation_id
    taken = set(Assessor.objects.filter(cohort=cohort, role=role).values_list("membership__user_id", flat=True))
    locals_ = [
        m
        for m in Membership.objects.visible_to(membership)
        .filter(_cohort_has_role(role), is_active=True, guest_of_network__isnull=True)
        .select_related("user")
        .order_by("user__full_name")
        if m.user_id not in taken
    ]
    groups = [(membership.organisation.name, locals_)] if locals_ else []
    with scopes_disabled():  # crossing organisations on purpose: the network's people (ADR 0014)
        members_here = Membership.objects.filter(organisation_id=organisation_id, is_active=True, guest_of_network__isnull=True)
        partners = (
            Organisation.objects.filter(networks__organisations=organisation_id)
            .exclude(pk=organisation_id)
            .distinct()
            .values("pk")
        )
        away = list(
            Membership.objects.filter(
                _cohort_has_role(role), organisation__in=partners, is_active=True, guest_of_network__isnull=True
            )
            .exclude(user__in=members_here.values("user"))
            .select_related("user", "organisation")
            .order_by("organisation__name", "user__full_name")
        )
    for organisation, people in groupby((m for m in away if m.user_id not in taken), key=lambda m: m.organisation):
        groups.append((f"{organisation.name} (network guests)", list(people)))
    return groups


@dataclass
class Waiting:
    """What a portfolio waits on: `role` ("supervisor", "mentor", "reviewer", "moderators", or "" when
    nothing waits), `label` to show, and the people: `names`, and `members` (memberships, for notices;
    a supervisor without a login has none)."""

    role: str
    label: str
    names: list = field(default_factory=list)
    members: list = field(default_factory=list)

    def __str__(self):
        return f"{self.label}: {', '.join(self.names)}" if self.names else self.label


def _cohort_member_name(membership):
    return membership.user.full_name


def waiting_on(portfolio, moderators=None):
    """Who must act next on `portfolio`, from its state: draft, returned or referred back → the
    supervisor; shared → the mentor; submitted → the reviewer; recommended (awaiting moderation or
    sign-off) → the cohort's moderators; signed off → nobody.

    `moderators`: the cohort's moderators' memberships, when the caller has read them already (a page
    of many portfolios); otherwise they are read here."""
    state = portfolio.state
    staff = portfolio.staff
    if state in (Portfolio.State.DRAFT, Portfolio.State.RETURNED, Portfolio.State.REFERRED_BACK):
        return Waiting("supervisor", "Supervisor", [staff.full_name], [staff.membership] if staff.membership_id else [])
    if state == Portfolio.State.WITH_MENTOR:
        mentor = portfolio.mentor
        return Waiting(
            "mentor",
            "Mentor" if mentor else "Mentor (not chosen yet)",
            [_cohort_member_name(mentor)] if mentor else [],
            [mentor] if mentor else [],
        )
    if state == Portfolio.State.SUBMITTED:
        reviewer = portfolio.reviewer
        return Waiting(
            "reviewer",
            "Reviewer" if reviewer else "Reviewer (not chosen yet)",
            [_cohort_member_name(reviewer)] if reviewer else [],
            [reviewer] if reviewer else [],
        )
    if state == Portfolio.State.RECOMMENDED:
        if moderators is None:
            moderators = [
                a.membership
                for a in Assessor.objects.filter(
                    cohort_id=portfolio.cohort_id, role=Assessor.Role.MODERATOR, membership__is_active=True
                )
                .select_related("membership__user")
                .order_by("membership__user__full_name")
            ]
        return Waiting(
            "moderators",
            "Moderators" if moderators else "Moderators (none chosen yet)",
            [_cohort_member_name(m) for m in moderators],
            list(moderators),
        )
    return Waiting("", "Nobody: signed off")


@dataclass
class ProgressRow:
    """One supervisor's line on the cohort page."""

    portfolio: Portfolio
    evidence: list  # [(standard, number of items mapped to it)], in the order of cohort_standards()
    items: int
    submissions: int
    latest_outcome: str  # the latest decided review's outcome, as shown ("Recommended"), or ""
    latest_decided_at: object
    waiting: Waiting

    @property
    def state_colour(self):
        return STATE_COLOURS.get(self.portfolio.state, "grey")

    @property
    def standards_without_evidence(self):
        return sum(1 for _standard, count in self.evidence if not count)


def _cohort_count(queryset, group_by):
    return Coalesce(Subquery(queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")), 0)


def cohort_progress(cohort, standards=None):
    """Every supervisor's progress in `cohort`, by name: evidence per standard, items, submissions, the
    latest review decision and what the portfolio waits on. Four queries whatever the size of the cohort
    (five without `standards`)."""
    standards = cohort_standards(cohort) if standards is None else standards
    latest = Review.objects.filter(submission__portfolio=OuterRef("pk"), decided_at__isnull=False).order_by("-decided_at")
    portfolios = list(
        Portfolio.objects.filter(cohort=cohort)
        .select_related("staff__team", "staff__membership", "mentor__user", "reviewer__user")
        .annotate(
            item_count=_cohort_count(PortfolioItem.objects.filter(portfolio=OuterRef("pk")), "portfolio"),
            submission_count=_cohort_count(Submission.objects.filter(portfolio=OuterRef("pk")), "portfolio"),
            latest_outcome=Subquery(latest.values("outcome")[:1]),
            latest_decided_at=Subquery(latest.values("decided_at")[:1]),
        )
        .order_by("staff__full_name", "staff__employee_ref")
    )
    counts = {
        (row["portfolio_id"], row["item__mappings__standard_id"]): row["n"]
        for row in PortfolioItem.objects.filter(portfolio__cohort=cohort, item__mappings__standard__in=[s.pk for s in standards])
        .values("portfolio_id", "item__mappings__standard_id")
        .annotate(n=Count("item_id", distinct=True))
        .order_by()
    }
    moderators = [
        a.membership
        for a in Assessor.objects.filter(cohort=cohort, role=Assessor.Role.MODERATOR, membership__is_active=True)
        .select_related("membership__user")
        .order_by("membership__user__full_name")
    ]
    outcomes = dict(Review.Outcome.choices)
    return [
        ProgressRow(
            portfolio=p,
            evidence=[(s, counts.get((p.pk, s.pk), 0)) for s in standards],
            items=p.item_count,
            submissions=p.submission_count,
            latest_outcome=outcomes.get(p.latest_outcome, ""),
            latest_decided_at=p.latest_decided_at,
            waiting=waiting_on(p, moderators),
        )
        for p in portfolios
    ]


def supervisor_removal_blocker(portfolio):
    """Why a supervisor cannot be taken out of their cohort, or "" if they can: only an empty draft
    portfolio may go, so that no evidence, comment or decision is lost."""
    name = portfolio.staff.full_name
    if portfolio.state != Portfolio.State.DRAFT:
        return f"{name}'s portfolio is {portfolio.get_state_display().lower()}, so it stays in the cohort's record."
    if portfolio.submissions.exists():
        return f"{name}'s portfolio has been submitted for review before, so it stays in the cohort's record."
    if portfolio.entries.exists():
        return f"{name} has put evidence in their portfolio. They can take it out first if they are leaving the cohort."
    if portfolio.comments.exists():
        return f"{name}'s mentor has commented on their portfolio, so it stays in the cohort's record."
    return ""


def cohorts_as_pathway_evidence(membership):
    """The cohorts an outcome of the implementation pathway can point at as its evidence: choosing
    which practice supervisors start first, and who mentors, reviews and moderates them."""
    slug = membership.organisation.slug
    return [
        (reverse("portfolio:cohort", args=[slug, pk]), f"Cohort: {name}")
        for pk, name in Cohort.objects.visible_to(membership).order_by("-starts_on", "name").values_list("pk", "name")
    ]


def assessor_removal_blocker(assessor):
    """Why a reviewer or moderator cannot leave the cohort yet, or "": their open work moves first."""
    name = assessor.membership.user.full_name
    if assessor.role == Assessor.Role.REVIEWER:
        count = Portfolio.objects.filter(cohort_id=assessor.cohort_id, reviewer_id=assessor.membership_id).count()
        if count:
            return (
                f"{name} reviews {count} portfolio{'s' if count != 1 else ''} in this cohort. "
                "Choose another reviewer for them on the supervisors, mentors and reviewers page first."
            )
    else:
        count = Moderation.objects.filter(
            review__submission__portfolio__cohort_id=assessor.cohort_id,
            moderator_id=assessor.membership_id,
            decided_at__isnull=True,
        ).count()
        if count:
            return f"{name} has {count} moderation{'s' if count != 1 else ''} in this cohort to finish. Give them to another moderator first."
    return ""


def portfolios_blind_to(membership, cohort):
    """Ids of the cohort's portfolios whose latest review this member is still to second-mark blind."""
    return set(
        Moderation.objects.filter(
            review__submission__portfolio__cohort=cohort, moderator=membership, second_marked_at__isnull=True
        ).values_list("review__submission__portfolio_id", flat=True)
    )


# --- evidence ---


def evidence_versions(staff):
    """The framework versions a person maps evidence against: those of their cohorts or, in no cohort,
    the frameworks in force for them (for their service or both)."""
    in_cohorts = list(
        FrameworkInUse.objects.filter(organisation_id=staff.organisation_id, cohorts__portfolios__staff=staff)
        .values_list("version_id", flat=True)
        .distinct()
    )
    if in_cohorts:
        return in_cohorts
    return list(
        FrameworkInUse.objects.filter(organisation_id=staff.organisation_id)
        .for_person(staff)
        .values_list("version_id", flat=True)
    )


def evidence_standards(staff):
    """The standards (with their statements) a person's evidence can be mapped to, framework by framework."""
    return (
        Standard.objects.filter(version_id__in=evidence_versions(staff))
        .select_related("version__framework")
        .prefetch_related(Prefetch("statements", queryset=Statement.objects.order_by("position")))
        .order_by("version__framework__name", "version_id", "position")
    )


def evidence_rows(membership, staff):
    """A person's evidence for their list: each item with its mappings, the portfolios it is in and how
    many files it has. Four queries a page, whatever the number of items."""
    return (
        EvidenceItem.objects.visible_to(membership)
        .filter(staff=staff)
        .annotate(file_count=Count("files", distinct=True))
        .prefetch_related(
            Prefetch("mappings", queryset=EvidenceMapping.objects.select_related("standard__version__framework", "statement")),
            Prefetch(
                "entries", queryset=PortfolioItem.objects.select_related("portfolio__cohort").order_by("portfolio__cohort__name")
            ),
        )
        .order_by("-occurred_on", "title")
    )


def evidence_portfolios(membership, staff):
    """The person's portfolios, newest cohort first, for choosing which hold an item."""
    return (
        Portfolio.objects.visible_to(membership)
        .filter(staff=staff)
        .select_related("cohort")
        .order_by("-cohort__starts_on", "cohort__name")
    )


def evidence_under_review(item):
    """The portfolios holding the item that are submitted for review now (the item is locked)."""
    return list(
        Portfolio.objects.filter(entries__item=item, state=Portfolio.State.SUBMITTED)
        .select_related("cohort")
        .order_by("cohort__name")
    )


def people_without_a_login(membership):
    """People still in post with no Trellis login, for whom an admin keeps evidence."""
    return StaffRecord.objects.visible_to(membership).filter(current_q(), membership__isnull=True).order_by("full_name")


# --- workflow ---
# A portfolio as its supervisor, mentor, reviewer and admins read it, and what waits on each member.

NEXT_STEP = {
    Portfolio.State.DRAFT: "Add evidence, then share the portfolio with your mentor or submit it for review.",
    Portfolio.State.WITH_MENTOR: "Your mentor can read it and comment. Keep adding evidence, and submit it for review when it is ready.",
    Portfolio.State.SUBMITTED: "Waiting for the reviewer's decision. The portfolio is locked until then.",
    Portfolio.State.RETURNED: "Read the reviewer's feedback, add the evidence they asked for, then submit it again.",
    Portfolio.State.RECOMMENDED: "The reviewer recommended it. It waits for moderation and sign-off.",
    Portfolio.State.SIGNED_OFF: "Signed off. Nothing more to do.",
    Portfolio.State.REFERRED_BACK: "Read why it was referred back, add the evidence asked for, then submit it again.",
}


def _workflow_latest(field):
    return Subquery(Submission.objects.filter(portfolio=OuterRef("pk")).order_by("-number").values(field)[:1])


def _workflow_rows(queryset):
    submissions = Submission.objects.filter(portfolio=OuterRef("pk")).order_by().values("portfolio").annotate(n=Count("pk"))
    return queryset.select_related("cohort", "staff", "mentor__user", "reviewer__user").annotate(
        submission_count=Coalesce(Subquery(submissions.values("n")), 0),
        last_submitted_at=_workflow_latest("submitted_at"),
    )


def my_portfolios(membership):
    """The member's own portfolios (they are its supervisor), newest cohort first. One query."""
    rows = Portfolio.objects.visible_to(membership).filter(staff__membership=membership)
    return list(_workflow_rows(rows).order_by("-cohort__starts_on", "cohort__name"))


def mentored_portfolios(membership):
    """Portfolios shared with the member as their mentor. One query."""
    rows = Portfolio.objects.visible_to(membership).filter(mentor=membership, shared_with_mentor_at__isnull=False)
    return list(_workflow_rows(rows).order_by("staff__full_name", "cohort__name"))


def reviewed_portfolios(membership):
    """Portfolios submitted to the member as their reviewer, at any stage since. One query."""
    rows = Portfolio.objects.visible_to(membership).filter(reviewer=membership, state__in=policy.SUBMITTED_STATES)
    return list(_workflow_rows(rows).order_by("staff__full_name", "cohort__name"))


@dataclass
class WaitingForMe:
    """What waits on one member, by the part they play."""

    to_comment: list  # mentor: shared with them, and the newest comment is not theirs
    to_review: list  # reviewer: submitted to them
    to_revise: list  # supervisor: their portfolios returned or referred back
    to_moderate: list  # moderator: reviews they second-mark, or agree on
    to_resolve: list  # moderator or admin: disagreements to resolve
    to_sign_off: list  # moderator or admin: recommended portfolios ready to sign off
    questionnaires: list = field(default_factory=list)  # feedback on the pathway to give

    @property
    def total(self):
        return sum(
            len(rows)
            for rows in (
                self.to_comment,
                self.to_review,
                self.to_revise,
                self.to_moderate,
                self.to_resolve,
                self.to_sign_off,
                self.questionnaires,
            )
        )


def waiting_for(membership):
    """Everything waiting on the member, whatever roles they hold here, in a fixed number of queries
    (network guests too: they see what is assigned to them, ADR 0014)."""
    newest_author = Subquery(Comment.objects.filter(portfolio=OuterRef("pk")).order_by("-created_at").values("author_id")[:1])
    portfolios = Portfolio.objects.visible_to(membership).select_related("cohort", "staff")
    to_comment = (
        portfolios.filter(mentor=membership, state=Portfolio.State.WITH_MENTOR, shared_with_mentor_at__isnull=False)
        .annotate(newest_author=newest_author)
        .filter(Q(newest_author__isnull=True) | ~Q(newest_author=membership.pk))
        .order_by("shared_with_mentor_at")
    )
    draft_review = Review.objects.filter(submission__portfolio=OuterRef("pk"), decided_at__isnull=True)
    to_review = (
        portfolios.filter(reviewer=membership, state=Portfolio.State.SUBMITTED)
        .annotate(last_submitted_at=_workflow_latest("submitted_at"), review_started=Exists(draft_review))
        .order_by("state_changed_at")
    )
    to_revise = portfolios.filter(
        staff__membership=membership, state__in=[Portfolio.State.RETURNED, Portfolio.State.REFERRED_BACK]
    ).order_by("state_changed_at")
    moderation = moderation_waiting_for(membership)
    return WaitingForMe(
        to_comment=list(to_comment),
        to_review=list(to_review),
        to_revise=list(to_revise),
        to_moderate=moderation["to_moderate"],
        to_resolve=moderation["to_resolve"],
        to_sign_off=moderation["to_sign_off"],
        questionnaires=list(questionnaires_waiting_for(membership)),
    )


@dataclass
class SnapshotItem:
    """One piece of evidence as a page shows it, from a submission's snapshot (or the live portfolio
    read into the same shape), with its standards and statements named."""

    id: str
    title: str
    kind: str
    occurred_on: object
    reflection: str
    files: list  # [{"id", "name", "exists"}]
    mappings: list  # [(standard label, statement or None, how)]


def snapshot_items(snapshot):
    """The snapshot's items ready to show, in three queries whatever their number."""
    entries = (snapshot or {}).get("items", [])
    standard_ids = {m["standard_id"] for e in entries for m in e.get("mappings", [])}
    statement_ids = {m["statement_id"] for e in entries for m in e.get("mappings", []) if m.get("statement_id")}
    file_ids = {f["id"] for e in entries for f in e.get("files", [])}
    standards = {str(s.pk): s for s in Standard.objects.filter(pk__in=standard_ids).select_related("version__framework")}
    statements = {str(s.pk): s for s in Statement.objects.filter(pk__in=statement_ids)}
    # A file removed since it was submitted is still named, but there is nothing to download.
    existing = {str(pk) for pk in EvidenceFile.objects.filter(pk__in=file_ids).values_list("pk", flat=True)}
    kinds = dict(EvidenceItem.Kind.choices)
    items = []
    for entry in entries:
        mappings = []
        for mapping in entry.get("mappings", []):
            standard = standards.get(mapping["standard_id"])
            label = f"{standard.version.framework.short_name} {standard}" if standard else "A standard no longer in Trellis"
            mappings.append((label, statements.get(mapping.get("statement_id") or ""), mapping.get("how", "")))
        items.append(
            SnapshotItem(
                id=entry["id"],
                title=entry.get("title", ""),
                kind=kinds.get(entry.get("kind"), entry.get("kind", "")),
                occurred_on=datetime.date.fromisoformat(entry["occurred_on"]) if entry.get("occurred_on") else None,
                reflection=entry.get("reflection", ""),
                files=[{**f, "exists": f["id"] in existing} for f in entry.get("files", [])],
                mappings=mappings,
            )
        )
    return items


TIMELINE_LABELS = {
    "reasons": "Reasons",
    "note": "Note to the reviewer",
    "submission": "Submission",
    "items": "Pieces of evidence",
    "standards met": "Standards met",
    "borderline": "Borderline",
}


@dataclass
class TimelineEntry:
    at: object
    who: str
    what: str
    details: list  # [(label, text)]


def timeline(portfolio):
    """What happened to the portfolio, oldest first, from its audit trail. One query."""
    entries = []
    for event in AuditEvent.objects.for_target(portfolio).order_by("at"):
        details = []
        for key, change in event.changes.items():
            value = change[1] if isinstance(change, list) and len(change) == 2 else change
            if key == "state":
                what = f"{change[0]} to {change[1]}" if isinstance(change, list) and change[0] else value
                details.append(("State", what))
            elif value not in (None, "", []):
                details.append((TIMELINE_LABELS.get(key, key.replace("_", " ").capitalize()), value))
        entries.append(TimelineEntry(at=event.at, who=event.actor_name, what=event.verb.capitalize(), details=details))
    return entries


def submissions_of(portfolio):
    """The portfolio's submissions, newest first, each with its review. One query."""
    return list(portfolio.submissions.select_related("review", "submitted_by__user").order_by("-number"))


def comments_on(portfolio):
    return list(portfolio.comments.select_related("author__user", "item").order_by("created_at"))


def review_rows(review, standards):
    """[(standard, the review's decision on it or None)], for the standards in order. One query."""
    decisions = {d.standard_id: d for d in review.decisions.all()} if review is not None and review.pk else {}
    return [(standard, decisions.get(standard.pk)) for standard in standards]


# --- moderation ---

FEW_MODERATED = 5  # below this many, an agreement rate says little about a reviewer


def moderation_rows(cohort):
    """The cohort's reviews in moderation, oldest first, with what the moderation page shows."""
    return (
        Moderation.objects.filter(review__submission__portfolio__cohort=cohort)
        .select_related(
            "review__submission__portfolio__staff",
            "review__reviewer__user",
            "moderator__user",
            "resolved_by__user",
        )
        .order_by("created_at", "review__submission__portfolio__staff__full_name")
    )


def moderation_draws(cohort):
    """The cohort's draws, newest first, each with its moderations (to re-run it: actions.replays)."""
    return (
        SampleDraw.objects.filter(cohort=cohort)
        .select_related("drawn_by__user")
        .prefetch_related(Prefetch("moderations", queryset=Moderation.objects.only("id", "review_id", "reason", "draw_id")))
        .order_by("-drawn_at")
    )


def sample_candidates(cohort):
    """How many decided reviews of the cohort are not in moderation yet, and how many of those must be."""
    return Review.objects.filter(
        submission__portfolio__cohort=cohort, decided_at__isnull=False, moderation__isnull=True
    ).aggregate(
        total=Count("pk"),
        always=Count("pk", filter=Q(borderline=True) | Q(disputed_at__isnull=False)),
    )


def comparison(moderation, standards):
    """Each standard with the reviewer's decision and the moderator's side by side:
    [(standard, reviewer's StandardDecision or None, moderator's or None)]."""
    rows = StandardDecision.objects.filter(Q(review=moderation.review) | Q(moderation=moderation))
    first = {d.standard_id: d for d in rows if d.review_id}
    second = {d.standard_id: d for d in rows if d.moderation_id}
    return [(standard, first.get(standard.pk), second.get(standard.pk)) for standard in standards]


@dataclass
class AgreementRow:
    name: str
    decided: int
    moderated: int
    agreed: int
    disagreed: int
    upheld: int  # disagreements resolved in the reviewer's favour

    @property
    def rate(self):
        """Agreement rate as a whole percentage, or None before any moderation has been decided."""
        return round(100 * self.agreed / self.moderated) if self.moderated else None

    @property
    def too_few(self):
        return self.moderated < FEW_MODERATED


def reviewer_agreement(cohorts):
    """Per reviewer, over the decided reviews of these cohorts (a queryset): one query, whatever the data.
    Returns (rows by reviewer name, a total row)."""
    decided = Q(moderation__decided_at__isnull=False)
    rows = (
        Review.objects.filter(submission__portfolio__cohort__in=cohorts, decided_at__isnull=False)
        .values("reviewer_id", "reviewer__user__full_name")
        .annotate(
            decided=Count("pk"),
            moderated=Count("pk", filter=decided),
            agreed=Count("pk", filter=decided & Q(moderation__agrees=True)),
            disagreed=Count("pk", filter=decided & Q(moderation__agrees=False)),
            upheld=Count("pk", filter=Q(moderation__resolution=Moderation.Resolution.FIRST_DECISION)),
        )
        .order_by("reviewer__user__full_name", "reviewer_id")
    )
    report = [
        AgreementRow(
            name=row["reviewer__user__full_name"] or "A reviewer no longer in Trellis",
            **{key: row[key] for key in ("decided", "moderated", "agreed", "disagreed", "upheld")},
        )
        for row in rows
    ]
    total = AgreementRow(
        name="All reviewers",
        **{key: sum(getattr(row, key) for row in report) for key in ("decided", "moderated", "agreed", "disagreed", "upheld")},
    )
    return report, total


def moderation_waiting_for(membership):
    """What moderation waits on this member, in three queries: reviews assigned to them to second-mark or
    agree on; disagreements they may resolve; recommended portfolios they may sign off (for an admin,
    in every cohort; for a moderator, in the cohorts they moderate)."""
    if policy.allows(membership, "portfolio.sign_off"):  # asked without a cohort: organisation-wide
        cohorts = Cohort.objects.visible_to(membership)
    else:
        cohorts = Cohort.objects.visible_to(membership).filter(
            assessors__membership=membership, assessors__role=Assessor.Role.MODERATOR
        )
    related = ("review__submission__portfolio__staff", "review__submission__portfolio__cohort")
    mine = (
        Moderation.objects.visible_to(membership)
        .filter(moderator=membership, decided_at__isnull=True)
        .select_related(*related)
        .order_by("created_at")
    )
    to_resolve = (
        Moderation.objects.visible_to(membership)
        .filter(agrees=False, resolution="", review__submission__portfolio__cohort__in=cohorts)
        .exclude(moderator=membership)
        .select_related(*related, "moderator__user")
        .order_by("decided_at")
    )
    latest = Submission.objects.filter(portfolio_id=OuterRef(OuterRef("pk"))).order_by("-number").values("pk")[:1]
    waiting = Moderation.objects.filter(review__submission_id=Subquery(latest)).filter(
        Q(decided_at__isnull=True) | Q(agrees=False, resolution="")
    )
    to_sign_off = (
        Portfolio.objects.visible_to(membership)
        .filter(cohort__in=cohorts, state=Portfolio.State.RECOMMENDED)
        .exclude(Exists(waiting))
        .select_related("staff", "cohort")
        .order_by("state_changed_at")
    )
    return {"to_moderate": list(mine), "to_resolve": list(to_resolve), "to_sign_off": list(to_sign_off)}


# --- exports and pathway feedback ---


def questionnaires_waiting_for(membership):
    """Open questionnaires about the pathway the member is asked to answer and has not yet: they are a
    supervisor or a mentor in the cohort. One query; each comes with its cohort."""
    in_cohort = Portfolio.objects.filter(cohort=OuterRef("cohort")).filter(Q(staff__membership=membership) | Q(mentor=membership))
    answered = Receipt.objects.filter(questionnaire=OuterRef("pk"), membership=membership)
    return (
        Questionnaire.objects.visible_to(membership)
        .filter(opened_at__isnull=False)
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=timezone.localdate()))
        .filter(Exists(in_cohort))
        .exclude(Exists(answered))
        .select_related("cohort")
        .order_by("closes_on", "cohort__name")
    )


def people_asked(cohort):
    """Who is asked about the pathway: the cohort's supervisors who sign in, and its mentors, each once,
    as {membership: role} ("supervisor" wins for someone who is both). One query."""
    people = {}
    portfolios = list(cohort.portfolios.select_related("staff__membership__user", "mentor__user"))
    for portfolio in portfolios:
        member = portfolio.staff.membership
        if member is not None and member.is_active:
            people[member] = "supervisor"
    for portfolio in portfolios:
        if portfolio.mentor is not None and portfolio.mentor.is_active:
            people.setdefault(portfolio.mentor, "mentor")
    return people
