"""Demo cohorts and portfolios of evidence (issue 6), and the network that lends Riverside's reviewer to
Northshire.

Northshire runs the cohort "Practice supervisors <year it started>", begun about seven months ago, with
a portfolio at every point of the workflow:

- Aisha Rahman's was returned by Gareth Price with two standards not yet met, and feedback on each; she
  has added evidence since (one item made from a mentoring session) and can submit it again.
- Tom Brennan's is shared with his coach Helen Marsden, who commented; Tom has replied, so it waits on
  Helen.
- James Whitfield disputed Gareth's return. Helen chose Ruth Adeyemi to moderate it, and Ruth has still
  to second-mark it, blind.
- The supervisors who do not sign in have their portfolios kept by an admin, Fiona Gallagher: one is a
  draft; one is shared with Margaret Lloyd and waits on her comments; one waits on Gareth's review; one
  on Niamh O'Connor's, a reviewer from Riverside lent through the network (`load_network`); one was
  recommended, drawn for moderation and second-marked by Helen, who agreed, and waits to be signed off;
  one, a close call, was second-marked by Ruth, who disagreed, resolved by Helen, and signed off; one
  was signed off without being drawn.

Northshire's earlier cohort ended six weeks ago with every portfolio signed off; its questionnaire about
the pathway is open and five of the six mentors asked have answered (Aisha has not yet), so some results
show and others are suppressed. Riverside has a smaller cohort two months in: Lucy Fraser's draft,
Kwame Mensah's shared with his coach Priya Sharma, and one more draft.

Run after the workforce, frameworks, learning and mentoring demos: their people, frameworks, courses
attended and mentoring sessions are what portfolios are made of. Deterministic (a seeded generator per
organisation), dates relative to today, and every write goes through the portfolio actions, so the
audit trail, versions, submission snapshots and notices are real. The actions stamp the time they run;
each step of the story then moves the stamps it made back to its own day (the audit trail, which is
append-only, keeps the time the demo was loaded). The story's notices are not emailed, and those more
than a week old have been read.
"""

import datetime
import io
import random
import textwrap
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_scopes import scope

from trellis.frameworks.models import FrameworkInUse
from trellis.learning.models import Booking
from trellis.mentoring.models import MentoringSession
from trellis.notifications.models import Notification
from trellis.tenancy.models import Membership, Network, Organisation, Role
from trellis.workforce.models import StaffRecord

from . import actions
from .models import (
    Assessor,
    Cohort,
    Comment,
    EvidenceFile,
    EvidenceItem,
    Moderation,
    Portfolio,
    PortfolioItem,
    Questionnaire,
    QuestionnaireResponse,
    Review,
    SampleDraw,
    SignOff,
    Submission,
)
from .queries import evidence_standards, people_asked

NETWORK = "North West practice supervisor partnership"
NETWORK_SLUGS = ("northshire", "riverside")
CURRENT_STARTED = 200  # days ago
EARLIER_STARTED = 600
RIVERSIDE_STARTED = 60

# The stamps an action sets to "now", by model: a step moves those it set back to the step's moment.
STAMPS = (
    (Cohort, ("created_at", "updated_at")),
    (Assessor, ("added_at",)),
    (Portfolio, ("created_at", "updated_at", "state_changed_at", "shared_with_mentor_at")),
    (EvidenceItem, ("created_at", "updated_at")),
    (EvidenceFile, ("uploaded_at",)),
    (PortfolioItem, ("added_at",)),
    (Comment, ("created_at",)),
    (Submission, ("submitted_at",)),
    (Review, ("updated_at", "decided_at", "disputed_at")),
    (SampleDraw, ("drawn_at",)),
    (Moderation, ("created_at", "second_marked_at", "decided_at", "resolved_at")),
    (SignOff, ("decided_at",)),
    (Questionnaire, ("opened_at", "updated_at")),
    (Notification, ("created_at",)),
)


def cohort_name(started_on):
    """Named by the year it started, so the demo reads true whenever it is loaded."""
    return f"Practice supervisors {started_on.year}"


@dataclass(frozen=True)
class Evidence:
    """An evidence item of the story. `maps` are (what, how): "7" is standard 7 of the cohort's
    published framework; "own 1" and "own 1.2" a standard and a statement of the organisation's own."""

    title: str
    kind: str
    reflection: str
    maps: tuple
    file: tuple = ()  # (file name, title, paragraphs) of a PDF to attach


Kind = EvidenceItem.Kind

