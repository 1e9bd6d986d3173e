"""Parsing and validation for succession planning. Rules that need the database (one plan per person,
someone who has left) are the actions'; their errors come back to these forms' fields."""

from django import forms

from trellis.govuk.forms import GovukDateField, GovukRadioSelect
from trellis.workforce.forms import VersionedForm, staff_label
from trellis.workforce.models import Service

from .models import ActingUpOffer, ActingUpOpportunity, GapAction, PotentialSupervisor, StageSupport


def _date(label, help_text, required_message, required=True):
    field = GovukDateField(label=label, help_text=help_text, required=required)
    field.error_messages["required"] = required_message
    return field


def _long_date(day):
    return f"{day.day} {day:%B %Y}"


# --- The career development pathway ---------------------------------------------------------------


class StageSupportForm(VersionedForm):
    kind = forms.ChoiceField(
        label="Kind of support",
        choices=StageSupport.Kind.choices,
        widget=GovukRadioSelect,
        error_messages={"required": "Select the kind of support"},
    )
    description = forms.CharField(
        label="What you offer",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Say what the support is and how someone at this stage gets it, in words a practitioner would use.",
        error_messages={"required": "Enter what you offer"},
    )

    def __init__(self, *args, stages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if stages is not None:
            # Only when changing an item: it can move to another stage.
            self.fields["stage"] = forms.ModelChoiceField(
                queryset=stages,
                label="Career stage",
                empty_label=None,
                help_text="Moving it to another stage puts it last at that stage.",
                error_messages={"required": "Select the career stage"},
            )
            self.order_fields(["stage", "kind", "description"])

    def clean_description(self):
        return self.cleaned_data["description"].strip()

    def support_fields(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


# --- Potential practice supervisors -----------------------------------------------------------------


class CandidateForm(VersionedForm):
    identified_on = _date(
        "Date identified",
        "The date of the appraisal or conversation. For example, 14 3 2026",
        "Enter the date they were identified",
    )
    identified_by = forms.ModelChoiceField(
        queryset=None,
        label="Identified by",
        empty_label="Select a manager",
        help_text="The manager who identified them.",
        error_messages={"required": "Select who identified them"},
    )
    source = forms.ChoiceField(
        label="Identified through",
        choices=PotentialSupervisor.Source.choices,
        widget=GovukRadioSelect,
        error_messages={"required": "Select how they were identified"},
    )
    strengths = forms.CharField(
        label="Strengths",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What they do well that a practice supervisor needs. For example, reflective, calm under pressure, "
        "helps newly qualified colleagues.",
        error_messages={"required": "Enter their strengths"},
    )
    best_placed_team = forms.ModelChoiceField(
        queryset=None,
        label="Where they might be best placed: team (optional)",
        required=False,
        empty_label="No particular team",
    )
    best_placed_service = forms.ChoiceField(
        label="Where they might be best placed: service (optional)",
        choices=[*Service.choices, ("", "Either")],
        required=False,
        widget=GovukRadioSelect(inline=True),
    )
    readiness = forms.ChoiceField(
        label="Readiness",
        choices=PotentialSupervisor.Readiness.choices,
        widget=GovukRadioSelect,
        help_text="How soon they could step up to a practice supervisor role, with support.",
        error_messages={"required": "Select how ready they are"},
    )

    def __init__(self, *args, people=None, managers, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["identified_by"].queryset = managers
        self.fields["identified_by"].label_from_instance = staff_label
        self.fields["best_placed_team"].queryset = teams
        if people is not None:
            # Only when recording someone new: who. A plan never moves to another person.
            self.fields["staff"] = forms.ModelChoiceField(
                queryset=people,
                label="Person",
                empty_label="Select a person",
                help_text="Someone in your workforce register who is still in post.",
                error_messages={"required": "Select the person you are recording"},
            )
            self.fields["staff"].label_from_instance = staff_label
            self.order_fields(["staff"])

    def clean_strengths(self):
        return self.cleaned_data["strengths"].strip()

    def candidate_fields(self):
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "staff")}

    @staticmethod
    def initial_for(candidate):
        return {
            "version": candidate.version,
            "identified_on": candidate.identified_on,
            "identified_by": candidate.identified_by_id,
            "source": candidate.source,
            "strengths": candidate.strengths,
            "best_placed_team": candidate.best_placed_team_id,
            "best_placed_service": candidate.best_placed_service,
            "readiness": candidate.readiness,
        }


class CloseCandidateForm(VersionedForm):
    status = forms.ChoiceField(
        label="Why is this plan closing?",
        choices=[
            (PotentialSupervisor.Status.APPOINTED, "Appointed as a practice supervisor"),
            (PotentialSupervisor.Status.WITHDRAWN, "No longer in the pipeline"),
        ],
        widget=GovukRadioSelect,
        error_messages={"required": "Select why the plan is closing"},
    )
    closed_on = _date("Date", "When they were appointed, or when it was decided. For example, 1 4 2026", "Enter the date")
    closing_note = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, appointed to the Assessment North team, or chose to stay in direct practice for now.",
        error_messages={"required": "Enter the reason"},
    )

    def clean_closing_note(self):
        return self.cleaned_data["closing_note"].strip()


