"""A self-assessment beside what came before and what others said, per standard.

- The change since the person's previous submitted assessment against the same framework version:
  up, down, same, or new (no rating last time to compare with).
- Feedback: the line manager's and any named supervisees' answers as given; anonymous supervisees'
  answers only combined (the middle rating per standard, comments in alphabetical order so their
  order says nothing about who wrote them), and only once ANONYMITY_THRESHOLD have answered. Until
  then anonymous answers are not even read from the database.

Everything here is worked out from rows loaded in a fixed number of queries.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import median_low

from django.db.models import Prefetch

from trellis.govuk.charts import Bar, Group, bar_chart

from .models import ANONYMITY_THRESHOLD, FeedbackAnswer, FeedbackRequest, SelfAssessment, StandardRating, StatementRating

CHANGES = {
    "up": ("Up", "green"),
    "down": ("Down", "orange"),
    "same": ("Same", "grey"),
    "new": ("New", "blue"),
}


def change_between(previous, level):
    """'up', 'down', 'same' or 'new' (nothing to compare with); None when not rated now."""
    if level is None:
        return None
    if previous is None:
        return "new"
    if level.value > previous.value:
        return "up"
    if level.value < previous.value:
        return "down"
    return "same"


def previous_of(assessment):
    return SelfAssessment.objects.before(assessment).first()


@dataclass
class Combined:
    """Anonymous supervisee feedback, as anyone but its authors may see it: totals only."""

    asked: int
    answered: int
    declined: int
    waiting: int
    by_standard: dict = field(default_factory=dict)  # standard id -> {"median", "rated", "comments"}
    overall_comments: list = field(default_factory=list)

    @property
    def shown(self):
        return self.answered >= ANONYMITY_THRESHOLD

    @property
    def needed(self):
        """How many more answers before anything is shown."""
        return max(0, ANONYMITY_THRESHOLD - self.answered)


@dataclass
class Feedback:
    named: list  # requests to the line manager and named supervisees, any status, oldest first
    answered: list  # the named ones answered, each with `answer_for` {standard id: FeedbackAnswer}
    anonymous: Combined | None
    anonymous_names: list  # who was asked anonymously: the person chose them, so this tells nothing new

    @property
    def answered_count(self):
        return len(self.answered) + (self.anonymous.answered if self.anonymous is not None else 0)

    @property
    def any_answers(self):
        return bool(self.answered) or (self.anonymous is not None and self.anonymous.shown)


def feedback_for(assessment, levels):
    """The feedback on one assessment, safe to show to anyone allowed to see the assessment. Two
    queries, three once anonymous answers can be shown."""
    requests = list(assessment.feedback_requests.select_related("respondent").order_by("requested_at"))
    named = [r for r in requests if not r.is_anonymous]
    anonymous = [r for r in requests if r.is_anonymous]
    answered_named = [r for r in named if r.status == FeedbackRequest.Status.ANSWERED]
    answered_anonymous = [r for r in anonymous if r.status == FeedbackRequest.Status.ANSWERED]
    combined = None
    if anonymous:
        combined = Combined(
            asked=sum(1 for r in anonymous if r.status != FeedbackRequest.Status.WITHDRAWN),
            answered=len(answered_anonymous),
            declined=sum(1 for r in anonymous if r.status == FeedbackRequest.Status.DECLINED),
            waiting=sum(1 for r in anonymous if r.is_waiting),
        )
    readable = answered_named + (answered_anonymous if combined is not None and combined.shown else [])
    answers = defaultdict(dict)
    if readable:
        for answer in FeedbackAnswer.objects.filter(request__in=readable).select_related("level"):
            answers[answer.request_id][answer.standard_id] = answer
    for request in answered_named:
        request.answer_for = answers[request.pk]
    if combined is not None and combined.shown:
        _combine(combined, [answers[r.pk] for r in answered_anonymous], [r.overall_comment for r in answered_anonymous], levels)
    return Feedback(
        named=named,
        answered=answered_named,
        anonymous=combined,
        anonymous_names=sorted({r.respondent.full_name for r in anonymous if r.status != FeedbackRequest.Status.WITHDRAWN}),
    )


def _combine(combined, answer_sets, overall_comments, levels):
    by_value = {level.value: level for level in levels}
    ratings, comments = defaultdict(list), defaultdict(list)
    for answer_set in answer_sets:
        for standard_id, answer in answer_set.items():
            if answer.level is not None:
                ratings[standard_id].append(answer.level)
                by_value.setdefault(answer.level.value, answer.level)
            if answer.comment.strip():
                comments[standard_id].append(answer.comment.strip())
    for standard_id in set(ratings) | set(comments):
        rated = ratings[standard_id]
        # The same threshold per standard: a middle of one or two ratings would be someone's own.
        middle = by_value[median_low([level.value for level in rated])] if len(rated) >= ANONYMITY_THRESHOLD else None
        combined.by_standard[standard_id] = {
            "median": middle,
            "rated": len(rated),
            "comments": sorted(comments[standard_id], key=str.casefold),
        }
    combined.overall_comments = sorted((c.strip() for c in overall_comments if c.strip()), key=str.casefold)


@dataclass
class Row:
    standard: object
    rating: object  # StandardRating
    statements: list  # [(Statement, RatingLevel or None)]
    previous: object = None  # RatingLevel last time, or None
    change: str | None = None
    managers: list = field(default_factory=list)  # [(FeedbackRequest, FeedbackAnswer or None)]
    named: list = field(default_factory=list)  # named supervisees, the same shape
    combined: dict | None = None

    @property
    def level(self):
        return self.rating.level

    @property
    def change_label(self):
        return CHANGES[self.change][0] if self.change else ""

    @property
    def change_colour(self):
        return CHANGES[self.change][1] if self.change else ""


def ratings_of(assessment):
    """The assessment's standards' answers with their statements, in the framework's order."""
    statements = StatementRating.objects.select_related("statement", "level").order_by("statement__position")
    return list(
        assessment.ratings.select_related("standard", "level")
        .prefetch_related(Prefetch("statement_ratings", queryset=statements))
        .order_by("standard__position")
    )