# Northshire works against the adult PQS: 3 developing social workers, 4 assuring practice, 5 analysis
# and decisions, 6 relationship-based supervision, 7 power and authority. Supervision practice only:
# never case detail, never the names of people who draw on care and support.
EVIDENCE = [
    Evidence(
        "Reflective account: my first group supervision",
        Kind.REFLECTIVE_ACCOUNT,
        "I ran group supervision for the first time, with four social workers from the team. I had planned to use a "
        "reflective model, but the conversation kept coming back to workload. I stopped, said what I was noticing, and we "
        "agreed to spend ten minutes on what the workload was doing to us before going back to the practice question. Two "
        "people said afterwards that this was the most useful part. Next time I will plan that check-in rather than treat "
        "it as a detour.",
        (
            ("6", "Shows me noticing the emotional side of the work and making room for it in supervision."),
            ("3", "Shows how I help the team learn from each other's practice."),
        ),
    ),
    Evidence(
        "Observation of my one-to-one supervision",
        Kind.OBSERVATION,
        "A senior practitioner observed a supervision session with a newly qualified social worker, with their agreement, "
        "using the team's observation template. She said I asked good open questions but answered two of them myself when "
        "the silence went on, and that I summarised the decision and the reasons clearly at the end. Since then I leave "
        "silences longer, and I ask the social worker to sum up the decision in their own words.",
        (
            ("5", "The observer saw me help the social worker weigh the options and record the reasons for the decision."),
            ("6", "Feedback on how I listen in supervision, and what I have changed since."),
        ),
    ),
    Evidence(
        "Feedback from the people I supervise",
        Kind.SUPERVISEE_FEEDBACK,
        "Five of the six people I supervise answered the team's short anonymous feedback form. They said supervision "
        "happens when planned and that they leave knowing what to do next. Two said I sometimes move to solutions too "
        "quickly. I shared the themes at the team meeting and asked people to tell me when it happens; I now ask what they "
        "have already thought about before I offer ideas.",
        (
            ("6", "What the people I supervise say about our supervision, and what I changed as a result."),
            ("3", "Shows I ask for feedback and act on it, as I want the team to."),
        ),
    ),
    Evidence(
        "Feedback from my manager at six months",
        Kind.MANAGER_FEEDBACK,
        "My service manager's written feedback at my six-month review. She noted that I act early when practice drifts "
        "and that my management oversight on records is clear and timely. Her suggestion for the next six months is to use "
        "the team's performance information in supervision, not only at the monthly meeting. I have added that to my "
        "development plan.",
        (("4", "My manager's view of how I check the quality of the team's practice and act when it falls short."),),
    ),
    Evidence(
        "Planning and reviewing a difficult conversation about performance",
        Kind.REFLECTIVE_ACCOUNT,
        "I needed to tell an experienced social worker that their assessments were often late and the analysis thin. I "
        "planned the conversation in my own supervision, used examples from the audit rather than impressions, and we "
        "agreed a plan with fortnightly check-ins. I noticed a pull to soften the message because we used to be peers. "
        "Three months on, the assessments are on time; the analysis is better but not yet consistent, and we are still "
        "working on it.",
        (
            ("4", "Shows how I addressed practice that was not good enough, fairly and with evidence."),
            ("7", "Shows me using my authority openly with someone who used to be a peer."),
        ),
    ),
    Evidence(
        "Using the team's performance information in supervision",
        Kind.REFLECTIVE_ACCOUNT,
        "For a quarter I took the team's monthly figures on reviews completed on time into each supervision, so that each "
        "person and I looked at their own numbers together. At first people found it uncomfortable. It became useful when "
        "we talked about what lay behind the numbers: two people were carrying the reviews nobody else wanted. We changed "
        "how reviews are allocated, and the figures have improved since.",
        (
            ("4", "Shows how I use performance information to assure the quality and timeliness of practice."),
            ("5", "Shows how I help the team analyse what lies behind the figures before deciding what to change."),
        ),
    ),
    Evidence(
        "Certificate: reflective supervision skills (two days)",
        Kind.TRAINING_CERTIFICATE,
        "Two-day course for practice supervisors. What I use now: starting supervision with what the social worker wants "
        "to think about, and keeping the reflective part of the session apart from case management. I have changed the "
        "team's supervision agreement so that both parts have protected time.",
        (("6", "The course, and how I have used it in my supervision since."),),
    ),
    Evidence(
        "Supporting a social worker's decision about risk",
        Kind.REFLECTIVE_ACCOUNT,
        "A social worker brought a situation in which a person's wish to go home conflicted with their family's worries "
        "about risk. I did not give the answer. I asked them to set out the person's own view, what the law asked of us and "
        "what worried them most, and we agreed they would talk again with the person before the planning meeting. I "
        "recorded the reasons for the decision in the supervision record. The social worker said it helped to be asked "
        "rather than told.",
        (
            ("5", "Shows how I supported the social worker's own analysis rather than deciding for them."),
            ("7", "Shows me holding a person's rights and the risks together, and being open about the decision."),
        ),
    ),
    Evidence(
        "Feedback from a carer about the team",
        Kind.PERSON_FEEDBACK,
        "A carer wrote to the team to say that the social worker had explained a decision clearly and kept the family "
        "informed throughout. With the carer's agreement I shared the feedback in supervision, and we talked about what "
        "had made the difference so that the social worker could do it again on purpose. I also shared it, without "
        "names, at the team meeting.",
        (("3", "Shows how I use feedback from carers to build a social worker's confidence."),),
    ),
    Evidence(
        "Induction plan for a newly qualified social worker",
        Kind.OTHER,
        "I wrote the induction plan for a social worker starting their assessed first year: a protected caseload that "
        "grows over six months, weekly supervision for the first six weeks, shadowing in two other teams, and a named "
        "colleague to ask day to day. We review it together every month. At the three-month review they said they felt "
        "they could ask anything.",
        (
            ("3", "Shows how I plan and support the development of a new social worker."),
            ("4", "Shows the checks on practice built into their first year."),
        ),
    ),
    Evidence(
        "Revisiting supervision agreements with the team",
        Kind.REFLECTIVE_ACCOUNT,
        "This year I revisited every supervision agreement in the team, in person. We talked about what each of us brings "
        "to supervision, how we would handle disagreement, and what happens if supervision is cancelled. Saying out loud "
        "that I hold authority in the relationship, and how I mean to use it, made the harder conversations later easier.",
        (
            ("6", "Shows how I build supervision relationships on an agreement we both own."),
            ("7", "Shows me talking openly about power in the supervisory relationship."),
        ),
    ),
    Evidence(
        "Action learning: keeping supervision protected",
        Kind.REFLECTIVE_ACCOUNT,
        "I brought a dilemma to the new supervisors' action learning set: how to keep supervision protected when the duty "
        "rota is short. The set's questions helped me see that I was the one cancelling. I committed to moving supervision "
        "rather than cancelling it, and to telling my manager when the rota made that impossible. Since then no "
        "supervision in the team has been cancelled without a new date.",
        (
            ("4", "Shows how I keep the conditions for good practice in place under pressure."),
            ("5", "Shows me analysing my own part in a problem before deciding what to do."),
        ),
    ),
]

OBSERVATION_FILE = (
    "observation-feedback.pdf",
    "Observation of supervision: written feedback",
    [
        "Observer: Margaret Lloyd, Service Manager, Locality Teams. Observed: a one-to-one supervision session, with "
        "the agreement of the social worker supervised.",
        "What went well: a warm, unhurried start; open questions that helped the social worker set out their own "
        "analysis; time given to how the work was affecting them.",
        "To develop: make the decision, and the reasons for it, explicit at the end of the session, and record them "
        "in the same words.",
        "No details of the people the social worker supports were discussed in this feedback.",
    ],
)
FIGURES_FILE = (
    "review-figures-summary.pdf",
    "Reviews completed on time: the team's figures (no names)",
    [
        "Community mental health team, reviews due and completed on time, by month, for the last two quarters.",
        "Before the change in allocation: between 61% and 68% of reviews completed on time.",
        "After the change: between 79% and 86% completed on time.",
        "Prepared for supervision and the monthly performance meeting. Individual figures are discussed only in "
        "each person's own supervision.",
    ],
)


# Gareth's feedback where a standard is not yet met, by standard.
NOT_YET = {
    "3": "The evidence is about the team as a whole rather than how you develop individual social workers. Add an "
    "example of supporting one person's learning.",
    "4": "Nothing yet shows how you check the quality of the team's practice. An audit you did, or a time you acted "
    "on practice that fell short, would evidence this.",
    "7": "The evidence touches on this. Add a time you used your authority, and how you reflected on using it.",
}
MORE_NEEDED = "Add at least one more piece of evidence for this standard, with a sentence on how it shows it."