class GapActionForm(VersionedForm):
    kind = forms.ChoiceField(
        label="Kind of action",
        choices=GapAction.Kind.choices,
        widget=GovukRadioSelect,
        error_messages={"required": "Select the kind of action"},
    )
    description = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What will be done to close a gap. For example, shadow a practice supervisor in three supervision sessions.",
        error_messages={"required": "Enter the action"},
    )
    owner = forms.ModelChoiceField(
        queryset=None,
        label="Owner",
        empty_label="Select an owner",
        help_text="Who makes sure it happens: the person themselves, their manager, a mentor.",
        error_messages={"required": "Select who owns this action"},
    )
    due_date = _date("Date to be completed", "For example, 30 6 2027", "Enter the date it should be completed by")
    status = forms.ChoiceField(
        label="Status",
        choices=GapAction.Status.choices,
        widget=GovukRadioSelect,
        error_messages={"required": "Select the status"},
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = staff_label

    def clean_description(self):
        return self.cleaned_data["description"].strip()

    def gap_fields(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    @staticmethod
    def initial_for(gap):
        return {
            "version": gap.version,
            "kind": gap.kind,
            "description": gap.description,
            "owner": gap.owner_id,
            "due_date": gap.due_date,
            "status": gap.status,
        }


class GapStatusForm(VersionedForm):
    status = forms.ChoiceField(label="Status", choices=GapAction.Status.choices, error_messages={"required": "Select a status"})


# --- Acting-up opportunities --------------------------------------------------------------------------


class OpportunityForm(VersionedForm):
    team = forms.ModelChoiceField(
        queryset=None, label="Team", empty_label="Select a team", error_messages={"required": "Select the team"}
    )
    stage = forms.ModelChoiceField(
        queryset=None,
        label="Acting up as",
        empty_label=None,
        help_text="The role being covered.",
        error_messages={"required": "Select the role being covered"},
    )
    start_date = _date("Start date", "For example, 5 1 2027", "Enter the start date")
    end_date = _date("End date", "For example, 30 4 2027", "Enter the end date")
    reason = forms.ChoiceField(
        label="Reason for the cover",
        choices=ActingUpOpportunity.Reason.choices,
        widget=GovukRadioSelect,
        error_messages={"required": "Select the reason for the cover"},
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, what support the person acting up will have, or who to ask about it.",
    )

    def __init__(self, *args, teams, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["stage"].queryset = stages

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", f"The end date must be on or after the start date, {_long_date(start)}")
        return data

    def opportunity_fields(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    @staticmethod
    def initial_for(opportunity):
        return {
            "version": opportunity.version,
            "team": opportunity.team_id,
            "stage": opportunity.stage_id,
            "start_date": opportunity.start_date,
            "end_date": opportunity.end_date,
            "reason": opportunity.reason,
            "notes": opportunity.notes,
        }


def candidate_label(candidate):
    team = candidate.staff.team.name if candidate.staff.team else "no team"
    return f"{candidate.staff.full_name} ({candidate.get_readiness_display().lower()}, {team})"


class OfferForm(forms.Form):
    candidates = forms.ModelMultipleChoiceField(
        queryset=None,
        label="Offer it to",
        widget=forms.CheckboxSelectMultiple,
        help_text="People in the pipeline who have not been offered it yet. Select all that apply.",
        error_messages={"required": "Select at least one person to offer it to"},
    )
    offered_on = _date("Date offered", "For example, 2 12 2026", "Enter the date it was offered")

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = candidates
        self.fields["candidates"].label_from_instance = candidate_label


class ResponseForm(forms.Form):
    response = forms.ChoiceField(choices=ActingUpOffer.Response.choices, error_messages={"required": "Select an answer"})


ASSIGN_GROUPS = (
    (ActingUpOffer.Response.ACCEPTED, "Accepted the offer"),
    (ActingUpOffer.Response.OFFERED, "Offered, no answer yet"),
    (ActingUpOffer.Response.DECLINED, "Declined the offer"),
    (None, "Not offered it"),
)


class AssignForm(VersionedForm):
    staff = forms.ChoiceField(
        label="Who will act up",
        help_text="Normally someone who accepted the offer. Anyone else in post can be chosen too.",
        error_messages={"required": "Select who will act up", "invalid_choice": "Select who will act up"},
    )
    assigned_on = _date("Date assigned", "When it was agreed. For example, 3 12 2026", "Enter the date it was agreed")

    def __init__(self, *args, people, responses, confirm=False, **kwargs):
        """`people`: current staff; `responses`: staff id -> their answer to an offer of this opportunity.
        `confirm` adds the box that assigns someone who has not accepted an offer."""
        super().__init__(*args, **kwargs)
        self.people = {str(person.pk): person for person in people}
        groups = {key: [] for key, _label in ASSIGN_GROUPS}
        for person in people:
            groups[responses.get(person.pk)].append((str(person.pk), staff_label(person)))
        self.fields["staff"].choices = [
            ("", "Select a person"),
            *[(label, groups[key]) for key, label in ASSIGN_GROUPS if groups[key]],
        ]
        if confirm:
            self.fields["even_if_not_accepted"] = forms.BooleanField(
                label="Assign them anyway",
                required=False,
                help_text="They have not accepted an offer of this opportunity. Make sure they have agreed to act up.",
            )

    def clean_staff(self):
        return self.people[self.cleaned_data["staff"]]

    def assign_fields(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


# --- Filters ------------------------------------------------------------------------------------------


class PipelineFilterForm(forms.Form):
    service = forms.ChoiceField(label="Service", required=False, choices=[("", "Both services"), *Service.choices])

    def filters(self):
        return {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}


CANDIDATE_STATUS_CHOICES = [
    ("active", "In the pipeline"),
    ("appointed", "Appointed"),
    ("withdrawn", "No longer in the pipeline"),
    ("all", "All plans"),
]


class CandidateFilterForm(forms.Form):
    """The list of plans' filters. Invalid values are ignored rather than shown as errors."""

    status = forms.ChoiceField(label="Show", required=False, choices=CANDIDATE_STATUS_CHOICES)
    readiness = forms.ChoiceField(
        label="Readiness", required=False, choices=[("", "Any readiness"), *PotentialSupervisor.Readiness.choices]
    )
    service = forms.ChoiceField(label="Service", required=False, choices=[("", "Both services"), *Service.choices])
    team = forms.ChoiceField(label="Team", required=False)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "All teams"), *[(str(pk), name) for pk, name in teams]]

    def filters(self):
        return {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}


class OpportunityFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Show", required=False, choices=[("", "All opportunities"), *ActingUpOpportunity.Status.choices]
    )

    def filters(self):
        return {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}
