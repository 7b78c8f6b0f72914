"""The versioned configuration and its overrides."""

from __future__ import annotations

from datetime import date

import pytest

from chongdich.forecast.rules import Config, InputError, config


def test_defaults_2021_delta():
    cfg = config()
    assert isinstance(cfg, Config)
    assert (cfg.si_mean, cfg.si_sd, cfg.window, cfg.prior_mean, cfg.prior_sd, cfg.min_cases) == (4.0, 2.9, 7, 5, 5, 12)
    assert cfg.imported == "imported"
    assert cfg.horizon == 28
    assert cfg.alert_days == 7 and cfg.alert_probability == 0.95
    assert set(cfg.shares) == {"treatment", "oxygen", "icu", "home"}
    assert sum(cfg.shares.values()) == pytest.approx(1.0)
    assert dict(cfg.stay_days) == {"treatment": 10, "oxygen": 14, "icu": 21, "active": 14, "quarantine": 14}
    assert "2021" in cfg.version
    assert any("Cori" in source for source in cfg.sources)
    assert any("4111" in source for source in cfg.sources)
    assert cfg.prior_shape == pytest.approx(1.0) and cfg.prior_scale == pytest.approx(5.0)


def test_the_same_on_any_date_and_cached():
    assert config(on=date(2021, 7, 1)) == config()
    assert config(on=date(2019, 1, 1)) == config()
    assert config({"window": 14}) is config({"window": 14})


def test_overrides_merge_nested():
    cfg = config({"window": 14, "shares": {"icu": 0.02}, "stay_days": {"icu": 28}, "imported": "local"})
    assert cfg.window == 14 and cfg.imported == "local"
    assert cfg.shares["icu"] == 0.02 and cfg.shares["oxygen"] == 0.15
    assert cfg.stay_days["icu"] == 28 and cfg.stay_days["treatment"] == 10


def test_read_only():
    cfg = config()
    with pytest.raises((AttributeError, TypeError)):
        cfg.window = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        cfg.shares["icu"] = 0.5  # type: ignore[index]


def test_as_dict_round_trips():
    cfg = config({"window": 10})
    assert config(cfg.as_dict()) == cfg


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"window": 0}, "window"),
        ({"window": 7.5}, "window"),
        ({"window": "7"}, "window"),
        ({"window": True}, "window"),
        ({"si_mean": 1.0}, "si_mean"),
        ({"si_sd": -2}, "si_sd"),
        ({"si_mean": float("nan")}, "si_mean"),
        ({"min_cases": -1}, "min_cases"),
        ({"imported": "both"}, "imported"),
        ({"samples": 5}, "samples"),
        ({"horizon": 400}, "horizon"),
        ({"dispersion": -0.1}, "dispersion"),
        ({"damping": 1.5}, "damping"),
        ({"alert_probability": 1.0}, "alert_probability"),
        ({"shares": {"icu": 2}}, "shares.icu"),
        ({"shares": {"treatment": 0.9}}, "shares"),
        ({"shares": {"ward": 0.1}}, "shares.ward"),
        ({"shares": 3}, "shares"),
        ({"stay_days": {"icu": 0}}, "stay_days.icu"),
        ({"colour": "red"}, "colour"),
        ({"window": [7]}, "window"),
    ],
)
def test_bad_override_names_the_field(overrides, field):
    with pytest.raises(InputError) as error:
        config(overrides)
    assert str(error.value).startswith(field)


def test_overrides_must_be_an_object():
    with pytest.raises(InputError, match="overrides"):
        config([("window", 7)])  # type: ignore[arg-type]