QUESTIONNAIRE_ANSWERS = [
    # (mentor's key, days ago, ratings for the five rating questions, what helped most, what to change)
    ("helen", 35, (4, 4, 2, 4, 4), "Protected time for mentoring, agreed with managers at the start.", ""),
    (
        "margaret",
        30,
        (4, 3, 3, 5, 4),
        "Linking evidence to the standards as we went, rather than at the end.",
        "A short guide to what good evidence looks like for each standard.",
    ),
    (
        "james",
        24,
        (4, 4, 2, 4, 5),
        "The action learning set: hearing that other new supervisors had the same worries.",
        "More time: the pathway competed with winter pressures.",
    ),
    (
        "tom",
        17,
        (4, 5, 3, 5, 4),
        "Clear written feedback from the reviewer on each standard.",
        "Earlier review dates, so supervisors are not waiting over the summer.",
    ),
    (
        "david",
        9,
        (4, 3, 2, 4, 4),
        "Having a mentor from outside their own service.",
        "Let mentors see the coverage of the standards before the portfolio is shared with them.",
    ),
]


# --- A PDF to attach --------------------------------------------------------------------------------


def _pdf_text(text):
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def demo_pdf(title, paragraphs):
    """A small, valid one-page PDF: a title and wrapped paragraphs in Helvetica. Made here, so no binary
    file is kept in the repository; plain ASCII, the only text the standard fonts' encoding promises."""
    lines = [f"BT /F1 15 Tf 72 780 Td ({_pdf_text(title)}) Tj /F1 10.5 Tf 15 TL T*"]
    for paragraph in paragraphs:
        for line in textwrap.wrap(paragraph, 92):
            lines.append(f"({_pdf_text(line)}) '")
        lines.append("T*")
    lines.append("ET")
    content = "\n".join(lines).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# --- The story's steps ------------------------------------------------------------------------------


class Story:
    def __init__(self, organisation, members):
        self.organisation = organisation
        self.members = members
        self.rng = random.Random(f"trellis-portfolio-demo-{organisation.slug}")
        self.today = timezone.localdate()
        admins = [m for m in members.values() if m.has_role(Role.ORG_ADMIN)]
        # Who keeps the portfolios of people without a login: the workforce development lead.
        self.keeper = next((m for m in admins if m.has_role(Role.REVIEWER)), admins[0])
        self.cohorts = 0
        self.portfolios = 0
        self.items = 0
        self.answers = 0

    def at(self, days_ago, hour=None):
        """A moment `days_ago` days back, in working hours; `days_ago` is at least 1, so never later than now."""
        day = self.today - datetime.timedelta(days=max(days_ago, 1))
        hour = self.rng.choice((9, 10, 11, 13, 14, 15, 16)) if hour is None else hour
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, self.rng.randrange(60))))

    def day(self, days_ago):
        return self.today - datetime.timedelta(days=days_ago)

    @contextmanager
    def on(self, days_ago, hour=None):
        """Run a step of the story, then move the stamps it set (and its notices) back to its moment."""
        moment = self.at(days_ago, hour)
        started = timezone.now()
        yield moment
        for model, fields in STAMPS:
            for name in fields:
                model.objects.filter(organisation=self.organisation, **{f"{name}__gte": started}).update(**{name: moment})

    def staff(self, key):
        member = self.members.get(key)
        return StaffRecord.objects.filter(membership=member).first() if member is not None else None

    def keeper_of(self, staff):
        return staff.membership or self.keeper

    def without_login(self, count, *, since_days, taken=()):
        """`count` supervisors who do not sign in, have supervised for at least `since_days` and are not leaving."""
        pool = [
            person
            for person in StaffRecord.objects.filter(organisation=self.organisation, membership__isnull=True, leaving_date=None)
            .supervisors(self.today)
            .order_by("employee_ref")
            if person.supervisory_since and person.supervisory_since <= self.day(since_days) and person.pk not in taken
        ]
        return self.rng.sample(pool, min(count, len(pool)))

    # Cohorts

    def cohort(self, *, actor, name, started, ends_in, description, frameworks, reviewers, moderators):
        with self.on(started):
            cohort = actions.create_cohort(
                actor=actor,
                name=name,
                description=description,
                frameworks=frameworks,
                starts_on=self.day(started),
                expected_end_on=self.today + datetime.timedelta(days=ends_in),
            )
            for role, people in (("reviewer", reviewers), ("moderator", moderators)):
                for person in people:
                    actions.add_assessor(cohort, actor=actor, role=role, person=person)
        self.cohorts += 1
        return cohort

    def join(self, cohort, actor, staff, days_ago, *, mentor="auto", reviewer=None):
        with self.on(days_ago):
            (portfolio,) = actions.add_supervisors(cohort, actor=actor, staff=[staff])
            if mentor != "auto" or reviewer is not None:
                chosen = portfolio.mentor if mentor == "auto" else mentor
                portfolio = actions.assign_portfolio(portfolio, actor=actor, mentor=chosen, reviewer=reviewer)
        self.portfolios += 1
        return portfolio

    # Evidence

    def _target(self, staff, what):
        """The standard (and statement) a story's "7" or "own 1.2" names, among those the person's
        cohorts are assessed against."""
        own, _, number = what.rpartition(" ")
        standard_number, _, statement_number = number.partition(".")
        for standard in evidence_standards(staff):
            shipped = standard.version.framework.organisation_id is None
            if standard.number != standard_number or shipped == bool(own):
                continue
            if not statement_number:
                return standard, None
            statement = next((s for s in standard.statements.all() if s.number == number), None)
            if statement is not None:
                return standard, statement
        raise LookupError(f"No standard {what!r} for {staff}")

    def _map(self, item, actor, maps):
        for what, how in maps:
            standard, statement = self._target(item.staff, what)
            if not item.mappings.filter(standard=standard, statement=statement).exists():
                actions.add_mapping(item, actor=actor, standard=standard, statement=statement, how=how)

    def _attach(self, item, actor, file):
        name, title, paragraphs = file
        upload = SimpleUploadedFile(name, demo_pdf(title, paragraphs), content_type="application/pdf")
        actions.add_evidence_file(item, actor=actor, upload=upload)

    def evidence(self, staff, spec, days_ago, portfolio=None):
        actor = self.keeper_of(staff)
        with self.on(days_ago) as moment:
            item = actions.create_evidence_item(
                actor=actor,
                staff=staff,
                title=spec.title,
                kind=spec.kind,
                occurred_on=moment.date() - datetime.timedelta(days=self.rng.randint(2, 21)),
                reflection=spec.reflection,
            )
            self._map(item, actor, spec.maps)
            if spec.file:
                self._attach(item, actor, spec.file)
            if portfolio is not None:
                actions.add_to_portfolio(item, actor=actor, portfolio=portfolio)
        self.items += 1
        return item

    def evidence_from(self, staff, record, days_ago, *, reflection, maps=(), portfolio=None):
        """An item made in one step from a record elsewhere in Trellis, then given the person's reflection."""
        actor = self.keeper_of(staff)
        with self.on(days_ago):
            item = actions.add_evidence_from(record, actor=actor)
            item = actions.update_evidence_item(item, actor=actor, expected_version=item.version, reflection=reflection)
            self._map(item, actor, maps)
            if portfolio is not None:
                actions.add_to_portfolio(item, actor=actor, portfolio=portfolio)
        self.items += 1
        return item

    def collect(self, portfolio, specs, days):
        return [self.evidence(portfolio.staff, spec, days_ago, portfolio) for spec, days_ago in zip(specs, days, strict=True)]

    # Workflow

    def share(self, portfolio, days_ago, message=""):
        with self.on(days_ago):
            return actions.share_with_mentor(portfolio, actor=self.keeper_of(portfolio.staff), message=message)

    def comment(self, portfolio, author, body, days_ago, item=None):
        with self.on(days_ago):
            return actions.add_comment(portfolio, actor=author, body=body, item=item)

    def submit(self, portfolio, days_ago, note=""):
        with self.on(days_ago):
            return actions.submit(portfolio, actor=self.keeper_of(portfolio.staff), note=note)

    def decisions(self, cohort, not_met=(), feedback=None):
        """{standard id: (met, feedback)} for every standard of the cohort: met, except those numbered in
        `not_met`, which have `feedback` (by number) or the usual words on what is missing."""
        feedback = feedback or {}
        rows = {}
        for standard in actions.moderation_standards(cohort):
            missing = standard.number in not_met
            text = feedback.get(standard.number) or (NOT_YET.get(standard.number, MORE_NEEDED) if missing else "")
            rows[standard.pk] = (not missing, text)
        return rows

    def decide(self, portfolio, reviewer, days_ago, *, not_met=(), feedback="", borderline=False, per_standard=None):
        outcome = Review.Outcome.RETURNED if not_met else Review.Outcome.RECOMMENDED
        with self.on(days_ago):
            return actions.decide_review(
                portfolio,
                actor=reviewer,
                outcome=outcome,
                decisions=self.decisions(portfolio.cohort, not_met, per_standard),
                feedback=feedback,
                borderline=borderline,
            )

    def dispute(self, portfolio, days_ago, reason):
        with self.on(days_ago):
            return actions.dispute(portfolio, actor=portfolio.staff.membership, reason=reason)

    def draw(self, cohort, actor, days_ago):
        with self.on(days_ago):
            return actions.draw_sample(cohort, actor=actor)

    def moderation_of(self, portfolio):
        return Moderation.objects.filter(review__submission__portfolio=portfolio).order_by("-created_at").first()

    def assign_moderator(self, moderation, actor, moderator, days_ago):
        with self.on(days_ago):
            return actions.assign_moderator(moderation, actor=actor, moderator=moderator)

    def second_mark(self, moderation, days_ago, *, not_met=(), feedback="", per_standard=None, hour=None):
        """Marked blind by the moderator assigned; with no `not_met`, the same decisions as the reviewer's."""
        moderation = Moderation.objects.select_related("review__submission__portfolio__cohort", "moderator").get(pk=moderation.pk)
        cohort = moderation.review.submission.portfolio.cohort
        if not_met:
            decisions, outcome = self.decisions(cohort, not_met, per_standard), Review.Outcome.RETURNED
        else:
            decisions = {d.standard_id: (d.met, d.feedback) for d in moderation.review.decisions.all()}
            outcome = moderation.review.outcome
        with self.on(days_ago, hour):
            return actions.second_mark(
                moderation, actor=moderation.moderator, decisions=decisions, outcome=outcome, feedback=feedback
            )

    def agree(self, moderation, days_ago, *, agrees=True, reasons="", hour=None):
        moderation = Moderation.objects.select_related("moderator").get(pk=moderation.pk)
        with self.on(days_ago, hour):
            return actions.record_agreement(moderation, actor=moderation.moderator, agrees=agrees, reasons=reasons)

    def resolve(self, moderation, actor, days_ago, reasons):
        moderation = Moderation.objects.get(pk=moderation.pk)
        with self.on(days_ago):
            return actions.resolve(moderation, actor=actor, resolution=Moderation.Resolution.FIRST_DECISION, reasons=reasons)

    def sign_off(self, portfolio, actor, days_ago):
        with self.on(days_ago):
            return actions.sign_off(portfolio, actor=actor, decision=SignOff.Decision.SIGNED_OFF)

    def finish(self, notices):
        """The story's notices went out on their day, so none is emailed now; people have read those
        more than a week old. `notices`: the story's notices, as a queryset."""
        notices.filter(emailed_at__isnull=True).update(emailed_at=F("created_at"))
        week_ago = timezone.now() - datetime.timedelta(days=7)
        notices.filter(read_at__isnull=True, created_at__lt=week_ago).update(read_at=F("created_at"))


