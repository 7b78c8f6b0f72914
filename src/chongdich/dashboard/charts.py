"""Server-side SVG charts for the dashboard: the epidemic curve, small multiples and capacity gauges.

Pure Python (no Django): numbers and already-translated strings in, an HTML fragment out, every text
escaped.  A chart is an inline SVG whose plot stretches to the width of its box
(``preserveAspectRatio="none"``, lines drawn with ``non-scaling-stroke``) while the axis labels are
HTML positioned in percent, so the text keeps its size on a 360 px phone and on a wide screen.
Every bar carries a ``<title>`` (a tooltip without JavaScript); pages also print the figures as a
table.

pygal was measured first (3.1.3): 60 KB and 26 ms for one 120-day curve, 15 KB per sparkline, bars and a
line in one chart only through an unsupported subclass of its internals (Kozea/pygal#46, open since
2013), and a default ``js`` option that loads scripts from the internet.  These hand-written charts are
~12 KB and well under a millisecond each.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from chongdich.core.charts import axis_label as _fmt
from chongdich.core.charts import coordinate as _n
from chongdich.core.charts import nice_ceiling


def _polyline(values: Sequence[float | None], top: float, css: str) -> str:
    """An average line (gaps where the value is None), x at the middle of each bar."""
    segments, current = [], []
    for i, value in enumerate(values):
        if value is None:
            if len(current) > 1:
                segments.append(current)
            current = []
            continue
        current.append(f"{_n(i + 0.5)},{_n(100 - 100 * value / top)}")
    if len(current) > 1:
        segments.append(current)
    return "".join(
        f'<polyline class="{css}" points="{" ".join(points)}" vector-effect="non-scaling-stroke"/>'
        for points in segments
    )


def epicurve(
    labels: Sequence[str],
    lower: Sequence[int],
    upper: Sequence[int],
    average: Sequence[float | None],
    *,
    title: str,
    legend: tuple[str, str, str],
    tips: Sequence[str],
    every: int = 7,
    chart_id: str = "epicurve",
) -> str:
    """Stacked bars per day (``lower``: community cases, ``upper``: found in quarantine) with the
    7-day mean as a line.  ``labels`` are the x labels (one per day, shown every ``every`` days, the
    last always); ``tips`` the tooltip of each day."""
    n = len(labels)
    totals = [a + b for a, b in zip(lower, upper, strict=True)]
    top = nice_ceiling(max([*totals, *(v for v in average if v is not None), 1]))
    parts = [
        f'<svg class="dash-svg" viewBox="0 0 {n} 100" preserveAspectRatio="none" role="img" '
        f'aria-label="{escape(title)}" focusable="false">'
    ]
    for fraction in (0.25, 0.5, 0.75, 1):
        y = _n(100 - 100 * fraction)
        parts.append(f'<line class="dash-grid" x1="0" x2="{n}" y1="{y}" y2="{y}" vector-effect="non-scaling-stroke"/>')
    for i, (a, b) in enumerate(zip(lower, upper, strict=True)):
        if a + b <= 0:
            continue
        ha, hb = 100 * a / top, 100 * b / top
        rects = ""
        if a:
            rects += f'<rect class="dash-bar-a" x="{_n(i + 0.12)}" y="{_n(100 - ha)}" width="0.76" height="{_n(ha)}"/>'
        if b:
            rects += (
                f'<rect class="dash-bar-b" x="{_n(i + 0.12)}" y="{_n(100 - ha - hb)}" width="0.76" height="{_n(hb)}"/>'
            )
        parts.append(f"<g><title>{escape(tips[i])}</title>{rects}</g>")
    parts.append(_polyline(average, top, "dash-avg"))
    parts.append("</svg>")
    # Counts of people: no "2.5" tick when the top is 5.
    fractions = (0, 0.5, 1) if float(top * 0.5).is_integer() else (0, 1)
    ticks = "".join(f'<span style="bottom:{int(100 * f)}%">{_fmt(top * f)}</span>' for f in fractions)
    shown = [i for i in range(n) if (n - 1 - i) % every == 0]
    # Every other label is "minor": hidden on a phone so that the dates never overlap.
    minor = ' class="dash-x-minor"'
    xlabels = "".join(
        f'<span{minor if (n - 1 - i) % (2 * every) else ""} style="left:{_n(100 * (i + 0.5) / n)}%">'
        f"{escape(labels[i])}</span>"
        for i in shown
    )
    a_label, b_label, avg_label = (escape(text) for text in legend)
    return (
        f'<figure class="dash-chart" id="{escape(chart_id)}"><div class="dash-chart-body">'
        f'<div class="dash-yaxis" aria-hidden="true">{ticks}</div>'
        f'<div class="dash-plot dash-plot-lg">{"".join(parts)}<div class="dash-xaxis" aria-hidden="true">{xlabels}</div></div></div>'
        f'<figcaption class="dash-legend"><span><i class="dash-key dash-key-a"></i>{a_label}</span>'
        f'<span><i class="dash-key dash-key-b"></i>{b_label}</span><span><i class="dash-key dash-key-avg"></i>{avg_label}</span>'
        f"</figcaption></figure>"
    )


def sparkline(values: Sequence[int], average: Sequence[float | None], *, top: float, title: str) -> str:
    """A small multiple: bars of one unit's new cases per day on a scale shared by its siblings
    (``top``), with the 7-day mean; one path for all bars keeps it small."""
    n = len(values)
    top = max(top, 1)
    bars = "".join(f"M{_n(i + 0.12)} 100V{_n(100 - 100 * v / top)}h.76V100z" for i, v in enumerate(values) if v > 0)
    path = f'<path class="dash-bar-a" d="{bars}"/>' if bars else ""
    return (
        f'<svg class="dash-svg dash-spark" viewBox="0 0 {n} 100" preserveAspectRatio="none" role="img" '
        f'aria-label="{escape(title)}" focusable="false"><title>{escape(title)}</title>'
        f'<line class="dash-grid" x1="0" x2="{n}" y1="100" y2="100" vector-effect="non-scaling-stroke"/>'
        f"{path}{_polyline(average, top, 'dash-avg')}</svg>"
    )


GAUGE_COLOURS = ((90, "dash-gauge-high"), (70, "dash-gauge-mid"), (0, "dash-gauge-low"))


def gauge(percent: int | None, *, title: str, centre: str) -> str:
    """A half-ring gauge of occupancy (0–100 %, drawn up to 100 even when over capacity) with the
    percentage written in the middle."""
    value = 0 if percent is None else max(0, min(100, percent))
    css = next(css for threshold, css in GAUGE_COLOURS if (percent or 0) >= threshold)
    arc = "M10 60A50 50 0 0 1 110 60"
    filled = (
        (
            f'<path class="{css}" d="{arc}" pathLength="100" stroke-dasharray="{value} 100" fill="none" '
            f'stroke-width="14"/>'
        )
        if value
        else ""
    )
    return (
        f'<svg class="dash-gauge" viewBox="0 0 120 66" role="img" aria-label="{escape(title)}" focusable="false">'
        f'<path class="dash-gauge-track" d="{arc}" fill="none" stroke-width="14"/>{filled}'
        f'<text x="60" y="58" text-anchor="middle" class="dash-gauge-text">{escape(centre)}</text></svg>'
    )
