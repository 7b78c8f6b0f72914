"""The words for the rules' codes, Vietnamese and English.  The rules return codes only; pages and the
API call ``reason_text(code, lang)`` (or translate the code through their own catalogue)."""

from __future__ import annotations

REASONS: dict[str, tuple[str, str]] = {
    # plates
    "plate_empty": ("Chưa nhập biển số.", "The plate is empty."),
    "plate_too_long": ("Biển số quá dài (tối đa {max} ký tự).", "The plate is too long (at most {max} characters)."),
    "plate_characters": (
        "Biển số chỉ gồm chữ cái, chữ số, dấu chấm, gạch ngang và khoảng trắng.",
        "A plate has only letters, digits, dots, dashes and spaces.",
    ),
    "plate_format": (
        "Biển số không đúng định dạng (ví dụ: 51C-123.45, 59-X1 123.45, TM-12-34).",
        "The plate is not in a Vietnamese format (e.g. 51C-123.45, 59-X1 123.45, TM-12-34).",
    ),
    "plate_province": ("Mã tỉnh {province} của biển số không tồn tại.", "No province has plate code {province}."),
    "plate_series": ("Sê-ri {series} của biển số không hợp lệ.", "Plate series {series} is not valid."),
    "plate_number_zero": ("Số thứ tự của biển số không thể toàn số 0.", "A plate's number cannot be all zeros."),
    # lists of codes
    "codes_not_list": ("Phải là một danh sách mã.", "Must be a list of codes."),
    "codes_too_many": ("Quá nhiều mục (tối đa {max}).", "Too many items (at most {max})."),
    "code_unknown": ("Mã không hợp lệ: {code}.", "Unknown code: {code}."),
    # times and numbers
    "datetime_required": ("Cần ngày giờ hợp lệ.", "A valid date and time is needed."),
    "datetime_mixed": ("Ngày giờ thiếu múi giờ.", "A date and time lacks its time zone."),
    "hours_invalid": ("Số giờ không hợp lệ.", "The number of hours is not valid."),
    "minutes_invalid": ("Số phút không hợp lệ.", "The number of minutes is not valid."),
    "window_order": ("Thời điểm kết thúc trước thời điểm bắt đầu.", "The end is before the start."),
    "temperature_range": ("Thân nhiệt phải từ 30 đến 45 °C.", "The temperature must be between 30 and 45 °C."),
    "people_range": ("Số người trên xe phải từ 1 đến {max}.", "People on board must be between 1 and {max}."),
    "choice_unknown": ("Lựa chọn không hợp lệ.", "Not a valid choice."),
    "no_rule_in_force": ("Chưa có quy định cho ngày này.", "No rule is in force on this day."),
    # the checkpoint's advice
    "emergency_vehicle": ("Xe cấp cứu, xe ưu tiên: cho qua.", "Ambulance or emergency vehicle: let through."),
    "positive_test": ("Có kết quả xét nghiệm dương tính: chuyển cách ly.", "Positive test: send to quarantine."),
    "fever": ("Sốt (thân nhiệt cao): xét nghiệm tại chốt.", "Fever (high temperature): test on site."),
    "carded_not_checked": (
        "Xe có thẻ luồng xanh còn hiệu lực chở hàng thiết yếu: không kiểm tra.",
        "Valid green-lane card carrying essential goods: not checked.",
    ),
    "card_and_driver_test": (
        "Thẻ luồng xanh còn hiệu lực và lái xe có xét nghiệm âm tính còn hạn: cho qua.",
        "Valid green-lane card and the driver's valid negative test: let through.",
    ),
    "card_without_test": (
        "Có thẻ luồng xanh nhưng chưa có xét nghiệm âm tính còn hạn.",
        "Green-lane card but no valid negative test.",
    ),
    "cards_ended": ("Thẻ luồng xanh không còn được áp dụng.", "Green-lane cards no longer apply."),
    "no_declaration": ("Chưa xuất trình tờ khai y tế.", "No health declaration shown."),
    "valid_test": ("Xét nghiệm âm tính còn hạn.", "Valid negative test."),
    "no_test": ("Không có xét nghiệm âm tính.", "No negative test."),
    "test_expired": (
        "Xét nghiệm đã quá hạn (tính từ lúc có kết quả).",
        "The test has expired (counted from its result).",
    ),
    "test_in_future": (
        "Thời điểm có kết quả xét nghiệm ở sau thời điểm qua chốt.",
        "The test result is dated after the passage.",
    ),
    "test_time_missing": ("Chưa ghi thời điểm có kết quả xét nghiệm.", "The time of the test result is missing."),
    "test_kind_not_accepted": ("Loại xét nghiệm này không được chấp nhận.", "This kind of test is not accepted."),
    "colour_exempt": ("Đã tiêm vắc xin: không cần xét nghiệm.", "Vaccinated: no test needed."),
    "test_not_required": ("Không yêu cầu xét nghiệm.", "No test required."),
    "watched_origin": (
        "Đến từ vùng có dịch: báo xã nơi đến.",
        "Arriving from an epidemic area: the commune is alerted.",
    ),
    # the actions
    "through": ("Cho qua", "Let through"),
    "tested": ("Xét nghiệm tại chốt", "Tested on site"),
    "turned_back": ("Quay đầu", "Turned back"),
    "quarantine": ("Chuyển cách ly", "Sent to quarantine"),
}


def reason_text(code: str, lang: str = "vi", /, **params: object) -> str:
    """The words for ``code`` in ``lang`` ("vi", anything starting "en" for English); an unknown code is
    returned as it is.  Blanks ({max}, {province}…) not given stay as they are."""
    pair = REASONS.get(code)
    if pair is None:
        return str(code)
    text = pair[1] if str(lang).lower().startswith("en") else pair[0]
    if "{" not in text:
        return text
    try:
        return text.format_map(_Blanks({name: str(value) for name, value in params.items()}))
    except (ValueError, IndexError, AttributeError):
        return text


class _Blanks(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
