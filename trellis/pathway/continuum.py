"""The organisation's position on the five-stage continuum, derived from its outcomes."""

from dataclasses import dataclass, field

from .models import Action, Outcome, OutcomeProgress, Stage


@dataclass
class OutcomeState:
    outcome: Outcome
    progress: OutcomeProgress | None

    @property
    def is_achieved(self):
        return self.progress is not None and self.progress.is_achieved


@dataclass
class StageState:
    stage: Stage
    outcomes: list[OutcomeState]
    counts: dict = field(default_factory=dict)
    is_current: bool = False

    @property
    def achieved(self):
        return sum(1 for o in self.outcomes if o.is_achieved)

    @property
    def is_complete(self):
        """A stage is complete when all its outcomes are marked achieved."""
        return bool(self.outcomes) and self.achieved == len(self.outcomes)

    @property
    def completed_on(self):
        if not self.is_complete:
            return None
        return max(o.progress.achieved_on for o in self.outcomes if o.progress.achieved_on)

    def count(self, status):
        return self.counts.get(status, 0)


def continuum(membership):
    """Every stage with its outcomes, progress and action counts, in a fixed number of queries."""
    stages = list(Stage.objects.order_by("position"))
    outcomes = list(Outcome.objects.filter(retired=False).order_by("stage__position", "position"))
    # updated_by__user: the stage page shows who last updated each outcome; without it that is two
    # queries per outcome with progress, so the query count would depend on the data.
    progress = {p.outcome_id: p for p in OutcomeProgress.objects.visible_to(membership).select_related("updated_by__user")}
    counts = Action.objects.visible_to(membership).counts_by_stage()
    states = [
        StageState(
            stage=stage,
            outcomes=[OutcomeState(o, progress.get(o.pk)) for o in outcomes if o.stage_id == stage.pk],
            counts=counts.get(stage.pk, {}),
        )
        for stage in stages
    ]
    current = next((s for s in states if not s.is_complete), None)
    if current is not None:
        current.is_current = True
    return states


def current_stage(states):
    """The first stage not yet complete; None when the organisation has reached full implementation."""
    return next((s for s in states if s.is_current), None)
