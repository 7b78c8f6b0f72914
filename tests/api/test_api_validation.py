"""The API's edge: every input bounded like its column, refusals as a 422 in Vietnamese naming the
field, every list capped and paged by a signed cursor, every page of personal data audited."""

from __future__ import annotations

import json
from datetime import date

import pytest

from chongdich.accounts.models import ApiToken
from chongdich.core.models import AuditEvent
from chongdich.people.models import Person


@pytest.fixture
def api(client, personas):
    _token, raw = ApiToken.issue(personas["health"], name="phone of the health station")
    client.raise_request_exception = False
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    class Api:
        def get(self, path, **params):
            return client.get(path, params, **auth)

        def post(self, path, payload, **headers):
            return client.post(path, json.dumps(payload), content_type="application/json", **auth, **headers)

    return Api()


PERSON = {"full_name": "Vũ Thị Hồng", "sex": "F", "birth_year": 1994, "phone": "0977 123 456", "unit": "25228-01"}
HUGE = 99999999999999999999999


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sex", "male"),
        ("full_name", "x" * 121),
        ("full_name", "   "),
        ("address", "y" * 201),
        ("client_id", "z" * 65),
        ("birth_year", 99999),
        ("birth_year", 3000),
        ("birth_year", 1850),
        ("birth_year", HUGE),
        ("birth_year", "nineteen"),
        ("residence_status", "xx"),
        ("occupation_group", "astronaut"),
        ("notes", "n" * 2001),
        ("date_of_birth", "1800-01-01"),
        ("date_of_birth", "2999-01-01"),
        ("date_of_birth", "99999-01-01"),
        ("unit", "u" * 21),
        ("cccd", "1" * 21),
        ("confirm_new", "maybe"),
    ],
)
def test_bad_person_is_a_422_in_vietnamese_naming_the_field(api, world, field, value):
    response = api.post("/api/v1/persons", {**PERSON, field: value})
    assert response.status_code == 422, response.content
    body = response.json()
    assert field in body["errors"], body
    assert body["detail"].startswith("Dữ liệu không hợp lệ") and not Person.objects.exists()


def test_the_vietnamese_messages_say_how_to_fix_it(api, world):
    errors = api.post("/api/v1/persons", {**PERSON, "sex": "male", "full_name": "x" * 121, "birth_year": 99999}).json()[
        "errors"
    ]
    assert errors["sex"] == ["Chọn một trong: M, F."]
    assert errors["full_name"] == ["Tối đa 120 ký tự."]
    assert "Năm sinh phải từ 1900 đến" in errors["birth_year"][0] or "Tối đa" in errors["birth_year"][0]


def test_over_long_idempotency_key_is_a_422(api, world):
    response = api.post("/api/v1/persons", PERSON, HTTP_IDEMPOTENCY_KEY="k" * 65)
    assert response.status_code == 422 and "Idempotency-Key" in response.json()["errors"]


def test_a_good_person_still_goes_in(api, world):
    response = api.post(
        "/api/v1/persons", {**PERSON, "date_of_birth": "1994-05-02", "occupation_group": "", "address": "  Thôn 1  "}
    )
    assert response.status_code == 201, response.content
    assert Person.objects.get().address == "Thôn 1"


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "99999999999999999999"},
        {"limit": "0"},
        {"limit": "101"},
        {"limit": "-1"},
        {"limit": "abc"},
        {"q": "q" * 101},
        {"cursor": "not-a-cursor"},
        {"cursor": "x" * 1001},
    ],
)
def test_bad_list_parameters_are_a_422(api, world, params):
    response = api.get("/api/v1/persons", **params)
    assert response.status_code == 422, response.content
    assert set(params) <= set(response.json()["errors"])


def test_offset_beyond_64_bits_no_longer_reaches_the_database(api, world, make_person):
    make_person()
    response = api.get("/api/v1/persons", offset="99999999999999999999")
    assert response.status_code == 200 and len(response.json()["items"]) == 1


def test_every_list_is_capped(api, world, make_person):
    people = []
    for i in range(105):
        person = Person(full_name=f"Người {i:03d}", sex="M", birth_year=1990)
        person.place_in(world.village)
        people.append(person)
    for person in people:
        person.save()
    first = api.get("/api/v1/persons").json()
    assert len(first["items"]) == 50 and first["next"]
    biggest = api.get("/api/v1/persons", limit="100").json()
    assert len(biggest["items"]) == 100 and biggest["next"]
    assert api.get("/api/v1/persons", limit="1000").status_code == 422
    assert api.get("/api/v1/units", limit="1000").status_code == 422
    assert api.get("/api/v1/samples", limit="1000").status_code == 422