# --- Northshire ---------------------------------------------------------------------------------------


def _frameworks(organisation, *, own=False):
    """The frameworks in force: the published ones, and the organisation's own if `own`."""
    rows = FrameworkInUse.objects.filter(organisation=organisation, is_active=True).select_related("version__framework")
    return [f for f in rows if own or f.version.framework.organisation_id is None]


def _latest(model, order_by, **filters):
    return model.objects.filter(**filters).order_by(f"-{order_by}").first()


def _northshire(story):
    _earlier_cohort(story)
    m = story.members
    fiona, helen, margaret, gareth, ruth = (m[key] for key in ("fiona", "helen", "margaret", "gareth", "ruth"))
    pqs = _frameworks(story.organisation)
    cohort = story.cohort(
        actor=fiona,
        name=cohort_name(story.day(CURRENT_STARTED)),
        started=CURRENT_STARTED,
        ends_in=165,
        description="The supervisors who started on the pathway this year: evidence against the adult PQS, "
        "a mentor each, and review by the end of the cohort.",
        frameworks=pqs,
        reviewers=[gareth, fiona],
        moderators=[helen, ruth],
    )
    aisha, tom, james = story.staff("aisha"), story.staff("tom"), story.staff("james")
    people = [p for p in (aisha, tom, james) if p is not None]
    taken = {p.pk for p in people} | {p.staff_id for p in Portfolio.objects.filter(cohort__organisation=story.organisation)}
    others = story.without_login(7, since_days=CURRENT_STARTED, taken=taken)
    if len(others) < 7 or len(people) < 3:
        return  # the demo workforce is not what this story was written for
    a, b, c, d, e, f, g = others
    started = CURRENT_STARTED - 2
    # Aisha's and Tom's mentors come from their mentoring relationships (Margaret and Helen).
    aisha_p = story.join(cohort, fiona, aisha, started, reviewer=gareth)
    tom_p = story.join(cohort, fiona, tom, started, reviewer=fiona)
    james_p = story.join(cohort, fiona, james, started, mentor=margaret, reviewer=gareth)
    a_p = story.join(cohort, fiona, a, started, mentor=helen)
    b_p = story.join(cohort, fiona, b, started, mentor=helen, reviewer=gareth)
    c_p = story.join(cohort, fiona, c, started, mentor=None)  # reviewed by a network guest: see load_network
    d_p = story.join(cohort, fiona, d, started, mentor=margaret, reviewer=gareth)
    e_p = story.join(cohort, fiona, e, started, mentor=None, reviewer=gareth)
    f_p = story.join(cohort, fiona, f, started, mentor=helen, reviewer=gareth)
    g_p = story.join(cohort, fiona, g, started, mentor=margaret, reviewer=gareth)

    # The supervisors without a login: each collects evidence of their own from the common stories.
    def collect(portfolio, count, first, last):
        specs = story.rng.sample(EVIDENCE, count)
        days = sorted((story.rng.randint(last, first) for _ in specs), reverse=True)
        return story.collect(portfolio, specs, days)

    collect(a_p, 2, 60, 20)
    collect(c_p, 3, 90, 15)
    collect(g_p, 3, 80, 10)
    story.share(g_p, 6, "Could you read these before we next meet?")
    b_items = collect(b_p, 4, 180, 70)
    story.share(b_p, 65)
    story.comment(b_p, helen, "A good range of evidence. In each reflection, say what you changed afterwards.", 58, b_items[0])
    story.submit(b_p, 5, "Ready for review: each piece says which standards it shows.")

    # Recommended and sampled: Helen draws the sample and second-marks it herself; she agrees.
    collect(d_p, 4, 185, 80)
    story.share(d_p, 120)
    story.comment(d_p, margaret, "This reads well. Make sure every standard has at least two pieces before you submit.", 114)
    story.submit(d_p, 70)
    story.decide(d_p, gareth, 45, feedback="Every standard is evidenced, most of them more than once. Recommended.")
    # A close call: always moderated. Ruth would have returned it; Helen decides the reviewer's decision stands.
    collect(e_p, 4, 180, 80)
    story.submit(e_p, 75)
    story.decide(
        e_p,
        gareth,
        50,
        borderline=True,
        feedback="Recommended, but a close call on standard 7: the evidence is there, though brief.",
    )
    moderation = story.moderation_of(e_p)
    story.assign_moderator(moderation, helen, ruth, 48)
    story.second_mark(
        moderation,
        44,
        hour=10,
        not_met=("7",),
        feedback="Standard 7 is not yet evidenced well enough to recommend.",
        per_standard={"7": "Only one piece touches on authority, and it does not reflect on how it was used."},
    )
    story.agree(
        moderation,
        44,
        hour=11,
        agrees=False,
        reasons="One brief mention of authority is not enough to recommend on standard 7.",
    )
    story.resolve(
        moderation,
        helen,
        38,
        "Two pieces show the supervisor reflecting on how they used their authority; brief, but the standard is met.",
    )
    story.sign_off(e_p, helen, 36)

    # The sample: the only decided review not yet in moderation is the first recommended one above (the
    # close call is moderated already), so the draw takes it.
    story.draw(cohort, helen, 40)
    moderation = story.moderation_of(d_p)
    story.assign_moderator(moderation, helen, helen, 39)
    story.second_mark(moderation, 36, feedback="Well evidenced throughout; I would also recommend it.")
    story.agree(moderation, 35)

    # James: returned after the draw, and he disputes it (a disputed review is always moderated); Helen
    # asks Ruth to moderate it.
    story.collect(
        james_p,
        [
            Evidence(
                "Supervision during winter pressures",
                Kind.REFLECTIVE_ACCOUNT,
                "Over the winter the hospital discharge team had twice its usual referrals. I kept every supervision but "
                "shortened them, and I made the decisions about priorities myself so that the team did not carry them "
                "alone. Looking back, I protected the team's time but took too much of their thinking away: some of those "
                "decisions would have been better made with the social worker.",
                (
                    ("4", "Shows how I kept supervision and oversight going when demand doubled."),
                    ("7", "Shows me using my authority to set priorities, and what I would do differently."),
                ),
            ),
            Evidence(
                "Observation of my group supervision",
                Kind.OBSERVATION,
                "The principal social worker observed a group supervision I led on discharge planning. She noted that "
                "everyone contributed and that the group reached a clear view, and suggested I bring the person's own "
                "words into the discussion more often. I now ask at the start what the person has told us they want.",
                (
                    ("5", "The observer saw the group reach a decision together, with its reasons."),
                    ("6", "Feedback on how I hold a group, and what I changed."),
                ),
            ),
            Evidence(
                "Feedback from my manager",
                Kind.MANAGER_FEEDBACK,
                "My manager's annual feedback: the team's practice is consistently safe and new starters settle quickly. "
                "She asked me to give more of my time to developing the team's two senior practitioners, and I now "
                "supervise each of them fortnightly, with a development goal each.",
                (
                    ("3", "My manager's view of how new social workers settle and develop in the team."),
                    ("4", "My manager's view of the quality of the team's practice."),
                ),
            ),
        ],
        [150, 120, 95],
    )
    story.share(james_p, 70)
    story.comment(
        james_p,
        margaret,
        "A good range of evidence. Standard 3 looks thin to me: think about how you have developed individual social "
        "workers, not only the team.",
        66,
    )
    story.submit(james_p, 40, "I think this covers every standard; I am happy to talk any of it through.")
    story.decide(
        james_p,
        gareth,
        30,
        not_met=("3", "7"),
        feedback="Well organised, with good evidence of safe practice under pressure. Two standards are not yet evidenced.",
        per_standard={
            "7": "The winter account shows decisions you made, but not how you reflected on using your authority with "
            "the team. Say more about that."
        },
    )
    story.dispute(
        james_p,
        21,
        "The observation and my manager's feedback show how I develop social workers' confidence, and the winter account "
        "is about using authority under pressure and what I learnt from it. I would like a moderator to look at it.",
    )
    story.assign_moderator(story.moderation_of(james_p), helen, ruth, 18)

    # Signed off without being drawn: it was decided after the draw, so the next draw will consider it.
    collect(f_p, 4, 175, 60)
    story.share(f_p, 110)
    story.comment(f_p, helen, "Honest, specific reflections. Check that every standard has at least one piece.", 104)
    story.submit(f_p, 32)
    story.decide(f_p, gareth, 20, feedback="Recommended: every standard is met, with good reflection throughout.")
    story.sign_off(f_p, ruth, 12)

    _aisha(story, cohort, aisha_p, margaret, gareth)
    _tom(story, tom_p, helen)


