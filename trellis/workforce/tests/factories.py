import datetime

import factory

from trellis.workforce.models import CareerStage, StaffRecord, StageHistory, Team


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    service = "children"


class StaffRecordFactory(factory.django.DjangoModelFactory):
    """For tests that need many rows quickly; behaviour tests create records through actions.py."""

    class Meta:
        model = StaffRecord

    full_name = factory.Sequence(lambda n: f"Person {n:04d}")
    employee_ref = factory.Sequence(lambda n: f"E{n:05d}")
    service = "children"
    employment_type = StaffRecord.EmploymentType.PERMANENT
    start_date = datetime.date(2020, 1, 6)


class StageHistoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StageHistory

    organisation = factory.SelfAttribute("staff.organisation")
    start_date = factory.SelfAttribute("staff.start_date")
    kind = StageHistory.Kind.APPOINTMENT


def stage(organisation, name):
    return CareerStage.objects.get(organisation=organisation, name=name)
