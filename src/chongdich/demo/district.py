"""The demo district: Bù Gia Mập (Bình Phước), code 691, and its eight communes (pre-2025 structure).

Population weights and areas are approximate (demo data, not statistics); the communes, their
codes and centroids are real and come from the administrative-unit data.
"""

from django.utils.translation import gettext_lazy as _

PROVINCE_CODE = "70"
DISTRICT_CODE = "691"
POPULATION_AS_OF = "2021-04-01"

# commune code: (share of the district's population, approximate area km², border commune, villages)
COMMUNES = {
    "25222": (
        0.105,
        304.0,
        True,
        ["Thôn Bù Lư", "Thôn Đắk Á", "Thôn Bình Tiến", "Bon Bù Ka", "Bon Bù Dốt", "Thôn Bù Rên", "Thôn Đắk Côn"],
    ),
    "25225": (
        0.140,
        226.0,
        True,
        ["Thôn 1", "Thôn 2", "Thôn 3", "Thôn 4", "Thôn 5", "Thôn 6", "Thôn 7", "Thôn 8", "Bon Bù Kroai", "Bon Đắk Ơ"],
    ),
    "25228": (
        0.125,
        70.0,
        False,
        [
            "Thôn Bù Dinh",
            "Thôn Bình Đức 1",
            "Thôn Bình Đức 2",
            "Thôn Khắc Khoan",
            "Thôn Sơn Hòa",
            "Thôn Đức Lập",
            "Thôn Đồng Tâm",
            "Thôn Bình Hà 1",
        ],
    ),
    "25229": (
        0.110,
        87.0,
        False,
        ["Thôn Bù Ka", "Thôn Đắk Son", "Thôn Đắk Khâu", "Thôn Đắk Lim", "Thôn Phú Văn", "Bon Bù Gia Phúc"],
    ),
    "25231": (
        0.160,
        70.0,
        False,
        [
            "Thôn Bình Minh",
            "Thôn Bình Thủy",
            "Thôn Bình Hà",
            "Thôn Bình Tiến",
            "Thôn Đắk Liên",
            "Thôn Bù Kroai",
            "Thôn Sơn Tùng",
            "Bon Bù Rên",
            "Thôn Bình Hòa",
        ],
    ),
    "25232": (0.115, 58.0, False, ["Thôn 1", "Thôn 2", "Thôn 3", "Thôn 4", "Thôn 5", "Thôn 6", "Bon Bù Tam"]),
    "25234": (0.100, 49.0, False, ["Thôn 1", "Thôn 2", "Thôn 3", "Thôn 4", "Thôn 5", "Bon Bình Tân"]),
    "25267": (
        0.145,
        200.0,
        False,
        ["Thôn Đắk Á", "Thôn Bù Rên", "Thôn Đắk Hà", "Thôn Đắk Khâu", "Thôn Đắk Lấp", "Thôn Bù Dốt", "Thôn Bù Kroai"],
    ),
}

# Vietnam's age pyramid (2019 census, % of population by five-year band; 80+ last).
AGE_PYRAMID = (
    (0, 8.0),
    (5, 8.2),
    (10, 7.3),
    (15, 6.6),
    (20, 7.0),
    (25, 8.0),
    (30, 8.3),
    (35, 7.9),
    (40, 7.2),
    (45, 6.5),
    (50, 5.9),
    (55, 5.1),
    (60, 4.1),
    (65, 3.0),
    (70, 1.9),
    (75, 1.3),
    (80, 1.9),
)

# Birth-province codes of CCCD for people living here: mostly born in Bình Phước, many migrants from the north.
BIRTH_PROVINCES = (
    ("070", 68),
    ("038", 6),
    ("040", 5),
    ("042", 3),
    ("034", 4),
    ("036", 3),
    ("051", 3),
    ("074", 3),
    ("075", 2),
    ("079", 3),
)
MOBILE_PREFIXES = (
    "086",
    "096",
    "097",
    "098",
    "032",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "039",
    "088",
    "091",
    "094",
    "081",
    "082",
    "083",
    "084",
    "085",
    "089",
    "090",
    "093",
    "070",
    "076",
    "077",
    "078",
    "079",
)

PERSONAS = (
    # username, full name, role, unit code, description
    ("admin", "Quản trị hệ thống", "national_admin", None, _("National administrator (whole country)")),
    ("tinh.binhphuoc", "Trần Văn Tỉnh", "province_committee", "70", _("Province steering committee, Bình Phước")),
    ("huyen.bugiamap", "Lê Thị Huyền", "district_committee", "691", _("District steering committee, Bù Gia Mập")),
    ("xa.duchanh", "Nguyễn Văn Đức", "commune_committee", "25228", _("Commune steering committee, Đức Hạnh")),
    (
        "xa.phuvan",
        "Phạm Thị Văn",
        "commune_committee",
        "25229",
        _("Commune steering committee of another commune, Phú Văn"),
    ),
    ("yte.duchanh", "Hoàng Thị Y", "health_staff", "25228", _("Commune health station, Đức Hạnh")),
    ("xetnghiem.bugiamap", "Võ Minh Xét", "lab_staff", "691", _("District medical centre laboratory")),
    ("chot.bugiamap", "Đặng Văn Chốt", "checkpoint_officer", "25222", _("Border checkpoint officer, Xã Bù Gia Mập")),
    ("cachly.bugiamap", "Bùi Thị Cách", "facility_manager", "691", _("Quarantine facility manager, district")),
    ("todan.duchanh", "Đỗ Văn Tổ", "community_team", "25228-01", _("Community COVID team, first village of Đức Hạnh")),
    ("xem.bugiamap", "Ngô Thị Xem", "viewer", "691", _("Viewer (aggregates only)")),
)
DEMO_PASSWORD = "chongdich-demo"