def _aisha(story, cohort, portfolio, mentor, reviewer):
    aisha = portfolio.staff
    items = story.collect(
        portfolio,
        [
            Evidence(
                "Supervising colleagues who used to be my peers",
                Kind.REFLECTIVE_ACCOUNT,
                "When I became the practice supervisor for the learning disability team, three of the people I now "
                "supervise had been my peers for years. In the first month I avoided anything that felt like managing "
                "them. My mentor helped me see that this left them without the supervision they were entitled to. I met "
                "each of them to talk about what would change and what would not, and we wrote new supervision "
                "agreements together. It still feels awkward at times, but supervision now happens, and we talk about "
                "practice, not only about cases.",
                (
                    ("6", "Shows how I rebuilt supervision relationships on a new footing after moving from peer to supervisor."),
                    ("7", "Shows me starting to recognise the authority that comes with the role."),
                ),
            ),
            Evidence(
                "Observed supervision: feedback from my mentor",
                Kind.OBSERVATION,
                "Margaret Lloyd observed a supervision session with one of my social workers, with their agreement. Her "
                "written feedback is attached. She saw a warm, well-paced session in which I helped the social worker "
                "think through their analysis, and suggested I make the decision and its reasons clearer at the end. I "
                "now finish each supervision by agreeing out loud what we decided and why, and record it in the same "
                "words.",
                (
                    ("5", "The observer saw me support the social worker's own analysis of a decision."),
                    ("6", "Feedback on the supervision relationship: warm, paced, and safe to think in."),
                ),
                OBSERVATION_FILE,
            ),
            Evidence(
                "Feedback from the people I supervise",
                Kind.SUPERVISEE_FEEDBACK,
                "I asked the five people I supervise for anonymous feedback through Trellis. They said supervision feels "
                "safe and that I make time for them. Two said they would like more challenge. I have started asking "
                "'what else could be going on?' in case discussions, and I will ask for feedback again in six months.",
                (
                    ("6", "What my supervisees say about our supervision relationships."),
                    ("3", "Shows me asking for feedback, and adding more challenge to help people develop."),
                ),
            ),
        ],
        [185, 168, 150],
    )
    course = _latest(
        Booking,
        "session__date",
        staff=aisha,
        attendance=Booking.Attendance.ATTENDED,
        session__course__default_key="reflective-supervision-skills",
    )
    if course is not None:
        story.evidence_from(
            aisha,
            course,
            max(1, min(110, (story.today - (course.completed_on or course.session.last_day)).days - 2)),
            reflection="What I took from the course: keeping the reflective part of supervision apart from case "
            "management, and starting with what the social worker wants to think about. I now plan both parts.",
            maps=(("6", "The course, and how it changed the way I plan supervision."),),
            portfolio=portfolio,
        )
    story.share(portfolio, 150, "Margaret, here is what I have so far. I am least sure about standard 7.")
    story.comment(
        portfolio,
        mentor,
        "You are right to worry less than you do: the account of supervising former peers is honest and thoughtful. "
        "For standard 7, think about a time you used your authority, not only when you noticed it.",
        145,
    )
    story.comment(portfolio, aisha.membership, "Thank you. I will think about which example to use before I submit.", 141)
    story.submit(portfolio, 45, "I have mapped everything I have; I know standard 7 is the thinnest.")
    story.decide(
        portfolio,
        reviewer,
        28,
        not_met=("4", "7"),
        feedback="A thoughtful and honest portfolio: the evidence of relationship-based supervision is strong. Two "
        "standards need more evidence before I can recommend it.",
        per_standard={
            "6": "Strong evidence from the observation and from the people you supervise.",
            "7": "The account of supervising former peers begins to show this. Add a time you used your authority, and "
            "how you reflected on using it.",
        },
    )
    # Since the return: a mentoring session and a new account, for the two standards not yet met, and a
    # reflection brought up to date. What the reviewer saw stays as it was in the submission.
    session = _latest(MentoringSession, "held_on", mentorship__mentee=aisha)
    if session is not None:
        story.evidence_from(
            aisha,
            session,
            max(1, min(14, (story.today - session.held_on).days)),
            reflection="In this session I planned, with my mentor, how to raise a concern about the quality of a "
            "social worker's recording that I had been putting off.",
            maps=(("4", "Planning how to raise a concern about the quality of a social worker's recording."),),
            portfolio=portfolio,
        )
    story.evidence(
        aisha,
        Evidence(
            "Raising a concern about the quality of recording",
            Kind.REFLECTIVE_ACCOUNT,
            "After planning it with my mentor, I told a social worker that their recording was often weeks behind and did "
            "not show their analysis. I used three examples from the audit, asked what was getting in the way, and we "
            "agreed a plan with a date to review it. I was clear that this was not optional. I felt anxious beforehand; "
            "afterwards the social worker said they had been expecting it, and were relieved it had been said plainly.",
            (
                ("4", "Shows how I check the quality of practice and act when it falls short."),
                ("7", "Shows me using my authority clearly and fairly, as the reviewer asked, and reflecting on it."),
            ),
        ),
        8,
        portfolio,
    )
    first = EvidenceItem.objects.get(pk=items[0].pk)
    with story.on(6):
        actions.update_evidence_item(
            first,
            actor=aisha.membership,
            expected_version=first.version,
            reflection=first.reflection
            + "\n\nSix months on: I no longer avoid the harder conversations with the people who were my peers. The "
            "account of raising a concern about recording shows what changed.",
        )


