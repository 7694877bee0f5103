"""Password rules and hashing: argon2id, 12 to 256 characters, never truncated, no common or
personal passwords, and old hash parameters upgraded at sign-in."""
import pytest
from argon2 import PasswordHasher

from app.auth.models import User
from tests.auth.conftest import is_signed_in
from tests.conftest import TEST_PASSWORD, login

WORDS = ("amber basalt cobalt dune ember fennel garnet harbor indigo jasper kelp lumen marble nectar "
         "onyx pewter quartz russet saffron tundra umber violet willow xenon yarrow zephyr").split()
LONG_PASSWORD = "".join(word.capitalize() for word in WORDS) * 3


def long_password(length):
    password = LONG_PASSWORD[:length]
    assert len(password) == length
    return password


def change_password(client, new, current=TEST_PASSWORD):
    return client.post("/account/password", data={"password-current_password": current, "password-password": new})


def hash_of(user):
    return User.get_by_id(user.id).password_hash


@pytest.fixture
def mentee(login_as):
    return login_as("mentee_a")


def test_new_password_is_stored_as_an_argon2id_hash_with_current_parameters(mentee, personas):
    response = change_password(mentee, "lantern fjord biscuit hammock")
    assert response.status_code == 303
    stored = hash_of(personas.mentee_a)
    assert stored.startswith("$argon2id$")
    assert "lantern" not in stored
    assert not PasswordHasher().check_needs_rehash(stored)
    assert PasswordHasher().verify(stored, "lantern fjord biscuit hammock")


def test_eleven_characters_are_rejected(mentee, personas):
    before = hash_of(personas.mentee_a)
    response = change_password(mentee, "glacierplum")
    assert response.status_code == 422
    assert "Use at least 12 characters" in response.text
    assert hash_of(personas.mentee_a) == before


def test_twelve_random_characters_are_accepted(mentee, personas):
    assert change_password(mentee, "q7#Vx!m2Lp9z").status_code == 303


def test_256_characters_are_accepted_and_257_rejected(mentee, personas):
    before = hash_of(personas.mentee_a)
    too_long = change_password(mentee, long_password(257))
    assert too_long.status_code == 422
    assert "Use at most 256 characters" in too_long.text
    assert hash_of(personas.mentee_a) == before
    assert change_password(mentee, long_password(256)).status_code == 303
    assert hash_of(personas.mentee_a) != before


def test_long_password_is_never_truncated(app, mentee, personas):
    password = long_password(256)
    assert change_password(mentee, password).status_code == 303
    assert login(app.test_client(), personas.mentee_a, password=password[:-1]).status_code == 422
    assert login(app.test_client(), personas.mentee_a, password=password + "x").status_code == 422
    # Differs only after the 72nd character, where bcrypt would stop reading.
    assert login(app.test_client(), personas.mentee_a, password=password[:100] + "Q" + password[101:]).status_code == 422
    assert login(app.test_client(), personas.mentee_a, password=password).status_code == 303


@pytest.mark.parametrize("common", ["password1234", "qwertyuiop123", "iloveyou2024!"])
def test_common_passwords_are_rejected_with_a_passphrase_suggestion(mentee, personas, common):
    before = hash_of(personas.mentee_a)
    response = change_password(mentee, common)
    assert response.status_code == 422
    assert "too common or easy to guess" in response.text
    assert "Try a passphrase" in response.text
    assert hash_of(personas.mentee_a) == before


@pytest.mark.parametrize("personal", [
    "Ada Mentee forever and ever",
    "mentee.a@example.org!!",
    "my mentee journey begins now",
])
def test_own_name_or_email_in_the_password_is_rejected(mentee, personas, personal):
    before = hash_of(personas.mentee_a)
    response = change_password(mentee, personal)
    assert response.status_code == 422
    assert "use your own name or email address" in response.text
    assert hash_of(personas.mentee_a) == before


def test_lowercase_words_with_spaces_need_no_other_character_classes(mentee, personas):
    assert change_password(mentee, "walrus cinnamon ladder orbit").status_code == 303


def test_non_ascii_passphrase_works_for_sign_in(app, mentee, personas):
    assert change_password(mentee, "café crème brûlée à minuit").status_code == 303
    assert login(app.test_client(), personas.mentee_a, password="café crème brûlée à minuit").status_code == 303
    assert login(app.test_client(), personas.mentee_a, password="cafe creme brulee a minuit").status_code == 422


def test_password_fields_allow_paste_and_autocomplete(client, personas):
    page = client.get("/login").text
    assert "onpaste" not in page
    assert 'autocomplete="current-password"' in page


def test_old_parameter_hash_is_upgraded_at_sign_in(client, personas):
    old = PasswordHasher(time_cost=1, memory_cost=8192).hash(TEST_PASSWORD)
    User.update(password_hash=old).where(User.id == personas.mentor_b.id).execute()
    assert login(client, personas.mentor_b).status_code == 303
    upgraded = hash_of(personas.mentor_b)
    assert upgraded != old
    assert upgraded.startswith("$argon2id$")
    assert not PasswordHasher().check_needs_rehash(upgraded)
    assert PasswordHasher().verify(upgraded, TEST_PASSWORD)


def test_old_parameter_hash_is_kept_after_a_wrong_password(client, personas):
    old = PasswordHasher(time_cost=1, memory_cost=8192).hash(TEST_PASSWORD)
    User.update(password_hash=old).where(User.id == personas.mentor_b.id).execute()
    assert login(client, personas.mentor_b, password="a wrong guess entirely").status_code == 422
    assert hash_of(personas.mentor_b) == old


def test_argon2i_hash_is_upgraded_to_argon2id(client, personas):
    from argon2 import Type

    old = PasswordHasher(type=Type.I).hash(TEST_PASSWORD)
    User.update(password_hash=old).where(User.id == personas.mentor_b.id).execute()
    assert login(client, personas.mentor_b).status_code == 303
    assert hash_of(personas.mentor_b).startswith("$argon2id$")
    assert is_signed_in(client)
