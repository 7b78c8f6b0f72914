"""Search by CCCD, phone or name with or without diacritics, always inside the scope."""

import pytest

from chongdich.people.selectors import search_people


@pytest.fixture
def people(world, make_person):
    return {
        "an": make_person(full_name="Nguyễn Văn An", cccd="070085000111", phone="+84912000111"),
        "anh": make_person(full_name="Nguyễn Văn Anh", birth_year=1990),
        "van": make_person(full_name="Trần Thị Vân", sex="F", birth_year=1970),
        "dao": make_person(full_name="Đặng Thị Đào", sex="F", birth_year=1960),
        "far": make_person(unit=world.other_village, full_name="Nguyễn Văn An", birth_year=1999),
    }


def names(user, query):
    return [p.full_name for p in search_people(user, query)]


def test_name_without_diacritics_finds_the_person_first(personas, people):
    found = names(personas["commune"], "nguyen van an")
    assert found[0] == "Nguyễn Văn An" and "Nguyễn Văn Anh" in found
    assert "Trần Thị Vân" not in found  # "an" must begin a word, "Vân" does not match


def test_words_in_any_order_and_letter_d(personas, people):
    assert names(personas["commune"], "dao dang") == ["Đặng Thị Đào"]
    assert names(personas["commune"], "ĐẶNG THỊ ĐÀO") == ["Đặng Thị Đào"]


def test_cccd_and_phone(personas, people):
    assert names(personas["commune"], "070085000111") == ["Nguyễn Văn An"]
    assert names(personas["commune"], "0912 000 111") == ["Nguyễn Văn An"]
    assert names(personas["commune"], "+84912000111") == ["Nguyễn Văn An"]


def test_search_is_scoped(personas, people):
    assert names(personas["commune"], "nguyen van an").count("Nguyễn Văn An") == 1
    assert names(personas["district"], "nguyen van an").count("Nguyễn Văn An") == 2
    assert names(personas["other_commune"], "070085000111") == []
    assert names(personas["viewer"], "nguyen") == []


def test_merged_records_are_not_found(personas, people):
    people["anh"].merged_into = people["an"]
    people["anh"].save()
    assert "Nguyễn Văn Anh" not in names(personas["commune"], "nguyen van")


def test_empty_query_finds_nothing(personas, people):
    assert names(personas["commune"], "   ") == []
