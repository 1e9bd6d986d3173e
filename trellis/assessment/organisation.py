"""The organisation's view across self-assessments, for admins and senior leaders: which standards
people rate themselves strongest in, and which they most often choose as a priority learning need,
for the whole organisation, by service or by cohort.

Each person counts once, with their latest submitted self-assessment against the framework, if they
are still in post. Only counts leave this module, suppressed as the retention figures are: a group of
fewer than 5 people shows nothing; a count from 1 to 4 is "fewer than 5"; a count within 4 of its
group's size is "not shown", since the few people it leaves out could otherwise be worked out (one of
them knows their own answer); and when groups are hidden, more are, until the hidden ones cannot be
worked out by taking the others from the whole organisation's figure. Never one person's ratings.

The cohort is the person's when they submitted: in their first 12 months as a practice supervisor,
experienced, or not yet a supervisor (an aspiring one). Six queries, whatever the numbers.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Subquery
from django.utils import timezone

from trellis.frameworks.models import Standard
from trellis.govuk.charts import Bar, Group, bar_chart
from trellis.workforce.models import StaffRecord
from trellis.workforce.queries import current_q, year_before

from .models import SelfAssessment, StandardRating

SMALL = 5
FEWER_THAN_5 = "fewer than 5"
NOT_SHOWN = "not shown"

GROUPINGS = [("organisation", "Whole organisation"), ("service", "Service"), ("cohort", "Cohort")]
SERVICES = [("adults", "Adults"), ("children", "Children")]
COHORTS = [
    ("first_year", "First 12 months as a supervisor"),
    ("experienced", "Experienced supervisors"),
    ("not_supervisor", "Not yet supervisors"),
]


@dataclass
class Figure:
    count: int | None  # None when suppressed
    total: int
    text: str
    small_group: bool = False  # hidden because the whole group is smaller than SMALL

    @property
    def share(self):
        return self.count / self.total if self.count is not None and self.total else None


def figure(count, total):
    """A count of people out of `total`, or the reason it is hidden."""
    if total < SMALL:
        return Figure(None, total, FEWER_THAN_5 + " people", small_group=True)
    if 0 < count < SMALL:
        return Figure(None, total, FEWER_THAN_5)
    if 0 < total - count < SMALL:
        return Figure(None, total, NOT_SHOWN)
    return Figure(count, total, f"{count} ({round(100 * count / total)}%)")


def protect(whole, parts):
    """Hide more of a row's groups until the hidden ones cannot be worked out by taking the groups
    shown from the whole organisation's figure: the people in them, together, are 5 or more, and so
    are those counted and those not. The smallest group shown goes first. Returns the new cells."""
    parts = list(parts)
    if whole.count is None:
        return parts  # every group's count is then a part of a hidden count, hidden too
    while True:
        shown = [i for i, cell in enumerate(parts) if cell.count is not None]
        size = whole.total - sum(parts[i].total for i in shown)
        count = whole.count - sum(parts[i].count for i in shown)
        if size == 0 or not shown or (size >= SMALL and count not in range(1, SMALL) and size - count not in range(1, SMALL)):
            return parts
        smallest = min(shown, key=lambda i: (parts[i].total, i))
        parts[smallest] = Figure(None, parts[smallest].total, NOT_SHOWN)


def cohort_on(staff, day):
    """Which cohort someone was in on the day they submitted."""
    since = getattr(staff, "supervisory_since", None)
    if not getattr(staff, "current_stage_supervisory", False) or since is None or since > day:
        return "not_supervisor"
    return "first_year" if since > year_before(day) else "experienced"


def strong_levels(levels):
    """The top half of the scale (the middle step of an odd-length scale is not strong)."""
    if not levels:
        return []
    values = [level.value for level in levels]
    middle = (min(values) + max(values)) / 2
    return [level for level in levels if level.value > middle]


def organisation_view(membership, framework_in_use, grouping="organisation", today=None):
    today = today or timezone.localdate()
    levels = list(framework_in_use.levels.order_by("value"))
    strong = strong_levels(levels)
    strong_values = {level.value for level in strong}
    standards = list(Standard.objects.filter(version_id=framework_in_use.version_id).order_by("position"))
    latest = (
        SelfAssessment.objects.visible_to(membership)
        .filter(framework_in_use=framework_in_use)
        .latest_submitted()
        .filter(current_q(today, "staff__"))
    )
    assessments = list(latest.values_list("pk", "staff_id", "submitted_at"))
    people = {
        person.pk: person
        for person in StaffRecord.objects.visible_to(membership)
        .filter(pk__in=Subquery(latest.values("staff_id")))
        .with_current_stage()
        .with_supervisory_since(today)
        .only("pk", "service")
    }
    ratings = StandardRating.objects.filter(assessment__in=Subquery(latest.values("pk"))).values_list(
        "assessment_id", "standard_id", "level__value", "is_priority"
    )

    def group_of(staff_id, submitted_at):
        person = people[staff_id]
        if grouping == "service":
            return person.service
        if grouping == "cohort":
            return cohort_on(person, timezone.localtime(submitted_at).date())
        return "all"

    group_by_assessment = {pk: group_of(staff_id, at) for pk, staff_id, at in assessments if staff_id in people}
    columns = {"service": SERVICES, "cohort": COHORTS}.get(grouping, [])
    if grouping == "service" and framework_in_use.service != "any":
        columns = [c for c in columns if c[0] == framework_in_use.service]
    sizes = defaultdict(int)
    for group in group_by_assessment.values():
        sizes[group] += 1
    rated, strong_count, priority = (defaultdict(lambda: defaultdict(int)) for _ in range(3))
    for assessment_id, standard_id, value, is_priority in ratings:
        group = group_by_assessment.get(assessment_id)
        if group is None or value is None:
            continue
        for key in {group, "all"}:
            rated[standard_id][key] += 1
            strong_count[standard_id][key] += value in strong_values
            priority[standard_id][key] += bool(is_priority)
    total = len(group_by_assessment)
    sizes["all"] = total
    keys = ["all", *(key for key, _label in columns)]

    def rows(counts):
        table = []
        for standard in standards:
            cells = [figure(counts[standard.pk][key], rated[standard.pk][key] or sizes[key]) for key in keys]
            cells[1:] = protect(cells[0], cells[1:])
            table.append({"standard": standard, "cells": cells})
        # Ordered by the whole organisation's share; hidden figures last, in the framework's order, so
        # the order gives nothing away that the figures hide.
        table.sort(key=lambda row: (row["cells"][0].share is None, -(row["cells"][0].share or 0)))
        return table

    headings = [("all", "Whole organisation"), *columns]
    strongest, needs = rows(strong_count), rows(priority)
    strong_label = f"{strong[0].label} or above" if strong else "Strong"
    return {
        "levels": levels,
        "strong_label": strong_label,
        "total": total,
        "enough": total >= SMALL,
        # A group's size is hidden like any count: "fewer than 5" people.
        "headings": [
            {"key": key, "label": label, "size": sizes[key] if sizes[key] >= SMALL else None} for key, label in headings
        ],
        "strongest": strongest,
        "needs": needs,
        "captions": {
            "strongest": f"People rating themselves {strong_label.lower()}, by standard",
            "needs": "People choosing each standard as a priority learning need",
        },
        "charts": {
            "strongest": _chart("strongest", f"Share of people rating themselves {strong_label.lower()}", strongest, headings),
            "needs": _chart("needs", "Share of people choosing each standard as a priority learning need", needs, headings),
        },
    }


def _chart(chart_id, title, table, headings):
    groups = [
        Group(
            str(row["standard"]),
            [
                Bar(label, 100 * cell.share if cell.share is not None else None, cell.text, series)
                for series, ((_key, label), cell) in enumerate(zip(headings, row["cells"], strict=True))
            ],
        )
        for row in table
    ]
    return bar_chart(
        f"organisation-{chart_id}",
        title,
        f"{title}, for each standard, as a percentage of the people in each group. The table beside it has the same "
        "figures; small numbers are hidden.",
        groups,
        maximum=100,
    )
