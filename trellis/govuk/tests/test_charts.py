"""The server-drawn bar chart: laid out in Python, drawn as SVG without script or style attributes."""

import re

import pytest
from django.template.loader import render_to_string

from trellis.govuk.charts import Bar, Group, bar_chart, wrap


def simple():
    return bar_chart(
        "chart-test",
        "Leavers by reason",
        "Resignation 10, retirement 5.",
        [
            Group(
                None, [Bar("Resignation", 10, "10"), Bar("Retirement", 5, "5", series=1), Bar("Dismissal", None, "fewer than 5")]
            )
        ],
    )


def bars(chart):
    return [row for row in chart["rows"] if row["kind"] == "bar"]


def test_bars_are_scaled_to_the_largest_value_and_a_missing_one_is_text_only():
    resignation, retirement, dismissal = bars(simple())
    assert retirement["width"] == resignation["width"] / 2
    assert dismissal["drawn"] is False and dismissal["missing"] is True and dismissal["text"] == "fewer than 5"
    assert retirement["css"] == "app-chart__bar--1"


def test_a_maximum_fixes_the_scale_and_benchmarks_are_outlined():
    chart = bar_chart(
        "c",
        "Rates",
        "Rates.",
        [Group("Turnover", [Bar("You", 0.25, "25%"), Bar("National", 0.5, "50%", benchmark=True)])],
        maximum=1,
    )
    you, national = bars(chart)
    assert national["width"] == pytest.approx(2 * you["width"], abs=0.2) and national["css"] == "app-chart__bar--benchmark"
    assert chart["rows"][0]["kind"] == "heading"


def test_long_labels_wrap_onto_lines():
    assert wrap("Black, Black British, Black Welsh, Caribbean or African", 22) == [
        "Black, Black British,",
        "Black Welsh, Caribbean",
        "or African",
    ]


def test_the_svg_is_one_labelled_image_with_no_style_attributes_and_escaped_text():
    chart = bar_chart("chart-x", "Title <b>", "Description & more", [Group(None, [Bar("<script>alert(1)</script>", 3, "3")])])
    svg = render_to_string("govuk/components/bar_chart.html", {"chart": chart})
    assert 'role="img" aria-labelledby="chart-x-title chart-x-desc"' in svg
    assert '<title id="chart-x-title">Title &lt;b&gt;</title>' in svg and "Description &amp; more" in svg
    assert "<script>" not in svg and not re.search(r"\sstyle=", svg)
    assert 'class="app-chart__bar app-chart__bar--0"' in svg


def test_numbers_are_not_localised_into_the_svg(settings):
    settings.USE_THOUSAND_SEPARATOR = True
    chart = bar_chart("c", "Tall", "Tall.", [Group(None, [Bar(f"Row {n}", n, str(n)) for n in range(60)])])
    svg = render_to_string("govuk/components/bar_chart.html", {"chart": chart})
    assert chart["height"] > 1000 and f'viewBox="0 0 720 {chart["height"]}"' in svg
