"""Turning dashboard figures into chart fragments and texts in the user's language."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from chongdich.dashboard import charts, mapdata
from chongdich.dashboard.selectors import Dashboard, Gauge, moving_average
from chongdich.dashboard.templatetags.dashboard_tags import COVERAGE_BANDS, coverage_band, fnum, pct
from chongdich.risk.measures import framework_title


def _num(value) -> str:
    return fnum(value)


def curve(data: Dashboard) -> str:
    community = [row["cases_new_community"] for row in data.series]
    isolated = [row["cases_new_isolated"] for row in data.series]
    tips = []
    for row, a, b, mean in zip(data.series, community, isolated, data.average, strict=True):
        text = _("%(day)s: %(total)s new cases (%(community)s in the community, %(isolated)s in quarantine)") % {
            "day": row["day"].strftime("%d/%m/%Y"),
            "total": _num(a + b),
            "community": _num(a),
            "isolated": _num(b),
        }
        if mean is not None:
            text += "; " + _("7-day mean %(mean)s") % {"mean": number_format(mean, 1)}
        tips.append(text)
    every = 7 if len(data.days) <= 60 else 14
    return mark_safe(
        charts.epicurve(
            [d.strftime("%d/%m") for d in data.days],
            community,
            isolated,
            data.average,
            title=_("New cases per day, %(first)s to %(last)s")
            % {"first": data.days[0].strftime("%d/%m/%Y"), "last": data.days[-1].strftime("%d/%m/%Y")},
            legend=(_("in the community"), _("found in quarantine"), _("7-day mean")),
            tips=tips,
            every=every,
        )
    )


def small_multiples(data: Dashboard) -> list[tuple[object, str]]:
    """(child, sparkline) with one scale for all children, so that their curves compare."""
    top = charts.nice_ceiling(max([1, *(v for child in data.children for v in child.new_by_day)]))
    result = []
    for child in data.children:
        title = _("%(unit)s: %(new)s new cases in 7 days, %(active)s under treatment") % {
            "unit": child.name,
            "new": _num(child.new_7d),
            "active": _num(child.active),
        }
        result.append(
            (
                child,
                mark_safe(charts.sparkline(child.new_by_day, moving_average(child.new_by_day), top=top, title=title)),
            )
        )
    return result


def gauge_text(gauge: Gauge) -> str:
    if gauge.state == "none":
        return _("no places recorded")
    if gauge.state == "full":
        return _("full")
    if gauge.state == "not_filling":
        return _("not filling")
    days = gauge.days_until_full
    if days == 0:
        return _("full within a day")
    return _("full in about %(days)s days (+%(rate)s a day)") % {
        "days": _num(days),
        "rate": number_format(gauge.net_per_day, 1),
    }


def gauges(data: Dashboard) -> list[tuple[Gauge, str, str]]:
    result = []
    for g in data.gauges:
        centre = "—" if g.percent is None else f"{g.percent}%"
        title = _("%(label)s: %(occupied)s of %(capacity)s occupied") % {
            "label": g.label,
            "occupied": _num(g.occupied),
            "capacity": _num(g.capacity),
        }
        result.append((g, mark_safe(charts.gauge(g.percent, title=title, centre=centre)), gauge_text(g)))
    return result


def map_table(rows: list[dict], dashboard_url: str) -> str:
    """The body of the map's table (hundreds of rows: built here, not by template tags)."""
    no_level = format_html('<span class="badge text-bg-light border" data-colour="none">{}</span>', _("no level"))
    return format_html_join(
        "",
        '<tr><td><a href="{}?unit={}">{}</a></td><td>{}</td><td class="text-end">{}</td>'
        '<td class="text-end">{}</td><td class="text-end cov-{}">{}</td><td class="text-end cov-{}">{}</td></tr>',
        (
            (
                dashboard_url,
                row["code"],
                row["name"],
                format_html(
                    '<span class="badge risk-badge" style="{}" data-colour="{}">{}</span>',
                    row["style"],
                    row["colour"],
                    capfirst(row["label"]),
                )
                if row["colour"]
                else no_level,
                fnum(row["active"]),
                fnum(row["new7"]),
                coverage_band(row["dose1"]),
                pct(row["dose1"]),
                coverage_band(row["full"]),
                pct(row["full"]),
            )
            for row in rows
        ),
    )


def _band_labels(bands, text) -> list[tuple[str, str]]:
    """(colour, "a–b") of each band of a layer's scale: "< b" for the first, "≥ a" for the last."""
    result = []
    for i, (lower, colour) in enumerate(bands):
        if i == 0:
            result.append((colour, f"< {text(bands[1][0])}"))
        elif i == len(bands) - 1:
            result.append((colour, f"≥ {text(lower)}"))
        else:
            result.append((colour, f"{text(lower)} – {text(bands[i + 1][0])}"))
    return result


def map_page(place, payload: dict, lang: str) -> dict:
    """What the map page needs besides the payload: the script's configuration (texts, URLs, the
    optional local tile server), the legend of the frameworks in use, the table of units."""
    legend = mapdata.legend(lang)
    in_use = {legend[c]["fw"] for day_levels in payload["lv"] for c in set(day_levels) if c in legend}
    frameworks = [(fw, framework_title(fw, lang)) for fw in mapdata.LEVEL_CHARS if fw in in_use]
    rows = mapdata.table_rows(payload, legend)
    config = {
        "payload": payload,
        "legend": legend,
        "nation": place.is_nation,
        "tileUrl": getattr(settings, "DASHBOARD_TILE_URL", ""),
        "tileAttribution": getattr(settings, "DASHBOARD_TILE_ATTRIBUTION", ""),
        "urls": {
            "data": reverse("dashboard:map_data"),
            "shapes": reverse("dashboard:map_shapes"),
            "map": reverse("dashboard:map"),
            "dashboard": reverse("dashboard:index"),
            "risk": reverse("risk:overview"),
        },
        "text": {
            "active": _("under treatment"),
            "new7": _("new cases in 7 days"),
            "noLevel": _("no level"),
            "dashboard": _("Dashboard"),
            "riskPage": _("Risk level"),
            "play": _("Replay"),
            "pause": _("Pause"),
            "otherFramework": _("level under another framework"),
            "zoomHint": _("Zoom in to see the communes of a province."),
            "dose1": _("adults with a first dose"),
            "full": _("adults fully vaccinated"),
            "noCoverage": _("coverage unknown"),
            "mapOf": _("Map"),
            "noEstimate": _("no estimate"),
            "fewCases": _("Rt: too few cases to estimate"),
            "newAfterQuiet": _("new cases after a week without any"),
            "newShort": _("new"),
            "noCases": _("no case in two weeks"),
            "weekOverWeek": _("week over week"),
            "cases7": _("cases in 7 days"),
        },
        "coverageBands": COVERAGE_BANDS,
        "rtBands": mapdata.RT_BANDS,
        "growthBands": mapdata.GROWTH_BANDS,
    }
    return {
        "config": config,
        "rt_bands": _band_labels(mapdata.RT_BANDS, lambda v: number_format(v, 1)),
        "growth_bands": _band_labels(mapdata.GROWTH_BANDS, lambda v: f"{v * 100:+.0f}%" if v else "0%"),
        "has_rt": "rt" in payload,
        "frameworks": frameworks,
        "rows": rows,
        "table": map_table(rows, reverse("dashboard:index")),
        "legend_groups": [(title, [(c, legend[c]) for c in mapdata.LEVEL_CHARS[fw]]) for fw, title in frameworks],
    }
