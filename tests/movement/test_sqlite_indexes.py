"""On the embedded SQLite the event tables keep one row per client id through a raw unique index (0001):
a later migration that rebuilds a table must not lose it (SQLite adds a NOT NULL column by rebuilding)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from chongdich.movement.models import Declaration

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the raw unique indexes are SQLite's"),
]

INDEXES = ("movement_passage_client_once", "movement_checkin_client_once", "movement_decl_client_once")


def test_the_client_id_indexes_survive_the_migrations():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        names = {row[0] for row in cursor.fetchall()}
    assert set(INDEXES) <= names


def test_a_second_declaration_with_the_same_client_id_is_refused_by_the_database(world):
    def row():
        now = timezone.now()
        declaration = Declaration(
            received_at=now, day=now.date(), client_id="same-id", receipt="ABCD2345", full_name="Trần Văn B"
        )
        declaration.birth_year, declaration.sex, declaration.phone = 1990, "male", "+84912000111"
        declaration.place_in(world.commune)
        return declaration

    row().save()
    with pytest.raises(IntegrityError), transaction.atomic():
        row().save()
