"""core.imports' shared parts of every importer: ImportResource's checks, rows_of, resource_class, headers."""

from __future__ import annotations

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from chongdich.core.imports import Column, Importer, ImportResource, importer_for, rows_of
from chongdich.core.roles import Cap
from chongdich.people.imports import PersonImporter, PersonResource


class _Resource(ImportResource):
    capability = Cap.PEOPLE_IMPORT


class _Job:
    def __init__(self, user, unit):
        self.created_by, self.unit = user, unit


def test_rows_of_gives_each_row_by_column_key():
    dataset = tablib.Dataset(["1", "An", 3], ["2", "Bình", 4], headers=["stt", "full_name", "_row"])
    assert list(rows_of(dataset)) == [
        {"stt": "1", "full_name": "An", "_row": 3},
        {"stt": "2", "full_name": "Bình", "_row": 4},
    ]


def test_the_resource_knows_the_job_its_actor_area_and_scope(world, personas):
    resource = _Resource(_Job(personas["commune"], world.commune))
    assert (resource.actor, resource.target, resource.dry_run) == (personas["commune"], world.commune, False)
    assert resource.scope.contains(world.commune.path) and not resource.scope.contains(world.other_commune.path)


def test_check_area_refuses_a_unit_outside_the_actors_area_on_the_named_column(world, personas):
    resource = _Resource(_Job(personas["commune"], world.commune))
    resource.check_area(world.commune)
    with pytest.raises(ValidationError) as refused:
        resource.check_area(world.other_commune, "code")
    assert list(refused.value.message_dict) == ["code"]


def test_check_first_refuses_a_later_row_with_the_key_of_an_earlier_one(world, personas):
    resource = _Resource(_Job(personas["commune"], world.commune))
    resource.check_first(("a",), 3, "__all__", "Same as row %(row)s.")
    resource.check_first(("a",), 3, "__all__", "Same as row %(row)s.")  # the same row again (a retried chunk)
    resource.check_first(("b",), 4, "__all__", "Same as row %(row)s.")
    with pytest.raises(ValidationError) as refused:
        resource.check_first(("a",), 5, "sample_code", "Same as row %(row)s.")
    assert refused.value.message_dict == {"sample_code": ["Same as row 3."]}


def test_an_importer_makes_its_resource_class_for_the_job(world, personas):
    resource = importer_for("people.persons").resource(_Job(personas["commune"], world.commune))
    assert type(resource) is PersonResource and resource.capability == PersonImporter.capability


def test_headers_are_the_columns_in_the_templates_order():
    class Two(Importer):
        columns = (Column("b", gettext_lazy("Bee")), Column("a", gettext_lazy("Ay")))

    assert Two().headers() == ["Bee", "Ay"]
