"""Server-side SVG charts of the forecast pages: a line with its interval band (Rt over time) and the
fan chart of a projection (observed days as bars, then the 90% and 50% bands and the median).

Pure Python (no Django), drawn like ``dashboard.charts`` with the same numbers (``core.charts``: the
dashboard sits above forecast in the layers): an inline SVG stretched to its box
(``preserveAspectRatio="none"``, ``non-scaling-stroke``) with the axis labels as HTML in percent, so the
text keeps its size on a 360 px phone; it reuses the dashboard's CSS classes (``dash-chart``,
``dash-plot``, ``dash-yaxis``…) and adds the band classes in ``static/forecast/forecast.css``.  The pages
print the same figures as a table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from chongdich.core.charts import axis_label as _fmt
from chongdich.core.charts import coordinate as _n
from chongdich.core.charts import nice_ceiling


def _y(value: float, top: float) -> str:
    return _n(100 - 100 * min(max(value, 0.0), top) / top)


def _runs(values: Sequence[float | None]) -> list[list[int]]:
    """Runs of consecutive indexes where the value is known."""
    runs, current = [], []
    for i, value in enumerate(values):
        if value is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(i)
    if current:
        runs.append(current)
    return runs


def _line(values: Sequence[float | None], top: float, css: str) -> str:
    out = []
    for run in _runs(values):
        if len(run) == 1:
            i = run[0]
            out.append(f'<circle class="{css}-dot" cx="{_n(i + 0.5)}" cy="{_y(values[i], top)}" r="0.35"/>')
            continue
        points = " ".join(f"{_n(i + 0.5)},{_y(values[i], top)}" for i in run)
        out.append(f'<polyline class="{css}" points="{points}" vector-effect="non-scaling-stroke"/>')
    return "".join(out)


def _band(lo: Sequence[float | None], hi: Sequence[float | None], top: float, css: str) -> str:
    both = [None if a is None or b is None else (a, b) for a, b in zip(lo, hi, strict=True)]
    out = []
    for run in _runs(both):
        if len(run) == 1:
            i = run[0]
            a, b = both[i]
            out.append(
                f'<rect class="{css}" x="{_n(i + 0.2)}" width="0.6" y="{_y(b, top)}" '
                f'height="{_n(100 * (min(b, top) - min(a, top)) / top)}"/>'
            )
            continue
        upper = [f"{_n(i + 0.5)},{_y(both[i][1], top)}" for i in run]
        lower = [f"{_n(i + 0.5)},{_y(both[i][0], top)}" for i in reversed(run)]
        out.append(f'<polygon class="{css}" points="{" ".join(upper + lower)}"/>')
    return "".join(out)


def _frame(
    n: int,
    top: float,
    body: str,
    *,
    title: str,
    labels: Sequence[str],
    every: int,
    legend: Sequence[tuple[str, str]],
    chart_id: str,
    ticks: Sequence[float],
) -> str:
    grid = "".join(
        f'<line class="dash-grid" x1="0" x2="{n}" y1="{_y(t, top)}" y2="{_y(t, top)}" vector-effect="non-scaling-stroke"/>'
        for t in ticks
        if t > 0
    )
    svg = (
        f'<svg class="dash-svg" viewBox="0 0 {n} 100" preserveAspectRatio="none" role="img" '
        f'aria-label="{escape(title)}" focusable="false">{grid}{body}</svg>'
    )
    yticks = "".join(f'<span style="bottom:{_n(100 * t / top)}%">{_fmt(t)}</span>' for t in ticks)
    shown = [i for i in range(n) if (n - 1 - i) % every == 0]
    minor = ' class="dash-x-minor"'
    xlabels = "".join(
        f'<span{minor if (n - 1 - i) % (2 * every) else ""} style="left:{_n(100 * (i + 0.5) / n)}%">'
        f"{escape(labels[i])}</span>"
        for i in shown
    )
    keys = "".join(f'<span><i class="dash-key {css}"></i>{escape(text)}</span>' for css, text in legend)
    return (
        f'<figure class="dash-chart fc-chart" id="{escape(chart_id)}"><div class="dash-chart-body">'
        f'<div class="dash-yaxis" aria-hidden="true">{yticks}</div>'
        f'<div class="dash-plot dash-plot-lg">{svg}<div class="dash-xaxis" aria-hidden="true">{xlabels}</div></div></div>'
        f'<figcaption class="dash-legend">{keys}</figcaption></figure>'
    )


def rt_chart(
    labels: Sequence[str],
    mean: Sequence[float | None],
    lo: Sequence[float | None],
    hi: Sequence[float | None],
    *,
    title: str,
    legend: tuple[str, str, str],
    every: int = 7,
    chart_id: str = "rt-chart",
) -> str:
    """Rt per day with its 95% interval as a band and the threshold Rt = 1; a day without a reliable
    estimate is a gap.  The scale stops at 4 (a wider interval is cut at the top)."""
    n = max(len(labels), 1)
    highest = max([1.5, *(v for v in mean if v is not None), *(v for v in hi if v is not None)])
    top = min(4.0, math.ceil(highest * 2) / 2)
    body = (
        _band(lo, hi, top, "fc-band-90")
        + f'<line class="fc-one" x1="0" x2="{n}" y1="{_y(1, top)}" y2="{_y(1, top)}" vector-effect="non-scaling-stroke"/>'
        + _line(mean, top, "fc-line")
    )
    ticks = [0, 1, top] if top > 1 else [0, 1]
    if top >= 3:
        ticks = [0, 1, 2, top] if top != 2 else [0, 1, 2]
    a, b, c = legend
    return _frame(
        n,
        top,
        body,
        title=title,
        labels=labels,
        every=every,
        legend=(("fc-key-line", a), ("fc-key-band-90", b), ("fc-key-one", c)),
        chart_id=chart_id,
        ticks=sorted(set(ticks)),
    )


def fan_chart(
    labels: Sequence[str],
    observed: Sequence[int],
    quantiles: dict[str, Sequence[float]],
    *,
    title: str,
    legend: tuple[str, str, str, str],
    tips: Sequence[str],
    every: int = 7,
    chart_id: str = "fan-chart",
) -> str:
    """Observed daily cases as bars (``len(observed)`` days), then the projection for the following days:
    the 90% band (q05–q95), the 50% band (q25–q75) and the median.  ``labels`` cover both parts."""
    past, ahead = len(observed), len(quantiles.get("q50", []))
    n = max(past + ahead, 1)

    def shifted(key: str) -> list[float | None]:
        values = list(quantiles.get(key, []))
        return [None] * past + [float(v) for v in values]

    top = nice_ceiling(max([*observed, *(float(v) for v in quantiles.get("q95", [])), 1]))
    bars = "".join(
        f'<g><title>{escape(tips[i])}</title><rect class="dash-bar-a" x="{_n(i + 0.12)}" y="{_y(v, top)}" '
        f'width="0.76" height="{_n(100 * min(v, top) / top)}"/></g>'
        for i, v in enumerate(observed)
        if v > 0
    )
    median = shifted("q50")
    if past and ahead:
        # The median starts from the last observed day, so the eye follows the line on.
        median[past - 1] = float(observed[-1])
    body = (
        bars
        + _band(shifted("q05"), shifted("q95"), top, "fc-band-90")
        + _band(shifted("q25"), shifted("q75"), top, "fc-band-50")
        + _line(median, top, "fc-line")
        + (
            f'<line class="fc-today" x1="{past}" x2="{past}" y1="0" y2="100" vector-effect="non-scaling-stroke"/>'
            if past and ahead
            else ""
        )
    )
    ticks = (0, top / 2, top) if float(top / 2).is_integer() else (0, top)
    a, b, c, d = legend
    return _frame(
        n,
        top,
        body,
        title=title,
        labels=labels,
        every=every,
        legend=(("dash-key-a", a), ("fc-key-line", b), ("fc-key-band-50", c), ("fc-key-band-90", d)),
        chart_id=chart_id,
        ticks=ticks,
    )
