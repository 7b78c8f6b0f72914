"""The engine's input names as people read them, in Vietnamese and English.

Missing inputs are reported as ``name`` (the unit's own figure) or ``<code>.name`` (a sub-unit's);
reasons and pages show them with these words, never the field name (pure Python, no Django).
"""

from __future__ import annotations

from collections.abc import Callable

INPUT_NAMES: dict[str, tuple[str, str]] = {  # name → (vi, en)
    "population": ("dân số", "population"),
    "population_18plus": ("dân số từ 18 tuổi", "population aged 18+"),
    "population_50plus": ("dân số từ 50 tuổi", "population aged 50+"),
    "population_65plus": ("dân số từ 65 tuổi", "population aged 65+"),
    "high_risk_population": ("số người thuộc nhóm nguy cơ cao", "high-risk population"),
    "new_community_cases_7d": ("số ca mới trong cộng đồng 7 ngày", "new community cases, 7 days"),
    "new_community_cases_14d": ("số ca mới trong cộng đồng 14 ngày", "new community cases, 14 days"),
    "known_source_cases_14d": ("số ca rõ nguồn lây 14 ngày", "cases of known source, 14 days"),
    "unknown_source_cases_14d": ("số ca chưa rõ nguồn lây 14 ngày", "cases of unknown source, 14 days"),
    "clusters": ("ổ dịch đang hoạt động", "active clusters"),
    "f1_present": ("có F1 đang cách ly", "F1 in quarantine"),
    "dose1_18plus": ("số người từ 18 tuổi đã tiêm mũi 1", "people 18+ with a first dose"),
    "full_50plus": ("số người từ 50 tuổi tiêm đủ liều", "people 50+ fully vaccinated"),
    "full_all": ("số người tiêm đủ liều cơ bản", "people fully vaccinated"),
    "full_high_risk": ("số người nguy cơ cao tiêm đủ liều", "high-risk people fully vaccinated"),
    "deaths_7d": ("số ca tử vong 7 ngày", "deaths, 7 days"),
    "hospital_cases_7d": ("số ca nhập viện 7 ngày", "hospital admissions, 7 days"),
    "vacant_beds_per_100k": ("số giường điều trị COVID còn trống trên 100.000 dân", "vacant COVID beds per 100,000"),
    "icu_beds_per_100k": ("số giường hồi sức tích cực trên 100.000 dân", "ICU beds per 100,000"),
    "capacity_ready": ("khả năng đáp ứng điều trị", "treatment capacity readiness"),
    "neighbours": ("danh sách đơn vị giáp ranh", "neighbouring units"),
    "is_border": ("đơn vị biên giới", "border unit"),
    "previous_level": ("cấp độ kỳ trước", "previous level"),
    "override_level": ("cấp độ địa phương áp dụng", "level applied locally"),
    "linked_to_red_cluster_place": ("liên quan nơi có ổ dịch cấp đỏ", "linked to a red cluster's place"),
    "illegal_entry_risk": ("nguy cơ nhập cảnh trái phép", "illegal entry risk"),
    "protected_site_at_risk": ("khu sản xuất cần bảo vệ có nguy cơ", "protected site at risk"),
    "spreads_to_other_provinces": ("lây lan sang tỉnh khác", "spreads to other provinces"),
    "hard_to_control_spread_share": ("tỷ lệ lây lan khó kiểm soát", "share of hard-to-control spread"),
    "communes": ("các xã trực thuộc", "communes"),
    "districts": ("các huyện trực thuộc", "districts"),
    "provinces": ("các tỉnh, thành phố", "provinces"),
    "weekly_community_cases": ("số ca cộng đồng theo tuần", "weekly community cases"),
    "daily_positivity_pct": ("tỷ lệ xét nghiệm dương tính hằng ngày", "daily test positivity"),
    "new_clusters_last_7d": ("số ổ dịch mới trong 7 ngày", "new clusters, last 7 days"),
    "units_by_level_before": ("số đơn vị theo cấp độ kỳ trước", "units by level, before"),
    "units_by_level_now": ("số đơn vị theo cấp độ hiện nay", "units by level, now"),
}


def input_name(ref: str, lang: str = "vi", unit_name: Callable[[str], str] | None = None) -> str:
    """``"dose1_18plus"`` → "số người từ 18 tuổi đã tiêm mũi 1"; ``"25229.clusters"`` → "ổ dịch đang
    hoạt động (25229)", or with the unit's name when ``unit_name`` knows it."""
    code, dot, name = ref.rpartition(".")
    names = INPUT_NAMES.get(name)
    label = (names[0] if lang == "vi" else names[1]) if names else name
    if not dot:
        return label
    return f"{label} ({(unit_name(code) if unit_name else '') or code})"
