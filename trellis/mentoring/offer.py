"""The coaching and mentoring offer made first to people from groups the organisation names.

Two reads, for two audiences. `waiting_list` is for the admins who may see one person's equality
answers: the people the offer is for (supervisors, and people in the succession pipeline stepping up
to be one) who have no mentor or coach, those in the named groups first. `offer_report` is for
everyone else: how the mentees compare with the workforce, as counts with small numbers suppressed
the way the oversight figures do it (`insights.figures.suppress`), so no one person can be picked out.
"""

from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone

from trellis.insights.figures import LOWER_RATIO, suppress
from trellis.talent.models import PotentialSupervisor
from trellis.workforce.models import EqualityRecord, StaffRecord, StageHistory
from trellis.workforce.queries import current_q

from .models import MentorProfile, Mentorship, group_label


def groups_q(groups, prefix=""):
    """People whose equality answers put them in any of `groups` ("field:value"), as a Q."""
    condition = Q()
    for group in groups:
        name, _, value = group.partition(":")
        condition |= Q(**{f"{prefix}{name}": value})
    return condition


def _in_groups(answers, groups):
    return any(answers.get(name) == value for name, _, value in (g.partition(":") for g in groups))


def waiting_list(membership, offer, today=None):
    """Current supervisors and people in the pipeline with no open mentoring or coaching who do not
    mentor others, as a queryset:
    in a named group first (when the offer says so), then new supervisors, then the pipeline, by name.

    Equality answers are read through `visible_to`, so for anyone who may not see them nobody is in a
    group; the view asks for `mentoring.view_waiting_list` before it gets here anyway.
    """
    today = today or timezone.localdate()
    supervisory = StageHistory.objects.filter(staff=OuterRef("pk"), end_date__isnull=True, stage__is_supervisory=True)
    pipeline = PotentialSupervisor.objects.filter(staff=OuterRef("pk"), status=PotentialSupervisor.Status.ACTIVE)
    mentored = Mentorship.objects.filter(mentee=OuterRef("pk"), ended_on__isnull=True)
    # People who mentor or coach others are giving the offer, not waiting for it.
    mentors = MentorProfile.objects.filter(staff=OuterRef("pk"))
    rows = (
        StaffRecord.objects.visible_to(membership)
        .current(today)
        .annotate(
            is_supervisor=Exists(supervisory), in_pipeline=Exists(pipeline), mentored=Exists(mentored), mentors=Exists(mentors)
        )
        .filter(Q(is_supervisor=True) | Q(in_pipeline=True), mentored=False, mentors=False)
        .with_current_stage()
        .with_supervisory_since(today)
        .select_related("team")
    )
    if offer.offer_first and offer.groups:
        answers = EqualityRecord.objects.visible_to(membership).filter(groups_q(offer.groups), staff=OuterRef("pk"))
        rows = rows.annotate(offer_first=Exists(answers))
    else:
        rows = rows.annotate(offer_first=Value(False, output_field=BooleanField()))
    # New supervisors first, then people stepping up from the pipeline, then established supervisors.
    rank = Case(When(is_supervisor=True, in_first_year=True, then=0), When(is_supervisor=False, then=1), default=2)
    return rows.annotate(rank=rank).order_by(F("offer_first").desc(), "rank", "full_name")


def _percent(count, total):
    return f"{round(100 * count / total)}%" if total else "–"


def offer_report(organisation, offer, today=None):
    """Mentees (people in an open relationship) against the workforce (current staff), for each group
    the organisation named and for all of them together. Three queries; only suppressed counts leave.

    Each cell is suppressed against its complement in the same population ([in the group, not in it]),
    so neither a small count nor one worked out from the total can be read.
    """
    today = today or timezone.localdate()
    workforce = set(StaffRecord.objects.filter(current_q(today), organisation=organisation).values_list("pk", flat=True))
    mentees = (
        set(Mentorship.objects.filter(organisation=organisation, ended_on__isnull=True).values_list("mentee_id", flat=True))
        & workforce
    )
    fields = sorted({group.partition(":")[0] for group in offer.groups})
    # Read by organisation, not `visible_to`: this is an aggregate for people who may not see one
    # person's answers. The answers are counted and dropped here.
    answers = {
        row[0]: dict(zip(fields, row[1:], strict=True))
        for row in EqualityRecord.objects.filter(organisation=organisation, staff_id__in=workforce).values_list(
            "staff_id", *fields
        )
    }
    populations = (("workforce", "Workforce", workforce), ("mentees", "Mentored or coached now", mentees))
    groups = [(group, group_label(group)) for group in offer.groups if group_label(group)]
    if len(groups) > 1:
        groups.append((None, "In any of these groups"))
    rows = []
    for group, label in groups:
        chosen = [group] if group else [g for g, _ in groups if g]
        cells = []
        workforce_share = None
        for key, _label, people in populations:
            count = sum(1 for pk in people if _in_groups(answers.get(pk, {}), chosen))
            total = len(people)
            mark = suppress([count, total - count])[0]
            share = count / total if total and mark is None else None
            if key == "workforce":
                workforce_share = share
            cells.append(
                {
                    "population": key,
                    "count": count if mark is None else None,
                    "shown": mark or str(count),
                    "share": _percent(count, total) if share is not None else None,
                    "ratio": share / workforce_share if key != "workforce" and share is not None and workforce_share else None,
                }
            )
        for cell in cells:
            cell["lower"] = cell["ratio"] is not None and cell["ratio"] < LOWER_RATIO
            cell["ratio"] = f"{cell['ratio']:.2f}" if cell["ratio"] is not None else None
        rows.append({"label": label, "cells": cells})
    return {
        "populations": [{"key": key, "label": label, "total": len(people)} for key, label, people in populations],
        "rows": rows,
    }
