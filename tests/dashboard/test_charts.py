"""Server-side SVG charts: small, escaped, readable without JavaScript."""

import re
from xml.etree import ElementTree

from chongdich.dashboard import charts


def test_nice_ceiling():
    assert [charts.nice_ceiling(v) for v in (0, 1, 3, 7, 11, 24, 26, 99, 101, 4100)] == [
        1,
        1,
        5,
        10,
        20,
        25,
        50,
        100,
        200,
        5000,
    ]


def _svg(fragment: str) -> ElementTree.Element:
    svg = re.search(r"<svg.*?</svg>", fragment, re.S).group(0)
    return ElementTree.fromstring(svg)


def test_epicurve_stacks_bars_and_draws_the_mean():
    labels = [f"{d:02d}/08" for d in range(1, 15)]
    lower = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]
    upper = [0] * 13 + [7]
    average = [None] * 6 + [3.0, 4, 5, 6, 7, 8, 9, 10]
    html = charts.epicurve(
        labels,
        lower,
        upper,
        average,
        title="Ca mắc <mới>",
        legend=("cộng đồng", "cách ly", "TB 7 ngày"),
        tips=[f"ngày {i} & ca" for i in range(14)],
    )
    svg = _svg(html)
    ns = ""  # inline SVG in HTML: no namespace
    assert svg.get("viewBox") == "0 0 14 100" and svg.get("preserveAspectRatio") == "none"
    assert len(svg.findall(f"{ns}g")) == 13  # no group for the empty first day
    assert len(svg.findall(f".//{ns}rect")) == 14  # 13 community bars + 1 quarantine bar
    top = svg.findall(f".//{ns}rect")[-1]
    assert top.get("class") == "dash-bar-b" and float(top.get("y")) == 0  # 13 + 7 = 20 = the top of the scale
    assert len(svg.findall(f"{ns}polyline")) == 1
    assert "Ca mắc &lt;mới&gt;" in html and "ngày 13 &amp; ca" in html
    assert (
        ">20<" in html and ">07/08<" in html and ">14/08<" in html and "01/08" not in html
    )  # y ticks and x labels are HTML
    assert len(html) < 4000


def test_epicurve_labels_every_n_days_ending_today_and_minor_ones_hide_on_phones():
    html = charts.epicurve(
        [str(i) for i in range(60)],
        [1] * 60,
        [0] * 60,
        [None] * 60,
        title="t",
        legend=("a", "b", "c"),
        tips=["t"] * 60,
        every=7,
    )
    shown = re.findall(r'<span(?: class="dash-x-minor")? style="left:[^"]+">(\d+)</span>', html)
    assert shown == ["3", "10", "17", "24", "31", "38", "45", "52", "59"]
    assert html.count("dash-x-minor") == 4  # 10, 24, 38, 52


def test_curve_of_120_days_is_small():
    values = [i % 37 for i in range(120)]
    html = charts.epicurve(
        [str(i) for i in range(120)],
        values,
        values,
        [float(v) for v in values],
        title="t",
        legend=("a", "b", "c"),
        tips=["20/08/2021: 12 new cases (10 in the community, 2 in quarantine)"] * 120,
    )
    assert len(html) < 30_000


def test_sparkline_is_one_path_on_a_shared_scale():
    html = charts.sparkline([0, 5, 10], [None, None, 5.0], top=20, title="Xã A")
    svg = _svg(html)
    path = svg.find("path")
    assert path.get("d") == "M1.12 100V75h.76V100zM2.12 100V50h.76V100z"
    assert "<title>Xã A</title>" in html
    assert "<path" not in charts.sparkline([0, 0], [None, None], top=0, title="x")


def test_gauge_clamps_and_colours():
    assert 'stroke-dasharray="100 100"' in charts.gauge(130, title="t", centre="130%")
    assert "dash-gauge-high" in charts.gauge(95, title="t", centre="95%")
    assert "dash-gauge-mid" in charts.gauge(75, title="t", centre="75%")
    empty = charts.gauge(None, title="t", centre="—")
    assert "stroke-dasharray" not in empty and "—" in empty
    ElementTree.fromstring(charts.gauge(42, title="a & b", centre="42%"))


def test_the_scale_of_counts_has_no_half_people():
    """A top of 5 cases gets ticks 0 and 5, never 2.5; a top of 10 gets 0, 5 and 10."""
    labels = [f"{d:02d}/08" for d in range(1, 8)]
    five = charts.epicurve(
        labels, [5, 0, 0, 0, 0, 0, 0], [0] * 7, [None] * 7, title="t", legend=("a", "b", "c"), tips=labels
    )
    ten = charts.epicurve(
        labels, [9, 0, 0, 0, 0, 0, 0], [0] * 7, [None] * 7, title="t", legend=("a", "b", "c"), tips=labels
    )
    assert ">2.5<" not in five and ">2,5<" not in five and ">5<" in five
    assert ">5<" in ten and ">10<" in ten