def standard_rows(assessment, levels, previous=None, feedback=None, ratings=None):
    ratings = ratings if ratings is not None else ratings_of(assessment)
    by_id = {level.pk: level for level in levels}
    before = {}
    if previous is not None:
        before = {
            standard_id: by_id.get(level_id)
            for standard_id, level_id in StandardRating.objects.filter(assessment=previous).values_list("standard_id", "level_id")
        }
    rows = []
    for rating in ratings:
        row = Row(
            standard=rating.standard,
            rating=rating,
            statements=[(s.statement, s.level) for s in rating.statement_ratings.all()],
        )
        if previous is not None:
            row.previous = before.get(rating.standard_id)
        row.change = change_between(row.previous, rating.level)
        if feedback is not None:
            for request in feedback.answered:
                pair = (request, request.answer_for.get(rating.standard_id))
                if request.relationship == FeedbackRequest.Relationship.LINE_MANAGER:
                    row.managers.append(pair)
                else:
                    row.named.append(pair)
            if feedback.anonymous is not None and feedback.anonymous.shown:
                row.combined = feedback.anonymous.by_standard.get(
                    rating.standard_id, {"median": None, "rated": 0, "comments": []}
                )
        rows.append(row)
    return rows


def _bar(label, level, series, missing="Not rated"):
    return Bar(label, level.value if level is not None else None, level.label if level is not None else missing, series)


def assessment_chart(assessment, rows, levels, previous=None, feedback=None):
    """One group of bars per standard: this assessment, the previous one, and others' ratings."""
    groups = []
    for row in rows:
        bars = [_bar("This self-assessment", row.level, 0)]
        if previous is not None:
            bars.append(_bar(f"{previous.get_round_display()}, {previous.submitted_at:%b %Y}", row.previous, 3))
        for request, answer in row.managers:
            bars.append(_bar(f"Line manager, {request.respondent.full_name}", answer.level if answer else None, 1, "Cannot say"))
        for request, answer in row.named:
            bars.append(_bar(f"Supervisee, {request.respondent.full_name}", answer.level if answer else None, 2, "Cannot say"))
        if row.combined is not None:
            bars.append(_bar("Supervisees (middle rating)", row.combined["median"], 2, "Too few ratings"))
        groups.append(Group(str(row.standard), bars))
    scale = ", ".join(f"{level.value} {level.label}" for level in levels)
    who = "this self-assessment" + (", the one before" if previous is not None else "")
    if feedback is not None and feedback.any_answers:
        who += " and feedback"
    return bar_chart(
        f"chart-{assessment.pk}",
        f"Ratings for each standard: {who}",
        f"Bars for each standard show the rating on the scale {scale}. The table below has the same ratings.",
        groups,
        maximum=max((level.value for level in levels), default=1),
    )


def progress(assessments, levels, ratings=None):
    """A person's submitted assessments against one framework, oldest first: a table of every
    round's rating per standard, and a chart of the latest four (the chart has four colours).
    `ratings`: their StandardRatings with standards, if already loaded for several frameworks."""
    assessments = sorted(assessments, key=lambda a: a.submitted_at)
    by_id = {level.pk: level for level in levels}
    if ratings is None:
        ratings = StandardRating.objects.filter(assessment__in=assessments).select_related("standard")
    ids = {a.pk for a in assessments}
    ratings = sorted((r for r in ratings if r.assessment_id in ids), key=lambda r: r.standard.position)
    standards, cells = {}, defaultdict(dict)
    for rating in ratings:
        standards.setdefault(rating.standard_id, rating.standard)
        cells[rating.standard_id][rating.assessment_id] = by_id.get(rating.level_id)
    table = []
    for standard_id, standard in standards.items():
        levels_in_order = [cells[standard_id].get(a.pk) for a in assessments]
        change = change_between(levels_in_order[-2], levels_in_order[-1]) if len(levels_in_order) > 1 else None
        table.append(
            {
                "standard": standard,
                "levels": levels_in_order,
                "change": change,
                "change_label": CHANGES[change][0] if change else "",
            }
        )
    charted = assessments[-4:]
    groups = [
        Group(
            str(row["standard"]),
            [
                _bar(f"{a.get_round_display()}, {a.submitted_at:%b %Y}", cells[row["standard"].pk].get(a.pk), i)
                for i, a in enumerate(charted)
            ],
        )
        for row in table
    ]
    scale = ", ".join(f"{level.value} {level.label}" for level in levels)
    chart = None
    if assessments:
        chart = bar_chart(
            f"progress-{assessments[0].framework_in_use_id}",
            "Ratings for each standard over time",
            f"For each standard, one bar per self-assessment, oldest first, on the scale {scale}. "
            "The table below has every self-assessment's ratings.",
            groups,
            maximum=max((level.value for level in levels), default=1),
        )
    return {"assessments": assessments, "rows": table, "chart": chart, "charted": len(charted)}
