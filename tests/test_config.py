"""Settings: strict parsing, and production refusing unsafe values."""
import pytest

from config import DEFAULT_SECRET_KEY, SettingsError, load_config
from config.secrets import example_values

EXAMPLE = example_values()

SAFE_PRODUCTION = {
    "APP_ENV": "production",
    "SECRET_KEY": "Jq8vN2xL0pRt5YwZc7HbK3mDf9GsAe1U4iOo6TnVyB",
    "DATABASE_URL": "postgresql://app@db.internal/civic",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "WECHAT_APP_ID": "wx123",
    "WECHAT_APP_SECRET": "3f9c1a7e5b2d8046c1e9a7f3b5d20e84",
    "WECHAT_CALLBACK_TOKEN": "Tq4Wm8Zr2Xy6Kp0Lb3Nv7Hc5",
    "WECHAT_CALLBACK_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
    "PUBLIC_BASE_URL": "https://civic.example.cn",
}


def test_safe_production_settings_load():
    config = load_config(dict(SAFE_PRODUCTION))
    assert config.DEV_LOGIN is False
    assert config.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://app@db.internal/civic"


@pytest.mark.parametrize("override, complaint", [
    ({"SECRET_KEY": ""}, "SECRET_KEY"),
    ({"SECRET_KEY": DEFAULT_SECRET_KEY}, "SECRET_KEY"),
    ({"SECRET_KEY": "short"}, "SECRET_KEY"),
    ({"DEV_LOGIN": "1"}, "DEV_LOGIN"),
    ({"DATABASE_URL": "sqlite:///prod.db"}, "DATABASE_URL"),
    ({"DATABASE_URL": ""}, "DATABASE_URL"),
    ({"WECHAT_APP_SECRET": ""}, "WECHAT_APP_ID"),
    ({"REDIS_URL": ""}, "REDIS_URL"),
    ({"WECHAT_CALLBACK_TOKEN": ""}, "WECHAT_CALLBACK_TOKEN"),
    ({"PUBLIC_BASE_URL": ""}, "PUBLIC_BASE_URL"),
    ({"WECHAT_CALLBACK_AES_KEY": ""}, "WECHAT_CALLBACK_AES_KEY"),
    ({"FLASK_DEBUG": "1"}, "FLASK_DEBUG"),
    # Public or guessable secrets: anyone could forge tokens and photo links with them.
    ({"SECRET_KEY": EXAMPLE["SECRET_KEY"]}, "SECRET_KEY"),
    ({"SECRET_KEY": "a" * 32}, "SECRET_KEY"),
    ({"SECRET_KEY": "abcd" * 16}, "SECRET_KEY"),
    ({"SECRET_KEY": "please-change-me-before-going-live-0123456789"}, "SECRET_KEY"),
    ({"WECHAT_APP_SECRET": "change-me"}, "WECHAT_APP_SECRET"),
    ({"WECHAT_APP_SECRET": "0" * 32}, "WECHAT_APP_SECRET"),
    ({"WECHAT_CALLBACK_TOKEN": EXAMPLE["WECHAT_CALLBACK_TOKEN"]}, "WECHAT_CALLBACK_TOKEN"),
])
def test_production_refuses_unsafe_values(override, complaint):
    with pytest.raises(SettingsError, match=complaint):
        load_config({**SAFE_PRODUCTION, **override})


def test_create_app_refuses_unsafe_production_environment(monkeypatch):
    from server import create_app
    for key, value in {**SAFE_PRODUCTION, "DEV_LOGIN": "true"}.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(SettingsError, match="DEV_LOGIN"):
        create_app()


@pytest.mark.parametrize("name, value", [("DEV_LOGIN", "maybe"), ("DEV_LOGIN", "ture"),
                                         ("TOKEN_TTL_HOURS", "12h"), ("TOKEN_TTL_HOURS", "0"),
                                         ("WECHAT_TIMEOUT", "-1")])
