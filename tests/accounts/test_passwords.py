"""Passwords people here would guess are refused wherever a password is set, with Vietnamese messages."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from chongdich.accounts.models import User
from tests.conftest import PASSWORD


def refused(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        return exc.messages
    return []


@pytest.mark.parametrize(
    "password",
    [
        "chongdich",
        "Chống Dịch 2021",
        "chongdich@123",
        "phongchongdich",  # the system's name
        "matkhau123",
        "MatKhau@2021",
        "Mật khẩu 1",
        "anhyeuem",
        "anhyeuem123",
        "123anhyeuem",
        "iloveyou2",  # Vietnamese favourites
        "vietnam123",
        "covid19covid19",
        "nguyen1990",
        "ubndxa2021",
        "quantri123",
        "12345678",
        "123456789",
        "1234-5678",
        "00000000",
        "abababab",  # digits, symbols, repetition
    ],
)
def test_guessable_passwords_are_refused(db, password):
    assert refused(password)


@pytest.mark.parametrize("password", ["Rừng-cao-su-9-giờ", "k7#Tq2!vBm", "ba con meo xam 42", "x-Strong-pass-1"])
def test_good_passwords_pass(db, password):
    assert refused(password) == []


def test_the_username_and_the_name_are_refused(db):
    account = User(username="xa.duchanh", full_name="Nguyễn Văn Hạnh")
    assert refused("xaduchanh2021", account)
    assert refused("XA.DUCHANH!!", account)
    assert refused("nguyenvanhanh@79", account)
    assert refused("Rừng-cao-su-9-giờ", account) == []


def test_messages_are_in_vietnamese(db):
    assert refused("matkhau123") == [
        "Mật khẩu này quá nhiều người dùng (như “matkhau123” hay “anhyeuem”); hãy chọn mật khẩu khác."
    ]
    assert "Mật khẩu không được chứa tên hệ thống." in refused("chongdich-2025")


def test_an_officer_cannot_create_an_account_with_its_username_as_password(client_of, world):
    response = client_of("district").post(
        reverse("accounts:user_create"),
        {
            "username": "yte.phuvan",
            "full_name": "Trạm Y tế Phú Văn",
            "password": "yte.phuvan2024",
            "role": "health_staff",
            "unit": world.other_commune.code,
        },
    )
    assert response.status_code == 200 and "password" in response.context["form"].errors
    assert "Mật khẩu không được chứa tên đăng nhập." in response.context["form"].errors["password"]
    assert not User.objects.filter(username="yte.phuvan").exists()


@pytest.mark.parametrize("password", ["chongdich", "matkhau123", "12345678"])
def test_an_officer_cannot_reset_a_password_to_a_guessable_one(client_of, personas, password):
    account = personas["commune"]
    response = client_of("district").post(
        reverse("accounts:user", args=[account.pk]), {"form": "password", "password": password}
    )
    assert response.status_code == 200 and response.context["password_form"].errors
    account.refresh_from_db()
    assert account.check_password(PASSWORD)


def test_a_user_changes_their_own_password(client_of, personas):
    client = client_of("health")
    page = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "health2025x", "new_password2": "health2025x"},
    )
    assert page.status_code == 200 and "Mật khẩu không được chứa tên đăng nhập." in page.content.decode()
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Rừng-cao-su-9-giờ", "new_password2": "Rừng-cao-su-9-giờ"},
    )
    assert response.status_code == 302 and response.url == reverse("accounts:profile")
    personas["health"].refresh_from_db()
    assert personas["health"].check_password("Rừng-cao-su-9-giờ")
    assert client.get(reverse("accounts:profile")).status_code == 200  # still signed in


def test_the_demo_password_is_set_by_the_generator_not_validated():
    from chongdich.demo.district import DEMO_PASSWORD

    assert DEMO_PASSWORD == "chongdich-demo"  # refused by the validator; the generator sets it directly
