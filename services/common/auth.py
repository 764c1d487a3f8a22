"""Who is calling and what they may do.

Every RPC but health and reflection carries ``authorization: Bearer <JWT>``.
HS256 with a shared secret serves dev and tests; production verifies RS256 with
the identity provider's public key. Claims: ``sub`` (an employee id or a system
name such as ``hris``), ``roles`` (a list of ``Role`` values), ``iss``, ``aud``,
``exp``.

Which roles may call which RPC is one table per service (``ACCESS`` in each
gRPC module), enforced by the interceptor before the handler runs; rules that
depend on the resource (an employee reads only their own record) live in the
application code, which receives the ``Principal`` explicitly.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import jwt

from services.common.errors import PermissionDenied, Unauthenticated


class Role(StrEnum):
    EMPLOYEE = "employee"
    SUPERVISOR = "supervisor"
    HR = "hr"
    PERF_ADMIN = "perf_admin"
    DUTY_OFFICER = "duty_officer"
    PAYROLL = "payroll"
    HRIS = "hris"
    INGEST = "ingest"


ANY_ROLE: frozenset[Role] = frozenset(Role)
"""Access rule for RPCs any authenticated caller may make."""


@dataclass(frozen=True)
class Principal:
    subject: str
    roles: frozenset[Role]

    def has_any(self, roles: Iterable[Role]) -> bool:
        return not self.roles.isdisjoint(roles)

    def require_any(self, roles: Iterable[Role], action: str) -> None:
        wanted = frozenset(roles)
        if not self.has_any(wanted):
            names = ", ".join(sorted(wanted))
            raise PermissionDenied(f"{action} needs one of the roles: {names}")


_current: contextvars.ContextVar[Principal | None] = contextvars.ContextVar(
    "ccperf_principal", default=None
)


def current_principal() -> Principal:
    """The authenticated caller of the RPC being served (set by the interceptor)."""
    principal = _current.get()
    if principal is None:
        raise Unauthenticated("no authenticated caller in this context")
    return principal


def bind_principal(principal: Principal) -> contextvars.Token[Principal | None]:
    return _current.set(principal)


def unbind_principal(token: contextvars.Token[Principal | None]) -> None:
    _current.reset(token)


class TokenVerifier:
    """Checks bearer tokens: signature, expiry, issuer, audience, and the roles claim."""

    def __init__(
        self,
        *,
        secret: str | None = None,
        public_key: str | None = None,
        issuer: str = "ccperf",
        audience: str = "ccperf",
    ) -> None:
        if public_key:
            self._key: str = public_key
            self._algorithms = ["RS256"]
        elif secret:
            self._key = secret
            self._algorithms = ["HS256"]
        else:
            raise ValueError("a TokenVerifier needs a public key or a secret")
        self._issuer = issuer
        self._audience = audience

    def verify_header(self, authorization: str | None) -> Principal:
        if not authorization:
            raise Unauthenticated("missing authorization metadata (Bearer token)")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("authorization must be 'Bearer <token>'")
        return self.verify(token.strip())

    def verify(self, token: str) -> Principal:
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=self._algorithms,
                issuer=self._issuer,
                audience=self._audience,
                options={"require": ["exp", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthenticated("token expired") from exc
        except jwt.InvalidTokenError as exc:
            raise Unauthenticated(f"invalid token: {exc}") from exc
        subject = claims.get("sub")
        raw_roles = claims.get("roles", [])
        if not isinstance(subject, str) or not subject:
            raise Unauthenticated("token has no subject")
        if not isinstance(raw_roles, list) or not all(isinstance(r, str) for r in raw_roles):
            raise Unauthenticated("the roles claim must be a list of strings")
        known = {r.value for r in Role}
        return Principal(subject=subject, roles=frozenset(Role(r) for r in raw_roles if r in known))


def mint_token(
    *,
    secret: str,
    subject: str,
    roles: Iterable[Role | str],
    ttl: dt.timedelta = dt.timedelta(hours=12),
    issuer: str = "ccperf",
    audience: str = "ccperf",
    now: dt.datetime | None = None,
) -> str:
    """An HS256 token for dev, tests and the demo (``ccperf token``)."""
    issued = now or dt.datetime.now(dt.UTC)
    claims = {
        "sub": subject,
        "roles": sorted(Role(r).value for r in roles),
        "iss": issuer,
        "aud": audience,
        "iat": issued,
        "exp": issued + ttl,
    }
    return jwt.encode(claims, secret, algorithm="HS256")