def test_malformed_values_are_errors_not_defaults(name, value):
    with pytest.raises(SettingsError, match=name):
        load_config({"APP_ENV": "development", name: value})


def test_unknown_environment_is_an_error():
    with pytest.raises(SettingsError, match="APP_ENV"):
        load_config({"APP_ENV": "staging"})


def test_the_example_file_is_refused_as_it_stands():
    with pytest.raises(SettingsError) as refused:
        load_config(EXAMPLE)
    for name in ("SECRET_KEY", "WECHAT_APP_SECRET", "WECHAT_CALLBACK_TOKEN"):
        assert name in str(refused.value)


def test_a_random_hex_key_is_accepted():
    key = "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c"  # secrets.token_hex(16): 32 characters
    assert load_config({**SAFE_PRODUCTION, "SECRET_KEY": key}).SECRET_KEY == key


def test_without_app_env_the_settings_are_production():
    """Fail closed: a server started by hand, without APP_ENV, is production."""
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        load_config({})
    without = {k: v for k, v in SAFE_PRODUCTION.items() if k != "APP_ENV"}
    config = load_config(without)
    assert config.APP_ENV == "production" and config.DEV_LOGIN is False
    with pytest.raises(SettingsError, match="DEV_LOGIN"):
        load_config({**without, "DEV_LOGIN": "1"})


def test_development_defaults_serve_a_laptop():
    config = load_config({"APP_ENV": "development"})
    assert config.APP_ENV == "development"
    assert config.DEV_LOGIN is True
    assert config.SQLALCHEMY_DATABASE_URI.startswith("sqlite:///")
    assert config.SQLALCHEMY_DATABASE_URI.endswith("instance/app.db")


@pytest.mark.parametrize("word, expected", [("on", True), ("YES", True), ("0", False),
                                            ("off", False)])
def test_booleans_accept_the_usual_words(word, expected):
    assert load_config({"APP_ENV": "development", "DEV_LOGIN": word}).DEV_LOGIN is expected


def test_rate_limits_default_to_the_documented_table():
    config = load_config({"APP_ENV": "production", **SAFE_PRODUCTION})
    assert config.RATE_LIMITS_ENABLED is True
    assert config.RATE_LIMIT_LOGIN_PER_ACCOUNT == [(10, 60)]
    assert config.RATE_LIMIT_REPORT_PER_ACCOUNT == [(10, 3600), (30, 86400)]


@pytest.mark.parametrize("value, expected", [
    ("5/minute", [(5, 60)]), ("10/hour,30/day", [(10, 3600), (30, 86400)]),
    ("3/10s", [(3, 10)]), (" 20 / 5 minutes ", [(20, 300)]), ("1/DAY", [(1, 86400)])])
def test_rate_limits_are_count_per_period(value, expected):
    config = load_config({"APP_ENV": "development", "RATE_LIMIT_UPLOAD_PER_IP": value})
    assert config.RATE_LIMIT_UPLOAD_PER_IP == expected


@pytest.mark.parametrize("value", ["10", "10/fortnight", "0/hour", "10/0s", "10/8days",
                                   "10/hour,", "ten/hour", "-1/hour", "10 per hour"])
def test_a_malformed_rate_limit_is_an_error(value):
    with pytest.raises(SettingsError, match="RATE_LIMIT_REPORT_PER_ACCOUNT"):
        load_config({"APP_ENV": "development", "RATE_LIMIT_REPORT_PER_ACCOUNT": value})


def test_rate_limits_switch_off_only_with_a_real_boolean():
    with pytest.raises(SettingsError, match="RATE_LIMITS_ENABLED"):
        load_config({"APP_ENV": "development", "RATE_LIMITS_ENABLED": "nope"})
    assert load_config({"APP_ENV": "development",
                        "RATE_LIMITS_ENABLED": "off"}).RATE_LIMITS_ENABLED is False
