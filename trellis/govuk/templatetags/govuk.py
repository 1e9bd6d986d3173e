"""Template helpers for GOV.UK Frontend markup. Loaded as a builtin, so templates need no {% load %}."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

WIDGET_CLASSES = {
    "text": "govuk-input",
    "email": "govuk-input",
    "number": "govuk-input",
    "password": "govuk-input",
    "url": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "clearableinput": "govuk-file-upload",
    "file": "govuk-file-upload",
}
ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
}


@register.simple_tag
def govuk_widget(field, extra_class=""):
    """Render a bound field's widget with GOV.UK classes and the hint and error wired to it."""
    css = extra_class or WIDGET_CLASSES.get(field.widget_type, "")
    existing = field.field.widget.attrs.get("class", "")
    classes = [css, existing]
    if field.errors and css in ERROR_CLASSES:
        classes.append(ERROR_CLASSES[css])
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    attrs = {"class": " ".join(c for c in classes if c)}
    if described_by and field.widget_type != "govukdate":
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["error"] = True
        if field.widget_type != "govukdate":
            attrs["aria-invalid"] = "true"
    if field.widget_type == "govukdate":
        attrs.pop("class")
    if field.widget_type == "select":
        return _select(field, attrs)
    return field.as_widget(attrs=attrs)


def _select(field, attrs):
    """A <select> built here rather than through Django's per-option templates: filter forms list
    every member and stakeholder, and a template per option was most of the action list's time."""
    widget = field.field.widget
    chosen = {str(v) for v in widget.format_value(field.value())}

    def options(choices):
        return format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((value, mark_safe(" selected") if str(value) in chosen else "", label) for value, label in choices),  # noqa: S308 - a constant
        )

    parts = []
    for group, choices in _groups(widget.choices):
        if group:
            parts.append(format_html('<optgroup label="{}">{}</optgroup>', group, options(choices)))
        else:
            parts.append(options(choices))
    attributes = {"id": field.auto_id, "name": field.html_name, **widget.attrs, **attrs}
    attributes.pop("error", None)
    return format_html(
        "<select{}>{}</select>",
        format_html_join("", ' {}="{}"', ((k, v) for k, v in attributes.items() if v not in (None, False))),
        mark_safe("".join(parts)),  # noqa: S308 - each part was built with format_html, which escapes
    )


@register.simple_tag
def options(choices, selected):
    """<option>s for a hand-written <select>, e.g. the status box in every action-plan row."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, mark_safe(" selected") if value == selected else "", label) for value, label in choices),  # noqa: S308 - a constant
    )


def _groups(choices):
    """[(group label or None, [(value, label), ...])] from Django's choices, with or without groups."""
    groups, loose = [], []
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            if loose:
                groups.append((None, loose))
                loose = []
            groups.append((value, [(getattr(v, "value", v), text) for v, text in label]))
        else:
            loose.append((getattr(value, "value", value), label))
    if loose:
        groups.append((None, loose))
    return groups


@register.inclusion_tag("govuk/components/error_summary.html")
def error_summary(*forms):
    """The GOV.UK error summary for one or more forms: each error links to its field."""
    items = []
    for form in forms:
        if form is None or not form.errors:
            continue
        first = next(iter(form.visible_fields()), None)
        for error in form.non_field_errors():
            # GOV.UK: every item links somewhere; a form-wide error goes to the first field.
            items.append({"text": error, "href": f"#{first.auto_id}" if first else None})
        for field in form:
            for error in field.errors:
                anchor = field.auto_id
                if field.widget_type == "govukdate":
                    anchor = f"{field.auto_id}_day"
                elif field.widget_type in ("radioselect", "checkboxselectmultiple", "govukradioselect"):
                    anchor = f"{field.auto_id}_0"
                items.append({"text": error, "href": f"#{anchor}"})
    return {"items": items}


@register.inclusion_tag("govuk/components/tag.html")
def tag(text, colour=""):
    return {"text": text, "colour": colour}


@register.inclusion_tag("govuk/components/pagination.html", takes_context=True)
def pagination(context, page_obj):
    return {"page_obj": page_obj, "request": context["request"]}


@register.simple_tag
def page_title(*parts, form=None):
    """`Error: Page – Organisation – Trellis`, as GOV.UK asks for page titles."""
    prefix = "Error: " if form is not None and form.errors else ""
    return prefix + " – ".join(str(p) for p in (*parts, "Trellis") if p)


@register.filter
def yes_no(value):
    return format_html("{}", "Yes" if value else "No")


@register.inclusion_tag("govuk/components/breadcrumbs.html")
def breadcrumbs(*parts):
    """{% breadcrumbs "Home" home_url "This page" %}: text, link pairs; the last may have no link."""
    crumbs = [(parts[i], parts[i + 1] if i + 1 < len(parts) else None) for i in range(0, len(parts), 2)]
    return {"crumbs": crumbs}