def _tom(story, portfolio, coach):
    tom = portfolio.staff
    items = story.collect(
        portfolio,
        [
            Evidence(
                "Using the team's review figures in supervision",
                Kind.REFLECTIVE_ACCOUNT,
                "In the community mental health team I started looking at each person's review dates with them in "
                "supervision, using the monthly figures (summary attached, without names). We found that reviews slipped "
                "when one person held most of the complex cases, and we changed how cases are allocated. The share of "
                "reviews done on time has risen from about two thirds to over four fifths.",
                (
                    ("4", "Shows how I use performance information to check the timeliness of the team's practice."),
                    ("5", "Shows how the team and I analysed the figures before deciding to change allocation."),
                ),
                FIGURES_FILE,
            ),
            Evidence(
                "Feedback from the people I supervise",
                Kind.SUPERVISEE_FEEDBACK,
                "Six of the seven people I supervise answered a short anonymous survey. They value that supervision is "
                "never cancelled and that I know the law well. Three said supervision is mostly about cases, with little "
                "time to reflect.",
                (("6", "What my supervisees say about our supervision."),),
            ),
        ],
        [160, 130],
    )
    course = _latest(
        Booking,
        "session__date",
        staff=tom,
        attendance=Booking.Attendance.ATTENDED,
        session__course__default_key="performance-management",
    )
    if course is not None:
        story.evidence_from(
            tom,
            course,
            140,
            reflection="The course gave me a structure for conversations about performance: the evidence first, then "
            "what is getting in the way, then a plan with a date. I used it within a month.",
            maps=(("4", "The course on managing performance, and how I used what I learnt."),),
            portfolio=portfolio,
        )
    story.share(portfolio, 24, "Helen, this is everything I have so far. I would value your view before I submit.")
    story.comment(
        portfolio,
        coach,
        "This is coming together well. The piece on the review figures is strong: say what changed for the team, not "
        "only what you did. Before you submit, add something on standard 7, power and authority. The allocation "
        "decision we talked about in coaching would be a good example.",
        20,
    )
    story.comment(portfolio, coach, "Could you say what you changed after reading this feedback?", 19, items[1])
    feedback = EvidenceItem.objects.get(pk=items[1].pk)
    with story.on(12):
        actions.update_evidence_item(
            feedback,
            actor=tom.membership,
            expected_version=feedback.version,
            reflection=feedback.reflection
            + " Since then I keep the first half hour of each supervision for reflection, and we agree the case list "
            "for the second half at the start.",
        )
    story.evidence(
        tom,
        Evidence(
            "An allocation decision the team disagreed with",
            Kind.REFLECTIVE_ACCOUNT,
            "At a time of high demand I decided to hold a waiting list for new referrals rather than spread them across a "
            "team already at capacity. Two experienced practitioners disagreed strongly. I explained my reasons, recorded "
            "them, and agreed to review the decision with the team every week. Looking back, I used my authority "
            "appropriately but explained it too late: next time I will talk to the team before I decide, not after.",
            (
                ("7", "Shows me using my authority in a decision the team disagreed with, and reflecting on how."),
                ("5", "Shows the analysis behind the decision and how it was reviewed."),
            ),
        ),
        11,
        portfolio,
    )
    story.comment(
        portfolio,
        tom.membership,
        "Thank you. I have added an account of the allocation decision for standard 7, and said what I changed after "
        "the supervisees' feedback. Could you look again before I submit?",
        3,
    )


