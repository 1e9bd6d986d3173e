"""Filters for the oversight figures, shared with the charts and the Excel export (`report.py`)."""

from django import template

from .. import report

register = template.Library()

register.filter("percent", report.percent)
register.filter("ratio", report.ratio)
register.filter("fte", report.fte)
register.filter("months", report.months)
register.filter("isodate", report.day)


@register.filter
def benchmarks_for(figures, figure):
    return report.benchmarks_for(figures, figure)
