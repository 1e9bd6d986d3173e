from django import forms
from django.utils import timezone

from trellis.govuk.forms import GovukDateField, GovukRadioSelect

from .models import Action, Outcome, Stakeholder


class VersionedForm(forms.Form):
    """Carries the version the person started editing from, so a stale save can be refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class OwnerChoiceField(forms.ChoiceField):
    """One list of owners: the organisation's members, then its named stakeholders."""

    def __init__(self, *, members, stakeholders, **kwargs):
        choices = [("", "Choose an owner")]
        choices.append(("Members of the organisation", [(f"m:{m.pk}", m.user.full_name) for m in members]))
        if stakeholders:
            choices.append(("Stakeholders", [(f"s:{s.pk}", f"{s.name} ({s.role})") for s in stakeholders]))
        self.members = {str(m.pk): m for m in members}
        self.stakeholders = {str(s.pk): s for s in stakeholders}
        super().__init__(choices=choices, **kwargs)

    def owner_fields(self, value):
        kind, _, pk = (value or "").partition(":")
        return {
            "owner_member": self.members.get(pk) if kind == "m" else None,
            "owner_stakeholder": self.stakeholders.get(pk) if kind == "s" else None,
        }


def owner_value(action):
    if action.owner_member_id:
        return f"m:{action.owner_member_id}"
    if action.owner_stakeholder_id:
        return f"s:{action.owner_stakeholder_id}"
    return ""