def test_the_cursor_walks_the_whole_list_once(api, world, make_person):
    made = [make_person(full_name="Nguyễn Văn An", cccd=None, birth_year=1980 + i).pk for i in range(7)]  # same name
    made += [make_person(full_name="Lê Thị Bình", cccd=None, birth_year=1970 + i).pk for i in range(3)]
    for params in ({}, {"q": "nguyen an"}):
        seen, cursor, pages = [], None, 0
        while True:
            page = api.get("/api/v1/persons", limit="3", **params, **({"cursor": cursor} if cursor else {})).json()
            seen += [p["id"] for p in page["items"]]
            pages += 1
            cursor = page["next"]
            if not cursor:
                break
        expected = made if not params else made[:7]
        assert sorted(seen) == sorted(expected) and len(seen) == len(set(seen)), params
        assert pages == -(-len(expected) // 3)


def test_a_cursor_only_fits_its_own_list(api, world, make_person):
    for i in range(3):
        make_person(full_name="Nguyễn Văn An", cccd=None, birth_year=1980 + i)
    cursor = api.get("/api/v1/persons", limit="1", q="nguyen").json()["next"]
    response = api.get("/api/v1/persons", limit="1", cursor=cursor)  # the search's cursor on the browse list
    assert response.status_code == 422 and "cursor" in response.json()["errors"]
    assert api.get("/api/v1/persons", limit="1", cursor=cursor[:-2] + "xx").status_code == 422  # tampered


def test_browsing_people_is_audited_with_who_was_sent(api, world, make_person, personas):
    mine = [make_person(full_name=f"Trần Văn {name}", cccd=None) for name in ("An", "Bình")]
    make_person(unit=world.other_village, full_name="Hồ Văn Xa", cccd=None)
    response = api.get("/api/v1/persons")
    assert [p["id"] for p in response.json()["items"]] == sorted(
        (p.pk for p in mine), key=lambda pk: Person.objects.get(pk=pk).folded_name
    )
    event = AuditEvent.objects.get(action="view", object_type="people.person")
    assert event.actor == personas["health"] and sorted(event.detail["people"]) == sorted(p.pk for p in mine)
    assert event.detail["api"] is True and event.unit_path == world.village.path and "filters" not in event.detail
    api.get("/api/v1/persons", q="tran van an", limit="10")
    search = AuditEvent.objects.get(action="search", object_type="people.person")
    assert search.detail["people"] == [mine[0].pk] and search.detail["filters"] == {"q": "tran van an"}


def test_the_sample_list_is_audited_with_the_people_on_it(api, world, make_person, personas):
    from chongdich.testing.actions import do_register_sample

    person = make_person(cccd=None)
    do_register_sample(personas["health"], person=person, kind="rt_pcr", reason="f1", taken_on=date.today())
    assert len(api.get("/api/v1/samples").json()["items"]) == 1
    event = AuditEvent.objects.get(action="view", object_label="API /api/v1/samples")
    assert event.detail["people"] == [person.pk] and event.detail["api"] is True


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"reason": "f1", "taken_on": "2012-06-01"}, "taken_on"),  # a sample in 2012
        ({"reason": "f1", "taken_on": "2020-01-15"}, "taken_on"),  # before Viet Nam's first case
        ({"reason": "f1", "taken_on": "2999-01-01"}, "taken_on"),
        ({"reason": "f1", "taken_on": "2021-08-01", "code": "c" * 41}, "code"),
        ({"reason": "f1", "taken_on": "2021-08-01", "lab": "l" * 21}, "lab"),
        ({"reason": "f1", "taken_on": "2021-08-01", "campaign_id": HUGE}, "campaign_id"),
        ({"reason": "because", "taken_on": "2021-08-01"}, "reason"),
    ],
)
def test_bad_sample_is_a_422(api, world, make_person, payload, field):
    person = make_person(cccd=None)
    response = api.post("/api/v1/samples", {"person_id": person.pk, **payload})
    assert response.status_code == 422 and field in response.json()["errors"], response.content


def test_sample_dates_say_why_in_vietnamese(api, world, make_person):
    person = make_person(cccd=None)
    errors = api.post("/api/v1/samples", {"person_id": person.pk, "reason": "f1", "taken_on": "2012-06-01"}).json()[
        "errors"
    ]
    assert errors["taken_on"] == [
        "Ngày lấy mẫu (01/06/2012) là trước khi dịch xuất hiện ở Việt Nam (23/01/2020): kiểm tra lại năm."
    ]


@pytest.mark.parametrize("ct", ["1e100000", "-1", "46", "12.345", "NaN", "Infinity"])
def test_bad_ct_value_is_a_422(api, world, ct):
    response = api.post("/api/v1/samples/ANY/result", {"status": "positive", "ct_value": ct, "result_on": "2021-08-01"})
    assert response.status_code == 422 and "ct_value" in response.json()["errors"], response.content


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/persons/99999999999999999999",
        "/api/v1/persons/0",
        "/api/v1/samples/" + "S" * 41,
        "/api/v1/units/" + "U" * 21,
    ],
)
def test_bad_path_values_are_refused_not_crashed(api, world, path):
    assert api.get(path).status_code in (404, 422)


def test_not_found_and_forbidden_answer_in_vietnamese(api, world, client):
    assert api.get("/api/v1/persons/12345").json()["detail"] == "Không tìm thấy (hoặc nằm ngoài địa bàn của bạn)."
    assert "mã truy cập API" in client.get("/api/v1/persons").json()["detail"]
