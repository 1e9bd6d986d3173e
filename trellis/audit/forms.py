from django import forms

from trellis.govuk.forms import GovukDateField


class TrailFilterForm(forms.Form):
    person = forms.ChoiceField(label="Person", required=False)
    record_type = forms.ChoiceField(label="Record type", required=False)
    date_from = GovukDateField(label="From", required=False)
    date_to = GovukDateField(label="To", required=False)

    def __init__(self, *args, people, record_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "Anyone"), *people]
        self.fields["record_type"].choices = [("", "Any record"), *record_types]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "To must be the same as or after From")
        return data
