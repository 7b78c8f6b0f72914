"""No personal data and no scope leaks on the public portal: people, cases by name, officers' names,
clusters, override reasons, report comments and assessment inputs never appear on any public page."""

from datetime import timedelta

import pytest
from django.core.cache import cache

from chongdich.portal.actions import do_add_hotline, do_create_announcement, do_sync_level_announcements
from tests.helpers import add_cluster_tallies
from tests.portal.conftest import DAY

pytestmark = pytest.mark.django_db

SECRETS = [
    "Hoàng Thị Bí Mật",
    "Phạm Văn Riêng",
    "Lê Thị Ca Bệnh",
    "Ổ dịch chợ Riêng Tư",
    "lý do nội bộ không công khai",
    "Nhận xét nội bộ của huyện",
    "079185000123",
    "Officer Secret",
]


def all_public_pages(client) -> dict[str, str]:
    from chongdich.portal.models import Announcement
    from chongdich.territory.models import AdminUnit

    paths = ["/public/", "/public/announcements/", "/public/?q=duc+hanh", "/public/?q=Hoàng+Thị"]
    paths += [f"/public/{code}/" for code in AdminUnit.objects.exclude(level="village").values_list("code", flat=True)]
    paths += [f"/public/announcements/{pk}/" for pk in Announcement.objects.values_list("pk", flat=True)]
    paths += ["/public/announcements/?unit=25228"]
    pages = {}
    for path in paths:
        cache.clear()
        response = client.get(path)
        assert response.status_code in (200, 404), path
        pages[path] = response.content.decode()
    return pages


def test_no_personal_data_on_any_public_page(world, personas, make_person, anonymous):
    from chongdich.accounts.models import User
    from chongdich.reports.actions import do_send_report
    from chongdich.risk.actions import do_override
    from chongdich.risk.assess import assess_day
    from chongdich.surveillance.models import Case, Cluster
    from chongdich.territory.models import Adjacency

    for a, b in ((world.commune, world.other_commune), (world.other_commune, world.border_commune)):
        Adjacency.objects.create(unit=a, neighbour=b)
        Adjacency.objects.create(unit=b, neighbour=a)
    User.objects.filter(username="commune").update(full_name="Officer Secret")
    make_person(full_name="Hoàng Thị Bí Mật", sex="F", birth_year=1990, cccd="079190000123")
    person = make_person(full_name="Lê Thị Ca Bệnh", sex="F", birth_year=1985)
    make_person(unit=world.other_village, full_name="Phạm Văn Riêng", birth_year=1970)
    cluster = Cluster(
        name="Ổ dịch chợ Riêng Tư", setting="market", source_known=True, opened_on=DAY - timedelta(days=1)
    )
    cluster.place_in(world.commune)
    cluster.save()
    case = Case(
        person=person, case_number="BN-1", confirmed_on=DAY - timedelta(days=1), cluster=cluster, source_known=True
    )
    case.place_in(world.village)
    case.save()
    add_cluster_tallies(cluster, case)
    assess_day(DAY - timedelta(days=1))
    assess_day(DAY)
    do_override(personas["commune"], world.commune, level=3, reason="lý do nội bộ không công khai, quyết định 45")
    assess_day(DAY)
    do_sync_level_announcements()
    do_send_report(personas["district"], world.district, DAY, comments="Nhận xét nội bộ của huyện")
    do_create_announcement(
        personas["commune"], world.commune, title="Thông báo của xã", body="Người dân hạn chế ra ngoài."
    )
    do_add_hotline(personas["commune"], world.commune, label="Trạm Y tế", number="0271 3879 115")

    pages = all_public_pages(anonymous)
    assert len(pages) >= 15
    for path, html in pages.items():
        for secret in SECRETS:
            assert secret not in html, f"{secret!r} leaks on {path}"
    assert "Thông báo của xã" in pages["/public/25228/"]  # the page is not empty: public content is there


def test_logged_in_users_get_the_same_public_page(levels, client_of, personas):
    personas["commune"].full_name = "Officer Secret"
    personas["commune"].save()
    cache.clear()
    as_officer = client_of("commune").get("/public/25228/").content.decode()
    cache.clear()
    as_public = client_of(None).get("/public/25228/").content.decode()
    assert as_officer == as_public and "Officer Secret" not in as_public
