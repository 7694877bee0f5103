"""Login throttling: 10 failures in 15 minutes per account or per client address, then 429
(even with the right password) until the window passes; kept in the database so it holds
across app instances; X-Forwarded-For only behind a trusted proxy."""
import hashlib
import datetime
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import time_machine
from argon2 import PasswordHasher

from app.auth import passwords
from app.auth.models import LoginFailure, User
from tests.auth.conftest import audit_events, is_signed_in
from tests.conftest import TEST_PASSWORD

START = datetime.datetime(2030, 5, 6, 14, 0, tzinfo=datetime.timezone.utc)
WRONG = "definitely not my passphrase"
FRIENDLY = "Too many sign-in attempts"


@pytest.fixture(autouse=True)
def cheap_hashes(personas, monkeypatch):
    """These tests make many failed attempts; what they check does not depend on hashing cost,
    so accounts (and the no-account dummy) get deliberately cheap argon2id hashes."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)

    def cheapen():
        # A successful login upgrades the hash to the real parameters; call again after one.
        User.update(password_hash=cheap.hash(TEST_PASSWORD)).execute()

    cheapen()
    monkeypatch.setattr(passwords, "_DUMMY_HASH", cheap.hash("dummy"))
    return cheapen


def attempt(client, email, password=WRONG, address="127.0.0.1", forwarded_for=None):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address}, headers=headers)


def fail_ten_times(client, email, address="127.0.0.1"):
    for _ in range(10):
        assert attempt(client, email, address=address).status_code == 422


def test_eleventh_attempt_with_the_right_password_gets_429(client, personas):
    fail_ten_times(client, personas.mentee_a.email)
    response = attempt(client, personas.mentee_a.email, password=TEST_PASSWORD)
    assert response.status_code == 429
    assert FRIENDLY in response.text
    assert "reset" in response.text
    assert not is_signed_in(client)


def test_nine_failures_do_not_block_the_right_password(client, personas):
    for _ in range(9):
        attempt(client, personas.mentee_a.email)
    assert attempt(client, personas.mentee_a.email, password=TEST_PASSWORD).status_code == 303


def test_throttled_attempt_is_audited_and_not_a_success(client, personas):
    fail_ten_times(client, personas.mentee_a.email)
    attempt(client, personas.mentee_a.email, password=TEST_PASSWORD)
    assert len(audit_events("login.throttled")) == 1
    assert audit_events("login.success") == []


def test_account_is_throttled_whatever_address_the_attempts_come_from(app, personas):
    for n in range(10):
        attempt(app.test_client(), personas.mentee_a.email, address=f"192.0.2.{n + 1}")
    fresh_address = attempt(app.test_client(), personas.mentee_a.email, password=TEST_PASSWORD,
                            address="198.51.100.99")
    assert fresh_address.status_code == 429
    # Other accounts are unaffected from those addresses.
    assert attempt(app.test_client(), personas.mentee_b.email, password=TEST_PASSWORD,
                   address="192.0.2.1").status_code == 303


def test_address_is_throttled_whatever_accounts_it_tries(app, personas):
    for n in range(10):
        attempt(app.test_client(), f"guess{n}@example.org", address="203.0.113.5")
    same_address = attempt(app.test_client(), personas.mentee_b.email, password=TEST_PASSWORD,
                           address="203.0.113.5")
    assert same_address.status_code == 429
    other_address = attempt(app.test_client(), personas.mentee_b.email, password=TEST_PASSWORD,
                            address="203.0.113.6")
    assert other_address.status_code == 303


def test_throttling_holds_across_two_app_instances_on_one_database(app_factory, personas):
    worker_one, worker_two = app_factory(), app_factory()
    for n in range(10):
        worker = worker_one if n % 2 else worker_two
        assert attempt(worker.test_client(), personas.mentor_a.email, address=f"192.0.2.{n + 1}").status_code == 422
    assert attempt(worker_one.test_client(), personas.mentor_a.email, password=TEST_PASSWORD,
                   address="198.51.100.1").status_code == 429
    assert attempt(worker_two.test_client(), personas.mentor_a.email, password=TEST_PASSWORD,
                   address="198.51.100.2").status_code == 429


WORKER_SCRIPT = textwrap.dedent("""
    import json, sys
    from app import create_app

    settings = json.loads(sys.argv[1])
    app = create_app(settings)
    client = app.test_client()
    statuses = []
    for n in range(5):
        response = client.post("/login", data={"email": sys.argv[2], "password": "wrong guess again"},
                               environ_base={"REMOTE_ADDR": f"192.0.2.{n + 1}"})
        statuses.append(response.status_code)
    print(json.dumps(statuses))
