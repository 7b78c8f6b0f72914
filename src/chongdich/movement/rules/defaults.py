"""Default versions of the checkpoint rule (R-61), national; provinces override what they change, e.g.
``{"test_valid_hours": 48}`` or ``{"watched_area": "tested"}``.

Confidence marks as in /work/shared/domain/vn-covid-rules.md: [V] checked against a public source, [V~]
partly, [R] recalled, [D] design choice.  ``effective_from`` inclusive, ``effective_to`` exclusive.
"""

from __future__ import annotations

from datetime import date

from chongdich.core.versioning import RuleVersion
from chongdich.movement.rules.keys import CHECKPOINT_KEY

EPIDEMIC_START = date(2020, 1, 1)  # [D] the first day any version covers (as vaccination's colour rule)
D_GATEWAYS = date(2021, 7, 9)  # [V] HCMC's 12 gateway checkpoints from 00:00 9/7/2021 (§5.3)
D_4977 = date(2021, 7, 18)  # [V] 4977/TCĐBVN-VT: green lanes and vehicle QR cards (§5.4)
D_7630 = date(2021, 7, 27)  # [V] 7630/BGTVT-VT (§5.4)
D_NOT_CHECKED = date(2021, 7, 30)  # [V] from 00:00 30/7/2021 carded essential goods are not checked (§5.4)
D_128 = date(2021, 10, 11)  # [V] NQ 128/NQ-CP; [R] the green lanes ended after it (§5.4 "End")
D_2118 = date(2022, 4, 27)  # [V] 2118/BYT-DP: no more health declarations at border gates from 27/4/2022

BASE = {
    "test_valid_hours": 72,
    "test_kinds": ["pcr", "rat"],
    "fever_c": "37.5",
    "no_test": "turned_back",
    "no_declaration": "turned_back",
    "watched_area": "",
    "exempt_vehicle_types": ["ambulance"],
    "test_exempt_colours": [],
}


def _version(start: date, end: date | None, name: str, source: str, **values) -> RuleVersion:
    return RuleVersion(
        key=CHECKPOINT_KEY,
        version=name,
        effective_from=start,
        effective_to=end,
        values={**BASE, **values},
        source=source,
    )


CHECKPOINT_VERSIONS: tuple[RuleVersion, ...] = (
    _version(
        EPIDEMIC_START,
        D_GATEWAYS,
        "Chốt 2020",
        "[V] §5.3 Hải Phòng gateway checkpoints 2020 (4 shifts, 24/7); [D] the checks before July 2021 taken "
        "as a health declaration and a temperature, no test required",
        name_vi="Chốt kiểm soát: khai báo y tế, đo thân nhiệt",
        name_en="Checkpoint: health declaration and temperature",
        recognise_cards=False,
        carded_not_checked=False,
        card_needs_driver_test=True,
        declaration_required=True,
        test_required=False,
    ),
    _version(
        D_GATEWAYS,
        D_4977,
        "Chốt cửa ngõ 9/7/2021",
        "[V] §5.3 HCMC gateway checkpoints from 00:00 9/7/2021: temperature, declaration, negative test valid "
        "72 h from the result, turned back without a test (vtc.vn, plo.vn); [D] applied nationally",
        name_vi="Chốt cửa ngõ: khai báo y tế, xét nghiệm âm tính trong 72 giờ",
        name_en="Gateway checkpoint: declaration and a negative test within 72 hours",
        recognise_cards=False,
        carded_not_checked=False,
        card_needs_driver_test=True,
        declaration_required=True,
        test_required=True,
    ),
    _version(
        D_4977,
        D_7630,
        "4977/TCĐBVN-VT",
        "[V] §5.4 4977/TCĐBVN-VT 18/7/2021: green lanes, vehicle QR cards (luongxanh.drvn.gov.vn from "
        "19/7/2021); [V] R-61: a valid card and the driver's test within 72 h pass without a stop",
        name_vi="Luồng xanh (4977/TCĐBVN-VT): thẻ nhận diện và xét nghiệm của lái xe",
        name_en="Green lane (4977/TCĐBVN-VT): card and the driver's test",
        recognise_cards=True,
        carded_not_checked=False,
        card_needs_driver_test=True,
        declaration_required=True,
        test_required=True,
    ),
    _version(
        D_7630,
        D_NOT_CHECKED,
        "7630/BGTVT-VT",
        "[V] §5.4 7630/BGTVT-VT 27/7/2021: a valid QR card and the driver's negative test within 72 h are not "
        "stopped; without a card, a valid negative test lets through after it is checked",
        name_vi="Luồng xanh (7630/BGTVT-VT): thẻ QR và xét nghiệm của lái xe",
        name_en="Green lane (7630/BGTVT-VT): QR card and the driver's test",
        recognise_cards=True,
        carded_not_checked=False,
        card_needs_driver_test=True,
        declaration_required=True,
        test_required=True,
    ),
    _version(
        D_NOT_CHECKED,
        D_128,
        "5187/VPCP-CN (30/7/2021)",
        "[V] §5.4 from 00:00 30/7/2021 vehicles with a valid QR card carrying essential goods are not checked; "
        "others show a declaration and a negative RT-PCR/RAT within 72 h for everyone on board, else are "
        "turned back (sggpnews.org.vn); [R] the document number 5187/VPCP-CN as issue 11 names it",
        name_vi="Luồng xanh từ 30/7/2021: xe có thẻ chở hàng thiết yếu không kiểm tra",
        name_en="Green lane from 30/7/2021: carded essential-goods vehicles are not checked",
        recognise_cards=True,
        carded_not_checked=True,
        card_needs_driver_test=True,
        declaration_required=True,
        test_required=True,
    ),
    _version(
        D_128,
        D_2118,
        "NQ 128/NQ-CP",
        "[R] §5.4 the green lanes and their cards ended after NQ 128/NQ-CP (11/10/2021; the ending document "
        "not verified); [D] checkpoints ask a declaration and a test of the unvaccinated (red) only, tested "
        "on site rather than turned back",
        name_vi="Thích ứng an toàn (NQ 128/NQ-CP): hết luồng xanh, người chưa tiêm cần xét nghiệm",
        name_en="Safe adaptation (NQ 128/NQ-CP): green lanes ended, the unvaccinated need a test",
        recognise_cards=False,
        carded_not_checked=False,
        card_needs_driver_test=True,
        declaration_required=True,
        test_required=True,
        test_exempt_colours=["green", "yellow"],
        no_test="tested",
    ),
    _version(
        D_2118,
        None,
        "2118/BYT-DP",
        "[V] §0.3 2118/BYT-DP: no health declaration at border gates from 27/4/2022; [V~] applied to "
        "checkpoints too (no declaration, no test; a fever is still tested)",
        name_vi="Từ 27/4/2022: không yêu cầu khai báo y tế, xét nghiệm",
        name_en="From 27/4/2022: no declaration or test required",
        recognise_cards=False,
        carded_not_checked=False,
        card_needs_driver_test=True,
        declaration_required=False,
        test_required=False,
    ),
)

DEFAULT_VERSIONS: tuple[RuleVersion, ...] = CHECKPOINT_VERSIONS