class ActionForm(VersionedForm):
    outcome = forms.ModelChoiceField(
        queryset=Outcome.objects.none(),
        to_field_name="key",
        empty_label=None,
        label="Outcome",
        error_messages={"required": "Select the outcome this action works towards"},
    )
    description = forms.CharField(
        label="Action(s)",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the action(s)"},
        help_text="What will be done. Keep it specific enough that you will know when it is complete.",
    )
    support_needed = forms.CharField(label="Support needed", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ChoiceField(label="Owner")  # replaced in __init__
    due_date = GovukDateField(label="Date to be completed", required=False, help_text="For example, 27 3 2027")
    status = forms.ChoiceField(label="Status", choices=Action.Status.choices, widget=GovukRadioSelect)

    field_order = ["outcome", "description", "support_needed", "owner", "due_date", "status"]

    def __init__(self, *args, outcomes, members, stakeholders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].queryset = outcomes
        self.fields["outcome"].label_from_instance = lambda o: f"{o.stage.name}: {o.text}"
        self.fields["owner"] = OwnerChoiceField(
            members=members,
            stakeholders=stakeholders,
            label="Owner",
            help_text="A member of the organisation, or a stakeholder from your stakeholder register.",
            error_messages={"required": "Select who owns this action"},
        )

    def clean_description(self):
        return self.cleaned_data["description"].strip()

    def action_fields(self):
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.update(self.fields["owner"].owner_fields(data.pop("owner")))
        return data

    @staticmethod
    def initial_for(action):
        return {
            "version": action.version,
            "outcome": action.outcome.key,
            "description": action.description,
            "support_needed": action.support_needed,
            "owner": owner_value(action),
            "due_date": action.due_date,
            "status": action.status,
        }


class StatusForm(VersionedForm):
    status = forms.ChoiceField(label="Status", choices=Action.Status.choices)
    comment = forms.CharField(
        label="Progress update (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Say what changed, for example why it is blocked.",
    )


class ProgressUpdateForm(forms.Form):
    text = forms.CharField(
        label="Progress update",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a progress update"},
    )


class OutcomeProgressForm(VersionedForm):
    is_achieved = forms.TypedChoiceField(
        label="Has the organisation achieved this outcome?",
        choices=[("yes", "Achieved"), ("no", "Not yet")],
        coerce=lambda v: v == "yes",
        widget=GovukRadioSelect(inline=True),
        error_messages={"required": "Select achieved or not yet"},
    )
    achieved_on = GovukDateField(label="Date achieved", required=False, help_text="Leave blank for today.")
    evidence = forms.CharField(
        label="Evidence",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What shows this outcome is achieved, or what is still needed.",
    )

    def __init__(self, *args, evidence_choices=(), current_link=("", ""), **kwargs):
        """`evidence_choices`: [(path, label)] of records in Trellis that can evidence this outcome
        (pathway/evidence.py); the link saved before stays a choice even if its record has gone."""
        super().__init__(*args, **kwargs)
        choices = list(evidence_choices)
        if current_link[0] and current_link[0] not in {path for path, _label in choices}:
            choices.append(current_link)
        self.links = dict(choices)
        if choices:
            self.fields["evidence_link"] = forms.ChoiceField(
                label="Evidence in Trellis (optional)",
                required=False,
                choices=[("", "None"), *choices],
                widget=GovukRadioSelect,
                help_text="A record in Trellis that shows this outcome is achieved. It is linked from the stage page.",
                error_messages={"invalid_choice": "Select evidence from the list"},
            )

    def clean(self):
        data = super().clean()
        achieved_on = data.get("achieved_on")
        if achieved_on and achieved_on > timezone.localdate():
            self.add_error("achieved_on", "Date achieved must be today or in the past")
        return data

    def evidence_link(self):
        """(path, label) to save, ("", "") for none, or None when the form offered no choice."""
        if "evidence_link" not in self.fields:
            return None
        path = self.cleaned_data.get("evidence_link") or ""
        return (path, self.links.get(path, "")) if path else ("", "")


class ReflectionForm(VersionedForm):
    answer = forms.CharField(
        label="Your answer",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter your answer to the reflective question"},
    )


class StakeholderForm(VersionedForm):
    """A group, or one person, perhaps picked from the workforce register: then their name and job
    title fill the name and role left blank."""

    staff = forms.ModelChoiceField(
        queryset=None,
        label="Pick a person from the workforce register (optional)",
        required=False,
        empty_label="Not a person in the register",
        help_text="Leave name and role blank to use theirs.",
    )
    name = forms.CharField(label="Name or group", max_length=200, required=False)
    role = forms.CharField(
        label="Role",
        max_length=200,
        required=False,
        help_text="For example practice supervisors, senior leaders, Principal Social Worker.",
    )
    engagement = forms.ChoiceField(
        label="How engaged are they?",
        choices=Stakeholder.Engagement.choices,
        widget=GovukRadioSelect,
        error_messages={"required": "Select how engaged they are"},
    )
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda s: f"{s.full_name} ({s.employee_ref})"
        if not staff.exists():
            del self.fields["staff"]
            self.fields["name"].required = self.fields["role"].required = True
            self.fields["name"].error_messages["required"] = "Enter the stakeholder's name or group"
            self.fields["role"].error_messages["required"] = "Enter the stakeholder's role"

    def clean(self):
        data = super().clean()
        person = data.get("staff")
        data["name"] = (data.get("name") or "").strip() or (person.full_name if person else "")
        data["role"] = (data.get("role") or "").strip() or (person.job_title or "Member of staff" if person else "")
        if not data["name"] and "name" not in self.errors:
            self.add_error("name", "Enter the stakeholder's name or group, or pick a person from the register")
        if not data["role"] and "role" not in self.errors:
            self.add_error("role", "Enter the stakeholder's role")
        return data


class ActionFilterForm(forms.Form):
    """The action list's filters. Invalid values are ignored rather than shown as errors."""

    stage = forms.ChoiceField(label="Stage", required=False)
    outcome = forms.ChoiceField(label="Outcome", required=False)
    owner = forms.ChoiceField(label="Owner", required=False)
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *Action.Status.choices])
    overdue = forms.BooleanField(label="Only overdue actions", required=False)
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("due", "Date to be completed, soonest first"),
            ("-due", "Date to be completed, latest first"),
            ("-updated", "Recently changed"),
        ],
    )

    def __init__(self, *args, stages, outcomes, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", "All stages"), *[(s.key, s.name) for s in stages]]
        self.fields["outcome"].choices = [("", "All outcomes"), *[(o.key, o.text) for o in outcomes]]
        self.fields["owner"].choices = [("", "Anyone"), *owners]

    def filters(self):
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if k != "sort" and v}
