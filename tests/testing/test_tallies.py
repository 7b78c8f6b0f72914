"""Every testing write keeps tallies equal to a rebuild from the records, whatever the sequence."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chongdich.tallies.rebuild import differences
from chongdich.testing.actions import do_record_result, do_register_pool, do_register_sample
from chongdich.testing.models import Sample, SampleKind
from tests.helpers import run_job, xlsx_bytes


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_sequences_agree_with_a_rebuild(seed, world, personas, make_person, lab, today):
    rng = random.Random(seed)
    actor = personas["health"]
    people = [
        make_person(full_name=f"Người {i}", cccd=None, unit=rng.choice([world.village, world.village2]))
        for i in range(12)
    ]

    def register():
        kind = rng.choice([SampleKind.RT_PCR, SampleKind.RAPID_ANTIGEN])
        result = rng.choice(["", "negative", "positive"]) if kind == SampleKind.RAPID_ANTIGEN else ""
        do_register_sample(
            actor,
            person=rng.choice(people),
            kind=kind,
            reason="f1",
            taken_on=today - timedelta(days=rng.randrange(6)),
            lab=lab,
            result=result,
        )

    def pool():
        do_register_pool(
            actor,
            members=rng.sample(people, rng.randrange(2, 6)),
            reason="screening",
            taken_on=today - timedelta(days=rng.randrange(6)),
            lab=lab,
        )

    def result():
        samples = list(Sample.objects.all())
        if samples:
            sample = rng.choice(samples)
            ct = (
                Decimal(rng.randrange(15, 40))
                if sample.kind != SampleKind.RAPID_ANTIGEN and rng.random() < 0.5
                else None
            )
            day = sample.taken_on + timedelta(days=rng.randrange((today - sample.taken_on).days + 1))
            do_record_result(
                actor,
                sample,
                status=rng.choice(["negative", "positive", "invalid"]),
                ct=ct,
                result_on=day,
                correction=rng.random() < 0.5,
            )

    def lab_file():
        pending = list(Sample.objects.filter(status="pending").exclude(kind=SampleKind.RAPID_ANTIGEN)[:5])
        rows = [[s.code, rng.choice(["Âm tính", "Dương tính"]), today.strftime("%d/%m/%Y")] for s in pending]
        run_job(
            actor,
            "testing.lab_results",
            world.commune,
            "kq.xlsx",
            xlsx_bytes([["Mã mẫu", "Kết quả", "Ngày trả kết quả"], *rows]),
        )

    actions = [register] * 4 + [pool] * 2 + [result] * 4 + [lab_file]
    for _step in range(30):
        try:
            rng.choice(actions)()
        except (ValidationError, PermissionDenied):
            pass  # refused writes must leave tallies untouched too
        assert differences() == {}