def _earlier_cohort(story):
    """Last year's cohort: ended, every portfolio signed off, its questionnaire open and mostly answered."""
    m = story.members
    fiona, gareth, ruth = m["fiona"], m["gareth"], m["ruth"]
    mentors = [m[key] for key in ("helen", "margaret", "james", "tom", "david", "aisha") if key in m]
    cohort = story.cohort(
        actor=fiona,
        name=cohort_name(story.day(EARLIER_STARTED)),
        started=EARLIER_STARTED,
        ends_in=-60,
        description="The first supervisors on the pathway, each with a mentor from across adult social care.",
        frameworks=_frameworks(story.organisation),
        reviewers=[gareth],
        moderators=[m["helen"], ruth],
    )
    supervisors = story.without_login(len(mentors), since_days=EARLIER_STARTED)
    portfolios = [
        story.join(cohort, fiona, person, EARLIER_STARTED - 3, mentor=mentor, reviewer=gareth)
        for person, mentor in zip(supervisors, mentors, strict=False)
    ]
    unused = {}
    for index, portfolio in enumerate(portfolios):
        specs = story.rng.sample(EVIDENCE, 3)
        unused[portfolio.pk] = [spec for spec in EVIDENCE if spec not in specs and "4" in dict(spec.maps)]
        story.collect(portfolio, specs, [560 - index * 7, 470 - index * 5, 330 - index * 4])
        story.share(portfolio, 500 - index * 6)
        story.comment(
            portfolio,
            portfolio.mentor,
            story.rng.choice(
                [
                    "A good start. Which standard do you feel least sure about? Let's talk about it next time.",
                    "The reflection is honest and specific: keep writing like this.",
                    "Say a little more about what you did differently afterwards.",
                ]
            ),
            490 - index * 6,
        )
        story.submit(portfolio, 250 - index * 4)
    # The first was returned once, then recommended; the rest recommended first time.
    story.decide(portfolios[0], gareth, 215, not_met=("4",), feedback="Standard 4 needs one more piece of evidence.")
    story.evidence(portfolios[0].staff, unused[portfolios[0].pk][0], 200, portfolios[0])
    story.submit(portfolios[0], 190, "I have added a piece of evidence for standard 4.")
    for index, portfolio in enumerate(portfolios):
        story.decide(portfolio, gareth, 180 - index * 3, feedback="Recommended: every standard is met.")
    draw = story.draw(cohort, ruth, 160)
    for moderation in Moderation.objects.filter(draw=draw):
        story.assign_moderator(moderation, ruth, ruth, 159)
        story.second_mark(moderation, 150, hour=10)
        story.agree(moderation, 150, hour=11)
    for index, portfolio in enumerate(portfolios):
        story.sign_off(portfolio, ruth, 140 - index)
    # Ending the cohort opens its questionnaire; Fiona then gives it a closing date.
    with story.on(40):
        actions.end_cohort(cohort, actor=fiona, ended_on=story.day(40))
    questionnaire = Questionnaire.objects.get(cohort=cohort)
    with story.on(39):
        actions.update_questionnaire(
            questionnaire,
            actor=fiona,
            expected_version=questionnaire.version,
            introduction=questionnaire.introduction,
            anonymous=questionnaire.anonymous,
            closes_on=story.today + datetime.timedelta(days=14),
        )
    questions = list(questionnaire.questions.order_by("position"))
    asked = people_asked(cohort)
    for key, days_ago, ratings, helped, change in QUESTIONNAIRE_ANSWERS:
        if m.get(key) not in asked:
            continue
        questionnaire.refresh_from_db()
        written = iter((helped, change))
        answers = {q.pk: ratings[index] if q.kind == "scale" else next(written) for index, q in enumerate(questions)}
        with story.on(days_ago):
            response = actions.answer_questionnaire(
                questionnaire, actor=m[key], expected_version=questionnaire.version, answers=answers
            )
        QuestionnaireResponse.objects.filter(pk=response.pk).update(submitted_on=story.day(days_ago))
        story.answers += 1


# --- Riverside ----------------------------------------------------------------------------------------


