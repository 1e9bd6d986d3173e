"""Server-drawn SVG bar charts, always shown beside a table of the same numbers.

A chart is laid out here, in Python, and drawn by `govuk/components/bar_chart.html`: no script, no
`style` attribute (the Content-Security-Policy forbids both) and colours from CSS classes in
`assets/scss/app.scss`, so print and high-contrast modes can restyle them. Each bar is labelled
with its series and value in text, so colour is never the only way to tell bars apart. The SVG is
one image to assistive technology (`role="img"` with a title and description); the table beside it
carries the numbers.

Horizontal bars, because labels here are long ("Black, Black British, Black Welsh, Caribbean or
African") and read better on the left than slanted under a column.
"""

from dataclasses import dataclass, field

WIDTH = 720
FONT = 16  # px in the SVG's own units; the chart is drawn 1:1 up to WIDTH
CHAR = 8.4  # average width of a character of 16px Arial, for laying out labels
LINE = 20
BAR = 20
GAP = 4
GROUP_GAP = 14
VALUE_SPACE = 130  # least room after the longest bar for its value ("fewer than 5")
MAX_LABEL = 300
SERIES = 4  # series colours defined in app.scss: app-chart__bar--0 to --3


@dataclass
class Bar:
    label: str  # shown to the left of the bar
    value: float | None  # None draws no bar, only `text` (a suppressed or missing figure)
    text: str  # shown after the bar: "34.5%", "12", "fewer than 5"
    series: int = 0
    benchmark: bool = False  # a national figure: drawn as an outline, not a solid bar


@dataclass
class Group:
    label: str | None
    bars: list = field(default_factory=list)


def wrap(text, width):
    """Split `text` into lines of at most about `width` characters, at spaces."""
    lines, line = [], ""
    for word in str(text).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines or [""]


def bar_chart(chart_id, title, description, groups, maximum=None):
    """Lay out a horizontal bar chart. `groups` is a list of Group (one Group with label None for a
    simple chart). Returns the context `govuk/components/bar_chart.html` draws."""
    labels = [bar.label for group in groups for bar in group.bars]
    longest = max((len(label) for label in labels), default=0)
    label_width = min(MAX_LABEL, max(80, int(longest * CHAR) + 16))
    chars_per_line = max(10, round((label_width - 16) / CHAR))
    # Room for the longest value after a full-length bar: a rating's name ("Can support others") is
    # longer than a figure. Never less than before, so charts of figures keep their layout.
    longest_text = max((len(bar.text) for group in groups for bar in group.bars), default=0)
    value_space = max(VALUE_SPACE, int(longest_text * CHAR) + 12)
    plot_width = WIDTH - label_width - value_space
    values = [bar.value for group in groups for bar in group.bars if bar.value is not None]
    top = maximum if maximum is not None else max(values, default=0)
    top = top or 1
    rows, axes, y = [], [], 8
    for group in groups:
        if group.label:
            heading = wrap(group.label, int(WIDTH / CHAR) - 2)
            rows.append({"kind": "heading", "lines": [{"text": t, "y": y + FONT + i * LINE} for i, t in enumerate(heading)]})
            y += len(heading) * LINE + 6
        axis_top = y - GAP / 2
        for bar in group.bars:
            lines = wrap(bar.label, chars_per_line)
            height = max(BAR, len(lines) * LINE)
            width = 0.0 if bar.value is None else max(0.0, min(bar.value, top)) / top * plot_width
            middle = y + height / 2
            first_line = middle - (len(lines) - 1) * LINE / 2 + FONT * 0.35
            rows.append(
                {
                    "kind": "bar",
                    "label_lines": [{"text": t, "y": round(first_line + i * LINE, 1)} for i, t in enumerate(lines)],
                    "x": label_width,
                    "label_x": label_width - 8,
                    "y": round(middle - BAR / 2, 1),
                    "width": round(width, 1),
                    "drawn": bar.value is not None and width > 0,
                    "text": bar.text,
                    "text_x": round(label_width + width + 6, 1),
                    "text_y": round(middle + FONT * 0.35, 1),
                    "css": "app-chart__bar--benchmark" if bar.benchmark else f"app-chart__bar--{bar.series % SERIES}",
                    "missing": bar.value is None,
                }
            )
            y += height + GAP
        # The baseline runs beside each group's bars only, so it never crosses a group's heading.
        axes.append({"y1": round(axis_top, 1), "y2": round(y - GAP / 2, 1)})
        y += GROUP_GAP
    height = y - GROUP_GAP + 4
    return {
        "id": chart_id,
        "title": title,
        "description": description,
        "width": WIDTH,
        "height": round(height),
        "axis_x": label_width,
        "axes": axes,
        "bar_height": BAR,
        "rows": rows,
    }
