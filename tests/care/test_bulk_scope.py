"""The bulk-quarantine preview and order of another area's chain answer like an unknown chain (issue 8
§1): no counts, and the POST writes nothing (it used to write an empty batch)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from chongdich.care.actions import do_bulk_home_quarantine, select
from chongdich.care.models import HomeOrder, OrderBatch
from chongdich.surveillance.models import Chain


@pytest.fixture
def chain(make_person, make_case, make_f1):
    """A chain of Đức Hạnh with three F1 there."""
    case = make_case(make_person(full_name="Ca Nguồn"), confirmed_on=date(2022, 3, 2))
    for i in range(3):
        make_f1(case, make_person(full_name=f"Người Tiếp Xúc {i}"))
    return case.chain


def _answer(client, chain_id):
    response = client.get(reverse("care:bulk_new"), {"source": "chain", "chain": chain_id, "mode": "home"})
    assert response.status_code == 200
    return response.context["preview"], response.context["form"].errors


def test_preview_of_another_areas_chain_answers_like_an_unknown_chain(client_of, chain):
    client = client_of("other_commune")
    preview, errors = _answer(client, chain.pk)
    unknown = (Chain.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    preview_unknown, errors_unknown = _answer(client, unknown)
    assert preview is None and preview_unknown is None
    assert errors["chain"] == [e.replace(str(unknown), str(chain.pk)) for e in errors_unknown["chain"]]
    assert (
        "Người Tiếp Xúc"
        not in client.get(reverse("care:bulk_new"), {"source": "chain", "chain": chain.pk}).content.decode()
    )


def test_post_for_another_areas_chain_writes_nothing(client_of, chain):
    query = f"?source=chain&chain={chain.pk}&mode=home"
    response = client_of("other_commune").post(reverse("care:bulk_new") + query, {"client_id": "bulk-x"})
    assert response.status_code == 200
    assert not OrderBatch.objects.exists() and not HomeOrder.objects.exists()


def test_services_refuse_another_areas_chain(personas, chain):
    with pytest.raises(ValidationError):
        select(personas["other_commune"], chain=chain)
    with pytest.raises(ValidationError):
        do_bulk_home_quarantine(personas["other_commune"], chain=chain, client_id="bulk-y")
    assert not OrderBatch.objects.exists()
    assert select(personas["commune"], chain=chain).to_order == 3  # its own area: counted as before
