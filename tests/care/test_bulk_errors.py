"""The bulk-order page says a refusal of the service once (it used to repeat it above its form)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.test_errors_shown_once import repeated_errors


@pytest.mark.parametrize(
    ("refusal", "text"),
    [
        (ValidationError("Không thể lập quyết định cho chuỗi này."), "Không thể lập quyết định cho chuỗi này."),
        (PermissionDenied("Chuỗi này thuộc địa bàn khác."), "Chuỗi này thuộc địa bàn khác."),
    ],
)
def test_bulk_preview_says_a_refusal_once(
    world, personas, client_of, make_person, make_case, monkeypatch, refusal, text
):
    case = make_case(make_person(full_name="Ca Chỉ Điểm"), confirmed_on=date(2022, 3, 2))

    def refuse(*args, **kwargs):
        raise refusal

    monkeypatch.setattr("chongdich.care.views.bulk.select", refuse)
    page = client_of("district").get("/care/bulk/", {"source": "chain", "chain": case.chain_id, "mode": "home"})
    html = page.content.decode()
    assert page.status_code == 200 and html.count(text) == 1
    assert repeated_errors(html) == []
