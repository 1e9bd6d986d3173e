"""Form rendering in GOV.UK Frontend markup: renderer, date input and the field types we use."""

import datetime

from django import forms
from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"


class GovukDateWidget(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes, not a date picker."""

    template_name = "govuk/forms/date_input.html"
    parts = ("day", "month", "year")

    def __init__(self, attrs=None):
        widgets = {part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in self.parts}
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        if isinstance(value, dict):  # what the person typed, re-shown when it was not a real date
            return [value.get(part) for part in self.parts]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        day, month, year = (data.get(f"{name}_{part}", "").strip() for part in self.parts)
        if not (day or month or year):
            return None
        if not (day and month and year):
            return {"day": day, "month": month, "year": year, "incomplete": True}
        return {"day": day, "month": month, "year": year}

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}_{part}" in data for part in self.parts)

    def format_value(self, value):
        if isinstance(value, dict):
            return [value.get(part) for part in self.parts]
        return self.decompress(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        base_id = context["widget"]["attrs"].get("id")
        for part, subwidget in zip(self.parts, context["widget"]["subwidgets"], strict=True):
            subwidget["part"] = part
            subwidget["label"] = part.capitalize()
            if base_id:  # id_due_date_day, as the error summary links to, not Django's id_due_date_0
                subwidget["attrs"]["id"] = f"{base_id}_{part}"
        return context

    def id_for_label(self, id_):
        return f"{id_}_day" if id_ else id_


class GovukDateField(forms.Field):
    widget = GovukDateWidget
    default_error_messages = {
        "incomplete": "%(label)s must include a day, month and year",
        "invalid": "%(label)s must be a real date",
        "year": "Year must include 4 numbers",
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        label = self.label or "Date"
        if value.get("incomplete"):
            raise forms.ValidationError(self.error_messages["incomplete"], code="incomplete", params={"label": label})
        try:
            day, month, year = (int(value[part]) for part in GovukDateWidget.parts)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid", params={"label": label}) from None
        if not 1000 <= year <= 9999:
            raise forms.ValidationError(self.error_messages["year"], code="year")
        try:
            return datetime.date(year, month, day)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid", params={"label": label}) from None


class GovukRadioSelect(forms.RadioSelect):
    """Radios; `inline` lays short yes/no style choices side by side."""

    def __init__(self, attrs=None, choices=(), inline=False):
        super().__init__(attrs, choices)
        self.inline = inline
