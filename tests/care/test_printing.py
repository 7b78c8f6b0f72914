"""The printed decision cites the legal document and the rule of its own kind in plain words — never
an internal rule code, never the concentrated-quarantine rule on a home-quarantine decision."""

import re
from datetime import date

from django.urls import reverse

from chongdich.care import plans
from chongdich.care.actions import do_admit, do_order_home_care, do_order_home_quarantine
from chongdich.care.basis import citation
from chongdich.care.rules.defaults import DEFAULT_VERSIONS
from chongdich.care.rules.keys import QUARANTINE_KEY

RULE_CODE = re.compile(r"\bR-\d")


def sheet(client, url: str) -> str:
    """The text of the printed decision (without the toolbar above it)."""
    page = client.get(url).content.decode()
    page = page[page.index('<article class="sheet"') :]
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_home_quarantine_decided_as_an_exception_cites_no_concentrated_rule(client_of, personas, make_person):
    # 20/12/2021, not vaccinated: CV 10696 prescribes concentrated quarantine; the province applies home quarantine.
    order, _ = do_order_home_quarantine(
        personas["commune"],
        make_person(full_name="Lê Văn Nhà"),
        last_exposure=date(2021, 12, 20),
        override_reason="Tỉnh cho cách ly F1 tại nhà",
    )
    assert any("tập trung" in r["vi"] for r in order.reasons)  # what the officers see stays as it was
    text = sheet(client_of("commune"), reverse("care:order_print", args=[order.pk]))
    assert not RULE_CODE.search(text)
    assert "tập trung" not in text and "concentrated" not in text.lower()
    assert "10696/BYT-MT" in text and "16/12/2021" in text  # the legal document, with its date
    assert "Tỉnh cho cách ly F1 tại nhà" in text


def test_home_quarantine_prints_the_home_rule_in_plain_words(client_of, personas, make_person):
    order, _ = do_order_home_quarantine(
        personas["commune"],
        make_person(full_name="Lê Văn Tiêm"),
        last_exposure=date(2021, 12, 20),
        vaccination=plans.vaccination_from(2, date(2021, 10, 1)),
    )
    text = sheet(client_of("commune"), reverse("care:order_print", args=[order.pk]))
    assert not RULE_CODE.search(text) and "10696/BYT-MT" in text
    assert "tập trung" not in text and "concentrated" not in text.lower()
    assert "nhánh" not in text and "branch" not in text  # the officers' explanation is not printed
    basis = text[text.index("Điều 1") : text.index("Điều 2")]
    assert " 7 " in basis and " 6 " in basis  # 7 days at home; vaccinated within 6 months


def test_facility_quarantine_and_home_care_cite_their_own_rules(
    client_of, personas, make_person, make_case, quarantine_site
):
    stay, _ = do_admit(
        personas["commune"],
        make_person(full_name="Hồ Văn Tập Trung"),
        facility=quarantine_site,
        bed_type="quarantine",
        purpose="quarantine_f1",
        on=date(2021, 12, 21),
        last_exposure=date(2021, 12, 20),
    )
    text = sheet(client_of("commune"), reverse("care:stay_print", args=[stay.pk]))
    assert not RULE_CODE.search(text) and "10696/BYT-MT" in text and " 14 " in text
    person = make_person(full_name="Đỗ Văn Nhẹ")
    make_case(person, confirmed_on=date(2022, 2, 10), severity="mild")
    facts = plans.HomeCareFacts(
        respiratory_rate=18, spo2=98, abnormal_breathing=False, comorbidity="none", can_self_care=True, reachable=True
    )
    order, _ = do_order_home_care(personas["district"], person, on=date(2022, 2, 10), facts=facts)
    text = sheet(client_of("commune"), reverse("care:order_print", args=[order.pk]))
    assert not RULE_CODE.search(text)
    assert "261/QĐ-BYT" in text and "250/QĐ-BYT" in text and "10696" not in text


def test_citations_come_from_the_rule_configuration():
    by_name = {v.version: v for v in DEFAULT_VERSIONS if v.key == QUARANTINE_KEY}
    line = citation(by_name["CV 5599/BYT-MT"])
    assert "5599/BYT-MT" in line and "14/07/2021" in line and "CV " not in line
    assert citation(by_name["Thực tiễn 2020"]) is None  # practice, not a legal document
