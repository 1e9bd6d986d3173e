import factory

from trellis.pathway.models import Action, Outcome, Stakeholder


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stakeholder

    name = factory.Sequence(lambda n: f"Stakeholder group {n}")
    role = "Practice supervisors"
    engagement = Stakeholder.Engagement.AWARE


class ActionFactory(factory.django.DjangoModelFactory):
    """For tests that need many rows quickly; behaviour tests create actions through actions.py."""

    class Meta:
        model = Action

    outcome = factory.LazyFunction(lambda: Outcome.objects.get(key="preparation-priorities"))
    description = factory.Sequence(lambda n: f"Action number {n}")
    status = Action.Status.NOT_STARTED
