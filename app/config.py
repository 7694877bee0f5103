"""Settings from environment variables (and `.env`), with typed helpers.

Every setting is documented in README.md's settings table. Secrets may be
given as `NAME_FILE` pointing at a file (Docker/systemd credentials style).
"""
import secrets
from pathlib import Path

DEFAULT_CRISIS_TEXT = (
    "988 Suicide & Crisis Lifeline (United States): call or text 988, any time, "
    "free and confidential.\n"
    "If you are in immediate danger, call 911."
)


class ConfigError(RuntimeError):
    """A setting is missing or malformed: the app refuses to start."""


def _raw(env, name):
    """Read NAME, or the contents of the file named by NAME_FILE."""
    file_path = env.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"{name}_FILE points at {file_path!r}, which cannot be read: {exc}")
    return env.get(name)


def _str(env, name, default=None):
    value = _raw(env, name)
    return default if value in (None, "") else value


def _int(env, name, default):
    value = _raw(env, name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}")


def _bool(env, name, default=False):
    value = _raw(env, name)
    if value in (None, ""):
        return default
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, not {value!r}")


def _choice(env, name, choices, default):
    value = _str(env, name, default).strip().lower()
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def _secret_key(env, instance_path, production):
    """SECRET_KEY from the environment; development generates one per instance."""
    key = _str(env, "SECRET_KEY")
    if key:
        if len(key) < 32:
            raise ConfigError("SECRET_KEY must be at least 32 characters long.")
        return key
    if production:
        raise ConfigError(
            "SECRET_KEY is not set. Tandem refuses to start in production without it: "
            "set SECRET_KEY (or SECRET_KEY_FILE) to a long random value, e.g. the output of "
            "`python3 -c 'import secrets; print(secrets.token_urlsafe(48))'`."
        )
    key_file = Path(instance_path) / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def load_settings(instance_path, environ):
    """Build the Flask config mapping from an environment mapping."""
    env = environ
    # A typo ("prod", "staging") is an error, never a quiet switch to development.
    production = _choice(env, "TANDEM_ENV", ("production", "development"), "production") == "production"
    base_url = _str(env, "BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    https = base_url.startswith("https://")
    idle_minutes = _int(env, "SESSION_IDLE_MINUTES", 30)
    max_hours = _int(env, "SESSION_MAX_HOURS", 12)
    if idle_minutes < 1 or max_hours < 1:
        raise ConfigError("SESSION_IDLE_MINUTES and SESSION_MAX_HOURS must be at least 1.")
    default_db = "sqlite:///" + str(Path(instance_path) / "tandem.sqlite3")
    return {
        "TANDEM_ENV": "production" if production else "development",
        "SECRET_KEY": _secret_key(env, instance_path, production),
        "DATABASE_URL": _str(env, "DATABASE_URL", default_db),
        "DATABASE_POOL_SIZE": _int(env, "DATABASE_POOL_SIZE", 10),
        "BASE_URL": base_url,
        "PROGRAM_NAME": _str(env, "PROGRAM_NAME", "Tandem"),
        "SMTP_HOST": _str(env, "SMTP_HOST"),
        "SMTP_PORT": _int(env, "SMTP_PORT", 587),
        "SMTP_USERNAME": _str(env, "SMTP_USERNAME"),
        "SMTP_PASSWORD": _str(env, "SMTP_PASSWORD"),
        # A typo must not quietly send the mail password unencrypted.
        "SMTP_SECURITY": _choice(env, "SMTP_SECURITY", ("starttls", "ssl", "none"), "starttls"),
        "SMTP_TIMEOUT": _int(env, "SMTP_TIMEOUT", 10),
        "MAIL_FROM": _str(env, "MAIL_FROM", "tandem@localhost"),
        "SESSION_IDLE_MINUTES": idle_minutes,
        "SESSION_MAX_HOURS": max_hours,
        # A literal "\n" separates lines, since env files cannot hold line breaks.
        "CRISIS_LINE_TEXT": (_str(env, "CRISIS_LINE_TEXT") or "").replace("\\n", "\n") or None,
        "TRUSTED_PROXIES": _str(env, "TRUSTED_PROXIES", ""),
        "LANGUAGES": [code.strip() for code in _str(env, "LANGUAGES", "en").split(",") if code.strip()],
        "DEFAULT_TIMEZONE": _str(env, "DEFAULT_TIMEZONE", "America/New_York"),
        "LOGIN_MAX_FAILURES": _int(env, "LOGIN_MAX_FAILURES", 10),
        "LOGIN_WINDOW_MINUTES": _int(env, "LOGIN_WINDOW_MINUTES", 15),
        "MAX_CONTENT_LENGTH": _int(env, "MAX_CONTENT_LENGTH", 1024 * 1024),
        "MEETING_ATTENTION_DAYS": _int(env, "MEETING_ATTENTION_DAYS", 14),
        "BENCH_BARE_ROUTE": _bool(env, "TANDEM_BENCH_BARE_ROUTE", False),
        # Derived Flask settings.
        "SESSION_COOKIE_NAME": "tandem_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        # The cookie carries only the session key; the server decides when a session ends. It is
        # set once at sign-in and outlives the longest session by the day an expired session may
        # still keep typed journal text as a draft, so it need not be re-sent with every page.
        "PERMANENT_SESSION_LIFETIME": max_hours * 3600 + 24 * 3600,
        "SESSION_REFRESH_EACH_REQUEST": False,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "WTF_CSRF_SSL_STRICT": https,
        "REMEMBER_COOKIE_DURATION": 0,
        "DEBUG": False,
    }
