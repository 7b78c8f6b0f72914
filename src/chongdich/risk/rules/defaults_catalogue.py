"""Default catalogues as rule versions: measures per framework and level (2686, NQ 128),
directive measure sets (CT 15/16/19, R-40), district outbreak scenarios (KH 152/KH-UBND).

A measure is a mapping: ``allowed`` (yes | limited | no), optional ``cap_people``, ``cap_pct``,
``close_time``, ``min_distance_m``, ``duration_days``, ``conditions`` (codes), ``kind`` (activity |
action: an action is something authorities do, ``allowed: yes`` meaning "in force"), ``vi``,
``en`` and ``confidence`` (the spec's mark).  Tables are keyed by activity so that a province
override can change one activity at one level and nothing else.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from chongdich.core.versioning import RuleVersion


def m(allowed: str, vi: str, en: str, confidence: str, **extra: Any) -> dict[str, Any]:
    return {"allowed": allowed, "vi": vi, "en": en, "confidence": confidence, **extra}


def action(vi: str, en: str, confidence: str, **extra: Any) -> dict[str, Any]:
    return m("yes", vi, en, confidence, kind="action", **extra)


OUTSIDE = ["outside_office_school_hospital"]

# --- QĐ 2686 (cumulative: each level adds to or replaces the levels below) ---------------------
MEASURES_2686 = {
    "cumulative": True,
    "levels": {
        "0": {
            "personal_5k": action(
                "Người dân thực hiện 5K (khẩu trang, khử khuẩn, khoảng cách, không tụ tập, khai báo y tế); "
                "cơ quan, tổ chức thực hiện quy định của Bộ Y tế",
                "Individuals follow 5K (masks, disinfection, distance, no gatherings, health declaration); "
                "organisations follow Ministry of Health rules",
                "V",
            ),
            "inspection": action(
                "Chính quyền kiểm tra, xử phạt; đình chỉ hoạt động của tổ chức không bảo đảm phòng, chống dịch",
                "Local inspection and penalties, including suspending organisations that do not comply",
                "V",
            ),
            "gatherings": m(
                "yes", "Được tập trung đông người, thực hiện 5K", "Gatherings allowed under 5K", "V", conditions=["5k"]
            ),
            "high_risk_services": m(
                "yes",
                "Quán bar, karaoke, vũ trường, massage hoạt động theo quy định phòng dịch",
                "Bars, karaoke, dance clubs, massage open under the prevention rules",
                "R",
                conditions=["prevention_rules"],
            ),
            "non_essential_business": m(
                "yes",
                "Kinh doanh, dịch vụ hoạt động bình thường, thực hiện 5K",
                "Business and services operate normally under 5K",
                "R",
            ),
            "public_transport": m(
                "yes",
                "Vận tải hành khách công cộng hoạt động bình thường",
                "Public passenger transport runs normally",
                "R",
            ),
            "offices": m("yes", "Cơ quan, công sở làm việc bình thường", "Offices work normally", "R"),
            "goods_transport": m("yes", "Vận chuyển hàng hóa bình thường", "Goods transport runs normally", "R"),
        },
        "1": {
            "contact_tracing": action(
                "Truy vết, khoanh vùng, cách ly theo quy định",
                "Contact tracing, local lockdown (zoning) and quarantine",
                "V",
            ),
            "gatherings": m(
                "limited",
                "Hạn chế tập trung đông người (số người do địa phương quy định)",
                "Large gatherings restricted (cap set locally)",
                "V",
                conditions=["province_sets_caps"],
            ),
            "high_risk_services": m(
                "no",
                "Tạm dừng quán bar, karaoke, vũ trường, massage",
                "Bars, karaoke, dance clubs and massage closed",
                "V",
            ),
        },
        "2": {
            "events": m(
                "limited",
                "Dừng sự kiện tập trung trên 30 người",
                "Events of more than 30 people stopped",
                "V",
                cap_people=30,
            ),
            "gatherings": m(
                "limited",
                "Không tập trung từ 10 người trở lên ngoài phạm vi công sở, trường học, bệnh viện",
                "No gatherings of 10 or more people outside offices, schools and hospitals",
                "V",
                cap_people=9,
                conditions=OUTSIDE,
            ),
            "distance": m(
                "limited",
                "Giữ khoảng cách tối thiểu 2 m nơi công cộng",
                "Keep at least 2 m apart in public",
                "V",
                min_distance_m=2,
            ),
            "public_transport": m(
                "limited",
                "Giảm tần suất chuyến và số hành khách trên mỗi phương tiện",
                "Fewer trips and fewer passengers per vehicle",
                "V",
            ),
            "offices": m(
                "limited",
                "Giảm số người làm việc tại công sở, khuyến khích làm việc tại nhà",
                "Fewer people on site; working from home encouraged",
                "V",
            ),
            "non_essential_business": m(
                "limited",
                "Hạn chế kinh doanh, dịch vụ không thiết yếu",
                "Non-essential business and services restricted",
                "R",
            ),
        },
        "3": {
            "social_distancing": action(
                "Giãn cách xã hội toàn địa bàn trong 14 ngày",
                "Social distancing over the whole area for 14 days",
                "V",
                duration_days=14,
            ),
            "gatherings": m(
                "limited",
                "Không tập trung từ 3 người trở lên ngoài phạm vi công sở, trường học, bệnh viện",
                "No gatherings of 3 or more people outside offices, schools and hospitals",
                "V",
                cap_people=2,
                conditions=OUTSIDE,
            ),
            "public_transport": m("no", "Dừng vận tải hành khách công cộng", "Public passenger transport halted", "V"),
            "non_essential_business": m(
                "no",
                "Dừng kinh doanh, dịch vụ, trừ sản xuất, kinh doanh hàng hóa, dịch vụ thiết yếu",
                "Business suspended except essential production, goods and services",
                "V",
                conditions=["essential_exempt"],
            ),
            "offices": m(
                "limited",
                "Chỉ bố trí người làm việc thiết yếu tại công sở",
                "Essential staff only on site",
                "R",
                conditions=["essential_only"],
            ),
            "goods_transport": m(
                "yes",
                "Không được cấm vận chuyển hàng hóa; phương tiện chở hàng được lưu thông",
                "Goods transport must not be banned; goods vehicles pass",
                "V",
            ),
        },
    },
    "unspecified": {
        "activities": ["schools", "markets", "restaurants", "religious"],
        "vi": "QĐ 2686 không quy định trường học, chợ, nhà hàng, hoạt động tôn giáo; trên thực tế địa phương "
        "áp dụng Chỉ thị 15/16 (R-40)",
        "en": "QĐ 2686 sets no rule for schools, markets, restaurants or religious activities; in practice "
        "localities applied Directive 15/16 (R-40)",
    },
}


def _rows(*cells: tuple[str, str, str, str], **extra: Any) -> list[dict[str, Any]]:
    return [m(*cell, **extra) for cell in cells]


# --- NQ 128 (used with QĐ 4800 and QĐ 218): one full table per level -----------------------------
_ROWS_128: dict[str, list[dict[str, Any]]] = {
    "outdoor_gatherings": _rows(
        (
            "yes",
            "Hoạt động ngoài trời được tổ chức, không giới hạn số người",
            "Outdoor activities allowed, no cap",
            "V",
        ),
        (
            "limited",
            "Hoạt động ngoài trời hạn chế số người (tỉnh quy định)",
            "Outdoor activities with limited numbers (set by the province)",
            "R",
        ),
        (
            "limited",
            "Hoạt động ngoài trời hạn chế số người chặt chẽ hơn",
            "Outdoor activities with stricter limits",
            "R",
        ),
        ("limited", "Hạn chế tối đa, chỉ hoạt động thiết yếu", "Minimal, essential only", "R"),
    ),
    "indoor_events": _rows(
        ("yes", "Hội họp, sự kiện trong nhà được tổ chức", "Indoor meetings and events allowed", "R"),
        (
            "limited",
            "Hội họp, sự kiện trong nhà hạn chế số người",
            "Indoor meetings and events with limited numbers",
            "R",
        ),
        (
            "limited",
            "Hội họp, sự kiện trong nhà hạn chế số người chặt chẽ hơn",
            "Indoor meetings and events with stricter limits",
            "R",
        ),
        ("limited", "Hạn chế tối đa hội họp, sự kiện", "Meetings and events kept to a minimum", "R"),
    ),
    "goods_transport": _rows(
        *[
            (
                "yes",
                "Vận chuyển hàng hóa nội tỉnh, liên tỉnh được hoạt động",
                "Intra- and inter-province goods transport allowed",
                "V",
            )
        ]
        * 4
    ),
    "public_transport": _rows(
        (
            "yes",
            "Vận tải hành khách công cộng (đường bộ, thủy nội địa, hàng hải) hoạt động",
            "Public passenger transport (road, inland waterway, sea) runs",
            "V",
        ),
        ("yes", "Vận tải hành khách công cộng hoạt động", "Public passenger transport runs", "R"),
        ("limited", "Vận tải hành khách công cộng hạn chế", "Public passenger transport limited", "R"),
        (
            "limited",
            "Vận tải hành khách công cộng hạn chế hoặc tạm dừng theo quyết định của tỉnh",
            "Public passenger transport restricted or suspended by the province",
            "R",
        ),
    ),
    "production_construction": _rows(
        ("yes", "Sản xuất, công trình xây dựng hoạt động", "Production and construction sites operate", "V"),
        ("yes", "Sản xuất, công trình xây dựng hoạt động", "Production and construction sites operate", "V"),
        ("yes", "Sản xuất, công trình xây dựng hoạt động", "Production and construction sites operate", "V"),
        (
            "yes",
            "Sản xuất, công trình xây dựng hoạt động, có điều kiện",
            "Production and construction operate under conditions",
            "V",
        ),
    ),
    "malls_supermarkets": _rows(
        (
            "yes",
            "Trung tâm thương mại, siêu thị, cửa hàng tiện lợi, chợ đầu mối hoạt động",
            "Malls, supermarkets, convenience stores, wholesale markets open",
            "V",
        ),
        (
            "yes",
            "Trung tâm thương mại, siêu thị, cửa hàng tiện lợi, chợ đầu mối hoạt động",
            "Malls, supermarkets, convenience stores, wholesale markets open",
            "V",
        ),
        (
            "yes",
            "Trung tâm thương mại, siêu thị, cửa hàng tiện lợi, chợ đầu mối hoạt động",
            "Malls, supermarkets, convenience stores, wholesale markets open",
            "V",
        ),
        (
            "limited",
            "Trung tâm thương mại, siêu thị, cửa hàng tiện lợi, chợ đầu mối hoạt động hạn chế",
            "Malls, supermarkets, convenience stores, wholesale markets open with restrictions",
            "V",
        ),
    ),
    "restaurants": _rows(
        ("yes", "Nhà hàng, quán ăn phục vụ tại chỗ", "Restaurants serve on site", "V"),
        (
            "limited",
            "Nhà hàng, quán ăn phục vụ tại chỗ có giới hạn (tỉnh quy định)",
            "Restaurants serve on site with limits (set by the province)",
            "R",
        ),
        (
            "limited",
            "Nhà hàng, quán ăn hạn chế; một số tỉnh chỉ bán mang về",
            "Restaurants restricted; some provinces take-away only",
            "R",
        ),
        (
            "limited",
            "Nhà hàng, quán ăn hạn chế, thường chỉ bán mang về",
            "Restaurants restricted, usually take-away only",
            "R",
        ),
    ),
    "markets": _rows(
        ("yes", "Chợ truyền thống hoạt động", "Traditional markets open", "V"),
        ("limited", "Chợ truyền thống hoạt động có giới hạn", "Traditional markets open with limits", "R"),
        ("limited", "Chợ truyền thống hoạt động hạn chế", "Traditional markets restricted", "R"),
        ("limited", "Chợ truyền thống hoạt động hạn chế tối đa", "Traditional markets heavily restricted", "R"),
    ),
    "street_vending": _rows(
        ("yes", "Bán hàng rong, bán vé số được hoạt động", "Street vending and lottery sellers allowed", "V"),
        ("yes", "Bán hàng rong, bán vé số được hoạt động", "Street vending and lottery sellers allowed", "R"),
        ("limited", "Bán hàng rong, bán vé số hạn chế", "Street vending and lottery sellers limited", "R"),
        ("no", "Không bán hàng rong, bán vé số", "No street vending or lottery sellers", "R"),
    ),
    "schools": _rows(
        ("yes", "Dạy học trực tiếp", "In-person teaching", "V"),
        ("yes", "Dạy học trực tiếp", "In-person teaching", "R"),
        ("limited", "Dạy học trực tiếp hạn chế", "In-person teaching limited", "R"),
        ("no", "Dạy học trực tuyến", "Online teaching only", "R"),
    ),
    "hotels_tourism": _rows(
        ("yes", "Khách sạn, khu nghỉ dưỡng, du lịch hoạt động", "Hotels, resorts and tourism open", "V"),
        ("yes", "Khách sạn, khu nghỉ dưỡng, du lịch hoạt động", "Hotels, resorts and tourism open", "R"),
        ("limited", "Khách sạn, khu nghỉ dưỡng, du lịch hạn chế", "Hotels, resorts and tourism limited", "R"),
        ("no", "Khách sạn, khu nghỉ dưỡng, du lịch tạm dừng", "Hotels, resorts and tourism closed", "R"),
    ),
    "culture_sports": _rows(
        ("yes", "Biểu diễn văn hóa, thể thao được tổ chức", "Cultural performances and sports allowed", "V"),
        ("limited", "Biểu diễn văn hóa, thể thao hạn chế", "Cultural performances and sports limited", "R"),
        (
            "limited",
            "Biểu diễn văn hóa, thể thao hạn chế hoặc tạm dừng",
            "Cultural performances and sports limited or stopped",
            "R",
        ),
        ("no", "Không tổ chức biểu diễn văn hóa, thể thao", "No cultural performances or sports", "R"),
    ),
    "high_risk_services": _rows(
        (
            "yes",
            "Karaoke, quán bar, vũ trường, massage, spa hoạt động có điều kiện",
            "Karaoke, bars, dance clubs, massage, spa open under conditions",
            "R",
        ),
        (
            "limited",
            "Karaoke, quán bar, vũ trường, massage, spa hạn chế",
            "Karaoke, bars, dance clubs, massage, spa restricted",
            "R",
        ),
        (
            "no",
            "Karaoke, quán bar, vũ trường, massage, spa tạm dừng",
            "Karaoke, bars, dance clubs, massage, spa closed",
            "R",
        ),
        (
            "no",
            "Karaoke, quán bar, vũ trường, massage, spa tạm dừng",
            "Karaoke, bars, dance clubs, massage, spa closed",
            "R",
        ),
    ),
    "religious": _rows(
        ("yes", "Hoạt động tôn giáo, tín ngưỡng được tổ chức", "Religious activities allowed", "R"),
        (
            "limited",
            "Hoạt động tôn giáo, tín ngưỡng hạn chế số người",
            "Religious activities with limited numbers",
            "R",
        ),
        ("limited", "Hoạt động tôn giáo, tín ngưỡng hạn chế", "Religious activities restricted", "R"),
        ("no", "Hoạt động tôn giáo tập trung tạm dừng hoặc tối thiểu", "Religious gatherings stopped or minimal", "R"),
    ),
    "offices": _rows(
        ("yes", "Công sở làm việc bình thường", "Offices work normally", "R"),
        ("yes", "Công sở làm việc bình thường", "Offices work normally", "R"),
        ("limited", "Giảm số người làm việc tại công sở", "Fewer people on site", "R"),
        (
            "limited",
            "Chỉ người làm việc thiết yếu tại công sở, còn lại làm việc trực tuyến",
            "Essential staff on site, the rest online",
            "R",
        ),
    ),
}
_ROWS_128["production_construction"][3]["conditions"] = ["province_conditions"]
_ROWS_128["high_risk_services"][0]["conditions"] = ["province_conditions"]
MEASURES_128 = {
    "cumulative": False,
    "levels": {
        str(level): {activity: cells[level - 1] for activity, cells in _ROWS_128.items()} for level in range(1, 5)
    },
}

_HCMC_HIGH_RISK = ["staff_fully_vaccinated_or_recovered", "customers_vaccinated_recovered_or_test_72h"]
MEASURES_128_HCMC = {
    "levels": {
        "1": {
            "high_risk_services": m(
                "yes",
                "Massage, spa, quán bar, vũ trường, karaoke hoạt động",
                "Massage, spa, bars, dance clubs, karaoke open",
                "V",
                conditions=_HCMC_HIGH_RISK,
            )
        },
        "2": {
            "high_risk_services": m(
                "limited",
                "Massage, spa, quán bar, vũ trường, karaoke tối đa 50% công suất",
                "Massage, spa, bars, dance clubs, karaoke at ≤50% capacity",
                "V",
                cap_pct=50,
                conditions=_HCMC_HIGH_RISK,
            )
        },
        "3": {
            "high_risk_services": m(
                "limited",
                "Massage, spa tối đa 25% công suất; quán bar, vũ trường, karaoke đóng cửa",
                "Massage, spa at ≤25% capacity; bars, dance clubs, karaoke closed",
                "V",
                cap_pct=25,
                conditions=[*_HCMC_HIGH_RISK, "no_bar_dance_club_karaoke"],
            )
        },
        "4": {
            "high_risk_services": m(
                "no",
                "Massage, spa, quán bar, vũ trường, karaoke đóng cửa",
                "Massage, spa, bars, dance clubs, karaoke closed",
                "V",
            )
        },
    }
}
MEASURES_128_HANOI = {
    "levels": {
        "2": {
            "restaurants": m(
                "limited",
                "Nhà hàng phục vụ tại chỗ tối đa 50% số chỗ, đóng cửa trước 21:00",
                "Restaurants serve on site at ≤50% of seats, close before 21:00",
                "V",
                cap_pct=50,
                close_time="21:00",
            )
        },
    }
}
MEASURES_128_NGHE_AN = {
    "levels": {
        str(level): {
            "high_risk_services": m("yes", "Dịch vụ có nguy cơ cao được hoạt động", "High-risk services allowed", "V")
        }
        for level in (1, 2, 3)
    }
    | {"4": {"high_risk_services": m("no", "Dịch vụ có nguy cơ cao tạm dừng", "High-risk services stopped", "V")}}
}

# --- Directives 15, 16, 19; hybrids "15+"/"16+" are added by provinces (R-41) --------------
DIRECTIVES = {
    "directives": {
        "15": {
            "vi": "Chỉ thị 15/CT-TTg ngày 27/3/2020",
            "en": "Directive 15/CT-TTg of 27/3/2020",
            "limits": {
                "max_gathering_outside": 9,
                "no_crowding": False,
                "max_people_per_room_event": 20,
                "min_distance_m": 2,
                "religious_gathering_max": 19,
                "stay_home_required": False,
                "non_essential_services_open": False,
                "closed_services": [],
            },
            "measures": {
                "events": m(
                    "limited",
                    "Dừng sự kiện tập trung trên 20 người trong một phòng",
                    "Events of more than 20 people in one room stopped",
                    "V",
                    cap_people=20,
                ),
                "gatherings": m(
                    "limited",
                    "Không tập trung từ 10 người trở lên ngoài công sở, trường học, bệnh viện",
                    "No gatherings of 10 or more outside offices, schools, hospitals",
                    "V",
                    cap_people=9,
                    conditions=OUTSIDE,
                ),
                "distance": m(
                    "limited", "Giữ khoảng cách tối thiểu 2 m", "Keep at least 2 m apart", "V", min_distance_m=2
                ),
                "non_essential_business": m(
                    "no",
                    "Tạm dừng cơ sở dịch vụ không thiết yếu; Chủ tịch UBND tỉnh quyết định cụ thể",
                    "Non-essential services suspended; the province chair decides which",
                    "V",
                ),
                "essential_business": m(
                    "yes",
                    "Cơ sở cung cấp hàng hóa, dịch vụ thiết yếu hoạt động",
                    "Essential goods and services open",
                    "V",
                ),
                "religious": m(
                    "limited",
                    "Dừng nghi lễ, hoạt động tôn giáo tập trung từ 20 người trở lên",
                    "Religious rites of 20 or more people stopped",
                    "V",
                    cap_people=19,
                ),
                "movement": m("yes", "Không bắt buộc ở tại nhà", "Staying home not required", "V"),
            },
        },
        "16": {
            "vi": "Chỉ thị 16/CT-TTg ngày 31/3/2020",
            "en": "Directive 16/CT-TTg of 31/3/2020",
            "limits": {
                "max_gathering_outside": 2,
                "no_crowding": False,
                "max_people_per_room_event": None,
                "min_distance_m": 2,
                "religious_gathering_max": None,
                "stay_home_required": True,
                "non_essential_services_open": False,
                "closed_services": [],
            },
            "measures": {
                "movement": m(
                    "limited",
                    "Ở tại nhà, chỉ ra ngoài khi thật cần thiết: mua lương thực, thực phẩm, thuốc, cấp cứu, làm việc tại cơ sở thiết yếu",
                    "Stay home; go out only for food, medicine, emergencies or work at essential businesses",
                    "V",
                ),
                "gatherings": m(
                    "limited",
                    "Không tập trung quá 2 người ngoài công sở, trường học, bệnh viện và tại nơi công cộng",
                    "No gatherings of more than 2 people outside offices, schools, hospitals and in public places",
                    "V",
                    cap_people=2,
                    conditions=OUTSIDE,
                ),
                "events": m("no", "Dừng sự kiện tập trung", "Events stopped", "V~"),
                "distance": m(
                    "limited", "Giữ khoảng cách tối thiểu 2 m", "Keep at least 2 m apart", "V", min_distance_m=2
                ),
                "non_essential_business": m(
                    "no",
                    "Chỉ cơ sở cung cấp hàng hóa, dịch vụ thiết yếu được hoạt động",
                    "Only essential goods and services open",
                    "V",
                ),
                "essential_business": m(
                    "yes",
                    "Cơ sở cung cấp hàng hóa, dịch vụ thiết yếu hoạt động",
                    "Essential goods and services open",
                    "V",
                ),
            },
        },
        "19": {
            "vi": "Chỉ thị 19/CT-TTg ngày 24/4/2020",
            "en": "Directive 19/CT-TTg of 24/4/2020",
            "limits": {
                "max_gathering_outside": None,
                "no_crowding": True,
                "max_people_per_room_event": None,
                "min_distance_m": 1,
                "religious_gathering_max": None,
                "stay_home_required": False,
                "non_essential_services_open": True,
                "closed_services": ["entertainment", "beauty", "karaoke", "massage", "bar", "dance_club"],
            },
            "measures": {
                "events": m(
                    "no",
                    "Dừng lễ hội, sự kiện tôn giáo, giải thể thao, sự kiện tập trung đông người",
                    "Festivals, religious events, sports tournaments and mass events stopped",
                    "V",
                ),
                "gatherings": m(
                    "limited",
                    "Không tụ tập đông người nơi công cộng (số người do tỉnh quy định)",
                    "No crowding in public places (numbers set by the province)",
                    "V",
                    conditions=["no_crowding"],
                ),
                "distance": m(
                    "limited", "Giữ khoảng cách tối thiểu 1 m", "Keep at least 1 m apart", "V", min_distance_m=1
                ),
                "non_essential_business": m(
                    "yes",
                    "Nhà hàng, quán ăn, khách sạn, xổ số, bán lẻ, bán buôn, điểm tham quan, di tích, cơ sở thể thao mở lại",
                    "Restaurants, hotels, lottery, retail and wholesale, scenic spots, relics and sports venues reopen",
                    "V",
                ),
                "high_risk_services": m(
                    "no",
                    "Vẫn đóng cửa: vui chơi giải trí, thẩm mỹ, karaoke, massage, quán bar, vũ trường",
                    "Still closed: amusement, beauty, karaoke, massage, bars, dance clubs",
                    "V",
                ),
                "religious": m(
                    "limited", "Dừng sự kiện tôn giáo tập trung đông người", "Mass religious events stopped", "V"
                ),
                "movement": m("yes", "Không bắt buộc ở tại nhà", "Staying home not required", "V"),
            },
        },
    },
    "hybrids": {},
}


# --- District scenarios by active cases under treatment (KH 152/KH-UBND, Bù Gia Mập) --------------
def task(agency: str, hours: int, vi: str, en: str) -> dict[str, Any]:
    return {"agency": agency, "deadline_hours": hours, "vi": vi, "en": en}


SCENARIOS = {
    "bands": {"base": 1, "cuts": [{"label": 2, "at_least": 100}, {"label": 3, "more_than": 500}]},
    "cumulative": True,
    "agencies": {
        "BCD_HUYEN": {
            "vi": "Ban Chỉ đạo phòng, chống dịch COVID-19 huyện",
            "en": "District COVID-19 steering committee",
        },
        "UBND_HUYEN": {"vi": "Ủy ban nhân dân huyện", "en": "District People's Committee"},
        "CONG_AN_HUYEN": {"vi": "Công an huyện", "en": "District police"},
        "TTYT_HUYEN": {"vi": "Trung tâm Y tế huyện", "en": "District health centre"},
        "UBND_XA": {"vi": "Ủy ban nhân dân các xã", "en": "Commune People's Committees"},
        "MTTQ_HUYEN": {
            "vi": "Ủy ban MTTQ Việt Nam huyện, Huyện Đoàn và các đoàn thể",
            "en": "District Fatherland Front, Youth Union and mass organisations",
        },
    },
    "scenarios": {
        "1": {
            "vi": "Kịch bản 1: dưới 100 ca đang điều trị",
            "en": "Scenario 1: fewer than 100 active cases",
            "tasks": {
                "checkpoints_zoning": task(
                    "CONG_AN_HUYEN",
                    6,
                    "Khoanh vùng, phong tỏa ổ dịch; lập chốt kiểm soát ra vào vùng phong tỏa",
                    "Zone and lock down outbreak spots; set up checkpoints at the zone boundary",
                ),
                "community_teams": task(
                    "UBND_XA",
                    24,
                    "Kích hoạt Tổ COVID cộng đồng ở thôn, ấp có ca bệnh; rà soát từng hộ theo danh sách",
                    "Activate community COVID teams in affected hamlets; check every household on the list",
                ),
                "tracing_testing": task(
                    "TTYT_HUYEN",
                    24,
                    "Truy vết, lấy mẫu xét nghiệm F1, F2 và khu vực liên quan",
                    "Trace and test F1, F2 and related areas",
                ),
                "field_hospital": task(
                    "BCD_HUYEN",
                    72,
                    "Rà soát địa điểm, lập phương án bệnh viện dã chiến",
                    "Identify sites and plan a field hospital",
                ),
            },
        },
        "2": {
            "vi": "Kịch bản 2: từ 100 đến 500 ca đang điều trị",
            "en": "Scenario 2: 100 to 500 active cases",
            "tasks": {
                "field_hospital": task(
                    "BCD_HUYEN",
                    72,
                    "Thành lập bệnh viện dã chiến 500 giường, trong đó 50 giường điều trị ca bệnh mức độ trung bình",
                    "Set up a 500-bed field hospital with 50 beds for moderate cases",
                ),
                "home_treatment": task(
                    "TTYT_HUYEN",
                    24,
                    "Điều trị F0 không triệu chứng tại nhà, trạm y tế xã theo dõi hằng ngày",
                    "Treat asymptomatic F0 at home, followed daily by commune health stations",
                ),
                "volunteers": task(
                    "MTTQ_HUYEN",
                    48,
                    "Huy động tình nguyện viên hỗ trợ Tổ COVID cộng đồng và hậu cần",
                    "Mobilise volunteers to support community COVID teams and logistics",
                ),
            },
        },
        "3": {
            "vi": "Kịch bản 3: trên 500 ca đang điều trị",
            "en": "Scenario 3: more than 500 active cases",
            "tasks": {
                "field_hospital": task(
                    "BCD_HUYEN",
                    120,
                    "Mở rộng bệnh viện dã chiến lên 1.000 giường, trong đó 50 giường điều trị ca bệnh mức độ trung bình",
                    "Expand the field hospital to 1,000 beds with 50 for moderate cases",
                ),
                "distancing_ct16": task(
                    "UBND_HUYEN",
                    24,
                    "Giãn cách xã hội toàn huyện theo Chỉ thị 16/CT-TTg",
                    "District-wide social distancing under Directive 16/CT-TTg",
                ),
                "request_support": task(
                    "UBND_HUYEN",
                    12,
                    "Đề nghị tỉnh hỗ trợ nhân lực, trang thiết bị y tế",
                    "Ask the province for staff and medical equipment",
                ),
            },
        },
    },
}

CATALOGUE_VERSIONS = [
    RuleVersion(
        "risk.measures.2686",
        "measures.2686.v1",
        date(2021, 5, 31),
        None,
        MEASURES_2686,
        source="QĐ 2686 §1.3 and R-13: cumulative; each measure carries its mark ([V] summaries, [R] "
        "recalled); orange gathering cap 9 (≥10 banned) is ambiguous in the summaries [V]",
    ),
    RuleVersion(
        "risk.measures.128",
        "measures.128.v1",
        date(2021, 10, 11),
        None,
        MEASURES_128,
        source="NQ 128/NQ-CP §2.5: goods, production, malls, restaurants, markets allowed at all levels [V]; "
        "level 1 cells [V]; levels 2–4 details [R]; numeric caps set by provinces [V]",
    ),
    RuleVersion(
        "risk.measures.128",
        "TP.HCM QĐ 16/11/2021",
        date(2021, 11, 16),
        None,
        MEASURES_128_HCMC,
        province="79",
        source="HCMC decision of 16/11/2021 on high-risk services [V] (spec §2.5)",
    ),
    RuleVersion(
        "risk.measures.128",
        "Hà Nội KH 243",
        date(2021, 11, 1),
        None,
        MEASURES_128_HANOI,
        province="01",
        source="Hà Nội plan 243 of 1/11/2021, level 2 restaurants [V] (spec §2.5)",
    ),
    RuleVersion(
        "risk.measures.128",
        "Nghệ An 8/4/2022",
        date(2022, 4, 8),
        None,
        MEASURES_128_NGHE_AN,
        province="40",
        source="Nghệ An from 8/4/2022: high-risk services at levels 1–3, stop at 4 [V]",
    ),
    RuleVersion(
        "risk.directives",
        "directives.v1",
        date(2020, 3, 27),
        None,
        DIRECTIVES,
        source="CT 15/16/19 (2020) §3 and R-40 [V]; hybrids 15+/16+ as base + local deltas (R-41) [V~], "
        "added per province",
    ),
    RuleVersion(
        "risk.scenarios",
        "scenarios.v1",
        date(2020, 1, 1),
        None,
        SCENARIOS,
        source="Issue 4: scenarios 1 (<100), 2 (100–500), 3 (>500) active cases and the response items of "
        "KH 152/KH-UBND Bù Gia Mập [R, plan text not read]; task split, agencies and deadlines [D]",
    ),
]