def _riverside(story):
    m = story.members
    olivia, bethan, ruth = m["olivia"], m["bethan"], m["ruth"]
    cohort = story.cohort(
        actor=olivia,
        name=cohort_name(story.day(RIVERSIDE_STARTED)),
        started=RIVERSIDE_STARTED,
        ends_in=300,
        description="Practice supervisors new to the role this year, against the knowledge and skills statement and "
        "our own standards.",
        frameworks=_frameworks(story.organisation, own=True),
        reviewers=[bethan],
        moderators=[olivia, ruth],
    )
    lucy, kwame = story.staff("lucy"), story.staff("kwame")
    if lucy is None or kwame is None:
        return
    (other,) = story.without_login(1, since_days=RIVERSIDE_STARTED, taken={lucy.pk, kwame.pk}) or (None,)
    # Lucy's mentor (Niamh) and Kwame's coach (Priya) come from their mentoring relationships.
    lucy_p = story.join(cohort, olivia, lucy, RIVERSIDE_STARTED - 1, reviewer=bethan)
    kwame_p = story.join(cohort, olivia, kwame, RIVERSIDE_STARTED - 1, reviewer=bethan)

    session = _latest(MentoringSession, "held_on", mentorship__mentee=lucy)
    if session is not None:
        story.evidence_from(
            lucy,
            session,
            max(1, min(20, (story.today - session.held_on).days)),
            reflection="My mentor and I talked about supervising people who were my peers a few months ago. I came away "
            "with a plan for my first supervision agreements.",
            maps=(("own 1.2", "Planning the supervision agreements I would agree with each practitioner."),),
            portfolio=lucy_p,
        )
    story.evidence(
        lucy,
        Evidence(
            "My first supervision agreements",
            Kind.REFLECTIVE_ACCOUNT,
            "In my first month I agreed a written supervision agreement with each of the four practitioners I now "
            "supervise. We talked about how each of them likes to reflect, what they worry about, and how we would "
            "handle it if we disagreed about a child's plan. One asked for more time on emotional impact; we built it "
            "into her agreement.",
            (
                ("own 1.2", "I agreed a written supervision agreement with each practitioner in my first month."),
                ("own 1.1", "The conversations that went with them: each person's strengths, worries and ways of working."),
                ("7", "Making room for the emotional impact of the work from the start of supervision."),
            ),
        ),
        12,
        lucy_p,
    )

    kwame_items = story.collect(
        kwame_p,
        [
            Evidence(
                "Group case discussion in the assessment team",
                Kind.REFLECTIVE_ACCOUNT,
                "Every fortnight I run a group case discussion in which one practitioner brings an assessment and the "
                "group tests the hypotheses in it. At first people defended their views; now they offer alternatives. I "
                "notice I still summarise too early, and I am practising waiting.",
                (
                    ("own 3.1", "Shows how I use group case discussion to test our thinking."),
                    ("7", "Shows me helping practitioners notice their own responses to families."),
                ),
            ),
            Evidence(
                "Challenging drift in children's plans",
                Kind.REFLECTIVE_ACCOUNT,
                "Our audit showed plans that had not moved for months. I raised it with each practitioner in supervision, "
                "asked what was holding each plan up, and we agreed dates. Where the delay was in another service I "
                "escalated it, and told the practitioner what I had done.",
                (
                    ("own 2.3", "Shows me challenging drift and delay in children's plans."),
                    ("4", "Shows me using my authority to unblock plans, openly with the practitioners."),
                ),
            ),
            Evidence(
                "Using the team's data at the monthly performance meeting",
                Kind.OTHER,
                "I now go through the team's figures with the team each month: visits in time, assessments in time, and "
                "plans reviewed. We pick one figure to understand better each month rather than trying to fix them all.",
                (("own 5.1", "I read the team's data each month and talk it through with the team."),),
            ),
        ],
        [45, 30, 18],
    )
    story.share(kwame_p, 10, "Priya, could you look at these before our next coaching session?")
    story.comment(
        kwame_p,
        kwame_p.mentor,
        "A strong start. For power and authority, say more about how you made the challenge and how it was received.",
        6,
        kwame_items[1],
    )

    if other is not None:
        other_p = story.join(cohort, olivia, other, RIVERSIDE_STARTED - 1, mentor=None)
        story.evidence(
            other,
            Evidence(
                "Leading the team's learning from a case review",
                Kind.REFLECTIVE_ACCOUNT,
                "After a case review in the service, I ran a team session on what it meant for us. I made sure we talked "
                "about what had gone well, not only what had not.",
                (("own 4.1", "Shows me making time for the team to learn from practice."),),
            ),
            15,
            other_p,
        )


def _members_by_key(organisation):
    """{first name in lower case: membership} of an organisation's own members, as load_demo keys them."""
    rows = Membership.objects.filter(organisation=organisation, guest_of_network__isnull=True).select_related("user")
    return {row.user.full_name.split()[0].lower(): row for row in rows}


def load(organisation, members):
    """Write the demo cohorts and portfolios; `members` maps load_demo's keys to Memberships. Runs in the
    organisation's scope."""
    story = Story(organisation, members)
    started = timezone.now()
    if organisation.slug == "northshire" and all(key in members for key in ("fiona", "helen", "margaret", "gareth", "ruth")):
        _northshire(story)
    elif organisation.slug == "riverside" and all(key in members for key in ("olivia", "bethan", "ruth")):
        _riverside(story)
    story.finish(Notification.objects.filter(organisation=organisation, created_at__lt=started))
    return {
        "cohorts": story.cohorts,
        "portfolios": story.portfolios,
        "evidence items": story.items,
        "pathway feedback answers": story.answers,
    }


@transaction.atomic
def load_network():
    """Join the two demo organisations in a network and lend Niamh O'Connor, a reviewer at Riverside, to
    Northshire's current cohort as a network guest (ADR 0014), with one portfolio waiting on her review.

    Runs once both demo organisations are loaded, and only once: returns a line for load_demo to print,
    or None when there is nothing to do (the network already exists, or an organisation is missing).
    """
    organisations = {org.slug: org for org in Organisation.objects.filter(slug__in=NETWORK_SLUGS)}
    if len(organisations) < len(NETWORK_SLUGS) or Network.objects.filter(name=NETWORK).exists():
        return None
    northshire, riverside = (organisations[slug] for slug in NETWORK_SLUGS)
    call_command("network", "add", NETWORK, *NETWORK_SLUGS, stdout=io.StringIO())
    line = f"{NETWORK}: {northshire.name} and {riverside.name}"
    with scope(organisation=riverside):
        niamh = _members_by_key(riverside).get("niamh")
    with scope(organisation=northshire):
        members = _members_by_key(northshire)
        today = timezone.localdate()
        cohort = Cohort.objects.filter(name=cohort_name(today - datetime.timedelta(days=CURRENT_STARTED))).first()
        waiting = (
            Portfolio.objects.filter(cohort=cohort, state=Portfolio.State.DRAFT, mentor=None, reviewer=None)
            .exclude(entries=None)
            .order_by("staff__full_name")
            .first()
        )
        if niamh is None or not niamh.has_role(Role.REVIEWER) or "fiona" not in members or waiting is None:
            return line + "."
        story = Story(northshire, members)
        started = timezone.now()
        fiona = members["fiona"]
        with story.on(22):
            guest = actions.add_assessor(cohort, actor=fiona, role=Assessor.Role.REVIEWER, person=niamh).membership
        with story.on(20):
            actions.assign_portfolio(waiting, actor=fiona, mentor=None, reviewer=guest)
        story.submit(waiting, 3, "From my paper portfolio, typed in by the workforce development team.")
        story.finish(Notification.objects.filter(organisation=northshire, created_at__lt=started, emailed_at__isnull=True))
    return line + f"; {niamh.user.full_name} reviews for {northshire.name} as a network guest."
