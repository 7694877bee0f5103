"""Password hashing (argon2id) and the rules a new password must meet.

Rules follow NIST SP 800-63B: 12 to 256 characters, never truncated, no
composition rules, and no common, guessable or personal passwords (checked
offline with zxcvbn's frequency lists and the person's own name and email).
"""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 256
# zxcvbn's matching grows quickly with length; a long password is judged on its start.
_SCORING_PREFIX = 64

_hasher = PasswordHasher()
# A valid hash to verify against when no account exists, so timing reveals nothing.
_DUMMY_HASH = _hasher.hash("tandem-dummy-password-for-timing")


def hash_password(password):
    return _hasher.hash(password)


def verify_password(password_hash, password):
    """True when the password matches; never raises on a malformed hash."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash):
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def burn_time_without_account(password):
    """Verify against a dummy hash so a missing account takes as long as a wrong password."""
    verify_password(_DUMMY_HASH, password + "x")


def _personal_words(name, email):
    words = set()
    for value in (name or "", email or ""):
        value = value.lower()
        if value:
            words.add(value)
    if email and "@" in email:
        local = email.lower().split("@", 1)[0]
        words.add(local)
        words.update(part for part in local.replace("_", ".").replace("-", ".").split(".") if len(part) >= 4)
    if name:
        words.update(part for part in name.lower().split() if len(part) >= 4)
    return {w for w in words if len(w) >= 4}


def password_problems(password, name="", email=""):
    """A list of friendly reasons the password cannot be used (empty when it is fine)."""
    if password is None:
        password = ""
    if len(password) < MIN_LENGTH:
        return [_("Use at least %(n)d characters. A few unrelated words make a strong, memorable passphrase.", n=MIN_LENGTH)]
    if len(password) > MAX_LENGTH:
        return [_("Use at most %(n)d characters.", n=MAX_LENGTH)]
    lowered = password.lower()
    for word in _personal_words(name, email):
        if word in lowered:
            return [_("Don't use your own name or email address in your password.")]
    result = zxcvbn(password[:_SCORING_PREFIX], user_inputs=sorted(_personal_words(name, email)))
    if result["score"] < 3:
        problems = [_("This password is too common or easy to guess.")]
        problems.append(
            _("Try a passphrase: three or four random words, like \u201cbanjo river cactus lamp\u201d.")
        )
        return problems
    return []
