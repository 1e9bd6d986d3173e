"""Parsing and validation for frameworks. Rules that need the database (a name or number used twice, a
version people have rated against, a level in use) are the actions'; their errors come back to these
forms' fields."""

import re

from django import forms

from trellis.govuk.forms import GovukDateField, GovukRadioSelect
from trellis.workforce.forms import VersionedForm

from .fileformat import MAX_BYTES, MAX_TEXT, FileError, read_upload
from .models import Service

SERVICE_CHOICES = [
    (Service.ADULTS, "Adults"),
    (Service.CHILDREN, "Children"),
    (Service.ANY, "Adults and children"),
]


class RevisedForm(forms.Form):
    """Carries the revision of the framework text the person started editing from (models.Revised)."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _text(label, max_length, required_message, help_text="", required=True, **kwargs):
    field = forms.CharField(
        label=label if required else f"{label} (optional)",
        max_length=max_length,
        required=required,
        help_text=help_text,
        error_messages={
            "required": required_message,
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
        **kwargs,
    )
    return field


def _date(label, help_text):
    return GovukDateField(label=f"{label} (optional)", help_text=help_text, required=False)


def _url(label, help_text):
    return forms.URLField(
        label=f"{label} (optional)",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=help_text,
        error_messages={
            "invalid": f"{label} must be a web address, like https://www.gov.uk/…",
            "max_length": f"{label} must be 500 characters or fewer",
        },
    )


def _service(label, help_text):
    return forms.ChoiceField(
        label=label,
        choices=SERVICE_CHOICES,
        widget=GovukRadioSelect,
        help_text=help_text,
        error_messages={"required": "Select adults, children or both"},
    )


def _clean(form, names):
    for name in names:
        if isinstance(form.cleaned_data.get(name), str):
            form.cleaned_data[name] = form.cleaned_data[name].strip()


# --- What is in force, and rating scales --------------------------------------------------------------


class InUseForm(RevisedForm):
    service = _service("Who works against it", "People work against the frameworks in force for their service.")

    def fields_for_action(self):
        return {"service": self.cleaned_data["service"]}


class RatingLevelForm(VersionedForm):
    label = _text(
        "Name",
        60,
        "Enter a name for the level",
        help_text="What people choose when they rate themselves. For example, Developing.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )
    description = _text(
        "What it means",
        300,
        "",
        help_text="Helps people choose the right level. For example, I do this sometimes, with support.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def level_fields(self):
        _clean(self, ("label", "description"))
        return {"label": self.cleaned_data["label"], "description": self.cleaned_data["description"]}


# --- Frameworks, versions, standards, statements ------------------------------------------------------


class FrameworkForm(RevisedForm):
    name = _text(
        "Name", 250, "Enter the framework's name", help_text="As people will see it. For example, Practice supervision standards."
    )
    short_name = _text(
        "Short name",
        60,
        "Enter a short name",
        help_text="Used in tables and menus. For example, Supervision standards.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )
    service = _service("Who it is for", "Whether it was written for adults' or children's services, or both.")
    publisher = _text(
        "Publisher",
        200,
        "",
        help_text="Who wrote it. For example, your organisation, or a government department.",
        required=False,
    )
    description = _text(
        "Description",
        MAX_TEXT,
        "",
        help_text="What it is for and who uses it.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    FIELDS = ("name", "short_name", "service", "publisher", "description")

    def framework_fields(self):
        _clean(self, self.FIELDS)
        return {name: self.cleaned_data[name] for name in self.FIELDS}


def _missing_numbers(text):
    return [part.strip().rstrip(".").strip() for part in re.split(r"[,;]", text or "") if part.strip().rstrip(".").strip()]


class VersionForm(RevisedForm):
    label = _text(
        "Version",
        60,
        "Enter the version",
        help_text="Usually the year it was published or came into force. For example, 2026.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    effective_from = _date("In force from", "For example, 1 4 2026")
    effective_to = _date("In force until", "Leave this blank if no end date has been set.")
    source = _text("Source", 300, "", help_text="The document this version follows, with its date.", required=False)
    source_url = _url("Source address", "Where people can read the document.")
    checked_note = _text(
        "What was checked",
        MAX_TEXT,
        "",
        help_text="Which standards' wording was checked against the published document, by whom and when.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    missing_standards = _text(
        "Standards not included",
        200,
        "",
        help_text="The numbers of any of the document's standards this version leaves out, separated by commas. For example, 1, 2, 8.",
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )

    FIELDS = ("label", "effective_from", "effective_to", "source", "source_url", "checked_note", "missing_standards")

    def clean_missing_standards(self):
        return _missing_numbers(self.cleaned_data.get("missing_standards"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("effective_from"), cleaned.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", "In force until must be the same as or after in force from")
        return cleaned

    def version_fields(self):
        _clean(self, self.FIELDS)
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class NewFrameworkForm(FrameworkForm):
    """Type a framework: its details and its first version's, on one page."""

    label = VersionForm.base_fields["label"]
    effective_from = VersionForm.base_fields["effective_from"]
    source = VersionForm.base_fields["source"]
    source_url = VersionForm.base_fields["source_url"]

    def version_fields(self):
        _clean(self, ("label", "source"))
        return {name: self.cleaned_data[name] for name in ("label", "effective_from", "source", "source_url")}


