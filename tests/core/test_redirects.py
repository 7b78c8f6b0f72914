"""After a form, back to ``next`` only when it is a path of this site (a bare word was a 500)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from chongdich.core.redirects import next_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("/cases/12/", "/cases/12/"),
        ("/cases/?page=2", "/cases/?page=2"),
        ("0", "/home/"),
        ("care:today", "/home/"),
        ("//evil.example/x", "/home/"),
        ("https://evil.example/", "/home/"),
        ("javascript:alert(1)", "/home/"),
        ("", "/home/"),
    ],
)
def test_next_url_table(given, expected):
    assert next_url(RequestFactory().post("/", {"next": given}), "/home/") == expected


@pytest.mark.parametrize("given", ["0", "people:list", "x"])
def test_contact_status_with_a_bare_word_as_next_goes_back_to_the_tracing_list(
    client_of, make_person, confirm, expose, given
):
    from chongdich.surveillance.models import Contact

    case = confirm(make_person(full_name="Trần Văn Nguồn", cccd=None))
    expose(case.person, make_person(full_name="Lê Thị Gần", sex="F", cccd=None))
    contact = Contact.objects.get()
    response = client_of("health").post(
        reverse("surveillance:contact_status", args=[contact.pk]), {"status": "reached", "next": given}
    )
    assert response.status_code == 302 and response.url == reverse("surveillance:tracing", args=[case.pk])
