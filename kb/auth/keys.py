"""API key material: generation, hashing with the server secret, constant-time verification.

Why HMAC-SHA256 with the server secret instead of scrypt/PBKDF2: our keys are 256 bits from ``secrets``, so
nobody can brute-force them and a slow KDF would only cost CPU on every request; keying the hash with
POLICYKB_SECRET_KEY (a pepper kept out of the database) means a leaked api_keys table alone cannot even be
used to test guesses. Consequence: rotating the secret invalidates every key (create them again).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache
from pathlib import Path

KEY_PREFIX = "pk_"
#: Characters of the key kept in clear to find its row (not secret: 9 random chars of 43).
LOOKUP_CHARS = 12
_EXAMPLE_KEYS_FILE = Path(__file__).resolve().parent / "data" / "example_keys.txt"


def generate_key() -> str:
    """A new key ``pk_<43 url-safe chars>`` (256 random bits); shown once, never stored in clear."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def lookup_prefix(key: str) -> str:
    """The clear prefix stored beside the hash so verification reads one row."""
    return key[:LOOKUP_CHARS]


def hash_key(key: str, secret: str) -> str:
    """HMAC-SHA256 of the key under the server secret, hex."""
    return hmac.new(secret.encode("utf-8"), key.encode("utf-8"), hashlib.sha256).hexdigest()


def verify_key(key: str, stored_hash: str, secret: str) -> bool:
    """Constant-time comparison of the key's hash with the stored one."""
    return hmac.compare_digest(hash_key(key, secret), stored_hash)


def looks_like_key(key: str) -> bool:
    """Cheap shape check before touching the database."""
    return key.startswith(KEY_PREFIX) and 20 <= len(key) <= 200 and key.isascii()


@lru_cache(maxsize=1)
def example_keys() -> frozenset[str]:
    """Keys published in docs/tests (data file), refused in production."""
    lines = _EXAMPLE_KEYS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))


def is_example_key(key: str) -> bool:
    """True for documented/example keys (the data file) and any key starting with pk_example."""
    known = example_keys()
    return key in known or key.startswith(KEY_PREFIX + "example")