class CopyForm(forms.Form):
    """A framework of the organisation's own, starting as a copy of a version."""

    name = FrameworkForm.base_fields["name"]
    short_name = FrameworkForm.base_fields["short_name"]
    service = FrameworkForm.base_fields["service"]
    label = VersionForm.base_fields["label"]

    def copy_fields(self):
        _clean(self, ("name", "short_name", "label"))
        return dict(self.cleaned_data)


class NewVersionForm(forms.Form):
    label = VersionForm.base_fields["label"]
    effective_from = VersionForm.base_fields["effective_from"]
    effective_to = VersionForm.base_fields["effective_to"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("effective_from"), cleaned.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", "In force until must be the same as or after in force from")
        return cleaned

    def version_fields(self):
        _clean(self, ("label",))
        return dict(self.cleaned_data)


class _CheckedFields(forms.Form):
    is_checked = forms.BooleanField(
        label="Checked against the published text",
        required=False,
        help_text="Tick this only if you compared the wording, word for word, with the published document.",
    )
    citation = _url("Where it was checked", "The address of the page or document you checked it against.")


class StandardForm(RevisedForm, _CheckedFields):
    number = _text(
        "Number",
        20,
        "Enter the standard's number",
        help_text="As the framework numbers it. For example, 3.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )
    title = _text("Title", 300, "Enter the standard's title", help_text="The standard's heading, word for word.")

    field_order = ["number", "title", "is_checked", "citation"]
    FIELDS = ("number", "title", "is_checked", "citation")

    def clean_number(self):
        return self.cleaned_data["number"].strip().rstrip(".").strip()

    def standard_fields(self):
        _clean(self, self.FIELDS)
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class StatementForm(RevisedForm, _CheckedFields):
    number = _text(
        "Number",
        20,
        "Enter the statement's number",
        help_text="For example, 3.2.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )
    text = _text("Statement", MAX_TEXT, "Enter the statement", widget=forms.Textarea(attrs={"rows": 4}))

    field_order = ["number", "text", "is_checked", "citation"]
    FIELDS = ("number", "text", "is_checked", "citation")

    def clean_number(self):
        return self.cleaned_data["number"].strip().rstrip(".").strip()

    def statement_fields(self):
        _clean(self, self.FIELDS)
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a framework file",
        help_text="A framework file saved as CSV, Excel (.xlsx) or YAML. Up to 1 MB.",
        error_messages={"required": "Select a framework file", "empty": "The selected file is empty"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 1 MB")
        try:
            self.file_format, self.text = read_upload(upload.read(), upload.name)
        except FileError as error:
            raise forms.ValidationError(str(error)) from error
        return upload
