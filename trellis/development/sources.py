"""What the other parts of people's development records say, for many people at once (My team,
coverage). `development` is the top of issue 5's apps (ADR 0011) and reads their models; each read is
one query whatever the number of people, and answers "nothing" for a part that is not installed.
"""

import datetime

from django.apps import apps
from django.utils import timezone

from trellis.workforce.queries import year_before


def _model(label):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def mentored(ids):
    """Ids of the people with an open mentoring or coaching relationship."""
    Mentorship = _model("mentoring.Mentorship")
    if Mentorship is None:
        return set()
    rows = Mentorship.objects.filter(mentee__in=ids, ended_on__isnull=True)
    return set(rows.values_list("mentee_id", flat=True))


def first_years(ids, today=None):
    """{person id: their open first 12 months, with checklist progress} from induction."""
    FirstYear = _model("induction.FirstYear")
    if FirstYear is None:
        return {}
    rows = FirstYear.objects.filter(staff__in=ids, status="open").with_progress(today)
    return {row.staff_id: row for row in rows}


def latest_self_assessments(ids):
    """{person id: the date of their latest submitted self-assessment}."""
    SelfAssessment = _model("assessment.SelfAssessment")
    if SelfAssessment is None:
        return {}
    from django.db.models import Max

    rows = (
        SelfAssessment.objects.filter(staff__in=ids, submitted_at__isnull=False)
        .values("staff_id")
        .annotate(latest=Max("submitted_at"))
        .order_by()
    )
    return {row["staff_id"]: _as_date(row["latest"]) for row in rows}


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date()
    return value


def is_current_assessment(day, today=None):
    """Submitted in the last 12 months."""
    return day is not None and day > year_before(today or timezone.localdate())


def mentees_of(staff):
    """The people `staff` mentors or coaches now, with the kind of relationship, by name."""
    Mentorship = _model("mentoring.Mentorship")
    if Mentorship is None:
        return []
    rows = Mentorship.objects.filter(mentor=staff, ended_on__isnull=True).select_related("mentee").order_by("mentee__full_name")
    return [(row.mentee, row.get_kind_display()) for row in rows]
