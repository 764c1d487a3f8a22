from __future__ import annotations

import datetime as dt

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from services.common.auth import Principal, Role, TokenVerifier, mint_token
from services.common.errors import PermissionDenied, Unauthenticated

SECRET = "unit-test-secret-of-sufficient-length"


def test_minted_token_round_trips_subject_and_roles() -> None:
    token = mint_token(secret=SECRET, subject="E42", roles=[Role.SUPERVISOR, "employee"])
    principal = TokenVerifier(secret=SECRET).verify(token)
    assert principal == Principal("E42", frozenset({Role.SUPERVISOR, Role.EMPLOYEE}))


def test_unknown_roles_are_ignored_not_granted() -> None:
    token = jwt.encode(
        {"sub": "x", "roles": ["hr", "root"], "iss": "ccperf", "aud": "ccperf",
         "exp": dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)},
        SECRET,
    )  # fmt: skip
    assert TokenVerifier(secret=SECRET).verify(token).roles == {Role.HR}


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ({"sub": "x", "roles": ["hr"], "iss": "ccperf", "aud": "other"}, "(?i)audience"),
        ({"sub": "x", "roles": ["hr"], "iss": "evil", "aud": "ccperf"}, "(?i)issuer"),
        ({"sub": "x", "roles": "hr", "iss": "ccperf", "aud": "ccperf"}, "roles"),
        ({"roles": ["hr"], "iss": "ccperf", "aud": "ccperf"}, "sub"),
    ],
)
def test_bad_claims_are_rejected(claims: dict[str, object], message: str) -> None:
    token = jwt.encode({**claims, "exp": dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)}, SECRET)
    with pytest.raises(Unauthenticated, match=message):
        TokenVerifier(secret=SECRET).verify(token)


def test_expired_token_is_rejected() -> None:
    token = mint_token(
        secret=SECRET, subject="x", roles=[Role.HR], ttl=dt.timedelta(seconds=1),
        now=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1),
    )  # fmt: skip
    with pytest.raises(Unauthenticated, match="expired"):
        TokenVerifier(secret=SECRET).verify(token)


@pytest.mark.parametrize("header", [None, "", "Token abc", "Bearer", "Bearer   "])
def test_header_must_be_a_bearer_token(header: str | None) -> None:
    with pytest.raises(Unauthenticated):
        TokenVerifier(secret=SECRET).verify_header(header)


def test_rs256_verifies_with_the_public_key_and_refuses_hs256() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    claims = {"sub": "hris", "roles": ["hris"], "iss": "ccperf", "aud": "ccperf",
              "exp": dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)}  # fmt: skip
    verifier = TokenVerifier(public_key=public_pem)
    assert verifier.verify(jwt.encode(claims, key, algorithm="RS256")).subject == "hris"
    # An HS256 token signed with the public key as secret (algorithm confusion) must fail.
    with pytest.raises(Unauthenticated):
        verifier.verify(jwt.encode(claims, "x" * 40, algorithm="HS256"))


def test_require_any_names_the_roles() -> None:
    principal = Principal("E1", frozenset({Role.EMPLOYEE}))
    principal.require_any({Role.EMPLOYEE, Role.HR}, "GetEmployee")
    with pytest.raises(PermissionDenied, match="hr"):
        principal.require_any({Role.HR}, "UpsertEmployees")
