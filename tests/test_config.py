"""Settings: strict parsing, and production refusing unsafe values."""
import pytest

from config import DEFAULT_SECRET_KEY, SettingsError, load_config

SAFE_PRODUCTION = {
    "APP_ENV": "production",
    "SECRET_KEY": "x" * 40,
    "DATABASE_URL": "postgresql://app@db.internal/civic",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "WECHAT_APP_ID": "wx123",
    "WECHAT_APP_SECRET": "s3cret",
    "WECHAT_CALLBACK_TOKEN": "callback-token",
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


def test_development_defaults_serve_a_laptop():
    config = load_config({})
    assert config.APP_ENV == "development"
    assert config.DEV_LOGIN is True
    assert config.SQLALCHEMY_DATABASE_URI.startswith("sqlite:///")
    assert config.SQLALCHEMY_DATABASE_URI.endswith("instance/app.db")


@pytest.mark.parametrize("word, expected", [("on", True), ("YES", True), ("0", False),
                                            ("off", False)])
def test_booleans_accept_the_usual_words(word, expected):
    assert load_config({"DEV_LOGIN": word}).DEV_LOGIN is expected