""")


def test_throttling_holds_across_processes(app, database_url, tmp_path, personas):
    """Another worker process (as under gunicorn) sees the failures this one recorded, and back."""
    settings = {
        "TANDEM_ENV": "development", "SECRET_KEY": app.config["SECRET_KEY"], "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(tmp_path / "other-worker"), "WTF_CSRF_ENABLED": False, "TESTING": True,
    }
    client = app.test_client()
    for n in range(5):
        attempt(client, personas.mentor_a.email, address=f"198.51.100.{n + 1}")
    result = subprocess.run(
        [sys.executable, "-c", WORKER_SCRIPT, json.dumps(settings), personas.mentor_a.email],
        capture_output=True, text=True, timeout=60, cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [422] * 5
    assert attempt(client, personas.mentor_a.email, password=TEST_PASSWORD,
                   address="198.51.100.200").status_code == 429


def test_failures_are_stored_in_the_database_with_the_typed_email_only_as_a_hash(client, personas):
    attempt(client, personas.mentee_a.email, address="192.0.2.44")
    keys = {row.key for row in LoginFailure.select()}
    assert f"account:{hashlib.sha256(b'mentee.a@example.org').hexdigest()}" in keys
    assert not any("mentee.a@example.org" in key for key in keys)
    assert any("192.0.2.44" in key for key in keys)


def test_login_works_again_after_the_window_passes(client, personas):
    with time_machine.travel(START, tick=False) as clock:
        fail_ten_times(client, personas.mentee_a.email)
        clock.shift(datetime.timedelta(minutes=14))
        assert attempt(client, personas.mentee_a.email, password=TEST_PASSWORD).status_code == 429
        clock.shift(datetime.timedelta(minutes=1, seconds=1))
        assert attempt(client, personas.mentee_a.email, password=TEST_PASSWORD).status_code == 303


def test_throttled_attempts_do_not_extend_the_window(client, personas):
    with time_machine.travel(START, tick=False) as clock:
        fail_ten_times(client, personas.mentee_a.email)
        for _ in range(3):
            clock.shift(datetime.timedelta(minutes=4))
            assert attempt(client, personas.mentee_a.email).status_code == 429
        clock.shift(datetime.timedelta(minutes=3, seconds=1))  # 15 minutes after the tenth failure
        assert attempt(client, personas.mentee_a.email, password=TEST_PASSWORD).status_code == 303


def test_successful_login_clears_the_account_count(app, personas, cheap_hashes):
    with time_machine.travel(START, tick=False):
        for n in range(9):
            attempt(app.test_client(), personas.mentee_a.email, address=f"192.0.2.{n + 1}")
        assert attempt(app.test_client(), personas.mentee_a.email, password=TEST_PASSWORD,
                       address="198.51.100.1").status_code == 303
        cheap_hashes()
        for n in range(9):
            attempt(app.test_client(), personas.mentee_a.email, address=f"192.0.2.{n + 1}")
        assert attempt(app.test_client(), personas.mentee_a.email, password=TEST_PASSWORD,
                       address="198.51.100.1").status_code == 303


def test_limits_follow_the_settings(app_factory, personas):
    strict = app_factory(LOGIN_MAX_FAILURES=3, LOGIN_WINDOW_MINUTES=60)
    client = strict.test_client()
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(3):
            attempt(client, personas.mentee_a.email)
        clock.shift(datetime.timedelta(minutes=59))
        assert attempt(client, personas.mentee_a.email, password=TEST_PASSWORD).status_code == 429
        clock.shift(datetime.timedelta(minutes=1, seconds=1))
        assert attempt(client, personas.mentee_a.email, password=TEST_PASSWORD).status_code == 303


def test_forwarded_for_is_ignored_without_trusted_proxies(client, personas):
    # A client cannot dodge the per-address limit by inventing X-Forwarded-For values.
    for n in range(10):
        attempt(client, f"guess{n}@example.org", forwarded_for=f"192.0.2.{n + 1}")
    response = attempt(client, personas.mentee_a.email, password=TEST_PASSWORD, forwarded_for="198.51.100.77")
    assert response.status_code == 429
    assert {event.ip for event in audit_events("login.failure")} == {"127.0.0.1"}


def test_forwarded_for_is_honoured_behind_a_trusted_proxy(app_factory, personas):
    proxied = app_factory(TRUSTED_PROXIES="127.0.0.1")
    for n in range(10):
        attempt(proxied.test_client(), f"guess{n}@example.org", forwarded_for="203.0.113.9")
    assert {event.ip for event in audit_events("login.failure")} == {"203.0.113.9"}
    blocked = attempt(proxied.test_client(), personas.mentee_a.email, password=TEST_PASSWORD,
                      forwarded_for="203.0.113.9")
    assert blocked.status_code == 429
    other_client = attempt(proxied.test_client(), personas.mentee_a.email, password=TEST_PASSWORD,
                           forwarded_for="203.0.113.10")
    assert other_client.status_code == 303


def test_forwarded_for_from_an_untrusted_peer_is_ignored(app_factory, personas):
    proxied = app_factory(TRUSTED_PROXIES="10.0.0.0/8")
    for n in range(10):
        attempt(proxied.test_client(), f"guess{n}@example.org", address="198.51.100.3",
                forwarded_for=f"192.0.2.{n + 1}")
    assert {event.ip for event in audit_events("login.failure")} == {"198.51.100.3"}
    assert attempt(proxied.test_client(), personas.mentee_a.email, password=TEST_PASSWORD,
                   address="198.51.100.3", forwarded_for="192.0.2.200").status_code == 429


def test_spoofed_left_hop_behind_a_trusted_proxy_does_not_dodge_the_limit(app_factory, personas):
    """The proxy appends the real peer; whatever the client wrote to the left is not trusted."""
    proxied = app_factory(TRUSTED_PROXIES="127.0.0.1")
    for n in range(10):
        attempt(proxied.test_client(), f"guess{n}@example.org", forwarded_for=f"192.0.2.{n + 1}, 203.0.113.9")
    assert attempt(proxied.test_client(), personas.mentee_a.email, password=TEST_PASSWORD,
                   forwarded_for="192.0.2.250, 203.0.113.9").status_code == 429
