"""Settings come from environment variables (and `.env`), with `*_FILE` variants for secrets."""
import os
import stat

import pytest

from app import create_app
from app.config import ConfigError, _bool, load_settings

KEY = "k" * 40
INT_SETTINGS = [
    "SESSION_IDLE_MINUTES", "SESSION_MAX_HOURS", "SMTP_PORT", "SMTP_TIMEOUT", "DATABASE_POOL_SIZE",
    "LOGIN_MAX_FAILURES", "LOGIN_WINDOW_MINUTES", "MAX_CONTENT_LENGTH",
]


def dev(**env):
    return {"TANDEM_ENV": "development", "SECRET_KEY": KEY, **env}


@pytest.fixture
def clean_environ(monkeypatch, tmp_path):
    """create_app reads os.environ and ./.env: make both empty of Tandem settings."""
    for name in ["TANDEM_ENV", "SECRET_KEY", "SECRET_KEY_FILE", "DATABASE_URL", "BASE_URL", "TANDEM_INSTANCE",
                 "PROGRAM_NAME", "SMTP_PASSWORD", "SMTP_PASSWORD_FILE"]:
        # setenv first so that teardown restores the variable's original absence or value.
        monkeypatch.setenv(name, "placeholder")
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- SECRET_KEY -------------------------------------------------------------

def test_production_without_secret_key_refuses_to_start_with_a_clear_message(tmp_path):
    with pytest.raises(ConfigError) as error:
        load_settings(str(tmp_path), {"TANDEM_ENV": "production"})
    message = str(error.value)
    assert "SECRET_KEY is not set" in message
    assert "production" in message
    assert "SECRET_KEY_FILE" in message
    assert not (tmp_path / "secret_key").exists()


