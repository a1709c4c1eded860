"""Join codes, teacher keys and student ids: short where a person types them, unguessable everywhere.

A join code is 8 symbols from 32 unambiguous ones (no 0/O, 1/I): 2**40 codes, so with failed joins
rate-limited per caller, enumerating live classes is hopeless. The teacher key is a 128-bit secret that
only the teacher's session holds; the database keeps its SHA-256 (a 128-bit random key needs no slow hash).
"""

import hashlib
import hmac
import secrets

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 symbols: 5 bits each
CODE_LENGTH = 8


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code) -> str:
    """What a person typed ("abcd-2345 ") as the stored form ("ABCD2345"); anything else gives ""."""
    if not isinstance(code, str):
        return ""
    cleaned = code.strip().upper().replace("-", "").replace(" ", "")
    ok = len(cleaned) == CODE_LENGTH and all(c in CODE_ALPHABET for c in cleaned)
    return cleaned if ok else ""


def new_teacher_key() -> str:
    return secrets.token_urlsafe(16)  # 128 bits


def new_student_id() -> str:
    return secrets.token_urlsafe(16)  # unguessable: a student cannot answer as another


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_matches(key, stored_hash: str) -> bool:
    if not isinstance(key, str):
        return False
    return hmac.compare_digest(hash_key(key), stored_hash)
