"""Default priority-group lists: QĐ 1210/QĐ-BYT's 11 (9/2/2021), NQ 21/NQ-CP's 9 (26/2/2021) and QĐ
3355/QĐ-BYT's 16 (8/7/2021), from /work/shared/domain/vn-covid-rules.md §5.9.

Codes ``G01``… are the group's number in the list in force: a code means what the version says.
``high_risk`` marks QĐ 218's high-risk group (older people, chronic disease).  A province edits the
list with an override: ``{"groups": {"G17": {...}}}`` adds a group, ``{"groups": {"G12": null}}``
withdraws one, ``{"groups": {"G07": {"vi": "..."}}}`` renames one.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from chongdich.core.versioning import RuleVersion
from chongdich.vaccination.rules.keys import GROUPS_KEY

D_1210 = date(2021, 2, 9)
D_NQ21 = date(2021, 2, 26)
D_3355 = date(2021, 7, 8)


def _groups(rows: list[tuple[str, str, bool]], confidence: str) -> dict[str, dict[str, Any]]:
    return {
        f"G{n:02d}": {"number": n, "vi": vi, "en": en, "high_risk": high, "confidence": confidence}
        for n, (vi, en, high) in enumerate(rows, start=1)
    }


GROUPS_1210 = _groups(
    [
        ("Nhân viên y tế", "Health workers", False),
        (
            "Người tham gia phòng, chống dịch (ban chỉ đạo, khu cách ly, phóng viên…)",
            "People in the epidemic response (steering committees, quarantine-site staff, reporters…)",
            False,
        ),
        ("Cán bộ ngoại giao, hải quan, xuất nhập cảnh", "Diplomats, customs and immigration staff", False),
        ("Quân đội", "Army", False),
        ("Công an", "Police", False),
        ("Giáo viên", "Teachers", False),
        ("Người trên 65 tuổi", "People over 65", True),
        (
            "Người cung cấp dịch vụ thiết yếu (hàng không, vận tải, du lịch, điện, nước…)",
            "Essential services (aviation, transport, tourism, power, water…)",
            False,
        ),
        ("Người mắc bệnh mạn tính", "People with chronic disease", True),
        ("Người đi công tác, học tập, lao động ở nước ngoài", "People travelling abroad for work or study", False),
        (
            "Người sinh sống tại vùng có dịch theo chỉ định dịch tễ",
            "People in outbreak areas by epidemiological indication",
            False,
        ),
    ],
    "V",
)

GROUPS_NQ21 = _groups(
    [
        (
            "Lực lượng tuyến đầu: cơ sở y tế; người tham gia phòng, chống dịch (ban chỉ đạo, cách ly, truy vết, "
            "tổ COVID cộng đồng, tình nguyện viên, phóng viên); quân đội; công an",
            "Front line: health facilities; epidemic response (steering committees, quarantine, tracing, community "
            "COVID teams, volunteers, reporters); army; police",
            False,
        ),
        (
            "Cán bộ ngoại giao được cử đi nước ngoài; hải quan, xuất nhập cảnh",
            "Diplomats sent abroad; customs, immigration",
            False,
        ),
        ("Người cung cấp dịch vụ thiết yếu", "Essential service providers", False),
        (
            "Giáo viên, người làm việc tại cơ sở giáo dục; cán bộ hành chính thường xuyên tiếp xúc với nhiều người",
            "Teachers and education staff; administrative staff with frequent public contact",
            False,
        ),
        ("Người mắc bệnh mạn tính; người trên 65 tuổi", "People with chronic disease; people over 65", True),
        ("Người sinh sống tại vùng có dịch", "Residents of outbreak areas", False),
        ("Người nghèo, đối tượng chính sách xã hội", "The poor and social-policy beneficiaries", False),
        ("Người được cơ quan nhà nước cử đi nước ngoài", "People sent abroad by the state", False),
        ("Đối tượng khác do Bộ Y tế quyết định", "Others decided by the Ministry of Health", False),
    ],
    "V",
)

GROUPS_3355 = _groups(
    [
        ("Người làm việc tại cơ sở y tế, ngành y tế", "Health facility and health-sector workers", False),
        (
            "Người tham gia phòng, chống dịch (ban chỉ đạo, cách ly, truy vết, tổ COVID cộng đồng, tình nguyện "
            "viên, phóng viên)",
            "Epidemic response (steering committees, quarantine, tracing, community COVID teams, volunteers, "
            "reporters)",
            False,
        ),
        ("Lực lượng quân đội", "Army", False),
        ("Lực lượng công an", "Police", False),
        (
            "Cán bộ ngoại giao được cử đi nước ngoài; hải quan, xuất nhập cảnh",
            "Diplomats sent abroad; customs, immigration",
            False,
        ),
        (
            "Người cung cấp dịch vụ thiết yếu (hàng không, vận tải, du lịch, điện, nước…)",
            "Essential services (aviation, transport, tourism, power, water…)",
            False,
        ),
        (
            "Giáo viên, người làm việc, học sinh, sinh viên tại cơ sở giáo dục; cán bộ hành chính thường xuyên "
            "tiếp xúc với nhiều người",
            "Teachers, education staff and students; administrative staff with frequent public contact",
            False,
        ),
        ("Người mắc bệnh mạn tính; người trên 65 tuổi", "People with chronic disease; people over 65", True),
        ("Người sinh sống tại vùng có dịch", "Residents of outbreak areas", False),
        ("Người nghèo, đối tượng chính sách xã hội", "The poor and social-policy beneficiaries", False),
        (
            "Người được cử đi hoặc có nhu cầu xuất cảnh để công tác, học tập, lao động ở nước ngoài",
            "People sent or going abroad for work, study or labour",
            False,
        ),
        (
            "Người lao động tại doanh nghiệp, khu công nghiệp và thân nhân",
            "Workers of enterprises and industrial parks, and their relatives",
            False,
        ),
        ("Chức sắc, chức việc các tôn giáo", "Religious dignitaries and officials", False),
        ("Người lao động tự do", "Freelance workers", False),
        (
            "Nhân viên cơ quan đại diện ngoại giao, tổ chức quốc tế tại Việt Nam",
            "Staff of foreign missions and international organisations in Vietnam",
            False,
        ),
        (
            "Đối tượng khác theo đề xuất của bộ, ngành, địa phương",
            "Others proposed by ministries, sectors and provinces",
            False,
        ),
    ],
    "R",
)

GROUP_VERSIONS = [
    RuleVersion(
        GROUPS_KEY,
        "QĐ 1210/QĐ-BYT (11 nhóm)",
        D_1210,
        D_NQ21,
        {"instrument": "QĐ 1210/QĐ-BYT 9/2/2021", "groups": GROUPS_1210},
        source="QĐ 1210/QĐ-BYT 9/2/2021, 11 groups for COVAX doses [V: domain §5.9]; high_risk = >65 and chronic "
        "disease [D: QĐ 218's high-risk group]",
    ),
    RuleVersion(
        GROUPS_KEY,
        "NQ 21/NQ-CP (9 nhóm)",
        D_NQ21,
        D_3355,
        {"instrument": "NQ 21/NQ-CP 26/2/2021", "groups": GROUPS_NQ21},
        source="NQ 21/NQ-CP 26/2/2021, 9 free-vaccination groups, adults ≥ 18 [V: domain §5.9]",
    ),
    RuleVersion(
        GROUPS_KEY,
        "QĐ 3355/QĐ-BYT (16 nhóm)",
        D_3355,
        None,
        {"instrument": "QĐ 3355/QĐ-BYT 8/7/2021", "groups": GROUPS_3355},
        source="QĐ 3355/QĐ-BYT 8/7/2021: 16 priority groups — count [V], itemised list [R] (domain §5.9: the "
        "groups above split out, plus enterprise workers and relatives, religious dignitaries, freelance "
        "workers, foreign-mission staff, others proposed by ministries and provinces)",
    ),
]