def test_an_unset_environment_name_counts_as_production(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_settings(str(tmp_path), {})


def test_an_unknown_environment_name_is_refused_rather_than_treated_as_development(tmp_path):
    with pytest.raises(ConfigError, match="TANDEM_ENV"):
        load_settings(str(tmp_path), {"TANDEM_ENV": "prod"})
    assert not (tmp_path / "secret_key").exists()


def test_create_app_in_production_without_secret_key_fails(clean_environ):
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app({"TANDEM_ENV": "production", "INSTANCE_PATH": str(clean_environ / "instance"),
                    "DATABASE_URL": f"sqlite:///{clean_environ / 'db.sqlite3'}"})


def test_production_with_secret_key_starts_with_debug_off(tmp_path):
    settings = load_settings(str(tmp_path), {"TANDEM_ENV": "production", "SECRET_KEY": KEY})
    assert settings["SECRET_KEY"] == KEY
    assert settings["TANDEM_ENV"] == "production"
    assert settings["DEBUG"] is False


def test_development_generates_a_secret_key_into_the_instance_folder_and_reuses_it(tmp_path):
    instance = tmp_path / "instance"
    first = load_settings(str(instance), {"TANDEM_ENV": "development"})["SECRET_KEY"]
    key_file = instance / "secret_key"
    assert key_file.read_text().strip() == first
    assert len(first) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    again = load_settings(str(instance), {"TANDEM_ENV": "development"})["SECRET_KEY"]
    assert again == first
    elsewhere = load_settings(str(tmp_path / "other"), {"TANDEM_ENV": "development"})["SECRET_KEY"]
    assert elsewhere != first


def test_create_app_in_development_keeps_its_generated_key_across_restarts(clean_environ):
    overrides = {"TANDEM_ENV": "development", "INSTANCE_PATH": str(clean_environ / "instance"),
                 "DATABASE_URL": f"sqlite:///{clean_environ / 'db.sqlite3'}"}
    first = create_app(dict(overrides))
    second = create_app(dict(overrides))
    try:
        assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
        assert (clean_environ / "instance" / "secret_key").read_text().strip() == first.config["SECRET_KEY"]
    finally:
        first.extensions["database"].close_all()
        second.extensions["database"].close_all()


def test_secret_key_file_is_read_and_stripped(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s" * 48 + "\n")
    settings = load_settings(str(tmp_path), {"TANDEM_ENV": "production", "SECRET_KEY_FILE": str(secret)})
    assert settings["SECRET_KEY"] == "s" * 48


def test_an_unreadable_secret_file_is_a_config_error_naming_the_setting(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY_FILE"):
        load_settings(str(tmp_path), {"TANDEM_ENV": "production", "SECRET_KEY_FILE": str(tmp_path / "missing")})


def test_a_short_secret_key_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="at least 32 characters"):
        load_settings(str(tmp_path), {"TANDEM_ENV": "production", "SECRET_KEY": "too-short"})


def test_smtp_password_file_is_read(tmp_path):
    secret = tmp_path / "smtp"
    secret.write_text("mail-server-password\n")
    settings = load_settings(str(tmp_path), dev(SMTP_PASSWORD_FILE=str(secret)))
    assert settings["SMTP_PASSWORD"] == "mail-server-password"


def test_smtp_password_from_the_environment_is_used_when_no_file_is_given(tmp_path):
    assert load_settings(str(tmp_path), dev(SMTP_PASSWORD="pw"))["SMTP_PASSWORD"] == "pw"
    assert load_settings(str(tmp_path), dev())["SMTP_PASSWORD"] is None


# --- Cookies, URLs and defaults ---------------------------------------------

def test_cookies_are_secure_when_base_url_is_https(tmp_path):
    settings = load_settings(str(tmp_path), dev(BASE_URL="https://tandem.example.org/"))
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["PREFERRED_URL_SCHEME"] == "https"
    assert settings["BASE_URL"] == "https://tandem.example.org"


def test_cookies_are_not_marked_secure_on_plain_http(tmp_path):
    settings = load_settings(str(tmp_path), dev(BASE_URL="http://127.0.0.1:5000"))
    assert settings["SESSION_COOKIE_SECURE"] is False
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_the_session_cookie_sent_under_https_is_secure_httponly_and_lax(app_factory):
    app = app_factory(BASE_URL="https://tandem.example.org", WTF_CSRF_ENABLED=True)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    response = app.test_client().get("/login", base_url="https://tandem.example.org")
    assert response.status_code == 200
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("tandem_session="))
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_defaults_keep_sessions_short_and_the_database_in_the_instance_folder(tmp_path):
    settings = load_settings(str(tmp_path), dev())
    assert settings["SESSION_IDLE_MINUTES"] == 30
    assert settings["SESSION_MAX_HOURS"] == 12
    assert settings["PERMANENT_SESSION_LIFETIME"] == 12 * 3600 + 24 * 3600  # the longest session and a day of grace
    assert settings["DATABASE_URL"] == f"sqlite:///{tmp_path / 'tandem.sqlite3'}"
    assert settings["WTF_CSRF_TIME_LIMIT"] is None
    assert settings["MAX_CONTENT_LENGTH"] > 0
    assert settings["CRISIS_LINE_TEXT"] is None  # the help page falls back to the 988 Lifeline text


def test_settings_are_read_from_the_environment(tmp_path):
    settings = load_settings(str(tmp_path), dev(SESSION_IDLE_MINUTES="45", SESSION_MAX_HOURS="8",
                                                DATABASE_URL="postgresql://u@h/db", LANGUAGES="en, es",
                                                CRISIS_LINE_TEXT="Call our warm line: 555-0100"))
    assert settings["SESSION_IDLE_MINUTES"] == 45
    assert settings["PERMANENT_SESSION_LIFETIME"] == 8 * 3600 + 24 * 3600
    assert settings["DATABASE_URL"] == "postgresql://u@h/db"
    assert settings["LANGUAGES"] == ["en", "es"]
    assert settings["CRISIS_LINE_TEXT"] == "Call our warm line: 555-0100"


def test_a_dotenv_file_supplies_settings_the_environment_does_not(clean_environ):
    (clean_environ / ".env").write_text("PROGRAM_NAME=Sunrise Peers\nBASE_URL=https://peers.example.org\n")
    os.environ["BASE_URL"] = "https://from-environment.example.org"
    app = create_app({"TANDEM_ENV": "development", "SECRET_KEY": KEY,
                      "INSTANCE_PATH": str(clean_environ / "instance"),
                      "DATABASE_URL": f"sqlite:///{clean_environ / 'db.sqlite3'}"})
    try:
        assert app.config["PROGRAM_NAME"] == "Sunrise Peers"
        assert app.config["BASE_URL"] == "https://from-environment.example.org"
    finally:
        app.extensions["database"].close_all()


# --- Malformed values -------------------------------------------------------

@pytest.mark.parametrize("name", INT_SETTINGS)
def test_a_malformed_number_is_a_config_error_naming_the_setting(tmp_path, name):
    with pytest.raises(ConfigError, match=name) as error:
        load_settings(str(tmp_path), dev(**{name: "thirty"}))
    assert "whole number" in str(error.value)


@pytest.mark.parametrize("name", ["SESSION_IDLE_MINUTES", "SESSION_MAX_HOURS"])
def test_a_session_lifetime_below_one_is_refused(tmp_path, name):
    with pytest.raises(ConfigError, match=name):
        load_settings(str(tmp_path), dev(**{name: "0"}))


@pytest.mark.parametrize("value", ["maybe", "2", "enabled"])
def test_a_malformed_yes_no_setting_is_a_config_error_naming_the_setting(value):
    with pytest.raises(ConfigError, match="SOME_FLAG"):
        _bool({"SOME_FLAG": value}, "SOME_FLAG")


@pytest.mark.parametrize("value, expected", [("1", True), ("true", True), ("Yes", True), ("on", True),
                                             ("0", False), ("false", False), ("NO", False), ("off", False),
                                             ("", False)])
def test_yes_no_settings_accept_the_usual_spellings(value, expected):
    assert _bool({"SOME_FLAG": value}, "SOME_FLAG") is expected


def test_an_unknown_smtp_security_mode_is_refused_instead_of_sending_in_clear_text(tmp_path):
    with pytest.raises(ConfigError, match="SMTP_SECURITY"):
        load_settings(str(tmp_path), dev(SMTP_SECURITY="tls"))
    for mode in ("starttls", "ssl", "none", "STARTTLS"):
        assert load_settings(str(tmp_path), dev(SMTP_SECURITY=mode))["SMTP_SECURITY"] == mode.lower()
